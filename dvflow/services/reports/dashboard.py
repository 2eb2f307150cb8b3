"""Dashboard figures: pure read-only queries over the units a user may see.

Every function takes the session, the visible unit ids (None = every unit, as for supervisors and admins; an empty
set = no unit, so nothing is counted) and the dates or instants it reports on. Periods are calendar months, quarters
and years in local time (Asia/Ho_Chi_Minh); week charts use local weeks starting on Monday.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, distinct, func, select
from sqlalchemy.orm import Session

from ...models import Case, Clock, Rating, Unit
from ...timeutil import start_of_day_utc
from ..cases.matters import INTERNAL_KINDS, citizen_matter
from ..cases.unit_on import attribution, unit_at
from . import ended, stopped
from .sqltime import date_month, date_week, from_epoch_day, local_month, local_week

PERIODS = ("month", "quarter", "year")


def _in_units(query, column, unit_ids: set[int] | None):
    """The query limited to the units, and to the cases not voided (a voided case counts in no figure): every
    query here reads `cases`."""
    query = query.where(Case.voided_at.is_(None))
    if unit_ids is None:
        return query
    return query.where(column.in_(sorted(unit_ids) or [-1]))


def _in_units_on(session: Session, query, when, unit_ids: set[int] | None, by_day: bool = False):
    """`_in_units` for a figure dated `when`: a case a merger moved counts in the units it was in then (unit_on.py),
    as the case list the figure links to filters it."""
    query = query.where(Case.voided_at.is_(None))
    if unit_ids is None:
        return query
    return query.where(attribution(session, unit_ids, when, by_day).where)


# --- open cases ---------------------------------------------------------------------------------------------------

def open_cases_by_kind_state(session: Session, unit_ids: set[int] | None) -> list[tuple[str, str, int]]:
    """(kind, state, count) of the cases not yet closed (open or suspended), by kind then state."""
    # count(*): the open cases' partial index (unit, kind, state) answers alone
    query = (select(Case.kind, Case.state, func.count()).select_from(Case).where(Case.status != "closed")
             .group_by(Case.kind, Case.state).order_by(Case.kind, Case.state))
    return [(k, s, n) for k, s, n in session.execute(_in_units(query, Case.unit_id, unit_ids))]


# --- overdue ------------------------------------------------------------------------------------------------------

@dataclass
class OverdueCase:
    case_id: int
    tracking_code: str
    clock_label: str
    due_date: date | None
    due_at: datetime


@dataclass
class UnitOverdue:
    unit_id: int
    unit_name: str
    cases: list[OverdueCase] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cases)


def overdue_by_unit(session: Session, unit_ids: set[int] | None, now: datetime) -> list[UnitOverdue]:
    """Cases with an open clock past its end (due_at < now, closed_at IS NULL), grouped by unit.

    A case with several overdue clocks is listed once, with its earliest overdue clock. Units with the most overdue
    cases come first.
    """
    query = (select(Unit.id, Unit.name, Case.id, Case.tracking_code, Clock.label, Clock.name, Clock.due_date,
                    Clock.due_at)
             .join(Case, Clock.case_id == Case.id).join(Unit, Case.unit_id == Unit.id)
             .where(Clock.closed_at.is_(None), Clock.due_at.is_not(None), Clock.due_at < now)
             .order_by(Unit.name, Clock.due_at, Case.id))
    units: dict[int, UnitOverdue] = {}
    seen: set[int] = set()
    for unit_id, unit_name, case_id, code, label, name, due_date, due_at in session.execute(
            _in_units(query, Case.unit_id, unit_ids)):
        if case_id in seen:
            continue
        seen.add(case_id)
        units.setdefault(unit_id, UnitOverdue(unit_id, unit_name)).cases.append(
            OverdueCase(case_id, code, label or name, due_date, due_at))
    return sorted(units.values(), key=lambda u: (-u.count, u.unit_name))


# --- on-time rate -------------------------------------------------------------------------------------------------

def period_bounds(today: date, period: str) -> tuple[date, date]:
    """[start, end) of the calendar month, quarter or year containing `today`."""
    if period == "year":
        return date(today.year, 1, 1), date(today.year + 1, 1, 1)
    first_month = today.month if period == "month" else 3 * ((today.month - 1) // 3) + 1
    months = 1 if period == "month" else 3
    start = date(today.year, first_month, 1)
    end_month = first_month + months
    end = date(today.year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
    return start, end


@dataclass
class OnTime:
    """The time limits of the period: met and missed among those that stopped in it, and those overdue now; and the
    cases they belong to, the figures the case list shows (a case has several limits: acceptance, resolution).

    The headline rate is met / (met + missed + overdue now): a limit still running past its end is as late as one
    that stopped late, so leaving it out (the old figure) read 100% while cases lay overdue. `rate_stopped` keeps the
    narrower figure over the limits that stopped, shown beside it."""
    met: int
    missed: int
    overdue_open: int
    met_cases: int = 0
    missed_cases: int = 0
    overdue_cases: int = 0

    @property
    def rate(self) -> float | None:
        total = self.met + self.missed + self.overdue_open
        return self.met / total if total else None

    @property
    def rate_stopped(self) -> float | None:
        total = self.met + self.missed
        return self.met / total if total else None


def on_time(session: Session, unit_ids: set[int] | None, start: date, end: date, now: datetime,
            overdue_open: int | None = None, overdue_cases: int = 0) -> OnTime:
    """Clocks stopped on a legal date in local days [start, end): met vs missed; plus the open clocks overdue at
    `now` and their cases (counted here unless given: the dashboard passes the overdue list's counts, read by the
    same query as its units'). Each with the number of cases they belong to, what each figure's list shows.

    Cancelled clocks (the limit no longer applied) are not counted, nor are follow-up tasks (internal work, not a
    citizen's matter: they have their own list)."""
    # by the legal date each limit stopped on, not the day it was entered (stopped.py)
    query = (select(Clock.state, func.count(), func.count(distinct(Clock.case_id))).select_from(Clock)
             .join(Case, Clock.case_id == Case.id)
             .where(*stopped.stopped_within(start, end), Case.kind.not_in(INTERNAL_KINDS))
             .group_by(Clock.state))
    counts = {state: (n, cases) for state, n, cases in
              session.execute(_in_units_on(session, query, Clock.closed_on, unit_ids, by_day=True))}
    if overdue_open is None:
        overdue = (select(func.count(), func.count(distinct(Clock.case_id))).select_from(Clock)
                   .join(Case, Clock.case_id == Case.id)
                   .where(Clock.closed_at.is_(None), Clock.due_at.is_not(None), Clock.due_at < now,
                          Case.kind.not_in(INTERNAL_KINDS)))
        overdue_open, overdue_cases = session.execute(_in_units(overdue, Case.unit_id, unit_ids)).one()
    (met, met_cases), (missed, missed_cases) = counts.get("met", (0, 0)), counts.get("missed", (0, 0))
    return OnTime(met=met, missed=missed, overdue_open=overdue_open, met_cases=met_cases,
                  missed_cases=missed_cases, overdue_cases=overdue_cases)


# --- weekly flow --------------------------------------------------------------------------------------------------

@dataclass
class Week:
    start: date  # the Monday
    received: int = 0
    resolved: int = 0

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def label(self) -> str:
        return f"{self.start:%d/%m}–{self.end:%d/%m}"


@dataclass
class Month:
    start: date  # the first of the month
    received: int = 0
    resolved: int = 0

    @property
    def end(self) -> date:
        following = date(self.start.year + self.start.month // 12, self.start.month % 12 + 1, 1)
        return following - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.start:%m/%Y}"


def weekly_flow(session: Session, unit_ids: set[int] | None, today: date, weeks: int = 12) -> list[Week]:
    """Citizens' matters received (received_at) and resolved (by the legal date they ended on, closed_on: ended.py)
    per local week, the last `weeks` weeks up to today's, counted by the database (GROUP BY the local week). The
    matters are those of the periodic report's intake and results (matters.citizen_matter): a letter and the case it
    was handed off into count once, as that case."""
    current = today - timedelta(days=today.weekday())
    rows = [Week(current - timedelta(weeks=i)) for i in range(weeks - 1, -1, -1)]
    first, end = rows[0].start, current + timedelta(days=7)
    index = {w.start: w for w in rows}
    flows = ((Case.received_at, local_week(Case.received_at), _received_within(first, end), False, "received"),
             (Case.closed_on, date_week(Case.closed_on), ended.ended_within(first, end), True, "resolved"))
    for column, week, within, by_day, attr in flows:
        query = select(week, func.count()).select_from(Case).where(within, citizen_matter()).group_by(week)
        for monday, n in session.execute(_in_units_on(session, query, column, unit_ids, by_day)):
            row = index.get(from_epoch_day(monday))
            if row is not None:
                setattr(row, attr, n)
    return rows


def _received_within(first: date, end: date):
    return and_(Case.received_at >= start_of_day_utc(first), Case.received_at < start_of_day_utc(end))


def monthly_flow(session: Session, unit_ids: set[int] | None, today: date, months: int = 12) -> list[Month]:
    """Citizens' matters received and resolved per local month, the last `months` months up to today's, GROUP BY in
    SQL: a month's figures are the periodic calendar month report's intake and results totals."""
    firsts = []
    year, month = today.year, today.month
    for _ in range(months):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    rows = [Month(d) for d in reversed(firsts)]
    first, end = rows[0].start, rows[-1].end + timedelta(days=1)
    index = {m.start.strftime("%Y-%m"): m for m in rows}
    flows = ((Case.received_at, local_month(Case.received_at), _received_within(first, end), False, "received"),
             (Case.closed_on, date_month(Case.closed_on), ended.ended_within(first, end), True, "resolved"))
    for column, key, within, by_day, attr in flows:
        query = select(key, func.count()).select_from(Case).where(within, citizen_matter()).group_by(key)
        for month_key, n in session.execute(_in_units_on(session, query, column, unit_ids, by_day)):
            if month_key in index:
                setattr(index[month_key], attr, n)
    return rows


def ratings_by_unit(session: Session, unit_ids: set[int] | None, start: date, end: date
                    ) -> list[tuple[str, int, int]]:
    """(unit name, ratings given in local days [start, end), sum of their scores) per unit of the rated cases, by
    name: counted by the database (a year of ratings is tens of thousands of rows at a province's scale). A voided
    case's ratings are left out, as in the periodic report's satisfaction and the scorecard's average."""
    # the unit the case was in when rated (a case a merger moved afterwards: the dissolved unit's rating)
    rated_in = unit_at(session, Rating.created_at)
    query = (select(Unit.name, func.count(Rating.id), func.sum(Rating.score))
             .select_from(Rating).join(Case, Case.id == Rating.case_id).join(Unit, Unit.id == rated_in)
             .where(Rating.created_at >= start_of_day_utc(start), Rating.created_at < start_of_day_utc(end))
             .group_by(Unit.id, Unit.name).order_by(Unit.name))
    rows = session.execute(_in_units_on(session, query, Rating.created_at, unit_ids))
    return [(name, int(n), int(total)) for name, n, total in rows]


def totals_by_kind(rows: list[tuple[str, str, int]]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for kind, _state, n in rows:
        out[kind] += n
    return dict(out)
