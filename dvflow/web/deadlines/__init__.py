"""The legal calendar's overrides (days off, working days in lieu), kept by administrators at /quan-tri/lich."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...engine.calendar import supported_year
from ...request import (
    PageBlueprint,
    bounded_int,
    db_session,
    now,
    refuse,
    workflows,
)
from ...services import deadlines
from ...services.errors import ServiceError
from ...timeutil import local_date
from ..org.admin import admin_only
from ..org.identity import no_store

bp = PageBlueprint("deadlines", __name__, url_prefix="/quan-tri/lich")
bp.after_request(no_store)  # an administration page, as the others under /quan-tri: never kept in a shared cache


@bp.before_request
@login_required
def _admin_only():
    admin_only()


def _calendar_ctx() -> dict:
    """The overrides of the year `?nam=` names: a view's choice, so a year that is no number or not a supported
    one (engine.calendar) shows this year's."""
    year = request.args.get("nam", type=bounded_int)
    if year is None or not supported_year(year):
        year = local_date(now()).year
    return {"overrides": deadlines.list_overrides(db_session(), year), "year": year}


@bp.route("", methods=["GET", "POST"])
def calendar_view():
    s = db_session()
    if request.method == "POST":
        try:
            try:
                day = date.fromisoformat(request.form.get("day", ""))
            except ValueError as exc:
                raise ServiceError(_("Ngày không hợp lệ."), field="day") from exc
            deadlines.set_override(s, workflows(), day=day,
                                   kind=request.form.get("kind", ""), note=request.form.get("note", "").strip(),
                                   now=now(), actor_id=current_user.id)
        except ServiceError as exc:
            refuse(exc)
            return render_template("admin/calendar.html", values=request.form.to_dict(), **_calendar_ctx()), exc.status
        flash(_("Đã lưu ngày điều chỉnh; các thời hạn liên quan đã được tính lại."), "info")
        return redirect(url_for("deadlines.calendar_view", nam=day.year))
    return render_template("admin/calendar.html", values={}, **_calendar_ctx())


@bp.route("/xoa", methods=["POST"])
def calendar_remove():
    s = db_session()
    try:
        day = date.fromisoformat(request.form.get("day", ""))
    except ValueError:
        abort(400)
    if deadlines.remove_override(s, workflows(), day=day, now=now()):
        flash(_("Đã bỏ ngày điều chỉnh; các thời hạn liên quan đã được tính lại."), "info")
    return redirect(url_for("deadlines.calendar_view", nam=day.year))
