"""Thin handlers of the reception schedule: the month's sessions, planning one (and editing it until it is
published), its page with the bookings, and publishing, cancelling, recording a delegation or removing it (each one
use case, committed at the request boundary)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...request import bounded_int, db_session, now, refuse
from ...services.deadlines.calendar import load_calendar
from ...services.errors import Forbidden, NotFound, ServiceError
from ...services.reception import compliance, officials, refusals, schedule, sessions
from ...services.reception import desk as desk_queries
from ...services.reception.bookings import who_receives
from ...services.reception.schedule_access import planning_units, viewing_units, within
from ...timeutil import local_date
from . import bp
from .fields import month_arg
from .schedule_forms import session_input


@bp.record_once
def _check_rules(state) -> None:
    """Read the frequency rules and the refusal grounds when the app starts: a bad schedule_rules.yaml or
    refusal_grounds.yaml stops it with a message naming the file and the problem, instead of failing on the first
    schedule page or at the desk."""
    compliance.schedule_rules(state.app.config["WORKFLOWS_DIR"])
    refusals.load(state.app.config["WORKFLOWS_DIR"])


def _may_plan(s, user) -> bool:
    units = planning_units(s, user)
    return units is None or bool(units)


@bp.route("/lich", methods=["GET"])
@login_required
def schedule_index():
    s, user = db_session(), current_user.user
    month = month_arg(request.args.get("thang"), local_date(now()))
    unit_id = request.args.get("unit", type=bounded_int)
    rows = schedule.month_sessions(s, viewing_units(s, user), month.year, month.month, unit_id)
    planning = planning_units(s, user)
    return render_template("reception/schedule.html", rows=rows, month=month, unit_id=unit_id,
                           units=schedule.visible_units(s, user),
                           may_plan=_may_plan(s, user), plannable=lambda r: within(planning, r.unit_id),
                           desk_open=lambda r: sessions.may_open(s, user, r.unit_id), who=who_receives)


def _form_page(values: dict, status: int = 200, editing=None):
    """The session form: a new session, or `editing` (a planned session, its unit fixed)."""
    s, user = db_session(), current_user.user
    units = [editing.unit] if editing is not None else schedule.plannable_units(s, user)
    staff = officials.list_officials(s, {u.id for u in units})
    return render_template("reception/schedule_new.html", units=units, officials=staff, values=values,
                           editing=editing), status


def _values(row) -> dict:
    """A planned session's fields as the form shows them."""
    return {"unit_id": row.unit_id, "kind": row.kind, "mode": row.mode, "official_id": row.official_id or "",
            "day": row.day.isoformat(), "start_time": row.start_time.strftime("%H:%M"),
            "end_time": row.end_time.strftime("%H:%M"), "place": "" if row.mode == "online" else row.place,
            "meeting_url": row.meeting_url or "", "booking_capacity": row.booking_capacity,
            "slot_minutes": row.slot_minutes, "notes": row.notes or ""}


@bp.route("/lich/moi", methods=["GET", "POST"])
@login_required
def schedule_new():
    s, user = db_session(), current_user.user
    if not _may_plan(s, user):
        abort(403)
    if request.method == "GET":
        return _form_page({"start_time": "08:00", "end_time": "11:00", "slot_minutes": "20",
                           "booking_capacity": "0", "kind": "regular", "mode": "in_person"})
    try:
        row = schedule.create_session(s, user, load_calendar(s), session_input(request.form), now())
    except Forbidden:
        abort(403)
    except ServiceError as exc:
        refuse(exc)
        return _form_page(request.form.to_dict(), 400)
    flash(_("Đã lập phiên tiếp công dân (dự kiến). Công bố để đưa lên lịch công khai."), "info")
    return redirect(url_for("reception.schedule_show", session_id=row.id))


