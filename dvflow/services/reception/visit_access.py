"""Who reads a confidential reception visit (a denouncer's: Luật Tố cáo 2018, Điều 47), shared by the desk, the
book and the visit's documents: its summary follows the need-to-know of the case it opened, and each opening of a
document naming the visitor is recorded (`visit_accesses`, as a case's reveals are in `identity_accesses`)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ...models import Case, Document, ReceptionVisit, User, VisitAccess
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
