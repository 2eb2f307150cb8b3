"""Tracking codes (KN-2026-000123) and the short secret printed beside them on the receipt."""
from __future__ import annotations

import secrets

from sqlalchemy import bindparam, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...models import TrackingCounter

SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read off paper


_counters = TrackingCounter.__table__
#: one statement takes the next number: the UPDATE locks the counter row until commit, so two intakes never share it
_BUMP = (update(_counters).where(_counters.c.prefix == bindparam("p"), _counters.c.year == bindparam("y"))
         .values(last=_counters.c.last + 1).returning(_counters.c.last))


def next_tracking_code(session: Session, prefix: str, year: int) -> str:
    """The next code for a prefix and year (the counter row is created on the year's first case)."""
    last = session.scalar(_BUMP, {"p": prefix, "y": year})
    if last is None:
        try:
            with session.begin_nested():  # another intake may create the year's row at the same moment
                session.execute(insert(_counters).values(prefix=prefix, year=year, last=0))
        except IntegrityError:
            pass
        last = session.scalar(_BUMP, {"p": prefix, "y": year})
    return f"{prefix}-{year}-{last:06d}"


def new_tracking_secret(length: int = 6) -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(length))
