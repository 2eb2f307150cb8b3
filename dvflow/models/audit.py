"""Who looked at protected personal data, and when; the signed daily digests of the case history."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class IdentityAccess(Base):
    """Every reveal of a confidential party's identity (LTC Art 47, 56) is recorded here."""

    __tablename__ = "identity_accesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: who looked
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    #: the case
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: the party revealed
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"))
    #: the reason the user gave
    reason: Mapped[str] = mapped_column(String(500), default="")
    #: when (UTC)
    at: Mapped[datetime]


class VisitAccess(Base):
    """Every opening of a confidential reception visit's document (a denouncer's refusal notice names them, with the
    content of their visit: LTC Art 47): the reception's counterpart of `identity_accesses`, for a visit that may
    have no case and no party to name."""

    __tablename__ = "visit_accesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: who opened it
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    #: the visit whose visitor the document names
    visit_id: Mapped[int] = mapped_column(ForeignKey("reception_visits.id", ondelete="CASCADE"), index=True)
    #: the document opened
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    #: when (UTC)
    at: Mapped[datetime]


class HistoryAnchor(Base):
    """The signed digest of one day of case history (services.audit.anchors): rewriting rows, even with their
    chain recomputed, changes a digest that only the holder of the signing key could sign again."""

    __tablename__ = "history_anchors"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the local day (Asia/Ho_Chi_Minh) whose history rows it covers, by their `at`
    day: Mapped[date] = mapped_column(unique=True)
    #: how many history rows that day holds
    rows: Mapped[int]
    #: the digest of the day before (the anchors form a chain too); zeros for the first
    previous: Mapped[str] = mapped_column(String(64))
    #: SHA-256 of `previous` and the day's row hashes in id order
    digest: Mapped[str] = mapped_column(String(64))
    #: which key signed it (the first 16 hex digits of the SHA-256 of the raw Ed25519 public key)
    key_id: Mapped[str] = mapped_column(String(16))
    #: the Ed25519 signature of the day, `previous`, `rows` and `digest`, hex
    signature: Mapped[str] = mapped_column(String(128))
    #: when it was made (UTC)
    created_at: Mapped[datetime]
