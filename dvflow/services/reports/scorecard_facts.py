"""The computed criteria of the scorecard (dvflow/engine/scorecard.py FORMULAS), counted for a unit's subtree and a
year: each returns a `Fact`, the value the criterion scores and what it counted (shown in the drill-down).

The year is the local calendar year; "at the year's end" means at its last instant, or now while the year runs
(`cutoff`). Cases voided count nowhere; follow-up tasks (internal work) count only in the commitments' criterion.

No data is not always "không phát sinh": a unit that registered nobody who must receive citizens, or whose cases
ended in the year without a single rating, has a `shortfall` (it scores zero, whatever the criterion's
`if_no_data`). The drill-down links list the cases each count counted: the case list's filters, with `pham_vi`
leaving out what the criterion leaves out (services/cases/list_filters.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Callable

from sqlalchemy import and_, distinct, exists, func, select
from sqlalchemy.orm import Session

from ...engine.calendar import WorkCalendar
from ...engine.reception.rules import ScheduleRules
from ...models import Case, Clock, Commitment, Rating
from ...timeutil import local_date, start_of_day_utc
from ..cases.matters import INTERNAL_KINDS, citizen_matter, rateable_matter
from ..cases.unit_on import Attribution, attribution, just_before
from ..dialogues import compliance as dialogue_compliance
from ..dialogues.rules import DialogueRules
from ..reception.compliance import in_office, official_compliance, serves_during
from ..reception.officials import list_officials
from .ended import ended_within, open_at
from .stopped import first_day_after, running_at, stopped_within

N_ = lambda s: s  # noqa: E731 - marks a label for extraction; the page translates it


@dataclass
class Year:
    """The year's bounds in UTC: [lo, hi), and the cutoff (hi, or now while the year runs)."""
    year: int
    now: datetime

    @property
    def first(self) -> date:
        return date(self.year, 1, 1)

    @property
    def last(self) -> date:
        return date(self.year, 12, 31)

    @property
    def end(self) -> date:
        """The day after the last: the local days [first, end)."""
        return date(self.year + 1, 1, 1)

    @property
    def lo(self) -> datetime:
        return start_of_day_utc(self.first)

    @property
    def hi(self) -> datetime:
        return start_of_day_utc(self.end)

    @property
    def cutoff(self) -> datetime:
        return min(self.hi, self.now)


@dataclass
class Fact:
    value: float | None
    #: (label, count) pairs: what was counted, for the drill-down
    counts: list[tuple[str, float]] = field(default_factory=list)
    #: the case-list filters of the cases behind it (None: no case list)
    case_filters: dict[str, str] | None = None
    #: the case-list filters of the cases behind each count, by the count's label (a rate's met and missed)
    count_filters: dict[str, dict[str, str]] = field(default_factory=dict)
    #: why there is no value though something was asked of the unit (a label the page translates): the criterion
    #: then scores zero, whatever its `if_no_data`
    shortfall: str | None = None


@dataclass
class Context:
    """What the formulas read besides the session: the rule files and the working calendar."""
    schedule_rules: ScheduleRules
    dialogue_rules: DialogueRules
    calendar: WorkCalendar
    #: what two criteria of one computation both read, read once (a Context lives for one request)
    memo: dict = field(default_factory=dict)


def _on(session: Session, units: set[int], when, by_day: bool = False) -> Attribution:
    """The unit each case was in at `when` (the fact's date; `by_day`: a local day) and the filter "in one of `units`
    then": a case a merger moved counts under the unit it was in on that day (services/cases/unit_on.py)."""
    return attribution(session, units, when, by_day)


# --- tallies: each criterion counted once for many units, per unit (GROUP BY unit_id) ------------------------------
#
# A board scores every peer unit over its subtree. Counting each peer's subtree in turn ran every query once per
# peer (35 communes x 9 queries, each over the year's cases); instead each criterion is counted ONCE over the union of
# the subtrees, grouped by the unit the case (or official, or commune) belongs to, and a subtree's figure is the sum
# of its units' tallies: every count here is additive, because a case belongs to exactly one unit.

