"""The SLA sweep (SPEC §5): find every deadline that has passed a threshold and raise
its escalation, in a fixed handful of queries whatever the number of cases.

Exactly-once comes from the database: Escalation has a unique (milestone, level), and
the sweep inserts with ON CONFLICT DO NOTHING, so two sweeps racing over the same
rows raise each escalation once, and a sweep that dies before committing has raised
nothing. Notifications are sent after commit by a task; escalations whose task was
lost are re-sent by a later sweep.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from casework.case_kinds import escalated_case_models
from casework.models import CASE_EVENT_COLUMNS, CaseEvent, Notification
from casework.tasks import enqueue, send_pending_emails

from .models import OPEN, Escalation, Milestone, MilestoneKind


@dataclass
class SweepResult:
    sweep_id: str
    raised: Counter = field(default_factory=Counter)
    redelivered: int = 0

    @property
    def total(self) -> int:
        return sum(self.raised.values())


def _sql_time(moment):
    """An aware time as raw SQL needs it: SQLite compares stored UTC text, so a +08:00 time
    passed as is would compare eight hours wrong (the ORM does this conversion itself)."""
    return connection.ops.adapt_datetimefield_value(moment)


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def open_milestone_sql() -> str:
    """sla.models.OPEN as raw SQL, compiled by the ORM. Its parameters are the status constants,
    written in as literals (as the SQL was written by hand before), so the planner sees the very
    condition of the partial indexes, built from the same OPEN."""
    query = Milestone.objects.filter(OPEN).query
    where, params = query.get_compiler(connection=connection).compile(query.where)
    return where % tuple(_sql_literal(str(p)) for p in params)


def _insert_escalations(now, sweep_id) -> list[tuple[int, int]]:
    m = connection.ops.quote_name(Milestone._meta.db_table)
    e = connection.ops.quote_name(Escalation._meta.db_table)
    open_ = open_milestone_sql()
    long_open = MilestoneKind.LONG_OPEN.value
    # ORDER BY keeps concurrent sweeps inserting in the same order: they queue, never deadlock.
    sql = f"""
        INSERT INTO {e} (milestone_id, level, created_at, sweep_id, notified_at)
        SELECT id, level, %(now)s, %(sweep)s, NULL FROM (
            SELECT id, 0 AS level FROM {m}
             WHERE status = 'pending' AND escalated_level < 0 AND warn_at <= %(now)s
            UNION ALL
            SELECT id, 1 FROM {m}
             WHERE {open_} AND escalated_level < 1 AND due_at <= %(now)s AND kind <> '{long_open}'
            UNION ALL
            SELECT id, 2 FROM {m}
             WHERE {open_} AND escalated_level < 2 AND overdue_at <= %(now)s
            UNION ALL
            SELECT id, 3 FROM {m}
             WHERE {open_} AND escalated_level < 3 AND due_at <= %(now)s AND kind = '{long_open}'
        ) AS due_now
        WHERE true
        ORDER BY id, level
        ON CONFLICT (milestone_id, level) DO NOTHING
        RETURNING milestone_id, level
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"now": _sql_time(now), "sweep": sweep_id})
        return cursor.fetchall()


def _record(now, sweep_id) -> None:
    """Raise the milestones' and the cases' escalation levels from this sweep's escalations:
    UPDATE … FROM one grouped sub-query each (correlated sub-queries planned badly at scale)."""
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    m = connection.ops.quote_name(Milestone._meta.db_table)
    e = connection.ops.quote_name(Escalation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {m} SET escalated_level = {greatest}({m}.escalated_level, raised.top),
                   status = CASE WHEN raised.top >= 1 AND {m}.status = 'pending' THEN 'breached' ELSE {m}.status END
              FROM (SELECT milestone_id, MAX(level) AS top FROM {e} WHERE sweep_id = %s GROUP BY milestone_id) raised
             WHERE {m}.id = raised.milestone_id
            """,
            [sweep_id],
        )
        _write_timeline(cursor, now, sweep_id)
        for model in escalated_case_models():  # registered by the case apps (casework.case_kinds)
            c = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(
                f"""
                UPDATE {c} SET escalation_level = {greatest}({c}.escalation_level, raised.top)
                  FROM (SELECT ms.case_id, MAX(es.level) AS top
                          FROM {e} es JOIN {m} ms ON ms.id = es.milestone_id
                         WHERE es.sweep_id = %s AND es.level >= 1 AND ms.case_type_id = %s
                         GROUP BY ms.case_id) raised
                 WHERE {c}.id = raised.case_id
                """,
                [sweep_id, ContentType.objects.get_for_model(model).pk],
            )


def _write_timeline(cursor, now, sweep_id) -> None:
    ev = connection.ops.quote_name(CaseEvent._meta.db_table)
    m = connection.ops.quote_name(Milestone._meta.db_table)
    e = connection.ops.quote_name(Escalation._meta.db_table)
    cursor.execute(
        f"""
        INSERT INTO {ev} ({", ".join(CASE_EVENT_COLUMNS)})
        SELECT m.case_type_id, m.case_id, %s, 'sla_level_' || CAST(e.level AS VARCHAR(2)), NULL, '', '',
               m.kind, %s
          FROM {e} e JOIN {m} m ON m.id = e.milestone_id
         WHERE e.sweep_id = %s
         ORDER BY e.id
        """,
        [CaseEvent.Kind.ESCALATION, _sql_time(now), sweep_id],
    )


def sla_sweep(*, now=None) -> SweepResult:
    from .tasks import notify_escalations  # sla.tasks imports this module

    now = now or timezone.now()
    result = SweepResult(sweep_id=uuid.uuid4().hex)
    with transaction.atomic():
        rows = _insert_escalations(now, result.sweep_id)
        result.raised.update(level for _, level in rows)
        if rows:
            _record(now, result.sweep_id)
            transaction.on_commit(lambda: enqueue(notify_escalations, result.sweep_id))
        if settings.SLA_SWEEP_PAUSE_SECONDS:
            time.sleep(settings.SLA_SWEEP_PAUSE_SECONDS)

    # Escalations whose notification task never ran (broker down, worker killed): send again.
    stale = now - timedelta(seconds=settings.SLA_REDELIVER_AFTER_SECONDS)
    lost = list(Escalation.objects.filter(notified_at__isnull=True, created_at__lte=stale)
                .values_list("sweep_id", flat=True).distinct()[:100])
    for sweep_id in lost:
        enqueue(notify_escalations, sweep_id)
    result.redelivered = len(lost)
    if Notification.objects.filter(emailed_at__isnull=True, created_at__lte=stale, recipient__email__gt="",
                                   email_attempts__lt=settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS).exists():
        enqueue(send_pending_emails)
    return result
