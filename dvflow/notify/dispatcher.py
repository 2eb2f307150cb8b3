"""The outbox dispatcher: sends pending e-mail notifications after the transaction that queued them committed.

A batch goes in three steps, so that no transaction is open while the mail server is talked to (on SQLite a writing
transaction holds the database's only write lock: every save of the web app would wait for the whole batch):

* ``claim_batch``, in a short transaction: claims the batch's rows (``delivery = 'pending' AND next_attempt_at <=
  now``, served by the partial index ``ix_notifications_pending``) with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
  two dispatchers never claim the same row at once; builds each message, and pushes the row's ``next_attempt_at``
  past ``claim_lease``: until then no other run claims it, and if this dispatcher dies before recording, the row is
  still pending and the first run after the lease sends it;
* ``send_claimed``, with no transaction: one SMTP connection for the batch; if it cannot be opened, every row of the
  batch counts one failed attempt; a message that cannot be built fails its own row only, at the claim;
* ``record_results``, in a second short transaction: marks the sent rows; a failed attempt sets ``last_error`` and
  ``next_attempt_at = now + back-off`` (1, 2, 4 … 32 minutes, then every hour); the row is given up (``delivery =
  'failed'``) when the next attempt would fall more than ``RETRY_WINDOW`` (6 hours) after it was queued, or after
  ``max_attempts``: an outage of a few hours loses no e-mail;
* with no MAIL_HOST configured, rows are marked ``skipped`` ("Chưa cấu hình máy chủ thư") so the outbox does not
  grow forever.

Delivery is at least once: if the process dies after the server accepted a message but before the record, that
message is sent again once its claim has expired.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Callable, ContextManager, NamedTuple, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..engine.types import require_aware
from ..models import Notification, ReceptionBooking, User
from .addressees import Addressees, attachment
from .email import MailSettings, SmtpMailer, build_message

log = logging.getLogger("dvflow.dispatcher")

DEFAULT_MAX_ATTEMPTS = 12  # the window ends first: attempts at 0, 1, 3, 7, 15, 31, 63, 123 … 303 minutes (11)
DEFAULT_BATCH_SIZE = 50
SMTP_EXCHANGES = 6  # per message, at worst (see claim_lease)
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
    def send(self, msg: EmailMessage, to_address: str) -> None: ...


MailerFactory = Callable[[], ContextManager[Mailer]]


class Outgoing(NamedTuple):
    """A claimed row's message, built in the claiming transaction and sent after it committed."""

    id: int
    to_address: str  # the envelope's recipient: the stored address, whatever the To header's parser made of it
    msg: EmailMessage


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


def claim_lease(settings: MailSettings, batch_size: int = DEFAULT_BATCH_SIZE) -> timedelta:
    """How long a claimed row is left to the dispatcher that claimed it: as long as its batch can take when every
    SMTP exchange (connect and greeting, EHLO, MAIL, RCPT, DATA, the message) waits its whole timeout, so that no
    other dispatcher sends it meanwhile. A dispatcher that dies leaves its rows to the first run after that."""
    return timedelta(seconds=settings.timeout * SMTP_EXCHANGES * (batch_size + 1))


def dispatch_batch(session: Session, *, now: datetime, settings: MailSettings,
                   mailer_factory: MailerFactory | None = None, max_attempts: int = DEFAULT_MAX_ATTEMPTS,
                   batch_size: int = DEFAULT_BATCH_SIZE) -> DispatchReport:
    """Claim, send and record one batch in the caller's transaction, which stays open while the mail server is
    talked to; the caller commits. The scheduler runs the three steps in transactions of their own instead
    (runner.run_dispatch)."""
    outgoing, report = claim_batch(session, now=now, settings=settings, batch_size=batch_size)
    results = send_claimed(outgoing, mailer_factory or (lambda: SmtpMailer(settings)))
    return report.merge(record_results(session, results, now=now, max_attempts=max_attempts))


def claim_batch(session: Session, *, now: datetime, settings: MailSettings,
                batch_size: int = DEFAULT_BATCH_SIZE) -> tuple[list[Outgoing], DispatchReport]:
    """Claim a batch and build its messages, in the caller's short transaction: the rows that need no mail server
    (no address, an officer who left, a booking let go, a message that cannot be built, no server configured) are
    settled here; the others are pushed past ``claim_lease`` and returned to be sent once the caller committed."""
    now = require_aware(now)
    rows = claim_pending(session, now, batch_size)
    report = DispatchReport(claimed=len(rows))
    if not settings.configured:
        for row in rows:
            _skip(row, NOT_CONFIGURED, report)
        session.flush()
        return [], report
    outgoing, claimed_until = [], now + claim_lease(settings, batch_size)
    addressees = Addressees.load(session, rows)
    for row in rows:
        built = _build(row, addressees, settings, report)
        if built is not None:
            row.next_attempt_at = claimed_until
            outgoing.append(built)
    session.flush()
    return outgoing, report


