"""Files attached to a case, kept on disk under the configured upload folder."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, in_list

ATTACHMENT_PURPOSES = ("appointment",)


class Attachment(Base):
    __tablename__ = "attachments"
    __table_args__ = (CheckConstraint("size >= 0", name="size_nonnegative"),
                      CheckConstraint(in_list("purpose", ATTACHMENT_PURPOSES), name="purpose"))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the case
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: the file name the user uploaded
    filename: Mapped[str] = mapped_column(String(255))
    #: path relative to the upload folder
    stored_path: Mapped[str] = mapped_column(String(500))
    #: sha256 of the content, hex
    sha256: Mapped[str] = mapped_column(String(64))
    #: size in bytes
    size: Mapped[int]
    #: MIME type
    content_type: Mapped[str] = mapped_column(String(100))
    #: who uploaded it
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: when (UTC)
    uploaded_at: Mapped[datetime]
    #: what the file is, when it is one of the case's named papers: "appointment" = the written appointment of a
    #: mass case's representatives (Luật Tiếp công dân 2013, Điều 29); null for any other file
    purpose: Mapped[str | None] = mapped_column(String(30))
