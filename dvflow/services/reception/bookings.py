"""A citizen's booking of a slot in a published reception session (public, no login), its e-mails (confirmation,
cancellation, the reminder the day before, sent once) through the outbox.

The slot is the first free one: start + n × slot length, n < capacity, within the session's hours. A partial unique
index (session, slot time) of the active bookings makes two citizens booking at once never share a slot: the second
commit fails and is answered as a conflict to retry.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...engine.calendar import TZ, format_date, local_date
from ...models import Notification, ReceptionBooking, ReceptionSession
from ...notify.templates import render
from ..cases.intake_checks import EMAIL
from ..errors import NotFound, ServiceError
from .text import check_text

CONTENT_MAX = 500
PHONE_RE = re.compile(r"^0[0-9]{8,10}$")  # after normalise_phone
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


@dataclass(frozen=True)
class BookingInput:
    name: str
    phone: str
    content: str
    email: str = ""


def normalise_phone(raw: str) -> str:
    """One form of a Vietnamese number, stored and compared: separators dropped, +84 written as the leading 0
    ("+84 912 345 678", "+84 (0)912…" and "0912.345.678" are all "0912345678"). Anything else is returned
    without its separators, for PHONE_RE to refuse."""
    phone = re.sub(r"[\s.\-()]", "", raw)
    if phone.startswith("+84"):
        phone = "0" + phone[3:].removeprefix("0")
    return phone


def _check(data: BookingInput) -> tuple[str, str, str | None, str]:
    check_text("name", "Họ và tên", data.name)
    check_text("phone", "Số điện thoại", data.phone)
    check_text("email", "Thư điện tử", data.email)
    check_text("content", "Nội dung", data.content)
    name, content = data.name.strip(), data.content.strip()
    phone = normalise_phone(data.phone)
    email = data.email.strip() or None
    if not name or len(name) > 255:
        raise ServiceError("Họ và tên: không được để trống, tối đa 255 ký tự.", field="name")
    if not PHONE_RE.match(phone):
        raise ServiceError("Số điện thoại: nhập số điện thoại Việt Nam (ví dụ 0912345678).", field="phone")
    # intake's check: ASCII only, as the outbox's SMTP can send (a "dân@ví-dụ.vn" would be accepted, promised a
    # confirmation, and never sent)
    if email is not None and (len(email) > 255 or not EMAIL.fullmatch(email)):
        raise ServiceError("Thư điện tử: địa chỉ không hợp lệ; chỉ dùng chữ không dấu (ví dụ ten@mien.vn).",
                           field="email")
    if not content:
        raise ServiceError("Nội dung: nêu ngắn gọn việc ông/bà cần trình bày.", field="content")
    if len(content) > CONTENT_MAX:
        raise ServiceError("Nội dung: tối đa %(max)s ký tự.", field="content", max=CONTENT_MAX)
    return name, phone, email, content


def slot_times(row: ReceptionSession) -> list[time]:
    start = datetime.combine(row.day, row.start_time)
    end = datetime.combine(row.day, row.end_time)
    out = []
    for n in range(row.booking_capacity):
        slot = start + timedelta(minutes=n * row.slot_minutes)
        if slot + timedelta(minutes=row.slot_minutes) > end:
            break
        out.append(slot.time())
    return out


def taken_slots(session: Session, session_id: int) -> set[time]:
    return set(session.scalars(select(ReceptionBooking.slot_time).where(
        ReceptionBooking.session_id == session_id, ReceptionBooking.status != "cancelled")))


def free_slots(session: Session, row: ReceptionSession) -> list[time]:
    taken = taken_slots(session, row.id)
    return [t for t in slot_times(row) if t not in taken]


def bookable(row: ReceptionSession, today: date) -> bool:
    return row.status == "published" and row.day > today and row.booking_capacity > 0


def _booking_of_phone(session: Session, session_id: int, phone: str) -> ReceptionBooking | None:
    """The active booking of this number in the session, if any. Phones are encrypted (no equality in SQL): the
    session's few bookings (its capacity) are decrypted and compared in one form."""
    rows = session.scalars(select(ReceptionBooking).where(ReceptionBooking.session_id == session_id,
                                                          ReceptionBooking.status != "cancelled"))
    return next((b for b in rows if normalise_phone(b.phone) == phone), None)


def _new_code(session: Session) -> str:
    while True:
        code = "LH-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if session.scalar(select(ReceptionBooking.id).where(ReceptionBooking.code == code)) is None:
            return code


