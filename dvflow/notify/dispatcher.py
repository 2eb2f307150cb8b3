"""The outbox dispatcher: sends pending e-mail notifications after the transaction that queued them committed.

Each call handles one batch in the caller's transaction (the scheduler commits once per batch):

* claims the batch's rows (``delivery = 'pending' AND next_attempt_at <= now``, served by the partial index
  ``ix_notifications_pending``) with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two dispatchers never send the
  same row in the same round;
* opens one SMTP connection for the batch; if it cannot, every row of the batch counts one failed attempt;
* a failed attempt sets ``last_error`` and ``next_attempt_at = now + back-off`` (1, 2, 4 … 32 minutes, then every
  hour); the row is given up (``delivery = 'failed'``) when the next attempt would fall more than ``RETRY_WINDOW``
  (6 hours) after it was queued, or after ``max_attempts``: an outage of a few hours loses no e-mail;
* with no MAIL_HOST configured, rows are marked ``skipped`` ("Chưa cấu hình máy chủ thư") so the outbox does not
  grow forever.

Delivery is at least once: if the process dies after the server accepted a message but before the commit, that
message is sent again on the next round.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, ContextManager, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..engine.types import require_aware
from ..models import Document, Notification, Party, ReceptionBooking, User
from .email import MailSettings, SmtpMailer, build_message

log = logging.getLogger("dvflow.dispatcher")

DEFAULT_MAX_ATTEMPTS = 12  # the window ends first: attempts at 0, 1, 3, 7, 15, 31, 63, 123 … 303 minutes (11)
DEFAULT_BATCH_SIZE = 50
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=1)
RETRY_WINDOW = timedelta(hours=6)  # counted from when the e-mail was queued
NOT_CONFIGURED = "Chưa cấu hình máy chủ thư"
NO_ADDRESS = "Người nhận không có địa chỉ thư điện tử"
INACTIVE = "Người nhận đã ngừng hoạt động"
BOOKING_GONE = "Lượt đặt lịch đã bị hủy hoặc đã được tiếp"
#: a booking's e-mails that speak of a slot still to come (the cancellation itself is sent after the cancelling)
BOOKING_TO_COME = ("booking_confirmed", "booking_reminder")
UNENCODABLE = "Địa chỉ thư điện tử có ký tự ngoài bảng mã ASCII (chữ có dấu), không gửi được"


class Mailer(Protocol):
    def send(self, msg) -> None: ...


MailerFactory = Callable[[], ContextManager[Mailer]]


@dataclass
class DispatchReport:
    """What one dispatcher batch did."""

    claimed: int = 0
    sent: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)  # gave up
    skipped: list[int] = field(default_factory=list)

    def merge(self, other: "DispatchReport") -> "DispatchReport":
        self.claimed += other.claimed
        self.sent += other.sent
        self.retry += other.retry
        self.failed += other.failed
        self.skipped += other.skipped
        return self

    def summary(self) -> str:
        """Vietnamese one-line summary."""
        return (f"Thư điện tử: đã gửi {len(self.sent)}, sẽ thử lại {len(self.retry)}, "
                f"không gửi được {len(self.failed)}, bỏ qua {len(self.skipped)}.")


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt after ``attempts`` failures: 1, 2, 4, 8 … minutes, at most an hour."""
    return min(BACKOFF_BASE * (2 ** max(0, attempts - 1)), BACKOFF_CAP)


def claim_pending(session: Session, now: datetime, limit: int = DEFAULT_BATCH_SIZE) -> list[Notification]:
    """Lock a batch of e-mails due for an attempt (PostgreSQL: rows another dispatcher holds are skipped)."""
    query = (select(Notification)
             .where(Notification.delivery == "pending", Notification.channel == "email",
                    Notification.next_attempt_at <= now)
             .order_by(Notification.id).limit(limit)
             .with_for_update(skip_locked=True).execution_options(populate_existing=True))
    return list(session.scalars(query))


def dispatch_batch(session: Session, *, now: datetime, settings: MailSettings,
                   mailer_factory: MailerFactory | None = None, max_attempts: int = DEFAULT_MAX_ATTEMPTS,
                   batch_size: int = DEFAULT_BATCH_SIZE) -> DispatchReport:
    """Send one batch of pending e-mails; the caller commits."""
    now = require_aware(now)
    rows = claim_pending(session, now, batch_size)
    report = DispatchReport(claimed=len(rows))
    if not rows:
        return report
    if not settings.configured:
        for row in rows:
            _skip(row, NOT_CONFIGURED, report)
    else:
        _send_all(session, rows, now, settings, mailer_factory or (lambda: SmtpMailer(settings)), max_attempts, report)
    session.flush()
    return report


