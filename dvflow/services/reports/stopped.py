"""Which time limits a report counts as stopped in a period, and which as still running at an instant: by the legal
date each stopped on (`clocks.closed_on`, the date of the act that stopped it), never by the instant that act was
entered (`closed_at`). A reply dated 28/12/2026 and entered on 03/01/2027 stopped its limit in 2026: it counts in
2026's figures (met, if its last day was not passed), and was not overdue at the end of 2026 (Bộ luật Dân sự 2015,
Điều 147-148: a time limit is counted in days, to the act's date).

A legal date is a whole local day: an act dated on the day of an instant (a report read at noon) counts as done by
then, as the law does not know the hour of a decision."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import or_

from ...models import Clock
from ...timeutil import local_date, start_of_day_utc

#: the stopped limits a rate counts (a cancelled one no longer applied)
COUNTED = ("met", "missed")


def first_day_after(until: datetime) -> date:
    """The first local day not yet begun at the instant `until`: the day itself at its very midnight (a period's
    end), the next day otherwise (now)."""
    day = local_date(until)
    return day if start_of_day_utc(day) == until else day + timedelta(days=1)


def stopped_within(first: date, end: date) -> tuple:
    """Met or missed, stopped on a legal date in the local days [first, end): the index ix_clocks_closed_on (legal
    date, case, state) answers it alone."""
    return Clock.closed_on >= first, Clock.closed_on < end, Clock.state.in_(COUNTED)


def running_at(until: datetime):
    """Not stopped by the instant `until`: open, or stopped on a legal date after it (entered later or not).
    "Open" is `closed_at IS NULL` (the same rows as `closed_on IS NULL`, by the CHECK of 0041), the predicate of the
    open clocks' partial indexes, so a planner can read each side of the OR from an index of its own."""
    return or_(Clock.closed_at.is_(None), Clock.closed_on >= first_day_after(until))
