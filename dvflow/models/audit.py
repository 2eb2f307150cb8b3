"""Who looked at protected personal data, and when."""
from __future__ import annotations

from datetime import datetime

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
