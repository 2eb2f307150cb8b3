"""Official documents a case's steps issue (notices, decisions, minutes), their numbering series and the templates a
unit uploaded in place of the shipped ones."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, in_list
from .indexes import trigram_index

DOCUMENT_STATUSES = ("draft", "issued", "returned")


class Document(Base):
    """One document of a case: a draft (regenerated while the handler edits), returned by the head with comments,
    or issued: numbered, frozen (its SHA-256 stored) and attached to the case."""

    __tablename__ = "documents"
    __table_args__ = (CheckConstraint(in_list("status", DOCUMENT_STATUSES), name="status"),
                      CheckConstraint("case_id IS NOT NULL OR session_id IS NOT NULL", name="owner"),
                      # a register's numbers are unique per unit, year and series (the documents numbered before
                      # 0032 have no series: NULLs never collide, so their legacy duplicates stay as signed)
                      UniqueConstraint("unit_id", "year", "series", "number"),
                      trigram_index("ix_documents_number_symbol_trgm", "number_symbol"))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the case; None for a document of a reception session (its conclusion notice, a refusal notice)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: the reception session a conclusion or refusal notice belongs to, and the visit a refusal answers
    session_id: Mapped[int | None] = mapped_column(ForeignKey("reception_sessions.id", ondelete="CASCADE"),
                                                   index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("reception_visits.id", ondelete="CASCADE"))
    #: the document type: a key of workflows/documents/documents.yaml (e.g. "notice_of_acceptance")
    type: Mapped[str] = mapped_column(String(60))
    #: draft, issued or returned
    status: Mapped[str] = mapped_column(String(20), default="draft")
    #: the issuing unit (the case's unit), whose series numbers the document
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    #: the number in the unit's register of `series` for `year`; null until issued
    number: Mapped[int | None]
    #: the register's series: the symbol's type part ("TB", "QĐ", "KL"…), shared by every type printing it, so a
    #: number and symbol names one document; null until issued, and for documents issued before 0032 (numbered
    #: per type then)
    series: Mapped[str | None] = mapped_column(String(20))
    #: the symbol part, e.g. "TB-STNMT" (NĐ 30/2020, Phụ lục III); null until issued
    symbol: Mapped[str | None] = mapped_column(String(60))
    #: the year of the series; null until issued
    year: Mapped[int | None]
    #: "12/TB-STNMT", for search and display; null until issued
    number_symbol: Mapped[str | None] = mapped_column(String(80), index=True)
    #: the DOCX as generated (the frozen file once issued)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    #: SHA-256 of `content`, hex (the frozen file's fingerprint once issued)
    sha256: Mapped[str] = mapped_column(String(64))
    #: the PDF of the issued document, when LibreOffice was installed at issue
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: the issued file as a case attachment (the attachments store)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id", ondelete="SET NULL"))
    #: the action (transition trigger) that drafted or issued it
    action: Mapped[str] = mapped_column(String(60))
    #: the action's fields the document was generated from (dates as ISO strings)
    fields: Mapped[dict] = mapped_column(JSONType, default=dict)
    #: the head's comments when returning the draft
    comments: Mapped[str | None] = mapped_column(Text)
    #: who generated it, when (UTC)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    #: who issued it, when (UTC)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime | None]
    #: the revocation (thu hồi) of an issued document: when, by which head, why, and the reference of the decision
    #: that withdrew it; recorded once (migration 0039: the database refuses any other change to an issued row)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    revoke_reference: Mapped[str | None] = mapped_column(String(255))


class DocumentSeries(Base):
    """The last number issued in a series: per unit, per series key, per year (the key: a document register's
    series, "register:TB", or another book's name, "reception_book"). Issuing locks the row (FOR UPDATE)
    so two concurrent issues get consecutive numbers, and a rolled-back issue gives its number back (gap-free)."""

    __tablename__ = "document_series"
    __table_args__ = (UniqueConstraint("unit_id", "type", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    #: the series key (the rows keyed by a document type numbered documents before 0032 and are no longer used)
    type: Mapped[str] = mapped_column(String(60))
    year: Mapped[int]
    last: Mapped[int] = mapped_column(default=0)


class UnitTemplate(Base):
    """A unit's own version of a document template, uploaded by its administrator; used in place of the shipped one."""

    __tablename__ = "unit_templates"
    __table_args__ = (UniqueConstraint("unit_id", "type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(60))
    #: the DOCX
    content: Mapped[bytes] = mapped_column(LargeBinary)
    #: the file name uploaded
    filename: Mapped[str] = mapped_column(String(255))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime]
