"""GET /api/v1/reports/scorecard: the shipped criteria over the scorecard world (tests/reports/scorecard_fixtures):
totals, ranks with ties, the caller's visibility, errors as JSON naming the field."""
from __future__ import annotations

import pytest
from reports.scorecard_fixtures import build, shown


@pytest.fixture
def world(app, session, org):
    return build(session, app.extensions["dvflow.workflows"], org)


def test_scorecard_json_ranks_with_ties(api, org, world):
    resp = api("supervisor").get("/reports/scorecard?nam=2026&cap=department")
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["peers"] == 4 and body["max_total"] == 100 and "dân vận chính quyền" in body["basis"]
    # shipped weights: every criterion full (no case ended: no rating asked) but the reception days (nobody registered
    # who must receive citizens: 15) and the two manual ones (5 + 5), so 75 less the mass cases: 1 of 5 costs 2
    # points, 2 cost 4
    assert [(u["unit_name"], u["total"], u["rank"]) for u in body["units"]] == [
        ("Sở Y tế", 75, 1), ("Sở NN&MT", 73, 2), ("Sở Xây dựng", 73, 2), ("Sở Công Thương", 71, 4)]
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


def test_a_manual_criterions_trail_is_in_the_json(api, session, org, world):
    from datetime import datetime, timezone

    from config import ROOT
    from dvflow.services.reports import scorecard, scorecard_entries

    at = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
    criteria = scorecard.criteria_for(scorecard.load_card(ROOT / "workflows"), 2026)
    entry = scorecard_entries.fill(session, org["users"]["handler"], criteria=criteria, unit_id=org["dept"].id,
                                   year=2026, key="dan_van_kheo_models", raw_value="3", note="Ba mô hình",
                                   files=[scorecard_entries.Upload("a.pdf", "application/pdf", b"%PDF")], now=at)
    scorecard_entries.review(session, org["users"]["supervisor"], entry_id=entry.id,
                             submission=shown(session, entry), decision="rejected", note="Sổ ghi hai mô hình",
                             now=at)
    body = api("supervisor").get("/reports/scorecard?nam=2026&cap=department").get_json()
    unit = next(u for u in body["units"] if u["unit_id"] == org["dept"].id)
    line = next(c for c in unit["criteria"] if c["key"] == "dan_van_kheo_models")
    assert line["entry_status"] == "rejected"
    assert [(e["action"], e["actor"], e["value"], e["note"], e["files"]) for e in line["entry_events"]] == [
        ("submitted", org["users"]["handler"].username, 3, "Ba mô hình", 1),
        ("rejected", org["users"]["supervisor"].username, None, "Sổ ghi hai mô hình", 0)]


def test_a_shortfall_says_why_the_criterion_scores_zero(api, org, world):
    body = api("supervisor").get("/reports/scorecard?nam=2026&cap=department").get_json()
    lines = {c["key"]: c for c in body["units"][0]["criteria"]}
    reception = lines["reception_days_ratio"]
    assert (reception["value"], reception["points"]) == (None, 0)
    assert reception["shortfall"] == "Chưa khai báo người có trách nhiệm tiếp công dân"
    assert lines["satisfaction_average"]["shortfall"] is None and lines["satisfaction_average"]["points"] == 10


def test_a_broken_criteria_file_is_a_json_error(api, app, org, tmp_path):
    import shutil

    from config import ROOT

    workflows = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", workflows)
    card = workflows / "reports" / "scorecard.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace("weight: 20", "weight: 25"), encoding="utf-8")
    old, app.config["WORKFLOWS_DIR"] = app.config["WORKFLOWS_DIR"], str(workflows)
    try:
        resp = api("supervisor").get("/reports/scorecard?nam=2026")
    finally:
        app.config["WORKFLOWS_DIR"] = old
    assert resp.status_code == 503
    assert "tệp tiêu chí chấm điểm (workflows/reports/scorecard.yaml) có lỗi" in resp.get_json()["error"]["message"]
