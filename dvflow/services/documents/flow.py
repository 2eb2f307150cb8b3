"""The documents of a case's actions: the draft generated when the handler drafts, returned by the head with comments,
issued (numbered, frozen, attached, e-mailed) by the action the workflow names (`document:` on a transition).

`perform` (services/cases/actions.py) calls `provisional_fields` before the engine checks the action, `prepare` once
the engine accepted it (takes the number: the number and date then fill the action's fields) and `finish` after the
outcome is applied. All of it runs in the action's one transaction: a failed generation or conversion raises a
ServiceError and the caller's rollback leaves the case and the series as they were."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import storage
from ...engine.message import Msg
from ...engine.workflow.definition import Definition, TransitionDef
from ...models import Attachment, Case, Document, User
from ...notify import outbox
from ...timeutil import local_date
from ..errors import Conflict, Forbidden, NotFound, ServiceError
from ..org import access
from . import context, generate, numbering, pdf, recipients, signers, templates

#: the action's field the register's number fills, the first the transition declares (every number field of an
#: issuing action: the case record, the message to the sender and the document then carry the same number)
NUMBER_FIELDS = ("decision_number", "document_number", "notice_number", "conclusion_number", "forward_number",
                 "minutes_number")
#: the date fields the day of issue fills when left empty; the document's date is the action's legal date (the
#: day a notice was sent, a dialogue held…), these when the transition declares none
DATE_FIELDS = ("decision_date", "document_date", "notice_date")
#: what the engine checks in the number field before the series gives the real number
PROVISIONAL_NUMBER = "(số cấp khi ban hành)"
N_ = lambda s: s  # noqa: E731 - marks the hint for extraction; the case page translates it
NUMBER_HELP = N_("Để trống: số, ký hiệu do hệ thống cấp theo thứ tự trong sổ văn bản của đơn vị khi ban hành; "
                 "không nhận số tự nhập.")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Settings:
    """Where the templates (the manifest and the shipped DOCX files) and the case files (a dvflow.storage storage, or
    a folder: the local storage of that folder; None: an issued document is not added to the case's files) are, and
    whether an issue converts to PDF (when LibreOffice is installed). Built by the faces from the app's
    configuration (settings_from)."""
    documents_dir: str
    files: storage.Storage | str | os.PathLike | None = None
    pdf: bool = True


def settings_from(config: Mapping[str, Any]) -> Settings:
    documents_dir = config.get("DOCUMENTS_DIR") or str(templates.manifest_dir(config["WORKFLOWS_DIR"]))
    # the same storage object the app built when it started (storage.from_config returns it for the same settings)
    return Settings(documents_dir=documents_dir, files=storage.from_config(config),
                    pdf=bool(config.get("DOCUMENTS_PDF", True)))


@dataclass
class Pending:
    """What `prepare` decided for `finish`."""
    transition: TransitionDef
    dtype: templates.DocumentType
    on: date
    number: int | None = None
    symbol: str = ""
    fills: dict[str, Any] = field(default_factory=dict)


def _field_named(t: TransitionDef, names: tuple[str, ...]) -> str | None:
    declared = {f.name for f in t.fields}
    return next((n for n in names if n in declared), None)


def date_field(t: TransitionDef) -> str | None:
    """The field that dates the document: the action's legal date (minutes are dated the day of the meeting)."""
    return t.legal_date_field or _field_named(t, DATE_FIELDS)


def enabled(settings: Settings | None, t: TransitionDef | None) -> bool:
    return (settings is not None and t is not None and t.document is not None
            and t.document in templates.load_manifest(settings.documents_dir))


def number_field(settings: Settings | None, t: TransitionDef | None) -> str | None:
    """The field of an issuing action the series fills with the document's number (None: the action issues no
    document here, and a number typed there is the action's own)."""
    return _field_named(t, NUMBER_FIELDS) if enabled(settings, t) and t.document_step == "issue" else None


def as_offered(settings: Settings | None, defn: Definition, state: str, specs: list, *,
               issuer: tuple[Session, Case, User] | None = None) -> list:
    """The actions offered on a case (engine ActionSpecs) with the number field of an issuing action optional and
    explained: the series gives the number (a typed one is refused, see provisional_fields). With `issuer` (the
    session, the case and the user), an action that would issue a document the law gives to the head is offered
    to no one else: disabled with the reason `perform` would refuse it with (signers.require_issuer)."""
    out = []
    for spec in specs:
        t = defn.transition(spec.trigger, state)
        num = number_field(settings, t)
        if num:
            spec = replace(spec, fields=tuple(replace(f, required=False, help=NUMBER_HELP) if f.name == num else f
                                              for f in spec.fields))
        refusal = _issuer_refusal(settings, t, issuer) if spec.allowed and issuer is not None else None
        if refusal is not None:
            spec = replace(spec, allowed=False, reason_msg=refusal, code="issuer")
        out.append(spec)
    return out


def _issuer_refusal(settings: Settings | None, t: TransitionDef | None, issuer: tuple[Session, Case, User]):
    if not enabled(settings, t) or t.document_step != "issue":
        return None
    session, case, user = issuer
    dtype = templates.document_type(settings.documents_dir, t.document)
    try:
        signers.require_issuer(session, case.unit, user, dtype.type, dtype.as_label)
    except Forbidden as exc:
        return Msg(exc.template, exc.params)
    return None


def provisional_fields(settings: Settings | None, t: TransitionDef | None, payload: Mapping[str, Any],
                       now: datetime) -> dict[str, Any]:
    """Provisional values for the number and date fields of an issuing action left empty, so that the engine checks
    the rest of the action before a number is taken from the series (a refused action takes none); `perform` fires
    the action again with the number and date `prepare` gives."""
    if not enabled(settings, t) or t.document_step != "issue":
        return {}
    fills: dict[str, Any] = {}
    num, on = number_field(settings, t), date_field(t)
    if num:  # what was typed there is refused by refuse_typed_number, once the engine accepted the action
        fills[num] = PROVISIONAL_NUMBER
    # a decision's date defaults to the day of issue; a date of another event (held_on…) stays the user's to give
    if on in DATE_FIELDS and not payload.get(on):
        fills[on] = local_date(now).isoformat()
    return fills


def refuse_typed_number(settings: Settings | None, t: TransitionDef | None, payload: Mapping[str, Any]) -> None:
    """The register alone numbers an issued document: its numbers run 1, 2, 3… per unit, series and year, each taken
    under a lock and given back by a rolled-back issue (numbering.py), as NĐ 30/2020 wants a register kept. A
    typed number could only repeat one already issued or leave a gap, so it is refused, naming the field, rather
    than replaced without a word. Called once the engine accepted the action: a user who may not act, or an action
    not allowed now, is told that first."""
    name = number_field(settings, t)
    typed = payload.get(name) if name else None
    if typed is None or not str(typed).strip():
        return
    label = next((f.label for f in t.fields if f.name == name), name)
    raise ServiceError("%(label)s: để trống. Số, ký hiệu văn bản do hệ thống cấp theo thứ tự trong sổ văn bản của "
                       "đơn vị khi ban hành (không trùng, không bỏ số); không nhận số tự nhập «%(typed)s».",
                       field=name, label=label, typed=str(typed)[:40])


def prepare(session: Session, settings: Settings | None, case: Case, t: TransitionDef | None,
            payload: Mapping[str, Any], now: datetime) -> Pending | None:
    """For an issuing action the engine accepted: take the next number of the series (locked until the transaction
    ends) and the values the action's number and date fields get."""
    if not enabled(settings, t):
        return None
    dtype = templates.document_type(settings.documents_dir, t.document)
    on_field = date_field(t)
    on = payload.get(on_field) if on_field else None
    on = date.fromisoformat(on) if isinstance(on, str) and on else (on or local_date(now))
    pending = Pending(transition=t, dtype=dtype, on=on)
    if t.document_step == "issue":
        pending.number = numbering.next_in_register(session, case.unit_id, dtype.symbol, on.year)
        pending.symbol = f"{dtype.symbol}-{case.unit.code}"
        num = number_field(settings, t)
        if num:
            pending.fills[num] = f"{pending.number}/{pending.symbol}"
    return pending


def render(session: Session, settings: Settings, defn: Definition, case: Case, dtype: templates.DocumentType,
           t: TransitionDef | None, fields: Mapping[str, Any], on: date, *, number: int | None, symbol: str,
           signer: User | None, state: str) -> bytes:
    """The DOCX of one document of the case (a draft when `number` is None)."""
    doc = context.DocInfo(type=dtype.type, label=dtype.label, form=dtype.form, date=on, number=number,
                          symbol=symbol or f"{dtype.symbol}-{case.unit.code}", draft=number is None)
    related = case.related_case.tracking_code if case.related_case is not None else ""
    # a draft is prepared for the unit's head to sign; an issued document names who issued it (signers.py)
    signed = signers.unit_head_block(session, case.unit) if signer is None else \
        signers.for_issue(session, case.unit, signer, dtype.type, dtype.as_label)
    ctx = context.build_context(case, case.unit, doc, kind_label=defn.label, state_label=defn.states[state].label,
                                fields=fields, field_defs=_field_defs(defn, dtype, t), signer_name=signed["name"],
                                signer_title=signed["title"], signer_authority=signed["authority"],
                                related_code=related, own_copy=dtype.own_copy,
                                recipients=recipients.of_case(case, dtype, fields, dtype.own_copy))
    ctx["case"]["record"] = context.record(session, case, defn)  # what earlier steps found, restated by decisions
    source = templates.template_bytes(session, settings.documents_dir, case.unit_id, dtype)
    return generate.render_docx(source, ctx)


def _field_defs(defn: Definition, dtype: templates.DocumentType, t: TransitionDef | None) -> list:
    """The fields a document's values come from: those of every transition that drafts, returns or issues its type
    (an issued decision prints what its draft recorded on submit, choices with their labels), the action's own last."""
    others = [f for d in defn.transitions if d.document == dtype.type and d is not t for f in d.fields]
    return others + list(t.fields if t else ())


def finish(session: Session, settings: Settings, defn: Definition, user: User, case: Case, pending: Pending | None,
           payload: Mapping[str, Any], now: datetime) -> Document | None:
    """Generate, return or issue the action's document (see the module's docstring)."""
    if pending is None:
        return None
    t, dtype = pending.transition, pending.dtype
    fields = _jsonable(payload)
    draft = pending_draft(session, defn, case, dtype.type)
    if t.document_step == "return":
        if draft is not None and draft.status == "draft":
            draft.status, draft.comments = "returned", str(payload.get("reason") or "")
        session.flush()
        return draft
    if t.document_step == "draft":
        content = render(session, settings, defn, case, dtype, t, fields, pending.on, number=None, symbol="",
                         signer=None, state=case.state)
        if draft is None:
            draft = Document(case_id=case.id, type=dtype.type, unit_id=case.unit_id, created_at=now)
            session.add(draft)
        draft.status, draft.content, draft.sha256 = "draft", content, generate.sha256(content)
        draft.action, draft.fields, draft.created_by_id, draft.created_at = t.trigger, fields, user.id, now
        session.flush()
        return draft
    # issue: only a head issues what the law gives to the head (an officer's action is refused, rolled back whole)
    signers.require_issuer(session, case.unit, user, dtype.type, dtype.as_label)
    # the pending draft's fields first (what the head approved), then this action's (number, date, result)
    merged = {**(draft.fields if draft is not None else {}), **fields}
    document = draft or Document(case_id=case.id, type=dtype.type, unit_id=case.unit_id, created_at=now,
                                 created_by_id=user.id, action=t.trigger)
    issue(session, settings, defn, user, case, document, merged, pending, now)
    return document


def pending_draft(session: Session, defn: Definition, case: Case, type_: str) -> Document | None:
    """The case's draft of `type_` waiting (drafted or returned), the newest; else the waiting draft an earlier
    version of the workflow made in its place: drafted by the action that drafts `type_` now, of a type no action
    of the case's version drafts (a disciplinary complaint drafted a first-instance decision before it had its own,
    and a case moved to the current version since then issues, returns or redrafts that draft: the head approved
    it, and it must not stay waiting beside the decision issued). Taken, it becomes a draft of `type_`."""
    waiting = select(Document).where(Document.case_id == case.id, Document.status.in_(("draft", "returned")))
    own = session.scalar(waiting.where(Document.type == type_).order_by(Document.id.desc()).limit(1))
    if own is not None:
        return own
    drafted_now = {t.document for t in defn.transitions if t.document and t.document_step == "draft"}
    drafters = {t.trigger for t in defn.transitions if t.document == type_ and t.document_step == "draft"}
    earlier = session.scalar(waiting.where(Document.type.not_in(drafted_now), Document.action.in_(drafters))
                             .order_by(Document.id.desc()).limit(1)) if drafters else None
    if earlier is not None:
        earlier.type = type_
    return earlier


def regenerate(session: Session, settings: Settings, workflows, user: User, case_id: int, document_id: int,
               now: datetime) -> Document:
    """Generate a draft again from the case as it is now (after a correction of the case, or a changed template):
    by the handler or a head of the case's unit; an issued document is frozen."""
    from ..cases.lookup import load_case_for

    case = load_case_for(session, user, case_id, lock=True)
    document = session.get(Document, document_id)
    if document is None or document.case_id != case.id:
        raise NotFound("Không tìm thấy văn bản.")
    if document.status == "issued":
        raise Conflict("Văn bản đã được ban hành (số %(number)s); không tạo lại.", number=document.number_symbol)
    if not access.actor_for(session, user, case).roles & {"handler", "head"}:
        raise Forbidden("Chỉ người xử lý hoặc thủ trưởng đơn vị được tạo lại dự thảo.")
    defn = workflows.for_case(case, session)
    dtype = templates.document_type(settings.documents_dir, document.type)
    t = next((t for t in defn.transitions if t.trigger == document.action), None)
    content = render(session, settings, defn, case, dtype, t, document.fields or {}, local_date(now), number=None,
                     symbol="", signer=None, state=case.state)
    document.content, document.sha256, document.status = content, generate.sha256(content), "draft"
    document.created_by_id, document.created_at = user.id, now
    session.flush()
    return document


def issue(session: Session, settings: Settings, defn: Definition, user: User, case: Case, document: Document,
          fields: dict, pending: Pending, now: datetime) -> None:
    """Number, generate the final version, freeze it (SHA-256), convert to PDF when LibreOffice is installed, attach
    it to the case and e-mail the citizen. A document is issued once."""
    if document.status == "issued":
        raise Conflict("Văn bản đã được ban hành (số %(number)s); không ban hành lại.", number=document.number_symbol)
    content = render(session, settings, defn, case, pending.dtype, pending.transition, fields, pending.on,
                     number=pending.number, symbol=pending.symbol, signer=user, state=case.state)
    pdf_bytes = pdf.to_pdf(content) if settings.pdf and pdf.available() else None
    document.status, document.content, document.sha256, document.pdf = "issued", content, generate.sha256(content), \
        pdf_bytes
    document.unit_id = case.unit_id  # the register numbering it (a merger may have moved the case since its draft)
    document.number, document.symbol, document.year = pending.number, pending.symbol, pending.on.year
    document.series = pending.dtype.symbol
    document.number_symbol = f"{pending.number}/{pending.symbol}"
    document.fields, document.action, document.issued_by_id, document.issued_at = fields, pending.transition.trigger, \
        user.id, now
    session.add(document)  # a new one only now: rendering queries, and a half-filled row must not autoflush
    session.flush()
    if settings.files:
        document.attachment_id = _attach(session, storage.coerce(settings.files), case, document, user, now).id
    _email(session, case, document, pending, now)
    session.flush()


def file_name(document: Document, ext: str) -> str:
    """An ASCII file name (a header carries it): "notice_of_acceptance-12-TB-STNMT.docx", "...-du-thao-7.pdf"."""
    from unidecode import unidecode

    stem = unidecode(document.number_symbol or f"du-thao-{document.id}").replace("/", "-").replace('"', "")
    return f"{document.type}-{stem}.{ext}"


def _attach(session: Session, files: storage.Storage, case: Case, document: Document, user: User,
            now: datetime) -> Attachment:
    """The frozen DOCX in the case's files (key <case>/<uuid>, as services.cases.attachments stores them); the file
    is removed again when the flush fails. (After a failed commit the file stays, unreferenced: a document's bytes
    are also in its row, and the issue is redone as a whole.)"""
    key = storage.new_key(case.id)
    files.put(key, document.content, DOCX_TYPE)
    try:
        attachment = Attachment(case_id=case.id, filename=file_name(document, "docx"),
                                stored_path=key, sha256=document.sha256,
                                size=len(document.content), content_type=DOCX_TYPE, uploaded_by_id=user.id,
                                uploaded_at=now)
        session.add(attachment)
        session.flush()
    except BaseException:
        files.delete(key)
        raise
    return attachment


def _email(session: Session, case: Case, document: Document, pending: Pending, now: datetime) -> None:
    """The citizen who asked (with an e-mail address) receives the issued document by e-mail (attached, as DOCX)
    with its number and date, when the document is sent to them (the manifest's `sent_to` names their role); the
    signed paper copy is still handed over or posted. A document addressed to someone else (the notice of the
    content to the accused, Mẫu 06; a forwarding slip) is not theirs to receive."""
    requester = context.requester_party(case)
    if requester is None or not requester.party.email or requester.role not in pending.dtype.sent_to:
        return
    notice = (f"{pending.dtype.label} số {document.number_symbol} ngày {context.dmy(pending.on)} "
              f"đã được ban hành; bản điện tử gửi kèm thư này. Bản có chữ ký, đóng dấu được gửi đến "
              f"{outbox.address(requester.party)} theo đường "
              f"bưu chính hoặc giao trực tiếp.")
    outbox.queue_to_party(session, case, requester.party_id, "sender_notice", {"notice": notice}, now,
                          document_id=document.id)


def _jsonable(payload: Mapping[str, Any]) -> dict:
    return {k: (v.isoformat() if isinstance(v, (date, datetime)) else v) for k, v in payload.items()
            if v is not None}


