"""Beyond one machine (issue 8): nothing assumes a single process.

Two gunicorn servers (two workers each), two Celery workers and two beat schedulers share one
PostgreSQL and one Redis, as a scaled-out deployment does (docs/deployment.md). Through both
servers a desk logs in, works a complaint and logs out; meanwhile both beats send sweeps every two
seconds to both workers over overdue deadlines. A session must be valid on every server and dead
on every server after logout; each escalation must be raised, written to the timeline and
notified once, and each notification mailed once, however many sweeps raced over it.

Run with `make test-integration` (CI does); needs PostgreSQL and Redis."""

import email
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from celery import Celery
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from casework.models import CaseEvent, Notification
from complaints.models import Complaint
from sla.models import Escalation, Milestone

from ..factories import UnitFactory, UserFactory, overdue_milestones

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
SWEEP_SECONDS = 2
PASSWORD = "Scale-out-pw-2026"


# --- the processes ------------------------------------------------------------------------------

class Process:
    """One server process in its own process group (so that no child outlives the test),
    its output in a log file under tmp_path."""

    def __init__(self, name, args, tmp_path, env):
        self.name = name
        self.log = tmp_path / f"{name}.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", *args], cwd=ROOT, env=env, stdout=self.log.open("w"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until(self, ready, what, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready():
                return
            assert self.process.poll() is None, f"{self.name} exited:\n{self.output()}"
            time.sleep(0.1)
        raise AssertionError(f"{self.name} never {what}:\n{self.output()}")

    def stop(self):
        """SIGTERM to the main process alone: gunicorn's master and Celery's worker then stop their
        children themselves, warm (a task in progress finishes). SIGKILL to the group for the rest."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)


class Server(Process):
    def __init__(self, name, tmp_path, env):
        self.port = free_port()
        super().__init__(name, ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi",
                                "-b", f"127.0.0.1:{self.port}", "-w", "2"], tmp_path, env)

    def healthy(self) -> bool:
        try:
            return fetch(self, "GET", "/healthz", {}).status == 200
        except OSError:
            return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def deployment(transactional_db, tmp_path):
    """Everything of a scaled-out deployment but the load balancer, on a queue of its own so that
    other test runs on the same Redis neither take its tasks nor give it theirs. Requesting
    transactional_db first means the processes are stopped before the database is flushed."""
    if connection.vendor != "postgresql":
        pytest.skip("the processes need a database server they can share with the test")
    sender = Celery(broker=REDIS_URL)
    try:
        with sender.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")

    db = connection.settings_dict
    queue = f"closeloop-scale-{uuid.uuid4().hex[:8]}"
    common = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "CACHE_", "EMAIL_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # Production settings, but plain HTTP on the loopback: no TLS redirect, no Secure cookies.
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "scale-out-test-" + uuid.uuid4().hex * 2,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": REDIS_URL,  # and so cache and sessions in the same Redis (config/settings.py)
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # The folders every server and worker must share (docs/deployment.md), none in the checkout.
        "CLOSELOOP_MEDIA_ROOT": str(tmp_path / "shared" / "media"),
        "CLOSELOOP_IMPORT_DIR": str(tmp_path / "shared" / "imports"),
        "SLA_SWEEP_INTERVAL_SECONDS": str(SWEEP_SECONDS),
        # Make the races happen rather than hope for them: each sweep holds its transaction open
        # for a second, so the next one (from either beat) runs into it; the mail server takes
        # 60 ms a message, so mailing the outbox outlasts several sweeps, and as each sweep re-sends
        # what is still unmailed after one second (instead of two minutes), senders pile up.
        "SLA_SWEEP_PAUSE_SECONDS": "1",
        "SLA_REDELIVER_AFTER_SECONDS": "1",
        "EMAIL_BACKEND": "tests.integration.slow_mail.EmailBackend",
        "SLOW_MAIL_SECONDS": "0.06",
    }

    def env(name):  # each process mails into a folder of its own (a worker's pool appends whole messages)
        return {**common, "EMAIL_FILE_PATH": str(tmp_path / "mail" / name)}

    processes = []
    try:
        servers = [Server(name, tmp_path, env(name)) for name in ("web-a", "web-b")]
        processes += servers
        workers = [Process(name, ["celery", "-A", "config", "worker", "-n", f"{name}-{queue}@%h", "-Q", queue,
                                  "--pool=prefork", "--concurrency=2", "--loglevel=INFO",
                                  "--without-mingle", "--without-gossip"], tmp_path, env(name))
                   for name in ("worker-1", "worker-2")]
        processes += workers
        for server in servers:
            server.wait_until(server.healthy, "answered /healthz")
        for worker in workers:
            worker.wait_until(lambda w=worker: "ready." in w.output(), "became ready")

        def start_beats():
            # Each beat keeps its own schedule file: two beats on one file would corrupt it.
            beats = [Process(name, ["celery", "-A", "config", "beat", "--loglevel=INFO",
                                    "-s", str(tmp_path / f"{name}-schedule")], tmp_path, env(name))
                     for name in ("beat-1", "beat-2")]
            processes.extend(beats)
            return beats

        yield {"servers": servers, "workers": workers, "start_beats": start_beats, "mail": tmp_path / "mail"}
    finally:
        for process in processes:
            process.stop()
        with sender.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)
        # pytest shows a test's captured output only when it fails: the logs are there for that.
        for process in processes:
            print(f"===== {process.name} ({process.log}) =====\n{process.output()[-20000:]}")


# --- a browser, reduced to what the test needs --------------------------------------------------

class Page:
    def __init__(self, status, location, text):
        self.status, self.location, self.text = status, location, text

    def field(self, name) -> str:
        found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', self.text)
        assert found, f"no field {name} on the page:\n{self.text[:3000]}"
        return found.group(1)


def fetch(server, method, path, cookies, data=None) -> Page:
    """One request on a fresh connection (so gunicorn's two workers share the requests); sends the
    given cookies, follows no redirect, and updates `cookies` from Set-Cookie as a browser would."""
    http = HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    body = None
    if data is not None:
        body = urlencode(data)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        http.request(method, path, body, headers)
        response = http.getresponse()
        page = Page(response.status, response.getheader("Location"), response.read().decode(errors="replace"))
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    cookies[name] = morsel.value
                else:
                    cookies.pop(name, None)
        return page
    finally:
        http.close()


def log_in(server, username) -> dict:
    cookies = {}
    form = fetch(server, "GET", "/login/", cookies)
    page = fetch(server, "POST", "/login/", cookies, {
        "csrfmiddlewaretoken": form.field("csrfmiddlewaretoken"), "username": username, "password": PASSWORD,
    })
    assert (page.status, page.location) == (302, "/"), page.text[:3000]
    assert "sessionid" in cookies
    return cookies


def logged_in(server, cookies) -> bool:
    page = fetch(server, "GET", "/complaints/", dict(cookies))
    if page.status == 302:
        assert page.location.startswith("/login/"), page.location
        return False
    assert page.status == 200, page.text[:3000]
    return 'action="/logout/"' in page.text


def act(server, cookies, number, action, expect=302, **fields) -> Page:
    """One lifecycle action as the detail page's form posts it, with the version shown on that page."""
    detail = fetch(server, "GET", f"/complaints/{number}/", cookies)
    assert detail.status == 200, detail.text[:3000]
    data = {"csrfmiddlewaretoken": detail.field("csrfmiddlewaretoken"),
            f"{action}-version": detail.field(f"{action}-version")}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    page = fetch(server, "POST", f"/complaints/{number}/{action}/", cookies, data)
    assert page.status == expect, f"{action}: {page.status}\n{page.text[:3000]}"
    return page


LOG_LINE = re.compile(r"^\[(?P<at>[\d-]+ [\d:,]+): INFO/ForkPoolWorker-\d+\] Task (?P<task>[\w.]+)\[[^]]+\] "
                      r"succeeded in (?P<seconds>[\d.e-]+)s: (?P<result>.*)$", re.MULTILINE)


def task_runs(workers, task) -> list[tuple[float, float, str]]:
    """(start, end, result) of each run of the task, from the workers' logs."""
    runs = []
    for worker in workers:
        for line in LOG_LINE.finditer(worker.output()):
            if line["task"] == task:
                end = datetime.strptime(line["at"], "%Y-%m-%d %H:%M:%S,%f").timestamp()  # noqa: DTZ007
                runs.append((end - float(line["seconds"]), end, line["result"]))
    return sorted(runs)


def overlapping(runs) -> int:
    """How many runs started while an earlier one was still going."""
    return sum(1 for i, (start, _, _) in enumerate(runs) if any(start < end for _, end, _ in runs[:i]))


def mailed(folder: Path) -> Counter:
    """(To, notice) of every message the filebased backend wrote, counted; each ends with the
    address of its case (every case of this scene is a complaint)."""
    sent = Counter()
    for path in folder.rglob("*.log"):
        # The backend ends each message with a line of 79 dashes.
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                message = email.message_from_bytes(raw)
                assert message["Subject"], raw[:500]
                body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
                notice, link = body.strip().rsplit("\n\n", 1)
                assert "/complaints/TS" in link and "://" in link, body
                sent[(message["To"], notice)] += 1
    return sent


# --- the scene ----------------------------------------------------------------------------------

def person(username, role, email_address):
    user = UserFactory(username=username, role=role, email=email_address)
    # The servers hash with the production hasher; the test settings' MD5 would not verify there.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user


def overdue_scene(now):
    """30 overdue deadlines whose escalations notify 110 people-messages, 90 of them by e-mail
    (who hears of which level: docs/sla.md; a case past several levels in one sweep is told once, at
    the highest). Returns the unit and the (escalations, notifications, e-mails) expected."""
    desk = person("desk", "agent", "desk@example.com")
    unit = UnitFactory(code="SCALE", name="Scale-out unit")
    handler = person("handler", "handler", "handler@example.com")
    silent = person("silent", "handler", "")  # notified under the bell, never mailed
    unit.members.add(handler, silent)
    unit.lead = person("lead", "handler", "lead@example.com")
    unit.members.add(unit.lead)  # a lead who is not one of the unit's handlers could not open the case
    unit.save()
    person("manager", "manager", "manager@example.com")
    person("manager2", "manager", "manager2@example.com")

    overdue_milestones(10, now=now, owner=desk)  # before dispatch: levels 0 and 1, told at 1 to the desk alone
    overdue_milestones(10, now=now, owner=desk, unit=unit)  # levels 0 and 1, told at 1: the unit's 3 and the desk
    late = overdue_milestones(10, now=now, owner=desk, unit=unit)  # levels 0-2, told at 2: as above + 2 managers
    Milestone.objects.filter(pk__in=[m.pk for m in late]).update(overdue_at=now - timedelta(minutes=1))
    escalations = 10 * 2 + 10 * 2 + 10 * 3
    notifications = 10 * 1 + 10 * 4 + 10 * 6
    emails = 10 * 1 + 10 * 3 + 10 * 5
    return unit, (escalations, notifications, emails)


def settled(check, timeout=60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


# --- the test -----------------------------------------------------------------------------------

def test_two_servers_two_workers_two_beats_share_sessions_and_escalate_once(deployment):
    unit, (escalations, notifications, emails) = overdue_scene(timezone.now())
    a, b = deployment["servers"]
    beats = deployment["start_beats"]()  # sweeping from here on, while people work on the servers

    # A session made on one server is valid on the other: it lives in the shared Redis and database.
    desk = log_in(a, "desk")
    assert logged_in(a, desk) and logged_in(b, desk)

    # One complaint worked alternately on both servers; each sees what the other wrote.
    register = fetch(a, "GET", "/complaints/new/", desk)
    page = fetch(a, "POST", "/complaints/new/", desk, {
        "csrfmiddlewaretoken": register.field("csrfmiddlewaretoken"),
        "customer_name": "张伟", "customer_phone": "13812345678", "customer_tier": "ordinary",
        "kind": "complaint", "channel": "hotline", "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "category": "service_process", "priority": "normal",
        "subject": "维修等待时间过长", "description": "客户在门店等待四小时仍未完成保养。",
    })
    assert page.status == 302, page.text[:3000]
    number = page.location.strip("/").split("/")[-1]
    act(b, desk, number, "contact", note="已致电客户")
    stale = fetch(b, "GET", f"/complaints/{number}/", desk)
    act(a, desk, number, "dispatch", unit=unit.pk, note="请核实")
    # The same form, loaded on B before A's dispatch, is refused there: B sees A's change.
    page = fetch(b, "POST", f"/complaints/{number}/dispatch/", desk, {
        "csrfmiddlewaretoken": stale.field("csrfmiddlewaretoken"),
        "dispatch-version": stale.field("dispatch-version"), "dispatch-unit": unit.pk, "dispatch-note": "",
    })
    assert page.status == 409, page.text[:3000]

    handler = log_in(b, "handler")
    act(a, handler, number, "propose", root_cause="排班不足", solution="增加周末技师", resolution_type="explanation")
    manager = log_in(a, "manager")
    act(b, manager, number, "approve", note="同意")
    complaint = Complaint.objects.get(number=number)
    assert complaint.state == "approved"
    assert list(CaseEvent.objects.filter(case_type__model="complaint", case_id=complaint.pk)
                .exclude(kind=CaseEvent.Kind.ESCALATION).order_by("created_at", "pk")
                .values_list("action", flat=True)) == ["register", "customer_message", "contact", "dispatch", "propose",
                                                       "approve"]  # the customer is told the number at registration

    # Logging out on one server ends the session on every server, for every one of their workers.
    old = dict(desk)
    logout = fetch(b, "GET", "/complaints/", desk)
    page = fetch(b, "POST", "/logout/", desk, {"csrfmiddlewaretoken": logout.field("csrfmiddlewaretoken")})
    assert page.status == 302 and "sessionid" not in desk
    for attempt in range(20):
        assert not logged_in((a, b)[attempt % 2], old), f"the logged-out session still works (request {attempt})"
    assert logged_in(a, handler) and logged_in(b, manager)  # other people's sessions are untouched

    # Both beats send sweeps to both workers until everything is raised, notified and mailed ...
    # (The complaint worked through the servers above told its unit and the managers too: those
    # lifecycle notices are mailed by the same outbox and checked below with the rest.)
    of_escalations = Notification.objects.filter(source__startswith="escalation:")
    emailed = of_escalations.filter(emailed_at__isnull=False)
    assert settled(lambda: Escalation.objects.count() == escalations
                   and not Escalation.objects.filter(notified_at__isnull=True).exists()
                   and emailed.count() == emails), \
        (Escalation.objects.count(), of_escalations.count(), emailed.count())
    # ... and then race on for several more intervals, where a duplicate would show up.
    time.sleep(3 * SWEEP_SECONDS)
    for process in (*beats, *deployment["workers"]):
        process.stop()  # warm: a mail being written is finished, so the files are complete

    for beat in beats:
        assert beat.output().count("Sending due task sla-sweep") >= 3, beat.output()
    for worker in deployment["workers"]:
        assert re.search(r"Task sla\.tasks\.sla_sweep_task\[[^]]+\] succeeded", worker.output()), worker.output()
    sweeps = task_runs(deployment["workers"], "sla.tasks.sla_sweep_task")
    senders = [run for run in task_runs(deployment["workers"], "casework.tasks.send_pending_emails")
               if run[2] != "0"]
    # The races this test is about did happen: sweeps ran into each other, and the outbox was
    # mailed by more than one sender at a time.
    assert overlapping(sweeps) >= 1, sweeps
    assert len(senders) >= 2 and overlapping(senders) >= 1, senders

    # Every escalation once per (milestone, level) — the unique constraint guarantees that much —
    # and, what it does not, one timeline entry each and every one of them notified.
    assert Escalation.objects.count() == escalations
    timeline = CaseEvent.objects.filter(kind=CaseEvent.Kind.ESCALATION)
    assert timeline.count() == escalations
    assert len(set(timeline.values_list("case_id", "action"))) == escalations
    assert not Escalation.objects.filter(notified_at__isnull=True).exists()

    # One notification per recipient and case of a sweep, one e-mail per notification with an address;
    # every e-mailed notification (lifecycle notices included) in the mail exactly once.
    assert of_escalations.count() == notifications and emailed.count() == emails
    expected = Counter(
        (n.recipient.email, n.message)
        for n in Notification.objects.filter(emailed_at__isnull=False).select_related("recipient")
    )
    assert len(expected) == Notification.objects.filter(emailed_at__isnull=False).count()  # no two alike
    assert not Notification.objects.filter(emailed_at__isnull=True, recipient__email__gt="").exists()
    assert mailed(deployment["mail"]) == expected
