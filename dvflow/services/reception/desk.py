"""What the session desk, the reception book and the API show of visits: one row per visit in the columns of Mẫu
03/TCD, a confidential visitor's identity replaced by "Được giữ bí mật" for everyone once saved (Luật Tố cáo 2018,
Điều 47), and the cases the letters were handed into loaded in one query (no query per row)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ...models import (
    Case,
    Commitment,
    ReceptionBooking,
    ReceptionSession,
    ReceptionVisit,
    Unit,
    User,
)
from .. import commitments
from ..documents import session_docs
from . import refusals, sessions

HIDDEN = "Được giữ bí mật"
TYPE_CODES = {"complaint": "KN", "denunciation": "TC", "petition": "KN", "feedback": "PA"}


def visit_rows(session: Session, visits: list[ReceptionVisit], rules: refusals.Rules) -> list[dict[str, Any]]:
    """The visits as book rows (columns 1–13 of Mẫu 03/TCD and what the desk needs beside them)."""
    case_ids = {v.case_id for v in visits if v.case_id}
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(case_ids or {-1}))
                                              .options(joinedload(Case.unit)))}
    return [_row(v, cases.get(v.case_id), rules) for v in visits]


def _row(v: ReceptionVisit, case: Case | None, rules: refusals.Rules) -> dict[str, Any]:
    ground = rules.grounds.get(v.refusal_ground or "")
    hidden = v.confidential
    return {
        "id": v.id, "session_id": v.session_id, "seq": v.seq, "year": v.year, "received_on": v.received_on,
        "confidential": hidden,
        "citizen_name": HIDDEN if hidden else v.citizen_name, "address": None if hidden else v.address,
        "identity_number": None if hidden else v.identity_number, "phone": None if hidden else v.phone,
        "summary": v.summary, "content_type": v.content_type, "type_code": TYPE_CODES[v.content_type],
        "people_count": v.people_count, "prior_resolver": v.prior_resolver, "within_competence": v.within_competence,
        "outcome": v.outcome, "guided_to": v.guided_to, "guidance_number": v.guidance_number,
        "case_id": v.case_id, "case_code": case.tracking_code if case else None,
        "case_unit": case.unit.name if case else None,
        "refusal_ground": v.refusal_ground, "refusal_label": ground.label if ground else None,
        "refusal_basis": ground.basis if ground else None, "refusal_notice_due": v.refusal_notice_due,
        "refusal_notice_sent_on": v.refusal_notice_sent_on, "result_note": v.result_note, "notes": v.notes,
    }


def session_visits(session: Session, session_id: int) -> list[ReceptionVisit]:
    return list(session.scalars(select(ReceptionVisit).where(ReceptionVisit.session_id == session_id)
                                .order_by(ReceptionVisit.seq)))


def bookings(session: Session, session_id: int) -> list[ReceptionBooking]:
    return list(session.scalars(select(ReceptionBooking).where(ReceptionBooking.session_id == session_id)
                                .order_by(ReceptionBooking.slot_time, ReceptionBooking.id)))


@dataclass
class DeskView:
    rs: ReceptionSession
    may_run: bool
    visits: list[dict[str, Any]]
    bookings: list[ReceptionBooking]
    overdue: list[dict[str, Any]]
    documents: list
    has_conclusion: bool
    grounds: list[refusals.Ground]
    units: list[Unit]
    #: the conclusion's tasks as tracked commitments: (commitment, its follow_up case)
    tasks: list[tuple[Commitment, Case]]


def desk_view(session: Session, user: User, session_id: int, rules: refusals.Rules, today: date) -> DeskView:
    """The desk of one session: its bookings, the citizens received, the unit's refusals whose notice is overdue,
    its documents, and the choices of the forms."""
    rs = sessions.load_for(session, user, session_id)
    docs = session_docs.session_documents(session, rs.id)
    overdue = refusals.overdue(session, [rs.unit_id], today)
    may_run = sessions.may_run(session, user, rs.unit_id)
    return DeskView(rs=rs, may_run=may_run, visits=visit_rows(session, session_visits(session, rs.id), rules),
                    # who booked (names, phones) is the desk's working list: a supervisor reads the book, not it
                    bookings=bookings(session, rs.id) if may_run else [], overdue=visit_rows(session, overdue, rules), documents=docs,
                    has_conclusion=any(d.type == session_docs.CONCLUSION for d in docs),
                    grounds=rules.in_force(rs.day),
                    units=list(session.scalars(select(Unit).order_by(Unit.name))),
                    tasks=[(c, session.get(Case, c.case_id)) for c in commitments.of_session(session, rs.id)])
