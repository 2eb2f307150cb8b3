"""Registration is an engine outcome like any action: initial state, first clocks from the receipt date, notices."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from dvflow.engine.types import CaseView
from dvflow.engine.workflow import initial_clock_ops, load_all, register

REG = load_all(Path(__file__).resolve().parents[2] / "workflows")


def new_case(kind: str, received: date, flags: frozenset[str] = frozenset(), remote: bool = False) -> CaseView:
    return CaseView(kind=kind, state="", status="open", received_on=received, flags=flags, remote_area=remote,
                    facts={"party_roles": ["complainant"]})


def test_a_complaint_enters_its_initial_state_and_starts_acceptance_from_the_receipt_date():
    defn = REG.get("complaint_first")
    outcome = register(defn, new_case("complaint_first", date(2026, 11, 2)), {"channel": "walk_in"}, assigned=False)
    assert (outcome.action, outcome.from_state, outcome.to_state) == ("register", None, defn.initial)
    assert outcome.status == defn.states[defn.initial].status and outcome.legal_date == date(2026, 11, 2)
    assert [(op.op, op.clock, op.on) for op in outcome.clock_ops] == [("start", "accept", date(2026, 11, 2))]
    assert outcome.clock_ops[0].rule.days == 7  # NĐ 155/2026, in force from 01/07/2026
    assert outcome.payload == {"channel": "walk_in"}
    assert outcome.facts == {"party_roles": ["complainant"]}  # the facts recorded at intake are kept


def test_the_rule_in_force_on_the_receipt_date_is_chosen():
    defn = REG.get("complaint_first")
    before = register(defn, new_case("complaint_first", date(2026, 6, 30)), {}, assigned=False)
    assert before.clock_ops[0].rule.days == 10


def test_who_is_told_depends_on_whether_an_assignee_was_named():
    defn = REG.get("complaint_first")
    unassigned = register(defn, new_case("complaint_first", date(2026, 11, 2)), {}, assigned=False)
    assigned = register(defn, new_case("complaint_first", date(2026, 11, 2)), {}, assigned=True)
    assert [n.recipients for n in unassigned.notifications] == [("unit_head", "handlers")]
    assert [n.recipients for n in assigned.notifications] == [("assignee",)]
    notice = unassigned.notifications[0]
    assert notice.template == "case_registered" and notice.params == {"kind": defn.label, "received": "02/11/2026"}


def test_every_workflow_registers_with_exactly_its_initial_clocks():
    for defn in REG:
        view = new_case(defn.id, date(2026, 11, 2))
        assert register(defn, view, {}, assigned=False).clock_ops == initial_clock_ops(defn, view), defn.id
