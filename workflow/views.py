"""The POST of one lifecycle action form, for every case kind: run the action through the generic
path, or show the person why not — field errors 400, someone else's change or a wrong state 409,
an action this person may not take 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from casework.errors import CaseError

from .act import case_act
from .steps import Workflow


def case_action_submit(request, *, case: Any, action: str, workflow: Workflow,
                       render_detail: Callable[..., HttpResponse], success_url: str) -> HttpResponse:
    """`render_detail(status, fresh=False, **context_overrides)` renders the case page again;
    `fresh=True` re-reads the case, which someone else changed."""
    step = workflow.steps.get(action)
    if step is None:
        raise Http404
    form = step.form(case, request.POST, prefix=action)
    if form.is_valid():
        try:
            case_act(workflow=workflow, case=case, actor=request.user, action=action, data=form.cleaned_data,
                     expected_version=form.cleaned_data["version"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # a message about the whole action
                form.add_error(None, error.messages)
            for field, errors in getattr(error, "error_dict", {}).items():
                form.add_error(field if field in form.fields else None, [m for e in errors for m in e.messages])
        except CaseError as error:
            messages.error(request, str(error))
            return render_detail(409, fresh=True)
        else:
            messages.success(request, _("%(action)s: done.") % {"action": step.label})
            return redirect(success_url)
    elif step not in workflow.available(case=case, user=request.user):
        raise PermissionDenied
    return render_detail(400, forms={action: form}, open_action=action)
