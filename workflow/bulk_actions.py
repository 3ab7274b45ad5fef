"""One action on several selected cases with one reason (issue 13: a manager re-dispatches or
force-closes a queue's selection). Each case goes through the one path, `workflow.act.case_act`, in
its own transaction: its permission, state, business checks, clocks, timeline entry and notices are
exactly those of the case page's action, and a case its state no longer allows is reported without
stopping the others. (casework/bulk.py is the other "bulk": rows loaded with COPY for imports and
generated data, which bypass the lifecycle on purpose; nothing of it fits a lifecycle action.)"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from casework.errors import CaseError

from .act import case_act
from .steps import Workflow

# A selection is at most a few pages of a queue: each case is its own transaction and notices.
MAX_CASES = 100


@dataclass(frozen=True)
class BulkAction:
    """A queue's bulk action: `steps` are the workflow rows it may take, tried in order — the first
    this person may take on the case in its state (a complaint with the desk is dispatched, one with
    a unit transferred). `needs_unit`: the form asks for the unit (given to the rows as `unit` and
    `to_unit`); the one reason is the rows' `note` and `reason`."""

    name: str
    label: Promise | str
    steps: tuple[str, ...]
    needs_unit: bool = False


@dataclass
class BulkOutcome:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (number, why)


def cases_act_in_bulk(*, workflow: Workflow, cases: Iterable[Any], actor: User, action: BulkAction,
                      reason: str, unit: Any = None) -> BulkOutcome:
    """Take `action` on each case, each in its own transaction; what was refused and why is reported
    in the outcome, never raised."""
    data: dict[str, Any] = {"note": reason, "reason": reason}
    if unit is not None:
        data.update(unit=unit, to_unit=unit)
    outcome = BulkOutcome()
    for case in cases:
        available = {step.name for step in workflow.available(case=case, user=actor)}
        # None possible now: the first row, so case_act says why (state, or permission).
        name = next((s for s in action.steps if s in available), action.steps[0])
        try:
            case_act(workflow=workflow, case=case, actor=actor, action=name, data=dict(data))
        except ValidationError as error:
            outcome.refused.append((case.number, " ".join(error.messages)))
        except PermissionDenied:
            outcome.refused.append((case.number, _("You may not take this action on it.")))
        except CaseError as error:
            outcome.refused.append((case.number, str(error)))
        else:
            outcome.done.append(case.number)
    return outcome
