"""Commitments made in a dialogue: recorded on the case page after the minutes (a complaint) or once held (a
conference), each a follow-up case with its own clock; the panel shows its state and due day."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from dvflow.models import Case, Commitment
from dvflow.services.cases.actions import perform
from dvflow.services.dialogues import commitments
from dvflow.services.errors import Forbidden, ServiceError
from dvflow.timeutil import local_date

from .conftest import MID_2026, complaint_after_dialogue, hold, plan

PROMISE = commitments.DialogueCommitment(description="Cấp lại giấy phép xây dựng cho ông An", unit_id=None, days=15,
                                         promised_by="Ông Trần Văn Chủ, Chủ tịch UBND xã")


def _promise(org, **kw):
    return commitments.DialogueCommitment(**{**PROMISE.__dict__, "unit_id": org["xa_a"].id, **kw})


def _count(session):
    return session.scalar(select(func.count()).select_from(Commitment))


def test_a_complaint_takes_commitments_after_its_minutes(session, workflows, communes):
    case = complaint_after_dialogue(session, workflows, communes, MID_2026)
    row = commitments.add(session, workflows, communes["users"]["a_handler"], case.id, _promise(communes), MID_2026)
    assert (row.source, row.origin_case_id, row.promised_by) == ("dialogue", case.id, PROMISE.promised_by)
    follow = session.get(Case, row.case_id)
    assert follow.kind == "follow_up" and follow.unit_id == communes["xa_a"].id
    [shown] = commitments.panel(session, communes["users"]["a_head"], case, local_date(MID_2026))
    assert (shown.tracking_code, shown.state, shown.days, shown.closed) == (follow.tracking_code, "assigned", 15, False)
    # 15 days from the dialogue (Friday 05/06/2026, five days before it was recorded) end on Saturday 20/06: due
    # Monday 22/06 (Bộ luật Dân sự 2015, Điều 148), not 15 days from the day it was recorded
    assert shown.due_date == date(2026, 6, 22) and not shown.overdue and shown.visible
    # late: past its due day the panel says so, even before the sweep marks the clock
    [late] = commitments.panel(session, communes["users"]["a_head"], case, date(2026, 6, 23))
    assert late.overdue


def test_no_commitment_before_the_dialogue_was_held(session, workflows, communes):
    case = complaint_after_dialogue(session, workflows, communes, MID_2026, minutes=False)
    assert not commitments.may_add(session, communes["users"]["a_head"], case)
    with pytest.raises(ServiceError) as err:
        commitments.add(session, workflows, communes["users"]["a_head"], case.id, _promise(communes), MID_2026)
    assert err.value.field == "description" and _count(session) == 0


@pytest.mark.parametrize("change, field", [({"days": 0}, "days"), ({"days": 400}, "days"), ({"days": None}, "days"),
                                           ({"description": "  "}, "description"), ({"unit_id": None}, "unit_id")])
def test_a_wrong_commitment_names_the_field_and_writes_nothing(session, workflows, communes, change, field):
    case = complaint_after_dialogue(session, workflows, communes, MID_2026)
    cases_before = session.scalar(select(func.count()).select_from(Case))
    with pytest.raises(ServiceError) as err:
        commitments.add(session, workflows, communes["users"]["a_head"], case.id, _promise(communes, **change),
                        MID_2026)
    assert err.value.field == field
    assert _count(session) == 0 and session.scalar(select(func.count()).select_from(Case)) == cases_before


def test_a_commitment_goes_to_the_users_unit_or_one_below(session, workflows, communes):
    case = complaint_after_dialogue(session, workflows, communes, MID_2026)
    with pytest.raises(Forbidden):
        commitments.add(session, workflows, communes["users"]["a_head"], case.id,
                        _promise(communes, unit_id=communes["xa_b"].id), MID_2026)
    assert [u.id for u in commitments.responsible_units(session, communes["users"]["a_head"])] == [communes["xa_a"].id]
    # a supervisor reads the case but adds nothing
    assert not commitments.may_add(session, communes["users"]["inspector"], case)


def test_a_conference_takes_commitments_once_held_never_when_called_off(session, workflows, communes):
    conference = plan(session, workflows, communes, on=date(2026, 6, 9))
    assert not commitments.may_add(session, communes["users"]["a_head"], conference)  # planned, not held
    hold(session, workflows, communes, conference)
    row = commitments.add(session, workflows, communes["users"]["a_head"], conference.id,
                          _promise(communes, description="Lắp 20 bộ đèn chiếu sáng thôn 1", days=60), MID_2026)
    assert row.source == "conference" and row.origin_case_id == conference.id
    # 60 days from the conference (09/06/2026), recorded the next day: Saturday 08/08, due Monday 10/08
    [promise] = commitments.panel(session, communes["users"]["a_head"], conference, local_date(MID_2026))
    assert promise.due_date == date(2026, 8, 10)
    off = plan(session, workflows, communes, on=date(2026, 10, 1))
    perform(session, workflows, communes["users"]["a_head"], off.id, "call_off", {"reason": "Bão"}, MID_2026)
    assert commitments.source_of(off) is None
    with pytest.raises(ServiceError):
        commitments.add(session, workflows, communes["users"]["a_head"], off.id, _promise(communes), MID_2026)
