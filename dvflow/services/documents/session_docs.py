"""Documents of a reception session (no case): the refusal notice (Mẫu 01/TCD, NĐ 154/2026 Art 4(3)) of a refused
visit and the head's conclusion notice (Thông báo kết luận việc tiếp công dân, NĐ 154/2026 Art 25(2)).

Each is the head's (NĐ 154/2026, Điều 4 khoản 3; Điều 25 khoản 2): a head of the session's unit or of a unit above
issues it, a reception officer who runs the desk may not (signers.require_issuer). Each is issued at once: numbered
in the unit's register series of its symbol, TB (numbering.py, locked until the transaction ends), generated from
the shipped or the unit's template with the documents contract's names (context.py), frozen with its SHA-256. A
confidential visitor (a denouncer) is printed "(được giữ bí mật)" in the conclusion notice; the refusal notice is
addressed to the visitor and is read only by the desk of the unit (reception officers, heads)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...labels import IDENTITY_TYPE_LABELS
from ...models import (
    Case,
    Clock,
    Document,
    ReceptionSession,
    ReceptionVisit,
    Unit,
    User,
)
from ...timeutil import local_date
from .. import commitments
from ..cases.confidentiality import visit_protected
from ..errors import Conflict, Forbidden, NotFound, ServiceError
from ..reception import refusals, sessions, visit_access
from . import context, generate, numbering, pdf, signers, templates
from .flow import Settings

REFUSAL = "reception_refusal_notice"
CONCLUSION = "reception_conclusion_notice"
CONTENT_LABELS = {"complaint": "khiếu nại", "denunciation": "tố cáo", "petition": "kiến nghị",
                  "feedback": "phản ánh"}
MAX_TASK_DAYS = 365


@dataclass
class TaskInput:
    """A follow-up task of the conclusion: the unit responsible, what to do, in how many days."""
    unit_id: int | None
    description: str
    days: int | None
    visit_id: int | None = None


@dataclass
class ConclusionInput:
    #: the head's direction for each citizen received (visit id -> text); a citizen may have none
    directions: dict[int, str] = field(default_factory=dict)
    tasks: list[TaskInput] = field(default_factory=list)
    #: the general conclusion, before the directions
    summary: str = ""


def issue_refusal_notice(session: Session, settings: Settings, rules: refusals.Rules, user: User, visit_id: int,
                         now: datetime, *, session_id: int | None = None) -> Document:
    """Issue the refusal notice of a refused visit (of `session_id`, when given) and record the day it was sent
    (refusal_notice_sent_on)."""
    visit = session.get(ReceptionVisit, visit_id, with_for_update=True)  # issued once, even by two desks at once
    if visit is None or (session_id is not None and visit.session_id != session_id):
        raise NotFound("Không tìm thấy lượt tiếp công dân.")
    rs = sessions.load_for(session, user, visit.session_id, run=True)
    _require_head(session, settings, user, rs, REFUSAL)
    if visit.outcome != "refused":
        raise ServiceError("Chỉ lượt tiếp bị từ chối mới có thông báo từ chối tiếp công dân.", field="visit_id")
    if visit.refusal_notice_sent_on is not None:
        raise Conflict("Thông báo từ chối tiếp công dân của lượt tiếp này đã được ban hành.")
    ground = rules.grounds.get(visit.refusal_ground or "")
    fields = {"session_date": context.dmy(rs.day), "ground_label": ground.label if ground else "",
              "ground_basis": ground.basis if ground else "", "summary": visit.summary,
              "content_type_label": CONTENT_LABELS[visit.content_type], "book_number": f"{visit.seq}/{visit.year}"}
    document = _issue(session, settings, user, rs, REFUSAL, fields, _visitor(visit), now,
                      signer=signers.issuer_block(session, rs.unit, user))
    document.visit_id = visit.id
    visit.refusal_notice_sent_on = local_date(now)
    session.flush()
    return document


def issue_conclusion(session: Session, settings: Settings, workflows, user: User, session_id: int,
                     data: ConclusionInput, now: datetime) -> Document:
    """Issue the conclusion notice of a head's periodic or ad hoc session (once). Each task becomes a tracked
    commitment (services.commitments: a follow_up case in the responsible unit whose clock escalates), numbered
    into the notice with its tracking code and last day."""
    rs = sessions.load_for(session, user, session_id, run=True, lock=True)  # one conclusion, even at once
    _require_head(session, settings, user, rs, CONCLUSION)
    if rs.kind not in ("periodic", "ad_hoc"):
        raise ServiceError("Thông báo kết luận dành cho phiên tiếp định kỳ hoặc đột xuất của người đứng đầu.",
                           field="session")
    if local_date(now) < rs.day or rs.status == "cancelled":
        raise ServiceError("Phiên tiếp công dân chưa diễn ra.", field="session")
    if conclusion_of(session, rs.id) is not None:
        raise Conflict("Phiên tiếp công dân này đã có thông báo kết luận.")
    visits = {v.id: v for v in session.scalars(select(ReceptionVisit).where(ReceptionVisit.session_id == rs.id))}
    fields = {"session_date": context.dmy(rs.day), "place": rs.place, "summary": (data.summary or "").strip(),
              "official": _official(rs), "directions": _directions(session, visits, data.directions),
              "tasks": _tasks(session, visits, data.tasks)}
    if not fields["directions"] and not fields["tasks"] and not fields["summary"]:
        raise ServiceError("Ghi ý kiến chỉ đạo hoặc nhiệm vụ của thông báo kết luận.", field="directions")
    _track(session, workflows, user, rs, fields["tasks"], now)
    signer = signers.block(rs.official.title if rs.official else "", rs.official.full_name if rs.official else "")
    if rs.delegate_name:  # the delegate who received the citizens signs what was concluded
        signer = signers.block("NGƯỜI ĐƯỢC ỦY QUYỀN TIẾP CÔNG DÂN", rs.delegate_name)
    return _issue(session, settings, user, rs, CONCLUSION, fields, _EMPTY_REQUESTER, now,
                  signer=signer if signer["name"] else signers.issuer_block(session, rs.unit, user))


def _require_head(session: Session, settings: Settings, user: User, rs: ReceptionSession, type_: str) -> None:
    """Both notices are the head's (signers.HEAD_BASIS): a reception officer runs the desk and prepares them, a
    head of the session's unit (or of a unit above) issues them."""
    label = templates.document_type(settings.documents_dir, type_).as_label
    signers.require_issuer(session, rs.unit, user, type_, label)


