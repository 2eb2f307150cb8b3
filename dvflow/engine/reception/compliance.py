"""Compliance of one official with the periodic-reception rule of their position, month by month.

Decisions (each tested in tests/engine/test_reception_compliance.py):

- Only the official's *periodic* sessions closed as *held* on a *working day* count. A held session on a day off
  (Sunday, a public holiday, an administrator's extra day off) is listed as not counted: the law's reception day is
  a working day at the reception office. Ad hoc sessions are counted apart: the law requires them on top.
- Several sessions on one day are one day.
- A session held by a delegate (``delegate_name``) is *delegated*; it counts only where the rule in force says so
  (``delegation_counts``). The shipped rules say no throughout: the law has the head receive "trực tiếp" (LTCD 2013
  Art 12(5), 13(5), 15(2)(d), 18(2); NĐ 64/2014 Art 4(2)), and Luật số 136/2025/QH15 keeps it so from 01/7/2026.
- A ``per: month`` rule is judged on calendar months; the rule of a month is the one in force on its first day in
  the period (the rules change on the first of a month). A period that cuts months (the cut-off reports run from
  the 15th to the 14th) owes the months whose 15th it holds, each whole, as a week belongs to the month of its
  Thursday: its sessions all count, the days before or after the period included. Owing each part of a cut month
  on its own made a 1-day month owe 2 in one report and 0 in the next, and showed a head who received on the first
  working day of every month as missing one.
- A ``per: week`` rule is judged on ISO weeks (Monday–Sunday); a week belongs to the month of its Thursday (ISO 8601),
  so each week is counted once; its days before or after the month count for it. A week with no working day (Tết)
  requires nothing; extra days in one week do not make up for another week.
- An official who held the position only part of a month (or week) owes the share of its working days they held it,
  rounded half up: 1 day a month is owed by whoever held the office at least half of the month's working days, so
  when heads change mid-month one of them owes it; 2 days a month require 1 for a quarter to three quarters of it.
- A month (or week) not over yet has no missed days; what it still requires is ``outstanding``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable, Protocol

from .rules import FrequencyRule, Position

ONE_DAY = timedelta(days=1)
#: the day of a month that says which period owes it when a period cuts months
MID_MONTH = 15


class Calendar(Protocol):
    def is_working_day(self, d: date) -> bool: ...
    def non_working_reason(self, d: date) -> str | None: ...


@dataclass(frozen=True)
class SessionFact:
    """What compliance needs of a reception session of the official."""

    id: int
    day: date
    kind: str
    status: str
    delegate_name: str | None = None
    delegation_reason: str | None = None


@dataclass(frozen=True)
class Delegated:
    session_id: int
    day: date
    delegate_name: str
    reason: str
    counts: bool


@dataclass(frozen=True)
class NotCounted:
    session_id: int
    day: date
    reason: str


@dataclass
class MonthCompliance:
    year: int
    month: int
    rules: list[FrequencyRule] = field(default_factory=list)
    required: int = 0
    held: int = 0
    delegated: list[Delegated] = field(default_factory=list)
    missed: int = 0
    outstanding: int = 0
    ad_hoc_held: int = 0
    not_counted: list[NotCounted] = field(default_factory=list)
    upcoming: list[SessionFact] = field(default_factory=list)

    @property
    def delegated_counted(self) -> int:
        return sum(1 for d in self.delegated if d.counts)


@dataclass
class Compliance:
    start: date
    end: date
    months: list[MonthCompliance]

    def total(self, name: str) -> int:
        """The sum over the months of required, held, missed, outstanding or ad_hoc_held; for delegated, the number
        of delegated days (counted or not)."""
        if name == "delegated":
            return sum(len(m.delegated) for m in self.months)
        return sum(getattr(m, name) for m in self.months)

    @property
    def upcoming(self) -> list[SessionFact]:
        return [s for m in self.months for s in m.upcoming]


@dataclass
class _Bucket:
    """A month (monthly rule) or an ISO week (weekly rule) with its requirement."""

    first: date
    last: date
    rule: FrequencyRule
    required: int


def _working_days(cal: Calendar, a: date, b: date) -> list[date]:
    out, d = [], a
    while d <= b:
        if cal.is_working_day(d):
            out.append(d)
        d += ONE_DAY
    return out


def _share(rule: FrequencyRule, cal: Calendar, first: date, last: date, active: tuple[date, date | None]) -> int:
    """The rule's days, pro rata to the working days of the month (or week) [first, last] the official held the
    position, rounded half up."""
    days = _working_days(cal, first, last)
    if not days:
        return 0
    counted = [d for d in days if active[0] <= d and (active[1] is None or d <= active[1])]
    # half up, in integers: rounding down let a head appointed on the month's second working day, the two heads of a
    # month whose head changed on the 2nd, and a report from the 1st to the 30th all owe nothing of a 1-day month
    return (2 * rule.days * len(counted) + len(days)) // (2 * len(days))


def _months(start: date, end: date) -> Iterable[tuple[date, date]]:
    d = start
    while d <= end:
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        yield d, min(nxt - ONE_DAY, end)
        d = nxt


def _buckets(position: Position, cal: Calendar, lo: date, hi: date, active) -> list[_Bucket]:
    """The requirement buckets of the month part [lo, hi]: the month itself, or the ISO weeks whose Thursday is in
    it."""
    out = []
    month_first = lo.replace(day=1)
    rule = position.rule_on(month_first if lo <= month_first.replace(day=MID_MONTH) <= hi else lo)
    if rule is not None and rule.per == "month" and lo <= month_first.replace(day=MID_MONTH) <= hi:
        month_last = date(lo.year + (lo.month == 12), lo.month % 12 + 1, 1) - ONE_DAY
        out.append(_Bucket(month_first, month_last, rule, _share(rule, cal, month_first, month_last, active)))
    thursday = lo + timedelta(days=(3 - lo.weekday()) % 7)
    while thursday <= hi:
        rule = position.rule_on(thursday)
        if rule is not None and rule.per == "week":
            monday = thursday - timedelta(days=3)
            sunday = monday + timedelta(days=6)
            out.append(_Bucket(monday, sunday, rule, _share(rule, cal, monday, sunday, active)))
        thursday += timedelta(days=7)
    return out


def _fill(month: MonthCompliance, bucket: _Bucket, sessions: list[SessionFact], cal: Calendar, today: date) -> None:
    held_days, delegated_days = set(), {}
    for s in sessions:
        if not (bucket.first <= s.day <= bucket.last) or s.kind != "periodic" or s.status != "held":
            continue
        if not cal.is_working_day(s.day):
            month.not_counted.append(NotCounted(s.id, s.day, cal.non_working_reason(s.day) or ""))
        elif s.delegate_name:
            delegated_days.setdefault(s.day, s)
        else:
            held_days.add(s.day)
    delegated = [s for d, s in sorted(delegated_days.items()) if d not in held_days]
    month.delegated += [Delegated(s.id, s.day, s.delegate_name or "", s.delegation_reason or "",
                                  bucket.rule.delegation_counts) for s in delegated]
    month.held += len(held_days)
    month.required += bucket.required
    short = max(0, bucket.required - len(held_days) - (len(delegated) if bucket.rule.delegation_counts else 0))
    if bucket.last < today:
        month.missed += short
    else:
        month.outstanding += short
    if bucket.rule not in month.rules:
        month.rules.append(bucket.rule)


def compute(position: Position, *, active_from: date, active_to: date | None, start: date, end: date,
            sessions: Iterable[SessionFact], calendar: Calendar, today: date) -> Compliance:
    """Month by month from `start` to `end` (inclusive): required, held in person, delegated, missed, outstanding,
    held sessions not counted, and the official's periodic sessions still to come."""
    facts = sorted(sessions, key=lambda s: (s.day, s.id))
    months = []
    for lo, hi in _months(start, end):
        month = MonthCompliance(lo.year, lo.month)
        for bucket in _buckets(position, calendar, lo, hi, (active_from, active_to)):
            _fill(month, bucket, facts, calendar, today)
        month.ad_hoc_held = len({s.day for s in facts if lo <= s.day <= hi and s.kind == "ad_hoc"
                                 and s.status == "held"})
        month.upcoming = [s for s in facts if lo <= s.day <= hi and s.day >= today and s.kind == "periodic"
                          and s.status in ("planned", "published")]
        months.append(month)
    return Compliance(start, end, months)
