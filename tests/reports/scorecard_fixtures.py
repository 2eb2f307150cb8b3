"""A test scorecard with known weights and a hand-scored world of four departments (used by the scorecard tests).

Criteria (weights 60 + 40 = 100):
- mass_cases: 0 mass cases in the year -> 60 points, 1 -> 30, 2 or more -> 0 (target 0, zero_at 2);
- dvk (manual): 2 verified models -> 40, 1 -> 20, unverified -> 0 (target 2, zero_at 0).

The world, year 2026 (NOW is 25/11/2026): dept 1 mass case + 2 verified models = 30 + 40 = 70; d3 the same = 70;
other 0 mass cases + 2 models only submitted = 60 (+ 40 once verified = 100); d4 2 mass cases, nothing filled = 0.
A mass case of 2025 in d4 and a voided one in other count nowhere.
"""
from __future__ import annotations

from datetime import date

from factories import NOW

from dvflow.engine import scorecard as engine
from dvflow.engine.calendar import WorkCalendar
from dvflow.models import ScorecardEntry
from dvflow.services.dialogues.rules import load as load_dialogue_rules
from dvflow.services.org import accounts
from dvflow.services.reception.compliance import schedule_rules
from dvflow.services.reports.scorecard_facts import Context

from .fixtures import World, local

TEST_YAML = """
sets:
  - effective_from: 2026-01-01
    effective_to: null
    basis: "Quyết định kiểm thử"
    criteria:
      - {key: mass_cases, label: "Vụ việc đông người", label_en: "Mass cases", source: computed,
         formula: mass_cases, unit: "vụ", unit_en: "cases", weight: 60, target: 0, zero_at: 2, if_no_data: full,
         description: "Số vụ", description_en: "Cases"}
      - {key: dvk, label: "Mô hình Dân vận khéo", label_en: "Models", source: manual, unit: "mô hình",
         unit_en: "models", weight: 40, target: 2, zero_at: 0, description: "Số mô hình",
         description_en: "Models"}
"""


def criteria() -> engine.CriteriaSet:
    return engine.parse(TEST_YAML, "test.yaml").for_year(2026)


def context() -> Context:
    from config import ROOT

    return Context(schedule_rules(str(ROOT / "workflows")), load_dialogue_rules(ROOT / "workflows"), WorkCalendar())


def entry(session, unit, value: float, status: str, key: str = "dvk", year: int = 2026) -> ScorecardEntry:
    e = ScorecardEntry(unit_id=unit.id, year=year, criterion=key, value=value, status=status, submitted_at=NOW)
    session.add(e)
    session.flush()
    return e


def shown(session, e: ScorecardEntry) -> int:
    """The submission a unit's page shows for the entry: what its review form carries (0: a value without a trail,
    as the entries above)."""
    from dvflow.services.reports.scorecard_entries import current_submission

    return current_submission(session, e.id)


def build(session, workflows, org) -> dict:
    org["d3"] = accounts.create_unit(session, "SXD", "Sở Xây dựng", parent_code="TINH")
    org["d4"] = accounts.create_unit(session, "SCT", "Sở Công Thương", parent_code="TINH")
    w = World(session, workflows, org)
    day = local(date(2026, 3, 10))
    w.case("petition", day, unit="dept", mass=True, people=6)
    w.case("petition", day, unit="dept")
    w.case("petition", day, unit="other", mass=True, people=7, voided=True)
    for unit in ("d3", "d4", "d4"):
        c = w.case("petition", day, unit="dept", mass=True, people=5)
        c.unit_id = org[unit].id
    old = w.case("petition", local(date(2025, 12, 31), 23, 0), unit="dept", mass=True, people=5)
    old.unit_id = org["d4"].id
    session.flush()
    return {"dept": entry(session, org["dept"], 2, "verified"), "d3": entry(session, org["d3"], 2, "verified"),
            "other": entry(session, org["other"], 2, "submitted")}