def _track(session: Session, workflows, user: User, rs: ReceptionSession, tasks: list[dict[str, Any]],
           now: datetime) -> None:
    """Open a commitment per task, from the notice's day; its case's tracking code and due day go into the notice."""
    promised_by = _official(rs) or None
    for i, task in enumerate(tasks):
        try:
            row = commitments.create(session, workflows, user, commitments.CommitmentInput(
                source="reception_conclusion", unit_id=task["unit_id"], description=task["description"],
                days=task["days"], start_on=local_date(now), promised_by=promised_by, session_id=rs.id,
                visit_id=task["visit_id"]), now)
        except Forbidden as exc:  # a unit outside the actor's tree: a wrong choice in the form, named as such
            raise ServiceError("Nhiệm vụ %(n)s: %(reason)s", field=f"tasks[{i}].unit_id", n=i + 1,
                               reason=exc.message) from exc
        except ServiceError as exc:  # named as the form names the task's field
            exc.field = f"tasks[{i}].{exc.field}" if exc.field else f"tasks[{i}]"
            raise
        case = session.get(Case, row.case_id)
        due = session.scalar(select(Clock.due_date).where(Clock.case_id == case.id, Clock.due_date.is_not(None))
                             .order_by(Clock.id).limit(1))
        task.update(commitment_id=row.id, case_id=case.id, tracking_code=case.tracking_code,
                    due=context.dmy(due) if due else "")


def conclusion_of(session: Session, session_id: int) -> Document | None:
    return session.scalar(select(Document).where(Document.session_id == session_id, Document.type == CONCLUSION))


def session_documents(session: Session, session_id: int) -> list[Document]:
    return list(session.scalars(select(Document).where(Document.session_id == session_id)
                                .order_by(Document.id)))


