"""The import page: upload, preview with per-row errors, confirm; all rows or none."""

from __future__ import annotations

import secrets
import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .decorators import role_required
from .import_jobs import import_job_confirm, import_job_start, import_job_written
from .import_stash import import_stash_expired, import_stash_path, import_stash_remove, import_stash_write
from .importing import IMPORTERS
from .models import ImportJob
from .roles import Role
from .tabular import TableError, read_table

MAX_IMPORT_BYTES = 50 * 1024 * 1024
SESSION_KEY = "closeloop-import"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"))
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, i.label) for k, i in IMPORTERS.items()]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 50 MB)."))
        return upload


def _forget_stash(request) -> None:
    """The session's stash goes with its file: confirmed, replaced by a newer upload, or expired."""
    stash = request.session.pop(SESSION_KEY, None) or {}
    import_stash_remove(token=stash.get("token", ""))


@role_required(Role.ADMIN, Role.MANAGER)
def import_page(request):
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    context = {"form": form, "title": _("Import")}
    if request.method == "POST" and form.is_valid():
        _forget_stash(request)  # only the file previewed last may be confirmed
        upload = form.cleaned_data["file"]
        raw = upload.read()
        importer = IMPORTERS[form.cleaned_data["kind"]]
        if len(raw) > settings.IMPORT_BACKGROUND_FROM_BYTES:
            # A large file is checked and written by a worker: no request waits for it, and the
            # person follows it on the job's page. Only the header is read here, to fail fast.
            try:
                read_table(raw, upload.name, columns=importer.columns)
            except TableError as error:
                form.add_error("file", str(error))
                return render(request, "casework/import.html", context, status=400)
            job = import_job_start(user=request.user, kind=importer.kind, raw=raw, filename=upload.name)
            return redirect("casework:import_job", pk=job.pk)
        try:
            preview = importer.preview(raw, upload.name)
        except TableError as error:
            form.add_error("file", str(error))
        else:
            context.update(preview=preview, importer=importer)
            if preview.ok:
                token = import_stash_write(raw=raw)
                request.session[SESSION_KEY] = {"token": token, "name": upload.name, "kind": importer.kind,
                                                "user": request.user.pk, "created": time.time()}
                context["import_token"] = token  # the confirm form names the file it previewed
            return render(request, "casework/import.html", context, status=200 if preview.ok else 400)
    return render(request, "casework/import.html", context, status=400 if form.errors else 200)


@role_required(Role.ADMIN, Role.MANAGER)
def import_confirm(request):
    if request.method != "POST":
        return redirect("casework:import")
    stash = request.session.get(SESSION_KEY) or {}
    if stash.get("user") != request.user.pk or stash.get("kind") not in IMPORTERS:
        messages.error(request, _("Nothing to import: upload the file again."))
        return redirect("casework:import")
    # A preview left open in another tab, or the browser's back button, must not import a
    # file uploaded after it: the form carries the token of the file it showed.
    if not secrets.compare_digest(request.POST.get("token", "").encode(), str(stash["token"]).encode()):
        messages.error(request, _("Nothing was imported: that preview is not of the file you uploaded last. "
                                  "Confirm on the latest preview, or upload the file again."))
        return redirect("casework:import")
    path = import_stash_path(token=stash["token"])
    if import_stash_expired(created=stash.get("created", 0)):
        _forget_stash(request)
        messages.error(request, _("The preview has expired: upload the file again."))
        return redirect("casework:import")
    if path is None or not path.is_file():
        _forget_stash(request)
        messages.error(request, _("Nothing to import: upload the file again."))
        return redirect("casework:import")
    importer = IMPORTERS[stash["kind"]]
    try:
        preview, written = importer.run(path.read_bytes(), stash["name"], actor=request.user)
    except TableError as error:
        preview, written = None, 0
        messages.error(request, str(error))
    finally:
        _forget_stash(request)
    if preview is not None and not preview.ok:
        messages.error(request, _("The file has errors; nothing was imported."))
    elif written:
        messages.success(request, _("%(n)d %(kind)s imported.") % {"n": written, "kind": importer.label})
    return redirect("casework:import")


def _own_job(request, pk: int) -> ImportJob:
    """Only its uploader sees a job: its errors quote the file's rows (names, phones)."""
    return get_object_or_404(ImportJob, pk=pk, user=request.user)


@role_required(Role.ADMIN, Role.MANAGER)
def import_jobs(request):
    jobs = ImportJob.objects.filter(user=request.user).defer("errors", "warnings")[:100]
    return render(request, "casework/import_jobs.html", {"jobs": jobs, "title": _("My imports")})


@role_required(Role.ADMIN, Role.MANAGER)
def import_job(request, pk: int):
    job = _own_job(request, pk)
    written = import_job_written(job)
    total = job.rows_checked if job.status == ImportJob.Status.WRITING else job.rows_estimated
    done = written if job.status == ImportJob.Status.WRITING else job.rows_checked
    importer = IMPORTERS.get(job.kind)
    return render(request, "casework/import_job.html", {
        "job": job, "written": written, "progress_max": max(total or 0, done, 1), "progress_value": done,
        "kind_label": importer.label if importer else job.kind,
        "title": _("Import of %(file)s") % {"file": job.filename},
        "errors_shown": job.errors[:500], "warnings_shown": job.warnings[:500]})


@role_required(Role.ADMIN, Role.MANAGER)
def import_job_confirm_view(request, pk: int):
    if request.method != "POST":
        return redirect("casework:import_job", pk=pk)
    job = _own_job(request, pk)
    if not import_job_confirm(job=job):
        messages.error(request, _("This import is not waiting for confirmation."))
    return redirect("casework:import_job", pk=pk)
