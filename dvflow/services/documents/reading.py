"""Reading a case's documents: the list, an opening (recorded for a confidential case: a download, a preview, the
PDF, a draft alike), the PDF and a preview."""
from __future__ import annotations

import io
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Attachment, Case, Document, IdentityAccess, User
from ..cases import confidentiality
from ..cases.lookup import load_case_for
from ..errors import Forbidden, NotFound
from . import context, pdf, templates

N_ = lambda s: s  # noqa: E731 - marks a message for extraction; the page shows it translated

HIDDEN = N_("Văn bản của hồ sơ bảo mật chỉ dành cho thủ trưởng đơn vị hoặc người được thủ trưởng giao xử lý.")
#: the reason an opening is recorded with, in the case's access log (stored text, Vietnamese like the reasons typed)
OPENED = "Mở văn bản «%(document)s» %(number)s"
DRAFT = "(dự thảo)"


def list_documents(session: Session, user: User, case_id: int) -> tuple[Case, list[Document], bool]:
    """The case, its documents (oldest first) and whether they are hidden from the user (a confidential case's
    documents are need-to-know like its files: hidden, the list is empty). NotFound when the case is not visible."""
    case = load_case_for(session, user, case_id)
    if not confidentiality.may_see_content(session, user, case):
        return case, [], True
    docs = list(session.scalars(select(Document).where(Document.case_id == case.id)
                                .order_by(Document.created_at, Document.id)))
    return case, docs, False


def open_document(session: Session, user: User, document_id: int, now: datetime,
                  case_id: int | None = None, documents_dir: str | None = None) -> Document:
    """The document if the user may see its case's content (in a confidential case: who may reveal the denouncer,
    confidentiality.may_reveal). Every opening of a confidential case's document, a draft or a preview too, is
    recorded before it is shown (`record_opening`; `session` must be a writing one then). `documents_dir`: the
    manifest, which tells a denouncer's own copy (and names the document in the record)."""
    document = session.get(Document, document_id)
    if document is None or (case_id is not None and document.case_id != case_id):
        raise NotFound("Không tìm thấy văn bản.")
    case = load_case_for(session, user, document.case_id)
    if not confidentiality.may_see_content(session, user, case):
        raise Forbidden(HIDDEN)
    if case.confidential:
        dtype = templates.load_manifest(documents_dir).get(document.type) if documents_dir else None
        record_opening(session, user, case, document, dtype, now)
    return document


def record_opening(session: Session, user: User, case: Case, document: Document,
                   dtype: templates.DocumentType | None, now: datetime) -> None:
    """The record of one opening of a confidential case's document (Luật Tố cáo 2018, Điều 47): an issued file is a
    download of the case's attachment, as its files' are; a denouncer's own copy names them, so it is a look at
    their identity; a draft or any document without its file can print the letter (which may name the denouncer),
    so it is recorded as a look at each hidden party's identity, the document named as the reason."""
    attachment = session.get(Attachment, document.attachment_id) if document.attachment_id else None
    if attachment is not None:
        confidentiality.record_download(session, user, attachment, now)
    own = dtype is not None and dtype.own_copy
    if attachment is not None and not own:
        return
    asked = context.requester_party(case) if own else None
    hidden = [asked] if asked is not None else [cp for cp in case.parties
                                                if confidentiality.is_hidden(case, cp.role)]
    reason = OPENED % {"document": dtype.label if dtype else document.type,
                       "number": document.number_symbol or DRAFT}
    for cp in hidden:
        session.add(IdentityAccess(user_id=user.id, case_id=case.id, party_id=cp.party_id, reason=reason, at=now))
    session.flush()


def record_file_opening(session: Session, user: User, case: Case, attachment: Attachment,
                        documents_dir: str | None, now: datetime) -> None:
    """The record of a download of a confidential case's file (services/cases/attachments.download): the file an
    issue attached is its document, recorded as an opening of it (record_opening: a denouncer's own copy is a look at
    their identity too, as at /van-ban/…); any other file as a download. `documents_dir`: the manifest, which tells
    an own copy."""
    document = session.scalar(select(Document).where(Document.case_id == case.id,
                                                     Document.attachment_id == attachment.id))
    if document is None:
        confidentiality.record_download(session, user, attachment, now)
        return
    dtype = templates.load_manifest(documents_dir).get(document.type) if documents_dir else None
    record_opening(session, user, case, document, dtype, now)


def pdf_of(document: Document) -> bytes:
    """The PDF stored at issue, else converted now (a draft, or issued without LibreOffice); PdfUnavailable says
    why there is none."""
    return document.pdf if document.pdf is not None else pdf.to_pdf(document.content)


def preview(content: bytes) -> list[list[str]]:
    """The DOCX as blocks of text lines for an HTML preview when there is no LibreOffice: each table row's cells,
    then each paragraph, in the document's order."""
    from docx import Document as Docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Docx(io.BytesIO(content))
    blocks: list[list[str]] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append([Paragraph(child, doc).text])
        elif tag == "tbl":
            for row in Table(child, doc).rows:
                blocks.append([c.text for c in row.cells])
    return blocks
