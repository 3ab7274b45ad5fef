"""generate_cases --surveys makes surveys the satisfaction figures can read (the benchmark's data)."""

from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from reports.satisfaction import satisfaction_index
from satisfaction.models import Survey, SurveyAnswer, SurveyCampaign, SurveyTemplate


def test_generate_surveys_spreads_states_units_tiers_and_scores(db, capsys):
    call_command("generate_cases", "--surveys", "400", "--months", "12", "--seed", "3")
    assert Survey.objects.count() == 400
    states = dict(Survey.objects.values_list("state").annotate(n=Count("pk")))
    assert states["answered"] > 250 and states["expired"] and states["unreachable"]
    assert Survey.objects.values("number").distinct().count() == 400
    scores = dict(SurveyAnswer.objects.filter(score__isnull=False).values_list("score").annotate(n=Count("pk")))
    assert set(scores) == {1, 2, 3, 4, 5} and scores[5] + scores[4] > scores[1] + scores[2] + scores[3]
    # Every answered survey has its five scores; no other survey has answers.
    assert not Survey.objects.exclude(state="answered").filter(answers__isnull=False).exists()
    assert SurveyAnswer.objects.filter(score__isnull=False).count() == 5 * states["answered"]
    assert not Survey.objects.filter(state="answered", answered_at__gt=timezone.now()).exists()
    now = timezone.now()
    units = satisfaction_index(start=now - timezone.timedelta(days=400), end=now, by="unit")
    tiers = satisfaction_index(start=now - timezone.timedelta(days=400), end=now, by="tier")
    assert len(units) > 10 and {t.key for t in tiers} >= {"key", "ordinary"}
    assert all(0 <= u.index <= 100 for u in units)
    assert "400 surveys" in capsys.readouterr().out
    call_command("generate_cases", "--surveys", "50", "--months", "12", "--seed", "4")
    assert SurveyTemplate.objects.count() == 1 and Survey.objects.count() == 450
    assert SurveyCampaign.objects.values("name").distinct().count() == SurveyCampaign.objects.count()
