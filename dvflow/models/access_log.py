"""Downloads of the files of confidential cases: who took which file, and when."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class AttachmentDownload(Base):
    """Every download of an attachment of a confidential case (Luật Tố cáo 2018, Điều 47(1)(b)): its content is
    need-to-know like the denouncer's identity, so each look at it is recorded, as each reveal is in
    `identity_accesses`. A table of its own: a download names a file, not a party, and needs no reason."""

    __tablename__ = "attachment_downloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: who downloaded
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    #: the case
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: the file
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id", ondelete="CASCADE"))
    #: when (UTC)
    at: Mapped[datetime]
