"""The in-app inbox: a user's notifications with channel "inbox" (the e-mail copies live in the same table)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ...engine.types import require_aware
from ...models import Notification


def _mine(user_id: int):
    return Notification.user_id == user_id, Notification.channel == "inbox"


def unread_count(session: Session, user_id: int) -> int:
    """How many inbox items the user has not read yet."""
    query = select(func.count()).select_from(Notification).where(*_mine(user_id), Notification.read_at.is_(None))
    return session.scalar(query) or 0


def list_inbox(session: Session, user_id: int, limit: int = 20, offset: int = 0) -> list[Notification]:
    """The user's inbox items, newest first."""
    query = (select(Notification).where(*_mine(user_id))
             .order_by(Notification.created_at.desc(), Notification.id.desc())
             .limit(max(1, min(limit, 200))).offset(max(0, offset)))
    return list(session.scalars(query))


def mark_read(session: Session, user_id: int, notification_id: int, now: datetime) -> bool:
    """Mark one of the user's inbox items read. False when it is not theirs or does not exist."""
    item = session.get(Notification, notification_id)
    if item is None or item.user_id != user_id or item.channel != "inbox":
        return False
    if item.read_at is None:
        item.read_at = require_aware(now)
        session.flush()
    return True


def mark_all_read(session: Session, user_id: int, now: datetime) -> int:
    """Mark every unread inbox item of the user read; returns how many."""
    result = session.execute(update(Notification).where(*_mine(user_id), Notification.read_at.is_(None))
                             .values(read_at=require_aware(now)).execution_options(synchronize_session="fetch"))
    return result.rowcount or 0
