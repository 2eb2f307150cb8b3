"""Nothing is received into, or assigned in, a unit dissolved in the 2025 mergers, nor received by a new unit with a
date before it existed (unless a unit it took over from existed then); each refusal names the field."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from dvflow.services.cases import assign
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.errors import ServiceError
from dvflow.services.org import accounts
from dvflow.services.org.units import dissolve_unit
from dvflow.timeutil import TZ

NOW = datetime.combine(date(2026, 11, 25), time(9), TZ)


def _intake(session, workflows, org, unit, received: date, user="reception"):
    data = IntakeInput(kind="petition", unit_id=org[unit].id if isinstance(unit, str) else unit.id, channel="walk_in",
                       received_at=datetime.combine(received, time(9), TZ), subject="Kiến nghị sửa đường",
                       parties=[PartyInput(role="petitioner", name="Nguyễn Văn An")])
    return register_case(session, workflows, org["users"][user], data, NOW)


def _refused(call, field: str, text: str) -> None:
    with pytest.raises(ServiceError) as refused:
        call()
    assert refused.value.field == field and text in refused.value.message, refused.value.message


def test_a_dissolved_unit_receives_nothing_and_names_its_successor(session, workflows, org):
    dissolve_unit(session, None, "STNMT", date(2026, 7, 1), "SYT", NOW)
    for received in (date(2026, 8, 3), date(2026, 6, 15)):  # after its last day, and backdated before it
        _refused(lambda: _intake(session, workflows, org, "dept", received), "unit_id",
                 "Đơn vị «Sở NN&MT» đã giải thể từ ngày 01/07/2026; công việc của đơn vị chuyển sang «Sở Y tế»")


def test_a_new_unit_receives_nothing_dated_before_it_existed_unless_a_predecessor_did(session, workflows, org):
    new = accounts.create_unit(session, "XA-MOI", "Xã Mới", parent_code="TINH", level="commune",
                               active_from=date(2026, 7, 1))
    clerk = org["users"]["xa_reception"]
    accounts.grant_role(session, clerk, new, "reception")
    org["new"] = new
    _refused(lambda: _intake(session, workflows, org, new, date(2026, 6, 30), user="xa_reception"), "received_at",
             "chỉ hoạt động từ ngày 01/07/2026: ngày 30/06/2026")
    assert _intake(session, workflows, org, new, date(2026, 7, 1), user="xa_reception").unit_id == new.id
    # Xã Xa merges into it: a letter Xã Xa received on 30/06 is now the new commune's, with its own receipt date
    dissolve_unit(session, None, "XA-XA", date(2026, 7, 1), "XA-MOI", NOW)
    late = _intake(session, workflows, org, new, date(2026, 6, 30), user="xa_reception")
    assert late.unit_id == new.id and late.received_at.date() == date(2026, 6, 30)


def test_a_closed_case_left_in_a_dissolved_unit_is_assigned_to_nobody_more(session, workflows, org):
    case = _intake(session, workflows, org, "dept", date(2026, 6, 1))
    case.status = "closed"  # a closed case stays with its unit as history
    session.flush()
    dissolve_unit(session, None, "STNMT", date(2026, 7, 1), "SYT", NOW)
    _refused(lambda: assign(session, org["users"]["head"], case.id, org["users"]["handler"].id, NOW + timedelta(1)),
             "assignee_id", "đã giải thể")
