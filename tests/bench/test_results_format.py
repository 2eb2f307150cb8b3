"""The benchmarks' results table and JSON (bench/report.py), on synthetic figures: no database, no timing.

(No ``__init__.py`` in this folder on purpose: as a package it would be imported as ``bench`` and hide the real
``bench`` package at the repository root.)
"""
from __future__ import annotations

import json
import math
import re
from datetime import datetime, timezone

import pytest

from bench.common import pct_figure
from bench.report import (
    TABLE_COLUMNS,
    Figure,
    Results,
    fmt_ratio,
    fmt_value,
    json_paths,
)


def synthetic() -> Results:
    r = Results({"mode": "quick", "started_at": "2026-11-25T03:14:00+00:00", "machine": {"cpu_count": 2},
                 "config": {"transition_n": 100, "sweep_open": (10_000, 100_000)}})
    for db, orm, raw_target in (("sqlite", 706.1, 0.10), ("postgres", 323.0, 0.35)):
        r.begin("transition", db)
        pct_figure(r, name="transition.orm", db=db, metric="perform vs ORM get-modify-commit", value=173.2,
                   baseline=orm, baseline_name="ORM get-modify-commit", target=0.60)
        pct_figure(r, name="transition.raw", db=db, metric="perform vs raw-SQL transition", value=173.2,
                   baseline=4145.0, baseline_name="raw SQL", target=raw_target)
        r.end(12.5)
    r.begin("engine", "sqlite")
    r.figure(name="engine.machines", db="sqlite", metric="machines built during 100 performs", value=0, unit="",
             target="0", met=True)
    r.figure(name="engine.fire", db="sqlite", metric="fire() share of a full transition", value=16.1, unit="µs",
             baseline_name="full transition", baseline=6.59, baseline_unit="ms", ratio=0.00244, target="≤3%",
             met=True)
    r.end(3.0)
    r.begin("sweep", "sqlite")
    r.figure(name="sweep.open", db="sqlite", metric="time(100k open) ÷ time(10k open), 100 due", value=2.6, unit="s",
             baseline_name="10k open", baseline=2.07, ratio=2.6 / 2.07, ratio_unit="×", target="≤1.5", met=True,
             note="raw: 0.21s at 100k open" + ", and a long remark that has to wrap" * 3)
    r.note("sizes: open 10,000/100,000, due 100/1,000; bulk load 4.2s (executemany)")
    r.end(40.0)
    r.begin("memory", "sqlite")
    r.figure(name="memory.web", db="sqlite", metric="web worker RSS over the last 500 case reads", value=88.7,
             unit="MiB", baseline_name="before them", baseline=87.8, ratio=88.7 / 87.8 - 1, ratio_unit="+%",
             extra={"rss_kib_after": 90_829})
    r.end(9.0)
    r.begin("http", "sqlite")
    r.error(RuntimeError("gunicorn did not start: " + "x" * 500), name="http", db="sqlite")
    r.end(1.0, ok=False)
    return r


def test_value_and_ratio_formats():
    assert fmt_value(173.2, "/s") == "173/s"
    assert fmt_value(69.84, "/s") == "69.8/s"
    assert fmt_value(1499.4, "rps") == "1,499 rps"
    assert fmt_value(6.587, "ms") == "6.59 ms"
    assert fmt_value(1173.2, "ms") == "1,173 ms"
    assert fmt_value(101.94, "MiB") == "101.9 MiB"
    assert fmt_value(0, "") == "0"
    assert fmt_value(None, "s") == "—"
    assert fmt_ratio(0.2453) == "24.5%"
    assert fmt_ratio(1.2) == "120%"
    assert fmt_ratio(0.017) == "1.7%"
    assert fmt_ratio(0.00244) == "0.24%"
    assert fmt_ratio(0.0102, "+%") == "+1.0%"
    assert fmt_ratio(1.256, "×") == "1.26×"


def test_progress_line_keeps_the_database_after_the_module(capsys):
    r = Results()
    pct_figure(r, name="transition.orm", db="sqlite", metric="perform vs ORM get-modify-commit", value=173.2,
               baseline=706.1, baseline_name="ORM get-modify-commit", target=0.60)
    assert capsys.readouterr().out == ("transition.sqlite.orm: perform vs ORM get-modify-commit = 173/s vs "
                                       "ORM get-modify-commit 706/s → 24.5%, target ≥60% MISSED\n")


def cells(line: str) -> list[str]:
    return re.split(r" {2,}", line.rstrip())