def book(session: Session, session_id: int, data: BookingInput, now: datetime) -> ReceptionBooking:
    """Book the first free slot of a published future session; refused with a message naming the field."""
    # locked (PostgreSQL): two submits of the same form, or a booking racing the session's cancellation, run one
    # after the other, so the second sees the first's booking
    row = session.get(ReceptionSession, session_id, with_for_update=True)
    if row is None or row.status != "published":
        raise NotFound("Không tìm thấy phiên tiếp công dân đã công bố.")
    if not bookable(row, local_date(now)):
        raise ServiceError("Phiên này không nhận đặt lịch (đã qua, hoặc không mở đặt lịch trước).", field="session")
    name, phone, email, content = _check(data)
    same = _booking_of_phone(session, row.id, phone)
    if same is not None:  # a double click, or Back and submit again, must not take a second slot
        # the code is not repeated here: with the phone it is what cancels a booking, and anyone may type a number
        raise ServiceError("Số điện thoại: số này đã đặt một lượt trong phiên này; mỗi số chỉ đặt một lượt cho "
                           "một phiên (mã đặt lịch đã báo khi đặt).", field="phone")
    booking = None
    for slot in free_slots(session, row):
        booking = ReceptionBooking(session_id=row.id, code=_new_code(session), name=name, phone=phone, email=email,
                                   content=content, slot_time=slot, status="booked", created_at=now)
        try:
            with session.begin_nested():  # another citizen took this slot meanwhile: try the next one
                session.add(booking)
                session.flush()
            break
        except IntegrityError:
            booking = None
    if booking is None:
        raise ServiceError("Phiên này đã hết lượt đặt lịch; xin chọn phiên khác.", field="session")
    if email:
        queue_booking_mail(session, booking, row, "booking_confirmed", now)
    return booking


def find_booking(session: Session, code: str) -> ReceptionBooking | None:
    if "\x00" in code:
        return None
    return session.scalar(select(ReceptionBooking).where(ReceptionBooking.code == code.strip().upper()))


def who_receives(row: ReceptionSession) -> str:
    """Who receives, as published: the delegate in the official's place, else the official, else the unit."""
    if row.delegate_name:
        return row.delegate_name
    if row.official is not None:
        return f"{row.official.title} {row.official.full_name}"
    return f"Cán bộ tiếp công dân, {row.unit.name}"


def queue_booking_mail(session: Session, booking: ReceptionBooking, row: ReceptionSession, template: str,
                       now: datetime, **params) -> None:
    """An e-mail to the citizen who booked, if they gave an address; the dispatcher reads it from the booking."""
    if not booking.email:
        return
    when = f"{booking.slot_time.strftime('%H:%M')} ngày {format_date(row.day)}"
    subject, body = render(template, {"code": booking.code, "when": when, "place": row.place,
                                      "unit": row.unit.name, "who": who_receives(row), **params})
    if row.meeting_url and not template.startswith("booking_cancelled"):
        # an online session: only those who booked get the link (the public schedule does not show it)
        body += f"\n\nĐường liên kết phiên tiếp công dân trực tuyến: {row.meeting_url}"
    session.execute(insert(Notification.__table__), dict(
        user_id=None, party_id=None, booking_id=booking.id, document_id=None, case_id=None, channel="email",
        template=template, subject=subject[:500], body=body, created_at=now, attempts=0, read_at=None,
        last_error=None, sent_at=None, delivery="pending", next_attempt_at=now))


def queue_reminders(session: Session, now: datetime) -> int:
    """Queue the reminder of every active booking with an address whose session is tomorrow (local), once
    (reminded_at); returns how many were queued. Run by the scheduler."""
    tomorrow = local_date(now) + timedelta(days=1)
    rows = session.execute(
        select(ReceptionBooking, ReceptionSession).join(ReceptionSession)
        .where(ReceptionSession.day == tomorrow, ReceptionSession.status == "published",
               ReceptionBooking.status == "booked", ReceptionBooking.reminded_at.is_(None))
        # several schedulers on PostgreSQL: each booking is claimed by one
        .with_for_update(of=ReceptionBooking, skip_locked=True)).all()
    count = 0
    for booking, row in rows:
        if booking.email:
            queue_booking_mail(session, booking, row, "booking_reminder", now)
            count += 1
        booking.reminded_at = now  # also without an address: looked at once, never again
    session.flush()
    return count


def meeting_link(session: Session, session_id: int) -> str | None:
    """The meeting link of an online session, for the citizen who just booked it."""
    row = session.get(ReceptionSession, session_id)
    return row.meeting_url if row is not None and row.mode == "online" else None


def cancel_by_citizen(session: Session, code: str, phone: str, now: datetime) -> ReceptionBooking:
    """The citizen calls off their booking with its code and the phone number they booked with (the code alone could
    be read over someone's shoulder); the slot is free again. Refused, naming the field, when the two do not match a
    booking still to come, or its session has begun (local time) or is no longer published."""
    check_text("code", "Mã đặt lịch", code)
    check_text("phone", "Số điện thoại", phone)
    booking = find_booking(session, code) if code.strip() else None
    # both sides normalised: rows booked before numbers were stored in one form may hold "+84 …"
    if booking is None or normalise_phone(booking.phone) != normalise_phone(phone):
        # one answer for a wrong code and a wrong phone: the form does not tell which codes exist
        raise ServiceError("Mã đặt lịch và số điện thoại không khớp với lượt đặt lịch nào.", field="code")
    row = session.get(ReceptionSession, booking.session_id, with_for_update=True)
    if booking.status != "booked":
        raise ServiceError("Lượt đặt lịch này đã được hủy hoặc đã được tiếp.", field="code")
    if row.status != "published" or now >= datetime.combine(row.day, row.start_time, TZ):
        # once it has begun (or been closed as held) the desk's record stands: a no-show is not rewritten as a
        # cancellation after the fact
        raise ServiceError("Phiên tiếp công dân này đã bắt đầu hoặc đã qua; không hủy đặt lịch được nữa.",
                           field="code")
    booking.status = "cancelled"
    session.flush()
    return booking
