"""What administrators do to accounts and units: who granted or removed which role, reset which password, and when."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, JSONType, in_list

#: the acts recorded (services.org.admin_log writes them)
ADMIN_ACTIONS = ("unit_created", "unit_contact_changed", "user_created", "user_updated", "role_granted",
                 "role_revoked", "deactivated", "reactivated", "password_reset", "second_factor_reset",
                 "unit_dissolved", "unit_parent_changed", "unit_head_title_changed")


class AdminEvent(Base):
    """One administrator's act on an account or a unit, written in the act's own transaction and never changed:
    removing a role deletes its membership row, so this is the only trace that the role once existed. Like
    `identity_accesses` for reveals, it records who decided who may see what."""

    __tablename__ = "admin_events"
    __table_args__ = (CheckConstraint(in_list("action", ADMIN_ACTIONS), name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: when (UTC)
    at: Mapped[datetime] = mapped_column(index=True)
    #: who did it (None: the command line, run by whoever holds the server)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    #: what was done (one of ADMIN_ACTIONS)
    action: Mapped[str] = mapped_column(String(30))
    #: the account it concerns, if any
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    #: the unit it concerns, if any (a role's unit, a created unit)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    #: what else tells the act apart (a role, old and new values); never a password or a secret
    detail: Mapped[dict] = mapped_column(JSONType, default=dict)

    actor: Mapped["User | None"] = relationship(foreign_keys=[actor_id])  # noqa: F821 - resolved by the registry
    unit: Mapped["Unit | None"] = relationship()  # noqa: F821 - resolved by the registry
