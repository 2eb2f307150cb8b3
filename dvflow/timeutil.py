"""The only place that reads the wall clock. Everything else takes `now` as an argument.

The local time zone and the local date of an instant are the engine's (`dvflow.engine.calendar`): one definition for
the whole package, which the pure engine can use too.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from .engine.calendar import TZ, local_date, start_of_day_utc

__all__ = ["TZ", "local_date", "parse_day", "start_of_day_utc", "to_local", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def to_local(instant: datetime) -> datetime:
    return instant.astimezone(TZ)


def parse_day(value: str | None) -> date | None:
    """A day written YYYY-MM-DD (a command's option, a form's date input), None when absent or blank; ValueError
    otherwise, for the caller to word in its own way (a command's one line, a form's field)."""
    if not (value or "").strip():
        return None
    return datetime.strptime(value.strip(), "%Y-%m-%d").date()
