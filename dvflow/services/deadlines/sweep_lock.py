"""The sweep's locking reads: a batch's still-due clocks and their cases, as plain rows of the columns it reads.

Both writers (``sweep_fast`` and the per-clock path of ``sweep``) plan from these rows (``sweep_plan``): planning reads
a few columns only, so no ORM object is built for it. The rows are locked as ``SELECT … FOR UPDATE SKIP LOCKED`` on
PostgreSQL: a row another transaction holds (a scheduler, an officer) is left out. A ``Clock`` or ``Case`` the session
already holds is refreshed from the database, as an ORM lock query's ``populate_existing`` would.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterable, NamedTuple, Sequence

from sqlalchemy import select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import (
    identity_key,  # public: documented as sqlalchemy.orm.util.identity_key
)
from sqlalchemy.sql.sqltypes import NullType

from ...db.ids import id_in
from ...models import Case, Clock

_CLOCK = Clock.__table__
_CASE = Case.__table__


def due(now: datetime):
    """The conditions of an open clock whose next step is due by ``now`` (the partial index's predicate)."""
    return Clock.next_escalation_at.is_not(None), Clock.next_escalation_at <= now, Clock.closed_at.is_(None)


class ClockRow(NamedTuple):
    """The columns of a clock the sweep reads (planning, notification parameters, the version guard). A plain
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


class CaseValues(NamedTuple):
    """The columns of a case the sweep reads and writes. The planner hands a copy with new values (``_replace``) to
    the recipient lookup after a reassignment, and to the next clock of the same case."""

    id: int
    tracking_code: str
    workflow_version: str
    state: str
    unit_id: int
    assignee_id: int | None
    subject: str
    escalation_level: int
    priority: bool
    version: int


CASE_COLUMNS = CaseValues._fields


def lock_due_clock_rows(session: Session, ids: Sequence[int], now: datetime) -> list[ClockRow]:
    """The batch's clocks that are still due, locked, in id order."""
    rows = [ClockRow(*row) for row in _select_locked(session, _CLOCK, COLUMNS, ids, *due(now))]
    refresh_held(session, Clock, [row.id for row in rows])
    return rows


def lock_case_rows(session: Session, case_ids: Iterable[int]) -> dict[int, CaseValues]:
    """The cases of these ids, locked; a case another transaction holds (an officer at work) is left out."""
    rows = [CaseValues(*row) for row in _select_locked(session, _CASE, CASE_COLUMNS, sorted(set(case_ids)))]
    refresh_held(session, Case, [row.id for row in rows])
    return {row.id: row for row in rows}


def _select_locked(session: Session, table, names: Sequence[str], ids: Iterable[int], *where) -> list[tuple]:
    """The rows of ``table`` with these ids (and ``where``), locked, in id order, as tuples of the columns ``names``.
    Each column's values are read raw and converted by the column type's result processor once per distinct value
    (SQLite returns dates and instants as text, parsed by a regex each; a batch's clocks share a few)."""
    dialect = session.get_bind().dialect
    columns = [table.c[name] for name in names]
    query = (select(*(type_coerce(c, NullType()) for c in columns))
             .where(id_in(table.c.id, ids, dialect.name), *where).order_by(table.c.id).with_for_update(skip_locked=True))
    raw = session.connection().execute(query).fetchall()  # a Core read: no ORM result layer, no autoflush either way
    if not raw:
        return []
    values = []
    for column, column_values in zip(columns, zip(*raw)):
        proc = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if proc is not None:
            memo: dict = {}
            column_values = [memo[v] if v in memo else memo.setdefault(v, proc(v)) for v in column_values]
        values.append(column_values)
    return list(zip(*values))


def held(session: Session, cls: type, ids: Iterable[int]) -> list:
    """The objects of these ids the session holds (none to look for in a fresh session, as the scheduler's)."""
    identity_map = session.identity_map
    if not len(identity_map):
        return []
    found = (identity_map.get(identity_key(cls, i)) for i in ids)
    return [obj for obj in found if obj is not None]


def refresh_held(session: Session, cls: type, ids: Sequence[int]) -> None:
    """Refresh the objects of these ids the session holds from the database (their rows are locked already)."""
    objects = held(session, cls, ids)
    if objects:
        session.scalars(select(cls).where(cls.id.in_([o.id for o in objects]))
                        .execution_options(populate_existing=True)).all()
