"""The scorecard's dialogue criterion counts the conferences the communes of a unit's subtree held against those
required (one a year each): for the province, An Bình held its conference and Bình Minh only planned one, so 1 of 2;
for each commune its own (rank among the communes: the one that held it first)."""
from __future__ import annotations

from datetime import date

from config import ROOT
from dvflow.engine.calendar import WorkCalendar
from dvflow.services.dialogues.rules import load as load_dialogue_rules
from dvflow.services.reception.compliance import schedule_rules
from dvflow.services.reports import scorecard, scorecard_facts
from dvflow.services.reports.scorecard_facts import Context, Year

from .conftest import MID_2026, hold, plan


def _ctx() -> Context:
    return Context(schedule_rules(str(ROOT / "workflows")), load_dialogue_rules(ROOT / "workflows"), WorkCalendar())


def test_conferences_held_against_required(session, workflows, communes):
    hold(session, workflows, communes, plan(session, workflows, communes, on=date(2026, 6, 9)))
    plan(session, workflows, communes, unit="xa_b", user="b_handler")
    subtree = {communes[k].id for k in ("province", "xa_a", "xa_b", "dept")}
    fact = scorecard_facts.dialogue_conferences_ratio(session, communes["province"].id, subtree, Year(2026, MID_2026),
                                                      _ctx())
    assert fact.value == 50 and [n for _label, n in fact.counts] == [1, 2]
    dept = scorecard_facts.dialogue_conferences_ratio(session, communes["dept"].id, {communes["dept"].id},
                                                      Year(2026, MID_2026), _ctx())
    assert dept.value is None  # no commune under a department: nothing required
    criteria = scorecard.load_card(ROOT / "workflows").for_year(2026)
    board = scorecard.board(session, criteria=criteria, level="commune", year=2026, visible=None, now=MID_2026,
                            ctx=_ctx())
    rows = [(r.unit.name, r.rank) for r in board.rows]
    assert rows == [("UBND xã An Bình", 1), ("UBND xã Bình Minh", 2)]
    gap = board.rows[0].total - board.rows[1].total
    assert gap == criteria.criterion("dialogue_conferences_ratio").weight