def send_claimed(outgoing: list[Outgoing], mailer_factory: MailerFactory) -> dict[int, str | None]:
    """Send the claimed messages over one connection, with no transaction open: each row id to None (sent) or the
    error of its attempt. A connection that cannot be opened, or drops, is an error for every message not sent."""
    results: dict[int, str | None] = {}
    if not outgoing:  # nothing to send: no connection (a login every minute, or a warning while the server is down)
        return results
    try:
        with mailer_factory() as mailer:
            for out in outgoing:
                results[out.id] = _send_one(mailer, out)
    except Exception as exc:  # cannot connect (or the connection dropped): every unsent row counts an attempt
        log.warning("mail server unavailable: %s", _error_text(exc))
        for out in outgoing:
            results.setdefault(out.id, _error_text(exc))
    return results


def record_results(session: Session, results: dict[int, str | None], *, now: datetime,
                   max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> DispatchReport:
    """Mark the sent rows and count the failed attempts, in the caller's short transaction. A row no longer pending
    was settled by another dispatcher after this one's claim expired: it is left as that one left it."""
    report = DispatchReport()
    if not results:
        return report
    rows = session.scalars(select(Notification)
                           .where(Notification.id.in_(list(results)), Notification.delivery == "pending")
                           .order_by(Notification.id).with_for_update()
                           .execution_options(populate_existing=True))
    for row in rows:
        error = results[row.id]
        if error is None:
            row.delivery, row.sent_at, row.attempts, row.last_error = "sent", now, row.attempts + 1, None
            row.next_attempt_at = None
            report.sent.append(row.id)
        else:
            _failed_attempt(row, error, now, max_attempts, report)
    session.flush()
    return report


def _build(row: Notification, addressees: Addressees, settings: MailSettings,
           report: DispatchReport) -> Outgoing | None:
    """The row's message to its addressee: an officer (User) or a citizen (Party, or the booking of a reception
    slot), all with `email`; None when the row is settled without sending."""
    to = addressees.of(row)
    if to is None or not to.email:
        _skip(row, NO_ADDRESS, report)
        return None
    if isinstance(to, User) and not to.active:  # queued before the officer left: the case is no longer theirs
        _skip(row, INACTIVE, report)
        return None
    if isinstance(to, ReceptionBooking) and to.status != "booked" and row.template in BOOKING_TO_COME:
        _skip(row, BOOKING_GONE, report)  # the citizen cancelled meanwhile: no "come on time" for a slot let go
        return None
    name = to.full_name if isinstance(to, User) else to.name
    document = addressees.document(row)
    try:
        if not to.email.isascii():  # the headers are encoded as ASCII (no SMTPUTF8): an address with "â" never goes
            raise ValueError(UNENCODABLE)
        msg = build_message(settings, to.email, name, row.subject, row.body,
                            attachment(document) if document is not None else None)
    except Exception as exc:  # the email package raises more than ValueError on a bad address (AttributeError on
        # "a@[b.vn"): no later attempt builds it, and it must not fail the other rows of the batch
        log.warning("e-mail %s cannot be built: %s", row.id, _error_text(exc))
        _give_up(row, _error_text(exc), report)
        return None
    return Outgoing(row.id, to.email, msg)


def _send_one(mailer: Mailer, out: Outgoing) -> str | None:
    """None when the server took the message, the error when it refused it; a lost connection raises."""
    try:
        mailer.send(out.msg, out.to_address)
    except Exception as exc:
        if _connection_lost(exc):
            raise
        log.warning("e-mail %s refused: %s", out.id, _error_text(exc))
        return _error_text(exc)
    return None


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


#: an e-mail address inside an error (smtplib's refusals are keyed by address, servers echo it in their replies)
_ADDRESS = re.compile(r"[^\s<>'\"(),;:\[\]{}]+@[^\s<>'\"(),;:\[\]{}]+")


def _error_text(exc: Exception) -> str:
    """The error as logged and kept on the row, without any address: the recipient may be a denouncer, whose e-mail
    is encrypted in `parties` and must not lie in plain text in a log or in `notifications.last_error`."""
    return _ADDRESS.sub("<địa chỉ>", f"{type(exc).__name__}: {exc}")
