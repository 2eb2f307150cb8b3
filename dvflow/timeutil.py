"""The only place that reads the wall clock. Everything else takes `now` as an argument."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def to_local(instant: datetime) -> datetime:
    return instant.astimezone(TZ)


def local_date(instant: datetime) -> date:
    return instant.astimezone(TZ).date()


def local_midnight_utc(day: date) -> datetime:
    """The UTC instant at which local day `day` starts."""
    return datetime(day.year, day.month, day.day, tzinfo=TZ).astimezone(timezone.utc)
