"""Closeloop's benchmark suite (issue 5): one command, bounded, loopback only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/closeloop_bench .venv/bin/python bench/run.py

Generates data if the database has fewer complaints than --complaints (or proposals than
--proposals), then measures:
  1. the staff queue and complaint detail pages under load (gunicorn, 2 workers; wrk on 127.0.0.1);
  2. the monthly closed-loop report against one hand-written SQL aggregate over the same rows;
  3. one SLA sweep raising 10,000 newly overdue milestones among the rest;
  4. registering one complaint with its milestones and timeline (server time);
  5. importing 100,000 CSV rows (time and peak memory, in a child process);
  6. the proposal list and detail pages under load, and the half-year proposal KPIs;
  7. the satisfaction index by unit and by tier over 200,000 answered surveys (generated with
     `generate_cases --surveys` when fewer are answered), the quarterly satisfaction report and
     the half-year analysis.
Writes bench/out/results.json and prints a Markdown table. Every database change the
measurements make is rolled back, so runs repeat on the same data.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
# The gunicorn workers must read the sessions this process signs.
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789abcdef-not-for-production")
# Production settings over plain HTTP on loopback: no redirect to HTTPS, cookies sent over HTTP.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from complaints.models import Complaint  # noqa: E402

# BENCH_PORT: two benchmarks side by side (a branch against main) each need their own.
PORT = int(os.environ.get("BENCH_PORT", "8765"))


class Rollback(Exception):
    pass


def median_ms(samples):
    return round(statistics.median(samples) * 1000, 2)


def timed(fn, repeat):
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def bench_user():
    user, _ = get_user_model().objects.get_or_create(username="bench_manager", defaults={"first_name": "压测经理"})
    user.groups.add(Group.objects.get(name="manager"))
    return user


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; django_language=zh-hans"


def queries_for(user, path) -> int:
    from django.test import Client

    client = Client()
    client.force_login(user)
    client.get(path)  # warm caches, as a running server has them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def load_test(cookie, paths, seconds, concurrency):
    env = {**os.environ, "DJANGO_DEBUG": "false", "CELERY_TASK_ALWAYS_EAGER": "false"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2",
         "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                subprocess.run(["curl", "-sf", "-o", "/dev/null", f"http://127.0.0.1:{PORT}/healthz"], check=True)
                break
            except subprocess.CalledProcessError:
                time.sleep(0.2)
        results = {}
        for name, path_list in paths.items():
            # A load test of the login redirect would measure nothing: check the page really renders.
            check = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", f"Cookie: {cookie}",
                                    f"http://127.0.0.1:{PORT}{path_list[0]}"], capture_output=True, text=True)
            if check.stdout != "200":
                raise RuntimeError(f"{path_list[0]} answered {check.stdout}, not 200: is the session valid?")
            with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
                handle.write("\n".join(path_list))
            wrk_env = {**os.environ, "PATHS_FILE": handle.name, "BENCH_COOKIE": cookie}
            # Warm-up, then the measured run.
            subprocess.run(["wrk", "-t2", f"-c{concurrency}", "-d3s", "-s", str(ROOT / "bench/wrk_report.lua"),
                            f"http://127.0.0.1:{PORT}/"], env=wrk_env, capture_output=True, check=True)
            run = subprocess.run(["wrk", "-t2", f"-c{concurrency}", f"-d{seconds}s", "-s",
                                  str(ROOT / "bench/wrk_report.lua"), f"http://127.0.0.1:{PORT}/"],
                                 env=wrk_env, capture_output=True, text=True, check=True)
            results[name] = json.loads(run.stdout.strip().splitlines()[-1])
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def vacuum():
    """The state autovacuum keeps a live database in: earlier parts roll back their writes, and the
    dead rows and cleared visibility bits they leave would otherwise steer the planner off the
    index-only scans (the queue's p95 doubled after a sweep and an import had run)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def bench_pages(user, seconds, concurrency):
    vacuum()
    numbers = list(Complaint.objects.order_by("?").values_list("number", flat=True)[:500])
    queue_paths = ["/complaints/", "/complaints/?page=2", "/complaints/?state=assigned", "/complaints/?category=price",
                   "/complaints/?state=closed&page=40"]
    detail_paths = [f"/complaints/{n}/" for n in numbers]
    # What the desk types into the search box (issue 13): a phone in another written form, a name, a
    # whole case number, a word of the subject across states; and the one order that reads a
    # deadline for every case of every state, measured apart because it is the slow one.
    picked = list(Complaint.objects.order_by("?").select_related("customer")[:100])
    search_paths = [p for c in picked for p in (
        f"/complaints/?q=%2B86%20{c.customer.phone}", f"/complaints/?q={quote(c.customer.name)}",
        f"/complaints/?q={c.number}&state=", f"/complaints/?q={quote(c.subject[:2])}")]
    all_by_deadline = ["/complaints/?state=&sort=deadline", "/complaints/?state=&sort=deadline&page=2"]
    figures = load_test(session_cookie(user), {"queue": queue_paths, "detail": detail_paths, "search": search_paths,
                                               "all_by_deadline": all_by_deadline}, seconds, concurrency)
    figures["queue"]["queries"] = max(queries_for(user, p) for p in queue_paths)
    figures["detail"]["queries"] = max(queries_for(user, p) for p in detail_paths[:20])
    figures["search"]["queries"] = max(queries_for(user, p) for p in search_paths[:20])
    figures["all_by_deadline"]["queries"] = max(queries_for(user, p) for p in all_by_deadline)
    return figures


# The monthly KPIs of reports/monthly.py (issue 10's definitions: counted against the first unit,
# everything after receipt only by the month's end, the final reached callback, the first round's
# clocks), written by hand as one aggregate: what the report's own query is compared with.
FLOOR_SQL = """
SELECT c.counted_unit_id,
       COUNT(*),
       COUNT(*) FILTER (WHERE c.closure_type = 'unreachable' AND c.closed_at < %(end)s),
       COUNT(*) FILTER (WHERE c.first_contacted_at <= c.received_at + interval '24 hours'
                        AND c.first_contacted_at < %(end)s),
       COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM sla_milestone m WHERE m.case_type_id = %(ct)s
                        AND m.case_id = c.id AND m.round = 0 AND m.kind = 'unit_solution' AND m.status = 'met'
                        AND m.met_at < %(end)s)),
       COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM satisfaction_callback b WHERE b.complaint_id = c.id
                        AND b.false_reply AND b.called_at < %(end)s)),
       COUNT(*) FILTER (WHERE final.outcome IS NOT NULL),
       COUNT(*) FILTER (WHERE final.outcome IS NOT NULL AND c.closure_type = 'satisfied' AND c.closed_at < %(end)s
                        AND c.reopen_count = 0
                        AND c.closed_at <= (SELECT m.due_at FROM sla_milestone m WHERE m.case_type_id = %(ct)s
                            AND m.case_id = c.id AND m.round = 0 AND m.kind = 'resolution' LIMIT 1)),
       COUNT(*) FILTER (WHERE c.closed_at < %(end)s AND c.closure_type <> 'unreachable'),
       COUNT(*) FILTER (WHERE final.outcome IN ('very_satisfied', 'satisfied') AND NOT final.false_reply
                        AND NOT (c.closure_type = 'unreachable' AND c.closed_at < %(end)s)),
       COUNT(*) FILTER (WHERE c.category IN ('product_quality', 'technical', 'service_process')),
       COUNT(*) FILTER (WHERE c.channel = 'online_forum'),
       COUNT(*) FILTER (WHERE c.channel = 'online_forum' AND c.closed_at < %(end)s)
  FROM complaints_complaint c
  LEFT JOIN LATERAL (SELECT b.outcome, b.false_reply FROM satisfaction_callback b
                      WHERE b.complaint_id = c.id AND b.called_at < %(end)s AND b.outcome <> 'unreachable'
                      ORDER BY b.called_at DESC, b.id DESC LIMIT 1) final ON true
 WHERE c.kind = 'complaint' AND c.received_at >= %(start)s AND c.received_at < %(end)s
 GROUP BY c.counted_unit_id
"""


# The two smaller aggregates of the same report: forum complaints carried over, and repair requests.
FLOOR_CARRIED_SQL = """
SELECT c.counted_unit_id, COUNT(*), COUNT(*) FILTER (WHERE c.closed_at < %(end)s)
  FROM complaints_complaint c
 WHERE c.kind = 'complaint' AND c.channel = 'online_forum' AND c.received_at < %(start)s
   AND (c.closed_at IS NULL OR c.closed_at >= %(start)s)
 GROUP BY c.counted_unit_id
"""
FLOOR_REPAIRS_SQL = """
SELECT c.counted_unit_id, COUNT(*),
       COUNT(*) FILTER (WHERE c.first_contacted_at <= c.received_at + interval '24 hours'
                        AND c.first_contacted_at < %(end)s),
       COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM sla_milestone m WHERE m.case_type_id = %(ct)s
                        AND m.case_id = c.id AND m.round = 0 AND m.kind = 'resolution' AND m.status = 'met'
                        AND m.met_at < %(end)s)),
       COUNT(*) FILTER (WHERE c.closure_type = 'unreachable' AND c.closed_at < %(end)s),
       COUNT(*) FILTER (WHERE c.closed_at < %(end)s AND c.closure_type <> 'unreachable')
  FROM complaints_complaint c
 WHERE c.kind = 'repair_request' AND c.received_at >= %(start)s AND c.received_at < %(end)s
 GROUP BY c.counted_unit_id
"""


def bench_report(repeat=5):
    from django.contrib.contenttypes.models import ContentType

    from reports.monthly import monthly_report
    from reports.periods import Month

    month = Month.current().shift(-1)
    ct = ContentType.objects.get_for_model(Complaint).pk

    def floor():
        with connection.cursor() as cursor:
            for sql in (FLOOR_SQL, FLOOR_CARRIED_SQL, FLOOR_REPAIRS_SQL):
                cursor.execute(sql, {"ct": ct, "start": month.start, "end": month.end})
                cursor.fetchall()

    def kpis():
        monthly_report(month=month, with_lists=False)

    monthly_report(month=month)
    floor()
    report_s, floor_s = timed(kpis, repeat), timed(floor, repeat)
    with CaptureQueriesContext(connection) as queries:
        full = monthly_report(month=month)
    full_s = timed(lambda: monthly_report(month=month), repeat)
    return {"month": str(month), "complaints_in_month": full.total.n, "kpis_ms": median_ms(report_s),
            "floor_ms": median_ms(floor_s),
            "ratio": round(statistics.median(report_s) / statistics.median(floor_s), 2),
            "full_report_ms": median_ms(full_s), "full_report_queries": len(queries)}


def bench_proposals(user, seconds, concurrency, repeat=5):
    from proposals.models import Proposal
    from reports.periods import HalfYear
    from reports.proposal_kpis import proposal_kpis

    vacuum()
    numbers = list(Proposal.objects.order_by("?").values_list("number", flat=True)[:500])
    list_paths = ["/proposals/", "/proposals/?page=2", "/proposals/?state=under_review",
                  "/proposals/?category=after_sales", "/proposals/?state=closed&page=40"]
    figures = load_test(session_cookie(user), {"proposal_list": list_paths,
                                               "proposal_detail": [f"/proposals/{n}/" for n in numbers]},
                        seconds, concurrency)
    figures["proposal_list"]["queries"] = max(queries_for(user, p) for p in list_paths)
    figures["proposal_detail"]["queries"] = max(queries_for(user, f"/proposals/{n}/") for n in numbers[:20])
    half = HalfYear.of(timezone.localdate() - timedelta(days=183))  # the last complete half-year
    with CaptureQueriesContext(connection) as queries:
        kpis = proposal_kpis(period=half)
    samples = timed(lambda: proposal_kpis(period=half), repeat)
    figures["kpis"] = {"half_year": str(half), "proposals_in_half_year": kpis.total, "median_ms": median_ms(samples),
                       "queries": len(queries)}
    return figures


def bench_satisfaction(repeat=5):
    from reports.periods import HalfYear, Quarter
    from reports.satisfaction import half_year_analysis, satisfaction_index, satisfaction_report
    from satisfaction.models import Survey, SurveyAnswer

    vacuum()
    now = timezone.now()
    start = now - timedelta(days=366)
    figures = {"surveys": Survey.objects.count(), "answered_surveys": Survey.objects.filter(state="answered").count(),
               "answers": SurveyAnswer.objects.count(),
               "score_answers": SurveyAnswer.objects.filter(score__isnull=False).count()}
    for by in ("unit", "tier", "month"):
        with CaptureQueriesContext(connection) as queries:
            rows = satisfaction_index(start=start, end=now, by=by)
        samples = timed(lambda by=by: satisfaction_index(start=start, end=now, by=by), repeat)
        figures[f"index_by_{by}"] = {"median_ms": median_ms(samples), "queries": len(queries), "rows": len(rows),
                                     "answers": sum(r.answers for r in rows)}
    quarter = Quarter.of(timezone.localdate() - timedelta(days=92))  # the last complete quarter
    with CaptureQueriesContext(connection) as queries:
        report = satisfaction_report(period=quarter)
    samples = timed(lambda: satisfaction_report(period=quarter), repeat)
    figures["quarterly_report"] = {"quarter": str(quarter), "answered_surveys": report.total.surveys,
                                   "median_ms": median_ms(samples), "queries": len(queries)}
    half = HalfYear.of(timezone.localdate() - timedelta(days=183))
    with CaptureQueriesContext(connection) as queries:
        analysis = half_year_analysis(half=half)
    samples = timed(lambda: half_year_analysis(half=half), repeat)
    figures["half_year_analysis"] = {"half_year": str(half), "answered_surveys": analysis.current.total.surveys,
                                     "median_ms": median_ms(samples), "queries": len(queries)}
    return figures


def bench_sweep(count=10_000):
    from datetime import timedelta

    from sla.models import Milestone
    from sla.sweep import sla_sweep

    now = timezone.now()
    try:
        with transaction.atomic():
            pending = list(Milestone.objects.filter(status__in=["pending", "met", "cancelled"])
                           .exclude(kind="long_open").order_by("?").values_list("pk", flat=True)[:count])
            Milestone.objects.filter(pk__in=pending).update(
                status="pending", met_at=None, escalated_level=0, warn_at=now - timedelta(hours=2),
                due_at=now - timedelta(minutes=1), overdue_at=now + timedelta(days=1))
            total = Milestone.objects.count()
            open_now = Milestone.objects.filter(status__in=["pending", "breached"]).count()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE sla_milestone")
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = sla_sweep(now=now)
                seconds = time.perf_counter() - started
            raise Rollback({"milestones": total, "open": open_now, "made_overdue": len(pending),
                            "escalations": result.total, "seconds": round(seconds, 3), "queries": len(queries)})
    except Rollback as done:
        return done.args[0]


def bench_intake(user, repeat=200):
    from casework.models import Customer
    from complaints import services

    customer = Customer.objects.order_by("pk").first()
    agent = user
    agent.groups.add(Group.objects.get(name="agent"))
    samples = []
    try:
        with transaction.atomic():
            for i in range(repeat):
                started = time.perf_counter()
                with transaction.atomic():
                    services.complaint_register(
                        actor=agent, customer=customer, channel="hotline", received_at=timezone.now(),
                        category="price", subject=f"压测登记{i}", description="压测", priority="normal")
                samples.append(time.perf_counter() - started)
            raise Rollback
    except Rollback:
        pass
    samples.sort()
    return {"registrations": repeat, "median_ms": median_ms(samples),
            "p95_ms": round(samples[int(len(samples) * 0.95)] * 1000, 2)}


# Memory from /proc: the child's VmHWM starts at exec, whereas ru_maxrss inherits the parent's
# peak through fork (after generating a million cases, 235 MB, which hid the child's own).
IMPORT_CHILD = """
import os, sys, time
def vm(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django; django.setup()
from django.db import transaction
from django.contrib.auth import get_user_model
from complaints.importing import ComplaintImporter
raw = open({path!r}, "rb").read()
user = get_user_model().objects.get(username="bench_manager")
open("/proc/self/clear_refs", "w").write("5")  # the peak counts from here
before = vm("VmRSS")
started = time.perf_counter()
class Rollback(Exception): pass
try:
    with transaction.atomic():
        preview, written = ComplaintImporter().run(raw, "import.csv", actor=user)
        assert preview.ok, preview.errors[:3]
        elapsed = time.perf_counter() - started
        raise Rollback
except Rollback:
    pass
peak = vm("VmHWM")
print(written, round(elapsed, 2), round(before / 1024), round(peak / 1024))
"""


def bench_import(rows=100_000):
    channels, categories = ["400热线", "微信", "电话", "网站"], ["产品质量", "服务态度", "价格", "备件"]
    with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as handle:
        lines = ["受理时间,客户姓名,联系电话,渠道,类别,主题,投诉内容,优先级"]
        lines += [f"2026-10-{1 + i % 28:02d} {8 + i % 10:02d}:{i % 60:02d},客户{i % 5000},139{i % 100000:08d},"
                  f"{channels[i % 4]},{categories[i % 4]},导入主题{i},导入的投诉内容{i},普通" for i in range(rows)]
        handle.write(("\n".join(lines) + "\n").encode("gbk"))
    child = subprocess.run([sys.executable, "-c", IMPORT_CHILD.format(root=str(ROOT), path=handle.name)],
                           capture_output=True, text=True,
                           # DEBUG off as in production: with it on, Django keeps every query's SQL in memory.
                           env={**os.environ, "CELERY_TASK_ALWAYS_EAGER": "true", "DJANGO_DEBUG": "false"})
    if child.returncode:
        raise RuntimeError(child.stderr[-3000:])
    written, seconds, rss_before, rss_peak = child.stdout.split()[-4:]
    return {"rows": int(written), "seconds": float(seconds), "rss_before_mb": int(rss_before),
            "peak_rss_mb": int(rss_peak), "file_mb": round(Path(handle.name).stat().st_size / 2**20, 1)}


def save(results):
    """Written after each measurement, so a long run that stops early keeps what it measured."""
    (OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--answered-surveys", type=int, default=200_000,
                        help="answered surveys the satisfaction figures are measured over")
    parser.add_argument("--seconds", type=int, default=20, help="length of each load test")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--only", nargs="*", choices=["pages", "report", "sweep", "intake", "import",
                                                              "proposals", "satisfaction"])
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/run.py measures PostgreSQL: set DATABASE_URL (see docs/performance.md)")

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    previous = OUT / "results.json"
    # A partial run (--only) updates the figures it measures and keeps the others.
    results = json.loads(previous.read_text()) if args.only and previous.exists() else {}
    results["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "postgres": connection.cursor().connection.server_version}
    have = Complaint.objects.count()
    if have < args.complaints:
        started = time.perf_counter()
        call_command("generate_cases", complaints=args.complaints - have, months=12, seed=1)
        results["generate_seconds"] = round(time.perf_counter() - started, 1)
    results["complaints"] = Complaint.objects.count()
    from proposals.models import Proposal

    have = Proposal.objects.count()
    if have < args.proposals:
        started = time.perf_counter()
        call_command("generate_cases", proposals=args.proposals - have, months=12, seed=1)
        results["generate_proposals_seconds"] = round(time.perf_counter() - started, 1)
    results["proposals"] = Proposal.objects.count()
    user = bench_user()
    wanted = set(args.only or ["pages", "report", "sweep", "intake", "import", "proposals", "satisfaction"])
    if "satisfaction" in wanted:
        from satisfaction.models import Survey

        have = Survey.objects.filter(state="answered").count()
        if have < args.answered_surveys:
            # About 80 % of the generated surveys end answered; a few more so the target is passed.
            started = time.perf_counter()
            call_command("generate_cases", surveys=int((args.answered_surveys - have) / 0.78) + 1, months=12,
                         seed=1)
            results["generate_surveys_seconds"] = round(time.perf_counter() - started, 1)
    OUT.mkdir(exist_ok=True)
    if "pages" in wanted:
        results["pages"] = bench_pages(user, args.seconds, args.concurrency)
        save(results)
    if "report" in wanted:
        results["report"] = bench_report()
        save(results)
    if "sweep" in wanted:
        results["sweep"] = bench_sweep()
        save(results)
    if "intake" in wanted:
        results["intake"] = bench_intake(user)
        save(results)
    if "import" in wanted:
        # Two sizes: if memory is flat, the peak hardly moves between them.
        results["import_20k"] = bench_import(20_000)
        results["import"] = bench_import()
        save(results)
    if "proposals" in wanted:
        results["proposal_pages"] = bench_proposals(user, args.seconds, args.concurrency)
        save(results)
    if "satisfaction" in wanted:
        results["satisfaction"] = bench_satisfaction()
        save(results)
    save(results)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
