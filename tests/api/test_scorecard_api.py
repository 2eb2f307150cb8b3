"""GET /api/v1/reports/scorecard: the shipped criteria over the scorecard world (tests/reports/scorecard_fixtures):
totals, ranks with ties, the caller's visibility, errors as JSON naming the field."""
from __future__ import annotations

import pytest
from reports.scorecard_fixtures import build


@pytest.fixture
def world(app, session, org):
    return build(session, app.extensions["dvflow.workflows"], org)


def test_scorecard_json_ranks_with_ties(api, org, world):
    resp = api("supervisor").get("/reports/scorecard?nam=2026&cap=department")
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["peers"] == 4 and body["max_total"] == 100 and "dân vận chính quyền" in body["basis"]
    # shipped weights: every criterion full but satisfaction (no rating: 10) and the two manual ones (5 + 5), so
    # 80 less the mass cases: 1 of 5 costs 2 points, 2 cost 4
    assert [(u["unit_name"], u["total"], u["rank"]) for u in body["units"]] == [
        ("Sở Y tế", 80, 1), ("Sở NN&MT", 78, 2), ("Sở Xây dựng", 78, 2), ("Sở Công Thương", 76, 4)]
    dept = body["units"][1]
    lines = {c["key"]: c for c in dept["criteria"]}
    assert (lines["mass_cases"]["value"], lines["mass_cases"]["points"]) == (1, 8)
    assert lines["dan_van_kheo_models"]["entry_status"] is None and lines["dan_van_kheo_models"]["points"] == 0
    assert sum(c["points"] for c in dept["criteria"]) == dept["total"]


def test_heads_see_their_unit_with_its_rank_among_all(api, org, world):
    body = api("head").get("/reports/scorecard?nam=2026").get_json()
    assert [(u["unit_name"], u["rank"]) for u in body["units"]] == [("Sở NN&MT", 2)]
    assert api("handler").get("/reports/scorecard").status_code == 403


def test_errors_name_the_field(api, org, world):
    resp = api("supervisor").get("/reports/scorecard?nam=2024")
    assert resp.status_code == 400 and any(f["field"] == "nam" for f in resp.get_json()["error"]["fields"])
    resp = api("supervisor").get("/reports/scorecard?cap=village")
    assert resp.status_code in (400, 422) and any(f["field"] == "cap" for f in resp.get_json()["error"]["fields"])
    resp = api("supervisor").get("/reports/scorecard?nam=abc")
    assert resp.status_code in (400, 422) and any(f["field"] == "nam" for f in resp.get_json()["error"]["fields"])
    assert api(None).get("/reports/scorecard").status_code == 401
