"""The public reception schedule (no login): /lich-tiep-cong-dan, its iCalendar feed, and booking a slot.

Shows what the law requires to be public (LTCD Điều 24 khoản 4: day, hours, place, who receives) and never anything
about the citizens who booked. Booking is rate-limited per address like the case lookup, and CSRF-protected.
"""
from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..extensions import limiter, subscriber_address
from ..request import PageBlueprint, db_session, now, public_base_url, refuse
from ..services.errors import NotFound, ServiceError
from ..services.reception import bookings, public_schedule
from ..timeutil import local_date

bp = PageBlueprint("public_schedule", __name__)
#: every booking or cancelling form sent from one address (an IPv6 client by its /64), refused or not
BOOKING_LIMIT = "10 per minute;30 per hour"
#: bookings made from one subscriber (an IPv6 one by its /56, extensions.IPV6_SUBSCRIBER_PREFIX): phones are not verified, so one client could otherwise take every slot of a
#: session under made-up numbers (and have the confirmations sent wherever it likes). Only a booking made counts
BOOKINGS_PER_DAY = "2 per day"
#: bookings made from one subscriber in one session, however many days it books over (a session is published at
#: least 5 working days ahead; the count lives long enough to outlast any session still bookable)
BOOKINGS_PER_SESSION = "2 per 90 days"


def _booked(response) -> bool:
    return response.status_code == 200


def _address_and_session() -> str:
    return f"{subscriber_address()}/{request.view_args.get('session_id')}"


class BookForm(FlaskForm):
    name = StringField(_l("Họ và tên"), validators=[
        DataRequired(_l("Nhập họ và tên.")), Length(max=255, message=_l("Họ và tên: tối đa %(max)d ký tự."))])
    phone = StringField(_l("Số điện thoại"), validators=[
        DataRequired(_l("Nhập số điện thoại.")), Length(max=20, message=_l("Số điện thoại: tối đa %(max)d ký tự."))])
    email = StringField(_l("Thư điện tử (không bắt buộc, để nhận xác nhận và nhắc lịch)"),
                        validators=[Length(max=255, message=_l("Thư điện tử: tối đa %(max)d ký tự."))])
    content = TextAreaField(_l("Nội dung cần trình bày (tối đa 500 ký tự)"), validators=[
        DataRequired(_l("Nêu ngắn gọn nội dung.")),
        Length(max=bookings.CONTENT_MAX, message=_l("Nội dung cần trình bày: tối đa %(max)d ký tự."))])


@bp.route("/lich-tiep-cong-dan", methods=["GET"])
def index():
    s, today = db_session(), local_date(now())
    unit = request.args.get("unit", "").strip() or None
    past = request.args.get("qua") == "1"
    rows = public_schedule.published_sessions(s, today, unit, past, cancelled=True)
    return render_template("public/schedule.html", rows=rows, units=public_schedule.public_units(s), unit=unit,
                           past=past, today=today)


@bp.route("/lich-tiep-cong-dan.ics", methods=["GET"])
def ics():
    unit = request.args.get("unit", "").strip() or None
    rows = public_schedule.published_sessions(db_session(), local_date(now()), unit, cancelled=True)
    body = public_schedule.ical(rows, base_url=public_base_url(), now=now())
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="lich-tiep-cong-dan.ics"'})


def _session_or_404(session_id: int):
    row = public_schedule.public_session(db_session(), session_id, local_date(now()))
    if row is None:
        abort(404)
    return row


@bp.route("/lich-tiep-cong-dan/<int:session_id>", methods=["GET"])
def show(session_id: int):
    return render_template("public/schedule_session.html", row=_session_or_404(session_id), form=BookForm())


@bp.route("/lich-tiep-cong-dan/<int:session_id>", methods=["POST"])
@limiter.limit(BOOKING_LIMIT)
@limiter.limit(BOOKINGS_PER_DAY, key_func=subscriber_address, deduct_when=_booked)
@limiter.limit(BOOKINGS_PER_SESSION, key_func=_address_and_session, deduct_when=_booked)
def book(session_id: int):
    row, form = _session_or_404(session_id), BookForm()
    if not form.validate_on_submit():
        return render_template("public/schedule_session.html", row=row, form=form), 400
    data = bookings.BookingInput(name=form.name.data, phone=form.phone.data, email=form.email.data or "",
                                 content=form.content.data)
    try:
        booking = bookings.book(db_session(), session_id, data, now())
    except NotFound:
        abort(404)
    except ServiceError as exc:
        refuse(exc)
        return render_template("public/schedule_session.html", row=_session_or_404(session_id), form=form), 400
    # an online session's link goes only to those who booked (the schedule itself does not publish it)
    return render_template("public/booking_done.html", row=row, booking=booking,
                           meeting_url=bookings.meeting_link(db_session(), session_id))


class CancelForm(FlaskForm):
    code = StringField(_l("Mã đặt lịch"), validators=[
        DataRequired(_l("Nhập mã đặt lịch.")), Length(max=20, message=_l("Mã đặt lịch: tối đa %(max)d ký tự."))])
    phone = StringField(_l("Số điện thoại đã dùng khi đặt lịch"), validators=[
        DataRequired(_l("Nhập số điện thoại.")), Length(max=20, message=_l("Số điện thoại: tối đa %(max)d ký tự."))])


@bp.route("/lich-tiep-cong-dan/huy-dat-lich", methods=["GET"])
def cancel_form():
    return render_template("public/booking_cancel.html", form=CancelForm())


@bp.route("/lich-tiep-cong-dan/huy-dat-lich", methods=["POST"])
@limiter.limit(BOOKING_LIMIT)
def cancel():
    form = CancelForm()
    if not form.validate_on_submit():
        return render_template("public/booking_cancel.html", form=form), 400
    try:
        booking = bookings.cancel_by_citizen(db_session(), form.code.data, form.phone.data, now())
    except ServiceError as exc:
        refuse(exc)
        return render_template("public/booking_cancel.html", form=form), 400
    return render_template("public/booking_cancel.html", form=None, cancelled=booking)


@bp.after_request
def _no_store(response):
    if request.method == "POST":  # the answer carries the citizen's booking code
        response.headers["Cache-Control"] = "no-store"
    return response