Tally = dict[int, tuple[float, ...]]


def subtree_sum(tally: Tally, units: set[int], width: int) -> tuple[float, ...]:
    """The sum of the tallies of `units` (a unit without a row counted nothing)."""
    total = [0] * width
    for unit in units:
        for i, n in enumerate(tally.get(unit, ())):
            total[i] += n
    return tuple(total)


def _add(tally: dict[int, list], unit: int, width: int, i: int, n: float) -> None:
    tally.setdefault(unit, [0] * width)[i] += n


def _first_case_stopped(session: Session, y: Year, ctx: Context) -> int:
    """The oldest case with a time limit stopped in the year (0: none). The join of _clock_tally reads the cases
    from there on (a year's stopped clocks belong to recent cases: at 1M cases, the newest 15%) rather than every
    case; read first, from the clocks' index, so the planner sees the value (a subquery's would be unknown to it)."""
    key = ("first_case_stopped", y.year, y.cutoff)
    if key not in ctx.memo:
        # `+ 0`: min() over the clocks' case index, stopping at the first match, would walk most of that index
        ctx.memo[key] = session.scalar(select(func.min(Clock.case_id + 0)).where(*_stopped_in(y))) or 0
    return ctx.memo[key]


def _stopped_in(y: Year) -> tuple:
    # by the legal date each stopped on (stopped.py): a limit stopped on 28/12 and entered in January is this year's
    return stopped_within(y.first, first_day_after(y.cutoff))


def _clock_tally(session: Session, units: set[int], y: Year, ctx: Context, internal: bool) -> Tally:
    """(met, missed, overdue at the cutoff) per unit, of the time limits of the units' cases: stopped in the year,
    or still running at the cutoff past their end; of follow-up tasks only (internal) or of every other kind. Then
    the same three as numbers of cases, what the drill-down lists show (a case has several limits). A subtree sums
    its units' cases: a case counts twice only if its limits stopped in two of them (a merger inside the subtree
    in the year), the list showing it once."""
    kinds = Case.kind.in_(INTERNAL_KINDS) if internal else Case.kind.not_in(INTERNAL_KINDS)
    commitment = (exists().where(Commitment.case_id == Case.id),) if internal else ()
    out: dict[int, list] = {}
    first_case = _first_case_stopped(session, y, ctx)
    cases = func.count(distinct(Clock.case_id))
    # count(*): the clocks' and the cases' covering indexes (0026, 0028) answer alone, without reading either table
    # a time limit met or missed counts for the unit that had the case on the legal day it stopped
    at = _on(session, units, Clock.closed_on, by_day=True)
    stopped = (select(at.unit, Clock.state, func.count(), cases).select_from(Clock)
               .join(Case, Clock.case_id == Case.id)
               .where(Case.voided_at.is_(None), at.where, kinds, *commitment, *_stopped_in(y),
                      Case.id >= first_case)
               .group_by(at.unit, Clock.state))
    for unit, state, n, of_cases in session.execute(stopped):
        _add(out, unit, 6, 0 if state == "met" else 1, n)
        _add(out, unit, 6, 3 if state == "met" else 4, of_cases)
    at = _on(session, units, just_before(y.cutoff))
    overdue = (select(at.unit, func.count(), cases).select_from(Clock).join(Case, Clock.case_id == Case.id)
               .where(Case.voided_at.is_(None), at.where, kinds, *commitment, Clock.started_at < y.cutoff,
                      Clock.due_at.is_not(None), Clock.due_at < y.cutoff, running_at(y.cutoff))
               .group_by(at.unit))
    for unit, n, of_cases in session.execute(overdue):
        _add(out, unit, 6, 2, n)
        _add(out, unit, 6, 5, of_cases)
    return {u: tuple(v) for u, v in out.items()}


