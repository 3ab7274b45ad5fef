"""What every case page does alike: the POST of one lifecycle action form (run the action, or
show the person why not: field errors 400, someone else's change or a wrong state 409, an
action this person may not take 403), and the case's attachments."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .actions import Action
from .errors import CaseError
from .forms import AttachmentForm, CommentForm
from .services import attachment_add, case_attachments


def case_action_submit(request, *, case, action: str, actions: dict[str, Action], available: Callable[[], list],
                       render_detail: Callable[..., HttpResponse], success_url: str) -> HttpResponse:
    """`render_detail(status, fresh=False, **context_overrides)` renders the case page again;
    `fresh=True` re-reads the case, which someone else changed."""
    spec = actions.get(action)
    if spec is None:
        raise Http404
    form = spec.form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            spec.run(case, request.user, form.cleaned_data["version"], form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # a message about the whole action
                form.add_error(None, error.messages)
            for field, errors in getattr(error, "error_dict", {}).items():
                form.add_error(field if field in form.fields else None, [m for e in errors for m in e.messages])
        except CaseError as error:
            messages.error(request, str(error))
            return render_detail(409, fresh=True)
        else:
            messages.success(request, _("%(action)s: done.") % {"action": spec.label})
            return redirect(success_url)
    elif not any(a.name == action for a in available()):
        raise PermissionDenied
    return render_detail(400, forms={action: form}, open_action=action)


def case_comment_submit(request, *, comment: Callable[[str], object], render_detail: Callable[..., HttpResponse],
                        success_url: str) -> HttpResponse:
    """Add a comment to the timeline through the case app's own service (`comment(text)`)."""
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render_detail(400, comment_form=form)
    comment(form.cleaned_data["text"])
    return redirect(success_url)


def case_attachment_submit(request, *, case, render_detail: Callable[..., HttpResponse],
                           success_url: str) -> HttpResponse:
    """Upload a file to the case (size and type checked) with its timeline entry."""
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_add(case=case, actor=request.user, file=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error.message_dict.get("file", error.messages))
        else:
            return redirect(success_url)
    return render_detail(400, attachment_form=form)


def case_attachment_file(*, case, pk: int) -> FileResponse:
    found = case_attachments(case=case).filter(pk=pk).first()
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.original_name)
