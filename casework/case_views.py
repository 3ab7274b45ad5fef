"""What every case page does alike besides its lifecycle actions (workflow.views): comments and
attachments."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect

from .forms import AttachmentForm, CommentForm
from .services import attachment_add, case_attachments


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
