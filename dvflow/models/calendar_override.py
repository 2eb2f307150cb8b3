"""Per-date corrections of the legal calendar: an extra day off or a make-up working day."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, in_list

OVERRIDE_KINDS = ("off", "working")


class CalendarOverride(Base):
    __tablename__ = "calendar_overrides"
    __table_args__ = (CheckConstraint(in_list("kind", OVERRIDE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the date corrected
    day: Mapped[date] = mapped_column(unique=True)
    #: off (extra day off) or working (make-up working day, e.g. a Saturday)
    kind: Mapped[str] = mapped_column(String(10))
    #: why, e.g. "Nghỉ bù Tết Dương lịch 2026 (Công văn 12729/VPCP-KGVX)"
    note: Mapped[str] = mapped_column(String(500), default="")
    #: where it came from: ui, import:<file>, demo
    source: Mapped[str] = mapped_column(String(255), default="ui")
    #: the admin who added it
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: when it was added (UTC)
    created_at: Mapped[datetime]
