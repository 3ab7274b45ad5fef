"""What a timeline says, in the reader's language.

A timeline line is read long after it was written, by people who chose another language than its
writer (the desk in Chinese, a manager in English). So what the system itself writes is stored in
no language: `CaseEvent.lines` holds message ids with their parameters, and a page puts them into
words with gettext when it is drawn. Parameters that are themselves words (a callback's outcome, a
channel, a deadline's name) are stored as codes and named by their choices at display time, dates
as ISO text. What a person wrote stays in `CaseEvent.note`, as written. Rows written before the
lines existed keep their stored note, shown as before.

Each app declares the texts its writers use (`timeline_text`, at module level beside the writer) and
the names of its actions (`register_action_labels`, in its AppConfig.ready): the kernel imports no
app, so it learns them here, as it learns the case kinds in `case_kinds`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format

if TYPE_CHECKING:
    from .models import CaseEvent

# One stored line: {"id": "complaints.dispatched", "params": {"unit": "Q01 …"}}.
Line = dict[str, Any]


def choice(choices: type[models.Choices]) -> Callable[[Any], str]:
    """A parameter stored as a choice's code, shown as its label in the reader's language."""
    # Built once, not for every line shown: the labels are lazy, put into words when shown.
    labels = dict(choices.choices)

    def shown(value: Any) -> str:
        return str(labels.get(value, value))
    return shown


def moment(value: Any) -> str:
    """A parameter stored as an ISO date and time, shown in local time to the minute."""
    parsed = parse_datetime(str(value))
    return timezone.localtime(parsed).strftime("%Y-%m-%d %H:%M") if parsed is not None else str(value)


def day(value: Any) -> str:
    """A parameter stored as an ISO date, shown in the reader's date format."""
    parsed = parse_date(str(value))
    return date_format(parsed) if parsed is not None else str(value)


def _stored(value: Any) -> Any:
    """A parameter as JSON keeps it: dates as ISO text, records (a unit) as their name, lists as lists."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_stored(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@dataclass(frozen=True)
class TimelineText:
    """One thing the system writes: `text` a lazy translation with %(name)s parameters; `shown`
    says how a parameter that is not plain text is put into words (`choice(...)`, `moment`, `day`)."""

    id: str
    text: Any
    shown: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)

    def line(self, **params: Any) -> Line:
        return {"id": self.id, "params": {name: _stored(value) for name, value in params.items()}}

    def render(self, params: Mapping[str, Any]) -> str:
        values = {name: self.shown[name](value) if name in self.shown else value for name, value in params.items()}
        return str(self.text) % values if values else str(self.text)


TEXTS: dict[str, TimelineText] = {}


def timeline_text(id: str, text: Any, **shown: Callable[[Any], str]) -> TimelineText:
    """Declare a text the system writes on timelines (its id is what is stored: keep it when the
    wording changes)."""
    declared = TimelineText(id=id, text=text, shown=shown)
    TEXTS[id] = declared
    return declared


def line_text(line: Line) -> str | None:
    """A stored line in the reader's language; None for one no text declares (any more)."""
    declared = TEXTS.get(line.get("id", "")) if isinstance(line, dict) else None
    if declared is None:
        return None
    try:
        return declared.render(line.get("params") or {})
    except (KeyError, TypeError, ValueError):
        return None


# "app_label.model" → action → its name; actions any case may have (a message to the customer)
# under "". Unknown actions are named by the event's kind.
ACTION_LABELS: dict[str, dict[str, Any]] = {}


def register_action_labels(model: type[models.Model] | None, labels: Mapping[str, Any]) -> None:
    """Name a case kind's actions on its timeline (its workflow table's labels), or with model None
    the actions any case may have."""
    ACTION_LABELS.setdefault(model._meta.label_lower if model is not None else "", {}).update(labels)


def event_label(event: CaseEvent) -> str:
    """What the timeline calls an event: its action's name in the case kind's workflow, else its kind's."""
    if event.action:
        case_type = ContentType.objects.get_for_id(event.case_type_id)  # cached: the timeline's own
        for labels in (ACTION_LABELS.get(f"{case_type.app_label}.{case_type.model}", {}), ACTION_LABELS.get("", {})):
            if event.action in labels:
                return str(labels[event.action])
    return str(event.get_kind_display())


# Rows from before the lines: the system's own notes without an actor stayed hidden, except these.
OLD_NOTES_SHOWN_WITHOUT_ACTOR = ("sla_calendar",)


def event_text(event: CaseEvent) -> str:
    """The text of an event for the reader: the system's lines in their language, then what the
    person wrote. An old row (no lines) shows its stored note as it always did."""
    said = [text for text in (line_text(line) for line in _lines(event.lines)) if text]
    if event.note and (event.actor_id is not None or (event.lines is None
                                                      and event.action in OLD_NOTES_SHOWN_WITHOUT_ACTOR)):
        said.append(event.note)
    return "\n".join(said)


def lines_json(lines: list[Line] | None) -> str | None:
    """Lines as a bulk writer gives them (casework.models.CASE_EVENT_COLUMNS_WITH_LINES): JSON text, or NULL."""
    return json.dumps(lines, ensure_ascii=False) if lines is not None else None


def _lines(stored: Any) -> Iterable[Line]:
    return stored if isinstance(stored, list) else []
