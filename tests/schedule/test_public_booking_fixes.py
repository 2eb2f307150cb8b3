"""Booking and cancelling on the public schedule (no login): one form of a phone number, one booking per number
and session, no cancelling once the session has begun, an address the outbox can send to (review of the public
side, F2, F3, F4, F6)."""
from __future__ import annotations

import pytest
from factories import NOW

from dvflow.services.errors import ServiceError
from dvflow.services.reception import bookings

from .helpers import published_session
from .test_public import book, csrf

CANCEL = "/lich-tiep-cong-dan/huy-dat-lich"


@pytest.mark.parametrize("raw", ["+84 912 345 678", "+84912345678", "+84 (0)912 345 678", "0912.345.678",
                                 "0912-345-678", "0912345678"])
def test_a_number_has_one_form(raw):
    assert bookings.normalise_phone(raw) == "0912345678"


def test_a_booking_stores_the_number_in_its_one_form(session, org):
    row = published_session(session, org)
    booking = bookings.book(session, row.id, bookings.BookingInput("A", "+84 912 345 678", "Hỏi"), NOW)
    assert booking.phone == "0912345678"


@pytest.mark.parametrize("booked, typed", [("+84 912 345 678", "0912345678"), ("0912345678", "+84912345678")])
def test_either_form_of_the_number_cancels(app, client, session, org, booked, typed):
    row = published_session(session, org)
    booking = bookings.book(session, row.id, bookings.BookingInput("A", booked, "Hỏi"), NOW)
    answer = client.post(CANCEL, data={"code": booking.code, "phone": typed, "csrf_token": csrf(client, CANCEL)})
    assert answer.status_code == 200 and booking.code in answer.get_data(as_text=True)
    session.expire_all()
    assert booking.status == "cancelled"


def test_a_row_stored_before_the_one_form_still_cancels(session, org):
    row = published_session(session, org)
    booking = bookings.book(session, row.id, bookings.BookingInput("A", "0912345678", "Hỏi"), NOW)
    booking.phone = "+84912345678"  # as booked before numbers were normalised
    session.flush()
    assert bookings.cancel_by_citizen(session, booking.code, "0912 345 678", NOW).status == "cancelled"


def test_a_double_submit_takes_one_slot(app, client, session, org):
    row = published_session(session, org, booking_capacity=3)
    token = csrf(client, f"/lich-tiep-cong-dan/{row.id}")
    assert book(client, row.id, token).status_code == 200
    again = book(client, row.id, token, phone="+84 912 345 678")  # the same number in its other form
    text = again.get_data(as_text=True)
    assert again.status_code == 400 and "Số điện thoại: số này đã đặt một lượt trong phiên này" in text
    assert "LH-" not in text  # the code and the number together cancel a booking: never told to whoever types it
    assert len(bookings.free_slots(session, row)) == 2


def test_the_number_may_book_again_once_it_cancelled_and_in_another_session(session, org):
    row = published_session(session, org)
    other = published_session(session, org, place="Phòng 2")
    first = bookings.book(session, row.id, bookings.BookingInput("A", "0912345678", "Hỏi"), NOW)
    bookings.book(session, other.id, bookings.BookingInput("A", "0912345678", "Hỏi"), NOW)
    with pytest.raises(ServiceError) as refused:
        bookings.book(session, row.id, bookings.BookingInput("A", "0912 345 678", "Hỏi"), NOW)
    assert refused.value.field == "phone"
    bookings.cancel_by_citizen(session, first.code, "0912345678", NOW)
    assert bookings.book(session, row.id, bookings.BookingInput("A", "0912345678", "Hỏi"), NOW).status == "booked"


def test_no_cancelling_once_the_session_has_begun_or_was_held(session, org):
    from datetime import datetime, timezone

    from dvflow.services.reception import sessions

    row = published_session(session, org)  # 03/12/2026, 08:00–11:00 local
    booking = bookings.book(session, row.id, bookings.BookingInput("Dân", "0912345678", "Hỏi"), NOW)
    started = datetime(2026, 12, 3, 1, 0, tzinfo=timezone.utc)  # 08:00 local, the same day
    with pytest.raises(ServiceError) as refused:
        bookings.cancel_by_citizen(session, booking.code, "0912345678", started)
    assert refused.value.field == "code" and "đã bắt đầu" in refused.value.message
    evening = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)  # 16:00 local: the desk closes it as held
    sessions.close(session, org["users"]["reception"], row.id, sessions.CloseInput(), evening)
    session.flush()
    with pytest.raises(ServiceError):
        bookings.cancel_by_citizen(session, booking.code, "0912345678", evening)
    assert booking.status == "booked"  # still the desk's to record as received or absent
    just_before = datetime(2026, 12, 3, 0, 59, tzinfo=timezone.utc)  # 07:59 local
    other = published_session(session, org, place="Phòng 2")
    late = bookings.book(session, other.id, bookings.BookingInput("Dân", "0912345678", "Hỏi"), NOW)
    assert bookings.cancel_by_citizen(session, late.code, "0912345678", just_before).status == "cancelled"


@pytest.mark.parametrize("email", ["dân@ví-dụ.vn", "dan@ví-dụ.vn", "dân@example.vn"])
def test_an_address_the_outbox_cannot_send_to_is_refused_naming_the_field(app, client, session, org, email):
    row = published_session(session, org)
    answer = book(client, row.id, email=email)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "Thư điện tử: địa chỉ không hợp lệ; chỉ dùng chữ không dấu" in text
    assert len(bookings.free_slots(session, row)) == 3
    assert book(client, row.id, email="dan@vi-du.vn").status_code == 200


@pytest.mark.parametrize("change, message", [
    ({"name": "Ă" * 300}, "Họ và tên: tối đa 255 ký tự."), ({"phone": "0" * 21}, "Số điện thoại: tối đa 20 ký tự."),
    ({"email": "a" * 251 + "@x.vn"}, "Thư điện tử: tối đa 255 ký tự."),
])
def test_a_form_error_names_its_field_once(app, client, session, org, change, message):
    row = published_session(session, org)
    text = book(client, row.id, **change).get_data(as_text=True)
    assert f'<p class="error">{message}</p>' in text
