"""What the case page shows: labels, masked parties, timeline, clocks with their explanation, actions."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy.orm import Session

from ...engine.workflow.graph import render_svg
from ...i18n import loc
from ...labels import CLOCK_STATE_LABELS, IDENTITY_TYPE_LABELS
from ...models import Case, User
from ...services import cases
from ...services.cases import confidentiality, history, queries
from ...services.deadlines import clocks
from ...services.deadlines.calendar import load_calendar
from ...services.org import access

N_ = lambda s: s  # noqa: E731 - extracted for translation; gettext() is called when the page is built



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
    #: the document's label (Vietnamese), or the name given for an "other" document
    identity_type: str | None = None


def party_rows(session: Session, user: User, case: Case, revealed: set[int]) -> list[PartyRow]:
    rows, reveal_ok = [], confidentiality.may_reveal(session, user, case)
    for cp in case.parties:
        p = cp.party
        hidden = confidentiality.is_hidden(case, cp.role) and p.id not in revealed
        rows.append(PartyRow(id=p.id, role=cp.role, name="" if hidden else p.name,
                             identity_number=None if hidden else p.identity_number,
                             address=None if hidden else p.address, phone=None if hidden else p.phone,
                             hidden=hidden, can_reveal=hidden and reveal_ok,
                             identity_type=None if hidden else _identity_label(p)))
    return rows


def _identity_label(party) -> str | None:
    if party.identity_type == "other":
        return party.identity_type_name
    return IDENTITY_TYPE_LABELS.get(party.identity_type or "")


def event_details(defn, event) -> list[tuple[str, str]]:
    """The fields an action recorded, as (label, readable value): dates dd/mm/yyyy, choices by (Vietnamese) label."""
    specs = {f.name: f for t in defn.transitions_for(event.action) for f in t.fields}
    out = []
    for name, value in ((event.payload or {}).get("fields") or {}).items():
        spec = specs.get(name)
        out.append((loc(spec) if spec else name, _readable(spec, value)))
    return out


def _readable(spec, value) -> str:
    if value is None or value == "":
        return ""
    if spec is not None and spec.type == "choice":
        return dict(spec.choices).get(value, str(value))
    if spec is not None and spec.type == "boolean":
        return gettext("Có") if value else gettext("Không")
    if spec is not None and spec.type == "date":
        try:
            return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    return str(value)


def context(session: Session, workflows, user: User, case: Case, today: date, *, revealed: set[int] | None = None,
            typed: dict | None = None) -> dict:
    defn = workflows.for_case(case, session)
    labels = {t.trigger: loc(t) for t in defn.transitions}
    calendar = load_calendar(session)
    clock_rows = []
    for c in queries.open_clocks(session, case):
        due = clocks.explain(c, calendar) if c.closed_at is None else None
        days_left = (c.due_date - today).days if (c.due_date and c.closed_at is None) else None
        clock_rows.append({"clock": c, "why": due.lines if due else [], "days_left": days_left})
    actor = access.actor_for(session, user, case)
    return {
        "case": case, "defn": defn,
        "state_label": loc(defn.states[case.state]) if case.state in defn.states else case.state,
        "parties": party_rows(session, user, case, revealed or set()),
        "events": [(e, labels.get(e.action) or gettext(history.SYSTEM_ACTIONS.get(e.action, e.action)), event_details(defn, e))
                   for e in queries.events(session, case)],
        "state_labels": {k: loc(s) for k, s in defn.states.items()},
        "clocks": clock_rows, "actions": cases.actions_for(session, workflows, user, case),
        "is_head": actor.is_head, "is_handler": "handler" in actor.roles,
        "assignable": queries.assignable_users(session, case.unit_id) if actor.is_head else [],
        "svg": Markup(render_svg(defn, case.state)), "typed": typed or {},
        "clock_state_labels": {k: gettext(v) for k, v in CLOCK_STATE_LABELS.items()},
    }
