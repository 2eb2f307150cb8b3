"""Running the sweep and the dispatcher: one transaction per sweep batch, two short ones per e-mail batch (none open
while the mail server is talked to), and the APScheduler 3 wiring.

Started only by its own entry points (``flask --app wsgi dvflow scheduler``, or ``start_embedded`` from the
development server), never by ``create_app``. The jobs are idempotent: several schedulers may run against one
PostgreSQL database (rows are claimed with ``FOR UPDATE SKIP LOCKED``); on SQLite run only one.
"""
from __future__ import annotations

import gc
import logging
import signal
import time
from datetime import datetime, timedelta
from typing import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..notify.dispatcher import (
    DEFAULT_MAX_ATTEMPTS,
    DispatchReport,
    MailerFactory,
    claim_batch,
    record_results,
    send_claimed,
)
from ..notify.email import MailSettings, SmtpMailer
from ..services.audit import anchors
from ..services.audit.keys import AuditKeys
from ..services.deadlines.calendar import load_calendar
from ..services.deadlines.clocks import LadderLookup
from ..services.deadlines.sweep import (
    DEFAULT_BATCH_SIZE,
    SweepReport,
    batches,
    due_clock_ids,
    sweep_batch,
)
from ..services.reception import bookings as reception_bookings
from ..timeutil import TZ, utcnow

log = logging.getLogger("dvflow.scheduler")

SWEEP_JOB_ID = "dvflow-sweep"
DISPATCH_JOB_ID = "dvflow-dispatch"
ANCHOR_JOB_ID = "dvflow-anchor"
REMINDER_JOB_ID = "dvflow-booking-reminders"
REMINDER_INTERVAL_SECONDS = 900  # reminders go the day before; a quarter of an hour late is no harm
ANCHOR_INTERVAL_SECONDS = 3600  # a day is signed within the hour after it ends (anchors.GRACE after midnight)
BatchHook = Callable[[Session, SweepReport], None]


# --- one run of each job: its own sessions, one commit per batch -----------------------------------------------------


def run_sweep(session_factory: sessionmaker, *, now: datetime, ladder: LadderLookup,
              batch_size: int = DEFAULT_BATCH_SIZE, before_commit: BatchHook | None = None) -> SweepReport:
    """One sweep at ``now``: snapshot the due clocks, then fire them batch by batch, committing each batch.

    ``before_commit`` (tests, diagnostics) is called with each batch's session just before its commit.
    A batch whose commit fails is logged and lost for this round only: its clocks stay due for the next one.
    """
    with session_factory() as session:
        calendar = load_calendar(session)
        ids = due_clock_ids(session, now)
        session.rollback()
    report = SweepReport()
    for chunk in batches(ids, batch_size):
        report.merge(_sweep_chunk(session_factory, chunk, now, ladder, calendar, before_commit))
    return report


def _sweep_chunk(session_factory, chunk, now, ladder, calendar, before_commit) -> SweepReport:
    try:
        with session_factory() as session, session.begin():
            result = sweep_batch(session, chunk, now=now, ladder=ladder, calendar=calendar)
            if before_commit is not None:
                before_commit(session, result)
        return result
    except Exception as exc:
        log.exception("sweep batch %s..%s rolled back", chunk[0], chunk[-1])
        return SweepReport(failed={cid: f"{type(exc).__name__}: {exc}" for cid in chunk})


def run_dispatch(session_factory: sessionmaker, *, now: datetime, settings: MailSettings,
                 mailer_factory: MailerFactory | None = None, max_attempts: int = DEFAULT_MAX_ATTEMPTS,
                 batch_size: int = 50, max_batches: int = 20,
                 monotonic: Callable[[], float] = time.monotonic) -> DispatchReport:
    """Send pending e-mails batch by batch until none is due (or ``max_batches`` ran). Each batch is claimed in one
    short transaction and recorded in another; the messages go out between the two, with no transaction open, so
    that a slow mail server never holds SQLite's write lock (see notify.dispatcher)."""
    report, started = DispatchReport(), monotonic()
    for _ in range(max_batches):
        # each batch's claim counts its lease from the moment it is claimed, not from the run's start: the earlier
        # batches' sending would otherwise eat into it, and another scheduler would take rows still being sent
        claimed_at = now + timedelta(seconds=monotonic() - started)
        with session_factory() as session, session.begin():
            outgoing, batch = claim_batch(session, now=claimed_at, settings=settings, batch_size=batch_size)
        results = send_claimed(outgoing, mailer_factory or (lambda: SmtpMailer(settings)))
        with session_factory() as session, session.begin():
            batch.merge(record_results(session, results, now=claimed_at, max_attempts=max_attempts))
        report.merge(batch)
        if batch.claimed < batch_size or not (batch.sent or batch.skipped or batch.failed):
            break  # nothing more due, or the server is down: the rest waits for its back-off
    return report


# --- the jobs, bound to a Flask app ------------------------------------------------------------------------------------


