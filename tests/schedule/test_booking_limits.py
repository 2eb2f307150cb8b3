"""One client booking every slot of a published session (a review's reproduction, limits): bookings per address per
day and per session, and the unit cancelling a single booking from the session desk."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from factories import NOW, WEB_ORG, make_org
from sqlalchemy import select

from dvflow.extensions import limiter
from dvflow.models import Notification, ReceptionBooking
from dvflow.services.errors import ServiceError
from dvflow.services.reception import booking_staff, bookings
from dvflow.timeutil import TZ

from .helpers import published_session


@pytest.fixture
def limited(connection, clock, tmp_path):
    from dvflow import create_app

    app = create_app({"ENV": "testing", "DB_BIND": connection, "NOW": clock, "RATELIMIT_ENABLED": True,
                      "WTF_CSRF_ENABLED": False, "UPLOAD_DIR": str(tmp_path / "uploads")})
    limiter.reset()
    yield app
    limiter.reset()


def _book(client, row, i: int, **fields):
    return client.post(f"/lich-tiep-cong-dan/{row.id}", data={
        "name": f"Nguyễn Văn {chr(65 + i)}", "phone": f"09120000{i:02d}", "email": f"victim{i}@example.test",
        "content": "Hỏi về thu hồi đất", **fields})


def _client(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _a_day_later():
    """The limiter counts in wall-clock windows: forget the per-day counts as a day would."""
    store = limiter.storage
    for key in [k for k in list(store.storage) if k.endswith("/2/1/day")]:
        store.clear(key)


def test_one_address_cannot_take_every_slot_of_a_session(limited, session):
    """Nine 20-minute slots: one address, with made-up phone numbers (nothing checks a number), took all nine in a
    minute, and the confirmations went to whatever addresses the form named."""
    org = make_org(session, **WEB_ORG)
    row = published_session(session, org, booking_capacity=9, slot_minutes=20)
    spammer = _client(limited, "203.0.113.50")
    statuses = [_book(spammer, row, i).status_code for i in range(9)]
    assert statuses == [200, 200] + [429] * 7
    late = _book(_client(limited, "198.51.100.20"), row, 20, email="")
    assert late.status_code == 200
    assert session.query(Notification).filter(Notification.booking_id.is_not(None)).count() == 2


def test_only_bookings_made_count_and_one_session_takes_two_per_address(limited, session):
    org = make_org(session, **WEB_ORG)
    row = published_session(session, org, booking_capacity=9, slot_minutes=20)
    other = published_session(session, org, booking_capacity=9, slot_minutes=20, day=date(2026, 12, 4))
    client = _client(limited, "2001:db8:77::1")
    assert _book(client, row, 0, phone="12").status_code == 400  # refused forms do not count
    assert _book(client, row, 0, phone="12").status_code == 400
    assert [_book(client, row, i).status_code for i in range(2)] == [200, 200]
    _a_day_later()
    same_64 = _client(limited, "2001:db8:77::ffff")  # the same IPv6 subscriber (/64)
    assert _book(same_64, row, 5).status_code == 429  # two in this session already, whatever the day
    assert _book(same_64, other, 6).status_code == 200


def test_one_ipv6_household_cannot_take_every_slot(limited, session):
    """A household's router holds a /56: each of its 256 /64s was a client of its own to the booking caps."""
    org = make_org(session, **WEB_ORG)
    row = published_session(session, org, booking_capacity=9, slot_minutes=20)
    other = published_session(session, org, booking_capacity=9, slot_minutes=20, day=date(2026, 12, 4))
    statuses = [_book(_client(limited, f"2001:db8:0:ab{i:02x}::1"), row, i).status_code for i in range(9)]
    assert statuses == [200, 200] + [429] * 7
    _a_day_later()
    assert _book(_client(limited, "2001:db8:0:abff::9"), row, 10).status_code == 429  # the session's two, any day
    assert _book(_client(limited, "2001:db8:0:abff::9"), other, 11).status_code == 200
    assert _book(_client(limited, "2001:db8:0:ac00::1"), row, 12).status_code == 200  # the next /56: another home


