"""A booking cancelled from the session desk by the unit (services.reception.booking_staff): thin handler."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...request import db_session, now
from ...services.errors import ServiceError
from ...services.reception import booking_staff
from . import bp
from .desk import _fail


@bp.route("/phien/<int:session_id>/dang-ky/<int:booking_id>/huy", methods=["POST"])
@login_required
def cancel_booking(session_id: int, booking_id: int):
    try:
        booking = booking_staff.cancel_by_staff(db_session(), current_user.user, session_id, booking_id,
                                                request.form.get("reason", ""), now())
    except ServiceError as exc:
        return _fail(exc, session_id)
    flash(_("Đã hủy lượt đặt lịch %(code)s; công dân được báo qua thư điện tử nếu đã để lại địa chỉ.",
            code=booking.code), "info")
    return redirect(url_for("reception.desk", session_id=session_id))
