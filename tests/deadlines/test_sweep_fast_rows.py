"""The fast path with its cases as plain rows (sweep_lock.CaseRow): what it writes, what a ladder lookup sees, the
recipients and payloads shared within a batch, and the bulk writes' conversion of a shared object."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import JSON, event
from sqlalchemy.orm import object_session

from dvflow.db.bulk import _convert
from dvflow.models import Case
from dvflow.notify import outbox
from dvflow.services.deadlines import sweep_lock
from dvflow.services.deadlines.sweep import sweep
from dvflow.services.deadlines.sweep_fast import _Batch
from dvflow.services.deadlines.sweep_lock import CaseRow, lock_case_rows
from dvflow.services.org import access

from .helpers import LADDER, STEP_AT
from .test_sweep_fast import LOOKUP, assert_fast_matches_per_clock, mixed_world, per_clock, snapshot, summary

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
    assert case_rows and all(isinstance(c, CaseRow) for found in case_rows for c in found.values())


def test_a_case_row_has_the_values_of_its_case_and_a_held_case_stays_itself(session, world):
    cases = [world.case(), world.case(assignee=False)]
    session.flush()
    held, other = cases[0], cases[1]
    other_id = other.id
    session.expunge(other)
    found = lock_case_rows(session, [other_id, held.id, held.id, 10 ** 9])
    assert sorted(found) == sorted([held.id, other_id])
    assert found[held.id] is held
    row = found[other_id]
    assert isinstance(row, CaseRow)
    loaded = session.get(Case, other_id)
    assert all(getattr(row, key) == getattr(loaded, key) for key in CaseRow.COLUMNS)
    assert object_session(row) is session  # a ladder lookup finds the session, as with a Case


def test_a_ladder_lookup_reading_the_session_plans_a_case_row_on_the_fast_path(session, world, per_clock):
    pairs = [world.case_with_clock() for _ in range(3)]
    session.flush()
    seen = []

    def lookup(case, clock_name):
        seen.append((type(case), object_session(case) is session))
        return LADDER

    session.expunge_all()
    report = sweep(session, now=STEP_AT["before_2"], ladder=lookup)
    assert [s.clock_id for s in report.fired] == [clock.id for _case, clock in pairs]
    assert per_clock == [] and seen == [(CaseRow, True)] * 3


def test_a_ladder_lookup_reading_another_attribute_sends_the_clock_per_clock(session, world, per_clock):
    _case, clock = world.case_with_clock()
    session.flush()
    session.expunge_all()
    report = sweep(session, now=STEP_AT["before_2"], ladder=lambda case, name: LADDER if case.content or 1 else ())
    assert [s.clock_id for s in report.fired] == [clock.id] and per_clock == [clock.id]


def test_a_case_row_gets_the_notification_rows_of_its_case(session, world):
    cases = [world.case(), world.case(assignee=False), world.case()]
    session.flush()
    ids = [c.id for c in cases]
    session.expunge_all()
    rows = lock_case_rows(session, ids)
    now, params = STEP_AT["due"], {"clock": "Giải quyết", "due": "02/12/2026", "step": "Đến hạn"}
    for step in LADDER:
        for case_id in ids:
            assert isinstance(rows[case_id], CaseRow)
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
        access.forget(session)  # units or memberships changed: resolved afresh
        assert outbox.resolve_recipients(session, case, LADDER[1].notify) == first
        assert len(statements) > queried
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", listen)


def test_event_payloads_are_shared_within_a_batch(session):
    batch = _Batch(session, {}, {}, STEP_AT["due"], LOOKUP, None, None)
    at = datetime(2026, 12, 2, 17, 0, tzinfo=STEP_AT["due"].tzinfo)
    first = batch.payload("resolve", LADDER[1], at)
    assert first == {"clock": "resolve", "step": "due", "due_at": at.isoformat(), "actions": ["mark_missed"]}
    assert batch.payload("resolve", LADDER[1], at) is first
    assert batch.payload("accept", LADDER[1], at) is not first


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


def test_a_case_row_written_by_one_run_is_written_on_by_the_next(session, world, per_clock):
    from datetime import timedelta

    from .helpers import START

    case = world.case()
    first = world.clock(case)
    between = world.clock(world.case(), start=START - timedelta(days=6))  # reaches a reassignment: per clock
    second = world.clock(case, name="accept")
    session.flush()
    ids = (first.id, between.id, second.id)
    session.expunge_all()
    nested = session.begin_nested()
    report = sweep(session, now=STEP_AT["after_2"] + timedelta(hours=1), ladder=LOOKUP)
    rows = snapshot(session)
    nested.rollback()
    session.expunge_all()
    assert per_clock == [ids[1]]  # the second run writes the case at the version the first run left
    per_clock.clear()
    reference = sweep(session, now=STEP_AT["after_2"] + timedelta(hours=1), ladder=LOOKUP, fast=False)
    assert summary(report) == summary(reference) and rows == snapshot(session)
    assert session.get(Case, case.id).escalation_level == 2
