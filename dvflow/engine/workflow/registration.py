"""Registering a new case, as an outcome of the engine like any action (the services apply both the same way)."""
from __future__ import annotations

from typing import Any, Mapping

from dvflow.engine.types import CaseView, ClockOp, NotificationIntent, Outcome
from dvflow.engine.workflow.definition import Definition


def initial_clock_ops(defn: Definition, case: CaseView) -> tuple[ClockOp, ...]:
    """The clocks a new case starts in the initial state (``start.on_enter: <initial>``), from its receipt date."""
    out = []
    for name, clock in defn.clocks.items():
        if not clock.information and clock.start_on_enter == defn.initial and clock.starts_with(case.facts):
            out.append(ClockOp(op="start", clock=name, on=case.received_on,
                               rule=clock.choose_rule(case.received_on, case.flags, case.remote_area,
                                                                 case.facts)))
    return tuple(out)


REGISTER = "register"
REGISTER_LABEL = "Tiếp nhận hồ sơ"


def register(defn: Definition, case: CaseView, payload: Mapping[str, Any], *, assigned: bool) -> Outcome:
    """The outcome of registering a new case: it enters the initial state on its receipt date, starts the clocks
    that start there (counted from that date, not from the day it was typed in), and tells whoever must take it up
    (the assignee when one is named at intake, otherwise the unit's head and handlers; the head at once, with its
    own notice, of a mass case)."""
    recipients = ("assignee",) if assigned else ("unit_head", "handlers")
    params = {"kind": defn.label, "received": case.received_on.strftime("%d/%m/%Y")}
    return Outcome(
        action=REGISTER, from_state=None, to_state=defn.initial, status=defn.states[defn.initial].status,
        legal_date=case.received_on, payload=dict(payload), clock_ops=initial_clock_ops(defn, case),
        notifications=_notifications(case, recipients, params), label=REGISTER_LABEL,
        set_flags=defn.confidential_flags(case.facts),  # e.g. a letter naming a denouncer (Luật Tố cáo, Điều 47)
        facts=dict(case.facts))  # the system facts recorded at intake (party_roles); no workflow step has run


def _notifications(case: CaseView, recipients: tuple[str, ...],
                   params: Mapping[str, Any]) -> tuple[NotificationIntent, ...]:
    if "mass" not in case.flags:
        return (NotificationIntent(recipients, "case_registered", params),)
    # the head receives a mass case's representatives personally or by a delegate (Luật Tiếp công dân 2013,
    # Điều 30): told at once, whoever the case is assigned to
    others = tuple(r for r in recipients if r != "unit_head")
    mass = NotificationIntent(("unit_head",), "mass_case_registered",
                              {**params, "people": int(case.facts.get("people_count") or 0)})
    return ((NotificationIntent(others, "case_registered", params),) if others else ()) + (mass,)
