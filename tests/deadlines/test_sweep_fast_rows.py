"""The sweep's cases as plain rows (sweep_lock.CaseValues): what the fast path writes from them, what a ladder lookup
is given, the recipients and payloads shared within a batch, and the bulk writes' conversion of a shared object."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import JSON, event, text

from dvflow import org_tree
from dvflow.db.bulk import _convert
from dvflow.models import Case, WorkflowVersion
from dvflow.notify import outbox
from dvflow.services.deadlines import sweep_lock
from dvflow.services.deadlines.calendar import load_calendar
from dvflow.services.deadlines.sweep import _fired_keys, sweep
from dvflow.services.deadlines.sweep_lock import (
    CASE_COLUMNS,
    CaseValues,
    lock_case_rows,
    lock_due_clock_rows,
)
from dvflow.services.deadlines.sweep_plan import Planner

from .helpers import LADDER, START, STEP_AT
from .test_sweep_fast import (
    LOOKUP,
    assert_fast_matches_per_clock,
    mixed_world,
    per_clock,
    snapshot,
    summary,
)

__all__ = ["per_clock"]  # the fixture, imported for these tests


@pytest.fixture
def case_rows(monkeypatch):
    """The cases lock_case_rows returned, batch by batch."""
    seen: list[dict] = []
    original = sweep_lock.lock_case_rows

    def spy(session, ids):
        found = original(session, ids)
        seen.append(found)
        return found

    monkeypatch.setattr(sweep_lock, "lock_case_rows", spy)
    return seen


def test_with_case_rows_the_fast_path_writes_exactly_what_the_per_clock_path_writes(session, world, per_clock,
                                                                                      case_rows):
    mixed_world(world)
    session.flush()
    assert_fast_matches_per_clock(session, per_clock, nothing_held=True)
    assert case_rows and all(isinstance(c, CaseValues) for found in case_rows for c in found.values())


def test_a_case_row_has_the_values_of_its_case_and_a_held_case_is_refreshed(session, world):
    cases = [world.case(), world.case(assignee=False)]
    session.flush()
    held, other = cases[0], cases[1]
    other_id, version = other.id, held.version
    session.expunge(other)
    session.execute(text("UPDATE cases SET escalation_level = 3, version = version + 1 WHERE id = :id"),
                    {"id": held.id})
    found = lock_case_rows(session, [other_id, held.id, held.id, 10 ** 9])
    assert sorted(found) == sorted([held.id, other_id])
    assert (held.escalation_level, held.version) == (3, version + 1)  # as populate_existing refreshed it
    for case_id, row in found.items():
        assert isinstance(row, CaseValues)
        loaded = session.get(Case, case_id)
        assert tuple(row) == tuple(getattr(loaded, key) for key in CASE_COLUMNS)


def test_the_ladder_lookup_is_given_the_session_and_the_version_once_per_batch(session, world, per_clock):
    pairs = [world.case_with_clock() for _ in range(3)]
    world.clock(pairs[0][0], name="accept")
    session.flush()
    seen = []

    def lookup(s, version, clock_name):
        seen.append((s is session, version, clock_name))
        return LADDER

    session.expunge_all()
    report = sweep(session, now=STEP_AT["before_2"], ladder=lookup)
    assert len(report.fired) == 4 and per_clock == []
    assert sorted(seen) == [(True, "wf-test", "accept"), (True, "wf-test", "resolve")]


def test_a_stored_older_workflow_version_is_read_through_the_session_given(session):
    from dvflow.workflows import load_registry

    workflows = load_registry(str(Path(__file__).parents[2] / "workflows"))
    defn = next(d for d in workflows.kinds() if d.clocks)
    name, clock = next(iter(defn.clocks.items()))
    session.add(WorkflowVersion(hash="older-version", workflow_id=defn.id, source=defn.source_text,
                                path=defn.path, created_at=STEP_AT["due"]))
    session.flush()
    with pytest.raises(KeyError):  # not a file any more, and no session to read it from
        workflows.ladder(None, "older-version", name)
    assert workflows.ladder(session, "older-version", name) == clock.ladder
    assert workflows.ladder(session, "older-version", "no such clock") == ()


def test_a_case_row_gets_the_notification_rows_of_its_case(session, world):
    cases = [world.case(), world.case(assignee=False), world.case()]
    session.flush()
    ids = [c.id for c in cases]
    session.expunge_all()
    rows = lock_case_rows(session, ids)
    now, params = STEP_AT["due"], {"clock": "Giải quyết", "due": "02/12/2026", "step": "Đến hạn"}
    for step in LADDER:
        for case_id in ids:
            assert isinstance(rows[case_id], CaseValues)
            expected = outbox.notification_rows(session, session.get(Case, case_id), step.notify, "clock_overdue",
                                                params, now)
            assert outbox.notification_rows(session, rows[case_id], step.notify, "clock_overdue", params, now) \
                == expected


def test_recipients_are_resolved_once_per_unit_assignee_and_roles(session, world):
    case = world.case()
    session.flush()
    statements: list[str] = []
    listen = lambda conn, cursor, statement, *rest: statements.append(statement)  # noqa: E731
    event.listen(session.get_bind(), "before_cursor_execute", listen)
    try:
        first = outbox.resolve_recipients(session, case, LADDER[1].notify)
        queried = len(statements)
        assert queried >= 1 and first
        assert outbox.resolve_recipients(session, case, list(LADDER[1].notify)) is first  # the memoised result
        assert len(statements) == queried
        org_tree.forget(session)  # units or memberships changed: resolved afresh
        assert outbox.resolve_recipients(session, case, LADDER[1].notify) == first
        assert len(statements) > queried
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", listen)


def test_event_payloads_are_shared_within_a_batch(session, world):
    clocks = [world.case_with_clock()[1] for _ in range(2)]
    clocks.append(world.case_with_clock(start=START + timedelta(days=1))[1])
    now = STEP_AT["due"] + timedelta(days=1)
    rows = lock_due_clock_rows(session, [c.id for c in clocks], now)
    cases = lock_case_rows(session, [row.case_id for row in rows])
    fired = _fired_keys(session, [row.id for row in rows])
    planner = Planner(session, now=now, ladder=LOOKUP, calendar=load_calendar(session))
    first, same, later = (planner.plan(row, cases[row.case_id], fired[row.id]) for row in rows)
    assert first.events[1]["payload"] == {"clock": "resolve", "step": "due", "due_at": STEP_AT["due"].isoformat(),
                                          "actions": ["mark_missed"]}
    assert all(a["payload"] is b["payload"] for a, b in zip(first.events, same.events))  # serialised once
    assert later.events[0]["payload"] is not first.events[0]["payload"]  # another due instant


def test_bulk_conversion_converts_a_shared_object_once_and_equal_objects_alike():
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    proc = JSON().dialect_impl(dialect).bind_processor(dialect)
    calls = []

    def counting(value):
        calls.append(value)
        return proc(value)

    shared, equal, other = {"a": [1, "Đ"]}, {"a": [1, "Đ"]}, {"b": None}
    out = _convert([shared, equal, shared, other, None, shared], counting)
    assert out == [proc(shared), proc(equal), proc(shared), proc(other), proc(None), proc(shared)]
    assert len(calls) == 4  # shared once, equal once (another object), other once, None once


def test_a_case_with_two_clocks_in_one_run_is_written_once_at_the_version_both_leave(session, world, per_clock):
    case = world.case()
    first = world.clock(case)
    between = world.clock(world.case(), start=START - timedelta(days=6))  # reaches a reassignment
    second = world.clock(case, name="accept")
    session.flush()
    assert first.id < between.id < second.id
    version = case.version
    session.expunge_all()
    nested = session.begin_nested()
    report = sweep(session, now=STEP_AT["after_2"] + timedelta(hours=1), ladder=LOOKUP)
    rows = snapshot(session)
    nested.rollback()
    session.expunge_all()
    assert per_clock == []  # one run, the reassignment included
    reference = sweep(session, now=STEP_AT["after_2"] + timedelta(hours=1), ladder=LOOKUP, fast=False)
    assert summary(report) == summary(reference) and rows == snapshot(session)
    written = session.get(Case, case.id)
    assert (written.escalation_level, written.version) == (2, version + 2)  # +1 per clock, as per clock
