# The part of django-fsm-2's API Closeloop uses, for mypy only.
#
# django-fsm-2 ships inline types (py.typed), but it imports `typing.override` with a fallback for
# Python < 3.12; mypy, checking for Python 3.11, takes the failed import as Any and then every class
# whose __init__ is decorated with it -- ConcurrentTransitionMixin, FSMField -- as Any. Every case
# model (Complaint, Proposal) inherits that Any, and mypy would check nothing about them. These
# signatures are the package's own (django-fsm-2 4.2); keep them in step when it is upgraded.
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from django.contrib.auth.models import AbstractUser, AnonymousUser, PermissionsMixin
from django.db import models

_UserWithPermissions: TypeAlias = AbstractUser | AnonymousUser | PermissionsMixin
_StateValue: TypeAlias = str | int | models.Choices
_Permission: TypeAlias = str | Callable[[models.Model, _UserWithPermissions], bool]
_Condition: TypeAlias = Callable[[models.Model], bool]

class TransitionNotAllowed(Exception): ...
class InvalidResultState(Exception): ...
class ConcurrentTransition(Exception): ...

class FSMFieldMixin:
    protected: bool

class FSMField(FSMFieldMixin, models.CharField[str, str]):
    def __init__(self, *args: Any, **kwargs: Any) -> None: ...

class FSMModelMixin(models.Model): ...

class ConcurrentTransitionMixin(FSMModelMixin):
    def __init__(self, *args: Any, **kwargs: Any) -> None: ...

class State: ...

class RETURN_VALUE(State):  # noqa: N801 -- the package's name
    def __init__(self, *allowed_states: _StateValue) -> None: ...

def transition(
    field: FSMFieldMixin | str,
    source: _StateValue | Sequence[_StateValue] = ...,
    target: _StateValue | State | None = ...,
    on_error: _StateValue | None = ...,
    conditions: list[_Condition] | None = ...,
    permission: _Permission | None = ...,
    custom: dict[str, Any] | None = ...,
) -> Callable[[Any], Any]: ...
def can_proceed(bound_method: Any, check_conditions: bool = True) -> bool: ...
def has_transition_perm(bound_method: Any, user: _UserWithPermissions) -> bool: ...
