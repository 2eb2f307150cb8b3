"""Tracking codes (KN-2026-000123) and the short secret printed beside them on the receipt."""
from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import TrackingCounter

SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read off paper


def next_tracking_code(session: Session, prefix: str, year: int) -> str:
    """The next code for a prefix and year; the counter row is locked so two intakes never share a number."""
    counter = session.scalar(
        select(TrackingCounter).where(TrackingCounter.prefix == prefix, TrackingCounter.year == year)
        .with_for_update())
    if counter is None:
        counter = TrackingCounter(prefix=prefix, year=year, last=0)
        session.add(counter)
        with session.begin_nested():
            session.flush()
    counter.last += 1
    session.flush()
    return f"{prefix}-{year}-{counter.last:06d}"


def new_tracking_secret(length: int = 6) -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(length))
