"""Users and their roles per unit."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, in_list
from .unit import Unit

ROLES = ("reception", "handler", "head", "supervisor", "admin")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: login name, lower case
    username: Mapped[str] = mapped_column(String(80), unique=True)
    #: full name shown in the UI and in documents
    full_name: Mapped[str] = mapped_column(String(255), default="")
    #: e-mail address for notifications
    email: Mapped[str | None] = mapped_column(String(255))
    #: argon2 hash of the password (never the password itself)
    password_hash: Mapped[str] = mapped_column(String(255))
    #: an inactive user cannot log in and receives no work
    active: Mapped[bool] = mapped_column(default=True)
    #: preferred interface language: vi or en
    locale: Mapped[str] = mapped_column(String(5), default="vi")
    #: when the account was created (UTC)
    created_at: Mapped[datetime]

    memberships: Mapped[list["Membership"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class Membership(Base):
    """A role a user holds in a unit."""

    __tablename__ = "memberships"
    __table_args__ = (
        CheckConstraint(in_list("role", ROLES), name="role"),
        UniqueConstraint("user_id", "unit_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the user holding the role
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: the unit where the role is held
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    #: reception, handler, head, supervisor or admin
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="memberships")
    unit: Mapped[Unit] = relationship()
