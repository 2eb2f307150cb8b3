"""GET /bang-dieu-khien: figures for the units the user may see (supervisors and admins: every unit)."""
from __future__ import annotations

from datetime import timedelta

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...i18n import loc
from ...labels import STATUS_LABELS
from ...request import bounded_int, db_session, now, workflows
from ...services import reports
from ...services.org import access
from ...services.reports import scorecard
from ...timeutil import local_date
from ..reception import schedule_panels
from . import bp
from .chart import week_chart

#: query value -> (period key, label)
N_ = lambda s: s  # noqa: E731 - extracted for translation; the template calls _() on the label

PERIODS = {"thang": ("month", N_("Tháng này")), "quy": ("quarter", N_("Quý này")), "nam": ("year", N_("Năm nay"))}


@bp.route("")
@login_required
def index():
    s, user, instant = db_session(), current_user.user, now()
    today = local_date(instant)
    units = access.visible_unit_ids(s, user)
    period_arg = request.args.get("ky", "thang")
    period_arg = period_arg if period_arg in PERIODS else "thang"
    start, end = reports.period_bounds(today, PERIODS[period_arg][0])
    last_day = end - timedelta(days=1)

    kinds = workflows().kinds()
    kind_labels = {d.id: loc(d) for d in kinds}
    state_labels = {(d.id, k): loc(st) for d in kinds for k, st in d.states.items()}
    clock_labels = {c.label: loc(c) for d in kinds for c in d.clocks.values()}  # stored Vietnamese label -> page's
    open_rows = reports.open_cases_by_kind_state(s, units)
    by_month = request.args.get("bieu_do") == "thang"
    weeks = reports.monthly_flow(s, units, today) if by_month else reports.weekly_flow(s, units, today)
    chart = week_chart(weeks, title=_("Hồ sơ tiếp nhận và giải quyết theo tháng (12 tháng gần nhất)") if by_month
                       else _("Hồ sơ tiếp nhận và giải quyết theo tuần (12 tuần gần nhất)"),
                       received_label=_("Tiếp nhận"), resolved_label=_("Giải quyết xong"), link=_chart_link)
    overdue = reports.overdue_page(s, units, instant, request.args.get("qh_trang", 1, type=bounded_int) or 1)
    return render_template(
        "reports/index.html",
        all_units=units is None, unit_count=len(units or ()),
        open_rows=open_rows, open_total=sum(n for _k, _s, n in open_rows),
        kind_totals=reports.totals_by_kind(open_rows), kind_labels=kind_labels, state_labels=state_labels,
        clock_labels=clock_labels,
        overdue=overdue, today=today, periods=PERIODS, period=period_arg, start=start, last_day=last_day,
        on_time=reports.on_time(s, units, start, end, instant, overdue_open=overdue.open_clocks,
                               overdue_cases=overdue.open_cases),
        weeks=weeks, chart=chart, by_month=by_month, ratings=_ratings(s, units, start, end),
        status_labels=STATUS_LABELS, may_score=scorecard.may_view(s, user),
        reception_compliance=schedule_panels.dashboard_panel(s, user, start, last_day, today))


def _chart_link(kind: str, row) -> str:
    """The case list behind a bar: the citizens' matters (pham_vi=vu_viec, what the bars count) received (or
    resolved) from the row's first to its last day."""
    prefix = "nhan" if kind == "received" else "xong"
    return url_for("cases.index", **{f"{prefix}_tu": row.start.isoformat(), f"{prefix}_den": row.end.isoformat()},
                   pham_vi="vu_viec")


def _ratings(session, units, start, end) -> dict:
    """Satisfaction averages (1 to 5) per unit over the period [start, end), and overall."""
    rows = [(name, n, total / n) for name, n, total in reports.ratings_by_unit(session, units, start, end) if n]
    count = sum(n for _name, n, _avg in rows)
    return {"units": rows, "count": count,
            "average": sum(n * avg for _name, n, avg in rows) / count if count else None}
