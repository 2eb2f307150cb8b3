"""Editing a planned reception session until it is published (service, page, API): the same checks as planning
it, its unit fixed, a delegation dropped with the official it stood in for; a published session is cancelled and
planned again instead, and a refused edit changes nothing."""
from __future__ import annotations

from datetime import date, time

import pytest
from factories import API_ORG, NOW, SERVICE_ORG, make_org

from config import ROOT
from dvflow.services.deadlines.calendar import load_calendar
from dvflow.services.errors import Forbidden, NotFound, ServiceError
from dvflow.services.reception import officials, schedule
from dvflow.services.reception.compliance import schedule_rules

from .helpers import published_session

RULES = schedule_rules(str(ROOT / "workflows"))
BASE = dict(kind="regular", mode="in_person", day=date(2026, 12, 3), start_time=time(8, 0), end_time=time(11, 0),
            place="Trụ sở Sở, số 1 Lê Lợi", booking_capacity=3, slot_minutes=30)


def _edit(session, org, row, user="reception", **kw):
    data = schedule.SessionInput(**{**BASE, "unit_id": row.unit_id, **kw})
    return schedule.update_session(session, org["users"][user], load_calendar(session), row.id, data, NOW)


def _official(session, org, name: str):
    data = officials.OfficialInput(unit_id=org["dept"].id, full_name=name, title="Giám đốc Sở",
                                   position="agency_head", active_from=date(2025, 1, 1), active_to=None, username="")
    return officials.add_official(session, org["users"]["head"], RULES, data, NOW)


@pytest.fixture
def service_org(session):
    return make_org(session, **SERVICE_ORG)


def test_a_planned_session_is_edited_and_a_stale_delegation_dropped(session, service_org):
    org = service_org
    first, second = _official(session, org, "Nguyễn Văn An"), _official(session, org, "Trần Thị Bình")
    row = published_session(session, org, publish=False, kind="periodic", official_id=first.id)
    schedule.record_delegation(session, org["users"]["reception"], row.id, "Phó Giám đốc Lê Văn Cường", "Đi công tác")
    _edit(session, org, row, kind="periodic", official_id=first.id, day=date(2026, 12, 4), start_time=time(13, 30),
          end_time=time(16, 30), place="Phòng họp số 2", notes="Đổi sang chiều thứ Sáu")
    assert (row.day, row.start_time, row.place, row.notes) == (date(2026, 12, 4), time(13, 30), "Phòng họp số 2",
                                                                "Đổi sang chiều thứ Sáu")
    assert row.delegate_name == "Phó Giám đốc Lê Văn Cường"  # same official: the delegation still stands
    _edit(session, org, row, kind="periodic", official_id=second.id)
    assert row.official_id == second.id and row.delegate_name is None and row.delegation_reason is None
    assert row.status == "planned"


@pytest.mark.parametrize("change, field", [
    ({"day": date(2026, 11, 20)}, "day"),  # already past
    ({"day": date(2026, 12, 5)}, "day"),  # a Saturday: a regular session is on a working day
    ({"end_time": time(7, 0)}, "end_time"),
    ({"booking_capacity": 10}, "booking_capacity"),  # 10 x 30 minutes do not fit in 3 hours
    ({"mode": "online", "meeting_url": ""}, "meeting_url"),
    ({"kind": "periodic"}, "official_id"),
])
def test_a_bad_edit_names_the_field_and_changes_nothing(session, service_org, change, field):
    row = published_session(session, service_org, publish=False)
    with pytest.raises(ServiceError) as err:
        _edit(session, service_org, row, **change)
    assert err.value.field == field
    session.refresh(row)
    assert (row.day, row.end_time, row.booking_capacity, row.mode) == (date(2026, 12, 3), time(11, 0), 3, "in_person")


def test_published_sessions_other_units_and_other_users_are_refused(session, service_org):
    org = service_org
    published = published_session(session, org)
    with pytest.raises(ServiceError) as err:
        _edit(session, org, published, place="Nơi khác")
    assert err.value.field == "status" and published.place != "Nơi khác"
    planned = published_session(session, org, publish=False)
    with pytest.raises(ServiceError) as err:
        _edit(session, org, planned, unit_id=org["other"].id)
    assert err.value.field == "unit_id"
    with pytest.raises(NotFound):  # another unit's session answers as a missing one: its id tells nothing
        _edit(session, org, planned, user="other_head")
    with pytest.raises(Forbidden):  # the unit's handler sees the session but does not plan
        _edit(session, org, planned, user="handler")


