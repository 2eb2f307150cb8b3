"""Which cases a report counts as ended in a period, and which as still open at an instant: by the legal date each
ended on (`cases.closed_on`, the date of the act that closed it), never by the instant that act was entered
(`closed_at`). A reply dated 28/12/2026 and entered on 03/01/2027 resolved its case in 2026: it counts among 2026's
cases ended (results, timeliness, the chart's resolved bars, the scorecard's year), and was not open at the end of
2026. The twin of stopped.py for time limits: a legal date is a whole local day, so an act dated on the day of an
instant (a report read at noon) counts as done by then.

Every predicate here reads `closed_on`, the first column of ix_cases_closed_on (0043), which answers an "ended in
[first, end)" range and its "open" side (`closed_on IS NULL`, the same rows as `closed_at IS NULL` by 0043's CHECK)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, or_

from ...models import Case
from .stopped import first_day_after


def ended_within(first: date, end: date):
    """Ended on a legal date in the local days [first, end)."""
    return and_(Case.closed_on >= first, Case.closed_on < end)


def ended_by(until: datetime):
    """Ended by the instant `until`: on a legal date before the first local day not yet begun then."""
    return and_(Case.closed_on.is_not(None), Case.closed_on < first_day_after(until))


def open_at(until: datetime):
    """Not ended by the instant `until`: open, or ended on a legal date after it (entered later or not)."""
    return or_(Case.closed_on.is_(None), Case.closed_on >= first_day_after(until))
