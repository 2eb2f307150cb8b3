"""Cases, clocks, events and actions as the API's response models (validated on the way out)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import current_app
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ..models import Case, CaseEvent, Clock, User
from ..services import cases
from ..services.cases import confidentiality, corrections, history
from ..services.deadlines import clocks as clock_service
from ..services.deadlines.calendar import load_calendar
from ..services.documents import flow as doc_flow
from . import schemas


def _iso(value) -> str | None:
    """ISO 8601; instants in UTC."""
    if isinstance(value, datetime):
        value = value.astimezone(timezone.utc)
    return value.isoformat() if value is not None else None


def case_out(session: Session, workflows, case: Case, user: User) -> dict:
    defn = workflows.for_case(case, session)
    state = defn.states.get(case.state)
    return dict(
        id=case.id, tracking_code=case.tracking_code, kind=case.kind, kind_label=defn.label, state=case.state,
        state_label=state.label if state else case.state, status=case.status, unit_id=case.unit_id,
        unit_code=case.unit.code, assignee_id=case.assignee_id, channel=case.channel,
        received_at=_iso(case.received_at), subject=case.subject, complex=case.complex,
        especially_complex=case.especially_complex, mass=case.mass, people_count=case.people_count,
        appointment_reference=case.appointment_reference, appointment_date=_iso(case.appointment_date),
        confidential=case.confidential, remote_area=case.remote_area,
        priority=case.priority, escalation_level=case.escalation_level, related_case_id=case.related_case_id,
        version=case.version, created_at=_iso(case.created_at), closed_at=_iso(case.closed_at),
        closed_on=_iso(case.closed_on),
        voided=case.voided_at is not None, voided_at=_iso(case.voided_at), void_reason=confidentiality.void_reason_for(session, user, case),
        duplicate_of_id=case.duplicate_of_id)


def _link(case: Case | None) -> dict | None:
    return dict(id=case.id, tracking_code=case.tracking_code) if case is not None else None


def links_out(case: Case) -> dict:
    """The cases this one is linked to: a letter and the case it was handed off into (both ways), and a letter
    attached to an open case as its duplicate (both ways)."""
    return dict(source_letter=_link(case.source_letter), handed_off_to=_link(case.handed_off_to),
                duplicate_of=_link(case.duplicate_of), duplicate_letters=[_link(c) for c in case.duplicates])


def party_out(case: Case) -> list[dict]:
    rows = []
    for cp in case.parties:
        p, hidden = cp.party, confidentiality.is_hidden(case, cp.role)
        rows.append(dict(id=p.id, role=cp.role, kind=p.kind, redacted=hidden,
                         **{k: (None if hidden else getattr(p, k))
                            for k in ("name", "identity_number", "identity_type", "identity_type_name", "address",
                                      "phone", "email")}))
    return rows


def clock_rows(session: Session, case: Case, today: date, clocks: list[Clock] | None = None) -> list[dict]:
    """Every clock of the case, open or closed (`clocks` when the caller has loaded them), with its explanation."""
    calendar = load_calendar(session)
    rows = []
    for c in _all_clocks(session, case) if clocks is None else clocks:
        is_open = c.closed_at is None
        rows.append(dict(id=c.id, name=c.name, label=c.label, state=c.state, start_date=c.start_date.isoformat(),
                         due_date=_iso(c.due_date), closed=not is_open, closed_on=_iso(c.closed_on), basis=c.basis,
                         days_left=(c.due_date - today).days if (is_open and c.due_date) else None,
                         explanation=clock_service.explain(c, calendar).to_dict() if is_open else None))
    return rows


_ALL_CLOCKS = select(Clock).where(Clock.case_id == bindparam("case_id")).order_by(Clock.id)


def _all_clocks(session: Session, case: Case) -> list[Clock]:
    return list(session.scalars(_ALL_CLOCKS, {"case_id": case.id}))


def action_rows(session: Session, workflows, user: User, case: Case,
                open_clocks: list[Clock] | None = None) -> list[dict]:
    return [dict(trigger=a.trigger, label=a.label, dest=a.dest, dest_label=a.dest_label, head_only=a.head_only,
                 allowed=a.allowed, reason=a.reason,
                 fields=[dict(name=f.name, type=f.type, required=f.required, label=f.label,
                              choices=[list(c) for c in f.choices], min=f.min, max=f.max) for f in a.fields])
            for a in _offered(session, workflows, user, case, open_clocks)]


def _offered(session: Session, workflows, user: User, case: Case, open_clocks: list[Clock] | None) -> list:
    # as on the case page: the number of an action that issues a document is the series', so not required
    specs = cases.actions_for(session, workflows, user, case, open_clocks)
    return doc_flow.as_offered(doc_flow.settings_from(current_app.config), workflows.for_case(case, session),
                               case.state, specs, issuer=(session, case, user))


def case_detail(session: Session, workflows, user: User, case: Case, today: date,
                secret: str | None = None) -> dict:
    """The case as the user may see it: a confidential case's content only to those who may reveal; `secret` only
    in the answer that registered the case (it is shown once, and never stored)."""
    clocks = _all_clocks(session, case)
    content_ok = confidentiality.may_see_content(session, user, case)
    data = dict(case_out(session, workflows, case, user), content=case.content if content_ok else None,
                content_redacted=not content_ok, tracking_secret=secret, parties=party_out(case), **links_out(case),
                clocks=clock_rows(session, case, today, clocks),
                actions=action_rows(session, workflows, user, case, [c for c in clocks if c.closed_at is None]))
    return schemas.CaseDetailOut.model_validate(data).model_dump(mode="json")


def event_rows(session: Session, workflows, case: Case, user: User) -> list[dict]:
    defn = workflows.for_case(case, session)
    labels = {t.trigger: t.label for t in defn.transitions}
    content_ok = confidentiality.may_see_content(session, user, case)
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))
    return [dict(id=e.id, at=_iso(e.at), legal_date=_iso(e.legal_date), action=e.action,
                 label=labels.get(e.action) or history.SYSTEM_ACTIONS.get(e.action, e.action), actor_id=e.actor_id,
                 from_state=e.from_state, to_state=e.to_state, payload=_payload(e, case, content_ok, workflows, defn))
            for e in events]


def _payload(event: CaseEvent, case: Case, content_ok: bool, workflows, defn) -> dict:
    # a correction of a confidential party is stored whole, and never shown: the API has no way to reveal it
    payload = corrections.shown(event.payload or {}, case) if event.action == "correct" else (event.payload or {})
    if not content_ok:  # a confidential case's content and file names are need-to-know too
        if event.action == "correct" and payload.get("field") == "content":
            payload = {**payload, "old": None, "new": None, "redacted": True}
        elif event.action == "attach":
            payload = {k: v for k, v in payload.items() if k != "filename"}
        payload = _free_text_withheld(payload, confidentiality.personal_fields(workflows, defn, event.action))
    if payload.get("reason") and confidentiality.reason_withheld(case, event.action, content_ok):
        payload = {**payload, "reason": None, "reason_redacted": True}
    return payload


def _free_text_withheld(payload: dict, names: frozenset[str]) -> dict:
    """An action's free-text fields left out of a confidential case's history for whoever may not see its content
    (listed in `redacted_fields`): they can name the denouncer."""
    fields = payload.get("fields")
    if not names or not isinstance(fields, dict) or not any(fields.get(n) for n in names):
        return payload
    withheld = sorted(n for n in names if fields.get(n))
    return {**payload, "fields": {k: v for k, v in fields.items() if k not in withheld}, "redacted_fields": withheld}


def access_log_rows(rows: list[dict]) -> list[dict]:
    return [{**r, "at": _iso(r["at"])} for r in rows]
