"""Large imports in the background (ImportJob): a worker checks the stashed file, counting the rows
read and checked on the job's row as it goes; its uploader sees the result on the job's page —
errors, or warnings and a confirmation button — and confirming has a worker write every row in one
transaction, or none. Re-running a task for a job past its step does nothing, and a job whose worker
died while writing is written again from the start: its transaction rolled back with it."""

from __future__ import annotations

import logging
from dataclasses import asdict

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .import_stash import import_stash_path, import_stash_remove, import_stash_write
from .importing import IMPORTERS, ImportPreview
from .models import ImportJob
from .tabular import TableError

log = logging.getLogger(__name__)

WRITTEN_KEY = "import-job-written-{}"
WRITTEN_KEY_SECONDS = 24 * 3600


def _estimate_rows(raw: bytes, filename: str) -> int | None:
    """For the progress bar: a CSV's lines (a cell with a line break counts twice); XLSX unknown."""
    return max(raw.count(b"\n") - 1, 1) if filename.lower().endswith(".csv") else None


@transaction.atomic
def import_job_start(*, user: User, kind: str, raw: bytes, filename: str) -> ImportJob:
    """Stash the file and have a worker check it (after the commit, so it finds the job)."""
    from .tasks import enqueue, import_job_check_task

    token = import_stash_write(raw=raw)
    job = ImportJob.objects.create(user=user, kind=kind, filename=filename[:255], token=token, size=len(raw),
                                   language=translation.get_language() or "",
                                   rows_estimated=_estimate_rows(raw, filename))
    transaction.on_commit(lambda: enqueue(import_job_check_task, job.pk))
    return job


def _record(job: ImportJob, preview: ImportPreview) -> None:
    job.rows_checked = preview.row_count
    job.error_count, job.warning_count = preview.error_count, preview.warning_count
    job.errors = [asdict(e) for e in preview.errors]
    job.warnings = [asdict(w) for w in preview.warnings]


def _file(job: ImportJob) -> bytes | None:
    path = import_stash_path(token=job.token)
    if path is None or not path.is_file():
        return None
    path.touch()  # the stash's hourly clean-up counts from the last use: the job still needs it
    return path.read_bytes()


def import_job_check(*, job_id: int) -> None:
    """Check every row, counting on the job's row a chunk at a time (no transaction: the page reads them)."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.CHECKING).first()
    if job is None:
        return  # checked already (a redelivered task), or gone
    importer, raw = IMPORTERS.get(job.kind), _file(job)
    with translation.override(job.language or None):
        if importer is None or raw is None:
            _stop(job, _("The file is no longer there: upload it again."))
            return

        def progress(*, read=None, checked=None, written=None):
            counts = {name: value for name, value in (("rows_read", read), ("rows_checked", checked))
                      if value is not None}
            if counts:
                ImportJob.objects.filter(pk=job.pk).update(**counts)

        try:
            preview = importer.preview(raw, job.filename, progress=progress)
        except TableError as error:
            _stop(job, str(error), status=ImportJob.Status.FAILED)
            return
        except Exception:
            # Said on the job, so its page does not wait forever; the person may upload it again.
            log.exception("import job %s: the check failed", job.pk)
            _stop(job, _("The check stopped with an error; nothing was imported. Try again, or tell the "
                         "administrator."))
            return
    job.refresh_from_db(fields=["rows_read"])
    _record(job, preview)
    job.status = ImportJob.Status.READY if preview.ok else ImportJob.Status.FAILED
    job.checked_at = timezone.now()
    if not preview.ok:
        job.finished_at = job.checked_at
    job.save()
    if not preview.ok:
        import_stash_remove(token=job.token)


def import_job_confirm(*, job: ImportJob) -> bool:
    """The uploader confirms a checked file: a worker writes it. False if it was not waiting."""
    from .tasks import enqueue, import_job_write_task

    with transaction.atomic():
        if not ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
                status=ImportJob.Status.WRITING):
            return False
        transaction.on_commit(lambda: enqueue(import_job_write_task, job.pk))
    return True


def import_job_write(*, job_id: int) -> None:
    """Write a confirmed job's rows in one transaction, the job's end with them. Its rows are checked
    again as they are written (a unit may have been removed since): one bad row, and nothing stays."""
    try:
        with transaction.atomic():
            # The row lock makes a second delivery of the task wait, then find the job done.
            job = ImportJob.objects.select_for_update().filter(pk=job_id, status=ImportJob.Status.WRITING).first()
            if job is None:
                return
            importer, raw = IMPORTERS.get(job.kind), _file(job)
            with translation.override(job.language or None):
                if importer is None or raw is None:
                    _stop(job, _("The file is no longer there: upload it again."))
                    return
                key = WRITTEN_KEY.format(job.pk)

                def progress(*, read=None, checked=None, written=None):
                    # Written rows are counted in the cache: the job's row is locked in this transaction
                    # and what it counts is seen by nobody else until the commit.
                    if written is not None:
                        cache.set(key, written, WRITTEN_KEY_SECONDS)

                preview, written = importer.run(raw, job.filename, actor=job.user, progress=progress)
            _record(job, preview)
            job.rows_written = written
            job.status = ImportJob.Status.DONE if preview.ok else ImportJob.Status.FAILED
            job.finished_at = timezone.now()
            job.save()
    except Exception:
        # Rolled back: nothing of the file was written. Said on the job, so its page does not wait forever.
        log.exception("import job %s failed", job_id)
        job = ImportJob.objects.get(pk=job_id)
        with translation.override(job.language or None):
            _stop(job, _("The import stopped with an error; nothing was imported. Try again, or tell the "
                         "administrator."))
        return  # logged above; the worker has nothing to retry: the person decides
    cache.delete(WRITTEN_KEY.format(job.pk))
    import_stash_remove(token=job.token)


def _stop(job: ImportJob, message: str, *, status: str = ImportJob.Status.ERROR) -> None:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])
    import_stash_remove(token=job.token)


def import_job_written(job: ImportJob) -> int:
    """Rows written so far: the job's own count once done, the worker's live count while it writes."""
    if job.status == ImportJob.Status.WRITING:
        return int(cache.get(WRITTEN_KEY.format(job.pk)) or 0)
    return job.rows_written