def test_the_page_edits_a_planned_session_and_sends_a_published_one_back(app, session, org, login):
    row = published_session(session, org, publish=False)
    page = login("reception")
    show = page.get(f"/tiep-nhan/lich/{row.id}").get_data(as_text=True)
    assert f'href="/tiep-nhan/lich/{row.id}/sua"' in show
    form = page.get(f"/tiep-nhan/lich/{row.id}/sua").get_data(as_text=True)
    assert 'value="Phòng tiếp công dân, số 1 Lê Lợi"' in form and 'value="2026-12-03"' in form
    values = {"unit_id": row.unit_id, "kind": "regular", "mode": "in_person", "day": "2026-12-04",
              "start_time": "14:00", "end_time": "16:00", "place": "Phòng 5", "booking_capacity": "2",
              "slot_minutes": "30"}
    bad = page.post(f"/tiep-nhan/lich/{row.id}/sua", {**values, "end_time": "13:00"},
                    token_from=f"/tiep-nhan/lich/{row.id}/sua")
    assert bad.status_code == 400 and "Giờ kết thúc: phải sau giờ bắt đầu." in bad.get_data(as_text=True)
    done = page.post(f"/tiep-nhan/lich/{row.id}/sua", values, token_from=f"/tiep-nhan/lich/{row.id}/sua")
    assert done.status_code == 302
    session.refresh(row)
    assert (row.day, row.start_time, row.place) == (date(2026, 12, 4), time(14, 0), "Phòng 5")
    published = published_session(session, org)
    back = page.get(f"/tiep-nhan/lich/{published.id}/sua")
    assert back.status_code == 302 and back.headers["Location"].endswith(f"/tiep-nhan/lich/{published.id}")
    assert login("other_head").get(f"/tiep-nhan/lich/{row.id}/sua").status_code == 404


def _fields(answer) -> list[str]:
    return [f["field"] for f in answer.json["error"]["fields"]]


def test_the_api_edits_a_planned_session(client, session):
    org = make_org(session, **API_ORG)
    row = published_session(session, org, publish=False)
    headers = {"Authorization": f"Bearer {org['tokens']['reception']}"}
    body = {"unit_id": row.unit_id, "kind": "regular", "day": "2026-12-04", "start_time": "09:00",
            "end_time": "10:00", "place": "Phòng 3", "booking_capacity": 2, "slot_minutes": 30, "publish": True}
    bad = client.put(f"/api/v1/reception/sessions/{row.id}", json={**body, "end_time": "08:00"}, headers=headers)
    assert bad.status_code == 400 and _fields(bad) == ["end_time"]
    done = client.put(f"/api/v1/reception/sessions/{row.id}", json=body, headers=headers)
    assert done.status_code == 200, done.json
    assert (done.json["day"], done.json["status"]) == ("2026-12-04", "published")
    again = client.put(f"/api/v1/reception/sessions/{row.id}", json=body, headers=headers)
    assert again.status_code == 400 and _fields(again) == ["status"]
    assert client.put("/api/v1/reception/sessions/999999", json=body, headers=headers).status_code == 404
    # an id past what the database holds is not a server error on either database
    huge = client.put("/api/v1/reception/sessions/99999999999999999999", json=body, headers=headers)
    assert huge.status_code == 405 and "error" in huge.json  # no PUT rule takes it (documented): JSON, never a 500


def test_a_session_that_has_begun_or_received_citizens_is_not_edited(session, service_org):
    """The desk opens the day's regular session as planned: once its day has come, or it holds a visit, what the
    reception book and the officials' compliance rest on (day, hours, official) stays as it was."""
    from dvflow.models import ReceptionVisit

    org = service_org
    today = published_session(session, org, publish=False, day=date(2026, 11, 25))  # NOW's day
    with pytest.raises(ServiceError) as err:
        _edit(session, org, today, place="Phòng khác")
    assert err.value.field == "status" and today.place != "Phòng khác"
    ahead = published_session(session, org, publish=False)
    assert schedule.may_edit(session, ahead, date(2026, 11, 25))
    # a visit in a session of a later day: written directly, as a row restored or entered late could be
    session.add(ReceptionVisit(session_id=ahead.id, unit_id=ahead.unit_id, year=2026, seq=1, received_on=ahead.day,
                               created_at=NOW, citizen_name="Lê Văn Khách", summary="Hỏi về thủ tục",
                               content_type="petition", outcome="answered", people_count=1))
    session.flush()
    assert not schedule.may_edit(session, ahead, date(2026, 11, 25))
    with pytest.raises(ServiceError):
        _edit(session, org, ahead, place="Phòng khác")