def _rate_fact(met: int, missed: int, overdue: int, filters: dict[str, str] | None) -> Fact:
    total = met + missed + overdue
    return Fact(round(100 * met / total, 2) if total else None,
                [(N_("Đúng hạn"), met), (N_("Trễ hạn"), missed), (N_("Quá hạn cuối năm"), overdue)], filters)


#: the case list's scope of the criteria that leave out follow-up tasks (internal work) only
NOT_INTERNAL = {"pham_vi": "tru_noi_bo"}
#: the counts of cases behind the rate's counts of time limits, each with its list
CASE_COUNTS = (N_("Hồ sơ đúng hạn"), N_("Hồ sơ trễ hạn"), N_("Hồ sơ quá hạn cuối năm"))


def _on_time_fact(unit_id: int, t: tuple, y: Year) -> Fact:
    """The rate over time limits, then the cases they belong to, with a list per count: the cases with a limit met,
    and with one missed, in the year (the list's `thoi_han`, without which it would ignore the dates), and those
    overdue now while the year runs. The links go on the cases' counts: a list shows cases, not limits."""
    fact = _rate_fact(*t[:3], None)
    fact.counts += list(zip(CASE_COUNTS, t[3:]))
    stopped = {"don_vi": str(unit_id), **NOT_INTERNAL, "thoi_han_tu": y.first.isoformat(),
               "thoi_han_den": y.last.isoformat()}
    fact.count_filters = {label: {**stopped, "thoi_han": state} for label, state in zip(CASE_COUNTS, ("met", "missed"))}
    overdue = _overdue_filters(unit_id, y)
    if overdue is not None:
        fact.count_filters[CASE_COUNTS[2]] = overdue
    return fact


def _overdue_tally(session: Session, units: set[int], y: Year) -> Tally:
    """Per unit: the cases open at the cutoff with a time limit then past its end."""
    open_then = and_(Case.received_at < y.cutoff, open_at(y.cutoff))  # not ended by then (its legal date)
    late_clock = exists().where(Clock.case_id == Case.id, Clock.started_at < y.cutoff, Clock.due_at.is_not(None),
                                Clock.due_at < y.cutoff, running_at(y.cutoff))
    at = _on(session, units, just_before(y.cutoff))
    query = (select(at.unit, func.count()).select_from(Case)
             .where(Case.voided_at.is_(None), at.where, Case.kind.not_in(INTERNAL_KINDS), open_then, late_clock)
             .group_by(at.unit))
    return {u: (n,) for u, n in session.execute(query)}


def _overdue_filters(unit_id: int, y: Year) -> dict[str, str] | None:
    """The cases overdue at the cutoff, while it is now (the list shows today's overdue: none for a past year)."""
    return {"don_vi": str(unit_id), **NOT_INTERNAL, "qua_han": "1"} if y.hi > y.now else None


def _overdue_fact(unit_id: int, t: tuple, y: Year) -> Fact:
    n = int(t[0])
    return Fact(float(n), [(N_("Hồ sơ quá hạn"), n)], _overdue_filters(unit_id, y))


def _mass_tally(session: Session, units: set[int], y: Year) -> Tally:
    """Per unit: the mass matters received in the year, those of the periodic report's intake (a mass letter and
    the case it was handed off into are one matter, counted as that case)."""
    at = _on(session, units, Case.received_at)
    query = (select(at.unit, func.count()).select_from(Case)
             .where(Case.voided_at.is_(None), at.where, citizen_matter(), Case.mass.is_(True),
                    Case.received_at >= y.lo, Case.received_at < y.hi)
             .group_by(at.unit))
    return {u: (n,) for u, n in session.execute(query)}


def _mass_fact(unit_id: int, t: tuple, y: Year) -> Fact:
    n = int(t[0])
    return Fact(float(n), [(N_("Vụ việc đông người"), n)],
                {"don_vi": str(unit_id), "pham_vi": "vu_viec", "dong_nguoi": "1", "nhan_tu": y.first.isoformat(),
                 "nhan_den": y.last.isoformat()})


