"""The sweep's set-based fast path (dvflow.services.sweep_fast): used for the common steps, the same rows, reports
and history as the per-clock path, and back to the per-clock path when a row or a claim moved under it."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, text

from dvflow.engine.types import LadderStep
from dvflow.models import Case, CaseEvent, Clock, EscalationRecord, Notification
from dvflow.services.deadlines import sweep as sweep_mod
from dvflow.services.deadlines import sweep_lock
from dvflow.services.deadlines.sweep import sweep

from .helpers import LADDER, START, STEP_AT, fixed_ladder

LOOKUP = fixed_ladder()
AFTER_A_WEEK = STEP_AT["after_5"] + timedelta(days=1, hours=10)
# a sequence of sweeps over the mixed world below: single steps, catch-up, reassignments, nothing left
SWEEPS = (STEP_AT["before_2"], STEP_AT["due"], STEP_AT["after_2"] + timedelta(hours=1), AFTER_A_WEEK,
          AFTER_A_WEEK + timedelta(days=5))


@pytest.fixture
def per_clock(monkeypatch):
    """The ids of the clocks whose plan the per-clock writer wrote (or tried to), in order."""
    seen: list[int] = []
    original = sweep_mod.write_clock

    def spy(session, plan):
        seen.append(plan.clock.id)
        return original(session, plan)

    monkeypatch.setattr(sweep_mod, "write_clock", spy)
    return seen


@pytest.fixture
def statements(session):
    """The SQL statements the session's connection runs (COPY on PostgreSQL is not a cursor statement)."""
    seen: list[str] = []
    connection = session.connection()

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(connection, "before_cursor_execute", listener)
    yield seen
    event.remove(connection, "before_cursor_execute", listener)


def mixed_world(world) -> None:
    """Clocks at different points of their ladders, a case without assignee, cases with two clocks (whose steps
    fire in one run, or one per clock beside a reassignment)."""
    world.case_with_clock()
    world.case_with_clock(start=START + timedelta(days=3))
    world.clock(world.case(assignee=False), start=START - timedelta(days=4))
    two = world.case()
    world.clock(two)
    world.clock(two, name="accept", start=START + timedelta(days=3))
    other = world.case()
    world.clock(other, start=START + timedelta(days=3))
    world.clock(other, name="accept")
    twins = world.case()  # both clocks raise the level in the same run
    world.clock(twins)
    world.clock(twins, name="accept")


def snapshot(session) -> dict:
    """Every row the sweep writes or changes (the ids of new rows left out: PostgreSQL sequences do not roll back)."""
    rows = {}
    for table in (EscalationRecord.__table__, CaseEvent.__table__, Notification.__table__):
        columns = [c for c in table.c if c.name != "id"]
        rows[table.name] = [tuple(r) for r in session.execute(select(*columns).order_by(table.c.id))]
    for table in (Clock.__table__, Case.__table__):
        rows[table.name] = [tuple(r) for r in session.execute(select(table).order_by(table.c.id))]
    return rows


def summary(report) -> tuple:
    return report.fired, report.clocks, report.stale, report.busy, report.raced, report.failed


def assert_session_matches_database(session) -> None:
    """The ORM objects hold what the database holds: nothing left to write, the versions those of the rows."""
    assert not session.dirty and not session.new
    for obj in list(session.identity_map.values()):
        if isinstance(obj, (Clock, Case)):
            table = type(obj).__table__
            keys = ("version", "state", "next_escalation_at", "next_step_key") if isinstance(obj, Clock) else (
                "version", "escalation_level", "priority", "unit_id", "assignee_id")
            in_db = session.execute(select(*(table.c[k] for k in keys)).where(table.c.id == obj.id)).one()
            assert tuple(getattr(obj, k) for k in keys) == tuple(in_db), (type(obj).__name__, obj.id)


def sweep_in_turn(session, *, fast: bool, nothing_held: bool = False) -> list:
    """Each sweep of SWEEPS in a savepoint rolled back at the end: (report, rows) after each. Both paths start from
    the same session state (the per-clock path's reassignment flushes more or less often with what it holds).
    `nothing_held`: each sweep starts with an empty session, as the scheduler runs each batch."""
    outcomes = []
    clear = session.expunge_all if nothing_held else session.expire_all
    clear()
    nested = session.begin_nested()
    for now in SWEEPS:
        if nothing_held:
            clear()
        report = sweep(session, now=now, ladder=LOOKUP, fast=fast)
        assert_session_matches_database(session)
        outcomes.append((summary(report), snapshot(session)))
    nested.rollback()
    clear()
    return outcomes


