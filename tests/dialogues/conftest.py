"""A province with two communes (An Bình, Bình Minh) and a department; a user per role where conferences are held,
planned and watched. Conferences are planned and held through the services, as the pages do."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from factories import PASSWORD
from web.conftest import login  # noqa: F401 - logging in through the real form, as the web pages' tests do

from dvflow.services.cases.actions import perform
from dvflow.services.dialogues import conferences
from dvflow.timeutil import TZ

#: 10/06/2026, 09:00 in Hanoi: mid-year, so a conference can be planned, held and called off within 2026
MID_2026 = datetime(2026, 6, 10, 2, 0, tzinfo=timezone.utc)
# username -> (unit key, role)
USERS = {"a_handler": ("xa_a", "handler"), "a_head": ("xa_a", "head"), "b_handler": ("xa_b", "handler"),
         "b_head": ("xa_b", "head"), "chair": ("province", "head"), "inspector": ("province", "supervisor"),
         "dept_head": ("dept", "head")}


@pytest.fixture
def communes(session):
    from dvflow.services.org import accounts

    org = {"province": accounts.create_unit(session, "TINH-D", "UBND tỉnh", level="province")}
    org["xa_a"] = accounts.create_unit(session, "XA-AB", "UBND xã An Bình", parent_code="TINH-D", level="commune")
    org["xa_b"] = accounts.create_unit(session, "XA-BM", "UBND xã Bình Minh", parent_code="TINH-D", level="commune")
    org["dept"] = accounts.create_unit(session, "SO-D", "Sở Nội vụ", parent_code="TINH-D")
    org["users"] = {}
    for name, (unit, role) in USERS.items():
        user = accounts.create_user(session, name, PASSWORD, now=MID_2026, full_name=f"Cán bộ {name}",
                                    email=f"{name}@example.test")
        accounts.grant_role(session, user, org[unit], role)
        org["users"][name] = user
    session.flush()
    return org


def plan(session, workflows, org, unit="xa_a", user="a_handler", on=date(2026, 9, 15), now=MID_2026):
    data = conferences.ConferenceInput(unit_id=org[unit].id, planned_on=on, place="Hội trường UBND xã",
                                       topics="Xây dựng nông thôn mới\nQuản lý đất đai",
                                       front_coorganiser="Bà Võ Thị Hoa, Chủ tịch UBMTTQ xã")
    return conferences.plan(session, workflows, org["users"][user], data, now)


HELD = {"place": "Hội trường UBND xã", "chair": "Ông Trần Văn Chủ, Chủ tịch UBND xã", "attendance_count": 140,
        "front_present": True, "front_representative": "Bà Võ Thị Hoa", "opinions": "Đường liên ấp xuống cấp",
        "answers": "Đưa vào kế hoạch đầu tư công 2027", "agreed": "Sửa đường trong quý II/2027"}


def hold(session, workflows, org, case, held_on=date(2026, 6, 9), user="a_head", now=MID_2026):
    return perform(session, workflows, org["users"][user], case.id, "hold",
                   {**HELD, "held_on": held_on.isoformat()}, now)


def later(days: int) -> datetime:
    return MID_2026 + timedelta(days=days)


def complaint_after_dialogue(session, workflows, org, now: datetime, *, minutes: bool = True):
    """A first-instance complaint of commune A whose dialogue was noticed and (with `minutes`) held, its minutes
    recorded; the steps dated over the 20 days before `now`."""
    from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case

    day = lambda n: (now - timedelta(days=n)).astimezone(TZ).date().isoformat()  # noqa: E731
    data = IntakeInput(kind="complaint_first", unit_id=org["xa_a"].id, channel="walk_in",
                       received_at=now - timedelta(days=20), subject="Khiếu nại cấp giấy phép xây dựng",
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An"),
                                PartyInput(role="respondent", name="Công chức địa chính xã")])
    case = register_case(session, workflows, org["users"]["a_handler"], data, now - timedelta(days=20))
    head = org["users"]["a_head"]
    perform(session, workflows, head, case.id, "accept", {"decision_number": "1/TB", "decision_date": day(19)}, now)
    perform(session, workflows, head, case.id, "verify", {"verifier": "Tổ 1", "effective_on": day(18),
                                                           "effective_reason": "Nhập sau"}, now)
    perform(session, workflows, head, case.id, "verification_report",
            {"report_date": day(15), "summary": "Còn khác nhau", "request_differs": True}, now)
    perform(session, workflows, head, case.id, "schedule_dialogue",
            {"notice_sent_on": day(12), "scheduled_on": day(5), "place": "UBND xã", "content": "Giấy phép"}, now)
    if minutes:
        perform(session, workflows, head, case.id, "record_minutes",
                {"held_on": day(5), "attendance": "present", "attendees": "Nguyễn Văn An\nCông chức địa chính xã",
                 "agreed": "Cấp lại giấy phép"}, now)
    return case
