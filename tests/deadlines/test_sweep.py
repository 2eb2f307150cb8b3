"""The sweep: each due step fires exactly once, in order, with its effects, notifications and history."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from dvflow.models import Case, CaseEvent, Clock, EscalationRecord, Notification
from dvflow.services.deadlines import sweep as sweep_mod
from dvflow.services.deadlines.sweep import batches, due_clock_ids, preview, sweep

from .helpers import LADDER, STEP_AT, fixed_ladder

LOOKUP = fixed_ladder()
AFTER_A_WEEK = datetime(2026, 12, 9, 3, 0, tzinfo=timezone.utc)


def records(session, clock):
    return list(session.scalars(select(EscalationRecord).where(EscalationRecord.clock_id == clock.id)
                                .order_by(EscalationRecord.id)))


def events(session, case, action="escalate"):
    return list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == action)
                                .order_by(CaseEvent.id)))


def inbox(session, case, template=None):
    query = select(Notification).where(Notification.case_id == case.id, Notification.channel == "inbox")
    if template:
        query = query.where(Notification.template == template)
    return list(session.scalars(query.order_by(Notification.id)))


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_a_new_clock_is_scheduled_for_its_first_step(session, world):
    _case, clock = world.case_with_clock()
    assert clock.due_date.isoformat() == "2026-12-02"
    assert (clock.next_step_key, clock.next_escalation_at) == ("before_2", STEP_AT["before_2"])


def test_nothing_fires_before_the_first_step(session, world):
    _case, clock = world.case_with_clock()
    report = sweep(session, now=STEP_AT["before_2"] - timedelta(seconds=1), ladder=LOOKUP)
    assert report.fired == [] and records(session, clock) == []


def test_a_due_step_fires_exactly_once(session, world):
    case, clock = world.case_with_clock()
    at = STEP_AT["before_2"]
    first = sweep(session, now=at, ladder=LOOKUP)
    second = sweep(session, now=at, ladder=LOOKUP)
    third = sweep(session, now=at + timedelta(hours=5), ladder=LOOKUP)
    assert [s.step for s in first.fired] == ["before_2"]
    assert second.fired == [] and third.fired == []
    [record] = records(session, clock)
    assert (record.step_key, record.due_at, record.fired_at) == ("before_2", at, at)
    assert (clock.next_step_key, clock.next_escalation_at) == ("due", STEP_AT["due"])
    [event] = events(session, case)
    assert event.actor_id is None
    assert event.payload == {"clock": "resolve", "step": "before_2", "due_at": at.isoformat(), "actions": []}


def test_catch_up_after_a_week_of_downtime_fires_every_step_in_order(session, world):
    case, clock = world.case_with_clock()
    assert sweep(session, now=datetime(2026, 11, 28, tzinfo=timezone.utc), ladder=LOOKUP).fired == []
    report = sweep(session, now=AFTER_A_WEEK, ladder=LOOKUP)
    keys = [s.key for s in LADDER]
    assert [s.step for s in report.fired] == keys
    assert [(r.step_key, r.due_at, r.fired_at) for r in records(session, clock)] == \
        [(k, STEP_AT[k], AFTER_A_WEEK) for k in keys]
    assert [e.payload["step"] for e in events(session, case)] == keys
    assert [e.payload["due_at"] for e in events(session, case)] == [STEP_AT[k].isoformat() for k in keys]
    assert clock.next_escalation_at is None and clock.next_step_key is None
    assert sweep(session, now=AFTER_A_WEEK + timedelta(days=30), ladder=LOOKUP).fired == []
    assert len(records(session, clock)) == 4


def test_catch_up_stops_at_now(session, world):
    _case, clock = world.case_with_clock()
    report = sweep(session, now=STEP_AT["after_2"] + timedelta(hours=1), ladder=LOOKUP)
    assert [s.step for s in report.fired] == ["before_2", "due", "after_2"]
    assert (clock.next_step_key, clock.next_escalation_at) == ("after_5", STEP_AT["after_5"])


def test_mark_missed_at_the_due_date(session, world):
    _case, clock = world.case_with_clock()
    sweep(session, now=STEP_AT["due"] - timedelta(seconds=1), ladder=LOOKUP)
    assert clock.state == "running"
    sweep(session, now=STEP_AT["due"], ladder=LOOKUP)
    assert clock.state == "missed" and clock.closed_at is None


def test_raise_level_and_mark_priority(session, world):
    case, _clock = world.case_with_clock()
    sweep(session, now=STEP_AT["due"], ladder=LOOKUP)
    assert (case.escalation_level, case.priority) == (0, False)
    sweep(session, now=STEP_AT["after_2"], ladder=LOOKUP)
    assert (case.escalation_level, case.priority) == (1, True)


def test_reassign_parent_moves_the_case_and_records_it(session, world):
    case, _clock = world.case_with_clock()
    sweep(session, now=STEP_AT["after_5"], ladder=LOOKUP)
    session.expire_all()
    case = session.get(Case, case.id)
    assert (case.unit_id, case.assignee_id, case.escalation_level) == (world.parent.id, None, 2)
    [event] = events(session, case, "reassign")
    assert event.actor_id is None
    assert event.payload["from_unit"] == world.unit.id and event.payload["to_unit"] == world.parent.id
    [record] = [r for r in records(session, _clock) if r.step_key == "after_5"]
    assert {"action": "reassign_parent", "changed": True, "from_unit": world.unit.id,
            "to_unit": world.parent.id} in record.detail["actions"]


def test_reassign_parent_at_the_top_of_the_tree_changes_nothing(session, world):
    case, _clock = world.case_with_clock()
    case.unit, case.assignee = world.parent, None
    session.flush()
    sweep(session, now=STEP_AT["after_5"], ladder=LOOKUP)
    assert case.unit_id == world.parent.id
    assert events(session, case, "reassign") == []


def test_notifications_go_to_the_ladders_recipients(session, world):
    case, _clock = world.case_with_clock()
    sweep(session, now=STEP_AT["before_2"], ladder=LOOKUP)
    assert [n.user_id for n in inbox(session, case, "clock_due_soon")] == [world.handler.id]
    sweep(session, now=STEP_AT["due"], ladder=LOOKUP)
    assert {n.user_id for n in inbox(session, case, "clock_overdue")} == {world.handler.id, world.head.id}
    sweep(session, now=STEP_AT["after_5"], ladder=LOOKUP)
    escalated = inbox(session, case, "clock_escalated")
    # after_2: unit head + parent head; after_5 (queued before the case moves up): parent head + supervisors
    assert sorted(n.user_id for n in escalated) == sorted(
        [world.head.id, world.parent_head.id, world.parent_head.id, world.supervisor.id])
    first = inbox(session, case, "clock_due_soon")[0]
    assert first.subject == f"Sắp đến hạn: {case.tracking_code} - Thời hạn giải quyết"
    assert "02/12/2026" in first.body and "Nhắc trước 2 ngày" in first.body


def test_each_recipient_with_an_address_gets_a_pending_email(session, world):
    case, _clock = world.case_with_clock()
    sweep(session, now=AFTER_A_WEEK, ladder=LOOKUP)
    mails = list(session.scalars(select(Notification).where(Notification.case_id == case.id,
                                                            Notification.channel == "email")))
    assert mails and all(m.delivery == "pending" and m.next_attempt_at == AFTER_A_WEEK for m in mails)
    assert world.supervisor.id not in {m.user_id for m in mails}  # no address: inbox only


@pytest.mark.parametrize("table,at", [("clocks", STEP_AT["before_2"]), ("cases", STEP_AT["after_2"])])
def test_a_row_changed_meanwhile_is_skipped_not_overwritten(session, world, table, at):
    case, clock = world.case_with_clock()
    row_id = clock.id if table == "clocks" else case.id
    changed = {"done": False}

    def officer_edits_meanwhile(s, version, name):
        if not changed["done"]:  # an officer's committed change lands between the sweep's read and its write
            session.execute(text(f"UPDATE {table} SET version = version + 1 WHERE id = :id"), {"id": row_id})
            changed["done"] = True
        return LADDER

    report = sweep(session, now=at, ladder=officer_edits_meanwhile)
    assert report.stale == [clock.id] and report.fired == []
    assert records(session, clock) == [] and events(session, case) == [] and inbox(session, case) == []
    session.expire_all()
    assert session.get(Clock, clock.id).next_escalation_at == STEP_AT["before_2"]
    retry = sweep(session, now=at, ladder=LOOKUP)  # picked up next time
    assert retry.fired and retry.stale == []


def test_one_broken_clock_does_not_stop_the_others(session, world):
    pairs = [world.case_with_clock() for _ in range(3)]
    broken = pairs[1][1]
    world.pin(pairs[1][0], "wf-broken")

    def lookup(s, version, name):
        if version == "wf-broken":
            raise RuntimeError("quy trình hỏng")
        return LADDER

    report = sweep(session, now=STEP_AT["due"], ladder=lookup)
    assert set(report.failed) == {broken.id} and "quy trình hỏng" in report.failed[broken.id]
    assert {s.clock_id for s in report.fired} == {pairs[0][1].id, pairs[2][1].id}
    assert records(session, broken) == []
    assert broken.next_escalation_at == STEP_AT["before_2"]
    assert len(records(session, pairs[2][1])) == 2


def test_an_unknown_action_fails_only_that_clock(session, world):
    from dvflow.engine.types import LadderStep

    bad = (LadderStep("due", 0, "calendar_days", ("assignee",), ("explode",), "Đến hạn"),)
    case_a, clock_a = world.case_with_clock(ladder=bad)
    _case_b, clock_b = world.case_with_clock()
    world.pin(case_a, "wf-bad")
    report = sweep(session, now=STEP_AT["due"],
                   ladder=lambda s, version, name: bad if version == "wf-bad" else LADDER)
    assert set(report.failed) == {clock_a.id} and inbox(session, case_a) == []
    assert len(records(session, clock_b)) == 2


def test_a_step_someone_else_fired_is_not_fired_again(session, world, monkeypatch):
    case, clock = world.case_with_clock()
    session.add(EscalationRecord(clock_id=clock.id, step_key="before_2", due_at=STEP_AT["before_2"],
                                 fired_at=STEP_AT["before_2"], detail={}))
    session.flush()
    # the other scheduler's record appears after this one read the fired steps
    monkeypatch.setattr(sweep_mod, "_fired_keys", lambda s, ids: {i: set() for i in ids})
    report = sweep(session, now=STEP_AT["before_2"], ladder=LOOKUP)
    assert report.raced == [clock.id] and report.fired == []
    assert len(records(session, clock)) == 1 and events(session, case) == [] and inbox(session, case) == []


def test_paused_and_closed_clocks_are_not_swept(session, world):
    _c1, paused = world.case_with_clock()
    _c2, closed = world.case_with_clock()
    paused.state, paused.pauses = "paused", [{"start": "2026-11-10", "end": None}]
    closed.state, closed.closed_at, closed.closed_on = "met", STEP_AT["before_2"], STEP_AT["before_2"].date()
    from dvflow.services.deadlines.calendar import load_calendar
    from dvflow.services.deadlines.clocks import refresh

    refresh(session, paused, LADDER, load_calendar(session), STEP_AT["before_2"])
    closed.next_escalation_at = closed.next_step_key = None
    session.flush()
    assert due_clock_ids(session, AFTER_A_WEEK) == []
    assert sweep(session, now=AFTER_A_WEEK, ladder=LOOKUP).fired == []


def test_batches_page_through_sorted_ids(session, world):
    clocks = [world.case_with_clock()[1] for _ in range(7)]
    ids = due_clock_ids(session, STEP_AT["before_2"])
    assert ids == sorted(c.id for c in clocks)
    assert [len(b) for b in batches(ids, 3)] == [3, 3, 1]
    assert [b[0] for b in batches(ids, 3)] == [ids[0], ids[3], ids[6]]
    report = sweep(session, now=STEP_AT["before_2"], ladder=LOOKUP, batch_size=3)
    assert sorted(s.clock_id for s in report.fired) == ids and report.clocks == 7


def test_dry_run_lists_the_steps_and_changes_nothing(session, world):
    pairs = [world.case_with_clock() for _ in range(2)]
    sweep(session, now=STEP_AT["before_2"], ladder=LOOKUP)
    before = [count(session, m) for m in (EscalationRecord, Notification, CaseEvent)]
    versions = [c.version for _case, c in pairs]
    planned = preview(session, now=AFTER_A_WEEK, ladder=LOOKUP)
    assert [(p.clock_id, p.step) for p in planned] == [
        (c.id, k) for _case, c in pairs for k in ("due", "after_2", "after_5")]
    assert [p.due_at for p in planned[:3]] == [STEP_AT["due"], STEP_AT["after_2"], STEP_AT["after_5"]]
    session.expire_all()
    assert [count(session, m) for m in (EscalationRecord, Notification, CaseEvent)] == before
    assert [session.get(Clock, c.id).version for _case, c in pairs] == versions
    fired = sweep(session, now=AFTER_A_WEEK, ladder=LOOKUP).fired
    assert [(f.clock_id, f.step, f.due_at) for f in fired] == [(p.clock_id, p.step, p.due_at) for p in planned]


def test_the_due_query_is_served_by_the_partial_index(session, db_backend, world):
    # as in a real province: many open clocks whose next step is weeks away, a few due, and the statistics known
    # (on an empty table every index that admits open clocks costs the same, and any may be taken)
    clocks = [world.case_with_clock()[1] for _ in range(40)]
    for clock in clocks[2:]:
        clock.next_escalation_at = AFTER_A_WEEK + timedelta(days=50)
    session.flush()
    session.execute(text("ANALYZE"))
    # the statement due_clock_ids runs (see sweep._due), with its bound parameter named
    sql = ("SELECT clocks.id FROM clocks WHERE clocks.next_escalation_at IS NOT NULL "
           "AND clocks.next_escalation_at <= :now AND clocks.closed_at IS NULL")
    if db_backend == "sqlite":
        plan = session.execute(text("EXPLAIN QUERY PLAN " + sql), {"now": "2026-12-09 03:00:00.000000"}).all()
    else:
        session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = session.execute(text("EXPLAIN " + sql), {"now": AFTER_A_WEEK}).all()
    assert "ix_clocks_next_escalation_open" in " ".join(str(row) for row in plan)
