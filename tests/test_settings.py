"""Settings as a deployment gets them from its environment (issue 8): a production start needs a
secret key, passes `check --deploy`, and every process shares one cache and one session store."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "t0Jq8-vN3#pL2@zR7^wK9&yB4*mX6!cF1$hD5%gS0+aE-uI8~oP3=eT6",
              "DJANGO_ALLOWED_HOSTS": "closeloop.example.com"}


def run_settings(code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DJANGO_", "CELERY_", "CACHE_", "DATABASE_"))}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env})


READ = ("import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.DEBUG]))")


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings(READ, DJANGO_DEBUG="false")
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_without_services_the_cache_and_sessions_are_in_the_database():
    result = run_settings(READ, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    backend, sessions, debug = json.loads(result.stdout.splitlines()[-1])
    assert backend == "django.core.cache.backends.db.DatabaseCache"
    assert sessions == "django.contrib.sessions.backends.db" and debug is False


def test_an_unknown_way_to_send_the_survey_after_a_closed_complaint_refuses_to_start():
    result = run_settings(READ, SURVEY_AFTER_CLOSED_COMPLAINT_METHOD="fax", **PRODUCTION)
    assert result.returncode != 0 and "SURVEY_AFTER_CLOSED_COMPLAINT_METHOD" in result.stderr


def test_with_redis_the_cache_and_sessions_are_in_redis():
    result = run_settings(READ, CELERY_BROKER_URL="redis://127.0.0.1:6379/3", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    backend, sessions, _ = json.loads(result.stdout.splitlines()[-1])
    assert backend == "django.core.cache.backends.redis.RedisCache"
    assert sessions == "django.contrib.sessions.backends.cached_db"


def test_debug_is_off_unless_asked_for():
    result = run_settings(READ, DJANGO_SECRET_KEY="k" * 50)
    assert json.loads(result.stdout.splitlines()[-1])[2] is False


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}, **env})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "issues" not in result.stdout.replace("no issues", "")


def test_the_import_folder_can_be_shared_by_several_machines(tmp_path):
    read = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.IMPORT_UPLOAD_DIR, s.MEDIA_ROOT)")
    result = run_settings(read, CLOSELOOP_IMPORT_DIR=str(tmp_path / "imports"),
                          CLOSELOOP_MEDIA_ROOT=str(tmp_path / "media"), **PRODUCTION)
    assert result.stdout.split() == [str(tmp_path / "imports"), str(tmp_path / "media")], result.stderr


def test_the_mail_server_comes_from_the_environment():
    read = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS, s.EMAIL_TIMEOUT)")
    result = run_settings(read, EMAIL_HOST="smtp.example.com", EMAIL_PORT="587", EMAIL_HOST_USER="closeloop",
                          EMAIL_USE_TLS="true", **PRODUCTION)
    assert result.stdout.split() == ["smtp.example.com", "587", "closeloop", "True", "30"], result.stderr


SWEEP = ("import django; django.setup(); from django.conf import settings as s; "
         "print(s.CELERY_BEAT_SCHEDULE['sla-sweep']['schedule'])")


def test_the_sweep_runs_every_minute_unless_told_otherwise():
    assert run_settings(SWEEP, **PRODUCTION).stdout.split() == ["60.0"]
    # The scale-out test (tests/integration/test_scale_out.py) races many sweeps in a few seconds.
    assert run_settings(SWEEP, SLA_SWEEP_INTERVAL_SECONDS="2", **PRODUCTION).stdout.split() == ["2.0"]


@pytest.mark.parametrize("password", ["12345678", "password", "iloveyou", "agent2026"])
def test_weak_passwords_are_refused(password, db):
    from .factories import UserFactory

    with pytest.raises(ValidationError):
        validate_password(password, user=UserFactory.build(username="agent2026"))


def test_a_command_on_a_laptop_needs_no_environment():
    """manage.py with neither a key nor DJANGO_DEBUG runs as development (a newcomer's commands)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "CACHE_", "DATABASE_"))}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env=clean)
    assert result.returncode == 0, result.stderr


def test_a_web_server_without_a_secret_key_refuses_to_start():
    result = run_settings("import config.wsgi")
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
