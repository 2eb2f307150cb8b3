"""The scorecard's criteria file (dvflow/engine/scorecard.py), without an app: what the loader refuses, and how a
shortfall (no data the unit should have had) scores."""
from __future__ import annotations

import pytest

from config import ROOT
from dvflow.engine import scorecard as engine

YAML = """
sets:
  - effective_from: 2026-01-01
    effective_to: null
    basis: "Quyết định kiểm thử"
    criteria:
      - {key: reception, label: "Tiếp công dân", label_en: "Reception", source: computed,
         formula: reception_days_ratio, unit: "%", unit_en: "%", weight: 60, target: 100, zero_at: 0,
         if_no_data: full, description: "Tỷ lệ", description_en: "Ratio"}
      - {key: dvk, label: "Mô hình", label_en: "Models", source: manual, unit: "mô hình", unit_en: "models",
         weight: 40, target: 2, zero_at: 0, description: "Số mô hình", description_en: "Models"}
"""


def test_a_manual_criterion_may_not_score_full_points_without_a_verified_value():
    with pytest.raises(engine.ScorecardError, match="dvk: a manual criterion cannot score full points"):
        engine.parse(YAML.replace("target: 2, zero_at: 0,", "target: 2, zero_at: 0, if_no_data: full,"), "t.yaml")


def test_integer_is_a_manual_criterions_option():
    crit = engine.parse(YAML.replace("target: 2, zero_at: 0,", "target: 2, zero_at: 0, integer: true,"))
    assert crit.for_year(2026).criterion("dvk").integer
    with pytest.raises(engine.ScorecardError, match="reception: integer applies to a manual criterion"):
        engine.parse(YAML.replace("if_no_data: full,", "if_no_data: full, integer: true,"))


def test_the_shipped_count_of_models_is_a_whole_number():
    models = engine.load(ROOT / "workflows").for_year(2026).criterion("dan_van_kheo_models")
    assert models.integer


def test_a_shortfall_scores_zero_where_no_data_would_score_full():
    criteria = engine.parse(YAML).for_year(2026)
    reception = criteria.criterion("reception")
    assert (reception.points(None), reception.points(None, shortfall=True), reception.points(50, True)) == (60, 0, 30)
    scores = engine.rank(criteria, {1: {"reception": None, "dvk": 2}, 2: {"reception": None, "dvk": 2}},
                         {2: frozenset({"reception"})})
    assert [(s.unit_id, s.total) for s in scores] == [(1, 100), (2, 40)]
