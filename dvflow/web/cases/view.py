"""What the case page shows: labels, masked parties, timeline, clocks with their explanation, actions."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup
from sqlalchemy.orm import Session

from ...engine.workflow.graph import render_svg
from ...models import Case, User
from ...services import access, clocks, transition
from ...services.calendar import load_calendar
from . import queries

SYSTEM_ACTIONS = {"register": "Tiếp nhận hồ sơ", "assign": "Giao xử lý", "recompute_due": "Tính lại thời hạn",
                  "escalate": "Nhắc hạn, báo cáo cấp trên"}
HIDDEN_ROLES = {"denouncer"}


@dataclass
class PartyRow:
    id: int
    role: str
    name: str
    identity_number: str | None
    address: str | None
    phone: str | None
    hidden: bool
    can_reveal: bool


def may_reveal(session: Session, user: User, case: Case) -> bool:
    return case.assignee_id == user.id or access.actor_for(session, user, case).is_head


def party_rows(session: Session, user: User, case: Case, revealed: set[int]) -> list[PartyRow]:
    rows, reveal_ok = [], may_reveal(session, user, case)
    for cp in case.parties:
        p = cp.party
        hidden = case.confidential and cp.role in HIDDEN_ROLES and p.id not in revealed
        rows.append(PartyRow(id=p.id, role=cp.role, name="" if hidden else p.name,
                             identity_number=None if hidden else p.identity_number,
                             address=None if hidden else p.address, phone=None if hidden else p.phone,
                             hidden=hidden, can_reveal=hidden and reveal_ok))
    return rows


def context(session: Session, workflows, user: User, case: Case, today: date, *, revealed: set[int] | None = None,
            typed: dict | None = None) -> dict:
    defn = workflows.for_case(case, session)
    labels = {t.trigger: t.label for t in defn.transitions}
    calendar = load_calendar(session)
    clock_rows = []
    for c in queries.open_clocks(session, case):
        due = clocks.explain(c, calendar) if c.closed_at is None else None
        days_left = (c.due_date - today).days if (c.due_date and c.closed_at is None) else None
        clock_rows.append({"clock": c, "why": due.lines if due else [], "days_left": days_left})
    actor = access.actor_for(session, user, case)
    return {
        "case": case, "defn": defn, "state_label": defn.states[case.state].label if case.state in defn.states else case.state,
        "parties": party_rows(session, user, case, revealed or set()),
        "events": [(e, labels.get(e.action) or SYSTEM_ACTIONS.get(e.action, e.action))
                   for e in queries.events(session, case)],
        "state_labels": {k: s.label for k, s in defn.states.items()},
        "clocks": clock_rows, "actions": transition.actions_for(session, workflows, user, case),
        "is_head": actor.is_head, "is_handler": "handler" in actor.roles,
        "assignable": queries.assignable_users(session, case.unit_id) if actor.is_head else [],
        "svg": Markup(render_svg(defn, case.state)), "typed": typed or {},
    }