def _sessions(app: Flask) -> sessionmaker:
    return app.extensions["dvflow.sessionmaker"]


def _now(app: Flask) -> datetime:
    return app.config.get("NOW", utcnow)()


def sweep_job(app: Flask) -> SweepReport:
    """The periodic sweep. (It never calls back into the scheduler: APScheduler 3 deadlocks if a job asks for the
    job store lock while ``shutdown(wait=True)`` holds it.)"""
    with app.app_context():
        report = run_sweep(_sessions(app), now=_now(app), ladder=app.extensions["dvflow.workflows"].ladder,
                           batch_size=int(app.config.get("SWEEP_BATCH_SIZE", DEFAULT_BATCH_SIZE)))
    if report.fired or report.failed:
        log.info("%s", report.summary())
    return report


def dispatch_job(app: Flask) -> DispatchReport:
    """The periodic e-mail dispatcher (its own transactions: a mail server failure never touches the sweep)."""
    with app.app_context():
        report = run_dispatch(_sessions(app), now=_now(app), settings=MailSettings.from_config(app.config),
                              max_attempts=int(app.config.get("MAIL_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)))
    if report.claimed:
        log.info("%s", report.summary())
    return report


def anchor_job(app: Flask) -> int:
    """Sign the ended days of the case history; returns how many. Another scheduler signing the same day at the
    same moment makes this one's insert fail on the unique day: its work is already done."""
    with app.app_context():
        keys = AuditKeys.load(app.config.get("AUDIT_SIGNING_KEY"), app.config.get("AUDIT_VERIFY_KEYS"))
        try:
            with _sessions(app)() as session, session.begin():
                made = len(anchors.anchor_days(session, keys, _now(app)))
        except IntegrityError:
            log.info("history anchors: another scheduler signed the same days")
            return 0
    if made:
        log.info("history anchors: %d day(s) signed", made)
    return made


def reminder_job(app: Flask) -> int:
    """Queue the e-mail reminders of tomorrow's reception bookings (each once: reminded_at), in one transaction;
    the dispatcher sends them."""
    with app.app_context():
        with _sessions(app)() as session, session.begin():
            queued = reception_bookings.queue_reminders(session, _now(app))
    if queued:
        log.info("reception bookings: %d reminder(s) queued", queued)
    return queued


def configure(scheduler: BaseScheduler, app: Flask) -> BaseScheduler:
    """Add the sweep, the dispatcher, the history signer and the booking reminders: coalesced, one instance each, never dropped for
    starting late."""
    interval = int(app.config.get("SWEEP_INTERVAL_SECONDS", 60))
    dispatch_interval = int(app.config.get("DISPATCH_INTERVAL_SECONDS", interval))
    common = {"trigger": "interval", "coalesce": True, "max_instances": 1, "misfire_grace_time": None,
              "replace_existing": True, "next_run_time": datetime.now(TZ)}
    scheduler.add_job(sweep_job, id=SWEEP_JOB_ID, name="Quét thời hạn", seconds=interval,
                      args=[app], **common)
    scheduler.add_job(dispatch_job, id=DISPATCH_JOB_ID, name="Gửi thư điện tử", seconds=dispatch_interval,
                      args=[app], **common)
    scheduler.add_job(anchor_job, id=ANCHOR_JOB_ID, name="Ký lịch sử hồ sơ theo ngày",
                      seconds=ANCHOR_INTERVAL_SECONDS, args=[app], **common)
    scheduler.add_job(reminder_job, id=REMINDER_JOB_ID, name="Nhắc lịch tiếp công dân",
                      seconds=REMINDER_INTERVAL_SECONDS, args=[app], **common)
    return scheduler


def build_scheduler(app: Flask, kind: type[BaseScheduler] = BlockingScheduler) -> BaseScheduler:
    """A configured, not yet started scheduler of the given class."""
    return configure(kind(timezone=TZ, job_defaults={"coalesce": True, "max_instances": 1,
                                                     "misfire_grace_time": None}), app)


def freeze_startup_heap() -> None:
    """Move the objects alive at start-up (modules, the app, its workflows, the mappers) out of the garbage
    collector's generations (CPython's ``gc.freeze``), after collecting the start-up garbage. They live as long as
    the process; without this every full collection re-walks them all, ~80 ms per sweep of 1,000 steps. Only the
    dedicated scheduler process does this (``run_blocking``), once, after the app is built and before the first job.
    """
    gc.collect()
    gc.freeze()


def run_blocking(app: Flask) -> None:
    """The scheduler process: blocks until Ctrl+C or SIGTERM."""
    scheduler = build_scheduler(app, BlockingScheduler)
    freeze_startup_heap()
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=True)


def _exit_on_signal(*_args) -> None:
    raise SystemExit(0)  # unwinds start(); the finally clause lets a running batch finish and commit


def start_embedded(app: Flask) -> BackgroundScheduler:
    """Start the jobs in a background thread of this process (development server only: one process)."""
    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start()
    return scheduler