def _send_all(session: Session, rows: list[Notification], now: datetime, settings: MailSettings,
              mailer_factory: MailerFactory, max_attempts: int, report: DispatchReport) -> None:
    users, parties, documents = _recipients(session, rows), _parties(session, rows), _documents(session, rows)
    bookings = _bookings(session, rows)
    try:
        with mailer_factory() as mailer:
            for row in rows:
                to = (users.get(row.user_id) if row.user_id is not None else parties.get(row.party_id)
                      if row.party_id is not None else bookings.get(row.booking_id))
                _send_one(mailer, row, to, now, settings, max_attempts, report, documents.get(row.document_id))
    except Exception as exc:  # cannot connect (or the connection dropped): every unsent row counts an attempt
        log.warning("mail server unavailable: %s", _error_text(exc))
        for row in rows:
            if row.delivery == "pending" and row.id not in report.retry:
                _failed_attempt(row, _error_text(exc), now, max_attempts, report)


def _send_one(mailer: Mailer, row: Notification, to: User | Party | ReceptionBooking | None, now: datetime, settings: MailSettings,
              max_attempts: int, report: DispatchReport, document: Document | None = None) -> None:
    """Send one row to `to`, an officer (User) or a citizen (Party, or the booking of a reception slot): all have
    `email`; the name differs."""
    if to is None or not to.email:
        _skip(row, NO_ADDRESS, report)
        return
    if isinstance(to, User) and not to.active:  # queued before the officer left: the case is no longer theirs
        _skip(row, INACTIVE, report)
        return
    if isinstance(to, ReceptionBooking) and to.status != "booked" and row.template in BOOKING_TO_COME:
        _skip(row, BOOKING_GONE, report)  # the citizen cancelled meanwhile: no "come on time" for a slot let go
        return
    name = to.full_name if isinstance(to, User) else to.name
    try:
        if not to.email.isascii():  # the headers are encoded as ASCII (no SMTPUTF8): an address with "â" never goes
            raise ValueError(UNENCODABLE)
        msg = build_message(settings, to.email, name, row.subject, row.body,
                            _attachment(document) if document is not None else None)
    except (UnicodeError, ValueError) as exc:  # a message that cannot be built: no later attempt will build it
        log.warning("e-mail %s cannot be built: %s", row.id, _error_text(exc))
        _give_up(row, _error_text(exc), report)
        return
    try:
        mailer.send(msg)
    except Exception as exc:
        if _connection_lost(exc):
            raise
        log.warning("e-mail %s refused: %s", row.id, _error_text(exc))
        _failed_attempt(row, _error_text(exc), now, max_attempts, report)
        return
    row.delivery, row.sent_at, row.attempts, row.last_error = "sent", now, row.attempts + 1, None
    row.next_attempt_at = None
    report.sent.append(row.id)


def _connection_lost(exc: Exception) -> bool:
    import smtplib

    return isinstance(exc, (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError))


def _failed_attempt(row: Notification, error: str, now: datetime, max_attempts: int, report: DispatchReport) -> None:
    row.attempts += 1
    row.last_error = error[:2000]
    retry_at = now + backoff(row.attempts)
    if row.attempts >= max_attempts or retry_at > row.created_at + RETRY_WINDOW:
        row.delivery, row.next_attempt_at = "failed", None
        report.failed.append(row.id)
    else:
        row.next_attempt_at = retry_at
        report.retry.append(row.id)


def _give_up(row: Notification, error: str, report: DispatchReport) -> None:
    row.attempts += 1
    row.delivery, row.last_error, row.next_attempt_at = "failed", error[:2000], None
    report.failed.append(row.id)


def _skip(row: Notification, reason: str, report: DispatchReport) -> None:
    row.delivery, row.last_error, row.next_attempt_at = "skipped", reason, None
    report.skipped.append(row.id)


def _recipients(session: Session, rows: list[Notification]) -> dict[int, User]:
    ids = {row.user_id for row in rows if row.user_id is not None}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


def _documents(session: Session, rows: list[Notification]) -> dict[int, Document]:
    ids = {row.document_id for row in rows if row.document_id is not None}
    return {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(ids)))} if ids else {}


def _attachment(document: Document) -> tuple[str, bytes]:
    # an ASCII file name: the number and symbol may hold Đ, which some mail clients mangle in a file name
    name = f"{document.type}-{document.number or 'du-thao'}-{document.year}.docx"
    return name, document.content


def _parties(session: Session, rows: list[Notification]) -> dict[int, Party]:
    ids = {row.party_id for row in rows if row.party_id is not None}
    return {p.id: p for p in session.scalars(select(Party).where(Party.id.in_(ids)))} if ids else {}


def _bookings(session: Session, rows: list[Notification]) -> dict[int, ReceptionBooking]:
    ids = {row.booking_id for row in rows if row.booking_id is not None}
    return ({b.id: b for b in session.scalars(select(ReceptionBooking).where(ReceptionBooking.id.in_(ids)))}
            if ids else {})


#: an e-mail address inside an error (smtplib's refusals are keyed by address, servers echo it in their replies)
_ADDRESS = re.compile(r"[^\s<>'\"(),;:\[\]{}]+@[^\s<>'\"(),;:\[\]{}]+")


def _error_text(exc: Exception) -> str:
    """The error as logged and kept on the row, without any address: the recipient may be a denouncer, whose e-mail
    is encrypted in `parties` and must not lie in plain text in a log or in `notifications.last_error`."""
    return _ADDRESS.sub("<địa chỉ>", f"{type(exc).__name__}: {exc}")
