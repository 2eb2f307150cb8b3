"""E-mail delivery: a real SMTP server on 127.0.0.1, UTF-8 Vietnamese, retries with back-off, never blocking the sweep."""
from __future__ import annotations

import time
from datetime import timedelta
from email import message_from_bytes, policy

from deadlines.helpers import STEP_AT, fixed_ladder
from mailserver import free_port
from sqlalchemy import select

from dvflow.models import EscalationRecord, Notification
from dvflow.notify.dispatcher import NO_ADDRESS, NOT_CONFIGURED, backoff, dispatch_batch
from dvflow.notify.email import MailSettings, build_message
from dvflow.scheduler.runner import dispatch_job, sweep_job
from dvflow.services.deadlines.sweep import sweep

AT = STEP_AT["before_2"]


def pending_mail(session, world):
    """Sweep one reminder: one e-mail to the handler is waiting in the outbox."""
    case, _clock = world.case_with_clock()
    sweep(session, now=AT, ladder=fixed_ladder())
    [mail] = session.scalars(select(Notification).where(Notification.case_id == case.id,
                                                        Notification.channel == "email")).all()
    return case, mail


def settings(host="127.0.0.1", port=25) -> MailSettings:
    return MailSettings(host=host, port=port, sender="dvflow@thanhtra.example.vn", timeout=5)


def test_email_reaches_the_smtp_server_in_utf8_vietnamese(session, world, smtp_server):
    case, mail = pending_mail(session, world)
    report = dispatch_batch(session, now=AT, settings=settings(port=smtp_server.port))
    assert report.sent == [mail.id]
    [envelope] = smtp_server.handler.envelopes
    assert envelope.rcpt_tos == [world.handler.email]
    raw = envelope.original_content
    msg = message_from_bytes(raw, policy=policy.default)
    assert msg["Subject"] == f"Sắp đến hạn: {case.tracking_code} - Thời hạn giải quyết"
    assert b"=?utf-8?" in raw.split(b"\r\n\r\n")[0].lower()  # the header is RFC 2047-encoded, not raw bytes
    assert str(msg["To"]) == f"Nguyễn Văn Hải <{world.handler.email}>"
    body = msg.get_body().get_content()
    assert "hồ sơ" in body and "02/12/2026" in body
    assert (mail.delivery, mail.sent_at, mail.attempts, mail.next_attempt_at) == ("sent", AT, 1, None)
    assert dispatch_batch(session, now=AT, settings=settings(port=smtp_server.port)).claimed == 0


def test_an_unreachable_server_is_retried_with_back_off_then_given_up(session, world):
    _case, mail = pending_mail(session, world)
    dead = settings(port=free_port())  # nothing listens there: connection refused
    now = AT
    for attempt in (1, 2):
        report = dispatch_batch(session, now=now, settings=dead, max_attempts=3)
        assert report.retry == [mail.id]
        assert (mail.delivery, mail.attempts) == ("pending", attempt)
        assert mail.next_attempt_at == now + backoff(attempt) and "ConnectionRefused" in mail.last_error
        assert dispatch_batch(session, now=mail.next_attempt_at - timedelta(seconds=1), settings=dead).claimed == 0
        now = mail.next_attempt_at
    report = dispatch_batch(session, now=now, settings=dead, max_attempts=3)
    assert report.failed == [mail.id]
    assert (mail.delivery, mail.attempts, mail.next_attempt_at) == ("failed", 3, None)


def test_a_refusing_server_leads_to_a_retry(session, world, refusing_smtp_server):
    _case, mail = pending_mail(session, world)
    report = dispatch_batch(session, now=AT, settings=settings(port=refusing_smtp_server.port))
    assert report.retry == [mail.id] and report.sent == []
    assert (mail.delivery, mail.attempts) == ("pending", 1)
    assert "550" in mail.last_error and mail.next_attempt_at == AT + timedelta(minutes=1)


def test_back_off_doubles_and_is_capped():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(7) == backoff(30) == timedelta(hours=1)


