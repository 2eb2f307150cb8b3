"""Personal API tokens: only the sha256 of the token is kept; the token itself is shown once."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .user import User


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the user the token acts as (same permissions as on the web pages)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: a name the user gives the token, e.g. "phần mềm một cửa"
    name: Mapped[str] = mapped_column(String(100))
    #: hex sha256 of the token (never the token itself)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: when the token was created (UTC)
    created_at: Mapped[datetime]
    #: when the token was last used (UTC); None if never
    last_used_at: Mapped[datetime | None]
    #: when the token was revoked (UTC); a revoked token is refused
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
