"""What the session desk, the reception book and the API show of visits: one row per visit in the columns of Mẫu
03/TCD, a protected visitor's identity replaced by "Được giữ bí mật" for everyone once saved (Luật Tố cáo 2018,
Điều 47), and with it the booking the visitor came with; a protected visit's summary only for those who may see
the content of the case it opened; the cases the letters were handed into loaded in one query (no query per row).
Protected is the one rule `visit_protected`: the visit's own flag, or the case its letter became (a letter
classified as a denunciation after the visit makes its visitor a denouncer)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
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
from ..cases.confidentiality import protected_visit, visit_protected
from ..documents import session_docs
from . import book_handling, refusals, sessions
from .visit_access import session_openings, summary_shown

HIDDEN = "Được giữ bí mật"
#: a withheld summary, in the case page's words for withheld content (the pages show it translated)
WITHHELD = "Nội dung được bảo mật"
TYPE_CODES = {"complaint": "KN", "denunciation": "TC", "petition": "KN", "feedback": "PA"}


def visit_rows(session: Session, visits: list[ReceptionVisit], rules: refusals.Rules, user: User, *,
               book_columns: bool = False) -> list[dict[str, Any]]:
    """The visits as book rows (columns 1–13 of Mẫu 03/TCD and what the desk needs beside them), as `user` may
    see them: a confidential visit's summary is withheld (`summary_withheld`) unless `summary_shown`. With
    `book_columns`, also columns (9)-(11) (`book`: how each case was handled, up to three more queries), which only
    the book and its xlsx show."""
    case_ids = {v.case_id for v in visits if v.case_id}
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(case_ids or {-1}))
                                              .options(joinedload(Case.unit)))}
    handled = book_handling.handling(session, case_ids) if book_columns else {}
    shown: dict[tuple, bool] = {}  # per case: a page of the book holds many visits of few cases
    rows = []
    for v in visits:
        case = cases.get(v.case_id)
        # a visit that opened no case is asked on its own: who recorded it is part of the answer
        key = ("case", case.id) if case is not None else ("visit", v.id)
        hidden = visit_protected(v, case)
        if hidden and key not in shown:
            shown[key] = summary_shown(session, user, v, case)
        row = _row(v, case, rules, hidden=hidden, withheld=hidden and not shown[key])
        if book_columns:
            row["book"] = book_handling.visit_columns(  # columns (9)-(11) of Mẫu 03/TCD
                v.outcome, v.within_competence, v.guided_to, v.guidance_number, case.unit.name if case else None,
                handled.get(v.case_id, book_handling.Handling()))
        rows.append(row)
    return rows


def _row(v: ReceptionVisit, case: Case | None, rules: refusals.Rules, *, hidden: bool,
         withheld: bool) -> dict[str, Any]:
    ground = rules.grounds.get(v.refusal_ground or "")
    return {
        "id": v.id, "session_id": v.session_id, "seq": v.seq, "year": v.year, "received_on": v.received_on,
        "confidential": hidden,
        "citizen_name": HIDDEN if hidden else v.citizen_name, "address": None if hidden else v.address,
        "identity_number": None if hidden else v.identity_number, "phone": None if hidden else v.phone,
        "summary": WITHHELD if withheld else v.summary, "summary_withheld": withheld,
        "content_type": v.content_type, "type_code": TYPE_CODES[v.content_type],
        "people_count": v.people_count, "prior_resolver": v.prior_resolver, "within_competence": v.within_competence,
        "outcome": v.outcome, "guided_to": v.guided_to, "guidance_number": v.guidance_number,
        "case_id": v.case_id, "case_code": case.tracking_code if case else None,
        "case_unit": case.unit.name if case else None,
        "refusal_ground": v.refusal_ground, "refusal_label": ground.label if ground else None,
        "refusal_basis": ground.basis if ground else None, "refusal_notice_due": v.refusal_notice_due,
        "refusal_notice_sent_on": v.refusal_notice_sent_on,
        # free texts, written about the same citizen and matter as the summary: withheld with it
        "result_note": _withheld(v.result_note, withheld), "notes": _withheld(v.notes, withheld),
    }


def _withheld(text: str | None, withheld: bool) -> str | None:
    return WITHHELD if withheld and text else text


def session_visits(session: Session, session_id: int) -> list[ReceptionVisit]:
    return list(session.scalars(select(ReceptionVisit).where(ReceptionVisit.session_id == session_id)
                                .order_by(ReceptionVisit.seq)))


def bookings(session: Session, session_id: int) -> list[ReceptionBooking]:
    return list(session.scalars(select(ReceptionBooking).where(ReceptionBooking.session_id == session_id)
                                .order_by(ReceptionBooking.slot_time, ReceptionBooking.id)))


@dataclass(frozen=True)
class BookingRow:
    """A booking as the desk and the schedule list it: a booking received into a confidential visit is redacted
    like the visit, for everyone once saved (its name, phone and content, set beside the visits of the same
    session, would say who denounced). A plain copy: the booking row itself is never changed."""
    id: int
    code: str
    slot_time: time
    status: str
    name: str
    phone: str | None
    content: str | None
    confidential: bool


def booking_rows(session: Session, rows: list[ReceptionBooking]) -> list[BookingRow]:
    ids = [b.id for b in rows]
    secret = set(session.scalars(select(ReceptionVisit.booking_id).where(
        ReceptionVisit.booking_id.in_(ids or [-1]), protected_visit())))
    return [BookingRow(id=b.id, code=b.code, slot_time=b.slot_time, status=b.status, confidential=b.id in secret,
                       name=HIDDEN if b.id in secret else b.name, phone=None if b.id in secret else b.phone,
                       content=None if b.id in secret else b.content) for b in rows]


@dataclass
class DeskView:
    rs: ReceptionSession
    may_run: bool
    visits: list[dict[str, Any]]
    bookings: list[BookingRow]
    overdue: list[dict[str, Any]]
    documents: list
    #: the ids of the documents the user may not open (a confidential visitor's refusal notice: session_docs.may_open)
    sealed: set[int]
    has_conclusion: bool
    grounds: list[refusals.Ground]
    units: list[Unit]
    #: the conclusion's tasks as tracked commitments: (commitment, its follow_up case)
    tasks: list[tuple[Commitment, Case]]
    #: who opened a document naming a protected visitor, for heads and supervisors (None: not shown)
    openings: list[dict[str, Any]] | None = None


def desk_view(session: Session, user: User, session_id: int, rules: refusals.Rules, today: date) -> DeskView:
    """The desk of one session: its bookings, the citizens received, the unit's refusals whose notice is overdue,
    its documents, and the choices of the forms."""
    rs = sessions.load_for(session, user, session_id)
    docs = session_docs.session_documents(session, rs.id)
    overdue = refusals.overdue(session, [rs.unit_id], today)
    may_run = sessions.may_run(session, user, rs.unit_id)
    return DeskView(rs=rs, may_run=may_run, visits=visit_rows(session, session_visits(session, rs.id), rules, user),
                    # who booked (names, phones) is the desk's working list: a supervisor reads the book, not it
                    bookings=booking_rows(session, bookings(session, rs.id)) if may_run else [],
                    overdue=visit_rows(session, overdue, rules, user), documents=docs,
                    sealed={d.id for d in docs if not session_docs.may_open(session, user, d, rs)},
                    has_conclusion=any(d.type == session_docs.CONCLUSION for d in docs),
                    grounds=rules.in_force(rs.day),
                    # a task goes only to a unit the service accepts (the user's own or one below)
                    units=commitments.assignable_units(session, user),
                    tasks=[(c, session.get(Case, c.case_id)) for c in commitments.of_session(session, rs.id)],
                    openings=session_openings(session, user, rs))
