"""/bang-dieu-khien/cham-diem: the yearly scorecard of the units' dân vận work (heads: their subtree, supervisors:
every unit), a unit's criteria with what each counted, the manual criteria the unit fills with evidence and a
supervisor verifies, the XLSX; and /bang-dieu-khien/dan-van-kheo, the register of "Dân vận khéo" models.

The query string chooses the year (nam) and the level of the peers (cap: province, department, commune); a bad
choice is a Vietnamese message naming the field (400), never an error page."""
from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...error_pages import respond
from ...i18n import loc, said
from ...request import db_session, int_or_none, now, refuse
from ...services.errors import Conflict, Forbidden, NotFound, ServiceError
from ...services.reports import scorecard, scorecard_entries, scorecard_export
from ...timeutil import local_date
from . import bp

N_ = lambda s: s  # noqa: E731 - extracted for translation; the template calls _() on the label
LEVELS = {"department": N_("Sở, ban, ngành"), "commune": N_("Xã, phường, đặc khu"), "province": N_("Cấp tỉnh")}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(today) -> int:
    raw = request.args.get("nam") or request.form.get("nam") or str(today.year)
    return scorecard.check_year(int_or_none(raw, minimum=0), today.year)


def _board(s, today):
    year = _year(today)
    level = scorecard.check_level(request.args.get("cap", "department"))
    visible = scorecard.viewable_units(s, current_user.user)
    criteria = scorecard.criteria_for(scorecard.load_card(current_app.config["WORKFLOWS_DIR"]), year)
    return scorecard.board(s, criteria=criteria, level=level, year=year, visible=visible, now=now(),
                           ctx=scorecard.context(s, current_app.config["WORKFLOWS_DIR"]))


@bp.route("/cham-diem")
@login_required
def scorecard_index():
    s, today = db_session(), local_date(now())
    try:
        board = _board(s, today)
    except (Forbidden, scorecard.CriteriaUnavailable) as exc:  # the service's own message, not the generic one
        return respond(exc.status, said(exc), translate=False)
    except ServiceError as exc:
        flash(said(exc), "danger")
        return render_template("reports/scorecard.html", board=None, levels=LEVELS, field=exc.field,
                               args={"nam": request.args.get("nam", ""), "cap": request.args.get("cap", "")}), 400
    return render_template("reports/scorecard.html", board=board, levels=LEVELS, field=None,
                           args={"nam": board.year, "cap": board.level})


@bp.route("/cham-diem.xlsx")
@login_required
def scorecard_xlsx():
    s, today = db_session(), local_date(now())
    try:
        board = _board(s, today)
    except (Forbidden, scorecard.CriteriaUnavailable) as exc:  # the service's own message, not the generic one
        return respond(exc.status, said(exc), translate=False)
    except ServiceError as exc:
        return Response(said(exc), status=400, mimetype="text/plain")
    scope = _("Tất cả các đơn vị") if scorecard.viewable_units(s, current_user.user) is None \
        else _("Các đơn vị bạn được xem")
    data = scorecard_export.workbook(board, title=_("Bảng chấm điểm công tác dân vận năm %(year)s",
                                                    year=board.year), scope=scope, tr=_, label=loc)
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="cham-diem-{board.level}-{board.year}.xlsx"'})


def _unit_visible(s, unit_id: int) -> set[int] | None:
    """Viewers as on the board; the unit's own staff who fill its manual criteria see their unit's card."""
    user = current_user.user
    try:
        return scorecard.viewable_units(s, user)
    except Forbidden:
        if scorecard_entries.may_fill(s, user, unit_id):
            return {unit_id}
        raise


def _unit_page(s, unit_id: int, today, field: str | None = None, status: int = 200):
    year = _year(today)
    visible = _unit_visible(s, unit_id)
    criteria = scorecard.criteria_for(scorecard.load_card(current_app.config["WORKFLOWS_DIR"]), year)
    board, row = scorecard.unit_board(s, criteria=criteria, unit_id=unit_id, year=year, visible=visible, now=now(),
                                      ctx=scorecard.context(s, current_app.config["WORKFLOWS_DIR"]))
    user = current_user.user
    return render_template("reports/scorecard_unit.html", board=board, row=row, field=field,
                           may_fill=scorecard_entries.may_fill(s, user, unit_id),
                           reviews=_reviews(s, user, row), links=_links(row, year), count_links=_count_links(row),
                           registered=scorecard_entries.registered_count(s, unit_id, year)), status


def _reviews(s, user, row) -> dict[int, int]:
    """The entries waiting for this user's review, each with the submission the page shows (the form carries it)."""
    entries = [line.entry for line in row.lines if line.entry is not None and line.entry.status == "submitted"]
    return {e.id: scorecard_entries.current_submission(s, e.id) for e in entries
            if scorecard_entries.may_verify(s, user, e)}


def _links(row, year: int) -> dict[str, str]:
    """Each criterion's drill-down: the list behind it where one exists."""
    out = {}
    for line in row.lines:
        c = line.criterion
        if line.fact is not None and line.fact.case_filters:
            out[c.key] = url_for("cases.index", **line.fact.case_filters)
        elif c.formula == "reception_days_ratio":
            out[c.key] = url_for("reception.compliance_index", ky="year", ngay=f"{year}-01-01")
        elif c.formula == "dialogue_conferences_ratio":
            out[c.key] = url_for("dialogues.compliance_page", nam=year)
        elif c.key == "dan_van_kheo_models":
            out[c.key] = url_for("reports.dvk_register", nam=year)
    return out


def _count_links(row) -> dict[str, dict[str, str]]:
    """The list behind each count of a criterion, where the counts have lists of their own (a rate's met, missed)."""
    return {line.criterion.key: {label: url_for("cases.index", **filters)
                                 for label, filters in line.fact.count_filters.items()}
            for line in row.lines if line.fact is not None and line.fact.count_filters}


