"""Public tracking (/tra-cuu and /api/v1/public/track): code + secret, nothing personal; ratings once, closed only."""
from __future__ import annotations

import re
from datetime import date

import pytest

from dvflow.extensions import limiter
from dvflow.models import Case
from dvflow.services import ratings
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.errors import Conflict, ServiceError

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _roles(defn) -> list[str]:
    return list(defn.party_roles) or ["petitioner"]


def _secret_case(app, session, org, kind: str, n: int) -> tuple[Case, list[str]]:
    workflows = app.extensions["dvflow.workflows"]
    defn = workflows.latest(kind)
    marks = [f"Zyxwv Bí Mật {n}", f"0990{n:08d}", f"Phố Riêng Tư {n}", f"Nội dung kín đáo {n}",
             f"Trích yếu riêng {n}", f"09{n:08d}", f"kin{n}@example.test"]
    parties = [PartyInput(role=r, name=f"{marks[0]} {r}", identity_number=marks[1], address=marks[2], phone=marks[5],
                          email=marks[6]) for r in _roles(defn)]
    data = IntakeInput(kind=kind, unit_id=org["dept"].id, channel="letter", received_at=app.config["NOW"](),
                       subject=marks[4], content=marks[3], parties=parties, confidential=(n % 2 == 0))
    case = register_case(session, workflows, org["users"]["head"], data, app.config["NOW"]())
    session.flush()
    return case, marks


def _page_lookup(client, code: str, secret: str):
    token = CSRF_RE.search(client.get("/tra-cuu").get_data(as_text=True)).group(1)
    return client.post("/tra-cuu", data={"tracking_code": code, "secret": secret, "csrf_token": token})


def test_no_personal_data_for_any_kind(app, session, org, client):
    kinds = [d.id for d in app.extensions["dvflow.workflows"].kinds() if d.intake]  # what citizens bring
    assert len(kinds) >= 5
    for n, kind in enumerate(kinds):
        case, marks = _secret_case(app, session, org, kind, n)
        page = _page_lookup(client, case.tracking_code, case.tracking_secret)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        body = client.post("/api/v1/public/track", json={"tracking_code": case.tracking_code,
                                                         "secret": case.tracking_secret})
        assert body.status_code == 200
        text = body.get_data(as_text=True).encode().decode("unicode_escape") + body.get_data(as_text=True)
        defn = app.extensions["dvflow.workflows"].latest(kind)
        assert defn.states[case.state].label in html and body.json["state_label"] == defn.states[case.state].label
        assert "Sở NN&amp;MT" in html and body.json["unit_name"] == "Sở NN&MT"
        for mark in marks:
            assert mark not in html and mark not in text, (kind, mark)
        assert body.json["deadlines"] == [] or body.json["deadlines"][0]["due_date"]


def test_code_and_secret_both_required(app, session, org, client):
    case, _ = _secret_case(app, session, org, "complaint_first", 1)
    assert _page_lookup(client, case.tracking_code, "WRONG1").status_code == 404
    assert _page_lookup(client, case.tracking_code, "").status_code == 400
    assert _page_lookup(client, "KN-2026-999999", case.tracking_secret).status_code == 404
    assert _page_lookup(client, case.tracking_code.lower(), case.tracking_secret.lower()).status_code == 200
    resp = client.post("/api/v1/public/track", json={"tracking_code": case.tracking_code, "secret": "WRONG1"})
    assert resp.status_code == 404 and resp.json["error"]["message"]
    assert client.post("/api/v1/public/track", json={"tracking_code": case.tracking_code}).status_code == 400


def test_lookup_form_needs_csrf(app, session, org, client):
    case, _ = _secret_case(app, session, org, "complaint_first", 1)
    resp = client.post("/tra-cuu", data={"tracking_code": case.tracking_code, "secret": case.tracking_secret})
    assert resp.status_code == 400


