"""The outbox and a booking's e-mails: an address that can never be sent to fails at once, and a booking the
citizen cancelled gets no confirmation or reminder (review of the public side, F4, F5)."""
from __future__ import annotations

from datetime import datetime, timezone

from factories import NOW
from sqlalchemy import select

from dvflow.models import Notification
from dvflow.notify.dispatcher import dispatch_batch
from dvflow.notify.email import MailSettings
from dvflow.services.reception import bookings

from .helpers import published_session


def settings(smtp_server) -> MailSettings:
    return MailSettings(host="127.0.0.1", port=smtp_server.port, sender="dvflow@example.vn", timeout=5)


def mail_of(session, booking) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.booking_id == booking.id)
                                .order_by(Notification.id)))


def test_an_address_with_accents_is_given_up_at_once_not_retried(session, org, smtp_server):
    row = published_session(session, org)
    old = bookings.book(session, row.id, bookings.BookingInput("Dân", "0912345678", "Hỏi", "dan@example.test"), NOW)
    old.email = "dân@ví-dụ.vn"  # as accepted before booking refused such an address
    fine = bookings.book(session, row.id, bookings.BookingInput("Hoa", "0987654321", "Hỏi", "hoa@example.test"), NOW)
    session.flush()
    report = dispatch_batch(session, now=NOW, settings=settings(smtp_server))
    [broken], [sent] = mail_of(session, old), mail_of(session, fine)
    assert report.failed == [broken.id] and report.sent == [sent.id] and report.retry == []
    assert (broken.delivery, broken.next_attempt_at, broken.attempts) == ("failed", None, 1)
    assert "dân@" not in broken.last_error  # the address stays encrypted, out of the row's error text
    assert [e.rcpt_tos for e in smtp_server.handler.envelopes] == [["hoa@example.test"]]


def test_a_cancelled_bookings_reminder_and_confirmation_are_not_sent(session, org, smtp_server):
    row = published_session(session, org)  # 03/12/2026
    booking = bookings.book(session, row.id, bookings.BookingInput("Dân", "0912345678", "Hỏi", "dan@example.test"),
                            NOW)
    day_before = datetime(2026, 12, 2, 0, 30, tzinfo=timezone.utc)  # 07:30 local
    assert bookings.queue_reminders(session, day_before) == 1
    bookings.cancel_by_citizen(session, booking.code, "0912345678", day_before)
    session.flush()
    report = dispatch_batch(session, now=day_before, settings=settings(smtp_server))
    confirmed, reminder = mail_of(session, booking)
    assert report.sent == [] and sorted(report.skipped) == sorted([confirmed.id, reminder.id])
    assert {m.delivery for m in (confirmed, reminder)} == {"skipped"}
    assert "hủy" in reminder.last_error
    assert smtp_server.handler.envelopes == []


def test_the_agencys_cancellation_is_still_sent(session, org, smtp_server):
    from dvflow.services.reception import schedule

    row = published_session(session, org)
    bookings.book(session, row.id, bookings.BookingInput("Dân", "0912345678", "Hỏi", "dan@example.test"), NOW)
    dispatch_batch(session, now=NOW, settings=settings(smtp_server))  # the confirmation
    schedule.cancel_session(session, org["users"]["reception"], row.id, "Lãnh đạo đi công tác", NOW)
    session.flush()
    report = dispatch_batch(session, now=NOW, settings=settings(smtp_server))
    assert [session.get(Notification, i).template for i in report.sent] == ["booking_cancelled"]
