"""Need-to-know for the identity of a denouncer (Luật Tố cáo 2018, Điều 47(1)(b), 56): who may see it, and the
record of every look at it.

In a confidential case the parties in `HIDDEN_ROLES` are shown to no one by default; the assignee or a head of the
case's unit (or of a unit above it) may reveal one by giving a reason, and each reveal is recorded in
`identity_access` before the identity is shown. The content and the attachments of a confidential case are
need-to-know in the same way (`may_see_content`): only those who may reveal see them, and every download of one
of its files is recorded (`attachment_downloads`). Heads and supervisors read both records (`access_log`).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, aliased

from ...engine.workflow.effective import action_fields
from ...models import (
    Attachment,
    AttachmentDownload,
    Case,
    CaseEvent,
    CaseParty,
    Document,
    IdentityAccess,
    ReceptionVisit,
    User,
    VisitAccess,
)
from ..errors import Forbidden, NotFound, ServiceError
from ..org import access
from .lookup import load_case_for

N_ = lambda s: s  # noqa: E731 - marks a message for extraction; the page shows it translated

#: party roles whose identity a confidential case hides (a mass denunciation's representatives are denouncers)
HIDDEN_ROLES = frozenset({"denouncer", "representative"})
#: a letter (xử lý đơn) is confidential when it names a denouncer or is classified as a denunciation or an anonymous
#: tip: whoever sent it then denounces, whatever role the desk gave them when the letter came in (the sender of a
#: letter classified as a denunciation is a "complainant" until someone corrects the role)
LETTER_KIND = "triage"
LETTER_SENDER_ROLES = frozenset({"complainant", "denouncer", "petitioner", "representative"})
#: a visit about a denunciation, or a case of this kind, protects its denouncer whatever its flag says
DENUNCIATION = "denunciation"
MAX_REASON = 500
#: the history action of the notice to a letter's sender (triage.NOTIFY_SENDER)
NOTIFY_SENDER = "notify_sender"
MIN_REASON = 20  # "." or "xem" is not a reason: the log must say why the identity was needed
#: how long a recorded reveal covers the form it was made for: a correction refused for a typing error shows its form
#: again with the parties the officer had revealed, without asking for a reason a second time
REVEAL_SPAN = timedelta(hours=2)
REASON_NEEDED = N_("Nhập lý do xem danh tính người tố cáo (ít nhất 20 ký tự, nói rõ vì sao cần biết).")


def hidden_roles(kind: str) -> frozenset[str]:
    """The roles a confidential case of this kind hides."""
    return HIDDEN_ROLES | LETTER_SENDER_ROLES if kind == LETTER_KIND else HIDDEN_ROLES


def is_hidden(case: Case, role: str) -> bool:
    """Whether a party of this role is hidden in this case until someone entitled reveals it."""
    return case.confidential and role in hidden_roles(case.kind)


def hidden_party():
    """`is_hidden` as SQL over Case and CaseParty (search, duplicate suggestions, search names): one rule."""
    return Case.confidential & (CaseParty.role.in_(sorted(HIDDEN_ROLES))
                                | ((Case.kind == LETTER_KIND) & CaseParty.role.in_(sorted(LETTER_SENDER_ROLES))))


def visit_protected(visit: ReceptionVisit, case: Case | None) -> bool:
    """Whether a citizen received at a session is protected like a denouncer (Luật Tố cáo 2018, Điều 47(1)(b)): the
    visit was recorded confidential or about a denunciation, or the case its letter was handed into is confidential
    (recorded as a complaint or a feedback into a denunciation, or a letter classified as a denunciation later).
    Every reader of visits (desk, book, its XLSX, the API, the national export, bookings) asks this one rule."""
    return (visit.confidential or visit.content_type == DENUNCIATION
            or (case is not None and (case.confidential or case.kind == DENUNCIATION)))


def protected_visit():
    """`visit_protected` as SQL over ReceptionVisit (the bookings' redaction, the national export): one rule."""
    case = aliased(Case)  # its own alias: a query that joins the visit's case already reads the same row
    protected_case = (exists().where(case.id == ReceptionVisit.case_id,
                                     or_(case.confidential.is_(True), case.kind == DENUNCIATION))
                      .correlate(ReceptionVisit))
    return or_(ReceptionVisit.confidential.is_(True), ReceptionVisit.content_type == DENUNCIATION, protected_case)


def may_reveal(session: Session, user: User, case: Case) -> bool:
    """A head of the case's unit or of a unit above it, or the assignee a head designated (a handler who took the
    case by themself, or was named at intake, is not designated: need-to-know is the head's decision)."""
    if access.actor_for(session, user, case).is_head:
        return True
    return case.assignee_id == user.id and _designated_by_head(session, case, user.id)


def may_see_content(session: Session, user: User, case: Case) -> bool:
    """Whether the user sees the case's content and its attachments: anyone who sees the case, unless it is
    confidential (a denunciation's content and files can name the denouncer): then those who may reveal."""
    return not case.confidential or may_reveal(session, user, case)


#: history events whose `reason` is a code the system wrote (a move by escalation or by a merger), not an officer's text
CODED_REASONS = frozenset({"reassign"})
#: what is shown instead of a withheld reason
WITHHELD = N_("Đã được bảo mật")


def reason_withheld(case: Case, action: str, content_ok: bool) -> bool:
    """Whether the typed reason of a history event (a correction, a new receipt secret, a voiding) is withheld from
    a viewer: in a confidential case it is need-to-know like the content (`content_ok`, `may_see_content`), because
    officers write the denouncer's name in it ("ghi nhầm họ tên người tố cáo Nguyễn Văn A", "ông A nộp trùng đơn")
    and the history is shown to everyone who sees the case."""
    return case.confidential and not content_ok and action not in CODED_REASONS


def void_reason_for(session: Session, user: User, case: Case) -> str | None:
    """The case's void reason as `user` may read it: withheld in a confidential case from whoever may not see its
    content (the reason is the same text the history's voiding event keeps)."""
    if case.void_reason and case.confidential and reason_withheld(case, "void",
                                                                   may_see_content(session, user, case)):
        return None
    return case.void_reason


def personal_fields(workflows, defn, action: str) -> frozenset[str]:
    """An action's fields that may name a person: its free texts and those the workflow marks `personal`. In a
    confidential case they are need-to-know like its content (`may_see_content`): officers write names in them (a
    partial withdrawal asks who withdrew, a protection names whom), and the history shows an action's fields to
    everyone who sees the case. The marks of the workflow's latest version count too: a field marked since the
    case's version was written was as personal then."""
    if action == NOTIFY_SENDER:  # the notice repeats the action's free texts (a guidance, a refusal's reason)
        return frozenset({"notice"})
    versions = [defn] + [d for d in (_latest(workflows, defn.id),) if d is not None and d is not defn]
    return frozenset(f.name for d in versions for t in d.transitions_for(action) for f in action_fields(t)
                     if f.personal or f.type == "text")


def _latest(workflows, kind: str):
    try:
        return workflows.latest(kind)
    except ServiceError:  # a kind no longer in the registry: its stored versions alone
        return None


def may_see_log(session: Session, user: User, case: Case) -> bool:
    """Heads (of the case's unit or above) and supervisors read who revealed identities and took files."""
    return access.actor_for(session, user, case).is_head or any(
        m.role == "supervisor" for m in access.memberships(session, user))


def record_download(session: Session, user: User, attachment: Attachment, now: datetime) -> None:
    session.add(AttachmentDownload(user_id=user.id, case_id=attachment.case_id, attachment_id=attachment.id, at=now))
    session.flush()


def access_log(session: Session, user: User, case_id: int) -> list[dict]:
    """The reveals and downloads of the case, newest first: kind ("reveal", "download", or "document": a reception
    document naming the visitor whose visit opened the case), at, user_id, user_name, what (the revealed party's
    role and id, the file's name, the document's number) and reason. NotFound when the user may not see
    the case, Forbidden unless `may_see_log`."""
    case = load_case_for(session, user, case_id)
    if not may_see_log(session, user, case):
        raise Forbidden("Chỉ thủ trưởng đơn vị và cơ quan giám sát được xem nhật ký truy cập thông tin bảo mật.")
    who = User.full_name
    reveals = session.execute(
        select(IdentityAccess.at, IdentityAccess.user_id, who, User.username, CaseParty.role, IdentityAccess.party_id,
               IdentityAccess.reason)
        .join(User, User.id == IdentityAccess.user_id)
        .outerjoin(CaseParty, (CaseParty.case_id == IdentityAccess.case_id)
                   & (CaseParty.party_id == IdentityAccess.party_id))
        .where(IdentityAccess.case_id == case.id))
    downloads = session.execute(
        select(AttachmentDownload.at, AttachmentDownload.user_id, who, User.username, Attachment.filename,
               Attachment.id)
        .join(User, User.id == AttachmentDownload.user_id).join(Attachment, Attachment.id == AttachmentDownload.attachment_id)
        .where(AttachmentDownload.case_id == case.id))
    rows = [dict(kind="reveal", at=at, user_id=uid, user_name=name or username, role=role, party_id=party_id,
                 attachment_id=None, filename=None, reason=reason)
            for at, uid, name, username, role, party_id, reason in reveals]
    rows += [dict(kind="download", at=at, user_id=uid, user_name=name or username, role=None, party_id=None,
                  attachment_id=attachment_id, filename=filename, reason=None)
             for at, uid, name, username, filename, attachment_id in downloads]
    openings = session.execute(  # the reception documents naming the visitor whose visit opened this case
        select(VisitAccess.at, VisitAccess.user_id, who, User.username, Document.number_symbol, Document.type)
        .join(User, User.id == VisitAccess.user_id).join(Document, Document.id == VisitAccess.document_id)
        .join(ReceptionVisit, ReceptionVisit.id == VisitAccess.visit_id).where(ReceptionVisit.case_id == case.id))
    rows += [dict(kind="document", at=at, user_id=uid, user_name=name or username, role=None, party_id=None,
                  attachment_id=None, filename=number or kind, reason=None)
             for at, uid, name, username, number, kind in openings]
    return sorted(rows, key=lambda r: r["at"], reverse=True)


def _designated_by_head(session: Session, case: Case, user_id: int) -> bool:
    last = session.scalar(select(CaseEvent.payload).where(CaseEvent.case_id == case.id, CaseEvent.action == "assign")
                          .order_by(CaseEvent.seq.desc()).limit(1))
    return bool(last) and last.get("to") == user_id and bool(last.get("by_head"))


def revealed_earlier(session: Session, user: User, case: Case, party_ids: set[int], now: datetime) -> set[int]:
    """Of `party_ids` (the parties a submitted form says were revealed), those shown again: the user may reveal in
    this case and recorded a reveal of that party within REVEAL_SPAN. A form's word alone never shows a hidden
    party: it comes from the client, who could name any party."""
    ids = {cp.party_id for cp in case.parties} & set(party_ids)
    if not ids or not may_reveal(session, user, case):
        return set()
    return set(session.scalars(select(IdentityAccess.party_id).where(
        IdentityAccess.user_id == user.id, IdentityAccess.case_id == case.id, IdentityAccess.party_id.in_(sorted(ids)),
        IdentityAccess.at >= now - REVEAL_SPAN)))


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
