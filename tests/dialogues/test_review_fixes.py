"""A voided follow-up leaves its origin's commitments panel; an odd year in the address is this year (a review's
reproductions, 2026-12-06)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from dvflow.services.cases import voiding
from dvflow.services.dialogues import commitments as dlg
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
