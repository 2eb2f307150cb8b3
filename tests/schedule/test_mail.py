"""A booking's e-mails reach the address given in the booking (the outbox keeps no copy), and the scheduler's
reminder job queues tomorrow's reminders once."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from email import message_from_bytes, policy

from factories import NOW, SERVICE_ORG, make_org
from sqlalchemy import func, select

from dvflow.models import Notification
from dvflow.notify.dispatcher import dispatch_batch
from dvflow.notify.email import MailSettings
from dvflow.scheduler.runner import reminder_job
from dvflow.services.deadlines.calendar import load_calendar
from dvflow.services.reception import bookings, schedule


def published(session, org, day=date(2026, 12, 3)):
    row = schedule.create_session(session, org["users"]["reception"], load_calendar(session), schedule.SessionInput(
        unit_id=org["dept"].id, kind="regular", mode="in_person", day=day, start_time=time(14, 0),
        end_time=time(16, 0), place="Phòng tiếp công dân", booking_capacity=4, slot_minutes=30), NOW)
    return schedule.publish_session(session, org["users"]["reception"], load_calendar(session), row.id, NOW)


def test_the_confirmation_goes_to_the_bookings_address(session, smtp_server):
    org = make_org(session, **SERVICE_ORG)
    row = published(session, org)
    booking = bookings.book(session, row.id, bookings.BookingInput("Đỗ Thị Hoa", "0987654321", "Hỏi về đất",
                                                                   "hoa@example.test"), NOW)
    mail = session.scalars(select(Notification).where(Notification.booking_id == booking.id)).one()
    assert "hoa@example.test" not in mail.body + mail.subject and "0987654321" not in mail.body
    report = dispatch_batch(session, now=NOW, settings=MailSettings(host="127.0.0.1", port=smtp_server.port,
                                                                    sender="dvflow@example.vn", timeout=5))
    assert len(report.sent) == 1
    [envelope] = smtp_server.handler.envelopes
    assert envelope.rcpt_tos == ["hoa@example.test"]
    msg = message_from_bytes(envelope.original_content, policy=policy.default)
    body = msg.get_body().get_content()
    assert booking.code in body and "14:00 ngày 03/12/2026" in body and "Phòng tiếp công dân" in body


def test_the_reminder_job_queues_once(session, mini_app, clock):
    org = make_org(session, **SERVICE_ORG)
    row = published(session, org, day=date(2026, 11, 27))
    bookings.book(session, row.id, bookings.BookingInput("Đỗ Thị Hoa", "0987654321", "Hỏi", "hoa@example.test"), NOW)
    session.commit()
    clock.set(datetime(2026, 11, 26, 0, 30, tzinfo=timezone.utc))  # 07:30 on 26/11 in Hanoi
    assert reminder_job(mini_app) == 1
    assert reminder_job(mini_app) == 0
    session.expire_all()
    count = select(func.count()).select_from(Notification).where(Notification.template == "booking_reminder")
    assert session.scalar(count) == 1
