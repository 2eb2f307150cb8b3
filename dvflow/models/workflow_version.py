"""Every workflow version a case ever ran on: content hash -> the exact YAML text."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class WorkflowVersion(Base):
    __tablename__ = "workflow_versions"

    #: sha256 of the YAML text: the version
    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: the workflow id (= case kind)
    workflow_id: Mapped[str] = mapped_column(String(40), index=True)
    #: the exact YAML text, so any case can be replayed on its own version
    source: Mapped[str] = mapped_column(Text)
    #: the file it was loaded from
    path: Mapped[str] = mapped_column(String(500), default="")
    #: first seen (UTC)
    created_at: Mapped[datetime]
