"""A booking cancelled by the unit (the desk's reception officers, its head or an administrator): one booking that
should not hold a slot (made up in bulk by one client, a double of a citizen already booked, a person who called to
say they cannot come), without cancelling the session. The citizen is told by e-mail when they gave an address.

Recorded in the notifications, which every such cancellation writes in the same transaction: an inbox item to each
head of the session's unit and to the officer who did it (theirs read), naming who, which booking and why. A column
on the booking would need a migration; the inbox keeps the act where the head who answers for the unit sees it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ...engine.calendar import format_date
from ...models import Notification, ReceptionBooking, ReceptionSession, User
from ...notify.templates import render
from ...timeutil import TZ
from ..errors import NotFound, ServiceError
from ..org import accounts
from . import sessions
from .bookings import queue_booking_mail
from .text import check_length, check_text


def cancel_by_staff(session: Session, user: User, session_id: int, booking_id: int, reason: str,
                    now: datetime) -> ReceptionBooking:
    """Cancel one active booking of a published session from its desk, with a reason the citizen is told."""
    row = sessions.load_for(session, user, session_id, run=True, lock=True)
    booking = session.get(ReceptionBooking, booking_id)
    if booking is None or booking.session_id != row.id:
        raise NotFound("Không tìm thấy lượt đặt lịch này trong phiên.")
    # a session over (its day and closing hour gone by, Vietnam's time) has no slot left to free: the citizen would
    # be e-mailed to book again for a day already past
    over = now >= datetime.combine(row.day, row.end_time, TZ)
    if booking.status != "booked" or row.status != "published" or over:
        raise ServiceError("Chỉ hủy được lượt đặt lịch còn hiệu lực của phiên đã công bố, chưa kết thúc.",
                           field="booking_id")
    check_text("reason", "Lý do hủy", reason)
    check_length("reason", "Lý do hủy", reason)
    if not reason.strip():
        raise ServiceError("Lý do hủy: nêu lý do để báo cho công dân.", field="reason")
    booking.status = "cancelled"
    session.flush()
    queue_booking_mail(session, booking, row, "booking_cancelled_by_unit", now, reason=reason.strip()[:300])
    _record(session, user, booking, row, reason.strip(), now)
    return booking


def _record(session: Session, user: User, booking: ReceptionBooking, row: ReceptionSession, reason: str,
            now: datetime) -> None:
    when = f"{booking.slot_time.strftime('%H:%M')} ngày {format_date(row.day)}"
    subject, body = render("booking_cancelled_by_staff", {
        "code": booking.code, "when": when, "place": row.place, "unit": row.unit.name, "reason": reason[:300],
        "actor": user.full_name or user.username})
    readers = {head.id for head in accounts.unit_heads(session, row.unit_id)} | {user.id}
    for reader in sorted(readers):
        session.execute(insert(Notification.__table__), dict(
            user_id=reader, party_id=None, booking_id=booking.id, document_id=None, case_id=None, channel="inbox",
            template="booking_cancelled_by_staff", subject=subject[:500], body=body, created_at=now, attempts=0,
            read_at=now if reader == user.id else None, last_error=None, sent_at=None, delivery="skipped",
            next_attempt_at=None))
