"""A complaint on its way through the documents' steps, for the tests of tests/documents."""
from __future__ import annotations

import io
from datetime import date, datetime, time

from docx import Document as Docx
from sqlalchemy import select

from dvflow.models import Document
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.timeutil import TZ

#: what a first-instance complaint's draft decision says when it is submitted (LKN Art 31(2)(e)-(i))
DRAFT_FIRST = {"note": "Trình ký", "result": "right", "legal_basis": "Luật Đất đai 2024, Điều 81",
               "disposition": "cancel_all", "resolution": "Hủy bỏ Quyết định thu hồi đất số 12/QĐ-UBND"}
#: what a denunciation's draft conclusion says when it is submitted (LTC Art 35(2)(b)-(d))
DRAFT_CONCLUSION = {"denounced_content": "Cán bộ địa chính nhận tiền khi giải quyết hồ sơ cấp giấy chứng nhận",
                    "legal_basis": "Luật Cán bộ, công chức, Điều 18", "result": "untrue",
                    "responsibilities": "Bà Trần Thị Bị không vi phạm", "measures": "Không áp dụng biện pháp xử lý"}


def at(day: int, hour: int = 10) -> datetime:
    return datetime.combine(date(2026, 11, day), time(hour), TZ)


def new_complaint(session, workflows, org, *, email: str | None = None, kind: str = "complaint_first"):
    u = org["users"]
    data = IntakeInput(kind=kind, unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Khiếu nại quyết định thu hồi đất",
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An", address="12 Lê Lợi, An Phú",
                                           email=email),
                                PartyInput(role="respondent", name="Trần Thị Bình")])
    return register_case(session, workflows, u["reception"], data, at(2))


def accept(session, workflows, org, case, settings, day: int = 4):
    return cases.perform(session, workflows, org["users"]["head"], case.id, "accept",
                         {"decision_date": f"2026-11-{day:02d}"}, at(day), documents=settings)


def submitted(session, workflows, org, settings):
    """A complaint accepted, drafted and submitted: its draft decision waits for the head."""
    case = new_complaint(session, workflows, org)
    accept(session, workflows, org, case, settings)
    head = org["users"]["head"]
    cases.perform(session, workflows, head, case.id, "draft_decision", {}, at(5), documents=settings)
    cases.perform(session, workflows, head, case.id, "submit", DRAFT_FIRST, at(5, 11), documents=settings)
    return case


def docx_text(content: bytes) -> str:
    """The text of a DOCX: its paragraphs, then every paragraph of its tables' cells."""
    doc = Docx(io.BytesIO(content))
    cells = [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def docs_of(session, case, type_: str | None = None) -> list[Document]:
    """The case's documents (of one type), oldest first."""
    query = select(Document).where(Document.case_id == case.id).order_by(Document.id)
    return list(session.scalars(query.where(Document.type == type_) if type_ else query))


def act(session, workflows, org, case, action, fields, when, settings, user="head"):
    """`perform` as one of the org's users, with the documents' settings."""
    return cases.perform(session, workflows, org["users"][user], case.id, action, fields, when, documents=settings)