def test_an_outage_of_hours_is_retried_for_six_hours_as_documented(session, world):
    _case, mail = pending_mail(session, world)
    dead = settings(port=free_port())
    queued, now, tried = mail.created_at, mail.next_attempt_at, []
    while mail.delivery == "pending":
        tried.append(round((now - queued).total_seconds() / 60))
        dispatch_batch(session, now=now, settings=dead)
        now = mail.next_attempt_at or now
    assert tried == [0, 1, 3, 7, 15, 31, 63, 123, 183, 243, 303]  # README: 1…32 minutes, then hourly, 6 hours
    assert (mail.delivery, mail.attempts) == ("failed", 11)


def test_without_a_mail_server_emails_are_skipped(session, world):
    _case, mail = pending_mail(session, world)
    report = dispatch_batch(session, now=AT, settings=MailSettings(host=""))
    assert report.skipped == [mail.id]
    assert (mail.delivery, mail.last_error) == ("skipped", NOT_CONFIGURED)


def test_a_recipient_without_an_address_is_skipped(session, world, smtp_server):
    _case, mail = pending_mail(session, world)
    world.handler.email = None
    session.flush()
    report = dispatch_batch(session, now=AT, settings=settings(port=smtp_server.port))
    assert report.skipped == [mail.id] and mail.last_error == NO_ADDRESS
    assert smtp_server.handler.envelopes == []


def test_message_headers():
    msg = build_message(settings(), "a@example.vn", "Đặng Thị Ánh", "Quá hạn: KN-2026-000001", "Nội dung")
    assert msg["Subject"] == "Quá hạn: KN-2026-000001" and msg.get_content_charset() == "utf-8"
    assert msg["From"] == "dvflow@thanhtra.example.vn" and "thanhtra.example.vn" in msg["Message-ID"]


def test_a_failing_mail_server_never_breaks_the_sweep(session, world, mini_app, clock):
    case, clock_row = world.case_with_clock()
    session.commit()  # the test world is visible to the jobs' sessions (all inside the rolled-back connection)
    mini_app.config.update(MAIL_HOST="127.0.0.1", MAIL_PORT=free_port())
    clock.set(STEP_AT["due"])
    swept = sweep_job(mini_app)
    sent = dispatch_job(mini_app)
    assert [s.step for s in swept.fired] == ["before_2", "due"]
    assert sent.retry and not sent.sent
    session.expire_all()
    assert {r.step_key for r in session.scalars(select(EscalationRecord)
                                                .where(EscalationRecord.clock_id == clock_row.id))} == {"before_2", "due"}
    mails = session.scalars(select(Notification).where(Notification.case_id == case.id,
                                                       Notification.channel == "email")).all()
    assert mails and all(m.delivery == "pending" and m.attempts == 1 for m in mails)


def test_a_silent_server_times_out_instead_of_blocking(session, world):
    import socket

    _case, mail = pending_mail(session, world)
    with socket.socket() as silent:  # accepts connections, never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        started = time.monotonic()
        report = dispatch_batch(session, now=AT, settings=MailSettings(host="127.0.0.1", port=silent.getsockname()[1],
                                                                       timeout=0.5))
        elapsed = time.monotonic() - started
    assert report.retry == [mail.id] and elapsed < 5
    assert mail.attempts == 1 and "timed out" in mail.last_error.lower()


def test_a_citizen_gets_the_e_mail_at_the_address_of_the_party(session, world, smtp_server):
    from dvflow.models import CaseParty, Party
    from dvflow.notify import outbox

    case = world.case()
    party = Party(kind="person", name="Trần Thị Công Dân", email="congdan@example.test")
    session.add(CaseParty(case_id=case.id, party=party, role="petitioner"))
    session.flush()
    row = outbox.queue_to_party(session, case, party.id, "sender_notice", {"notice": "Đơn đã được chuyển."}, AT)
    assert row["user_id"] is None and "congdan@example.test" not in str(row)
    report = dispatch_batch(session, now=AT, settings=settings(port=smtp_server.port))
    assert len(report.sent) == 1
    [envelope] = smtp_server.handler.envelopes
    assert envelope.rcpt_tos == ["congdan@example.test"]
    msg = message_from_bytes(envelope.original_content, policy=policy.default)
    assert str(msg["To"]) == "Trần Thị Công Dân <congdan@example.test>"
    assert "Đơn đã được chuyển." in msg.get_body().get_content()
