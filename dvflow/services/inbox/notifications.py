"""The in-app inbox: a user's notifications with channel "inbox" (the e-mail copies live in the same table)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ...engine.types import require_aware
from ...models import Notification
from .. import keyset


def _mine(user_id: int):
    return Notification.user_id == user_id, Notification.channel == "inbox"


def unread_count(session: Session, user_id: int) -> int:
    """How many inbox items the user has not read yet, counted up to keyset.CAP + 1 ("more than 10,000")."""
    return keyset.capped_count(session, select(Notification.id).where(*_mine(user_id),
                                                                       Notification.read_at.is_(None)))


def list_inbox(session: Session, user_id: int, limit: int = 20, offset: int = 0,
               cursor: str | None = None) -> list[Notification]:
    """The user's inbox items, newest first: after `cursor` (keyset.encode_cursor of the last item shown; a bad
    token reads from the start) else after `offset` items. The index on (user_id, channel, created_at, id) serves
    both; a cursor reads only the items shown, at any depth."""
    query = (select(Notification).where(*_mine(user_id))
             .order_by(Notification.created_at.desc(), Notification.id.desc())
             .limit(max(1, min(limit, 200))))
    after = keyset.decode_cursor(cursor) if cursor else None
    if after is not None:
        query = keyset.older_than(query, Notification.created_at, Notification.id, after)
    else:
        query = query.offset(max(0, offset))
    return list(session.scalars(query))


def cursor_of(item: Notification) -> str:
    """The token that lists the items after `item`."""
    return keyset.encode_cursor(item.created_at, item.id)


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
