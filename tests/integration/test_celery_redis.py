"""A real Celery worker on the Redis at 127.0.0.1:6379 and the PostgreSQL test database:
a sweep sent through the broker raises escalations and the notifications and mails
land; a worker killed in the middle of a sweep loses nothing.

Run with `make test-integration` (CI does); needs PostgreSQL and Redis."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from casework.models import Notification
from sla.models import Escalation

from ..factories import UserFactory, overdue_milestones

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def broker(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a database server it can share with the test")
    queue = f"closeloop-test-{uuid.uuid4().hex[:8]}"
    sender = Celery(broker=REDIS_URL)
    try:
        with sender.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")
    yield sender, queue
    with sender.connection_for_write() as conn:
        conn.default_channel.queue_delete(queue)


class Worker:
    def __init__(self, queue, tmp_path, **env):
        db = connection.settings_dict
        self.log = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"
        self.mail_dir = tmp_path / "mail"
        environment = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_BROKER_URL": REDIS_URL,
            "CELERY_QUEUE": queue,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **env,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-mingle", "--without-gossip", "-Q", queue],
            cwd=ROOT, env=environment, stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.wait_for_log("ready.")

    def wait_for_log(self, text, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log.read_text():
                return
            assert self.process.poll() is None, self.log.read_text()
            time.sleep(0.2)
        raise AssertionError(f"worker never logged {text!r}:\n{self.log.read_text()}")

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def wait_until(check, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


def scene(count=5):
    owner = UserFactory(username="owner", role="agent", email="owner@example.com")
    return overdue_milestones(count, now=timezone.now(), owner=owner)


def test_a_sweep_sent_through_redis_escalates_and_notifies(broker, tmp_path):
    sender, queue = broker
    scene(5)
    worker = Worker(queue, tmp_path)
    try:
        sender.send_task("sla.tasks.sla_sweep_task", queue=queue)
        assert wait_until(lambda: Escalation.objects.filter(level=1).count() == 5), worker.log.read_text()
        # Levels 0 and 1 crossed in the one sweep: one notice for each of the 5 cases, at level 1.
        assert wait_until(lambda: Notification.objects.filter(emailed_at__isnull=False).count() == 5), \
            worker.log.read_text()
        assert Escalation.objects.filter(notified_at__isnull=True).count() == 0
        assert len(list(worker.mail_dir.iterdir())) >= 1
    finally:
        worker.stop()


def test_a_worker_killed_mid_sweep_loses_nothing(broker, tmp_path):
    sender, queue = broker
    scene(5)
    slow = Worker(queue, tmp_path, SLA_SWEEP_PAUSE_SECONDS="30")
    sender.send_task("sla.tasks.sla_sweep_task", queue=queue)
    slow.wait_for_log("sla.tasks.sla_sweep_task")
    time.sleep(1.5)  # inside the sweep's transaction, escalations inserted but not committed
    slow.kill()
    assert Escalation.objects.count() == 0  # the dead sweep's work rolled back with its transaction

    worker = Worker(queue, tmp_path)
    try:
        sender.send_task("sla.tasks.sla_sweep_task", queue=queue)
        assert wait_until(lambda: Escalation.objects.filter(level=1).count() == 5), worker.log.read_text()
        assert wait_until(lambda: Notification.objects.count() == 5), worker.log.read_text()
        time.sleep(1)
        assert Escalation.objects.filter(level=1).count() == 5
        assert Notification.objects.count() == 5
    finally:
        worker.stop()
