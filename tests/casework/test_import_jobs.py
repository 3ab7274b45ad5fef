"""Large imports in the background (issue 13): the worker checks the file and counts as it goes, the
uploader confirms on the job's page — which they may leave and come back to — and every row is
written, or none."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from casework import importing
from casework.import_jobs import import_job_check, import_job_write, import_job_written
from casework.models import Customer, ImportJob, ResponsibleUnit
from complaints.importing import ComplaintImporter
from complaints.models import Complaint

HEADER = "受理时间,客户姓名,联系电话,渠道,类别,主题,投诉内容,状态,责任单位,关闭类型,关闭时间\n"


@pytest.fixture(autouse=True)
def _every_file_in_the_background(settings):
    settings.IMPORT_BACKGROUND_FROM_BYTES = 0


def rows(count, *, unit="QA", bad_at=None):
    received = timezone.localtime(timezone.now() - timedelta(days=40))
    closed = received + timedelta(days=2)
    lines = []
    for n in range(count):
        phone = f"1381234{n:04d}" if n != bad_at else "12345"
        lines.append(f"{received:%Y-%m-%d %H:%M},客户{n},{phone},400热线,产品质量,车门异响,异响,已结案,{unit},满意,"
                     f"{closed:%Y-%m-%d %H:%M}\n")
    return HEADER + "".join(lines)


def upload(client, text, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/imports/", {"kind": "complaints",
                                         "file": SimpleUploadedFile("历史.csv", text.encode("gbk"))})


def confirm(client, job, django_capture_on_commit_callbacks):
    """Press "Import all"; the worker runs after the commit; then the page, as the person sees it next."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/jobs/{job.pk}/confirm/")
    return client.get(f"/imports/jobs/{job.pk}/")


def test_a_large_file_is_checked_confirmed_and_written_and_the_page_can_be_left(
        manager_client, manager, unit_a, django_capture_on_commit_callbacks):
    response = upload(manager_client, rows(5), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/jobs/{job.pk}/"
    assert (job.status, job.rows_read, job.rows_checked, job.error_count) == ("ready", 5, 5, 0)
    assert not Complaint.objects.exists()  # checked, not written before the person confirms

    # Leaving and coming back: another browser, logged in again, finds the job by its URL or the list.
    later = Client()
    later.force_login(manager)
    assert f"/imports/jobs/{job.pk}/" in later.get("/imports/jobs/").content.decode()
    page = later.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert "Import all 5 rows" in page and 'http-equiv="refresh"' not in page

    page = confirm(later, job, django_capture_on_commit_callbacks).content.decode()
    job.refresh_from_db()
    assert (job.status, job.rows_written) == ("done", 5)
    assert "5 rows imported" in page
    assert Complaint.objects.filter(state="closed", counted_unit=unit_a).count() == 5
    # Running the tasks again — a redelivered message — writes nothing more.
    import_job_write(job_id=job.pk)
    import_job_check(job_id=job.pk)
    assert Complaint.objects.count() == 5
    assert not list(importing_files(job))  # the stashed file is gone with the job done


def importing_files(job):
    from django.conf import settings

    return settings.IMPORT_UPLOAD_DIR.glob(job.token)


def test_the_counters_move_a_chunk_at_a_time(manager_client, unit_a, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(importing, "WRITE_CHUNK", 3)
    seen_checking, seen_writing = [], []
    check_chunk, write = ComplaintImporter.check_chunk, ComplaintImporter.write

    def watched_check(self, chunk):
        job = ImportJob.objects.get()
        if job.status == "checking":
            seen_checking.append((job.rows_read, job.rows_checked))
        return check_chunk(self, chunk)

    def watched_write(self, *, rows, actor):
        seen_writing.append(import_job_written(ImportJob.objects.get()))
        return write(self, rows=rows, actor=actor)

    monkeypatch.setattr(ComplaintImporter, "check_chunk", watched_check)
    monkeypatch.setattr(ComplaintImporter, "write", watched_write)
    upload(manager_client, rows(7), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.rows_estimated == 7
    assert seen_checking == [(3, 0), (6, 3), (7, 6)]
    page = manager_client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert 'id="rows-checked">7<' in page
    confirm(manager_client, job, django_capture_on_commit_callbacks)
    assert seen_writing == [0, 3, 6]
    assert ImportJob.objects.get().rows_written == 7


def test_a_bad_row_fails_the_job_with_its_errors_and_writes_nothing(
        manager_client, unit_a, django_capture_on_commit_callbacks):
    upload(manager_client, rows(6, bad_at=4), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert (job.status, job.error_count, job.rows_checked) == ("failed", 1, 6)
    page = manager_client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert "Nothing has been imported" in page and "<td>6</td>" in page  # line 6: the header is line 1
    assert "Import all" not in page
    assert manager_client.post(f"/imports/jobs/{job.pk}/confirm/", follow=True).status_code == 200
    assert not Complaint.objects.exists() and not Customer.objects.exists()


def test_a_row_that_fails_while_writing_rolls_every_row_back(
        manager_client, unit_a, monkeypatch, django_capture_on_commit_callbacks):
    """The unit is removed between the check and the confirmation: the first chunks were written
    already when the row naming it comes; all of them go."""
    monkeypatch.setattr(importing, "WRITE_CHUNK", 2)
    other = ResponsibleUnit.objects.create(code="GONE", name="撤销的单位")
    text = rows(5).replace(",QA,", ",GONE,", 5).replace(",GONE,", ",QA,", 4)  # only the last row names GONE
    upload(manager_client, text, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == "ready"
    other.delete()
    confirm(manager_client, job, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.rows_written, job.error_count) == ("failed", 0, 1)
    assert "GONE" in job.errors[0]["messages"][0]
    assert not Complaint.objects.exists() and not Customer.objects.exists()


def test_only_importers_see_jobs_and_only_their_own(
        manager_client, agent_client, handler_a_client, admin_client_role, unit_a, django_capture_on_commit_callbacks):
    upload(manager_client, rows(2), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    for client in (agent_client, handler_a_client):
        assert client.get("/imports/jobs/").status_code == 403
        assert client.get(f"/imports/jobs/{job.pk}/").status_code == 403
        assert client.post(f"/imports/jobs/{job.pk}/confirm/").status_code == 403
    # Another importer: the job (its rows' names and phones) is not theirs to see or confirm.
    assert admin_client_role.get(f"/imports/jobs/{job.pk}/").status_code == 404
    assert admin_client_role.post(f"/imports/jobs/{job.pk}/confirm/").status_code == 404
    assert "历史.csv" not in admin_client_role.get("/imports/jobs/").content.decode()
    assert ImportJob.objects.get().status == "ready" and not Complaint.objects.exists()


def test_an_unreadable_large_file_is_refused_at_once(manager_client, django_capture_on_commit_callbacks):
    response = upload(manager_client, "foo,bar\n1,2\n", django_capture_on_commit_callbacks)
    assert response.status_code == 400 and "None of the columns" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_check_that_crashes_says_so_on_the_job_page(
        manager_client, unit_a, monkeypatch, django_capture_on_commit_callbacks):
    def broken(self, chunk):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ComplaintImporter, "check_chunk", broken)
    upload(manager_client, rows(2), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == "error" and job.finished_at is not None
    page = manager_client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert "nothing was imported" in page and 'http-equiv="refresh"' not in page
