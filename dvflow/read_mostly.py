"""Read-mostly data cached per process behind one cheap check: the unit tree, the memberships, the calendar
overrides, the stored workflow versions.

The database keeps one random token (`read_mostly_version`) that triggers replace whenever one of those tables
changes, in the writing transaction. A transaction reads the token once (on its own, or as a column of a statement
it runs anyway, see `seed`) and uses the process's cache only when it was built under that very token; otherwise the
parts it needs are loaded again and cached under the new token. Hence:
- a change committed by another process is seen by this process's next transaction (it reads the new token);
- a transaction sees its own uncommitted change once it calls `forget` (or `org_tree.forget`) after writing;
- a change that is rolled back leaves nothing behind: its token is random and never becomes the committed one, so
  what was cached under it is never served again.
The snapshot a transaction uses is kept in `session.info` and dropped when the transaction ends.
"""
from __future__ import annotations

import threading
from typing import Callable, TypeVar

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from .models import ReadMostlyVersion

T = TypeVar("T")
KEY = "dvflow.read_mostly"  # the session.info key of the transaction's snapshot
#: the token, as a column another statement can carry (an ORM select: it autoflushes pending writes first)
TOKEN = select(ReadMostlyVersion.token).where(ReadMostlyVersion.id == 1)
TOKEN_COLUMN = TOKEN.scalar_subquery().label("read_mostly_token")


class Snapshot:
    """The parts loaded under one token (each loaded on first use)."""

    def __init__(self, token: str):
        self.token = token
        self.parts: dict[str, object] = {}


class ProcessCache:
    """One snapshot per database (URL): the newest token seen."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_db: dict[str, Snapshot] = {}

    def snapshot(self, db: str, token: str) -> Snapshot:
        with self._lock:
            current = self._by_db.get(db)
            if current is None or current.token != token:
                current = self._by_db[db] = Snapshot(token)
            return current

    def clear(self) -> None:
        with self._lock:
            self._by_db.clear()


#: this process's cache (a test swaps it to play two processes on one database)
PROCESS = ProcessCache()


def _db_key(session: Session) -> str:
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    return engine.url.render_as_string(hide_password=True)


def seed(session: Session, token: str) -> None:
    """The token read by a statement the caller ran anyway: the transaction needs no statement of its own for it."""
    if KEY not in session.info:
        session.info[KEY] = PROCESS.snapshot(_db_key(session), token)


def snapshot(session: Session) -> Snapshot:
    """The transaction's snapshot (one statement, the token, on first use in the transaction unless seeded)."""
    current = session.info.get(KEY)
    if current is None:
        seed(session, session.scalar(TOKEN))
        current = session.info[KEY]
    return current


def part(session: Session, name: str, load: Callable[[Session], T]) -> T:
    """The named part of the snapshot, loaded with `load(session)` the first time under the token."""
    snap = snapshot(session)
    if name not in snap.parts:
        snap.parts[name] = load(session)
    return snap.parts[name]  # type: ignore[return-value]


def forget(session: Session) -> None:
    """To be called by whoever changed cached data in this transaction: the next use reads the (new) token."""
    session.info.pop(KEY, None)


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session: Session, transaction) -> None:
    # the token is read again by the next transaction: another process may have committed a change meanwhile. A
    # flush ends a subtransaction of its own, which changes nothing; a savepoint's end may (its rollback restores
    # the token its writes moved)
    if ended(transaction):
        session.info.pop(KEY, None)


def ended(transaction) -> bool:
    """Whether the end of this SessionTransaction ends a transaction or a savepoint (not a flush's subtransaction)."""
    return transaction.parent is None or transaction.nested
