"""A broken frequency-rules file stops the app at start with a message naming the file, and the schedule pages
speak English when asked."""
from __future__ import annotations

import shutil

import pytest

from config import ROOT
from dvflow.engine.reception.rules import RulesError


def test_a_broken_rules_file_stops_the_app(tmp_path, connection):
    from dvflow import create_app

    workflows = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", workflows)
    rules = workflows / "reception" / "schedule_rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("days: 2", "days: two", 1), encoding="utf-8")
    with pytest.raises(RulesError) as exc:
        create_app({"ENV": "testing", "DB_BIND": connection, "WORKFLOWS_DIR": str(workflows)})
    assert "schedule_rules.yaml" in str(exc.value) and "days" in str(exc.value)


def test_schedule_pages_in_english(app, client, org, login):
    head = login("head")
    head.get("/ngon-ngu/en")
    assert "Officials receiving citizens periodically" in head.get("/tiep-nhan/nguoi-tiep").get_data(as_text=True)
    assert "Periodic reception compliance" in head.get("/tiep-nhan/tuan-thu").get_data(as_text=True)
    assert "Plan a reception session" in head.get("/tiep-nhan/lich").get_data(as_text=True)
    client.get("/ngon-ngu/en")
    assert "Citizen reception schedule" in client.get("/lich-tiep-cong-dan").get_data(as_text=True)



def test_workflows_check_reads_the_rules_file(app, tmp_path):
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["dvflow", "workflows", "check"])
    assert ok.exit_code == 0, ok.output
    assert "schedule_rules.yaml: commune_chair từ 2026-07-01: cần rà soát" in ok.output
    workflows = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", workflows)
    rules = workflows / "reception" / "schedule_rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("per: week", "per: fortnight"), encoding="utf-8")
    bad = runner.invoke(args=["dvflow", "workflows", "check", str(workflows)])
    assert bad.exit_code != 0 and f"{rules}: positions.commune_chair.rules.0.per" in bad.output
