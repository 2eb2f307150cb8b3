"""One submitted intake request, remembered by its key so that a repeat registers nothing new."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class IntakeRequest(Base):
    """A registration request and the case it created: the intake page's one-time form token, or the API's
    `Idempotency-Key` header. The unique (user, key) makes two submissions of the same request create one case,
    even when they arrive at the same moment."""

    __tablename__ = "intake_requests"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: who submitted the request (keys are per user)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: the client's key: "form:<token>:<content digest>" for the intake page, "api:<Idempotency-Key>" for the API
    key: Mapped[str] = mapped_column(String(200))
    #: SHA-256 of the request's content: the same key with other content is refused
    request_hash: Mapped[str] = mapped_column(String(64))
    #: the case the request created (None only inside the transaction that creates it)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    #: when the request was first received (UTC)
    created_at: Mapped[datetime]
