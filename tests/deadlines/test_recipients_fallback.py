"""Whom a step tells when the post it names is not there: an assignee who may no longer see the case (moved to
another unit) does not count, as for an unassigned case the unit head is told; a vacant head of the unit above passes
the escalation, and the case, to the next head up the tree, and the vacancy is logged for an admin to fill."""
from __future__ import annotations

import logging

from sqlalchemy import delete, select

from dvflow import org_tree
from dvflow.models import Clock, EscalationRecord, Membership, Notification, Unit
from dvflow.services.deadlines.sweep import sweep
from dvflow.services.org import access
from dvflow.services.org.accounts import grant_role, revoke_role, set_active

from .helpers import STEP_AT, fixed_ladder

LOOKUP = fixed_ladder()


def _told(session, case, step_key) -> list[int]:
    [record] = session.scalars(select(EscalationRecord).join(Clock, Clock.id == EscalationRecord.clock_id)
                               .where(EscalationRecord.step_key == step_key, Clock.case_id == case.id)).all()
    return record.detail["notified"]


def _move_out(session, world, user) -> None:
    """An admin moves the officer to another unit: their role in the case's unit goes, one elsewhere comes."""
    other = Unit(code="SYT", name="Sở Y tế", level="department", parent=world.parent)
    session.add(other)
    session.flush()
    [held] = session.scalars(select(Membership).where(Membership.user_id == user.id)).all()
    revoke_role(session, world.head, user, held.id)
    grant_role(session, user, other, "handler")


def test_an_assignee_moved_to_another_unit_is_not_told_the_unit_head_is(session, world):
    case, _clock = world.case_with_clock()
    _move_out(session, world, world.handler)
    assert not access.can_see(session, world.handler, case)
    sweep(session, now=STEP_AT["before_2"], ladder=LOOKUP)  # before_2 tells the assignee
    assert _told(session, case, "before_2") == [world.head.id]
    assert session.scalars(select(Notification.id).where(Notification.user_id == world.handler.id)).all() == []


def test_a_deactivated_assignee_is_not_counted_the_unit_head_is_told(session, world):
    case, _clock = world.case_with_clock()
    set_active(session, world.head, world.handler, False, STEP_AT["before_2"])  # the officer left the agency
    sweep(session, now=STEP_AT["before_2"], ladder=LOOKUP)  # before_2 tells the assignee
    assert _told(session, case, "before_2") == [world.head.id]


def test_an_assignee_who_heads_a_unit_above_still_sees_the_case_and_is_told(session, world):
    case, _clock = world.case_with_clock()
    case.assignee_id = world.parent_head.id  # a head sees the cases of the units below
    session.flush()
    sweep(session, now=STEP_AT["before_2"], ladder=LOOKUP)
    assert _told(session, case, "before_2") == [world.parent_head.id]


def _vacate(session, unit) -> None:
    session.execute(delete(Membership).where(Membership.unit_id == unit.id))
    org_tree.forget(session)


def test_a_vacant_head_above_passes_the_escalation_and_the_case_up_the_tree(session, world, caplog):
    top = Unit(code="TW", name="Thanh tra Chính phủ", level="province")
    session.add(top)
    session.flush()
    world.parent.parent_id = top.id
    chief = world._user("chief", "Đỗ Văn Chánh", top, "head", email=True)
    session.flush()
    _vacate(session, world.parent)  # the province's head (and supervisor) posts are vacant
    case, _clock = world.case_with_clock()
    with caplog.at_level(logging.WARNING):
        sweep(session, now=STEP_AT["after_5"], ladder=LOOKUP)
    assert chief.id in _told(session, case, "after_2") and chief.id in _told(session, case, "after_5")
    assert (case.unit_id, case.assignee_id) == (top.id, None)  # the next unit with a head, not the vacant one
    assert any(r.levelname == "WARNING" and world.parent.code in r.getMessage() for r in caplog.records)


def test_at_the_top_of_the_tree_a_vacant_head_above_leaves_the_units_own_head_and_the_case_in_place(session, world,
                                                                                                      caplog):
    _vacate(session, world.parent)
    case, _clock = world.case_with_clock()
    with caplog.at_level(logging.WARNING):
        sweep(session, now=STEP_AT["after_5"], ladder=LOOKUP)
    assert _told(session, case, "after_5") == [world.head.id]
    assert (case.unit_id, case.assignee_id) == (world.unit.id, world.handler.id)
    [record] = session.scalars(select(EscalationRecord).where(EscalationRecord.step_key == "after_5")).all()
    [reassign] = [a for a in record.detail["actions"] if a["action"] == "reassign_parent"]
    assert reassign["changed"] is False
    assert any(r.levelname == "WARNING" and world.parent.code in r.getMessage() for r in caplog.records)
