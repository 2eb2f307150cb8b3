"""The case list's extra filters, used by the drill-downs of the dashboard and the reports (and by hand in the
address): the unit with its subtree (the unit a case was in on the date filtered by, as the reports count it:
unit_on.py; within the units the user sees, and without a unit the units the user sees, so that a dashboard figure
counted over them by the same date lists what it counted), the channel, mass cases, the local dates received and
ended (the legal date a case ended on, cases.closed_on), overdue now, and the scope of kinds a figure counts
(pham_vi: vu_viec, the citizens' matters of cases/matters.py; tru_noi_bo, every kind but internal follow-up work),
so that a figure's list shows the cases it counted.

The query-string names are Vietnamese like the rest of the addresses: don_vi, don_vi_ngay, kenh, dong_nguoi,
nhan_tu, nhan_den, xong_tu, xong_den, qua_han, thoi_han, thoi_han_tu, thoi_han_den, pham_vi. A bad value is reported
(a Vietnamese message naming the field) and left out of the filter, so the list still shows.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Mapping

from sqlalchemy import case, exists, literal
from sqlalchemy.orm import Session

from ... import org_tree
from ...models import Case, Clock
from ...models.case import CHANNELS
from ...timeutil import start_of_day_utc
from ..errors import N_, ServiceError
from .matters import INTERNAL_KINDS, citizen_matter
from .unit_on import attribution

PARAMS = {"unit_id": "don_vi", "unit_on": "don_vi_ngay", "channel": "kenh", "mass": "dong_nguoi",
          "received_from": "nhan_tu", "received_to": "nhan_den", "closed_from": "xong_tu", "closed_to": "xong_den",
          "overdue": "qua_han", "clock_state": "thoi_han", "clock_from": "thoi_han_tu", "clock_to": "thoi_han_den",
          "scope": "pham_vi"}
_DATE_LABELS = {"unit_on": N_("Ngày xác định đơn vị"),
                "received_from": N_("Nhận từ ngày"), "received_to": N_("Nhận đến ngày"),
                "closed_from": N_("Kết thúc từ ngày"), "closed_to": N_("Kết thúc đến ngày"),
                "clock_from": N_("Thời hạn kết thúc từ ngày"), "clock_to": N_("Thời hạn kết thúc đến ngày")}
#: a time limit that stopped (met: in time; missed: late), as the dashboard's on-time figures count them
CLOCK_STATES = ("met", "missed")
#: the kinds a figure counts: the citizens' matters (the mass cases), or every kind but internal work (on-time and
#: overdue figures), each a WHERE clause
SCOPES = {"vu_viec": citizen_matter, "tru_noi_bo": lambda: Case.kind.not_in(INTERNAL_KINDS)}


@dataclass
class ListFilters:
    unit_id: int | None = None
    #: the unit is the one a case was in when received, or on this day when received before it (a letter carried
    #: over into a period counts under the unit it was in at the period's start: reports/periodic_sections.letters)
    unit_on: date | None = None
    channel: str = ""
    mass: bool = False
    received_from: date | None = None
    received_to: date | None = None
    closed_from: date | None = None
    closed_to: date | None = None
    overdue: bool = False
    clock_state: str = ""
    clock_from: date | None = None
    clock_to: date | None = None
    scope: str = ""

    def as_args(self) -> dict[str, str]:
        """The filters set, as query-string arguments (for the pages' links and the export)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, "", False):
                continue
            out[PARAMS[f.name]] = "1" if value is True else (value.isoformat() if isinstance(value, date)
                                                             else str(value))
        return out

    def apply(self, session: Session, query, now: datetime, visible: set[int] | None = None):
        """The list's `query` filtered; `visible`: the units whose cases the user may see (None: every unit), the
        units a dated figure of theirs counts over."""
        unit_in_clock = None
        units = self._units(session, visible)
        if units is not None:
            query, unit_in_clock = self._in_unit(session, query, units)
        if self.channel:
            query = query.where(Case.channel == self.channel)
        if self.mass:
            query = query.where(Case.mass.is_(True))
        if self.scope:
            query = query.where(SCOPES[self.scope]())
        if self.received_from is not None:
            query = query.where(Case.received_at >= start_of_day_utc(self.received_from))
        if self.received_to is not None:
            query = query.where(Case.received_at < start_of_day_utc(self.received_to + timedelta(days=1)))
        # ended: by the legal date the case ended on (the closing act's date), as the reports whose counts link here
        # count it, not by the day the act was entered
        if self.closed_from is not None:
            query = query.where(Case.closed_on >= self.closed_from)
        if self.closed_to is not None:
            query = query.where(Case.closed_on <= self.closed_to)
        if self.overdue:  # the dashboard's overdue: an open clock past its end now
            query = query.where(exists().where(Clock.case_id == Case.id, Clock.closed_at.is_(None),
                                               Clock.due_at.is_not(None), Clock.due_at < now))
        if self.clock_state:  # a time limit of the case stopped met (or missed) on a legal date in the dates given
            # (the date of the act that stopped it, as the reports whose counts link here count it: not the day the
            # act was entered)
            clock = [Clock.case_id == Case.id, Clock.state == self.clock_state, Clock.closed_on.is_not(None)]
            if self.clock_from is not None:
                clock.append(Clock.closed_on >= self.clock_from)
            if self.clock_to is not None:
                clock.append(Clock.closed_on <= self.clock_to)
            if unit_in_clock is not None:
                clock.append(unit_in_clock)
            query = query.where(exists().where(*clock))
        return query

    def _units(self, session: Session, visible: set[int] | None) -> set[int] | None:
        """The units the list places cases in, by the unit each was in on the date it filters by: the unit's subtree,
        within those the user sees; without a unit, for a list of dated facts, the units the user sees (a dashboard
        figure counts them so, and the list's own visibility is the unit a case is in now). None: no such filter."""
        if self.unit_id is not None:
            units = org_tree.descendants(org_tree.unit_tree(session), self.unit_id)
            return units if visible is None else units & set(visible)
        if visible is not None and (self._dated_clock() or self._case_date() is not None):
            return set(visible)
        return None

    def _dated_clock(self) -> bool:
        return bool(self.clock_state and (self.clock_from or self.clock_to))

    def _case_date(self):
        """(the date a case's unit is taken on, by_day) of the dates filtered by, one rule for every list: `unit_on`
        given, its receipt or that day, whichever is later; else the legal date it ended on; else its receipt. None:
        no date."""
        if self.unit_on is not None:
            start = literal(start_of_day_utc(self.unit_on), Case.received_at.type)
            return case((Case.received_at > start, Case.received_at), else_=start), False
        if self.closed_from is not None or self.closed_to is not None:
            return Case.closed_on, True
        if self.received_from is not None or self.received_to is not None:
            return Case.received_at, False
        return None

    def _in_unit(self, session: Session, query, units: set[int]):
        """The cases of `units` on the date the list filters by, as the reports count them (unit_on.py): a time
        limit's, else the case's (`_case_date`); none given: the unit the case is in now. A time limit's date is the
        clock's, so that part goes inside the clock's EXISTS (returned)."""
        if self._dated_clock():
            at = attribution(session, units, Clock.closed_on, by_day=True)
            return query.where(at.now_in), at.where
        when = self._case_date()
        if when is not None:
            return query.where(attribution(session, units, *when).where), None
        return query.where(Case.unit_id.in_(sorted(units) or [-1])), None


def parse(args: Mapping[str, str]) -> tuple[ListFilters, list[ServiceError]]:
    """The filters in `args`, and an error for each value refused."""
    out, errors = ListFilters(), []
    unit = (args.get("don_vi") or "").strip()
    if unit:
        if unit.isdigit() and len(unit) < 10:
            out.unit_id = int(unit)
        else:
            errors.append(ServiceError("Đơn vị không hợp lệ.", field="don_vi"))
    out.channel = _choice(args, "kenh", CHANNELS, errors,
                          ServiceError("Hình thức tiếp nhận không hợp lệ.", field="kenh"))
    out.clock_state = _choice(args, "thoi_han", CLOCK_STATES, errors,
                              ServiceError("Kết quả thời hạn không hợp lệ (met hoặc missed).", field="thoi_han"))
    out.scope = _choice(args, "pham_vi", SCOPES, errors,
                        ServiceError("Phạm vi không hợp lệ (vu_viec hoặc tru_noi_bo).", field="pham_vi"))
    out.mass = (args.get("dong_nguoi") or "") == "1"
    out.overdue = (args.get("qua_han") or "") == "1"
    for name, label in _DATE_LABELS.items():
        raw = (args.get(PARAMS[name]) or "").strip()
        if not raw:
            continue
        try:
            value = date.fromisoformat(raw)
            if not 2000 <= value.year <= 2100:
                raise ValueError
        except ValueError:
            errors.append(ServiceError("%(label)s không hợp lệ (định dạng YYYY-MM-DD).", field=PARAMS[name],
                                       label=label))
            continue
        setattr(out, name, value)
    return out, errors


def _choice(args: Mapping[str, str], name: str, allowed, errors: list[ServiceError], refusal: ServiceError) -> str:
    """The value of `name` when it is one of `allowed`; "" when blank, or (with `refusal` noted) when it is not."""
    value = (args.get(name) or "").strip()
    if value and value not in allowed:
        errors.append(refusal)
        return ""
    return value