def open_document(session: Session, user: User, document_id: int, now: datetime) -> Document:
    """A session's document for download: readers of the session. One that names a protected visitor (a
    confidential visitor's refusal notice; a conclusion notice issued before a visitor's letter became a
    denunciation, frozen with the name and summary in it) opens only for whoever the desk shows those visits'
    summaries to (`may_open`), and each opening is recorded (`visit_access.record_opening`; `session` must be a
    writing one then)."""
    document = session.get(Document, document_id)
    if document is None or document.session_id is None:
        raise NotFound("Không tìm thấy văn bản.")
    rs = sessions.load_for(session, user, document.session_id)
    named = _protected_visits_named(session, document)
    if named:
        if not may_open(session, user, document, rs):
            raise Forbidden("Văn bản này nêu danh tính người tố cáo; chỉ thủ trưởng đơn vị hoặc người được giao xử lý "
                            "đơn của lượt tiếp này được xem.")
        for visit in named:
            visit_access.record_opening(session, user, visit, document, now)
    return document


def may_open(session: Session, user: User, document: Document, rs: ReceptionSession) -> bool:
    """Whether the user (a reader of the session `rs`) may open its document: one naming protected visitors only at
    the unit's desk, and only for whoever the desk shows each of those visits' summary to (the same need-to-know)."""
    named = _protected_visits_named(session, document)
    if not named:
        return True
    if not sessions.may_run(session, user, rs.unit_id):
        return False
    return all(visit_access.summary_shown(session, user, v, session.get(Case, v.case_id) if v.case_id else None)
               for v in named)


def _protected_visits_named(session: Session, document: Document) -> list[ReceptionVisit]:
    """The protected visits whose visitor the document names: its own visit (a refusal notice), and the visits of a
    conclusion notice's directions that it printed in clear (protected since: a letter classified a denunciation)."""
    ids = [document.visit_id] if document.visit_id else []
    ids += [d.get("visit_id") for d in (document.fields or {}).get("directions", [])
            if isinstance(d, dict) and d.get("name") != context.WITHHELD]
    visits = [session.get(ReceptionVisit, i) for i in ids if isinstance(i, int)]
    return [v for v in visits if v is not None and _protected(session, v)]


def _directions(session: Session, visits: dict[int, ReceptionVisit], given: dict[int, str]) -> list[dict[str, Any]]:
    out = []
    for visit_id, text in sorted(given.items()):
        text = (text or "").strip()
        if not text:
            continue
        visit = visits.get(visit_id)
        if visit is None:
            raise ServiceError("Ý kiến chỉ đạo phải gắn với công dân được tiếp trong phiên.", field="directions")
        out.append({"visit_id": visit.id, "book_number": visit.seq, "name": _name(session, visit),
                    "summary": context.WITHHELD if _protected(session, visit) else visit.summary, "direction": text})
    return out


def _tasks(session: Session, visits: dict[int, ReceptionVisit], given: list[TaskInput]) -> list[dict[str, Any]]:
    out = []
    for i, task in enumerate(given):
        unit = session.get(Unit, task.unit_id) if task.unit_id is not None else None
        if unit is None:
            raise ServiceError("Nhiệm vụ %(n)s: chọn đơn vị chịu trách nhiệm.", field=f"tasks[{i}].unit_id", n=i + 1)
        if not (task.description or "").strip():
            raise ServiceError("Nhiệm vụ %(n)s: ghi nội dung nhiệm vụ.", field=f"tasks[{i}].description", n=i + 1)
        if not isinstance(task.days, int) or not 1 <= task.days <= MAX_TASK_DAYS:
            raise ServiceError("Nhiệm vụ %(n)s: thời hạn phải từ 1 đến %(max)s ngày.", field=f"tasks[{i}].days",
                               n=i + 1, max=MAX_TASK_DAYS)
        if task.visit_id is not None and task.visit_id not in visits:
            raise ServiceError("Nhiệm vụ %(n)s: công dân không thuộc phiên này.", field=f"tasks[{i}].visit_id", n=i + 1)
        out.append({"unit_id": unit.id, "unit": unit.name, "description": task.description.strip(),
                    "days": task.days, "visit_id": task.visit_id})
    return out


