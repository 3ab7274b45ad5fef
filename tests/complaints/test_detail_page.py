"""A complaint's page with what a worked case has: a timeline of many kinds of entry, files, clocks,
callbacks, messages to the customer and the person who called. Its queries are counted (issue 5's
figures are taken on this page at a million complaints), and the unit list drawn in Python is
pinned to Django's own markup."""

from datetime import UTC, datetime

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils import timezone, translation

from casework.forms import UnitChoiceField
from casework.models import CaseEvent, ContactPerson
from casework.services import attachment_add, case_event_record
from complaints.models import Complaint
from satisfaction.models import Callback

from ..factories import ComplaintFactory, ProposalFactory, UnitFactory
from .helpers import post_action, reload
from .test_lifecycle import register


@pytest.fixture
def worked_case(agent_client, manager_client, handler_a_client, unit_a, agent, handler_a):
    """A complaint registered, contacted, dispatched, proposed, rejected and proposed again: waiting
    for the manager's approval, with the transfer form's unit list on the manager's page."""
    UnitFactory.create_batch(30)
    assert register(agent_client).status_code == 302
    complaint = Complaint.objects.get(subject="维修等待时间过长")
    assert post_action(agent_client, complaint, "contact", note="已致电客户").status_code == 302
    assert post_action(agent_client, complaint, "dispatch", unit=unit_a.pk, note="请核实").status_code == 302

    def propose():
        return post_action(handler_a_client, complaint, "propose", root_cause="排班不足",
                           solution="增加周末技师", resolution_type="goodwill", resolution_amount="200")

    assert propose().status_code == 302
    assert post_action(manager_client, complaint, "reject", note="补偿方案不充分").status_code == 302
    assert propose().status_code == 302
    assert agent_client.post(f"/complaints/{complaint.number}/comment/", {"text": "客户再次来电"}).status_code == 302
    # Who called for the customer, and the earlier complaint this one repeats.
    Complaint.objects.filter(pk=complaint.pk).update(
        contact_person=ContactPerson.objects.create(customer=complaint.customer, name="李娜", phone="13900000001",
                                                    email="lina@example.com"),
        repeat_of=ComplaintFactory(number="TS209901-000777", customer=complaint.customer, state="closed"))
    complaint = reload(complaint)
    for name in ("发票.pdf", "现场照片.png"):
        attachment_add(case=complaint, actor=handler_a, file=SimpleUploadedFile(name, b"%PDF-1.4 x"))
    Callback.objects.create(complaint=complaint, round=0, outcome="dissatisfied", called_by=agent,
                            called_at=timezone.now())
    # What the SLA sweep writes (no person), and a row from before the timeline's lines.
    case_event_record(case=complaint, kind=CaseEvent.Kind.ESCALATION, action="sla_level_1", note="resolution")
    case_event_record(case=complaint, kind=CaseEvent.Kind.TRANSITION, actor=agent, action="contact",
                      from_state="registered", to_state="contacted", note="旧的备注")
    return reload(complaint)


def test_a_worked_complaints_page_reads_a_fixed_number_of_queries(worked_case, manager_client,
                                                                  django_assert_max_num_queries):
    url = f"/complaints/{worked_case.number}/"
    manager_client.get(url)  # the session's idle clock is renewed once a minute, not on every page
    # session, user, roles; the complaint with its customer, contact person, unit, first responder
    # and repeat; the messages to the customer; the bell's count; the transfer form's units; the
    # clocks; the callbacks; the files; the timeline with its people. No query an entry or a file.
    with django_assert_max_num_queries(11):
        response = manager_client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert worked_case.state == "pending_approval"
    assert "李娜" in page and "lina@example.com" in page
    assert "发票.pdf" in page and "现场照片.png" in page
    assert "客户再次来电" in page and "补偿方案不充分" in page and "旧的备注" in page
    assert 'name="transfer-to_unit"' in page
    # The complaint it repeats comes with it (complaints.selectors.complaint_get_visible).
    assert '<a href="/complaints/TS209901-000777/">TS209901-000777</a>' in page


def test_a_proposals_page_reads_a_fixed_number_of_queries(manager_client, agent, django_assert_max_num_queries):
    proposal = ProposalFactory(state="acknowledged")
    UnitFactory.create_batch(30)
    for name in ("方案.pdf", "附图.png"):
        attachment_add(case=proposal, actor=agent, file=SimpleUploadedFile(name, b"%PDF-1.4 x"))
    case_event_record(case=proposal, kind=CaseEvent.Kind.COMMENT, actor=agent, action="comment", note="已联系")
    url = f"/proposals/{proposal.number}/"
    manager_client.get(url)
    # session, user, roles, the proposal with its customer and people, its messages, the bell, the
    # routing form's units, the clocks, the files, the timeline.
    with django_assert_max_num_queries(10):
        response = manager_client.get(url)
    assert response.status_code == 200
    assert "方案.pdf" in response.content.decode() and 'name="route-unit"' in response.content.decode()


@pytest.mark.parametrize("initial", [{}, {"unit": "picked"}])
def test_the_unit_list_is_djangos_select_markup(db, initial):
    """PlainSelect writes in Python what Django's select template writes: the same page."""
    units = [UnitFactory(name='质量部 <"甲"> & 乙'), UnitFactory(), UnitFactory(status="suspended")]
    if initial:
        initial = {"unit": units[1].pk}

    class Form(forms.Form):
        unit = UnitChoiceField(label="Unit")

    for form in (Form(initial=initial), Form({"unit": "999"})):
        field = form["unit"]
        djangos = field.as_widget(widget=forms.Select(choices=field.field.choices))
        assert str(field) == djangos
    assert "&lt;&quot;甲&quot;&gt; &amp; 乙" in str(Form()["unit"])
    assert str(units[2].pk) not in [str(v) for v, _label in Form().fields["unit"].choices]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("moment", [datetime(2026, 11, 26, 16, 5, 9, 123456, tzinfo=UTC),
                                    datetime(2027, 1, 1, 0, 0, tzinfo=UTC)])
def test_a_timeline_entrys_time_is_what_the_date_filters_wrote(language, moment):
    """casework/_timeline.html writes each entry's <time> with one filter (time_element) instead of
    two date filters: the same markup, microseconds and offset included."""
    with translation.override(language):
        by_date_filters = Template("""<time datetime="{{ m|date:'c' }}">{{ m|date:"Y-m-d H:i:s" }}</time>""")
        assert Template("{% load cases %}{{ m|time_element }}").render(Context({"m": moment})) == \
            by_date_filters.render(Context({"m": moment}))
