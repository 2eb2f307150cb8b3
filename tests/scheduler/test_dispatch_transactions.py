"""The dispatcher talks to the mail server with no transaction open: it claims a batch and commits, sends, then
records what happened in a second short transaction. On SQLite (`make run`) a writer of the web app never waits for
a slow mail server; a claimed row whose dispatcher dies before recording is sent by a later run."""
from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from deadlines.helpers import STEP_AT, World, fixed_ladder
from mailserver import Collector, free_port
from sqlalchemy import select, update

from dvflow import migrate
from dvflow.db import make_engine, make_session_factory
from dvflow.models import Notification, User
from dvflow.notify.dispatcher import claim_lease
from dvflow.notify.email import MailSettings
from dvflow.scheduler.runner import run_dispatch, run_sweep

WAIT = 60  # seconds: only a bound on a wait that a working dispatcher ends at once, never an assertion on time
AT = STEP_AT["before_2"]


class HoldsTheFirstMessage(Collector):
    """Keeps the first message in DATA until the test says its own write has committed."""

    def __init__(self):
        super().__init__()
        self.sending, self.written = threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if not self.sending.is_set():
            self.sending.set()
            await asyncio.get_running_loop().run_in_executor(None, self.written.wait, WAIT)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def sqlite_file(tmp_path):
    """A SQLite file of its own, as `make run` has it: the dispatcher and the writer are two sessions on two
    connections (the test connection's rolled-back transaction would make them one)."""
    engine = make_engine(f"sqlite:///{tmp_path}/dvflow.sqlite3", busy_seconds=5)
    migrate.upgrade(engine)
    yield make_session_factory(engine)
    engine.dispose()


def _queue_mails(sessions, count: int) -> int:
    with sessions() as s, s.begin():
        world = World(s)
        for _ in range(count):
            world.case_with_clock()
        handler_id = world.handler.id
    run_sweep(sessions, now=AT, ladder=fixed_ladder())  # one reminder e-mail to the handler per case
    return handler_id


def _deliveries(sessions) -> list[str]:
    with sessions() as s:
        return list(s.scalars(select(Notification.delivery).where(Notification.channel == "email")))


def test_a_web_write_commits_while_the_dispatcher_waits_on_the_mail_server(sqlite_file):
    sessions = sqlite_file
    handler_id = _queue_mails(sessions, 3)
    smtp = HoldsTheFirstMessage()
    controller = Controller(smtp, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings = MailSettings(host="127.0.0.1", port=controller.port, sender="dvflow@example.vn", timeout=WAIT)
    reports = []
    dispatcher = threading.Thread(target=lambda: reports.append(run_dispatch(sessions, now=AT, settings=settings)))
    dispatcher.start()
    try:
        assert smtp.sending.wait(WAIT), "the dispatcher never reached the mail server"
        with sessions() as s, s.begin():  # what any POST does: a writing transaction
            s.execute(update(User).where(User.id == handler_id).values(full_name="Nguyễn Văn Hải (mới)"))
    finally:
        smtp.written.set()
        dispatcher.join(WAIT)
        controller.stop()
    [report] = reports
    assert len(report.sent) == 3 and len(smtp.envelopes) == 3
    assert _deliveries(sessions) == ["sent"] * 3


class Dies(BaseException):
    """The process ends between the claim and the record (SIGKILL, a lost host): nothing below catches it."""


class DyingMailer:
    def __enter__(self):
        raise Dies()

    def __exit__(self, *exc):
        return False


def test_a_claim_left_by_a_dead_dispatcher_is_sent_when_it_expires(session, world, mini_app, smtp_server):
    world.case_with_clock()
    session.commit()  # the test world is visible to the jobs' sessions (all inside the rolled-back connection)
    sessions = mini_app.extensions["dvflow.sessionmaker"]
    run_sweep(sessions, now=AT, ladder=fixed_ladder())
    settings = MailSettings(host="127.0.0.1", port=smtp_server.port, sender="dvflow@example.vn", timeout=5)
    with pytest.raises(Dies):
        run_dispatch(sessions, now=AT, settings=settings, mailer_factory=DyingMailer, monotonic=lambda: 0.0)
    session.expire_all()
    [mail] = session.scalars(select(Notification).where(Notification.channel == "email")).all()
    lease = claim_lease(settings, 50)
    assert (mail.delivery, mail.attempts, mail.next_attempt_at) == ("pending", 0, AT + lease)
    # while the claim holds, no other run sends it; once it has expired, the next run does
    assert run_dispatch(sessions, now=AT + lease - timedelta(seconds=1), settings=settings).claimed == 0
    report = run_dispatch(sessions, now=AT + lease, settings=settings)
    session.expire_all()
    assert report.sent == [mail.id] and mail.delivery == "sent" and mail.attempts == 1
    assert [e.rcpt_tos for e in smtp_server.handler.envelopes] == [[world.handler.email]]


class Counting:
    """A mailer that records each send (dispatcher name, recipient) and counts its connections."""

    def __init__(self, name: str, sent: list, opened: list, on_send=None):
        self.name, self.sent, self.opened, self.on_send = name, sent, opened, on_send

    def __enter__(self):
        self.opened.append(self.name)
        return self

    def __exit__(self, *exc):
        return False

    def send(self, msg, to):
        self.sent.append((self.name, to))
        if self.on_send is not None:
            self.on_send(self)


def test_each_batch_leases_its_rows_from_its_own_claim_so_a_second_scheduler_never_resends_them(sqlite_file):
    """A's first batch takes a whole lease to send; B starts then. A's second batch was claimed after the first
    was sent, so its lease still runs: B finds nothing to take (counted from A's start, it would resend them)."""
    sessions = sqlite_file
    _queue_mails(sessions, 4)
    settings = MailSettings(host="smtp.example", port=25, sender="dvflow@example.vn", timeout=10)
    lease = claim_lease(settings, 2)
    sent, opened, clock = [], [], [0.0]

    def slow(mailer):  # A's first batch: each message takes half a lease; B runs as A begins its second batch
        if mailer.name == "A" and len(sent) <= 2:
            clock[0] += lease.total_seconds() / 2
        if mailer.name == "A" and len(sent) == 3:
            run_dispatch(sessions, now=AT + timedelta(seconds=clock[0] + 1), settings=settings, batch_size=2,
                         mailer_factory=lambda: Counting("B", sent, opened))

    run_dispatch(sessions, now=AT, settings=settings, batch_size=2, monotonic=lambda: clock[0],
                 mailer_factory=lambda: Counting("A", sent, opened, slow))
    with sessions() as s:
        assert s.scalars(select(Notification.delivery).where(Notification.channel == "email")).all() == ["sent"] * 4
    assert [name for name, _to in sent] == ["A"] * 4  # each e-mail once


def test_a_run_with_nothing_to_send_opens_no_connection(sqlite_file):
    sessions, sent, opened = sqlite_file, [], []
    settings = MailSettings(host="smtp.example", port=25, sender="dvflow@example.vn", timeout=10)
    report = run_dispatch(sessions, now=AT, settings=settings, mailer_factory=lambda: Counting("A", sent, opened))
    assert report.claimed == 0 and opened == []
