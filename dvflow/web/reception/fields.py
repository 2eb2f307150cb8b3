"""Typed values read from the reception pages' forms (intake, desk, representatives, schedule, officials): the
value, None (or the default) when the field is blank, or a ServiceError naming the field in Vietnamese."""
from __future__ import annotations

from datetime import date, time

from flask_babel import gettext as _

from ...request import int_field
from ...services.errors import ServiceError


def form_int(form, name: str, label: str, default: int | None = None) -> int | None:
    return int_field(form, name, label, default, minimum=0,
                     message=_("%(label)s phải là số nguyên không âm.", label=label))


def form_day(form, name: str, label: str) -> date | None:
    return _parsed(form, name, date.fromisoformat, lambda: _("%(label)s không hợp lệ (ngày/tháng/năm).", label=label))


def form_time(form, name: str, label: str) -> time | None:
    return _parsed(form, name, time.fromisoformat, lambda: _("%(label)s không hợp lệ (giờ:phút).", label=label))


def _parsed(form, name: str, parse, refusal):
    """`parse` of the field's text, None when blank; a ServiceError naming the field (`refusal()`) when it fails."""
    raw = form.get(name, "").strip()
    try:
        return parse(raw) if raw else None
    except ValueError as exc:
        raise ServiceError(refusal(), field=name) from exc


def month_arg(raw: str | None, today: date) -> date:
    """The first day of the month `?thang=YYYY-MM` names (a full date names its month), else of `today`'s month:
    a month in the address is a view's choice, never an error."""
    try:
        year, month = (int(x) for x in (raw or "").split("-")[:2])
        return date(year, month, 1)
    except (ValueError, OverflowError):  # a year beyond what a date holds: this month, as for any bad value
        return today.replace(day=1)
