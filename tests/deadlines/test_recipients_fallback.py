"""Whom a step tells when the post it names is not there: an assignee who may no longer see the case (moved to
another unit) does not count, as for an unassigned case the unit head is told; a vacant head of the unit above passes
the escalation, and the case, to the next head up the tree, and the vacancy is logged for an admin to fill."""
from __future__ import annotations

from sqlalchemy import select

from dvflow.models import Clock, EscalationRecord, Membership, Notification, Unit
from dvflow.services.deadlines.sweep import sweep
from dvflow.services.org import access
from dvflow.services.org.accounts import grant_role, revoke_role

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


def test_an_assignee_who_heads_a_unit_above_still_sees_the_case_and_is_told(session, world):
    case, _clock = world.case_with_clock()
    case.assignee_id = world.parent_head.id  # a head sees the cases of the units below
    session.flush()
    sweep(session, now=STEP_AT["before_2"], ladder=LOOKUP)
    assert _told(session, case, "before_2") == [world.parent_head.id]