@bp.route("/lich/<int:session_id>/sua", methods=["GET", "POST"])
@login_required
def schedule_edit(session_id: int):
    row = _load(session_id, manage=True)
    if request.method == "GET":
        if not schedule.may_edit(db_session(), row, local_date(now())):
            flash(_("Chỉ sửa được phiên dự kiến, chưa công bố, chưa đến ngày và chưa tiếp công dân. Phiên đã công "
                    "bố: hủy phiên rồi lập phiên mới."), "danger")
            return redirect(url_for("reception.schedule_show", session_id=row.id))
        return _form_page(_values(row), editing=row)
    s, user = db_session(), current_user.user
    try:
        schedule.update_session(s, user, load_calendar(s), session_id, session_input(request.form), now())
    except ServiceError as exc:
        refuse(exc)
        return _form_page(request.form.to_dict(), 400, editing=_load(session_id, manage=True))
    flash(_("Đã sửa phiên tiếp công dân."), "info")
    return redirect(url_for("reception.schedule_show", session_id=session_id))


def _load(session_id: int, manage: bool = False):
    s, user = db_session(), current_user.user
    try:
        return schedule.load_session(s, user, session_id, manage=manage)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)


def _show(row, status: int = 200):
    s, user = db_session(), current_user.user
    cal = load_calendar(s)
    may_manage = within(planning_units(s, user), row.unit_id)
    booked = schedule.session_bookings(s, row)
    # citizens' names and phones: only for those who receive them (the unit's reception and heads), need-to-know;
    # a booking received into a confidential visit redacted even for them
    rows = desk_queries.booking_rows(s, booked) if may_manage else None
    return render_template("reception/schedule_show.html", row=row, bookings=rows,
                           editable=may_manage and schedule.may_edit(s, row, local_date(now())),
                           booking_count=sum(1 for b in booked if b.status != "cancelled"),
                           may_manage=may_manage, who=who_receives(row),
                           desk_open=sessions.may_open(s, user, row.unit_id),
                           needs_notice=schedule.needs_notice(row),
                           last_publish=schedule.last_publish_day(cal, row.day)), status


@bp.route("/lich/<int:session_id>", methods=["GET"])
@login_required
def schedule_show(session_id: int):
    return _show(_load(session_id))


def _act(session_id: int, work, done: str):
    s, user = db_session(), current_user.user
    _load(session_id, manage=True)
    try:
        work(s, user)
    except ServiceError as exc:
        refuse(exc)
        return _show(_load(session_id), 400)
    flash(done, "info")
    return redirect(url_for("reception.schedule_show", session_id=session_id))


@bp.route("/lich/<int:session_id>/cong-bo", methods=["POST"])
@login_required
def schedule_publish(session_id: int):
    return _act(session_id, lambda s, u: schedule.publish_session(s, u, load_calendar(s), session_id, now()),
                _("Đã công bố phiên trên lịch tiếp công dân công khai."))


@bp.route("/lich/<int:session_id>/huy", methods=["POST"])
@login_required
def schedule_cancel(session_id: int):
    reason = request.form.get("reason", "")
    return _act(session_id, lambda s, u: schedule.cancel_session(s, u, session_id, reason, now()),
                _("Đã hủy phiên; công dân đã đặt lịch được báo qua thư điện tử (nếu có địa chỉ)."))


@bp.route("/lich/<int:session_id>/uy-quyen", methods=["POST"])
@login_required
def schedule_delegate(session_id: int):
    name, reason = request.form.get("delegate_name", ""), request.form.get("delegation_reason", "")
    return _act(session_id, lambda s, u: schedule.record_delegation(s, u, session_id, name, reason),
                _("Đã ghi nhận người được ủy quyền tiếp."))


@bp.route("/lich/<int:session_id>/bo-uy-quyen", methods=["POST"])
@login_required
def schedule_undelegate(session_id: int):
    return _act(session_id, lambda s, u: schedule.remove_delegation(s, u, session_id),
                _("Đã gỡ ủy quyền; ngày tiếp được tính là người đứng đầu trực tiếp tiếp."))
