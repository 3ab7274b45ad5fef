"""The import page: upload, preview with per-row errors, confirm; all rows or none."""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .decorators import role_required
from .importing import IMPORTERS
from .roles import Role
from .tabular import TableError

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


def _stash(raw: bytes, filename: str) -> str:
    settings.IMPORT_UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    (settings.IMPORT_UPLOAD_DIR / token).write_bytes(raw)
    return token


def _stashed(request):
    stash = request.session.get(SESSION_KEY) or {}
    path = settings.IMPORT_UPLOAD_DIR / Path(str(stash.get("token", ""))).name
    if not stash or not path.is_file() or stash.get("kind") not in IMPORTERS:
        return None, None
    return stash, path


@role_required(Role.ADMIN, Role.MANAGER)
def import_page(request):
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    context = {"form": form, "title": _("Import")}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read()
        importer = IMPORTERS[form.cleaned_data["kind"]]
        try:
            preview = importer.preview(raw, upload.name)
        except TableError as error:
            form.add_error("file", str(error))
        else:
            context.update(preview=preview, importer=importer)
            if preview.ok:
                request.session[SESSION_KEY] = {"token": _stash(raw, upload.name), "name": upload.name,
                                                "kind": importer.kind}
            return render(request, "casework/import.html", context, status=200 if preview.ok else 400)
    return render(request, "casework/import.html", context, status=400 if form.errors else 200)


@role_required(Role.ADMIN, Role.MANAGER)
def import_confirm(request):
    if request.method != "POST":
        return redirect("casework:import")
    stash, path = _stashed(request)
    if stash is None:
        messages.error(request, _("Nothing to import: upload the file again."))
        return redirect("casework:import")
    importer = IMPORTERS[stash["kind"]]
    try:
        preview, written = importer.run(path.read_bytes(), stash["name"], actor=request.user)
    except TableError as error:
        preview, written = None, 0
        messages.error(request, str(error))
    finally:
        path.unlink(missing_ok=True)
        request.session.pop(SESSION_KEY, None)
    if preview is not None and not preview.ok:
        messages.error(request, _("The file has errors; nothing was imported."))
    elif written:
        messages.success(request, _("%(n)d %(kind)s imported.") % {"n": written, "kind": importer.label})
    return redirect("casework:import")
