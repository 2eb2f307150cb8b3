"""Need-to-know for the identity of a denouncer (Luật Tố cáo 2018, Điều 47(1)(b), 56): who may see it, and the
record of every look at it.

In a confidential case the parties in `HIDDEN_ROLES` are shown to no one by default; the assignee or a head of the
case's unit (or of a unit above it) may reveal one by giving a reason, and each reveal is recorded in
`identity_access` before the identity is shown.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ...models import Case, IdentityAccess, User
from ..errors import Forbidden, NotFound, ServiceError
from ..org import access
from .lookup import load_case_for

N_ = lambda s: s  # noqa: E731 - marks a message for extraction; the page shows it translated

#: party roles whose identity a confidential case hides (a mass denunciation's representatives are denouncers)
HIDDEN_ROLES = frozenset({"denouncer", "representative"})
MAX_REASON = 500
REASON_NEEDED = N_("Nhập lý do xem danh tính người tố cáo.")


def is_hidden(case: Case, role: str) -> bool:
    """Whether a party of this role is hidden in this case until someone entitled reveals it."""
    return case.confidential and role in HIDDEN_ROLES


def may_reveal(session: Session, user: User, case: Case) -> bool:
    """The assignee of the case, or a head of its unit or of a unit above it."""
    return case.assignee_id == user.id or access.actor_for(session, user, case).is_head


def reveal(session: Session, user: User, case_id: int, party_id: int, reason: str, now: datetime) -> Case:
    """Record that `user` looks at the identity of a party of the case, for `reason`; returns the case.

    NotFound when the user may not see the case or the party is not one of its parties; Forbidden when the user may
    not reveal identities in it; ServiceError (field `reason`) without a reason. Nothing is written when refused."""
    case = load_case_for(session, user, case_id)
    if not any(cp.party_id == party_id for cp in case.parties):
        raise NotFound("Không tìm thấy đương sự trong hồ sơ này.")
    if not may_reveal(session, user, case):
        raise Forbidden("Chỉ người được giao xử lý hoặc thủ trưởng đơn vị được xem danh tính người tố cáo.")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(REASON_NEEDED, field="reason")
    session.add(IdentityAccess(user_id=user.id, case_id=case.id, party_id=party_id, reason=reason[:MAX_REASON],
                               at=now))
    session.flush()
    return case