def _satisfaction_tally(session: Session, units: set[int], y: Year) -> Tally:
    """Per unit: (ratings given in the year, the sum of their scores, rateable matters closed in the year)."""
    out: dict[int, list] = {}
    at = _on(session, units, Rating.created_at)
    rated = (select(at.unit, func.count(Rating.id), func.coalesce(func.sum(Rating.score), 0))
             .join(Case, Case.id == Rating.case_id)
             .where(Case.voided_at.is_(None), at.where, Rating.created_at >= y.lo, Rating.created_at < y.hi)
             .group_by(at.unit))
    for unit, count, total in session.execute(rated):
        _add(out, unit, 3, 0, count)
        _add(out, unit, 3, 1, total)
    # the matters a citizen could rate: a letter's hand-off closes the letter, not the matter, and an anonymous
    # tip has no citizen to rate it (matters.py)
    # ended in the year by the legal date of the closing act (ended.py), under the unit the case was in that day
    at = _on(session, units, Case.closed_on, by_day=True)
    closed = (select(at.unit, func.count()).select_from(Case)
              .where(Case.voided_at.is_(None), at.where, rateable_matter(), ended_within(y.first, y.end))
              .group_by(at.unit))
    for unit, n in session.execute(closed):
        _add(out, unit, 3, 2, n)
    return {u: tuple(v) for u, v in out.items()}


def _satisfaction_fact(unit_id: int, t: tuple, y: Year) -> Fact:
    """No rating: "không phát sinh" when no matter ended in the year (nothing to rate), a shortfall when some did."""
    count, total, closed = int(t[0]), int(t[1]), int(t[2])
    shortfall = N_("Có hồ sơ kết thúc trong năm nhưng không có lượt đánh giá nào") if closed and not count else None
    return Fact(round(total / count, 2) if count else None,
                [(N_("Lượt đánh giá"), count), (N_("Tổng điểm"), total), (N_("Hồ sơ kết thúc trong năm"), closed)],
                shortfall=shortfall)


#: the engine judges a month (or week) missed once it is over: on the day after it. The last ISO week counted in
#: December (its Thursday on 31/12 at the latest) ends on 3 January at the latest, so a finished year is judged
#: whole from 4 January on, and its figure no longer moves.
YEAR_JUDGED_AFTER = timedelta(days=4)


def _reception_tally(session: Session, units: set[int], y: Year, ctx: Context) -> Tally:
    """Per unit of the officials: (days due so far, days held, officials whose position owes days in the year).
    Held counts delegations where the rule allows, and never more than a month (or week) required: extra days in
    one week never make up for another; the days still ahead in the year are not yet owed."""
    today = min(y.last + YEAR_JUDGED_AFTER, local_date(y.now))
    out: dict[int, list] = {}
    for official in list_officials(session, units):
        if not serves_during(official, y.first, y.last):  # their unit's lifetime included
            continue
        first, last = in_office(official)  # the position's days within the unit's lifetime
        days = max(first, y.first), min(last or y.last, y.last)
        if ctx.schedule_rules.position(official.position).in_force_during(*days):
            _add(out, official.unit_id, 3, 2, 1)
        c = official_compliance(session, ctx.schedule_rules, ctx.calendar, official, y.first, y.last, today)
        for m in c.months:
            owed = m.required - m.outstanding
            _add(out, official.unit_id, 3, 0, owed)
            # owed − missed, as the engine counts each week apart (min(owed, held) let 4 days of one week stand for
            # 3 empty weeks: LTCD Art 15(2)(d) "ít nhất 01 ngày trong 01 tuần")
            _add(out, official.unit_id, 3, 1, owed - m.missed)
    return {u: tuple(v) for u, v in out.items()}


def _reception_fact(unit_id: int, t: tuple, y: Year) -> Fact:
    due, held = int(t[0]), int(t[1])
    return Fact(round(100 * held / due, 2) if due else None, [(N_("Ngày đã tiếp"), held), (N_("Ngày phải tiếp"), due)])


