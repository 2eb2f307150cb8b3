"""The demo's scorecard data: the department's "Dân vận khéo" model with evidence, and two manual criteria filled,
one verified (counted on the board) and one waiting after a rejection."""
from __future__ import annotations

from factories import NOW
from sqlalchemy import select

from config import ROOT
from dvflow.cli.demo_data import load_demo
from dvflow.models import DanVanKheoModel, ScorecardEntry
from dvflow.services.reports import scorecard


def test_the_demo_fills_the_scorecard(session, workflows):
    assert load_demo(session, workflows, NOW)
    (model,) = session.scalars(select(DanVanKheoModel)).all()
    assert model.year == 2026 and model.files and model.unit.code == "STNMT"
    entries = {e.criterion: e for e in session.scalars(select(ScorecardEntry))}
    assert entries["dan_van_kheo_models"].status == "verified" and entries["grassroots_democracy"].status == "submitted"
    # the waiting one was rejected once: its trail shows the first value and why
    assert [(ev.action, ev.value) for ev in entries["grassroots_democracy"].events] == [
        ("submitted", 10), ("rejected", None), ("submitted", 8)]
    criteria = scorecard.load_card(ROOT / "workflows").for_year(2026)
    board = scorecard.board(session, criteria=criteria, level="department", year=2026, visible=None, now=NOW,
                            ctx=scorecard.context(session, ROOT / "workflows"))
    row = next(r for r in board.rows if r.unit.code == "STNMT")
    lines = {line.criterion.key: line for line in row.lines}
    assert (lines["dan_van_kheo_models"].value, lines["dan_van_kheo_models"].points) == (1, 2.5)
    assert lines["grassroots_democracy"].value is None and lines["grassroots_democracy"].points == 0
    assert sorted({r.rank for r in board.rows})[0] == 1
