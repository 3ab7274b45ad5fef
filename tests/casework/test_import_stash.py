"""The import file between preview and confirmation: its uploader's only, owner-readable,
removed when replaced or expired, and only the file last previewed is imported (issue 8)."""

import os
import stat
import time

from django.core.files.uploadedfile import SimpleUploadedFile

from casework.import_stash import import_stash_write, import_stashes_remove_expired
from casework.import_views import SESSION_KEY
from casework.models import Customer

HEADER = "姓名,电话\n"


def preview(client, rows: str, name="客户.csv"):
    return client.post("/imports/", {"kind": "customers",
                                     "file": SimpleUploadedFile(name, (HEADER + rows).encode("gbk"))})


def confirm(client, token):
    return client.post("/imports/confirm/", {"token": token}, follow=True)


def stashed_files(settings):
    return sorted(settings.IMPORT_UPLOAD_DIR.iterdir()) if settings.IMPORT_UPLOAD_DIR.exists() else []


def test_the_file_is_readable_by_its_owner_only_under_a_random_name(manager_client, settings):
    token = preview(manager_client, "王芳,13700001111\n").context["import_token"]
    [path] = stashed_files(settings)
    assert path.name == token and len(token) == 32 and "客户" not in path.name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.IMPORT_UPLOAD_DIR.stat().st_mode) == 0o700


def test_another_user_cannot_confirm_someone_elses_file(manager_client, admin_client_role, settings):
    token = preview(manager_client, "王芳,13700001111\n").context["import_token"]
    response = confirm(admin_client_role, token)
    assert "Nothing to import" in response.content.decode()
    assert not Customer.objects.exists()
    assert len(stashed_files(settings)) == 1  # the uploader's file is untouched
    confirm(manager_client, token)
    assert Customer.objects.get().phone == "13700001111"
    assert stashed_files(settings) == []


def test_only_the_file_previewed_last_is_imported(manager_client, settings):
    first = preview(manager_client, "王芳,13700001111\n").context["import_token"]
    second = preview(manager_client, "李强,13700002222\n").context["import_token"]
    assert [p.name for p in stashed_files(settings)] == [second]  # the newer upload replaced the file
    # The first preview's button, left open in another tab: refused, nothing imported.
    response = confirm(manager_client, first)
    assert "not of the file you uploaded last" in response.content.decode()
    assert not Customer.objects.exists()
    confirm(manager_client, second)
    assert list(Customer.objects.values_list("phone", flat=True)) == ["13700002222"]


def test_an_upload_with_errors_drops_the_earlier_preview(manager_client, settings):
    token = preview(manager_client, "王芳,13700001111\n").context["import_token"]
    assert preview(manager_client, "李强,123\n").status_code == 400
    assert stashed_files(settings) == []
    assert "Nothing to import" in confirm(manager_client, token).content.decode()
    assert not Customer.objects.exists()


def test_an_expired_preview_is_refused_and_its_file_removed(manager_client, settings):
    token = preview(manager_client, "王芳,13700001111\n").context["import_token"]
    session = manager_client.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "created": time.time() - settings.IMPORT_STASH_MAX_AGE_SECONDS - 1}
    session.save()
    response = confirm(manager_client, token)
    assert "The preview has expired" in response.content.decode()
    assert not Customer.objects.exists()
    assert stashed_files(settings) == []


def test_the_sweep_removes_unconfirmed_files_past_the_expiry(settings):
    settings.IMPORT_STASH_MAX_AGE_SECONDS = 3600
    old, fresh = import_stash_write(raw=b"old"), import_stash_write(raw=b"fresh")
    two_hours_ago = time.time() - 7200
    os.utime(settings.IMPORT_UPLOAD_DIR / old, (two_hours_ago, two_hours_ago))
    from casework.tasks import remove_expired_import_files

    assert remove_expired_import_files.delay().get() == 1
    assert [p.name for p in stashed_files(settings)] == [fresh]
    assert import_stashes_remove_expired(now=time.time() + 3601) == 1


def test_the_sweep_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["import-files-sweep"]
    assert entry["task"] == "casework.tasks.remove_expired_import_files"
    assert entry["schedule"] <= settings.IMPORT_STASH_MAX_AGE_SECONDS
