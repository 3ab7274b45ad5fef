"""Named role users and their logged-in clients, shared by every test module."""

import pytest
from django.test import Client

from .factories import UnitFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_UPLOAD_DIR = tmp_path / "imports"
    settings.LANGUAGE_CODE = "en"
    # The portal's CAPTCHA accepts "passed" (a wrong answer still fails). django-simple-captcha reads
    # its settings once, at import, so the switch is set on its own settings module.
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    # One test process: a memory cache is shared by everything in it and needs no database for
    # tests without one. The shared cache of real deployments is tested in tests/test_settings.py
    # and across processes in tests/integration/.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    from sla.selectors import calendar_warning_forget

    cache.clear()
    calendar_warning_forget()  # and what this process keeps of the calendar banner


@pytest.fixture(autouse=True)
def _next_deadlines_agree_with_clocks(request):
    """After every test that used the database: each complaint's and proposal's `next_due_at` (the
    queue's deadline order) is the nearest due time of its running clocks, whatever the test did —
    so a code path that moves a clock without keeping the column fails here."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db or request.node.get_closest_marker("clocks_corrupted"):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up before this fixture: torn down after its check
    yield
    from tests.factories import next_deadlines_disagreeing

    assert next_deadlines_disagreeing() == {}


@pytest.fixture
def unit_a(db):
    return UnitFactory(code="QA", name="质量部")


@pytest.fixture
def unit_b(db):
    return UnitFactory(code="DB", name="北京4S店", kind="provider")


@pytest.fixture
def agent(db):
    return UserFactory(username="agent", role="agent")


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", role="manager")


@pytest.fixture
def handler_a(db, unit_a):
    user = UserFactory(username="handler_a", role="handler")
    unit_a.members.add(user)
    return user


@pytest.fixture
def handler_b(db, unit_b):
    user = UserFactory(username="handler_b", role="handler")
    unit_b.members.add(user)
    return user


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="admin", role="admin")
    user.is_staff = True
    user.save()
    return user


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agent_client(agent):
    return _client_for(agent)


@pytest.fixture
def manager_client(manager):
    return _client_for(manager)


@pytest.fixture
def handler_a_client(handler_a):
    return _client_for(handler_a)


@pytest.fixture
def handler_b_client(handler_b):
    return _client_for(handler_b)


@pytest.fixture
def admin_client_role(admin_user):
    return _client_for(admin_user)


def pytest_collection_modifyitems(config, items):
    """Row-lock races need a real server: the `postgres` tests run in CI's PostgreSQL pass."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL, see `make test-pg`)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _celery_runs_tasks_in_process():
    """Tasks run at once in the test process; the Redis integration tests start a real worker."""
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield


@pytest.fixture
def database_down(monkeypatch):
    """`with database_down():` every query fails as it does when PostgreSQL is unreachable; the
    database is back for the test's own checks and teardown after the block."""
    from contextlib import contextmanager

    from django.db.backends.utils import CursorWrapper
    from django.db.utils import OperationalError

    def refused(*args, **kwargs):
        raise OperationalError("could not connect to server at 127.0.0.1: Connection refused")

    @contextmanager
    def down():
        with monkeypatch.context() as patch:
            patch.setattr(CursorWrapper, "execute", refused)
            yield

    return down
