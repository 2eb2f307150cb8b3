"""The dashboard's XLSX: every overdue case of the units the user may see, grouped by unit (the page shows the list a
page at a time; the file holds it whole), and the dashboard's figures (on-time rate, open cases by kind and state,
received and resolved per week). Codes, clocks, dates and counts only: no party is named."""
from __future__ import annotations

from datetime import timedelta

from flask import Response, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...i18n import loc
from ...request import db_session, now, workflows
from ...services import reports
from ...services.org import access
from ...services.reports import xlsx
from ...timeutil import local_date
from . import bp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/qua-han.xlsx")
@login_required
def overdue_xlsx():
    s, instant = db_session(), now()
    today = local_date(instant)
    units = access.visible_unit_ids(s, current_user.user)
    kinds = workflows().kinds()
    kind_labels = {d.id: loc(d) for d in kinds}
    clock_labels = {c.label: loc(c) for d in kinds for c in d.clocks.values()}
    rows = [[i, unit, code, kind_labels.get(kind, kind), received, clock_labels.get(label, label), due,
             (today - due).days if due else None]
            for i, (unit, code, label, due, kind, received) in enumerate(
                reports.all_overdue_rows(s, units, instant), start=1)]
    columns = [xlsx.Col(_("STT"), "int", 6), xlsx.Col(_("Đơn vị"), "text", 24), xlsx.Col(_("Mã hồ sơ"), "text", 18),
               xlsx.Col(_("Loại hồ sơ"), "text", 22), xlsx.Col(_("Ngày nhận"), "date"),
               xlsx.Col(_("Thời hạn"), "text", 28, _("Thời hạn quá hạn sớm nhất")),
               xlsx.Col(_("Hạn cuối"), "date", None, _("Thời hạn quá hạn sớm nhất")),
               xlsx.Col(_("Số ngày quá hạn"), "int", 10, _("Thời hạn quá hạn sớm nhất"))]
    data = xlsx.table_workbook(
        title=_("Danh sách hồ sơ quá hạn"), period_line=_("Tính đến ngày %(day)s") % {"day": f"{today:%d/%m/%Y}"},
        unit_name=_("Các đơn vị bạn được xem"), columns=columns, rows=rows, sheet=_("Quá hạn"),
        notes=[_("Tổng số hồ sơ quá hạn: %(n)s.") % {"n": len(rows)}])
    return Response(data, mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="qua-han-{today:%Y%m%d}.xlsx"'})


@bp.route("/tong-hop.xlsx")
@login_required
def summary_xlsx():
    """The dashboard's figures for the period chosen on it (ky: thang, quy, nam), as three tables on one sheet each."""
    from .routes import PERIODS

    s, instant = db_session(), now()
    today = local_date(instant)
    units = access.visible_unit_ids(s, current_user.user)
    key = request.args.get("ky", "thang")
    start, end = reports.period_bounds(today, PERIODS.get(key, PERIODS["thang"])[0])
    last = end - timedelta(days=1)
    line = _("Kỳ: %(first)s – %(last)s") % {"first": f"{start:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"}
    scope = _("Tất cả các đơn vị") if units is None else _("Các đơn vị bạn được xem")
    t = reports.on_time(s, units, start, end, instant)
    kinds = workflows().kinds()
    kind_labels = {d.id: loc(d) for d in kinds}
    state_labels = {(d.id, k): loc(st) for d in kinds for k, st in d.states.items()}
    sheets = [
        (_("Đúng hạn"), [xlsx.Col(_("Chỉ tiêu"), "text", 48), xlsx.Col(_("Giá trị"), "float", 14)],
         [[_("Thời hạn kết thúc đúng hạn trong kỳ"), t.met], [_("Thời hạn kết thúc trễ hạn trong kỳ"), t.missed],
          [_("Thời hạn đang quá hạn hôm nay"), t.overdue_open],
          [_("Tỷ lệ đúng hạn, tính cả thời hạn đang quá hạn (%)"), _pct(t.rate)],
          [_("Tỷ lệ đúng hạn trong các thời hạn đã kết thúc (%)"), _pct(t.rate_stopped)]]),
        (_("Chưa kết thúc"), [xlsx.Col(_("Loại hồ sơ"), "text", 30), xlsx.Col(_("Trạng thái"), "text", 34),
                              xlsx.Col(_("Số hồ sơ"), "int")],
         [[kind_labels.get(k, k), state_labels.get((k, st), st), n]
          for k, st, n in reports.open_cases_by_kind_state(s, units)]),
        (_("Theo tuần"), [xlsx.Col(_("Từ ngày"), "date"), xlsx.Col(_("Đến ngày"), "date"),
                          xlsx.Col(_("Tiếp nhận"), "int"), xlsx.Col(_("Giải quyết xong"), "int")],
         [[w.start, w.end, w.received, w.resolved] for w in reports.weekly_flow(s, units, today)]),
    ]
    data = xlsx.sheets_workbook(title=_("Bảng điều khiển"), period_line=line, unit_name=scope, sheets=sheets)
    return Response(data, mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="bang-dieu-khien-{today:%Y%m%d}.xlsx"'})


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)
