"""What a citizen sees with the tracking code and secret of the receipt: state, due date, next step.

Nothing personal or confidential: no party, no content, no subject; only kind, receipt date, unit, state, due dates.
A voided case shows only its code and that it is void.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...labels import STATUS_LABELS
from ...models import Case, Clock, Rating
from ...timeutil import local_date
from . import tracking

MAX_CODE = 32
MAX_SECRET = 16
N_ = lambda s: s  # noqa: E731 - marks a label for extraction; the page shows it translated
VOIDED_LABEL = N_("Hồ sơ đã bị hủy")


def find_case(session: Session, code: str, secret: str) -> Case | None:
    """The case whose code AND secret match (the secret's hash compared in constant time); None otherwise."""
    code, secret = (code or "").strip().upper(), (secret or "").strip().upper()
    if not code or not secret or len(code) > MAX_CODE or len(secret) > MAX_SECRET or "\x00" in code + secret:
        return None
    case = session.scalar(select(Case).where(Case.tracking_code == code))
    # with no case of that code, a fresh random secret's digest is compared, so a wrong code costs the work of a
    # wrong secret
    stored = case.tracking_secret_hash if case is not None else tracking.hash_secret(tracking.new_tracking_secret())
    ok = tracking.secret_matches(stored, secret)
    return case if (case is not None and ok) else None


def public_view(session: Session, workflows, case: Case, today: date) -> dict:
    """The redacted view of a case, as plain data for the page and the JSON lookup."""
    if case.voided_at is not None:
        return voided_view(case)
    defn = workflows.for_case(case, session)
    state = defn.states.get(case.state)
    clocks = session.scalars(select(Clock).where(Clock.case_id == case.id, Clock.closed_at.is_(None))
                             .order_by(Clock.id)).all()
    steps = [t.label for t in defn.transitions_from(case.state) if t.dest is not None]
    rated = session.scalar(select(Rating.id).where(Rating.case_id == case.id)) is not None
    return {
        "tracking_code": case.tracking_code,
        "kind": case.kind,
        "kind_label": defn.label,
        "received_on": local_date(case.received_at).isoformat(),
        "unit_name": case.unit.name,
        "unit_address": case.unit.address,
        "unit_phone": case.unit.phone,
        "state_label": state.label if state else case.state,
        "status": case.status,
        "status_label": STATUS_LABELS.get(case.status, case.status),
        "closed": case.status == "closed",
        "deadlines": [{"label": c.label, "due_date": c.due_date.isoformat() if c.due_date else None,
                       "days_left": (c.due_date - today).days if c.due_date else None,
                       "paused": c.state == "paused"} for c in clocks],
        "next_steps": list(dict.fromkeys(steps)),
        "can_rate": case.status == "closed" and not rated,
        "rated": rated,
        "voided": False,
    }


def voided_view(case: Case) -> dict:
    """A voided case: that it is void, and nothing else (no kind, date, unit, state or deadline)."""
    return {"tracking_code": case.tracking_code, "kind": "", "kind_label": "", "received_on": "", "unit_name": "",
            "state_label": VOIDED_LABEL, "status": "voided", "status_label": VOIDED_LABEL, "closed": True,
            "deadlines": [], "next_steps": [], "can_rate": False, "rated": False, "voided": True}
