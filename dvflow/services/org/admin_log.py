"""The record of administrators' acts (models.AdminEvent): one row per act, in the act's own transaction."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...models import AdminEvent, Unit, User
from ...timeutil import utcnow

#: detail keys that must never reach the record, whatever a caller passes
_SECRET_WORDS = ("password", "secret", "token", "hash", "recovery")


def record(session: Session, actor: User | None, action: str, user: User | None = None, unit: Unit | None = None,
           **detail) -> AdminEvent:
    """Append one act. `actor` None is the command line. The instant is the wall clock's, not the request's
    injectable `now`: the record says when the act really happened, and every act uses the same clock so their
    order is the order they were done."""
    leaked = [key for key in detail if any(word in key.lower() for word in _SECRET_WORDS)]
    if leaked:  # a programming error, refused before anything is written
        raise ValueError(f"a secret in an administrator's record: {leaked}")
    event = AdminEvent(at=utcnow(), actor_id=actor.id if actor else None, action=action,
                       user_id=user.id if user else None, unit_id=unit.id if unit else None, detail=detail)
    session.add(event)
    session.flush()
    return event


def for_user(session: Session, user: User, limit: int = 50) -> list[AdminEvent]:
    """The last `limit` acts concerning `user`, newest first."""
    return list(session.scalars(
        select(AdminEvent).where(AdminEvent.user_id == user.id)
        .options(selectinload(AdminEvent.actor), selectinload(AdminEvent.unit))
        .order_by(AdminEvent.at.desc(), AdminEvent.id.desc()).limit(limit)))
