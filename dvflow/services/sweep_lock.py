"""The fast path's locking read: a batch's still-due clocks as plain rows of the few columns it reads.

``lock_due_clock_rows`` is ``sweep.lock_due_clocks`` without building ORM objects: the fast path reads only a few
columns of a clock and writes it with a bulk UPDATE, so a ``Clock`` object is loaded only when a clock goes through
the per-clock path (``load_clock``). The rows are locked the same way (PostgreSQL: ``FOR UPDATE SKIP LOCKED``). A
``Clock`` of the batch that the session already holds is refreshed from the database, as the ORM lock query's
``populate_existing`` did. The cases stay ORM objects, locked by ``sweep.lock_cases`` (the ladder lookup and the
recipients take a ``Case``).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from ..models import Clock
from .sweep import _due, id_in

_CLOCK = Clock.__table__


class ClockRow(NamedTuple):
    """The columns of a clock the fast path reads (planning, notification parameters, the version guard). A plain
    tuple: its fields read faster than an ORM object's or a ``Row``'s."""

    id: int
    case_id: int
    name: str
    label: str
    due_date: date | None
    state: str
    closed_at: datetime | None
    next_escalation_at: datetime | None
    next_step_key: str | None
    version: int


COLUMNS = ClockRow._fields


def lock_due_clock_rows(session: Session, ids: Sequence[int], now: datetime) -> list[ClockRow]:
    """The batch's clocks that are still due, locked, in id order."""
    query = (select(*(_CLOCK.c[name] for name in COLUMNS))
             .where(id_in(_CLOCK.c.id, ids, session.get_bind().dialect.name), *_due(now)).order_by(_CLOCK.c.id)
             .with_for_update(skip_locked=True))
    rows = [ClockRow(*row) for row in session.execute(query)]
    _refresh_held(session, rows)
    return rows


def _refresh_held(session: Session, rows: Sequence[ClockRow]) -> None:
    held = [row.id for row in rows if identity_key(Clock, row.id) in session.identity_map]
    if held:  # the rows are locked already: a plain read refreshes them
        session.scalars(select(Clock).where(Clock.id.in_(held)).execution_options(populate_existing=True)).all()


def load_clock(session: Session, row: ClockRow) -> Clock:
    """The ``Clock`` of a locked row, for the per-clock path: read again, then given the values of ``row``, read
    under the lock, as committed state. Its version is therefore the one the batch read, and the per-clock path's
    version guard sees any change made since (as with the ORM lock query, whose objects the batch kept)."""
    clock = session.get(Clock, row.id, populate_existing=True)
    for key in COLUMNS:
        set_committed_value(clock, key, getattr(row, key))
    return clock


def written(session: Session, clock_id: int, values: dict) -> None:
    """A clock's row was written by the fast path: a ``Clock`` the session holds takes the values as committed."""
    clock = session.identity_map.get(identity_key(Clock, clock_id))
    if clock is not None:
        for key, value in values.items():
            set_committed_value(clock, key, value)
