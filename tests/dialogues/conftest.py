"""A province with two communes (An Bình, Bình Minh) and a department; a user per role where conferences are held,
planned and watched. Conferences are planned and held through the services, as the pages do."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from factories import PASSWORD

from dvflow.services.cases.actions import perform
from dvflow.services.dialogues import conferences

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


@pytest.fixture
def login(app):
    from tests.web.conftest import Browser

    def _login(username: str):
        browser = Browser(app.test_client())
        browser.login(username)
        return browser
    return _login
