"""Importing closed history (issue 13): the time a background import job takes to check and then
to write a file of closed complaints with every history column, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/closeloop_bench DJANGO_DEBUG=false \\
        .venv/bin/python bench/import_history.py --rows 10000
    ... bench/import_history.py --rows 100000 --text 380     # about 50 MB of GBK

It runs the two steps of casework/import_jobs.py — the check (Importer.preview) and the write
(Importer.run, which checks each chunk again as it writes) — in one transaction that is rolled
back, so runs repeat on the same database. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from casework.models import ResponsibleUnit  # noqa: E402
from complaints.importing import ComplaintImporter  # noqa: E402
from reports.periods import Month  # noqa: E402
from tests.factories import UserFactory  # noqa: E402

HEADER = ("受理时间,客户姓名,联系电话,渠道,类别,主题,投诉内容,状态,责任单位,首次联系时间,派单时间,单位答复时间,"
          "处理完成时间,回访结果,回访时间,关闭类型,关闭时间\n")


def t(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def history_file(rows: int, text: int, seed: int = 13) -> bytes:
    """Closed complaints over the twelve months before last, as tests/complaints/test_import_history.py makes them."""
    rng = random.Random(seed)
    first = Month.current().shift(-13)
    months = [first.shift(i) for i in range(12)]
    description = ("客户反映车辆维修后仍有异响，多次返厂未解决，要求给出书面处理方案。" * 20)[:text]
    lines = [HEADER]
    for n in range(rows):
        received = rng.choice(months).start + timedelta(days=rng.randrange(27), hours=rng.randrange(8, 18))
        closure = rng.choices(["satisfied", "unreachable", "forced", "invalid"], [80, 8, 6, 6])[0]
        unit = "" if closure == "invalid" else rng.choice(["BQA", "BDB"])
        contacted = received + timedelta(hours=rng.choice([2, 30]))
        closed = received + timedelta(hours=40) if rng.random() < 0.7 else received + timedelta(days=31)
        dispatched = contacted + timedelta(hours=1) if unit else None
        replied = dispatched + timedelta(hours=2) if dispatched else None
        resolved = replied + timedelta(hours=1) if replied else None
        outcome = "satisfied" if closure == "satisfied" else "unreachable" if closure == "unreachable" else ""
        lines.append(",".join([t(received), f"客户{n}", f"139{n:08d}", "400热线", "服务流程", "维修等待时间长",
                               description, "closed", unit, t(contacted), t(dispatched), t(replied), t(resolved),
                               outcome, t(closed) if outcome else "", closure, t(closed)]) + "\n")
    return "".join(lines).encode("gbk")


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--text", type=int, default=12, help="characters of each complaint's description")
    args = parser.parse_args()
    raw = history_file(args.rows, args.text)
    result = {"database": connection.vendor, "rows": args.rows, "file_mb": round(len(raw) / 2**20, 1)}
    try:
        with transaction.atomic():
            for code in ("BQA", "BDB"):
                ResponsibleUnit.objects.create(code=code, name=code)
            user = UserFactory(username="bench_importer", role="manager")
            importer = ComplaintImporter()
            started = time.perf_counter()
            preview = importer.preview(raw, "history.csv")
            result["check_seconds"] = round(time.perf_counter() - started, 2)
            assert preview.ok, preview.errors[:3]
            started = time.perf_counter()
            preview, written = importer.run(raw, "history.csv", actor=user)
            result["write_seconds"] = round(time.perf_counter() - started, 2)
            result["written"] = written
            raise Rollback
    except Rollback:
        pass
    print(json.dumps(result))


if __name__ == "__main__":
    main()