def test_next_steps_and_deadline_shown(app, session, org, client):
    case, _ = _secret_case(app, session, org, "complaint_first", 1)
    html = _page_lookup(client, case.tracking_code, case.tracking_secret).get_data(as_text=True)
    assert "Thụ lý" in html and "Bước tiếp theo" in html and "còn" in html


def test_rating_only_when_closed_once_and_1_to_5(app, session, org, client, clock):
    case, _ = _secret_case(app, session, org, "complaint_first", 1)
    creds = {"tracking_code": case.tracking_code, "secret": case.tracking_secret}
    resp = client.post("/api/v1/public/rate", json={**creds, "score": 5})
    assert resp.status_code == 400 and "đã giải quyết xong" in resp.json["error"]["message"]
    case.status, case.state = "closed", "closed"
    session.flush()
    for bad in (0, 6, "năm", 10**30, None):
        assert client.post("/api/v1/public/rate", json={**creds, "score": bad}).status_code == 400
    assert client.post("/api/v1/public/rate", json={**creds, "score": 4, "comment": "Tốt"}).status_code == 201
    resp = client.post("/api/v1/public/rate", json={**creds, "score": 5})
    assert resp.status_code == 409
    with pytest.raises(Conflict):
        ratings.rate(session, case, 3, "", clock())
    with pytest.raises(ServiceError):
        ratings.rate(session, case, 9, "", clock())
    assert client.post("/api/v1/public/track", json=creds).json["rated"] is True


def test_rating_through_the_page(app, session, org, client):
    case, _ = _secret_case(app, session, org, "complaint_first", 1)
    case.status, case.state = "closed", "closed"
    session.flush()
    html = _page_lookup(client, case.tracking_code, case.tracking_secret).get_data(as_text=True)
    assert "Đánh giá mức độ hài lòng" in html
    token = CSRF_RE.search(html).group(1)
    resp = client.post("/tra-cuu/danh-gia", data={"tracking_code": case.tracking_code, "secret": case.tracking_secret,
                                                  "score": "2", "comment": "Chậm", "csrf_token": token})
    assert resp.status_code == 200 and "Cảm ơn" in resp.get_data(as_text=True)
    resp = client.post("/tra-cuu/danh-gia", data={"tracking_code": case.tracking_code, "secret": case.tracking_secret,
                                                  "score": "5", "csrf_token": token})
    assert resp.status_code == 409


def test_averages_per_unit_and_period(app, session, org, client, api, clock):
    for n, score in enumerate((5, 3)):
        case, _ = _secret_case(app, session, org, "complaint_first", n)
        case.status = "closed"
        session.flush()
        ratings.rate(session, case, score, "", clock())
    session.flush()
    rows = ratings.averages(session, {org["dept"].id}, date(2026, 11, 1), date(2026, 12, 31), "quarter")
    assert [(r.unit_name, r.period, r.count, r.average) for r in rows] == [("Sở NN&MT", "2026-Q4", 2, 4.0)]
    assert ratings.averages(session, {org["other"].id}, date(2026, 1, 1), date(2026, 12, 31)) == []
    summary = api("head").get("/ratings/summary?from=2026-11-01&to=2026-11-30").json
    assert summary["count"] == 2 and summary["average"] == 4.0 and summary["items"][0]["period"] == "2026-11"
    assert api("other_head").get("/ratings/summary?from=2026-11-01&to=2026-11-30").json["count"] == 0


def test_rate_limit_gives_429(connection, clock, tmp_path):
    from dvflow import create_app

    app = create_app({"ENV": "testing", "DB_BIND": connection, "NOW": clock, "RATELIMIT_ENABLED": True,
                      "UPLOAD_DIR": str(tmp_path / "uploads")})
    limiter.reset()
    client = app.test_client()
    codes = [client.post("/api/v1/public/track", json={"tracking_code": "KN-2026-000001", "secret": "ABCDEF"})
             .status_code for _ in range(21)]
    assert codes[:20] == [404] * 20 and codes[20] == 429
    limiter.reset()
