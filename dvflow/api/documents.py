"""The documents of a case: list and download (DOCX, PDF)."""
from __future__ import annotations

from datetime import datetime

from flask import Response, current_app, jsonify
from pydantic import BaseModel, Field

from ..request import commit, db_session, now, write_apart
from ..services.documents import flow, reading, revocation, templates
from . import bp
from .auth import api_user
from .openapi import api_route
from .request import body
from .schemas import _In
from .schemas_corrections import Short


class DocumentOut(BaseModel):
    id: int
    type: str
    label: str
    status: str
    number: int | None
    number_symbol: str | None
    year: int | None
    sha256: str
    created_at: datetime
    issued_at: datetime | None
    comments: str | None
    revoked_at: datetime | None = None
    revoke_reason: str | None = None
    revoke_reference: str | None = None
    docx_url: str
    pdf_url: str


class RevokeRequest(_In):
    """Record the revocation of an issued document (a head of the issuing unit or above)."""

    reason: Short = Field(description="Lý do thu hồi (ít nhất 10 ký tự)")
    reference: Short = Field(description="Số, ngày văn bản quyết định thu hồi")


class DocumentListOut(BaseModel):
    items: list[DocumentOut]
    hidden: bool


def _labels() -> dict[str, str]:
    settings = flow.settings_from(current_app.config)
    return {k: t.label for k, t in templates.load_manifest(settings.documents_dir).items()}


@api_route(bp, "/cases/{case_id}/documents", "GET", "Văn bản của hồ sơ", response=DocumentListOut, errors=(404,))
def list_documents(case_id: int):
    case, docs, hidden = reading.list_documents(db_session(), api_user(), case_id)
    labels = _labels()
    base = f"/api/v1/cases/{case.id}/documents"
    items = [DocumentOut(id=d.id, type=d.type, label=labels.get(d.type, d.type), status=d.status, number=d.number,
                         number_symbol=d.number_symbol, year=d.year, sha256=d.sha256, created_at=d.created_at,
                         issued_at=d.issued_at, comments=d.comments, revoked_at=d.revoked_at,
                         revoke_reason=d.revoke_reason, revoke_reference=d.revoke_reference,
                         docx_url=f"{base}/{d.id}/docx", pdf_url=f"{base}/{d.id}/pdf") for d in docs]
    return jsonify(DocumentListOut(items=items, hidden=hidden).model_dump(mode="json"))


@api_route(bp, "/cases/{case_id}/documents/{document_id}/revoke", "POST",
           "Thu hồi văn bản đã ban hành (thủ trưởng đơn vị ban hành; có lý do và số văn bản thu hồi)",
           body=RevokeRequest, errors=(403, 404, 409))
def revoke_document(case_id: int, document_id: int):
    data = body(RevokeRequest)
    document = revocation.revoke(db_session(), api_user(), case_id, document_id, data.reason, data.reference, now())
    commit()
    return jsonify({"id": document.id, "number_symbol": document.number_symbol,
                    "revoked_at": document.revoked_at.isoformat(), "revoke_reason": document.revoke_reason,
                    "revoke_reference": document.revoke_reference})


def _open(case_id: int, document_id: int):
    user, at = api_user(), now()
    where = flow.settings_from(current_app.config).documents_dir

    def work(session):  # a confidential case's document: its opening is recorded before it is sent
        document = reading.open_document(session, user, document_id, at, case_id=case_id, documents_dir=where)
        session.expunge(document)
        return document
    return write_apart(work)


def _file(content: bytes, mimetype: str, name: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@api_route(bp, "/cases/{case_id}/documents/{document_id}/docx", "GET", "Tải văn bản (DOCX)", errors=(403, 404),
           file_type=flow.DOCX_TYPE)
def document_docx(case_id: int, document_id: int):
    document = _open(case_id, document_id)
    return _file(document.content, flow.DOCX_TYPE, flow.file_name(document, "docx"))


@api_route(bp, "/cases/{case_id}/documents/{document_id}/pdf", "GET", "Tải văn bản (PDF)", errors=(403, 404, 503),
           file_type="application/pdf",
           error_text={503: "PDF chưa có: máy chủ chưa cài LibreOffice (tải bản DOCX)"})
def document_pdf(case_id: int, document_id: int):
    document = _open(case_id, document_id)
    return _file(reading.pdf_of(document), "application/pdf", flow.file_name(document, "pdf"))
