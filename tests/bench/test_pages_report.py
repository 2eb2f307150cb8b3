"""The page benchmark's verdicts and tables (bench/pages_report.py) on synthetic timings: no database, no timing."""
from __future__ import annotations

from bench.pages import PAGES, STAFF
from bench.pages_context import Ctx
from bench.pages_report import markdown, record, table
from bench.report import Results


def measured(ms_10k: float, ms_1m: float, broken: tuple[str, str] | None = None) -> dict:
    out = {"10k": {}, "1m": {}}
    for page in PAGES:
        for role in page.roles:
            out["10k"][(page.key, role)] = {"ms": ms_10k, "status": 200, "samples": [ms_10k], "path": "/x"}
            out["1m"][(page.key, role)] = {"ms": ms_1m, "status": 200, "samples": [ms_1m], "path": "/x"}
    if broken:
        out["1m"][broken] = {"ms": None, "status": 500, "samples": [], "path": "/ho-so"}
    return out


def test_verdicts_need_the_target_and_the_growth():
    r = Results({"mode": "full"})
    record(r, measured(100, 200))
    assert r.figures and all(f.met for f in r.figures)  # 200 ms, ×2
    r2 = Results({"mode": "full"})
    record(r2, measured(50, 250))
    assert r2.figures and not any(f.met for f in r2.figures), "250 ms is under 300 ms, but ×5 misses the growth"
    r3 = Results({"mode": "full"})
    record(r3, measured(600, 1200))
    reports = [f for f in r3.figures if f.name.startswith("pages.report_")]
    assert reports and all(f.met and f.target.startswith("<2,000 ms") for f in reports)
    assert not any(f.met for f in r3.figures if f not in reports)


def test_a_failed_page_is_an_error_not_a_figure():
    r = Results({"mode": "full"})
    record(r, measured(10, 20, broken=("queue", "head")))
    assert [e.name for e in r.errors] == ["pages.queue.head"]
    assert "500" in r.errors[0].message
    assert not [f for f in r.figures if f.name == "pages.queue.head"]
    assert "ERR 500" in table(measured(10, 20, broken=("queue", "head")))


def test_markdown_has_a_row_per_page_and_role_before_and_after():
    r = Results({"mode": "full"})
    record(r, measured(100, 150))
    data = r.as_json()
    text = markdown(data, data)
    rows = text.splitlines()[2:]
    assert len(rows) == sum(len(p.roles) for p in PAGES)
    assert "| queue | head | 100 ms | 150 ms | 1.5× | MET | 100 ms | 150 ms | 1.5× | MET |" in text


def test_every_page_builds_a_request_for_its_roles():
    ctx = Ctx(cases=dict.fromkeys(STAFF + ("reception",), 7), codes=dict.fromkeys(STAFF + ("reception",), "KN-1"),
              tokens=dict.fromkeys(STAFF + ("reception",), "t"), deep_cursor={}, party_name="Nguyễn Văn An",
              identity="001", public_code="KN-2", month="2026-11", year=2026, quarter=4)
    for page in PAGES:
        for role in page.roles:
            method, path, data, _headers = page.request(ctx, role)
            assert method in ("GET", "POST") and path.startswith("/")
            assert (data is None) == (method == "GET")
