"""Need-to-know for the identity of a denouncer (Luật Tố cáo 2018, Điều 47(1)(b), 56): who may see it, and the
record of every look at it.

In a confidential case the parties in `HIDDEN_ROLES` are shown to no one by default; the assignee or a head of the
case's unit (or of a unit above it) may reveal one by giving a reason, and each reveal is recorded in
`identity_access` before the identity is shown.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Case, CaseEvent, IdentityAccess, User
from ..errors import Forbidden, NotFound, ServiceError
from ..org import access
from .lookup import load_case_for

N_ = lambda s: s  # noqa: E731 - marks a message for extraction; the page shows it translated

#: party roles whose identity a confidential case hides (a mass denunciation's representatives are denouncers)
HIDDEN_ROLES = frozenset({"denouncer", "representative"})
MAX_REASON = 500
MIN_REASON = 20  # "." or "xem" is not a reason: the log must say why the identity was needed
REASON_NEEDED = N_("Nhập lý do xem danh tính người tố cáo (ít nhất 20 ký tự, nói rõ vì sao cần biết).")


def is_hidden(case: Case, role: str) -> bool:
    """Whether a party of this role is hidden in this case until someone entitled reveals it."""
    return case.confidential and role in HIDDEN_ROLES


def may_reveal(session: Session, user: User, case: Case) -> bool:
    """A head of the case's unit or of a unit above it, or the assignee a head designated (a handler who took the
    case by themself, or was named at intake, is not designated: need-to-know is the head's decision)."""
    if access.actor_for(session, user, case).is_head:
        return True
    return case.assignee_id == user.id and _designated_by_head(session, case, user.id)


def _designated_by_head(session: Session, case: Case, user_id: int) -> bool:
    last = session.scalar(select(CaseEvent.payload).where(CaseEvent.case_id == case.id, CaseEvent.action == "assign")
                          .order_by(CaseEvent.seq.desc()).limit(1))
    return bool(last) and last.get("to") == user_id and bool(last.get("by_head"))


def reveal(session: Session, user: User, case_id: int, party_id: int, reason: str, now: datetime) -> Case:
    """Record that `user` looks at the identity of a party of the case, for `reason`; returns the case.

    NotFound when the user may not see the case or the party is not one of its parties; Forbidden when the user may
    not reveal identities in it; ServiceError (field `reason`) without a reason. Nothing is written when refused."""
    case = load_case_for(session, user, case_id)
    if not any(cp.party_id == party_id for cp in case.parties):
        raise NotFound("Không tìm thấy đương sự trong hồ sơ này.")
    if not may_reveal(session, user, case):
        raise Forbidden("Chỉ thủ trưởng đơn vị hoặc người được thủ trưởng giao xử lý được xem danh tính người tố cáo.")
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise ServiceError(REASON_NEEDED, field="reason")
    session.add(IdentityAccess(user_id=user.id, case_id=case.id, party_id=party_id, reason=reason[:MAX_REASON],
                               at=now))
    session.flush()
    return case
