"""Thin handler of the compliance page: per official of the user's subtree and period, held, required, delegated
(to whom, why), missed; read-only (supervisors see every unit, heads their subtree)."""
from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...i18n import loc
from ...request import db_session, now
from ...services.deadlines.calendar import load_calendar
from ...services.errors import ServiceError
from ...services.reception import compliance
from ...timeutil import local_date
from . import bp
from .schedule_forms import rules

PERIODS = ("month", "quarter", "year", "range")


def period_from_args(args, today: date) -> tuple[str, date, date]:
    """The period of `?ky=&ngay=&den=` (default: this month); a bad value is a ServiceError naming it."""
    kind = args.get("ky", "month")
    try:
        anchor = date.fromisoformat(args["ngay"]) if args.get("ngay") else today
        end = date.fromisoformat(args["den"]) if args.get("den") else None
    except ValueError as exc:
        raise ServiceError(_("Ngày không hợp lệ (năm-tháng-ngày)."), field="ngay") from exc
    start, stop = compliance.period_bounds(kind, anchor, end)
    return kind, start, stop


@bp.route("/tuan-thu", methods=["GET"])
@login_required
def compliance_index():
    s, user, today = db_session(), current_user.user, local_date(now())
    error, items = None, []
    try:
        kind, start, end = period_from_args(request.args, today)
    except ServiceError as exc:
        error = exc
        kind, (start, end) = "month", compliance.period_bounds("month", today)
    items = compliance.unit_compliance(s, user, rules(), load_calendar(s), start, end, today)
    positions = {key: loc(p) for key, p in rules().positions.items()}
    return render_template("reception/compliance.html", items=items, kind=kind, start=start, end=end,
                           error=error, positions=positions, periods=PERIODS), 400 if error else 200
