"""Units: agencies, departments and communes, in a hierarchy."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, in_list

UNIT_LEVELS = ("province", "department", "commune")


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (CheckConstraint(in_list("level", UNIT_LEVELS), name="level"),)

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

    parent: Mapped["Unit | None"] = relationship(remote_side="Unit.id", back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent")

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"
