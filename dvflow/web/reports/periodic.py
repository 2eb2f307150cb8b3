"""GET /bang-dieu-khien/bao-cao-dinh-ky: the periodic statistical report of a unit and its subtree, and its XLSX.

The query string chooses the period (ky: month, quarter, half, nine, year; so: its number; nam: the year), the way
it is cut (cach_tinh: cutoff = the inspectorate's 15th-to-14th, calendar) and the unit (don_vi, among those the user
may see). A bad choice is shown as a Vietnamese message naming the field, never an error page.
"""
from __future__ import annotations

from flask import Response, current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ...i18n import loc, said
from ...models import Unit
from ...request import bounded_int, db_session, now, workflows
from ...services.errors import ServiceError
from ...services.org import access
from ...services.reports import periodic, periods, xlsx
from ...timeutil import local_date
from . import bp, national

N_ = lambda s: s  # noqa: E731 - extracted for translation; the template calls _() on the label

PERIOD_KINDS = {"month": N_("Tháng"), "quarter": N_("Quý"), "half": N_("6 tháng"), "nine": N_("9 tháng"),
                "year": N_("Năm")}
BASIS_LABELS = {"cutoff": N_("Theo ngày chốt số liệu (15 tháng trước đến 14 tháng này)"),
                "calendar": N_("Theo lịch (ngày 1 đến cuối tháng)")}


def _choice(s, today):
    """The period and unit asked for (defaults: the current quarter on the cut-off, the top unit the user sees)."""
    kind = request.args.get("ky", "quarter")
    basis = request.args.get("cach_tinh", "cutoff")
    current = periods.containing(today, kind if kind in periods.KINDS else "quarter",
                                 basis if basis in periods.BASES else "cutoff")
    args = request.args
    year = args.get("nam", type=bounded_int) if args.get("nam") else current.year
    number = args.get("so", type=bounded_int) if args.get("so") else current.number
    visible = access.visible_unit_ids(s, current_user.user)
    unit_id = args.get("don_vi", type=bounded_int) if args.get("don_vi") else periodic.default_unit(s, visible)
    return kind, basis, year, number, unit_id, visible


def _units(s, visible):
    query = select(Unit.id, Unit.name).order_by(Unit.name)
    if visible is not None:
        query = query.where(Unit.id.in_(sorted(visible) or [-1]))
    return list(s.execute(query))


def _report(s, today):
    kind, basis, year, number, unit_id, visible = _choice(s, today)
    args = {"ky": kind, "cach_tinh": basis, "nam": year, "so": number, "don_vi": unit_id}
    if unit_id is None:
        raise ServiceError("Bạn chưa được giao đơn vị nào nên không có số liệu để báo cáo.", field="don_vi")
    period = periodic.choose_period(kind, year, number, basis, today)
    report = periodic.build(s, unit_id=unit_id, visible=visible, period=period, now=now(), tr=_,
                            kind_labels={d.id: loc(d) for d in workflows().kinds()},
                            workflows_dir=current_app.config["WORKFLOWS_DIR"])
    return report, args, visible


@bp.route("/bao-cao-dinh-ky")
@login_required
def periodic_report():
    s, today = db_session(), local_date(now())
    try:
        report, args, visible = _report(s, today)
    except ServiceError as exc:
        flash(said(exc), "danger")
        kind, basis, year, number, unit_id, visible = _choice(s, today)
        args = {"ky": kind, "cach_tinh": basis, "nam": year, "so": number, "don_vi": unit_id}
        return render_template("reports/periodic.html", report=None, args=args, units=_units(s, visible),
                               kinds=PERIOD_KINDS, bases=BASIS_LABELS, field=exc.field), 400
    return render_template("reports/periodic.html", report=report, args=args, units=_units(s, visible),
                           kinds=PERIOD_KINDS, bases=BASIS_LABELS, field=None,
                           may_export=national.may_export(s, current_user.user))


@bp.route("/bao-cao-dinh-ky.xlsx")
@login_required
def periodic_xlsx():
    s, today = db_session(), local_date(now())
    try:
        report, args, _visible = _report(s, today)
    except ServiceError as exc:
        return Response(said(exc), status=400, mimetype="text/plain")
    data = xlsx.report_workbook(report, first_heading=_("Nội dung"),
                                signatures=(_("Người lập biểu"), _("Thủ trưởng cơ quan, đơn vị (ký tên, đóng dấu)")))
    name = f"bao-cao-{args['ky']}-{args['so']}-{args['nam']}-{args['cach_tinh']}.xlsx"
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
