"""A case kind's workflow, declared in one table: for each lifecycle action, its form, its label,
its timeline entry, the SLA clocks it meets, starts or recomputes, and the few hooks an action
needs of its own. Which state leads where stays in the model's django-fsm @transition methods;
who may act stays in the policy those transitions name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.functional import Promise
from django_fsm import has_transition_perm

from casework.case_kinds import AnyCase
from casework.models import CaseEvent
from casework.timeline import Line

# A form's cleaned data, as the actions receive it.
FormData = dict[str, Any]
# A message to the customer: its subject and its text.
CustomerMessageText = tuple[str, str]


class CustomerMessageWithLink(NamedTuple):
    """A message that carries a survey's one-time link (a complaint's closure message with the
    survey sent at the closure). The text says where the link goes (satisfaction.outbox's
    LINK_PLACEHOLDER): the outbox keeps the link apart from the stored text until it is delivered,
    and a newer link of the survey withdraws it."""

    subject: str
    text: str
    link: str
    survey: Any


AnyCustomerMessage = CustomerMessageText | CustomerMessageWithLink


def note_field(data: FormData, case: Any) -> str:
    """The usual timeline note: what the person wrote in the form's `note`."""
    note: str = data.get("note", "")
    return note


@dataclass(frozen=True)
class Notice:
    """One message of an action to some people: what happened and what they are to do now."""

    people: Iterable[User]
    message: str


@dataclass(frozen=True)
class Step:
    """One lifecycle action. `name` is the model's @transition method.

    - `arguments`: the form fields handed to the transition method (`at=now` too if `stamps_time`).
    - `note(data, case)`: what the person wrote for the timeline, read after the transition (default:
      the `note` field).
    - `says(data, case) -> lines`: what the system says on the timeline, read after the transition
      (casework.timeline texts: "Dispatched to Q01", a callback's outcome), stored in no language and
      shown in the reader's.
    - `check(case, data)`: a business rule checked once the actor's right is established; raises
      ValidationError and nothing is written.
    - `prepare(case, actor, data, now) -> dict`: more transition arguments, made in the same
      transaction (a callback's row, a plan cleared when a proposal is not adopted).
    - `then(case, data)`: what the action records beside the transition (the repeat-complaint link).
    - `tell(case) -> [Notice]`: who is told what, in the bell and by e-mail (written with the change,
      mailed once it is committed). Each notice says what its people are to do now; `case_act`
      leaves out the actor and anyone who could not open the case, and tells a person once.
    - `tells_customer(case, data) -> (subject, text) | None`: the message to the customer this action
      sends (a reply, a decision), queued in the same transaction through the workflow's
      `customer_outbox`; a case the action closes gets the workflow's `closing_message` instead
      when the row has none. Either may be a `CustomerMessageWithLink` (a survey's link in it).
    - `form_for(case, data, **kwargs)`: the action's form when its fields depend on the case (a
      survey's answers follow its questionnaire); else `form_class(data, **kwargs)`.
    - `new_round_starts`: when the transition returns the case to a unit (its `unit_round` goes up),
      the earlier rounds' running `round_clocks` end (whatever the row says) and these start from now.

    The hooks take the case as `Any`: each table's hooks are written for its own model (a
    Complaint's hook is no hook for any case), and the table is only ever run on that model.
    """

    name: str
    label: Promise | str
    form_class: type
    timeline: str = CaseEvent.Kind.TRANSITION
    arguments: tuple[str, ...] = ()
    stamps_time: bool = False
    note: Callable[[FormData, Any], str] = note_field
    says: Callable[[FormData, Any], list[Line]] | None = None
    meets: tuple[str, ...] = ()
    starts: tuple[str, ...] = ()
    recomputes: bool = False
    # Clocks started afresh when the transition moves the case into a new round with the unit.
    new_round_starts: tuple[str, ...] = ()
    assigns_unit: bool = False
    check: Callable[[Any, FormData], None] | None = None
    prepare: Callable[[Any, User | None, FormData, datetime], dict[str, Any]] | None = None
    then: Callable[[Any, FormData], None] | None = None
    tell: Callable[[Any], Iterable[Notice]] | None = None
    tells_customer: Callable[[Any, FormData], AnyCustomerMessage | None] | None = None
    danger: bool = False
    form_for: Callable[..., Any] | None = None

    def form(self, case: Any, data: Any = None, **kwargs: Any) -> Any:
        """The action's form for this case, bound to `data` if given."""
        if self.form_for is not None:
            return self.form_for(case, data, **kwargs)
        return self.form_class(data, **kwargs)


@dataclass(frozen=True)
class Workflow:
    """A case kind's lifecycle table and what the generic path needs to know of its model."""

    queryset: Callable[[], QuerySet[Any]]  # how a case is read fresh for a change (with its unit and customer)
    steps: dict[str, Step] = field(default_factory=dict)
    may_act_otherwise: Callable[[Any, User], bool] = lambda case, actor: False  # edits that are not transitions
    sla_priority: Callable[[Any], str] = lambda case: case.priority
    # The clocks a new round replaces (a case kind with rounds has a `unit_round` counter).
    round_clocks: tuple[str, ...] = ()
    # Messages to the customer: how they are queued (satisfaction.outbox.customer_message_queue; the
    # kernel imports no app above it), and what a case that an action closes tells its customer.
    customer_outbox: Callable[..., Any] | None = None
    closing_message: Callable[[Any], AnyCustomerMessage | None] | None = None

    @classmethod
    def of(cls, *steps: Step, **kwargs: Any) -> Workflow:
        return cls(steps={step.name: step for step in steps}, **kwargs)

    def available(self, *, case: AnyCase, user: User) -> list[Step]:
        """The actions this person may take on the case in its current state, in table order."""
        return [step for step in self.steps.values() if has_transition_perm(getattr(case, step.name), user)]

    @staticmethod
    def opens_first(*, case: AnyCase, actions: list[Step]) -> Step | None:
        """The action a case page opens for the person: the first that moves the case on (its
        transition leads to another state) and is no danger (a forced closure, an archive), so a
        manager's acknowledged proposal opens "route", not the suggestion beside it; else the first."""
        for step in actions:
            transition = getattr(type(case), step.name)._django_fsm.get_transition(case.state)
            if transition is not None and transition.target is not None and not step.danger:
                return step
        return actions[0] if actions else None
