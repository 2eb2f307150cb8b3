"""GET /api/v1/reports/periodic: the hand-counted figures, the caller's visibility, errors as JSON naming the field."""
from __future__ import annotations

import pytest
from reports.fixtures import build


@pytest.fixture
def world(app, session, org):
    return build(session, app.extensions["dvflow.workflows"], org)


def test_periodic_report_json(api, org, world):
    resp = api("head").get(f"/reports/periodic?ky=quarter&so=3&nam=2026&cach_tinh=cutoff"
                           f"&don_vi={org['dept'].id}")
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert (body["first_day"], body["last_day"]) == ("2026-06-15", "2026-09-14")
    assert body["period_line"] == "Số liệu tính từ ngày 15/06/2026 đến ngày 14/09/2026"
    sections = {s["key"]: s for s in body["sections"]}
    intake_total = next(r for r in sections["tiep-nhan"]["rows"] if r["total"])
    assert intake_total["values"]["total"] == 4 and intake_total["values"]["people"] == 12
    letters_total = next(r for r in sections["don"]["rows"] if r["total"])
    assert (letters_total["values"]["carried"], letters_total["values"]["waiting"]) == (1, 3)
    groups = {c["group"] for c in sections["tiep-nhan"]["columns"]}
    assert "Theo hình thức tiếp nhận" in groups


def test_errors_name_the_field(api, org, world):
    resp = api("head").get(f"/reports/periodic?don_vi={org['other'].id}")
    assert resp.status_code == 400
    assert any(f["field"] == "don_vi" for f in resp.get_json()["error"]["fields"])
    resp = api("head").get("/reports/periodic?ky=quarter&so=6&nam=2026")
    assert resp.status_code == 400 and any(f["field"] == "so" for f in resp.get_json()["error"]["fields"])
    resp = api("head").get("/reports/periodic?ky=week")
    assert resp.status_code in (400, 422) and resp.get_json()["error"]["fields"]
    resp = api("head").get("/reports/periodic?ky=year&nam=2099")
    assert resp.status_code == 400 and any(f["field"] == "nam" for f in resp.get_json()["error"]["fields"])
    assert api(None).get("/reports/periodic").status_code == 401
