"""The fast path's locking read: a batch's still-due clocks as plain rows of the few columns it reads.

``lock_due_clock_rows`` is ``sweep.lock_due_clocks`` without building ORM objects: the fast path reads only a few
columns of a clock and writes it with a bulk UPDATE, so a ``Clock`` object is loaded only when a clock goes through
the per-clock path (``load_clock``). The rows are locked the same way (PostgreSQL: ``FOR UPDATE SKIP LOCKED``). A
``Clock`` of the batch that the session already holds is refreshed from the database, as the ORM lock query's
``populate_existing`` did. ``lock_case_rows`` does the same for the batch's cases: a ``CaseRow`` stand-in for each
(the fast path only reads a case, then writes it with a bulk UPDATE), or the refreshed ``Case`` the session already
holds. The per-clock path always gets a ``Case`` (``load_case``).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterable, NamedTuple, Sequence

from sqlalchemy import select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.sqltypes import NullType

from ...models import Case, Clock
from .sweep import _due, id_in

_CLOCK = Clock.__table__
_CASE = Case.__table__


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
    rows = [ClockRow(*row) for row in _select_locked(session, _CLOCK, COLUMNS, ids, *_due(now))]
    _refresh_held(session, Clock, (row.id for row in rows))
    return rows


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


def _held(session: Session, cls: type, ids) -> list[int]:
    """The ids whose object the session holds (an identity key built by hand: ``identity_key`` costs ~5 µs)."""
    identity_map = session.identity_map
    return [i for i in ids if (cls, (i,), None) in identity_map] if len(identity_map) else []


def _refresh_held(session: Session, cls: type, ids: Iterable[int]) -> list:
    """The objects of these ids the session holds, refreshed from the database (their rows are locked already, so a
    plain read does it), as the ORM lock queries' ``populate_existing`` did."""
    held = _held(session, cls, ids)
    if not held:
        return []
    return list(session.scalars(select(cls).where(cls.id.in_(held)).execution_options(populate_existing=True)))


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
    clock = session.identity_map.get((Clock, (clock_id,), None)) if len(session.identity_map) else None
    if clock is not None:
        for key, value in values.items():
            set_committed_value(clock, key, value)


# --- cases ----------------------------------------------------------------------------------------------------------


class _SessionOf:
    """What ``object_session`` reads of an instance state: lets a ladder lookup find the session of a ``CaseRow``."""

    __slots__ = ("session",)

    def __init__(self, session: Session):
        self.session = session


class CaseRow:
    """The columns of a case the fast path and a ladder lookup read, as plain attributes. A ladder lookup reading
    any other attribute fails, and the clock goes through the per-clock path with a ``Case``."""

    COLUMNS = ("id", "tracking_code", "kind", "workflow_id", "workflow_version", "state", "status", "unit_id",
               "assignee_id", "subject", "escalation_level", "priority", "version")
    __slots__ = COLUMNS + ("_sa_instance_state",)

    def __init__(self, values: Sequence, session_of: _SessionOf):
        for key, value in zip(self.COLUMNS, values):
            setattr(self, key, value)
        self._sa_instance_state = session_of


def lock_case_rows(session: Session, case_ids: Iterable[int]) -> dict[int, Case | CaseRow]:
    """``sweep.lock_cases`` without building ORM objects: a case another transaction holds is left out; a ``Case``
    the session holds is refreshed from the database and returned itself, any other as a ``CaseRow``."""
    session_of = _SessionOf(session)
    cases = {row[0]: CaseRow(row, session_of) for row in _select_locked(session, _CASE, CaseRow.COLUMNS,
                                                                        sorted(set(case_ids)))}
    for case in _refresh_held(session, Case, cases):
        cases[case.id] = case
    return cases


def load_case(session: Session, case: Case | CaseRow) -> Case:
    """The ``Case`` of a locked case, for the per-clock path (a ``CaseRow``'s values are those in the database)."""
    return case if isinstance(case, Case) else session.get(Case, case.id)


def case_written(session: Session, case: Case | CaseRow, values: dict) -> None:
    """A case's row was written by the fast path: it takes the values (as committed state, for a ``Case``)."""
    if isinstance(case, Case):
        for key, value in values.items():
            set_committed_value(case, key, value)
    else:
        for key, value in values.items():
            setattr(case, key, value)
