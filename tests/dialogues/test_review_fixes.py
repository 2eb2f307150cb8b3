"""A voided follow-up leaves its origin's commitments panel; an odd year in the address is this year (a review's
reproductions, 2026-12-06)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from dvflow.models import Case, CaseEvent
from dvflow.services.cases import voiding
from dvflow.services.dialogues import commitments as dlg
from dvflow.services.errors import Conflict, ServiceError
from dvflow.timeutil import local_date

from .conftest import MID_2026, complaint_after_dialogue


def test_a_voided_follow_up_leaves_the_commitments_panel(session, workflows, communes):
    case = complaint_after_dialogue(session, workflows, communes, MID_2026)
    head = communes["users"]["a_head"]
    kept = dlg.add(session, workflows, head, case.id, dlg.DialogueCommitment(
        description="Sửa đường liên thôn", unit_id=communes["xa_a"].id, days=5, promised_by=""), MID_2026)
    wrong = dlg.add(session, workflows, head, case.id, dlg.DialogueCommitment(
        description="Cam kết ghi nhầm", unit_id=communes["xa_a"].id, days=5, promised_by=""), MID_2026)
    voiding.void_case(session, workflows, head, wrong.case_id, "Ghi nhầm cam kết, hủy bỏ theo biên bản", MID_2026)
    rows = dlg.panel(session, head, case, local_date(MID_2026 + timedelta(days=20)))
    assert [r.case_id for r in rows] == [kept.case_id]


@pytest.mark.parametrize("year", ["%C2%B2", "%E2%91%A0", "99999999999999999999"])
def test_an_odd_year_in_the_address_is_this_year(app, login, communes, year):
    browser = login("chair")
    for path in ("/doi-thoai", "/doi-thoai/tuan-thu"):
        assert browser.get(f"{path}?nam={year}").status_code == 200, path


def _commitment(session, workflows, communes, case, description="Sửa đường liên thôn"):
    return dlg.add(session, workflows, communes["users"]["a_head"], case.id, dlg.DialogueCommitment(
        description=description, unit_id=communes["xa_a"].id, days=5, promised_by=""), MID_2026)


def test_a_case_with_open_commitments_is_not_voided_alone(session, workflows, communes):
    """A promise made in a dialogue does not vanish with its case: voiding is refused, naming the commitments, and
    nothing is written."""
    case = complaint_after_dialogue(session, workflows, communes, MID_2026)
    row = _commitment(session, workflows, communes, case)
    code = session.get(Case, row.case_id).tracking_code
    with pytest.raises(Conflict) as err:
        voiding.void_case(session, workflows, communes["users"]["a_head"], case.id, "Nhập nhầm hồ sơ, hủy bỏ",
                          MID_2026)
    assert err.value.code == "open_commitments" and code in err.value.message
    assert case.voided_at is None and session.get(Case, row.case_id).voided_at is None


def test_finished_or_voided_commitments_do_not_hold_the_case(session, workflows, communes):
    case = complaint_after_dialogue(session, workflows, communes, MID_2026)
    row = _commitment(session, workflows, communes, case, "Cam kết ghi nhầm")
    head = communes["users"]["a_head"]
    voiding.void_case(session, workflows, head, row.case_id, "Ghi nhầm cam kết, hủy bỏ theo biên bản", MID_2026)
    done = voiding.void_case(session, workflows, head, case.id, "Nhập nhầm hồ sơ, hủy bỏ", MID_2026)
    assert done.voided_at is not None


def test_a_duplicate_hands_its_open_commitments_to_the_original(session, workflows, communes):
    original = complaint_after_dialogue(session, workflows, communes, MID_2026)
    twin = complaint_after_dialogue(session, workflows, communes, MID_2026)
    row = _commitment(session, workflows, communes, twin)
    head = communes["users"]["a_head"]
    voiding.void_case(session, workflows, head, twin.id, "Trùng với hồ sơ đã tiếp nhận trước", MID_2026,
                      duplicate_of=original.tracking_code)
    assert row.origin_case_id == original.id
    rows = dlg.panel(session, head, original, local_date(MID_2026))
    assert [r.case_id for r in rows] == [row.case_id]
    event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == twin.id, CaseEvent.action == "void")).one()
    assert event.payload["commitments_moved"] == [session.get(Case, row.case_id).tracking_code]


def test_a_case_is_not_voided_as_a_duplicate_of_its_own_commitment(session, workflows, communes):
    """The 'original' named is the follow-up case of a commitment promised in this very complaint: the commitment
    would become its own origin (a promise made in itself), lost from every panel."""
    case = complaint_after_dialogue(session, workflows, communes, MID_2026)
    row = _commitment(session, workflows, communes, case)
    with pytest.raises(ServiceError) as raised:
        voiding.void_case(session, workflows, communes["users"]["a_head"], case.id,
                          "Trùng với hồ sơ đã tiếp nhận trước", MID_2026,
                          duplicate_of=session.get(Case, row.case_id).tracking_code)
    assert raised.value.field == "duplicate_of" and "theo dõi cam kết" in raised.value.message
    assert row.origin_case_id == case.id and case.voided_at is None
