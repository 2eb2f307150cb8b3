"""Compliance of the officials with their periodic-reception rule, for pages, the API and reports: loads the facts,
the engine (dvflow/engine/reception/compliance.py) computes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...engine.calendar import FIRST_YEAR, LAST_YEAR, WorkCalendar, supported_year
from ...engine.reception.compliance import Compliance, SessionFact, compute
from ...engine.reception.rules import ScheduleRules, load_rules
from ...models import ReceptionOfficial, ReceptionSession, User
from ..errors import N_, ServiceError
from .officials import list_officials
from .schedule_access import viewing_units

PERIOD_KINDS = ("month", "quarter", "year", "range")
#: a week belongs to the month of its Thursday, and a month cut by the period to the period holding its 15th: their
#: days before or after the period count for them (a month's, up to 30 days away)
SPILL = timedelta(days=31)


@lru_cache(maxsize=4)
def schedule_rules(workflows_dir: str) -> ScheduleRules:
    """The frequency rules of workflows/reception/schedule_rules.yaml, read once per directory."""
    return load_rules(Path(workflows_dir))


def period_bounds(kind: str, anchor: date, end: date | None = None) -> tuple[date, date]:
    """The month, quarter or year holding `anchor`, or the range anchor–end; days in the supported years only (the
    facts are read a month around them: SPILL)."""
    _check_year(anchor, "day", N_("Ngày"))
    if end is not None:
        _check_year(end, "to", N_("Đến ngày"))
    if kind == "month":
        nxt = date(anchor.year + (anchor.month == 12), anchor.month % 12 + 1, 1)
        return anchor.replace(day=1), nxt - timedelta(days=1)
    if kind == "quarter":
        first = (anchor.month - 1) // 3 * 3 + 1
        nxt = date(anchor.year + (first == 10), (first + 2) % 12 + 1, 1)
        return date(anchor.year, first, 1), nxt - timedelta(days=1)
    if kind == "year":
        return date(anchor.year, 1, 1), date(anchor.year, 12, 31)
    if kind == "range":
        if end is None or end < anchor:
            raise ServiceError("Đến ngày: phải từ ngày bắt đầu trở đi.", field="to")
        if (end - anchor).days > 3 * 366:
            raise ServiceError("Khoảng thời gian: tối đa 3 năm.", field="to")
        return anchor, end
    raise ServiceError("Kỳ: chọn tháng, quý, năm hoặc khoảng ngày.", field="period")


def _check_year(day: date, field: str, label: str) -> None:
    if not supported_year(day.year):
        raise ServiceError("%(label)s: chọn ngày từ năm %(first)s đến năm %(last)s.", field=field, label=label,
                           first=FIRST_YEAR, last=LAST_YEAR)


def _facts(session: Session, official_id: int, start: date, end: date) -> list[SessionFact]:
    rows = session.execute(select(ReceptionSession.id, ReceptionSession.day, ReceptionSession.kind,
                                  ReceptionSession.status, ReceptionSession.delegate_name,
                                  ReceptionSession.delegation_reason)
                           .where(ReceptionSession.official_id == official_id,
                                  ReceptionSession.day >= start - SPILL, ReceptionSession.day <= end + SPILL))
    return [SessionFact(*r) for r in rows]


def in_office(official: ReceptionOfficial) -> tuple[date, date | None]:
    """The days the official owes reception days: their time in the position within the days their unit existed. The
    head of a commune dissolved on 30/06/2025 owes nothing after it, nor the head of the commune made on 01/07/2025
    anything before; a month the unit existed in part is owed pro rata to its working days, rounded half up, as for
    an official who held the position part of the month (engine/reception/compliance.py, `_share`)."""
    unit = official.unit
    first = max(d for d in (official.active_from, unit.active_from) if d is not None)
    ends = [d for d in (official.active_to, unit.active_to) if d is not None]
    return first, min(ends) if ends else None


def serves_during(official: ReceptionOfficial, start: date, end: date) -> bool:
    """Whether the official owed reception days on some day of [start, end] (`in_office`)."""
    first, last = in_office(official)
    return first <= end and (last is None or (last >= start and last >= first))


def official_compliance(session: Session, rules: ScheduleRules, calendar: WorkCalendar, official: ReceptionOfficial,
                        start: date, end: date, today: date) -> Compliance:
    active_from, active_to = in_office(official)
    return compute(rules.position(official.position), active_from=active_from, active_to=active_to, start=start,
                   end=end, sessions=_facts(session, official.id, start, end), calendar=calendar, today=today)


@dataclass
class OfficialCompliance:
    official: ReceptionOfficial
    compliance: Compliance


def unit_compliance(session: Session, user: User, rules: ScheduleRules, calendar: WorkCalendar, start: date,
                    end: date, today: date, unit_id: int | None = None) -> list[OfficialCompliance]:
    """Every official the user may see (a head: their subtree; supervisors, admins: all), optionally of one unit,
    who held the position some day of the period, with their compliance."""
    units = viewing_units(session, user)
    out = []
    for official in list_officials(session, units):
        if unit_id is not None and official.unit_id != unit_id:
            continue
        if not serves_during(official, start, end):
            continue
        out.append(OfficialCompliance(official, official_compliance(session, rules, calendar, official, start, end,
                                                                    today)))
    return out


def compliance_row(item: OfficialCompliance) -> dict:
    """Plain values (API, reports): the totals and each month."""
    c, o = item.compliance, item.official
    return {
        "official": {"id": o.id, "full_name": o.full_name, "title": o.title, "position": o.position,
                     "unit_id": o.unit_id},
        "start": c.start.isoformat(), "end": c.end.isoformat(),
        "required": c.total("required"), "held": c.total("held"), "delegated": c.total("delegated"),
        "missed": c.total("missed"), "outstanding": c.total("outstanding"),
        "months": [{"year": m.year, "month": m.month, "required": m.required, "held": m.held, "missed": m.missed,
                    "outstanding": m.outstanding, "ad_hoc_held": m.ad_hoc_held,
                    "basis": [r.basis for r in m.rules],
                    "delegated": [{"day": d.day.isoformat(), "delegate_name": d.delegate_name, "reason": d.reason,
                                   "counts": d.counts} for d in m.delegated],
                    "not_counted": [{"day": n.day.isoformat(), "reason": n.reason} for n in m.not_counted]}
                   for m in c.months],
    }
