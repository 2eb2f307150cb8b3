"""Keyset pagination and capped counts, for lists that grow without bound (cases, the inbox).

A deep page is read as "the next N rows older than the last one shown" — `(at, id) < (cursor)` in the index order —
so page 4,000 costs what page 1 does; OFFSET would read and drop every row before it. The cursor is that last row's
(timestamp, id), as an opaque URL-safe token. A count stops at CAP rows: exact when it is cheap, "more than 10,000"
when counting further would read the whole list.
"""
from __future__ import annotations

import base64
import binascii
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, literal_column, select, tuple_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ClauseElement, Executable

CAP = 10_000
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def encode_cursor(at: datetime, row_id: int) -> str:
    """The token of a row's place in the order: its timestamp (UTC, microseconds) and id."""
    aware = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
    micros = (aware - _EPOCH) // timedelta(microseconds=1)  # integers: a float would round the microseconds
    return base64.urlsafe_b64encode(f"{micros}.{row_id}".encode()).decode().rstrip("=")


def decode_cursor(token: str | None) -> tuple[datetime, int] | None:
    """The (timestamp, id) of a token; None for anything that is not one of ours (the list starts again)."""
    if not token or len(token) > 64:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
        micros, row_id = raw.split(".")
        at = _EPOCH + timedelta(microseconds=int(micros))
        ident = int(row_id)
    except (ValueError, UnicodeDecodeError, binascii.Error, OverflowError, OSError):
        return None
    if ident < 0 or ident >= 2 ** 63 or not 1970 <= at.year <= 9000:
        return None
    return at, ident


def older_than(query, at_column, id_column, cursor: tuple[datetime, int]):
    """The rows after `cursor` in (at DESC, id DESC) order: one row comparison, which a B-tree on (..., at, id)
    serves as a range."""
    return query.where(tuple_(at_column, id_column) < tuple_(*cursor))


def capped_count(session: Session, query, cap: int | None = None) -> int:
    """How many rows `query` has, counting at most cap + 1 (a result above `cap`, CAP by default, means "more
    than cap")."""
    cap = CAP if cap is None else cap
    # a constant instead of the rows' columns: the index alone may answer (an index-only scan)
    inner = (query.order_by(None).with_only_columns(literal_column("1"), maintain_column_froms=True)
             .limit(cap + 1).subquery())
    return session.scalar(select(func.count()).select_from(inner)) or 0


class _Explain(Executable, ClauseElement):
    """EXPLAIN (FORMAT JSON) of a statement, compiled with it (its parameters bound as for the statement itself)."""
    inherit_cache = False

    def __init__(self, statement) -> None:
        self.statement = statement


@compiles(_Explain, "postgresql")
def _explain_postgresql(element: _Explain, compiler, **kw) -> str:
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kw)


def estimated_count(session: Session, query) -> int:
    """How many rows `query` has by the planner's estimate (PostgreSQL; from the tables' statistics, without reading
    a row): for a figure shown as "about N" where an exact count would read the whole list. Elsewhere: the exact
    count."""
    if session.get_bind().dialect.name != "postgresql":
        return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    plan = session.scalar(_Explain(query.order_by(None)))
    return int(plan[0]["Plan"]["Plan Rows"])
