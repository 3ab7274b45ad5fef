"""A lifecycle action as the case pages offer it: its form, the service it calls, its label."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django_fsm import has_transition_perm


@dataclass(frozen=True)
class Action:
    name: str  # the @transition method it runs
    form_class: type
    run: Callable  # (case, actor, version, cleaned_data) -> case
    label: str
    danger: bool = False


def actions_available(actions: dict[str, Action], *, case, user) -> list[Action]:
    """The actions this user may take on the case in its current state."""
    return [a for a in actions.values() if has_transition_perm(getattr(case, a.name), user)]
