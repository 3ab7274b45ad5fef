"""The management commands of SPEC §9 that other tools rely on."""

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from complaints.models import Complaint

from .factories import overdue_milestones


def _logs_in(client, username, password="closeloop"):
    # Through the log-in page, not client.login(): django-axes needs the request to authenticate.
    response = client.post("/login/", {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_seed_demo_twice_and_every_demo_user_logs_in(db, capsys):
    # The year of history has a test of its own (tests/test_seed_demo_history.py).
    call_command("seed_demo", history=0)
    call_command("seed_demo", history=0)
    printed = capsys.readouterr().out
    assert "password for all: closeloop" in printed
    assert Complaint.objects.count() == 5  # the second run adds nothing
    for username in ("agent", "handler_a", "handler_b", "manager", "admin"):
        client = Client()
        assert _logs_in(client, username), username
        assert username in printed
        home = client.get("/", follow=True)
        assert home.status_code == 200, username  # each role lands on a page it may see
    assert _logs_in(Client(), "admin")


def test_seed_demo_has_a_campaign_part_answered_and_prints_a_working_survey_link(db, capsys):
    import re

    from satisfaction.links import survey_from_link
    from satisfaction.models import Survey, SurveyAnswer, SurveyCampaign, SurveyTemplate

    call_command("seed_demo", history=0)
    call_command("seed_demo", history=0)
    printed = capsys.readouterr().out
    assert SurveyTemplate.objects.count() == 1 and SurveyCampaign.objects.get().status == "approved"
    campaign_states = sorted(Survey.objects.filter(campaign__isnull=False).values_list("state", flat=True))
    assert campaign_states == ["answered", "answered", "planned", "sent"]  # the second run added nothing
    assert SurveyAnswer.objects.count() == 8
    assert Survey.objects.filter(complaint__is_major=True, campaign=None).count() == 1  # the special survey
    tokens = re.findall(r"http://127\.0\.0\.1:8000/s/([^/\s]+)/", printed)
    assert len(tokens) == 2  # one a run; only the last one works
    assert survey_from_link(token=tokens[-1]).state == "sent"


def test_sla_sweep_command_prints_what_it_raised(db, capsys):
    overdue_milestones(3, now=timezone.now())
    call_command("sla_sweep")
    out = capsys.readouterr().out
    assert "6 escalations raised" in out  # three warnings and three breaches
    assert "level 1" in out


def test_notifications_can_be_marked_read(agent_client, agent, django_capture_on_commit_callbacks):
    from casework.models import Notification
    from sla.sweep import sla_sweep

    overdue_milestones(2, now=timezone.now(), owner=agent)
    with django_capture_on_commit_callbacks(execute=True):
        sla_sweep()
    assert Notification.objects.filter(recipient=agent, read_at__isnull=True).count() == 2  # one per case: its breach
    assert agent_client.post("/notifications/read-all/").status_code == 302
    assert not Notification.objects.filter(recipient=agent, read_at__isnull=True).exists()
    assert agent_client.get("/notifications/read-all/").status_code == 405


def test_every_link_in_the_header_opens_for_the_role_that_sees_it(db):
    import re

    call_command("seed_demo", history=0)
    for username in ("agent", "handler_a", "handler_b", "manager", "admin"):
        client = Client()
        assert _logs_in(client, username), username
        page = client.get("/", follow=True).content.decode()
        nav = page.split('class="mainnav"')[1].split("</nav>")[0]
        links = re.findall(r'href="([^"]+)"', nav)
        assert links, username
        for link in links:
            assert client.get(link).status_code == 200, (username, link)
