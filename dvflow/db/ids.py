"""A filter on many ids that compiles to one statement whatever their number."""
from __future__ import annotations

from typing import Sequence

from sqlalchemy import ARRAY, Integer, any_, bindparam


def id_in(column, ids: Sequence[int], dialect: str):
    """``column IN (ids)``; on PostgreSQL ``column = ANY(:ids)``, one array parameter: psycopg would parse a statement
    of one bind parameter per id at every execution. Elsewhere one expanding parameter: the statement is compiled once."""
    if dialect == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=ARRAY(Integer)))
    return column.in_(bindparam(None, list(ids), expanding=True))