def test_table_columns_rows_and_alignment():
    r = synthetic()
    lines = r.table().splitlines()
    header = lines[0]
    assert header.split() == list(TABLE_COLUMNS)
    assert set(lines[1]) == {"─"} and len(lines[1]) == len(header)
    assert max(len(line) for line in lines) <= 160
    rows = [line for line in lines if line.startswith(("transition:", "engine:", "sweep:", "memory:", "http:"))]
    assert len(rows) == 9  # 8 figures and 1 error (wrapped continuation lines not counted)
    # aligned: words start under their (left-aligned) header, numbers end under their (right-aligned) header
    db_at, baseline_at, target_at, verdict_at = (header.index(c) for c in ("db", "baseline", "target", "verdict"))
    value_end, ratio_end = header.index("value") + 5, header.index("ratio") + 5
    for line in rows:
        assert line[db_at - 2:db_at] == "  " and line[db_at:].split()[0] in ("sqlite", "postgres"), line
        assert line[verdict_at - 2:verdict_at] == "  " and line[verdict_at:] in ("MET", "MISSED", "—", "ERROR"), line
        for end in (value_end, ratio_end):
            assert line[end:end + 2] == "  ", line
        for at in (baseline_at, target_at):
            assert line[at - 2:at] == "  ", line
    assert cells(rows[0]) == ["transition: perform vs ORM get-modify-commit", "sqlite", "173/s",
                              "ORM get-modify-commit 706/s", "24.5%", "≥60%", "MISSED"]
    assert cells(rows[1]) == ["transition: perform vs ORM get-modify-commit", "postgres", "173/s",
                              "ORM get-modify-commit 323/s", "53.6%", "≥60%", "MISSED"]
    assert cells(rows[3]) == ["transition: perform vs raw-SQL transition", "postgres", "173/s", "raw SQL 4,145/s",
                              "4.2%", "≥35%", "MISSED"]
    assert cells(rows[4]) == ["engine: machines built during 100 performs", "sqlite", "0", "0", "MET"]
    assert cells(rows[5]) == ["engine: fire() share of a full transition", "sqlite", "16.1 µs",
                              "full transition 6.59 ms", "0.24%", "≤3%", "MET"]
    assert cells(rows[6]) == ["sweep: time(100k open) ÷ time(10k open), 100 due", "sqlite", "2.60 s",
                              "10k open 2.07 s", "1.26×", "≤1.5", "MET"]
    assert cells(rows[7]) == ["memory: web worker RSS over the last 500 case reads", "sqlite", "88.7 MiB",
                              "before them 87.8 MiB", "+1.0%", "—", "—"]
    # the same figure on both databases side by side, in run order; a blank line between benchmarks
    assert lines.index(rows[4]) - 1 == lines.index(rows[3]) + 1 and lines[lines.index(rows[3]) + 1] == ""
    # notes wrap inside the first column, under their figure
    at = lines.index(rows[6])
    assert lines[at + 1].startswith("  · raw: 0.21s at 100k open")
    assert lines[at + 2].startswith("    ") and all(len(x) <= db_at - 2 for x in lines[at + 1:at + 3])
    # an error is a row with its (shortened) message
    assert cells(rows[8]) == ["http: ERROR", "sqlite", "ERROR"]
    assert lines[lines.index(rows[8]) + 1].startswith("  · RuntimeError: gunicorn did not start: xxx")
    assert "x" * 200 not in r.table().replace("\n", "").replace(" ", "")
    assert lines[-1] == "8 figures: 3 MET, 4 MISSED, 1 without a target; 1 error"


def test_json_holds_the_same_figures_notes_errors_and_metadata(tmp_path):
    r = synthetic()
    paths = [tmp_path / "run.json", tmp_path / "sub" / "latest-quick.json"]
    r.write_json(paths)
    assert paths[0].read_text(encoding="utf-8") == paths[1].read_text(encoding="utf-8")
    data = json.loads(paths[0].read_text(encoding="utf-8"))
    assert data["schema"] == 1 and data["mode"] == "quick" and data["machine"] == {"cpu_count": 2}
    assert data["config"]["sweep_open"] == [10_000, 100_000]
    assert data["summary"] == {"figures": 8, "met": 3, "missed": 4, "no_target": 1, "errors": 1}
    orm = data["figures"][0]
    assert orm == {"name": "transition.orm", "db": "sqlite", "metric": "perform vs ORM get-modify-commit",
                   "value": 173.2, "unit": "/s", "baseline_name": "ORM get-modify-commit", "baseline": 706.1,
                   "baseline_unit": "/s", "ratio": pytest.approx(173.2 / 706.1), "ratio_unit": "%", "target": "≥60%",
                   "met": False, "note": None, "extra": {}, "verdict": "MISSED"}
    fire = next(f for f in data["figures"] if f["name"] == "engine.fire")
    assert (fire["unit"], fire["baseline_unit"], fire["met"]) == ("µs", "ms", True)
    web = next(f for f in data["figures"] if f["name"] == "memory.web")
    assert web["met"] is None and web["target"] is None and web["verdict"] == "—"
    assert web["extra"] == {"rss_kib_after": 90_829}
    assert data["errors"] == [{"name": "http", "db": "sqlite", "type": "RuntimeError",
                               "message": "gunicorn did not start: " + "x" * 500, "verdict": "ERROR"}]
    assert {"name": "sweep", "db": "sqlite",
            "text": "sizes: open 10,000/100,000, due 100/1,000; bulk load 4.2s (executemany)"} in data["notes"]
    assert data["runs"][0] == {"name": "transition", "db": "sqlite", "seconds": 12.5, "ok": True}
    assert data["runs"][-1]["ok"] is False


def test_non_finite_numbers_become_null_and_bad_units_are_refused(tmp_path):
    r = Results()
    r.figure(name="x", db="sqlite", metric="m", value=math.inf, unit="/s", baseline=0.0, ratio=math.nan)
    r.write_json([tmp_path / "r.json"])
    fig = json.loads((tmp_path / "r.json").read_text())["figures"][0]
    assert fig["value"] is None and fig["ratio"] is None and fig["baseline"] == 0.0
    with pytest.raises(ValueError):
        Figure(name="x", db="sqlite", metric="m", value=1, ratio_unit="percent")
    with pytest.raises(ValueError):
        Figure(name="x", db="sqlite", metric="m", value=1, unit="furlongs")


def test_json_paths():
    started = datetime(2026, 11, 25, 3, 14, 15, tzinfo=timezone.utc)
    stamped, latest = json_paths("quick", started)
    assert stamped.name == "quick-20261125-031415.json" and latest.name == "latest-quick.json"
    assert stamped.parent == latest.parent and stamped.parent.parts[-2:] == ("bench", "results")
    assert json_paths("full", started, "out/x.json") == [type(stamped)("out/x.json")]
