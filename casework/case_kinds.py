"""The kinds of case (complaint, proposal, …) and what each tells the shared machinery.

A case app registers itself once, in its AppConfig.ready, with one `register_case_kind(...)`
call. Everything that works across case kinds reads this registry instead of importing the case
apps, so the kernel (casework) and sla never import them:

- the bell's links and the e-mails' links (`page` → CASE_PAGES, casework/notifications.py);
- timelines, which store only a state's code (`states` → STATE_LABELS, the `state_label` filter);
- the SLA sweep, which raises the cases' `escalation_level` (`escalated` → escalated_case_models());
- the import page, which lists what a file may hold (`importer` → casework.importing.IMPORTERS).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from django.contrib.contenttypes.models import ContentType

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db import models

    from .importing import Importer
    from .models import ResponsibleUnit


class CaseRecord(Protocol):
    """What the code every kind shares (the lifecycle kernel, the SLA clocks, notices, conflicts)
    reads of a case. Every case model has it; mypy checks the shared code against this, so the
    kernel need not know the kinds (casework imports no case app, not even for types)."""

    @property
    def pk(self) -> Any: ...
    @property
    def number(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def state(self) -> str: ...
    @property
    def responsible_unit(self) -> ResponsibleUnit | None: ...
    @property
    def first_responder(self) -> User | None: ...
    @property
    def is_open(self) -> bool: ...
    @property
    def sla_case_kind(self) -> str: ...
    def get_state_display(self) -> str: ...
    def save(self) -> None: ...


AnyCase = CaseRecord
CaseT = TypeVar("CaseT", bound=CaseRecord)


def case_content_type(case: CaseRecord | type[CaseRecord]) -> ContentType:
    """The content type the timeline, the clocks and the notices file a case under."""
    return ContentType.objects.get_for_model(cast("models.Model", case))  # every case record is a model


@dataclass(frozen=True)
class CaseKind:
    model: type[models.Model]
    page: str  # the URL name of a case's page, taking the case number
    states: type[models.TextChoices]
    escalated: bool  # has an `escalation_level` column the sweep keeps up to date
    importer: Importer | None


# "app_label.model" of a case → its kind.
CASE_KINDS: dict[str, CaseKind] = {}
# "app_label.model" of a case → the URL name of its page (taking the case number).
CASE_PAGES: dict[str, str] = {}
# A state's code → its translated name, for timelines that store only the code.
STATE_LABELS: dict[str, object] = {}


def register_case_kind(*, model, page: str, states, escalated: bool = True, importer: Importer | None = None
                       ) -> CaseKind:
    kind = CaseKind(model=model, page=page, states=states, escalated=escalated, importer=importer)
    label = model._meta.label_lower
    CASE_KINDS[label] = kind
    CASE_PAGES[label] = page
    STATE_LABELS.update(states.choices)
    if importer is not None:
        from .importing import register_importer  # not at module level: importing needs the models loaded

        register_importer(importer)
    return kind


def escalated_case_models() -> list[type[models.Model]]:
    """The case models whose `escalation_level` the SLA sweep raises with their milestones' escalations."""
    return [kind.model for kind in CASE_KINDS.values() if kind.escalated]


# How the shared pages (a customer's cases) learn each case's next deadline without importing sla:
# sla registers sla.selectors.attach_next_deadlines in its AppConfig.ready.
_deadline_readers: list[Any] = []


def register_deadline_reader(reader) -> None:
    _deadline_readers[:] = [reader]


def attach_next_deadlines(cases) -> list:
    """Set next_due_at / next_warn_at / next_due_kind on a page of cases (one query), if sla is installed."""
    cases = list(cases)
    for reader in _deadline_readers:
        cases = reader(cases)
    return cases


# What a case kind tells the desk at intake about a known customer (a complaint's repeat rule),
# without casework importing the kind: each registers a reader in its AppConfig.ready.
_intake_hint_readers: dict[str, Any] = {}


def register_intake_hint(name: str, reader) -> None:
    """`reader(customer=, category=)` returns sentences for the intake panel (may be none)."""
    _intake_hint_readers[name] = reader


def intake_hints(*, customer, category: str = "") -> list[str]:
    return [hint for reader in _intake_hint_readers.values() for hint in reader(customer=customer, category=category)]