def test_the_fast_path_writes_exactly_what_the_per_clock_path_writes(session, world, per_clock):
    mixed_world(world)
    assert_fast_matches_per_clock(session, per_clock)


def assert_fast_matches_per_clock(session, per_clock, *, nothing_held: bool = False) -> None:
    """The five sweeps give the same reports and rows on both paths; the fast path wrote every clock itself,
    reassignments included, and the reference path wrote every one per clock."""
    fast = sweep_in_turn(session, fast=True, nothing_held=nothing_held)
    fast_per_clock = list(per_clock)
    per_clock.clear()
    reference = sweep_in_turn(session, fast=False, nothing_held=nothing_held)
    assert [len(report[0]) for report, _rows in fast] == [6, 7, 8, 9, 6]  # steps fired by each sweep
    for (fast_report, fast_rows), (ref_report, ref_rows) in zip(fast, reference):
        assert fast_report == ref_report
        for table in ref_rows:
            assert fast_rows[table] == ref_rows[table], table
    reassigned = sorted({s.clock_id for report, _ in fast for s in report[0] if s.step == "after_5"})
    assert fast_per_clock == [] and len(reassigned) == 9
    assert len(per_clock) == sum(report[1] for report, _rows in reference)  # each clock handled, per clock


def test_both_writers_write_the_same_plan_through_a_reassignment(session, world, per_clock):
    """Two clocks of one case reach their reassignment in one batch: the first moves the case to the parent unit,
    the second finds no unit above it and notifies the parent unit's people. Both writers leave the same rows."""
    case = world.case()
    world.clock(case)
    world.clock(case, name="accept", start=START + timedelta(days=1))
    world.case_with_clock(start=START + timedelta(days=3))  # a neighbour not reassigned
    session.flush()
    outcomes = {}
    for fast in (True, False):
        session.expunge_all()
        nested = session.begin_nested()
        report = sweep(session, now=AFTER_A_WEEK, ladder=LOOKUP, fast=fast)
        assert_session_matches_database(session)
        outcomes[fast] = (summary(report), snapshot(session), list(per_clock))
        nested.rollback()
        per_clock.clear()
    (fast_report, fast_rows, fast_per_clock), (ref_report, ref_rows, ref_per_clock) = outcomes[True], outcomes[False]
    assert fast_report == ref_report and len(fast_report[0]) == 4 + 4 + 2  # the neighbour: due on a Monday
    for table in ref_rows:
        assert fast_rows[table] == ref_rows[table], table
    assert fast_per_clock == [] and len(ref_per_clock) == 3
    reassigns = [r for r in fast_rows["case_events"] if "reassign" in r]
    assert len(reassigns) == 1
    [moved] = [r for r in fast_rows["cases"] if r[0] == case.id]
    columns = [c.name for c in Case.__table__.c]
    values = dict(zip(columns, moved))
    assert (values["unit_id"], values["assignee_id"], values["escalation_level"]) == (world.parent.id, None, 4)
    details = [r for r in fast_rows["escalation_records"] if r[1] == "after_5"]
    actions = sorted(str(d[-1]["actions"][1]) for d in details)
    assert "Đơn vị không có cấp trên trực tiếp" in actions[0] + actions[1]


def test_the_common_steps_take_a_fixed_number_of_statements(session, world, per_clock, statements):
    counts = []
    for day, clocks in enumerate((1, 3, 12)):  # the first sweep also loads the unit tree and the recipients
        for _ in range(clocks):
            world.case_with_clock(start=START + timedelta(days=day))
        statements.clear()
        report = sweep(session, now=STEP_AT["before_2"] + timedelta(days=day), ladder=LOOKUP)
        assert len(report.fired) == clocks
        counts.append(len(statements))
    assert per_clock == []
    assert counts[1] == counts[2] <= 12
    assert sum(s.lstrip().upper().startswith("SAVEPOINT") for s in statements) == 1