@bp.route("/cham-diem/don-vi/<int:unit_id>")
@login_required
def scorecard_unit(unit_id: int):
    s, today = db_session(), local_date(now())
    try:
        return _unit_page(s, unit_id, today)
    except (Forbidden, scorecard.CriteriaUnavailable) as exc:  # the service's own message, not the generic one
        return respond(exc.status, said(exc), translate=False)
    except ServiceError as exc:
        flash(said(exc), "danger")
        return redirect(url_for("reports.scorecard_index"))


def _uploads() -> list[scorecard_entries.Upload]:
    return [scorecard_entries.Upload(f.filename or "", f.mimetype or "", f.read())
            for f in request.files.getlist("minh_chung") if f.filename]


@bp.route("/cham-diem/don-vi/<int:unit_id>/ke-khai", methods=["POST"])
@login_required
def scorecard_fill(unit_id: int):
    s, today = db_session(), local_date(now())
    try:
        year = _year(today)
        criteria = scorecard.criteria_for(scorecard.load_card(current_app.config["WORKFLOWS_DIR"]), year)
        scorecard_entries.fill(s, current_user.user, criteria=criteria, unit_id=unit_id, year=year,
                               key=request.form.get("tieu_chi", ""), raw_value=request.form.get("gia_tri", ""),
                               note=request.form.get("ghi_chu", ""), files=_uploads(), now=now())
    except Forbidden:
        abort(403)
    except scorecard.CriteriaUnavailable as exc:
        return respond(exc.status, said(exc), translate=False)
    except ServiceError as exc:
        refuse(exc)
        try:
            return _unit_page(s, unit_id, today, exc.field, 400)
        except ServiceError:
            return redirect(url_for("reports.scorecard_index"))
    flash(_("Đã gửi giá trị kê khai; giá trị được tính khi người giám sát xác minh."), "success")
    return redirect(url_for("reports.scorecard_unit", unit_id=unit_id, nam=year))


@bp.route("/cham-diem/xac-minh/<int:entry_id>", methods=["POST"])
@login_required
def scorecard_review(entry_id: int):
    s = db_session()
    try:
        entry = scorecard_entries.review(s, current_user.user, entry_id=entry_id,
                                         submission=int_or_none(request.form.get("lan_ke_khai"), minimum=0),
                                         decision=request.form.get("ket_qua", ""),
                                         note=request.form.get("ghi_chu", ""), now=now())
    except Forbidden as exc:  # the service's reason (not a supervisor, or their own unit's value)
        return respond(403, said(exc), translate=False)
    except NotFound:
        abort(404)
    except Conflict as exc:  # another submission, or another review, since the page was read: show it as it is now
        refuse(exc)
        return _review_conflict(s, entry_id)
    except ServiceError as exc:
        refuse(exc)
        return redirect(request.referrer or url_for("reports.scorecard_index")), 303
    flash(_("Đã xác nhận giá trị kê khai.") if entry.status == "verified" else _("Đã ghi không xác nhận."), "success")
    return redirect(url_for("reports.scorecard_unit", unit_id=entry.unit_id, nam=entry.year))


def _review_conflict(s, entry_id: int):
    """The unit's page as it is now (the value submitted since, its evidence), answered 409."""
    unit_id = scorecard_entries.entry_unit(s, entry_id)
    try:
        return _unit_page(s, unit_id, local_date(now()), "lan_ke_khai", 409)
    except ServiceError as exc:
        return respond(exc.status, said(exc), translate=False)


@bp.route("/cham-diem/tep/<int:file_id>")
@login_required
def scorecard_file(file_id: int):
    try:
        f = scorecard_entries.evidence_for(db_session(), current_user.user, file_id)
    except NotFound:
        abort(404)
    except ServiceError:
        abort(403)
    return Response(f.content, mimetype=f.content_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{_quote(f.filename)}",
        "X-Content-Type-Options": "nosniff"})


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


# --- the register of "Dân vận khéo" models ------------------------------------------------------------------------

def _register_page(s, field: str | None = None, values: dict | None = None, status: int = 200):
    from ...services.org import access

    user, today = current_user.user, local_date(now())
    raw = request.args.get("nam", "")
    year = int_or_none(raw, minimum=0)
    visible = access.visible_unit_ids(s, user)
    fill_units = [u for u in _units(s, visible) if scorecard_entries.may_fill(s, user, u[0])]
    return render_template("reports/dan_van_kheo.html", models=scorecard_entries.list_models(s, user, year),
                           year=year, units=fill_units, field=field, values=values or {}, today=today), status


def _units(s, visible):
    from .periodic import _units as periodic_units

    return periodic_units(s, visible)


@bp.route("/dan-van-kheo", methods=["GET", "POST"])
@login_required
def dvk_register():
    s = db_session()
    if request.method == "GET":
        return _register_page(s)
    form = request.form
    try:
        year = int_or_none(form.get("nam"), minimum=0)
        unit_id = int_or_none(form.get("don_vi"), minimum=0)
        model = scorecard_entries.register_model(
            s, current_user.user, unit_id=unit_id, year=year, name=form.get("ten", ""),
            field=form.get("linh_vuc", ""), started_on=form.get("bat_dau", ""), results=form.get("ket_qua", ""),
            files=_uploads(), now=now())
    except Forbidden as exc:
        refuse(exc)
        return _register_page(s, "don_vi", dict(form), 403)
    except ServiceError as exc:
        refuse(exc)
        return _register_page(s, exc.field, dict(form), 400)
    flash(_("Đã đăng ký mô hình \"%(name)s\".", name=model.name), "success")
    return redirect(url_for("reports.dvk_register"))
