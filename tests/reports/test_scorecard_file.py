"""A broken workflows/reports/scorecard.yaml is caught by `dvflow workflows check` (non-zero exit, a Vietnamese
message naming the file), and its `review:` note is warned, as the other rule files are (schedule_rules.yaml)."""
from __future__ import annotations

import shutil

from config import ROOT


def _copy(tmp_path, *change):
    workflows = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", workflows)
    card = workflows / "reports" / "scorecard.yaml"
    if change:
        card.write_text(card.read_text(encoding="utf-8").replace(*change), encoding="utf-8")
    return workflows


def test_workflows_check_warns_the_scorecard_review_note(app, tmp_path):
    ok = app.test_cli_runner().invoke(args=["dvflow", "workflows", "check", str(_copy(tmp_path))])
    assert ok.exit_code == 0, ok.output
    assert "CẢNH BÁO: " in ok.output and "reports/scorecard.yaml: bộ tiêu chí chấm điểm từ 2025-01-01: cần rà soát: " \
        "Số, ngày của quyết định" in ok.output


def test_workflows_check_refuses_a_broken_scorecard_file(app, tmp_path):
    workflows = _copy(tmp_path, "weight: 20", "weight: 25")
    bad = app.test_cli_runner().invoke(args=["dvflow", "workflows", "check", str(workflows)])
    assert bad.exit_code != 0
    assert "Tệp tiêu chí chấm điểm không hợp lệ: " in bad.output and "reports/scorecard.yaml" in bad.output
    assert "weights add up to 105" in bad.output


def test_workflows_check_refuses_full_points_for_an_unverified_manual_value(app, tmp_path):
    workflows = _copy(tmp_path, "        max_value: 10\n", "        max_value: 10\n        if_no_data: full\n")
    bad = app.test_cli_runner().invoke(args=["dvflow", "workflows", "check", str(workflows)])
    assert bad.exit_code != 0 and "grassroots_democracy: a manual criterion cannot score full points" in bad.output