def test_catch_up_and_actions_on_the_fast_path(session, world, per_clock):
    case, clock = world.case_with_clock()
    report = sweep(session, now=STEP_AT["after_2"] + timedelta(hours=1), ladder=LOOKUP)
    assert per_clock == [] and [s.step for s in report.fired] == ["before_2", "due", "after_2"]
    assert (clock.state, clock.closed_at, clock.next_step_key) == ("missed", None, "after_5")
    assert (case.escalation_level, case.priority) == (1, True)
    details = [r.detail for r in session.scalars(select(EscalationRecord).where(EscalationRecord.clock_id == clock.id)
                                                 .order_by(EscalationRecord.id))]
    assert [d["actions"] for d in details] == [
        [], [{"action": "mark_missed", "changed": True}],
        [{"action": "raise_level", "level": 1}, {"action": "mark_priority"}]]
    assert details[1] == {"template": "clock_overdue", "notified": sorted([world.handler.id, world.head.id]),
                          "actions": [{"action": "mark_missed", "changed": True}]}


def test_after_the_fast_path_the_orm_objects_write_on_from_the_new_versions(session, world, per_clock):
    case, clock = world.case_with_clock()
    before = (clock.version, case.version)
    sweep(session, now=STEP_AT["after_2"] + timedelta(hours=1), ladder=LOOKUP)
    assert per_clock == []
    # as the per-clock path: the clock +1 for mark_missed and +1 for its next step, the case +1 for its level
    assert (clock.version, case.version) == (before[0] + 2, before[1] + 1)
    assert_session_matches_database(session)
    clock.label, case.priority = "Thời hạn mới", False
    session.flush()  # no StaleDataError: the session's versions are the rows'
    assert_session_matches_database(session)
    assert (clock.version, case.version) == (before[0] + 3, before[1] + 2)


def test_sweeping_again_fires_nothing_more(session, world, per_clock):
    pairs = [world.case_with_clock() for _ in range(4)]
    first = sweep(session, now=STEP_AT["due"], ladder=LOOKUP)
    again = sweep(session, now=STEP_AT["due"], ladder=LOOKUP)
    assert len(first.fired) == 8 and again.fired == [] and per_clock == []
    assert session.scalar(select(func.count()).select_from(EscalationRecord)) == 8
    for _case, clock in pairs:
        assert clock.next_step_key == "after_2"


# --- back to the per-clock path ------------------------------------------------------------------------------------


def _events(session, case_id):
    return session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id))


def _notifications(session, case_id):
    return session.scalar(select(func.count()).select_from(Notification).where(Notification.case_id == case_id))


def _records(session, clock_id):
    return session.scalar(select(func.count()).select_from(EscalationRecord)
                          .where(EscalationRecord.clock_id == clock_id))


@pytest.mark.parametrize("table,at", [("clocks", STEP_AT["before_2"]), ("cases", STEP_AT["after_2"])])
def test_a_row_changed_before_the_write_sends_the_run_per_clock(session, world, per_clock, table, at):
    pairs = [world.case_with_clock() for _ in range(3)]
    case, clock = pairs[1]
    row_id = clock.id if table == "clocks" else case.id
    changed = []

    world.pin(case, "wf-officer")

    def officer_edits_meanwhile(s, version, name):  # a committed change lands between the sweep's read and its write
        if version == "wf-officer" and not changed:
            session.execute(text(f"UPDATE {table} SET version = version + 1 WHERE id = :id"), {"id": row_id})
            changed.append(row_id)
        return LADDER

    report = sweep(session, now=at, ladder=officer_edits_meanwhile)
    assert changed and per_clock == [c.id for _case, c in pairs]  # the run was rolled back, then swept per clock
    assert report.stale == [clock.id] and report.clocks == 2
    assert {s.clock_id for s in report.fired} == {pairs[0][1].id, pairs[2][1].id}
    assert (_records(session, clock.id), _events(session, case.id), _notifications(session, case.id)) == (0, 0, 0)
    steps = len(report.fired) // 2
    for other_case, other in (pairs[0], pairs[2]):
        assert _records(session, other.id) == _events(session, other_case.id) == steps
        assert _notifications(session, other_case.id) > 0
    assert_session_matches_database(session)


