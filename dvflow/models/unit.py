"""Units: agencies, departments and communes, in a hierarchy, each with the days it existed.

From 01/07/2025 Vietnam has two levels of local government (Luật Tổ chức chính quyền địa phương 2025; Nghị quyết
202/2025/QH15 on merging provinces; the resolutions of the Standing Committee of the National Assembly merging the
communes): districts were abolished, communes and provinces merged. A unit therefore has a lifetime: a commune made
by the mergers exists only from its first day, and a dissolved one until its last day, its work taken over by a
successor (services/org/units.py dissolves one).
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, String, and_, or_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, in_list

UNIT_LEVELS = ("province", "department", "commune")


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (
        CheckConstraint(in_list("level", UNIT_LEVELS), name="level"),
        CheckConstraint("active_to IS NULL OR active_from IS NULL OR active_to >= active_from", name="lifetime"),
        # only a dissolved unit hands its work on, and never to itself
        CheckConstraint("successor_id IS NULL OR (active_to IS NOT NULL AND successor_id <> id)", name="successor"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: short unique code used by commands and imports, e.g. "UBND-TINH"
    code: Mapped[str] = mapped_column(String(40), unique=True)
    #: Vietnamese name of the unit
    name: Mapped[str] = mapped_column(String(255))
    #: province, department (a provincial department) or commune (xã, phường, đặc khu)
    level: Mapped[str] = mapped_column(String(20))
    #: the direct superior unit (cấp trên trực tiếp); None for the top of the tree
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    #: remote or hard-to-reach area (vùng sâu, vùng xa): longer complaint time limits (LKN Art 28, 37)
    remote_area: Mapped[bool] = mapped_column(default=False)
    #: postal address printed on receipts and documents (where citizens come and write to)
    address: Mapped[str | None] = mapped_column(String(500))
    #: the phone number printed on receipts for citizens' questions
    phone: Mapped[str | None] = mapped_column(String(40))
    #: the title of the unit's head as the documents print it under the signature ("Chánh Thanh tra" for the
    #: provincial inspectorate, "Trưởng Ban" for the citizens' reception board); None: the level's title
    #: (services/org/titles.py: "Chủ tịch" of a province or commune, "Giám đốc" of a department)
    head_title: Mapped[str | None] = mapped_column(String(100))
    #: the first day the unit exists (e.g. 01/07/2025 for a commune made by the mergers); None: it always existed.
    #: No reception day, dialogue conference or case is asked of it before.
    active_from: Mapped[date | None]
    #: the last day the unit existed (dissolved or merged into another); None: it still exists. Nothing is received
    #: into it after that day, and no report lists it for a period after it
    active_to: Mapped[date | None]
    #: the unit that took over a dissolved unit's work (its open cases went there, its escalations go there)
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))

    parent: Mapped["Unit | None"] = relationship(remote_side="Unit.id", back_populates="children",
                                                 foreign_keys=[parent_id])
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", foreign_keys=[parent_id])
    successor: Mapped["Unit | None"] = relationship(remote_side="Unit.id", foreign_keys=[successor_id])

    @hybrid_property
    def existing(self) -> bool:
        """Whether the unit still exists (not dissolved): what a form offers, where new work may go. A dissolution
        is never entered ahead of its day, so a unit with a last day is dissolved as of today. `Unit.existing` is
        the same in a WHERE clause."""
        return self.active_to is None

    @existing.inplace.expression
    @classmethod
    def _existing_expression(cls):
        return cls.active_to.is_(None)

    @property
    def dissolved_on(self) -> date | None:
        """The day the successor took over (the day after the last one), None while the unit exists."""
        return self.active_to + timedelta(days=1) if self.active_to is not None else None

    def exists_on(self, day: date) -> bool:
        """Whether the unit existed on `day` (both ends of its lifetime included)."""
        return exists_between(self.active_from, self.active_to, day, day)

    def exists_during(self, first: date, last: date) -> bool:
        """Whether the unit existed on some day of [first, last]."""
        return exists_between(self.active_from, self.active_to, first, last)

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


def exists_between(active_from: date | None, active_to: date | None, first: date, last: date) -> bool:
    """Whether a lifetime [active_from, active_to] (None: open) meets the days [first, last]."""
    return (active_from is None or active_from <= last) and (active_to is None or active_to >= first)


def existing_during(first: date, last: date):
    """SQL: the units that existed on some day of [first, last] (`exists_during` in a WHERE clause)."""
    return and_(or_(Unit.active_from.is_(None), Unit.active_from <= last),
                or_(Unit.active_to.is_(None), Unit.active_to >= first))
