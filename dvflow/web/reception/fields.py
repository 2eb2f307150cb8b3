"""Typed values read from the reception pages' forms (intake, desk, representatives, schedule, officials): the
value, None (or the default) when the field is blank, or a ServiceError naming the field in Vietnamese."""
from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import gettext as _

from ...engine.calendar import supported_year
from ...request import int_field
from ...services.errors import ServiceError


def form_int(form, name: str, label: str, default: int | None = None) -> int | None:
    return int_field(form, name, label, default, minimum=0,
                     message=_("%(label)s phải là số nguyên không âm.", label=label))


def form_day(form, name: str, label: str) -> date | None:
    return _parsed(form, name, date.fromisoformat, lambda: _("%(label)s không hợp lệ (ngày/tháng/năm).", label=label))


def form_time(form, name: str, label: str) -> time | None:
    return _parsed(form, name, clock_time, lambda: _("%(label)s không hợp lệ (giờ:phút).", label=label))


def clock_time(raw: str) -> time:
    """A wall-clock time written HH:MM or HH:MM:SS, ValueError otherwise. Not `time.fromisoformat`, which takes an
    offset ("08:00+07:00": an aware time the comparisons with the sessions' naive times refuse, a 500) and reads
    "0001-01" as a time."""
    for layout in ("%H:%M", "%H:%M:%S"):
        try:
            return datetime.strptime(raw, layout).time()
        except ValueError:
            continue
    raise ValueError(f"{raw!r} is not HH:MM")


def _parsed(form, name: str, parse, refusal):
    """`parse` of the field's text, None when blank; a ServiceError naming the field (`refusal()`) when it fails."""
    raw = form.get(name, "").strip()
    try:
        return parse(raw) if raw else None
    except ValueError as exc:
        raise ServiceError(refusal(), field=name) from exc


def month_arg(raw: str | None, today: date) -> date:
    """The first day of the month `?thang=YYYY-MM` names (a full date names its month), else of `today`'s month:
    a month in the address is a view's choice, never an error. A year outside the supported ones (engine.calendar)
    is as bad as any other value: the month after December 9999 or before January 0001 is no date (a 500 before)."""
    try:
        year, month = (int(x) for x in (raw or "").split("-")[:2])
        if supported_year(year):
            return date(year, month, 1)
    except (ValueError, OverflowError):  # a year beyond what a date holds: this month, as for any bad value
        pass
    return today.replace(day=1)
