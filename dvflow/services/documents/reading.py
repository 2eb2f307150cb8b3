"""Reading a case's documents: the list, a download (recorded for a confidential case), the PDF and a preview."""
from __future__ import annotations

import io
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Attachment, Case, Document, User
from ..cases import confidentiality
from ..cases.lookup import load_case_for
from ..errors import Forbidden, NotFound
from . import pdf

N_ = lambda s: s  # noqa: E731 - marks a message for extraction; the page shows it translated

HIDDEN = N_("Văn bản của hồ sơ bảo mật chỉ dành cho thủ trưởng đơn vị hoặc người được thủ trưởng giao xử lý.")


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
                  case_id: int | None = None) -> Document:
    """The document if the user may see its case's content; the download of an issued document of a confidential
    case is recorded with the attachments' downloads (`session` must be a writing one then)."""
    document = session.get(Document, document_id)
    if document is None or (case_id is not None and document.case_id != case_id):
        raise NotFound("Không tìm thấy văn bản.")
    case = load_case_for(session, user, document.case_id)
    if not confidentiality.may_see_content(session, user, case):
        raise Forbidden(HIDDEN)
    if case.confidential and document.attachment_id is not None:
        attachment = session.get(Attachment, document.attachment_id)
        if attachment is not None:
            confidentiality.record_download(session, user, attachment, now)
    return document


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