#: the reception criterion's shortfall: the scored unit's own head owes reception days (Luật Tiếp công dân 2013,
#: Điều 12 khoản 5: Chủ tịch UBND cấp tỉnh; Điều 15 khoản 2 điểm d: Chủ tịch UBND cấp xã; Điều 18 khoản 2: thủ trưởng
#: cơ quan hành chính nhà nước), so a unit that registered nobody whose position owes days in the year is not a
#: unit of which nothing was asked: it keeps no record of days it owes
NO_RECEPTION_OFFICIAL = N_("Chưa khai báo người có trách nhiệm tiếp công dân")


def _reception_duty(own: tuple) -> str | None:
    """The unit's own officials (not its subtree's: a sub-unit's head does not stand for the unit's)."""
    return NO_RECEPTION_OFFICIAL if not own or not own[2] else None


def _conference_tally(session: Session, units: set[int], y: Year, ctx: Context) -> Tally:
    """Per commune: (conferences required, conferences held, at most the required)."""
    summary = dialogue_compliance.per_commune(session, units, y.year, ctx.dialogue_rules)
    return {r.unit.id: (r.required, min(len(r.held), r.required)) for r in summary.rows}


def _conference_fact(unit_id: int, t: tuple, y: Year) -> Fact:
    required, held = int(t[0]), int(t[1])
    return Fact(round(100 * held / required, 2) if required else None,
                [(N_("Hội nghị đã tổ chức"), held), (N_("Hội nghị phải tổ chức"), required)])


@dataclass(frozen=True)
class Formula:
    """A computed criterion: `tally` counts it per unit over many units at once; `fact` turns a subtree's summed
    tally into what the criterion scores; `duty`, where set, reads the scored unit's own tally for a shortfall of
    its own (what it alone had to do)."""
    tally: Callable[[Session, set[int], Year, Context], Tally]
    width: int
    fact: Callable[[int, tuple, Year], Fact]
    duty: Callable[[tuple], str | None] | None = None

    def of(self, tally: Tally, unit_id: int, units: set[int], y: Year) -> Fact:
        """The criterion of one unit over `units` (its subtree), from a tally that covers them."""
        fact = self.fact(unit_id, subtree_sum(tally, units, self.width), y)
        shortfall = self.duty(tally.get(unit_id, ())) if self.duty is not None else None
        return replace(fact, value=None, shortfall=shortfall) if shortfall else fact

    def __call__(self, session: Session, unit_id: int, units: set[int], y: Year, ctx: Context) -> Fact:
        """The criterion of one unit over `units` (its subtree)."""
        return self.of(self.tally(session, units, y, ctx), unit_id, units, y)


on_time_rate = Formula(lambda s, units, y, ctx: _clock_tally(s, units, y, ctx, internal=False), 6, _on_time_fact)
commitments_on_time_rate = Formula(lambda s, units, y, ctx: _clock_tally(s, units, y, ctx, internal=True), 6,
                                   lambda unit_id, t, y: _rate_fact(*t[:3], None))
overdue_at_year_end = Formula(lambda s, units, y, ctx: _overdue_tally(s, units, y), 1, _overdue_fact)
mass_cases = Formula(lambda s, units, y, ctx: _mass_tally(s, units, y), 1, _mass_fact)
satisfaction_average = Formula(lambda s, units, y, ctx: _satisfaction_tally(s, units, y), 3, _satisfaction_fact)
reception_days_ratio = Formula(_reception_tally, 3, _reception_fact, _reception_duty)
dialogue_conferences_ratio = Formula(_conference_tally, 2, _conference_fact)

FORMULAS: dict[str, Formula] = {
    "on_time_rate": on_time_rate, "overdue_at_year_end": overdue_at_year_end,
    "reception_days_ratio": reception_days_ratio, "dialogue_conferences_ratio": dialogue_conferences_ratio,
    "satisfaction_average": satisfaction_average, "mass_cases": mass_cases,
    "commitments_on_time_rate": commitments_on_time_rate}
