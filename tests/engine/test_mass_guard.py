"""A mass case is accepted only with valid representatives appointed in writing (LTCD Art 29; NĐ 124 Art 6(2)), and
its registration tells the unit's head at once; both are declared in the workflows and decided by the engine."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dvflow.engine.types import Actor, CaseView
from dvflow.engine.workflow import load_all, register
from dvflow.engine.workflow.guards_intake import mass_representatives_valid

REG = load_all(Path(__file__).resolve().parents[2] / "workflows")
HEAD = Actor(user_id=1, name="Thủ trưởng", roles=frozenset({"head"}), is_head=True)


def mass_case(people: int, reps: int, appointed: bool = True, flags=frozenset({"mass"})) -> CaseView:
    return CaseView(kind="complaint_first", state="received", status="open", received_on=date(2026, 11, 2),
                    flags=flags, remote_area=False,
                    facts={"party_roles": ["complainant", "representative"], "people_count": people,
                           "representatives_count": reps, "appointment_recorded": appointed})


@pytest.mark.parametrize("people, reps, appointed, refused_with", [
    (5, 1, True, None), (10, 2, True, None), (11, 5, True, None), (60, 3, True, None),
    (5, 0, True, "chưa có người đại diện: phải cử từ 1 đến 2"),
    (10, 3, True, "chỉ được cử tối đa 2 người đại diện, hồ sơ đang có 3"),
    (11, 6, True, "chỉ được cử tối đa 5 người đại diện, hồ sơ đang có 6"),
    (7, 1, False, "chưa có văn bản cử người đại diện"),
])
def test_representatives_by_number_of_people(people, reps, appointed, refused_with):
    reason = mass_representatives_valid(mass_case(people, reps, appointed), HEAD, {})
    if refused_with is None:
        assert reason is None
    else:
        assert refused_with in str(reason) and "Luật Tiếp công dân 2013, Điều 29" in str(reason)


def test_a_case_of_fewer_people_without_the_flag_needs_no_representative():
    assert mass_representatives_valid(mass_case(4, 0, False, flags=frozenset()), HEAD, {}) is None
    assert "người đại diện" in str(mass_representatives_valid(mass_case(0, 0, False), HEAD, {}))  # flagged by hand


@pytest.mark.parametrize("kind", ["complaint_first", "complaint_second", "denunciation", "petition"])
def test_accept_of_each_kind_declares_the_guard_and_cites_the_law(kind):
    accept = next(t for t in REG.get(kind).transitions if t.trigger == "accept")
    assert "mass_representatives_valid" in accept.guards and "Điều 29" in accept.basis


def test_registering_a_mass_case_tells_the_head_at_once_with_its_own_notice():
    defn = REG.get("complaint_first")
    case = mass_case(12, 0, False)
    unassigned = register(defn, case, {}, assigned=False)
    assigned = register(defn, case, {}, assigned=True)
    assert [(n.recipients, n.template) for n in unassigned.notifications] == [
        (("handlers",), "case_registered"), (("unit_head",), "mass_case_registered")]
    assert [(n.recipients, n.template) for n in assigned.notifications] == [
        (("assignee",), "case_registered"), (("unit_head",), "mass_case_registered")]
    assert assigned.notifications[1].params["people"] == 12
