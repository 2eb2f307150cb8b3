"""The BPMN comparison (bench/bpmn.py, issue #19 item 5) at a tiny size: the SpiffWorkflow side really walks the
petition process and stores it one JSON row per case, the harness's check catches a side that did not store what
it was timed doing, and the whole benchmark (worker processes, interleaved rounds, statement counts, figures) runs
on SQLite, and on PostgreSQL when DVFLOW_TEST_POSTGRES_URL (or DVFLOW_BENCH_POSTGRES_URL) is set.

(No ``__init__.py`` in this folder: see test_results_format.py.)
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text

from bench import bpmn
from bench.bpmn_model import BpmnStore, completed_tasks
from bench.bpmn_sides import Sides
from bench.common import database, make_world, postgres_base_url
from bench.report import Results

KINDS = ["sqlite"] + (["postgres"] if postgres_base_url() else [])


@pytest.fixture
def store():
    engine = create_engine("sqlite://")
    s = BpmnStore(engine)
    s.create_table()
    yield s
    engine.dispose()


def test_a_petition_walks_the_bpmn_process_one_row_per_case(store):
    iid = store.intake({"subject": "Kiến nghị sửa đường thôn 1", "petitioner": {"name": "Nguyễn Văn 1"}})
    assert store.act(iid, "reply", {"answer": "accept"}) == "draft_decision"
    assert store.act(iid, "draft_decision", {}) == "submit"
    assert store.act(iid, "submit", {}) == "review"
    assert store.act(iid, "review", {"decision": "return", "reason": "Sửa lại"}) == "submit"
    assert store.act(iid, "submit", {}) == "review"
    assert store.act(iid, "review", {"decision": "approve"}) == "issue_decision"
    assert store.act(iid, "issue_decision", {}) is None
    workflow = store.load(iid)
    assert workflow.is_completed()
    assert completed_tasks(workflow) == ["reply", "draft_decision", "submit", "review", "submit", "review",
                                         "issue_decision"]
    with store.engine.connect() as conn:
        row, version = conn.execute(text("SELECT data, version FROM bpmn_instances WHERE id = :i"), {"i": iid}).one()
    assert version == 8  # the INSERT, then one UPDATE per action
    stored = json.loads(row)
    assert "spec" not in stored and stored["tasks"]  # the instance only: the spec is parsed once per process
    # SpiffWorkflow 3.2 stores each task's changes to its parent's data: the case's data is the first task's delta
    assert sum("Kiến nghị sửa đường thôn 1" in json.dumps(t["delta"], ensure_ascii=False)
               for t in stored["tasks"].values()) == 1
    reply = next(t for t in workflow.get_tasks() if t.task_spec.name == "reply")
    assert reply.data["petitioner"] == {"name": "Nguyễn Văn 1"}


def test_the_engine_refuses_a_task_the_case_is_not_waiting_at(store):
    iid = store.intake({"subject": "Kiến nghị"})
    with pytest.raises(ValueError, match=r"^Không thể thực hiện submit: hồ sơ đang chờ reply"):
        store.act(iid, "submit", {})
    assert store.act(iid, "reply", {"answer": "refuse"}) is None  # the default answer ends the case
    assert store.load(iid).is_completed()


def test_the_check_counts_every_timed_bpmn_operation_in_the_rows():
    sizes = bpmn.Sizes(intake=2, action=3, repeats=1, levels=(1,))
    with database("sqlite", prefix=bpmn.DB_PREFIX) as db:
        world = make_world(db)
        plans, _counting = bpmn.plans_for(db, world, sizes)
        with db.engine.connect() as conn:
            setup_rows = conn.execute(text("SELECT count(*) FROM bpmn_instances")).scalar_one()
        sides = Sides(db, plans[0], BpmnStore(db.engine))
        sides.run("intake", "bpmn", 2)
        sides.run("action", "bpmn", 5)
        counts = [{f"{op}.{side}": n for (op, side), n in sides.done.items()}]
        found = bpmn.check_instances(db, plans, counts, setup_rows)
        assert (found["rows"], found["actions"], found["completed_in_json"]) == (setup_rows + 2, 5, 5)
        claimed = [{**counts[0], "action.bpmn": 6}]  # one action more than the rows hold
        with pytest.raises(RuntimeError, match="did not store what it was timed doing"):
            bpmn.check_instances(db, plans, claimed, setup_rows)


@pytest.mark.parametrize("kind", KINDS)
def test_the_benchmark_runs_every_side_in_worker_processes(kind):
    levels = (1, 2) if kind == "postgres" else (1,)
    sizes = bpmn.Sizes(intake=4, action=6, repeats=1, levels=levels)
    out = bpmn.bench(kind, sizes)
    assert set(out["rates"]) == {(op, side, w) for op in ("intake", "action") for side in ("dvflow", "bpmn", "orm")
                                 for w in levels}
    assert all(r > 0 for r in out["rates"].values())
    assert set(out["cpu_ms"]) == set(out["rates"]) and all(ms > 0 for ms in out["cpu_ms"].values())
    stored = out["stored"]
    # warm-ups and every measured round, in every worker: each intake a row, each action a completed task
    workers_actions = max(levels) * bpmn.WARMUP + sum(w * (6 // w) for w in levels)
    assert stored["actions"] == stored["completed_in_json"] == workers_actions
    assert stored["rows"] == stored["expected_rows"]
    begin = 1 if kind == "sqlite" else 0  # SQLite's BEGIN IMMEDIATE is a statement of its own
    assert out["trips"][("intake", "bpmn")] == 1 + begin  # the INSERT
    assert out["trips"][("action", "bpmn")] == 2 + begin  # SELECT ... FOR UPDATE, UPDATE
    assert out["trips"][("intake", "dvflow")] > out["trips"][("intake", "orm")]
    results = Results({})
    results.begin("bpmn", kind)
    bpmn.report(results, kind, sizes, out)
    names = {f.name for f in results.figures}
    assert {f"bpmn.{op}.w{w}" for op in ("intake", "action") for w in levels} <= names
    assert {f"bpmn.{op}.cpu.{side}" for op in ("intake", "action") for side in ("dvflow", "orm")} <= names
    assert all(f.target == "≥100%" for f in results.figures if f.name.count(".") == 2)
