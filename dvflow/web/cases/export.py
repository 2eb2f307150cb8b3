"""GET /ho-so/xuat-excel: the case list, with the page's filters, as XLSX.

It lists what the page lists (the same query: visibility, queue, filters; no search term, which never travels in an
address) and the columns the page shows: no party is named, so no denouncer's identity reaches the file.
"""
from __future__ import annotations

from flask import Response, request
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from ...i18n import loc
from ...labels import CHANNEL_LABELS, STATUS_LABELS
from ...models import Case, Unit
from ...request import db_session, now, workflows
from ...services.cases import queries
from ...services.reports import xlsx
from ...timeutil import local_date
from . import bp
from .routes import _state_label, listing

#: a larger list is cut (the note under the table says so): the file stays small enough to open
MAX_ROWS = 20000


@bp.route("/xuat-excel")
@login_required
def export():
    s, today = db_session(), local_date(now())
    query, args, extra = listing(request.args)[:3]
    cases = list(s.scalars(query.order_by(Case.received_at.desc(), Case.id.desc()).limit(MAX_ROWS + 1)))
    cut = len(cases) > MAX_ROWS
    cases = cases[:MAX_ROWS]
    due = queries.next_due(s, [c.id for c in cases])
    kind_labels = {d.id: loc(d) for d in workflows().kinds()}
    units = dict(s.execute(select(Unit.id, Unit.name).where(Unit.id.in_({c.unit_id for c in cases} or {-1}))).all())
    columns = [xlsx.Col(_("STT"), "int", 6), xlsx.Col(_("Mã hồ sơ"), "text", 18), xlsx.Col(_("Ngày nhận"), "date"),
               xlsx.Col(_("Loại hồ sơ"), "text", 22), xlsx.Col(_("Trích yếu"), "text", 40),
               xlsx.Col(_("Hình thức tiếp nhận"), "text", 18), xlsx.Col(_("Trạng thái"), "text", 26),
               xlsx.Col(_("Tình trạng"), "text", 14), xlsx.Col(_("Đơn vị"), "text", 22),
               xlsx.Col(_("Hạn gần nhất"), "date"), xlsx.Col(_("Ngày kết thúc"), "date"),
               xlsx.Col(_("Vụ việc đông người"), "text", 10), xlsx.Col(_("Số người"), "int", 9)]
    rows = [[i, c.tracking_code, c.received_at, kind_labels.get(c.kind, c.kind), c.subject,
             _(CHANNEL_LABELS.get(c.channel, c.channel)), _state_label(c), _(STATUS_LABELS.get(c.status, c.status)),
             units.get(c.unit_id, ""), due.get(c.id), c.closed_on, _("Có") if c.mass else "", c.people_count]
            for i, c in enumerate(cases, start=1)]
    filters = {**{k: v for k, v in args.items() if k != "q" and v}, **extra.as_args()}
    line = _("Ngày xuất: %(day)s. Số hồ sơ: %(n)s.") % {"day": f"{today:%d/%m/%Y}", "n": len(rows)}
    notes = [_("Bộ lọc") + ": " + ", ".join(f"{k}={v}" for k, v in filters.items())] if filters else []
    if cut:
        notes.append(_("Danh sách dài hơn %(n)s hồ sơ: chỉ xuất %(n)s hồ sơ mới nhất, hãy lọc hẹp hơn.")
                     % {"n": MAX_ROWS})
    data = xlsx.table_workbook(title=_("Danh sách hồ sơ"), period_line=line, unit_name=_("Các đơn vị bạn được xem"),
                               columns=columns, rows=rows, notes=notes, sheet=_("Hồ sơ"))
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="ho-so-{today:%Y%m%d}.xlsx"'})
