"""A commune's yearly dialogue conference is asked only for the years it existed (Luật Thực hiện dân chủ ở cơ sở 2022,
Điều 32), pro rata for a year it existed in part; nothing is planned for a dissolved commune, nor for a day a commune
did not exist."""
from __future__ import annotations

from datetime import date

import pytest

from dvflow.services.dialogues import compliance, conferences, rules
from dvflow.services.errors import ServiceError
from dvflow.services.org import accounts
from dvflow.services.org.units import dissolve_unit

from .conftest import MID_2026, hold, plan

RULES = rules.load("workflows")
MERGED = date(2025, 7, 1)


def _merge(session, communes):
    """An Bình dissolved on 01/07/2025 into Tân An, a commune made that day; Bình Minh carries on."""
    communes["new"] = accounts.create_unit(session, "XA-TA", "UBND xã Tân An", parent_code="TINH-D",
                                           level="commune", active_from=MERGED)
    accounts.grant_role(session, communes["users"]["a_handler"], communes["new"], "handler")
    accounts.grant_role(session, communes["users"]["a_head"], communes["new"], "head")
    dissolve_unit(session, None, "XA-AB", MERGED, "XA-TA", MID_2026)
    return communes


@pytest.fixture
def merged(session, communes):
    return _merge(session, communes)


def _required(summary) -> dict[str, int]:
    return {r.unit.code: r.required for r in summary.rows}


def test_each_commune_is_asked_only_for_the_years_it_existed(session, merged):
    assert _required(compliance.per_commune(session, None, 2024, RULES)) == {"XA-AB": 1, "XA-BM": 1}
    # 2025: An Bình existed 181 days (under half the year: no conference owed), Tân An 184 (the year's one)
    assert _required(compliance.per_commune(session, None, 2025, RULES)) == {"XA-AB": 0, "XA-BM": 1, "XA-TA": 1}
    assert _required(compliance.per_commune(session, None, 2026, RULES)) == {"XA-BM": 1, "XA-TA": 1}


def test_a_conference_the_dissolved_commune_held_stays_in_its_last_year(session, workflows, communes):
    held = plan(session, workflows, communes, on=date(2025, 5, 20))
    hold(session, workflows, communes, held, held_on=date(2025, 5, 20))
    held.status = "closed"  # held and closed before the dissolution: it stays An Bình's
    merged = _merge(session, communes)
    y2025 = {r.unit.code: r for r in compliance.per_commune(session, None, 2025, RULES).rows}
    assert held.unit_id == merged["xa_a"].id and [c.id for c in y2025["XA-AB"].held] == [held.id]


def test_nothing_is_planned_for_a_dissolved_commune_nor_before_a_new_one_existed(session, workflows, merged):
    with pytest.raises(ServiceError) as refused:
        plan(session, workflows, merged, on=date(2026, 9, 15))
    assert refused.value.field == "unit_id" and "đã giải thể từ ngày 01/07/2025" in refused.value.message
    with pytest.raises(ServiceError) as refused:
        plan(session, workflows, merged, unit="new", on=date(2025, 6, 20))
    assert refused.value.field == "planned_on" and "01/07/2025" in refused.value.message
    assert plan(session, workflows, merged, unit="new", on=date(2026, 9, 15)).unit_id == merged["new"].id
    assert [u.code for u in conferences.units_to_plan_for(session, merged["users"]["a_handler"])] == ["XA-TA"]


def test_a_conference_held_before_the_merger_and_moved_with_it_counts_for_the_commune_that_held_it(
        session, workflows, communes):
    """Held on 20/05/2025 and still open on 01/07/2025 (its commitments followed up): the merger moves it to Tân An,
    yet An Bình held it: An Bình's 2025 row lists it, Tân An's does not."""
    held = plan(session, workflows, communes, on=date(2025, 5, 20))
    hold(session, workflows, communes, held, held_on=date(2025, 5, 20))
    merged = _merge(session, communes)
    assert held.unit_id == merged["new"].id  # moved: open
    y2025 = {r.unit.code: r for r in compliance.per_commune(session, None, 2025, RULES).rows}
    assert [c.id for c in y2025["XA-AB"].held] == [held.id] and y2025["XA-TA"].held == []
    # the commune's own view (its subtree: itself) reads it too; the successor's alone does not
    alone = compliance.per_commune(session, {merged["xa_a"].id}, 2025, RULES).rows
    assert [c.id for c in alone[0].held] == [held.id]
    assert compliance.per_commune(session, {merged["new"].id}, 2025, RULES).rows[0].held == []
