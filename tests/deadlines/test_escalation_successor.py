"""An escalation going up through a unit dissolved in the 2025 mergers goes to the unit that took over its work (its
successor), or on to the dissolved unit's own parent when nobody did: never to a unit that no longer exists."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from dvflow import org_tree
from dvflow.models import Clock, EscalationRecord, Unit
from dvflow.notify import outbox
from dvflow.services.deadlines.sweep import sweep

from .helpers import STEP_AT, fixed_ladder

LOOKUP = fixed_ladder()


def _told(session, case, step_key) -> list[int]:
    [record] = session.scalars(select(EscalationRecord).join(Clock, Clock.id == EscalationRecord.clock_id)
                               .where(EscalationRecord.step_key == step_key, Clock.case_id == case.id)).all()
    return record.detail["notified"]


def _dissolve(session, unit, successor=None) -> None:
    """The unit's lifetime as an older tree may hold it: dissolved, its child still under it."""
    unit.active_to, unit.successor_id = date(2025, 6, 30), successor.id if successor else None
    session.flush()
    org_tree.forget(session)


def test_an_escalation_through_a_dissolved_unit_goes_to_its_successor(session, world):
    merged = Unit(code="P2", name="UBND tỉnh mới", level="province")
    session.add(merged)
    session.flush()
    chair = world._user("chair2", "Hồ Văn Chủ", merged, "head", email=True)
    session.flush()
    _dissolve(session, world.parent, merged)
    case, _clock = world.case_with_clock()
    assert outbox.head_unit_above(session, world.unit.id) == merged.id
    sweep(session, now=STEP_AT["after_5"], ladder=LOOKUP)
    assert chair.id in _told(session, case, "after_2") and world.parent_head.id not in _told(session, case, "after_2")
    assert (case.unit_id, case.assignee_id) == (merged.id, None)


def test_without_a_successor_the_escalation_goes_on_to_the_dissolved_units_parent(session, world):
    top = Unit(code="TW", name="Thanh tra Chính phủ", level="province")
    session.add(top)
    session.flush()
    world.parent.parent_id = top.id
    chief = world._user("chief", "Đỗ Văn Chánh", top, "head", email=True)
    session.flush()
    _dissolve(session, world.parent)
    case, _clock = world.case_with_clock()
    sweep(session, now=STEP_AT["after_5"], ladder=LOOKUP)
    assert _told(session, case, "after_5") == [chief.id]
    assert (case.unit_id, case.assignee_id) == (top.id, None)
