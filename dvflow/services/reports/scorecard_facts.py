"""The computed criteria of the scorecard (dvflow/engine/scorecard.py FORMULAS), counted for a unit's subtree and a
year: each returns a `Fact`, the value the criterion scores and what it counted (shown in the drill-down).

The year is the local calendar year; "at the year's end" means at its last instant, or now while the year runs
(`cutoff`). Cases voided count nowhere; follow-up tasks (internal work) count only in the commitments' criterion.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from ...engine.calendar import WorkCalendar
from ...engine.reception.rules import ScheduleRules
from ...models import Case, Clock, Commitment, Rating
from ...timeutil import local_date, start_of_day_utc
from ..dialogues import compliance as dialogue_compliance
from ..dialogues.rules import DialogueRules
from ..reception.compliance import official_compliance
from ..reception.officials import list_officials

INTERNAL_KINDS = ("follow_up",)
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
    def lo(self) -> datetime:
        return start_of_day_utc(self.first)

    @property
    def hi(self) -> datetime:
        return start_of_day_utc(date(self.year + 1, 1, 1))

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


@dataclass
class Context:
    """What the formulas read besides the session: the rule files and the working calendar."""
    schedule_rules: ScheduleRules
    dialogue_rules: DialogueRules
    calendar: WorkCalendar


def _units(units: set[int]):
    return Case.unit_id.in_(sorted(units) or [-1])


def _clock_rate(session: Session, units: set[int], y: Year, internal: bool) -> tuple[int, int, int]:
    """(met, missed, overdue at the cutoff) of the time limits of the units' cases: stopped in the year, or still
    running at the cutoff past their end; of follow-up tasks only (internal) or of every other kind."""
    kinds = Case.kind.in_(INTERNAL_KINDS) if internal else Case.kind.not_in(INTERNAL_KINDS)
    base = (select(Clock.state, func.count(Clock.id)).join(Case, Clock.case_id == Case.id)
            .where(Case.voided_at.is_(None), _units(units), kinds))
    if internal:
        base = base.where(exists().where(Commitment.case_id == Case.id))
    stopped = dict(session.execute(base.where(Clock.closed_at >= y.lo, Clock.closed_at < y.cutoff,
                                              Clock.state.in_(("met", "missed"))).group_by(Clock.state)).all())
    overdue = session.scalar(
        select(func.count(Clock.id)).join(Case, Clock.case_id == Case.id)
        .where(Case.voided_at.is_(None), _units(units), kinds, Clock.started_at < y.cutoff,
               Clock.due_at.is_not(None), Clock.due_at < y.cutoff,
               or_(Clock.closed_at.is_(None), Clock.closed_at >= y.cutoff),
               *((exists().where(Commitment.case_id == Case.id),) if internal else ()))) or 0
    return stopped.get("met", 0), stopped.get("missed", 0), overdue


def _rate_fact(met: int, missed: int, overdue: int, filters: dict[str, str]) -> Fact:
    total = met + missed + overdue
    return Fact(round(100 * met / total, 2) if total else None,
                [(N_("Đúng hạn"), met), (N_("Trễ hạn"), missed), (N_("Quá hạn cuối năm"), overdue)], filters)


def on_time_rate(session: Session, unit_id: int, units: set[int], y: Year, ctx: Context) -> Fact:
    met, missed, overdue = _clock_rate(session, units, y, internal=False)
    return _rate_fact(met, missed, overdue, {"don_vi": str(unit_id), "thoi_han_tu": y.first.isoformat(),
                                             "thoi_han_den": y.last.isoformat()})


def commitments_on_time_rate(session: Session, unit_id: int, units: set[int], y: Year, ctx: Context) -> Fact:
    met, missed, overdue = _clock_rate(session, units, y, internal=True)
    return _rate_fact(met, missed, overdue, None)


def overdue_at_year_end(session: Session, unit_id: int, units: set[int], y: Year, ctx: Context) -> Fact:
    open_then = and_(Case.received_at < y.cutoff, or_(Case.closed_at.is_(None), Case.closed_at >= y.cutoff))
    late_clock = exists().where(Clock.case_id == Case.id, Clock.started_at < y.cutoff, Clock.due_at.is_not(None),
                                Clock.due_at < y.cutoff, or_(Clock.closed_at.is_(None), Clock.closed_at >= y.cutoff))
    n = session.scalar(select(func.count(Case.id)).where(Case.voided_at.is_(None), _units(units),
                                                          Case.kind.not_in(INTERNAL_KINDS), open_then,
                                                          late_clock)) or 0
    filters = {"don_vi": str(unit_id), "qua_han": "1"} if y.hi > y.now else None  # the list shows today's overdue
    return Fact(float(n), [(N_("Hồ sơ quá hạn"), n)], filters)


def mass_cases(session: Session, unit_id: int, units: set[int], y: Year, ctx: Context) -> Fact:
    n = session.scalar(select(func.count(Case.id)).where(
        Case.voided_at.is_(None), _units(units), Case.kind.not_in(INTERNAL_KINDS), Case.mass.is_(True),
        Case.received_at >= y.lo, Case.received_at < y.hi)) or 0
    return Fact(float(n), [(N_("Vụ việc đông người"), n)],
                {"don_vi": str(unit_id), "dong_nguoi": "1", "nhan_tu": y.first.isoformat(),
                 "nhan_den": y.last.isoformat()})


def satisfaction_average(session: Session, unit_id: int, units: set[int], y: Year, ctx: Context) -> Fact:
    count, total = session.execute(
        select(func.count(Rating.id), func.coalesce(func.sum(Rating.score), 0)).join(Case, Case.id == Rating.case_id)
        .where(Case.voided_at.is_(None), _units(units), Rating.created_at >= y.lo, Rating.created_at < y.hi)).one()
    return Fact(round(total / count, 2) if count else None, [(N_("Lượt đánh giá"), count), (N_("Tổng điểm"), total)])


def reception_days_ratio(session: Session, unit_id: int, units: set[int], y: Year, ctx: Context) -> Fact:
    """Days held (delegations counting where the rule allows, at most what a month required) over the days due so
    far (those still ahead in the year are not yet owed)."""
    today = min(y.last, local_date(y.now))
    due = held = 0
    for official in list_officials(session, units):
        if official.active_from > y.last or (official.active_to is not None and official.active_to < y.first):
            continue
        c = official_compliance(session, ctx.schedule_rules, ctx.calendar, official, y.first, y.last, today)
        for m in c.months:
            owed = m.required - m.outstanding
            due += owed
            held += min(owed, m.held + m.delegated_counted)
    return Fact(round(100 * held / due, 2) if due else None, [(N_("Ngày đã tiếp"), held), (N_("Ngày phải tiếp"), due)])


def dialogue_conferences_ratio(session: Session, unit_id: int, units: set[int], y: Year, ctx: Context) -> Fact:
    summary = dialogue_compliance.per_commune(session, units, y.year, ctx.dialogue_rules)
    required = sum(r.required for r in summary.rows)
    held = sum(min(len(r.held), r.required) for r in summary.rows)
    return Fact(round(100 * held / required, 2) if required else None,
                [(N_("Hội nghị đã tổ chức"), held), (N_("Hội nghị phải tổ chức"), required)])


FORMULAS = {f.__name__: f for f in (on_time_rate, overdue_at_year_end, reception_days_ratio,
                                     dialogue_conferences_ratio, satisfaction_average, mass_cases,
                                     commitments_on_time_rate)}
