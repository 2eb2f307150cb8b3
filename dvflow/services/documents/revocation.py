"""Revoking (thu hồi) an issued document: a head of the unit that issued it records that it was withdrawn, when, why
and by which decision. The document itself stays as it was issued (the database refuses any change to an issued
row, migration 0039): what a citizen received can always be shown, with the record that it no longer stands. Once
revoked, a document is not revoked again. For a case's document the revocation is also written to the case's
hash-chained history."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ...models import Document, User
from ..cases import history
from ..cases.lookup import load_case_for
from ..cases.reasons import required_reason
from ..errors import N_, Conflict, Forbidden, NotFound, ServiceError
from . import signers

REASON_MIN, REASON_MAX = 10, 1000
REFERENCE_MAX = Document.__table__.c.revoke_reference.type.length


def may_revoke(session: Session, user: User, document: Document) -> bool:
    """An issued document not yet revoked, and a head of its issuing unit or of a unit above it."""
    return (document.status == "issued" and document.revoked_at is None
            and signers.headed_unit(session, document.unit_id, user) is not None)


def revoke(session: Session, user: User, case_id: int, document_id: int, reason: str | None,
           reference: str | None, now: datetime) -> Document:
    """Record the revocation of an issued document of the case. Raises (nothing written) when refused."""
    case = load_case_for(session, user, case_id, lock=True)
    document = session.get(Document, document_id)
    if document is None or document.case_id != case.id:
        raise NotFound("Không tìm thấy văn bản.")
    if document.status != "issued":
        raise Conflict("Chỉ thu hồi được văn bản đã ban hành; dự thảo thì sửa hoặc tạo lại.")
    if document.revoked_at is not None:
        raise Conflict("Văn bản %(number)s đã được thu hồi.", number=document.number_symbol)
    if signers.headed_unit(session, document.unit_id, user) is None:
        raise Forbidden("Chỉ thủ trưởng đơn vị ban hành văn bản (hoặc thủ trưởng cấp trên) được thu hồi văn bản.")
    reason = required_reason(reason, N_("Lý do thu hồi"), REASON_MIN, REASON_MAX)
    reference = _reference(reference)
    document.revoked_at, document.revoked_by_id = now, user.id
    document.revoke_reason, document.revoke_reference = reason, reference
    session.flush()
    history.write(session, [history.event(
        case.id, "revoke_document", at=now, actor_id=user.id, from_state=case.state, to_state=case.state,
        # the reason is kept on the document, which is need-to-know in a confidential case; the history, read by
        # everyone who sees the case, names the document and the deciding reference only
        payload={"document_id": document.id, "type": document.type, "number_symbol": document.number_symbol,
                 "reference": reference})])
    return document


def _reference(reference: str | None) -> str:
    # the decision that withdraws the document: a revocation is itself decided in writing by the same authority
    text = (reference or "").strip()
    if not text:
        raise ServiceError("Nhập số, ngày văn bản quyết định thu hồi.", field="reference")
    if len(text) > REFERENCE_MAX:
        raise ServiceError("Số, ngày văn bản thu hồi tối đa %(max)s ký tự.", field="reference", max=REFERENCE_MAX)
    return text
