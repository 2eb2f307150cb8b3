"""A broken scorecard.yaml on a running server: the scorecard's pages answer a clear Vietnamese message (503, the
problem logged), never a 500."""
from __future__ import annotations

import logging
import shutil

import pytest

from config import ROOT

MESSAGE = "Bảng chấm điểm tạm thời không dùng được: tệp tiêu chí chấm điểm (workflows/reports/scorecard.yaml) có lỗi"


@pytest.fixture
def broken_dir(app, tmp_path):
    workflows = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", workflows)
    card = workflows / "reports" / "scorecard.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace("weight: 20", "weight: 25"), encoding="utf-8")
    old = app.config["WORKFLOWS_DIR"]
    app.config["WORKFLOWS_DIR"] = str(workflows)
    yield workflows
    app.config["WORKFLOWS_DIR"] = old


@pytest.mark.parametrize("url", ["/bang-dieu-khien/cham-diem?nam=2026&cap=department",
                                 "/bang-dieu-khien/cham-diem.xlsx?nam=2026&cap=department",
                                 "/bang-dieu-khien/cham-diem/don-vi/{dept}?nam=2026"])
def test_a_broken_criteria_file_is_a_clear_message(login, org, broken_dir, caplog, url):
    with caplog.at_level(logging.ERROR, logger="dvflow.services.reports.scorecard"):
        resp = login("supervisor").get(url.format(dept=org["dept"].id))
    assert resp.status_code == 503 and MESSAGE in resp.get_data(as_text=True)
    assert any("weights add up to 105" in r.getMessage() for r in caplog.records)


def test_filling_with_a_broken_criteria_file_is_a_clear_message(login, org, broken_dir):
    url = f"/bang-dieu-khien/cham-diem/don-vi/{org['dept'].id}"
    resp = login("head").post(f"{url}/ke-khai", {"nam": "2026", "tieu_chi": "dan_van_kheo_models", "gia_tri": "1"},
                              token_from="/trang-chu")
    assert resp.status_code == 503 and MESSAGE in resp.get_data(as_text=True)
