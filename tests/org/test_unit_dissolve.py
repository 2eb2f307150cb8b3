"""Dissolving a unit into its successor (the 2025 mergers): one use case that sets the unit's last day and successor
and moves its open cases, with their clocks as they were, an event in each history and the assignee kept only when
they hold a role in the successor; refused, naming the field, when the input is wrong."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from dvflow import org_tree
from dvflow.models import AdminEvent, Case, CaseEvent, Clock, Notification, Unit
from dvflow.services.cases import assign
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.cases.voiding import void_case
from dvflow.services.errors import ServiceError
from dvflow.services.org import access, accounts
from dvflow.services.org.units import dissolve_unit
from dvflow.timeutil import TZ

RECEIVED = datetime.combine(date(2026, 6, 15), time(9), TZ)
NOW = datetime.combine(date(2026, 11, 25), time(9), TZ)
MERGED = date(2026, 7, 1)


def make(session, workflows, org, unit="dept", user="reception", subject="Khiếu nại thu hồi đất"):
    data = IntakeInput(kind="complaint_first", unit_id=org[unit].id, channel="walk_in", received_at=RECEIVED,
                       subject=subject, parties=[PartyInput(role="complainant", name="Nguyễn Văn An")])
    case = register_case(session, workflows, org["users"][user], data, RECEIVED + timedelta(hours=1))
    session.flush()
    return case


def _due_dates(session, case) -> list:
    return [(c.name, c.start_date, c.due_date, c.closed_at) for c in
            session.scalars(select(Clock).where(Clock.case_id == case.id).order_by(Clock.id))]


def test_open_cases_move_with_their_clocks_and_an_event_naming_both_units(session, workflows, org):
    moving, voided, closed = (make(session, workflows, org, subject=s) for s in ("Đơn một", "Đơn hai", "Đơn ba"))
    assign(session, org["users"]["head"], moving.id, org["users"]["handler"].id, NOW)
    void_case(session, workflows, org["users"]["head"], voided.id, "Nhập trùng với hồ sơ khác", NOW)
    closed.status = "closed"
    session.flush()
    clocks_before = _due_dates(session, moving)
    version = moving.version

    done = dissolve_unit(session, None, "STNMT", MERGED, "SYT", NOW)

    assert [c.id for c in done.cases] == [moving.id] and done.unassigned == 1
    session.expire_all()
    dept = session.get(Unit, org["dept"].id)
    assert (dept.active_to, dept.successor_id) == (date(2026, 6, 30), org["other"].id)
    moved = session.get(Case, moving.id)
    assert moved.unit_id == org["other"].id and moved.version == version + 1
    # the handler holds no role in SYT: nobody holds the case there until its head assigns it
    assert moved.assignee_id is None
    assert _due_dates(session, moved) == clocks_before  # a merger is no new receipt: the clocks run on
    assert session.get(Case, voided.id).unit_id == session.get(Case, closed.id).unit_id == org["dept"].id
    event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == moving.id)
                            .order_by(CaseEvent.id.desc()).limit(1)).one()
    assert event.action == "reassign" and event.payload["reason"] == "merger"
    assert (event.payload["from_unit_code"], event.payload["to_unit_code"]) == ("STNMT", "SYT")
    assert event.payload["previous_assignee"] == org["users"]["handler"].id and event.payload["assignee"] is None
    assert "Sở NN&MT (STNMT) giải thể, sáp nhập vào Sở Y tế (SYT) từ ngày 01/07/2026" in event.payload["note"]
    told = session.scalars(select(Notification).where(Notification.case_id == moving.id,
                                                      Notification.template == "case_unit_merged")).all()
    assert {n.user_id for n in told} == {org["users"]["other_head"].id}
    record = session.scalars(select(AdminEvent).where(AdminEvent.action == "unit_dissolved")).one()
    assert record.unit_id == dept.id and record.detail["successor"] == "SYT" and record.detail["cases"] == 1


def test_an_assignee_with_a_role_in_the_successor_keeps_the_case(session, workflows, org):
    case = make(session, workflows, org)
    handler = org["users"]["handler"]
    assign(session, org["users"]["head"], case.id, handler.id, NOW)
    accounts.grant_role(session, handler, org["other"], "handler")
    dissolve_unit(session, None, "STNMT", MERGED, "SYT", NOW)
    assert case.assignee_id == handler.id and case.unit_id == org["other"].id
    told = session.scalars(select(Notification).where(Notification.case_id == case.id,
                                                      Notification.template == "case_unit_merged")).all()
    assert {n.user_id for n in told} == {handler.id}


def test_the_dissolved_units_roles_give_no_access_to_the_moved_cases(session, workflows, org):
    case = make(session, workflows, org)
    dissolve_unit(session, None, "STNMT", MERGED, "SYT", NOW)
    for name in ("head", "handler", "reception"):
        assert not access.can_see(session, org["users"][name], case)
    assert access.can_see(session, org["users"]["other_head"], case)
    # the memberships stay: the history names who held which role where
    assert org["dept"].id in {m.unit_id for m in access.memberships(session, org["users"]["head"])}


def test_a_remote_communes_cases_keep_its_longer_limits(session, workflows, org):
    plain = accounts.create_unit(session, "XA-GAN", "Xã Gần", parent_code="TINH", level="commune")
    case = make(session, workflows, org, unit="remote", user="xa_reception")
    dissolve_unit(session, None, "XA-XA", MERGED, "XA-GAN", NOW)
    assert case.unit_id == plain.id and case.remote_area and "remote_area" in case.flags


def test_the_tree_the_process_caches_sees_the_dissolution_at_once(session, org):
    assert org_tree.exists_on(session, org["dept"].id, MERGED)
    dissolve_unit(session, None, "STNMT", MERGED, "SYT", NOW)
    assert not org_tree.exists_on(session, org["dept"].id, MERGED)
    assert org_tree.exists_on(session, org["dept"].id, MERGED - timedelta(days=1))
    assert org_tree.heir(session, org["dept"].id) == org["other"].id


def _refused(session, code, on, into, field, text, **kwargs):
    with pytest.raises(ServiceError) as refused:
        dissolve_unit(session, None, code, on, into, NOW, **kwargs)
    assert refused.value.field == field and text in refused.value.message, refused.value.message


def test_wrong_input_is_refused_naming_the_field(session, org):
    new = accounts.create_unit(session, "XA-MOI", "Xã Mới", parent_code="TINH", level="commune",
                               active_from=date(2025, 7, 1))
    _refused(session, "KHONG-CO", MERGED, "SYT", "code", "Không có đơn vị mã «KHONG-CO»")
    _refused(session, "STNMT", MERGED, "", "into", "Nhập mã đơn vị kế thừa")
    _refused(session, "STNMT", MERGED, "KHONG-CO", "into", "Không có đơn vị mã «KHONG-CO»")
    _refused(session, "STNMT", MERGED, "STNMT", "into", "phải khác")
    _refused(session, "STNMT", None, "SYT", "on", "Nhập ngày")
    _refused(session, "STNMT", date(2026, 11, 26), "SYT", "on", "không được sau hôm nay")
    _refused(session, "XA-MOI", date(2025, 6, 30), "SYT", "on", "phải sau ngày đơn vị «XA-MOI» bắt đầu hoạt động")
    _refused(session, "XA-MOI", date(2025, 7, 1), "SYT", "on", "01/07/2025")
    _refused(session, "STNMT", date(2025, 6, 30), "XA-MOI", "into", "chỉ hoạt động từ ngày 01/07/2025")
    _refused(session, "TINH", MERGED, "XA-MOI", "into", "trực thuộc")
    dissolve_unit(session, None, "SYT", MERGED, "STNMT", NOW)
    _refused(session, "STNMT", MERGED, "SYT", "into", "Đơn vị kế thừa «SYT» đã giải thể")
    _refused(session, "SYT", MERGED, "STNMT", "code", "đã giải thể từ ngày 01/07/2026")
    assert new.active_to is None and org["dept"].active_to is None


def test_sessions_still_planned_from_the_day_on_refuse_until_cancelled(session, org):
    from datetime import time

    from dvflow.models import ReceptionSession

    def add(day, status):
        session.add(ReceptionSession(unit_id=org["dept"].id, kind="regular", mode="in_person", day=day,
                                     start_time=time(8), end_time=time(11), place="Trụ sở", status=status,
                                     created_at=NOW))
        session.flush()
    add(date(2026, 6, 10), "published")  # before the day: held or not, it is the unit's past
    add(date(2026, 9, 10), "held")
    add(date(2026, 12, 3), "cancelled")
    add(date(2026, 12, 10), "published")
    _refused(session, "STNMT", MERGED, "SYT", "code", "còn 1 phiên tiếp công dân đã lập từ ngày 10/12/2026")


def test_children_still_existing_refuse_unless_moved_to_the_successor(session, org):
    other_province = accounts.create_unit(session, "TINH-B", "UBND tỉnh B", level="province")
    _refused(session, "TINH", MERGED, "TINH-B", "code", "còn đơn vị trực thuộc đang hoạt động (STNMT, SYT, XA-XA)")
    done = dissolve_unit(session, None, "TINH", MERGED, "TINH-B", NOW, move_children=True)
    assert [c.code for c in done.children] == ["STNMT", "SYT", "XA-XA"]
    assert {org[k].parent_id for k in ("dept", "other", "remote")} == {other_province.id}
    moves = session.scalars(select(AdminEvent).where(AdminEvent.action == "unit_parent_changed")).all()
    assert sorted(e.detail["code"] for e in moves) == ["STNMT", "SYT", "XA-XA"]
    assert moves[0].detail["parent"] == ["TINH", "TINH-B"]


def test_a_unit_created_under_a_dissolved_parent_is_refused(session, org):
    dissolve_unit(session, None, "SYT", MERGED, "STNMT", NOW)
    with pytest.raises(ServiceError) as refused:
        accounts.create_unit(session, "PHONG", "Phòng", parent_code="SYT")
    assert refused.value.field == "parent"
    created = accounts.create_unit(session, "XA-C", "Xã C", parent_code="TINH", level="commune",
                                   active_from=date(2025, 7, 1))
    assert created.active_from == date(2025, 7, 1) and not created.exists_on(date(2025, 6, 30))
