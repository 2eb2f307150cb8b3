"""GET /bang-dieu-khien/qua-han.xlsx: every overdue case of the units the user may see, grouped by unit, as XLSX
(the dashboard pages the list; the file holds it whole). Codes, clocks and dates only: no party is named."""
from __future__ import annotations

from flask import Response
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
