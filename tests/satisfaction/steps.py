"""Surveys walked through their lifecycle the way staff do it: the survey page's forms, posted at a
controlled time."""

from datetime import datetime
from zoneinfo import ZoneInfo

from casework.models import CaseEvent
from satisfaction.models import Survey

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def post_action(client, survey, action, version=None, **fields):
    """Submit one lifecycle action the way the survey page's form does."""
    survey.refresh_from_db()
    data = {f"{action}-version": survey.version if version is None else version}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(f"/satisfaction/{survey.number}/{action}/", data)


def timeline(survey):
    """(action, from, to, the text the page shows) of each entry."""
    entries = CaseEvent.objects.filter(case_type__model="survey", case_id=survey.pk).order_by("created_at", "pk")
    return [(e.action, e.from_state, e.to_state, e.text) for e in entries]


def reload(survey) -> Survey:
    return Survey.objects.get(pk=survey.pk)
