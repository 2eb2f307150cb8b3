"""Grassroots dialogue conferences (Luật Thực hiện dân chủ ở cơ sở 2022, Điều 32): planning one, and each commune's
compliance with the yearly minimum, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from dvflow.models import Case
from dvflow.services.cases.actions import perform
from dvflow.services.dialogues import compliance, conferences, rules
from dvflow.services.errors import ServiceError
from dvflow.services.org import access

from .conftest import HELD, MID_2026, hold, later, plan

RULES = rules.load("workflows")


def _row(summary, unit):
    return next(r for r in summary.rows if r.unit.id == unit.id)


def test_a_year_with_one_commune_compliant_and_one_not(session, workflows, communes):
    held = plan(session, workflows, communes, on=date(2026, 6, 9))
    hold(session, workflows, communes, held)
    planned = plan(session, workflows, communes, unit="xa_b", user="b_handler", on=date(2026, 12, 20))
    off = plan(session, workflows, communes, unit="xa_b", user="b_handler", on=date(2026, 10, 1))
    perform(session, workflows, communes["users"]["b_head"], off.id, "call_off", {"reason": "Bão số 5"}, later(1))
    last_year = plan(session, workflows, communes, unit="xa_b", user="b_handler", on=date(2025, 11, 5))
    hold(session, workflows, communes, last_year, held_on=date(2025, 11, 5), user="b_head")

    summary = compliance.per_commune(session, None, 2026, RULES)
    a, b = _row(summary, communes["xa_a"]), _row(summary, communes["xa_b"])
    assert (a.required, len(a.held), a.missing, a.compliant) == (1, 1, 0, True)
    assert [c.id for c in a.held] == [held.id] and not a.planned and not a.called_off
    assert (b.required, len(b.held), b.missing, b.compliant) == (1, 0, 1, False)
    assert [c.id for c in b.planned] == [planned.id] and [c.id for c in b.called_off] == [off.id]
    assert summary.compliant == 1 and summary.missing == 1
    assert {r.unit.id for r in summary.rows} == {communes["xa_a"].id, communes["xa_b"].id}  # communes only
    # the conference held in 2025 counts for 2025, where commune A held none
    y2025 = compliance.per_commune(session, None, 2025, RULES)
    assert _row(y2025, communes["xa_b"]).compliant and not _row(y2025, communes["xa_a"]).compliant


def test_before_the_law_no_conference_was_required(session, workflows, communes):
    summary = compliance.per_commune(session, None, 2022, RULES)
    assert all(r.required == 0 and r.compliant for r in summary.rows)
    assert RULES.requirement("commune", 2023).minimum == 1  # from 01/07/2023
    assert "Điều 32" in RULES.requirement("commune", 2026).basis


def test_a_conference_is_not_registered_at_the_reception_desk(session, workflows, communes):
    """The workflow says `intake: false`: a conference is opened on the dialogue pages, a complaint's dialogue is
    held inside the complaint; neither is a case of its own registered at the desk."""
    from dvflow.services.cases.intake import IntakeInput, register_case

    data = IntakeInput(kind="dialogue", unit_id=communes["xa_a"].id, channel="walk_in", received_at=MID_2026,
                       subject="Đối thoại")
    with pytest.raises(ServiceError) as err:
        register_case(session, workflows, communes["users"]["a_handler"], data, MID_2026)
    assert err.value.field == "kind"


def test_a_dialogue_case_without_a_plan_is_not_counted(session, workflows, communes):
    """A case started on the former standalone dialogue workflow never set planned_on or held_on: not a conference."""
    case = plan(session, workflows, communes)
    case.facts = {"party_roles": ["complainant"], "dialogue_held": True}
    session.flush()
    assert not conferences.is_conference(case)
    row = _row(compliance.per_commune(session, None, 2026, RULES), communes["xa_a"])
    assert not row.held and not row.planned


def test_the_plan_is_recorded_on_the_case(session, workflows, communes):
    case = plan(session, workflows, communes)
    assert case.state == "planned" and case.facts["planned_on"] == "2026-09-15"
    assert case.subject == "Hội nghị đối thoại với Nhân dân năm 2026" and "Quản lý đất đai" in case.content
    assert not case.parties  # no complainant: residents attend
    held = hold(session, workflows, communes, case, held_on=date(2026, 6, 10))
    assert held.state == "held" and held.facts["held_on"] == "2026-06-10"
    assert held.facts["attendance_count"] == 140 and held.facts["front_present"] is True


@pytest.mark.parametrize("change, field", [
    ({"unit": "dept", "user": "dept_head"}, "unit_id"),
    ({"on": date(2030, 1, 1)}, "planned_on"),
    ({"on": None}, "planned_on"),
])
def test_a_wrong_plan_names_the_field_and_writes_nothing(session, workflows, communes, change, field):
    before = session.scalar(select(func.count()).select_from(Case))
    with pytest.raises(ServiceError) as err:
        plan(session, workflows, communes, **change)
    assert err.value.field == field
    assert session.scalar(select(func.count()).select_from(Case)) == before


def test_the_front_coorganiser_is_required(session, workflows, communes):
    data = conferences.ConferenceInput(unit_id=communes["xa_a"].id, planned_on=date(2026, 9, 1), place="UBND",
                                       topics="Đất đai", front_coorganiser="  ")
    with pytest.raises(ServiceError) as err:
        conferences.plan(session, workflows, communes["users"]["a_handler"], data, MID_2026)
    assert err.value.field == "front_coorganiser"


def test_a_commune_may_not_plan_for_another(session, workflows, communes):
    with pytest.raises(ServiceError):
        plan(session, workflows, communes, unit="xa_b", user="a_handler")


def test_each_sees_the_communes_of_its_subtree(session, workflows, communes):
    plan(session, workflows, communes)
    plan(session, workflows, communes, unit="xa_b", user="b_handler")
    a_head = access.visible_unit_ids(session, communes["users"]["a_head"])
    rows = compliance.per_commune(session, a_head, 2026, RULES).rows
    assert [r.unit.id for r in rows] == [communes["xa_a"].id]
    for name in ("chair", "inspector"):
        units = access.visible_unit_ids(session, communes["users"][name])
        assert len(compliance.per_commune(session, units, 2026, RULES).rows) == 2, name
    assert len(conferences.visible(session, communes["users"]["a_head"], 2026)) == 1
    assert len(conferences.visible(session, communes["users"]["inspector"], 2026)) == 2


def test_rules_with_a_typo_fail_loudly():
    with pytest.raises(ServiceError) as err:
        rules.parse("rules:\n  - level: comune\n    minimum_per_year: 1\n    effective_from: 2023-07-01\n"
                    "    label: x\n    basis: y\n")
    assert "comune" in str(err.value)
    with pytest.raises(ServiceError):
        rules.parse("rules:\n  - level: commune\n    minimum_per_year: 0\n    effective_from: 2023-07-01\n"
                    "    label: x\n    basis: y\n")


def test_a_conference_without_the_communes_fatherland_front_is_listed_but_not_counted(session, workflows, communes):
    """Điều 32: the commune committee holds it with the commune Fatherland Front; minutes without the Front are no
    such conference: shown apart, the commune still owes its conference."""
    c = plan(session, workflows, communes, on=date(2026, 6, 9))
    perform(session, workflows, communes["users"]["a_head"], c.id, "hold",
            {**HELD, "front_present": False, "front_representative": "", "held_on": "2026-06-09"}, MID_2026)
    row = _row(compliance.per_commune(session, None, 2026, RULES), communes["xa_a"])
    assert (row.held, row.not_counted, row.missing, row.compliant) == ([], [c], 1, False)


def test_a_conference_before_the_law_came_into_force_does_not_count_for_its_first_year(session, workflows, communes):
    """The law is in force from 01/07/2023: a conference of March 2023 is listed, not counted; one of August is."""
    early = datetime(2023, 3, 2, 2, tzinfo=timezone.utc)
    march = plan(session, workflows, communes, on=date(2023, 3, 1), now=early)
    hold(session, workflows, communes, march, held_on=date(2023, 3, 1), now=early)
    row = _row(compliance.per_commune(session, None, 2023, RULES), communes["xa_a"])
    assert (row.held, row.not_counted, row.compliant) == ([], [march], False)
    august = datetime(2023, 8, 2, 2, tzinfo=timezone.utc)
    later_one = plan(session, workflows, communes, on=date(2023, 8, 1), now=august)
    hold(session, workflows, communes, later_one, held_on=date(2023, 8, 1), now=august)
    row = _row(compliance.per_commune(session, None, 2023, RULES), communes["xa_a"])
    assert (row.held, row.compliant) == ([later_one], True)