def _issue(session: Session, settings: Settings, user: User, rs: ReceptionSession, type_: str,
           fields: dict[str, Any], requester: dict[str, str], now: datetime, *, signer: dict[str, str]) -> Document:
    dtype = templates.document_type(settings.documents_dir, type_)
    on = local_date(now)
    number = numbering.next_in_register(session, rs.unit_id, dtype.symbol, on.year)
    symbol = f"{dtype.symbol}-{rs.unit.code}"
    doc = context.DocInfo(type=dtype.type, label=dtype.label, form=dtype.form, date=on, number=number,
                          symbol=symbol, draft=False)
    content = generate.render_docx(templates.template_bytes(session, settings.documents_dir, rs.unit_id, dtype),
                                   _context(rs, doc, fields, requester, signer))
    document = Document(session_id=rs.id, type=dtype.type, status="issued", unit_id=rs.unit_id, number=number,
                        series=dtype.symbol, symbol=symbol, year=on.year, number_symbol=f"{number}/{symbol}",
                        content=content,
                        sha256=generate.sha256(content), action=type_, fields=fields, created_by_id=user.id,
                        created_at=now, issued_by_id=user.id, issued_at=now,
                        pdf=pdf.to_pdf(content) if settings.pdf and pdf.available() else None)
    session.add(document)
    session.flush()
    return document


def _context(rs: ReceptionSession, doc: context.DocInfo, fields: dict[str, Any], requester: dict[str, str],
             signer: dict[str, str]) -> dict[str, Any]:
    """The documents contract's names (context.CONTEXT_NAMES) for a session's document: no case, the visitor as
    requester, the session's facts in `fields`."""
    unit = rs.unit
    return {
        "unit": {"name": unit.name, "parent_name": unit.parent.name if unit.parent else "",
                 "address": unit.address or "", "phone": unit.phone or "", "place": context._place(unit)},
        "doc": {"type": doc.type, "label": doc.label, "form": doc.form, "number": doc.number or "",
                "symbol": doc.symbol, "number_symbol": doc.number_symbol, "date": context.dmy(doc.date),
                "date_long": context.date_long(doc.date), "year": doc.date.year, "draft": doc.draft},
        "case": {"tracking_code": "", "kind": "", "kind_label": "", "subject": fields.get("summary", ""),
                 "content": "", "received_on": context.dmy(rs.day), "channel_label": "", "state_label": "",
                 "related_code": "", "people_count": ""},
        "requester": requester, "parties": [], "respondents": [], "fields": fields, "signer": signer,
        "recipients": _recipients(fields, requester),
        "today": context.dmy(doc.date),
    }


def _recipients(fields: dict[str, Any], requester: dict[str, str]) -> list[str]:
    """The refusal notice goes to the visitor (Mẫu 01/TCD: "Như trên", the Kính gửi); the conclusion notice to the
    units given tasks and the citizens it directs about (NĐ 154/2026, Điều 25 khoản 2: "gửi cho các cơ quan, tổ
    chức, đơn vị có liên quan"), a protected citizen by no name."""
    if requester["name"]:
        return [f"Ông/Bà {requester['name']}"]
    units = [t["unit"] for t in fields.get("tasks") or []]
    citizens = [f"Ông/Bà {d['name']}" for d in fields.get("directions") or [] if d["name"] != context.WITHHELD]
    return list(dict.fromkeys(units + citizens)) or ["Các cơ quan, đơn vị có liên quan"]


#: a visitor is a citizen received in person (kind "person": "ông (bà)" in the shipped templates)
_EMPTY_REQUESTER = {"name": "", "kind": "person", "address": "", "identity_number": "", "identity_label": "",
                    "phone": "", "email": ""}


def _visitor(visit: ReceptionVisit) -> dict[str, str]:
    number = visit.identity_number or ""
    return {"name": visit.citizen_name, "kind": "person", "address": visit.address or "", "identity_number": number,
            "identity_label": IDENTITY_TYPE_LABELS.get("cccd", "") if number else "", "phone": visit.phone or "",
            "email": ""}


def _name(session: Session, visit: ReceptionVisit) -> str:
    return context.WITHHELD if _protected(session, visit) else visit.citizen_name


def _protected(session: Session, visit: ReceptionVisit) -> bool:
    """The visitors' one rule (`visit_protected`): a letter classified as a denunciation after the session makes
    its visitor a denouncer, named in no notice."""
    return visit_protected(visit, session.get(Case, visit.case_id) if visit.case_id else None)


def _official(rs: ReceptionSession) -> str:
    if rs.official is None:
        return ""
    return f"{rs.official.title} {rs.official.full_name}"