def _desk(row) -> str:
    return f"/tiep-nhan/phien/{row.id}"


def test_the_unit_cancels_one_booking_from_the_desk(app, session, org, login):
    row = published_session(session, org, booking_capacity=3)
    kept = bookings.book(session, row.id, bookings.BookingInput("Lý Thị Mai", "0911222333", "Ranh giới đất"), NOW)
    fake = bookings.book(session, row.id, bookings.BookingInput("Người Bịa", "0911000111", "Đặt chỗ hàng loạt",
                                                                email="bia@example.test"), NOW)
    session.commit()
    reception = login("reception")
    page = reception.get(_desk(row)).get_data(as_text=True)
    action = f"{_desk(row)}/dang-ky/{fake.id}/huy"
    assert action in page and "Hủy lượt đặt" in page
    assert re.search(r'<label>Lý do hủy \(báo cho công dân\) <input type="text" name="reason" required', page)
    assert reception.post(action, {"reason": "  "}, token_from=_desk(row)).status_code == 400
    assert login("supervisor").post(action, {"reason": "x"}, token_from="/trang-chu").status_code == 403  # reads
    assert login("handler").post(action, {"reason": "x"}, token_from="/trang-chu").status_code == 404
    assert login("other_head").post(action, {"reason": "x"}, token_from="/trang-chu").status_code == 404
    done = reception.post(action, {"reason": "Đặt hàng loạt bằng số điện thoại không có thật"},
                          token_from=_desk(row))
    assert done.status_code == 302
    session.expire_all()
    assert (fake.status, kept.status) == ("cancelled", "booked")
    mail = session.scalars(select(Notification).where(Notification.booking_id == fake.id,
                                                      Notification.channel == "email")).all()
    assert [m.template for m in mail] == ["booking_confirmed", "booking_cancelled_by_unit"]
    assert "Đặt hàng loạt bằng số điện thoại không có thật" in mail[1].body and fake.code in mail[1].subject
    record = session.scalars(select(Notification).where(Notification.booking_id == fake.id,
                                                        Notification.channel == "inbox")).all()
    readers = {r.user_id: r.read_at for r in record}
    assert set(readers) == {org["users"]["head"].id, org["users"]["reception"].id}
    assert readers[org["users"]["head"].id] is None and readers[org["users"]["reception"].id] is not None
    assert "Cán bộ reception đã hủy lượt đặt lịch" in record[0].body
    again = reception.post(action, {"reason": "lần nữa"}, token_from=_desk(row))
    assert again.status_code == 400  # already cancelled
    free = bookings.book(session, row.id, bookings.BookingInput("Trần Văn Dân", "0987654321", "Khiếu nại"), NOW)
    assert free.slot_time == fake.slot_time  # the slot is free again
    assert session.scalar(select(ReceptionBooking.status).where(ReceptionBooking.id == kept.id)) == "booked"


def test_a_booking_of_a_session_already_over_is_not_cancelled(session, org):
    """The unit frees slots of a session still ahead: once its closing hour has passed (Vietnam's time) the citizen
    would be e-mailed to book again for a day gone by."""
    row = published_session(session, org, booking_capacity=3)
    booked = bookings.book(session, row.id, bookings.BookingInput("Lý Thị Mai", "0911222333", "Ranh giới đất",
                                                                  email="mai@example.test"), NOW)
    closing = datetime.combine(row.day, row.end_time, TZ)
    for when in (closing, closing + timedelta(days=2)):
        with pytest.raises(ServiceError) as raised:
            booking_staff.cancel_by_staff(session, org["users"]["reception"], row.id, booked.id,
                                          "Đặt hàng loạt bằng số điện thoại không có thật", when)
        assert raised.value.field == "booking_id" and booked.status == "booked"
    during = datetime.combine(row.day, time(row.end_time.hour - 1), TZ)  # the session running: still cancelled
    booking_staff.cancel_by_staff(session, org["users"]["reception"], row.id, booked.id,
                                  "Công dân gọi điện báo không đến được", during)
    assert booked.status == "cancelled"
