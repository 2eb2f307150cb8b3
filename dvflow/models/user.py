"""Users and their roles per unit."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, in_list
from .encrypted import EncryptedText
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
    #: raised at logout, deactivation and every password change: a session cookie carrying an older number is dead
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: set when an administrator resets the password: the user changes it before doing anything else
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: when the password was last set (UTC)
    password_changed_at: Mapped[datetime | None]
    #: failed logins in a row (reset by a successful one); from the 5th on, each locks the account for longer
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    #: no login is accepted before this instant (UTC), not even with the right password
    locked_until: Mapped[datetime | None]
    #: base32 secret of the user's TOTP second factor; None until the user enrols
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText)  # a credential: encrypted like an identity
    #: the last TOTP time step accepted: a code is never accepted twice
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

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


class RecoveryCode(Base):
    """A single-use code that replaces the TOTP code once (the phone is lost); only its sha256 is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the user the code belongs to
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: hex sha256 of the code (never the code itself)
    code_hash: Mapped[str] = mapped_column(String(64))
    #: when the code was used (UTC); a used code is refused
    used_at: Mapped[datetime | None]
