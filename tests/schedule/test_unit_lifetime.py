"""A head owes reception days (Luật Tiếp công dân 2013, Điều 15, 18) only for the days their unit existed: nothing
after a dissolution, nothing before a new unit was made, a month the unit existed in part pro rata (half up, as for a
head in office part of a month); and no session is planned for a day the unit did not exist."""
from __future__ import annotations

from datetime import date, time

import pytest
from factories import NOW, SERVICE_ORG, make_org

from config import ROOT
from dvflow.services.deadlines.calendar import load_calendar
from dvflow.services.errors import ServiceError
from dvflow.services.org import accounts
from dvflow.services.org.units import dissolve_unit
from dvflow.services.reception import compliance, officials, schedule
from dvflow.services.reports import periodic, periods

RULES = compliance.schedule_rules(str(ROOT / "workflows"))


@pytest.fixture
def org(session):
    return make_org(session, **SERVICE_ORG)


def _official(session, org, unit, user="chair", position="agency_head", name="Nguyễn Văn An"):
    data = officials.OfficialInput(unit_id=unit.id, full_name=name, title="Giám đốc Sở", position=position,
                                   active_from=date(2025, 1, 1))
    return officials.add_official(session, org["users"][user], RULES, data, NOW)


def _months(session, official, year=2026) -> list[int]:
    c = compliance.official_compliance(session, RULES, load_calendar(session), official, date(year, 1, 1),
                                       date(year, 12, 31), date(2026, 12, 1))
    return [m.required for m in c.months]


def test_a_dissolved_units_head_owes_nothing_after_its_last_day(session, org):
    official = _official(session, org, org["dept"])
    assert _months(session, official) == [1] * 12
    dissolve_unit(session, None, "STNMT", date(2026, 7, 1), "SYT", NOW)
    assert _months(session, official) == [1] * 6 + [0] * 6
    start, end = date(2026, 8, 1), date(2026, 8, 31)
    assert compliance.unit_compliance(session, org["users"]["supervisor"], RULES, load_calendar(session), start, end,
                                      date(2026, 12, 1)) == []


def test_a_month_the_unit_existed_in_part_is_owed_pro_rata_half_up(session, org):
    official = _official(session, org, org["dept"])
    # dissolved from 20/07/2026: 13 of July's 23 working days (over half) owe July's day; from 10/07 (7 days) not
    dissolve_unit(session, None, "STNMT", date(2026, 7, 20), "SYT", NOW)
    assert _months(session, official)[6] == 1
    other = _official(session, org, org["other"], user="chair", name="Lê Thị Bình")
    dissolve_unit(session, None, "SYT", date(2026, 7, 10), "TINH", NOW)
    assert _months(session, other)[6] == 0


def test_a_new_units_head_owes_nothing_before_it_existed(session, org):
    new = accounts.create_unit(session, "SO-MOI", "Sở mới", parent_code="TINH", active_from=date(2026, 3, 1))
    official = _official(session, org, new)  # appointed, on paper, before the unit was made
    assert _months(session, official) == [0, 0] + [1] * 10


def test_the_periodic_reports_reception_section_leaves_the_dissolved_units_head_out(session, org):
    _official(session, org, org["dept"])
    dissolve_unit(session, None, "STNMT", date(2026, 7, 1), "SYT", NOW)

    def rows(quarter):
        report = periodic.build(session, unit_id=org["province"].id, visible=None, now=NOW, workflows_dir=str(
            ROOT / "workflows"), period=periods.bounds("quarter", 2026, quarter, "calendar"))
        return [r.label for r in next(s for s in report.sections if s.key == "tiep-cong-dan").rows if not r.total]
    assert rows(2) == ["Giám đốc Sở: Nguyễn Văn An"] and rows(3) == []


def test_no_session_is_planned_for_a_day_the_unit_did_not_exist(session, org):
    dissolve_unit(session, None, "STNMT", date(2026, 7, 1), "SYT", NOW)
    data = schedule.SessionInput(unit_id=org["dept"].id, kind="regular", mode="in_person", day=date(2026, 12, 3),
                                 start_time=time(8, 0), end_time=time(11, 0), place="Trụ sở", booking_capacity=0,
                                 slot_minutes=30)
    with pytest.raises(ServiceError) as refused:
        schedule.create_session(session, org["users"]["head"], load_calendar(session), data, NOW)
    assert refused.value.field == "day" and "không hoạt động vào ngày 03/12/2026" in refused.value.message
    assert org["dept"].id not in {u.id for u in schedule.plannable_units(session, org["users"]["head"])}
