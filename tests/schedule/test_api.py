"""/api/v1 reception schedules: the public schedule without a token, compliance and planning with one; JSON errors
naming the field."""
from __future__ import annotations

from datetime import date

import pytest
from factories import API_ORG, NOW, make_org

from config import ROOT
from dvflow.services.reception import bookings, officials
from dvflow.services.reception.compliance import schedule_rules


class Api:
    def __init__(self, client, token):
        self.client, self.token = client, token

    def _headers(self):
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path, **kw):
        return self.client.get(f"/api/v1{path}", headers=self._headers(), **kw)

    def post(self, path, body=None):
        return self.client.post(f"/api/v1{path}", json=body, headers=self._headers())


@pytest.fixture
def api_org(session):
    return make_org(session, **API_ORG)


@pytest.fixture
def api(client, api_org):
    return lambda user: Api(client, api_org["tokens"][user] if user else None)


def session_body(org, **kw):
    body = {"unit_id": org["dept"].id, "kind": "regular", "day": "2026-12-03", "start_time": "08:00",
            "end_time": "10:00", "place": "Phòng tiếp công dân", "booking_capacity": 2, "slot_minutes": 30}
    body.update(kw)
    return body


def test_plan_publish_and_read_the_public_schedule(app, session, api_org, api):
    created = api("reception").post("/reception/sessions", session_body(api_org, publish=True))
    assert created.status_code == 201, created.json
    assert created.json["status"] == "published"
    bookings.book(session, created.json["id"], bookings.BookingInput("Lò Văn Riêng", "0911999888", "Nội dung"), NOW)
    public = api(None).get("/public/reception-schedule")
    assert public.status_code == 200
    [item] = public.json["items"]
    assert (item["day"], item["start_time"], item["place"], item["free_slots"]) == (
        "2026-12-03", "08:00:00", "Phòng tiếp công dân", 1)
    assert "Lò Văn Riêng" not in public.get_data(as_text=True) and "0911999888" not in public.get_data(as_text=True)
    assert api(None).get("/public/reception-schedule?unit=SYT").json["items"] == []


@pytest.mark.parametrize("change, field", [
    ({"end_time": "07:00"}, "end_time"), ({"kind": "weekly"}, "kind"), ({"kind": "periodic"}, "official_id"),
    ({"day": "3/12/2026"}, "day"), ({"mode": "online"}, "meeting_url"), ({"booking_capacity": 9}, "booking_capacity"),
    # Vietnam's wall clock only: an offset was dropped silently, or (beside a time without one) a 500
    ({"start_time": "08:00:00+05:00"}, "start_time"), ({"start_time": "08:00:00+05:00", "end_time": "11:00+05:00"},
                                                       "start_time"),
    ({"start_time": 28800}, "start_time"), ({"end_time": "25:99"}, "end_time"),
])
def test_planning_errors_name_the_field(app, api_org, api, change, field):
    answer = api("reception").post("/reception/sessions", session_body(api_org, **change))
    assert answer.status_code == 400
    assert field in [f["field"] for f in answer.json["error"]["fields"]], answer.json
    if field in ("start_time", "end_time") and "07:00" not in change.values():  # malformed or impossible hours
        assert "HH:MM" in next(f["message"] for f in answer.json["error"]["fields"] if f["field"] == field)


def test_late_publishing_is_refused_and_nothing_is_written(app, session, api_org, api):
    answer = api("reception").post("/reception/sessions", session_body(api_org, mode="online", place="",
                                                                      meeting_url="https://hop.example.vn/a",
                                                                      day="2026-11-30", publish=True))
    assert answer.status_code == 400 and "Điều 24 khoản 4" in answer.json["error"]["message"]
    assert api("reception").get("/reception/compliance").status_code == 200
    from sqlalchemy import func, select

    from dvflow.models import ReceptionSession
    assert session.scalar(select(func.count()).select_from(ReceptionSession)) == 0


def test_planning_needs_a_token_and_the_right_role(app, api_org, api):
    assert api(None).post("/reception/sessions", session_body(api_org)).status_code == 401
    assert api("handler").post("/reception/sessions", session_body(api_org)).status_code == 403


def test_compliance_with_a_token(app, session, api_org, api):
    rules = schedule_rules(str(ROOT / "workflows"))
    official = officials.add_official(session, api_org["users"]["head"], rules, officials.OfficialInput(
        api_org["dept"].id, "Nguyễn Văn An", "Giám đốc Sở", "agency_head", date(2025, 1, 1)), NOW)
    answer = api("supervisor").get("/reception/compliance?period=month&day=2026-10-01")
    assert answer.status_code == 200
    [item] = answer.json["items"]
    assert item["official"]["id"] == official.id
    assert (item["required"], item["held"], item["missed"]) == (1, 0, 1)
    assert item["months"][0]["basis"] == ["Luật Tiếp công dân 2013, Điều 18 khoản 2 (sửa đổi bởi Luật số 136/2025/QH15)"]
    assert api("other_head").get("/reception/compliance?period=month&day=2026-10-01").json["items"] == []
    bad = api("head").get("/reception/compliance?period=range&day=2026-10-31&to=2026-10-01")
    assert bad.status_code == 400 and [f["field"] for f in bad.json["error"]["fields"]] == ["to"]
    assert api("head").get("/reception/compliance?period=week").status_code == 400
    assert api(None).get("/reception/compliance").status_code == 401
