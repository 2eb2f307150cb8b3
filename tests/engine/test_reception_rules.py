"""The shipped frequency rules load, each with its basis and effective dates; a bad file is a clear error."""
from __future__ import annotations

from datetime import date

import pytest

from config import ROOT
from dvflow.engine.reception.rules import RulesError, load_rules, parse_rules

POSITIONS = {"province_chair", "commune_chair", "agency_head", "public_service_unit_head",
             "province_party_secretary", "commune_party_secretary", "district_chair"}


def test_shipped_rules_load_with_basis_and_dates():
    rules = load_rules(ROOT / "workflows")
    assert POSITIONS <= set(rules.positions)
    for key, position in rules.positions.items():
        assert position.label and position.label_en, key
        for rule in position.rules:
            assert rule.basis.strip() and rule.delegation_basis.strip(), key
            assert isinstance(rule.effective_from, date), key
            assert rule.effective_to is None or rule.effective_to >= rule.effective_from


def test_commune_chair_changes_from_weekly_to_twice_a_month_on_2026_07_01():
    chair = load_rules(ROOT / "workflows").position("commune_chair")
    before, after = chair.rule_on(date(2026, 6, 30)), chair.rule_on(date(2026, 7, 1))
    assert (before.per, before.days, before.delegation_counts) == ("week", 1, False)
    assert "Điều 15 khoản 2 điểm d" in before.delegation_basis and before.review  # "Trực tiếp tiếp công dân"
    assert (after.per, after.days, after.delegation_counts) == ("month", 2, False)
    assert "136/2025" in after.basis and after.review
    assert load_rules(ROOT / "workflows").position("district_chair").rule_on(date(2025, 7, 1)) is None


def test_public_service_unit_heads_receive_monthly_since_nd_64_2014():
    # NĐ 64/2014/NĐ-CP Art 4(2), in force 15/8/2014 until NĐ 154/2026 replaced it on 01/7/2026
    head = load_rules(ROOT / "workflows").position("public_service_unit_head")
    assert head.rule_on(date(2014, 8, 14)) is None
    before, after = head.rule_on(date(2014, 8, 15)), head.rule_on(date(2026, 7, 1))
    assert (before.per, before.days, before.effective_to) == ("month", 1, date(2026, 6, 30))
    assert "64/2014" in before.basis and "Điều 4 khoản 2" in before.basis and before.review
    assert head.rule_on(date(2026, 6, 30)) is before and "154/2026" in after.basis


def test_whether_a_position_has_a_rule_while_an_official_is_in_office():
    district = load_rules(ROOT / "workflows").position("district_chair")  # 01/7/2014 to 30/6/2025
    assert district.in_force_during(date(2025, 6, 30), None) and district.in_force_during(date(2010, 1, 1), None)
    assert not district.in_force_during(date(2025, 7, 1), None)
    assert not district.in_force_during(date(2010, 1, 1), date(2014, 6, 30))


GOOD = """
positions:
  x:
    label: "X"
    label_en: "X"
    rules:
      - per: month
        days: 1
        effective_from: 2020-01-01
        effective_to: null
        basis: "Điều 1"
        delegation_counts: false
        delegation_basis: "Điều 2"
"""


def test_a_good_minimal_file_parses():
    assert parse_rules(GOOD).position("x").rule_on(date(2021, 1, 1)).days == 1


@pytest.mark.parametrize("bad, needle", [
    (GOOD.replace("days: 1", "days: \"1\""), "days"),
    (GOOD.replace("days: 1", "days: 1\n        often: true"), "often"),
    (GOOD.replace('basis: "Điều 1"', 'basis: ""'), "basis"),
    (GOOD.replace("per: month", "per: year"), "per"),
    (GOOD.replace("effective_to: null", "effective_to: 2019-01-01"), "effective_to"),
    (GOOD + GOOD.split("rules:\n")[1].replace("2020-01-01", "2020-06-01"), "overlap"),
    ("positions: [", "YAML"),
])
def test_a_bad_file_is_an_error_naming_the_problem(bad, needle):
    with pytest.raises(RulesError) as exc:
        parse_rules(bad, "rules.yaml")
    assert "rules.yaml" in str(exc.value) and needle in str(exc.value)


def test_an_unknown_position_is_a_clear_error():
    with pytest.raises(RulesError, match="mayor"):
        parse_rules(GOOD).position("mayor")
