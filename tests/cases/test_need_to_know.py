"""Need-to-know for a denouncer: a handler cannot take a colleague's case, a reveal needs a head's designation and
a real reason, and of two people assigning at once the second is told (issue #14, items 1 and 9)."""
from __future__ import annotations

import pytest
from factories import NOW, make_org
from sqlalchemy import func, select

from dvflow.models import IdentityAccess
from dvflow.services.cases import assign, reveal_identity
from dvflow.services.cases.confidentiality import may_reveal
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.errors import Conflict, Forbidden, ServiceError

REASON = "Cần liên hệ người tố cáo để bổ sung chứng cứ"


@pytest.fixture
def team(session):
    org = make_org(session, units=("province", "dept"), users=("reception", "handler", "head"))
    from dvflow.services.org import accounts

    org["users"]["handler2"] = accounts.create_user(session, "handler2", "mat-khau-rat-dai-123", now=NOW)
    accounts.grant_role(session, org["users"]["handler2"], org["dept"], "handler")
    return org


def denunciation(session, workflows, org):
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="walk_in", received_at=NOW,
                       subject="Tố cáo cán bộ địa chính", parties=[
                           PartyInput(role="denouncer", name="Phan Văn Kín", identity_number="001086000555"),
                           PartyInput(role="accused", name="Ông Bị Tố")])
    case = register_case(session, workflows, org["users"]["reception"], data, NOW)
    session.flush()
    return case, case.parties[0].party_id


def test_a_handler_takes_only_an_unassigned_case(session, workflows, team):
    case, _ = denunciation(session, workflows, team)
    users = team["users"]
    assign(session, users["handler"], case.id, users["handler"].id, NOW)
    with pytest.raises(Forbidden, match="chỉ thủ trưởng đơn vị mới giao lại"):
        assign(session, users["handler2"], case.id, users["handler2"].id, NOW)
    assert case.assignee_id == users["handler"].id
    assign(session, users["head"], case.id, users["handler2"].id, NOW)  # reassignment is the head's act
    assert case.assignee_id == users["handler2"].id


def test_only_a_head_designated_assignee_may_reveal(session, workflows, team):
    case, party = denunciation(session, workflows, team)
    users = team["users"]
    assign(session, users["handler"], case.id, users["handler"].id, NOW)  # took it by themself
    assert not may_reveal(session, users["handler"], case)
    with pytest.raises(Forbidden):
        reveal_identity(session, users["handler"], case.id, party, REASON, NOW)
    assign(session, users["head"], case.id, users["handler"].id, NOW)  # now designated by the head
    assert may_reveal(session, users["handler"], case)
    reveal_identity(session, users["handler"], case.id, party, REASON, NOW)
    assert session.scalar(select(func.count()).select_from(IdentityAccess)) == 1


@pytest.mark.parametrize("reason", ["", ".", "xem", "  cần   xem  ngay  "])
def test_a_reveal_needs_a_real_reason(session, workflows, team, reason):
    case, party = denunciation(session, workflows, team)
    with pytest.raises(ServiceError, match="ít nhất 20 ký tự") as err:
        reveal_identity(session, team["users"]["head"], case.id, party, reason, NOW)
    assert err.value.field == "reason"
    assert session.scalar(select(func.count()).select_from(IdentityAccess)) == 0


def test_an_assignment_on_a_stale_page_is_a_conflict(session, workflows, team):
    case, _ = denunciation(session, workflows, team)
    users = team["users"]
    seen = case.version
    assign(session, users["head"], case.id, users["handler"].id, NOW, expected_version=seen)
    with pytest.raises(Conflict):
        assign(session, users["head"], case.id, users["handler2"].id, NOW, expected_version=seen)
    assert case.assignee_id == users["handler"].id
