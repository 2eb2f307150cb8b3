"""The public schedule (/lich-tiep-cong-dan), its iCalendar feed and booking, without login: published sessions
only, never a citizen's name or phone; booking errors name the field; booking is rate-limited."""
from __future__ import annotations

import re
from datetime import date, time

import pytest
from factories import NOW, WEB_ORG, make_org
from icalendar import Calendar

from dvflow.extensions import limiter
from dvflow.services.reception import bookings, officials
from dvflow.services.reception.compliance import schedule_rules

from .helpers import published_session

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf(client, url):
    page = client.get(url).get_data(as_text=True)
    assert CSRF_RE.search(page), page
    return CSRF_RE.search(page).group(1)


def book(client, session_id, token=None, **data):
    url = f"/lich-tiep-cong-dan/{session_id}"
    form = {"name": "Hoàng Văn Dân", "phone": "0912345678", "email": "", "content": "Hỏi về thu hồi đất"}
    form.update(data)
    return client.post(url, data={**form, "csrf_token": token or csrf(client, url)})


def test_the_page_and_the_feed_show_published_sessions_and_no_citizen_data(app, client, session, org):
    from config import ROOT
    head = officials.add_official(session, org["users"]["head"], schedule_rules(str(ROOT / "workflows")),
                                  officials.OfficialInput(org["dept"].id, "Nguyễn Văn An", "Giám đốc Sở",
                                                          "agency_head", date(2025, 1, 1)), NOW)
    shown = published_session(session, org, kind="periodic", official_id=head.id, place="Hội trường Sở")
    published_session(session, org, publish=False, place="Phòng họp chưa công bố")
    online = published_session(session, org, mode="online", meeting_url="https://hop.example.vn/bi-mat",
                               place="", day=date(2026, 12, 4), unit="other", user="other_head")
    bookings.book(session, shown.id, bookings.BookingInput("Trần Thị Bí Mật", "0987000111", "Nội dung riêng tư",
                                                           "bimat@example.test"), NOW)
    page = client.get("/lich-tiep-cong-dan").get_data(as_text=True)
    assert "Hội trường Sở" in page and "Giám đốc Sở Nguyễn Văn An" in page and "03/12/2026" in page
    assert "08:00–11:00" in page and "Phòng họp chưa công bố" not in page
    assert "Đặt lịch (còn 2 lượt)" in page
    feed = client.get("/lich-tiep-cong-dan.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    events = [c for c in Calendar.from_ical(feed.data).walk("VEVENT")]
    assert {str(e["location"]) for e in events} == {"Hội trường Sở", "Trực tuyến"}
    start = next(e for e in events if str(e["location"]) == "Hội trường Sở").decoded("dtstart")
    assert (start.date(), start.hour, start.utcoffset().total_seconds()) == (date(2026, 12, 3), 8, 7 * 3600)
    for text in (page, feed.data.decode("utf-8"), client.get(f"/lich-tiep-cong-dan/{shown.id}").get_data(True)):
        for secret in ("Bí Mật", "0987000111", "bimat@example.test", "riêng tư", "hop.example.vn"):
            assert secret not in text
    only_sys = client.get("/lich-tiep-cong-dan.ics?unit=SYT").data.decode("utf-8")
    assert "Trực tuyến" in only_sys and "Hội trường Sở" not in only_sys
    filtered = client.get("/lich-tiep-cong-dan?unit=SYT").get_data(as_text=True)
    assert "Hội trường Sở" not in filtered and online.id


def test_a_citizen_books_and_is_told_the_code_time_and_place(app, client, session, org):
    row = published_session(session, org, start_time=time(14, 0), end_time=time(15, 0), booking_capacity=2)
    first = book(client, row.id)
    text = first.get_data(as_text=True)
    assert first.status_code == 200 and "14:00 ngày 03/12/2026" in text and "Phòng tiếp công dân" in text
    code = re.search(r'id="booking-code">(LH-[A-Z0-9]+)<', text).group(1)
    assert bookings.find_booking(session, code).name == "Hoàng Văn Dân"
    assert first.headers["Cache-Control"] == "no-store"
    token = csrf(client, f"/lich-tiep-cong-dan/{row.id}")
    assert "14:30" in book(client, row.id, token, name="Người thứ hai", phone="0911111111").get_data(as_text=True)
    assert "đã hết lượt" in client.get(f"/lich-tiep-cong-dan/{row.id}").get_data(as_text=True)
    full = book(client, row.id, token, name="Người thứ ba", phone="0922222222")
    assert full.status_code == 400 and "hết lượt" in full.get_data(as_text=True)


@pytest.mark.parametrize("change, message", [
    ({"phone": "12ab"}, "Số điện thoại"), ({"email": "không-phải-thư"}, "Thư điện tử"),
    ({"content": "x" * 501}, "Nội dung"), ({"name": ""}, "Họ và tên"),
])
def test_booking_errors_name_the_field(app, client, session, org, change, message):
    row = published_session(session, org)
    answer = book(client, row.id, **change)
    assert answer.status_code == 400 and message in answer.get_data(as_text=True)
    assert bookings.free_slots(session, row) == [time(8, 0), time(8, 30), time(9, 0)]


def test_booking_needs_the_csrf_token_and_a_published_future_session(app, client, session, org):
    row = published_session(session, org)
    assert client.post(f"/lich-tiep-cong-dan/{row.id}", data={"name": "A", "phone": "0912345678",
                                                               "content": "x"}).status_code == 400
    planned = published_session(session, org, publish=False)
    assert client.get(f"/lich-tiep-cong-dan/{planned.id}").status_code == 404
    assert client.get("/lich-tiep-cong-dan/999999").status_code == 404


def test_booking_is_rate_limited(connection, clock, tmp_path, session):
    from dvflow import create_app

    org = make_org(session, **WEB_ORG)
    row = published_session(session, org, booking_capacity=0)
    app = create_app({"ENV": "testing", "DB_BIND": connection, "NOW": clock, "RATELIMIT_ENABLED": True,
                      "WTF_CSRF_ENABLED": False, "UPLOAD_DIR": str(tmp_path / "uploads")})
    limiter.reset()
    client = app.test_client()
    codes = [client.post(f"/lich-tiep-cong-dan/{row.id}", data={"name": "A", "phone": "0912345678",
                                                                 "content": "x"}).status_code for _ in range(11)]
    assert codes[:10] == [400] * 10 and codes[10] == 429
    limiter.reset()


def test_an_online_sessions_link_goes_only_to_those_who_booked(app, client, session, org):
    row = published_session(session, org, mode="online", meeting_url="https://hop.example.vn/phong-1", place="",
                            day=date(2026, 12, 4))
    assert "hop.example.vn" not in client.get("/lich-tiep-cong-dan").get_data(as_text=True)
    done = book(client, row.id, email="dan@example.test").get_data(as_text=True)
    assert "https://hop.example.vn/phong-1" in done
    from sqlalchemy import select

    from dvflow.models import Notification
    mail = session.scalars(select(Notification).where(Notification.template == "booking_confirmed")).one()
    assert "https://hop.example.vn/phong-1" in mail.body


def test_control_characters_are_refused_naming_the_field(app, client, session, org):
    row = published_session(session, org)
    answer = book(client, row.id, name="Tên\x01lạ")
    assert answer.status_code == 400 and "ký tự điều khiển" in answer.get_data(as_text=True)
    # a NUL is refused by the pages' request boundary before the form is read, naming the field
    answer = book(client, row.id, name="Tên\x00lạ")
    assert answer.status_code == 400 and "“name” không được chứa ký tự NUL" in answer.get_data(as_text=True)
    assert client.get("/lich-tiep-cong-dan?unit=A%00B").status_code == 200
    assert client.get("/lich-tiep-cong-dan.ics?unit=A%00B").status_code == 200


def test_the_past_two_weeks_only_when_asked(app, client, session, org):
    from dvflow.models import ReceptionSession
    for day, status, place in [(date(2026, 11, 18), "held", "Phòng đã tiếp"), (date(2026, 11, 2), "held", "Phòng cũ"),
                               (date(2026, 11, 19), "cancelled", "Phòng đã hủy")]:
        session.add(ReceptionSession(unit_id=org["dept"].id, kind="regular", mode="in_person", day=day,
                                     start_time=time(8, 0), end_time=time(9, 0), place=place, status=status,
                                     booking_capacity=0, slot_minutes=20, created_at=NOW))
    session.flush()
    assert "Phòng đã tiếp" not in client.get("/lich-tiep-cong-dan").get_data(as_text=True)
    past = client.get("/lich-tiep-cong-dan?qua=1").get_data(as_text=True)
    assert "Phòng đã tiếp" in past and "Đã tiếp" in past
    assert "Phòng cũ" not in past and "Phòng đã hủy" not in past


def test_a_citizen_cancels_with_the_code_and_phone_and_the_slot_is_free_again(app, client, session, org):
    row = published_session(session, org, booking_capacity=1)
    first = bookings.book(session, row.id, bookings.BookingInput("Hoàng Văn Dân", "0912 345 678", "Hỏi về đất"), NOW)
    url = "/lich-tiep-cong-dan/huy-dat-lich"
    wrong = client.post(url, data={"code": first.code, "phone": "0999999999", "csrf_token": csrf(client, url)})
    assert wrong.status_code == 400 and "không khớp" in wrong.get_data(as_text=True)
    never_issued = "LH-" + first.code[:2:-1]  # well formed (same letters), but no booking has it
    assert never_issued != first.code
    unknown = client.post(url, data={"code": never_issued, "phone": "0912345678", "csrf_token": csrf(client, url)})
    assert unknown.get_data(as_text=True).count("không khớp") == 1  # the same answer: no telling which codes exist
    session.expire_all()
    assert first.status == "booked"
    done = client.post(url, data={"code": first.code.lower(), "phone": "0912.345.678",
                                  "csrf_token": csrf(client, url)})
    assert done.status_code == 200 and first.code in done.get_data(as_text=True)
    session.expire_all()
    assert first.status == "cancelled"
    again = client.post(url, data={"code": first.code, "phone": "0912345678", "csrf_token": csrf(client, url)})
    assert again.status_code == 400 and "đã được hủy" in again.get_data(as_text=True)
    # the only slot is free again: another citizen books it
    second = bookings.book(session, row.id, bookings.BookingInput("Lê Thị Hai", "0911111111", "Hỏi về đất"), NOW)
    assert second.slot_time == first.slot_time


def test_the_booking_answer_says_how_to_cancel(app, client, session, org):
    row = published_session(session, org)
    page = book(client, row.id).get_data(as_text=True)
    assert "/lich-tiep-cong-dan/huy-dat-lich" in page


def test_a_past_session_cannot_be_cancelled(session, org):
    from datetime import timedelta

    from dvflow.services.errors import ServiceError

    row = published_session(session, org)
    booking = bookings.book(session, row.id, bookings.BookingInput("Hoàng Văn Dân", "0912345678", "Hỏi"), NOW)
    with pytest.raises(ServiceError) as refused:
        bookings.cancel_by_citizen(session, booking.code, "0912345678", NOW + timedelta(days=10))
    assert refused.value.field == "code" and "đã qua" in refused.value.message
