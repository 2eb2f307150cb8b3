"""Who reads a confidential reception visit (a denouncer's: Luật Tố cáo 2018, Điều 47), shared by the desk, the
book and the visit's documents: its summary follows the need-to-know of the case it opened, and each opening of a
document naming the visitor is recorded (`visit_accesses`, as a case's reveals are in `identity_accesses`), and
listed on the session's desk for those who read a case's access log (`session_openings`)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import (
    Case,
    Document,
    ReceptionSession,
    ReceptionVisit,
    User,
    VisitAccess,
)
from ..cases.confidentiality import may_see_content, visit_protected
from . import sessions


def summary_shown(session: Session, user: User, visit: ReceptionVisit, case: Case | None) -> bool:
    """Whether the user reads a protected visit's summary (`visit_protected`: marked confidential, a denunciation's,
    or one whose case is confidential). It is the content of the case the visit opened and often names the
    denouncer in free text, so it follows that case's need-to-know (`may_see_content`); a visit that opened no case
    has no assignee: the officer who recorded it (who heard the citizen, and hands over the refusal notice) and a
    head of its unit (or of a unit above it) read it."""
    if not visit_protected(visit, case):
        return True
    if case is not None:
        return may_see_content(session, user, case)
    return visit.created_by_id == user.id or "head" in sessions.desk_roles(session, user, visit.unit_id)


def record_opening(session: Session, user: User, visit: ReceptionVisit, document: Document, now: datetime) -> None:
    """Record that `user` opens a document naming a confidential visit's visitor (in the caller's transaction)."""
    session.add(VisitAccess(user_id=user.id, visit_id=visit.id, document_id=document.id, at=now))
    session.flush()


#: who reads the record of openings: as a case's access log (confidentiality.may_see_log), the heads of the session's
#: unit or of a unit above it, and supervisors
LOG_ROLES = frozenset({"head", "supervisor"})


def may_see_openings(session: Session, user: User, unit_id: int) -> bool:
    return bool(sessions.desk_roles(session, user, unit_id) & LOG_ROLES)


def session_openings(session: Session, user: User, rs: ReceptionSession) -> list[dict] | None:
    """The openings of documents naming the session's protected visitors, newest first: at, user_name, the
    document's number and type, the visit's STT. A visit that opened no case is in no case's access log, so this is
    where its openings are read. None for whoever may not read them (`may_see_openings`); one query."""
    if not may_see_openings(session, user, rs.unit_id):
        return None
    rows = session.execute(
        select(VisitAccess.at, User.full_name, User.username, Document.number_symbol, Document.type, ReceptionVisit.seq)
        .join(User, User.id == VisitAccess.user_id).join(Document, Document.id == VisitAccess.document_id)
        .join(ReceptionVisit, ReceptionVisit.id == VisitAccess.visit_id).where(ReceptionVisit.session_id == rs.id)
        .order_by(VisitAccess.at.desc(), VisitAccess.id.desc()))
    return [dict(at=at, user_name=name or username, number=number, type=kind, seq=seq)
            for at, name, username, number, kind, seq in rows]
