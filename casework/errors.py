"""Domain errors every kind of case raises; views turn them into clear messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .case_kinds import AnyCase


class CaseError(Exception):
    """A request about a case that cannot be carried out as asked."""


class CaseConflict(CaseError):
    """Someone else changed the case after this person loaded it: nothing was applied."""

    def __init__(self, case: AnyCase) -> None:
        self.case = case
        super().__init__(
            _(
                "%(number)s was changed by someone else while you were working on it "
                "(it is now “%(state)s”). Your action was not applied: review the case and try again."
            )
            % {"number": case.number, "state": case.get_state_display()}
        )


class TransitionNotPossible(CaseError):
    """The case's current state does not allow the action."""

    def __init__(self, case: AnyCase, action_label: Promise | str) -> None:
        self.case = case
        super().__init__(
            _("“%(action)s” is not possible while %(number)s is “%(state)s”. Nothing was changed.")
            % {"action": action_label, "number": case.number, "state": case.get_state_display()}
        )


class CallerRefused(ValidationError):
    """Intake's customer details cannot be used as typed (`casework.services.caller_resolve`): a
    known phone number whose record differs, and no (or no workable) choice of who is calling.
    Keyed by the service's argument names; the intake form puts each on its field."""