def test_a_step_claimed_by_another_scheduler_sends_the_run_per_clock(session, world, per_clock, monkeypatch):
    pairs = [world.case_with_clock() for _ in range(3)]
    case, taken = pairs[1]
    session.add(EscalationRecord(clock_id=taken.id, step_key="before_2", due_at=STEP_AT["before_2"],
                                 fired_at=STEP_AT["before_2"], detail={"by": "another scheduler"}))
    session.flush()
    # the other scheduler's record appears after this one read the fired steps
    monkeypatch.setattr(sweep_mod, "_fired_keys", lambda s, ids: {i: set() for i in ids})
    report = sweep(session, now=STEP_AT["before_2"], ladder=LOOKUP)
    assert per_clock == [c.id for _case, c in pairs]
    assert report.raced == [taken.id] and report.clocks == 2
    assert [s.clock_id for s in report.fired] == [pairs[0][1].id, pairs[2][1].id]
    assert (_records(session, taken.id), _events(session, case.id), _notifications(session, case.id)) == (1, 0, 0)
    assert taken.next_step_key == "before_2"  # left as it was
    for other_case, other in (pairs[0], pairs[2]):
        assert (_records(session, other.id), _events(session, other_case.id)) == (1, 1)


def test_a_clock_the_fast_path_cannot_plan_goes_per_clock_and_fails_alone(session, world, per_clock):
    bad = (LadderStep("due", 0, "calendar_days", ("assignee",), ("explode",), "Đến hạn"),)
    pairs = [world.case_with_clock() for _ in range(3)]
    broken_case, broken = pairs[1]
    world.pin(broken_case, "wf-bad")
    report = sweep(session, now=STEP_AT["due"],
                   ladder=lambda s, version, name: bad if version == "wf-bad" else LADDER)
    assert per_clock == []  # refused by the planner: its neighbours were written by the fast path, in one run
    assert set(report.failed) == {broken.id} and "explode" in report.failed[broken.id]
    assert [s.clock_id for s in report.fired] == [pairs[0][1].id] * 2 + [pairs[2][1].id] * 2
    assert _records(session, broken.id) == 0 and _notifications(session, broken_case.id) == 0


def test_a_busy_case_is_left_without_breaking_the_run(session, world, per_clock, monkeypatch, statements):
    pairs = [world.case_with_clock() for _ in range(3)]
    held = pairs[1][0].id
    original = sweep_lock.lock_case_rows
    monkeypatch.setattr(sweep_lock, "lock_case_rows",
                        lambda s, ids: {k: v for k, v in original(s, ids).items() if k != held})
    report = sweep(session, now=STEP_AT["before_2"], ladder=LOOKUP)
    assert report.busy == [pairs[1][1].id] and per_clock == []
    assert [s.clock_id for s in report.fired] == [pairs[0][1].id, pairs[2][1].id]
    assert sum(s.lstrip().upper().startswith("SAVEPOINT") for s in statements) == 1


# --- the bulk writes ------------------------------------------------------------------------------------------------


def case_events(session, case_id: int) -> list:
    return session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)).all()


def test_bulk_writes_convert_values_as_the_orm_does(session, world):
    from dvflow.db.bulk import BulkInsert

    case = world.case()
    row = dict(case_id=case.id, actor_id=None, at=STEP_AT["due"], legal_date=START, action="escalate",
               from_state="a", to_state="b", payload={"clock": "resolve", "nested": [1, {"x": None}], "vi": "Đến hạn"},
               hash="0" * 64)  # the writer under test is the bulk insert, not the history's chain
    base = len(case_events(session, case.id))
    written = BulkInsert(CaseEvent.__table__).execute(session, [dict(row, seq=base + 1),
                                                                dict(row, seq=base + 2, legal_date=None)])
    assert written == 2
    session.add(CaseEvent(**dict(row, seq=base + 3)))
    session.flush()
    session.expire_all()
    bulk_1, bulk_2, orm = case_events(session, case.id)[base:]
    columns = [c.key for c in CaseEvent.__table__.c if c.key not in ("id", "seq")]
    assert [getattr(bulk_1, c) for c in columns] == [getattr(orm, c) for c in columns]
    assert bulk_2.legal_date is None and bulk_2.at == STEP_AT["due"]


def test_bulk_writes_refuse_what_a_plain_insert_refuses(session, world, db_backend):
    from sqlalchemy.exc import DBAPIError

    from dvflow.db.bulk import BulkInsert

    case = world.case()
    too_long = dict(case_id=case.id, actor_id=None, at=STEP_AT["due"], legal_date=None, action="x" * 41,
                    from_state=None, to_state=None, payload={})
    missing_case = dict(too_long, action="escalate", case_id=10 ** 9)
    refused = [missing_case] + ([too_long] if db_backend == "postgres" else [])  # SQLite ignores VARCHAR lengths
    for row in refused:
        nested = session.begin_nested()
        try:
            with pytest.raises(DBAPIError):
                BulkInsert(CaseEvent.__table__).execute(session, [row])
        finally:
            nested.rollback()
