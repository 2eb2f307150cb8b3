"""The sweep's set-based fast path: a run of planned clocks written with a few statements instead of ~10 per step.

``write_batch`` walks a batch's locked clocks in id order and plans each (``sweep_plan``), its case taken as the
clocks before it in the batch leave it. Consecutive plans form a run, written in one SAVEPOINT, each item one
statement (``bulk``: an executemany on SQLite; on PostgreSQL a COPY, or one statement over arrays):

1. the escalation records, ``INSERT … ON CONFLICT (clock_id, step_key) DO NOTHING``: a row count short means
   another scheduler took a claim first;
2. the case events, then the notifications;
3. the clocks, then the cases (one row per case, however many of its clocks the run holds): a version-guarded
   UPDATE each; the summed row count must match.

A claim refused, a row count short or any error rolls the savepoint back, and the run's clocks go through the
per-clock path one by one (``sweep.Batch.per_clock``), which plans each again from the cases as written so far and
sorts it into fired, stale, raced or failed. Rows are therefore written in the per-clock path's order, and with its
versions: a plan counts them as the per-clock writer moves them. Once a run is written, the ORM objects of its clocks
and cases that the session holds are expired: they read the written rows on their next use.

A busy clock (case locked elsewhere) and a clock whose ladder cannot be applied are reported without ending the run.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

from sqlalchemy.orm import Session

from ...db.bulk import BulkGuardedUpdate, BulkInsert
from ...models import Case, Clock, EscalationRecord, Notification
from ..cases import history
from .sweep_lock import CaseValues, ClockRow, held
from .sweep_plan import ClockPlan

if TYPE_CHECKING:
    from .sweep import Batch

log = logging.getLogger("dvflow.sweep")

_CLAIM = BulkInsert(EscalationRecord.__table__, skip_conflicts_on=("clock_id", "step_key"))
_INSERT_NOTIFICATIONS = BulkInsert(Notification.__table__)  # rows of outbox.notification_rows
_UPDATE_CLOCKS = BulkGuardedUpdate(Clock.__table__)
_UPDATE_CASES = BulkGuardedUpdate(Case.__table__)
_CASE_WRITTEN = ("escalation_level", "priority", "unit_id", "assignee_id", "version")


class _Unwritable(Exception):
    """The run cannot be written as planned (claim refused, version moved): roll it back, go per clock."""


@dataclass
class _Run:
    """Consecutive plans; ``read``: each case as the run found it, ``after``: as the run leaves it."""

    plans: list[ClockPlan] = field(default_factory=list)
    read: dict[int, CaseValues] = field(default_factory=dict)
    after: dict[int, CaseValues] = field(default_factory=dict)

    def add(self, plan: ClockPlan) -> None:
        self.plans.append(plan)
        self.read.setdefault(plan.case.id, plan.case)
        self.after[plan.case.id] = plan.after


def write_batch(batch: Batch, clocks: Sequence[ClockRow]) -> None:
    """Plan and write the batch's locked clocks (see the module's docstring); fills ``batch.report``."""
    run = _Run()
    for clock in clocks:
        case = batch.cases.get(clock.case_id)
        if case is None:  # busy: only reported, nothing written
            batch.busy(clock)
            continue
        plan = batch.plan(clock, run.after.get(case.id, case))
        if plan is not None:
            run.add(plan)
    _write_run(batch, run)


def _write_run(batch: Batch, run: _Run) -> None:
    """Write the run in one savepoint; on any failure, roll it back and sweep its clocks one by one."""
    if not run.plans:
        return
    session = batch.session
    clock_rows = [{"b_id": p.clock.id, "b_v": p.clock.version, **values}
                  for p in run.plans if (values := p.clock_values()) is not None]
    changed = [case_id for case_id, after in run.after.items() if after.version != run.read[case_id].version]
    case_rows = [{"b_id": case_id, "b_v": run.read[case_id].version,
                  **{key: getattr(run.after[case_id], key) for key in _CASE_WRITTEN}} for case_id in changed]
    try:
        with session.begin_nested():
            _insert_and_update(session, run, clock_rows, case_rows)
    except Exception as exc:  # nothing of the run is left: the per-clock path decides clock by clock
        log.info("fast sweep of clocks %s..%s rolled back (%s: %s): sweeping them one by one",
                 run.plans[0].clock.id, run.plans[-1].clock.id, type(exc).__name__, exc)
        for plan in run.plans:
            batch.per_clock(plan.clock)
        return
    for plan in run.plans:
        batch.report.done(plan)
    batch.cases.update(run.after)
    _expire_held(session, [row["b_id"] for row in clock_rows], changed)


def _insert_and_update(session: Session, run: _Run, clock_rows: list[dict], case_rows: list[dict]) -> None:
    records = [record for plan in run.plans for record in plan.records]
    claimed = _CLAIM.execute(session, records)
    if claimed != len(records):
        raise _Unwritable(f"{len(records) - claimed} step(s) already fired by another scheduler")
    history.write(session, [event for plan in run.plans for event in plan.events])
    _INSERT_NOTIFICATIONS.execute(session, [row for plan in run.plans for row in plan.notifications])
    for what, statement, rows in (("clocks", _UPDATE_CLOCKS, clock_rows), ("cases", _UPDATE_CASES, case_rows)):
        updated = statement.execute(session, rows)
        if updated != len(rows):
            raise _Unwritable(f"{len(rows) - updated} of {len(rows)} {what} changed meanwhile (version guard)")


def _expire_held(session: Session, clock_ids: list[int], case_ids: list[int]) -> None:
    """The rows were written behind the ORM's back: the objects of them the session holds read them again when next
    used, so that the session never writes them from stale values (or versions)."""
    for obj in held(session, Clock, clock_ids) + held(session, Case, case_ids):
        session.expire(obj)
