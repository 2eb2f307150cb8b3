"""The real scheduler process: `flask --app wsgi dvflow scheduler` sweeps a registered case, sends its e-mails
through a real SMTP server, and stops cleanly on SIGTERM. Runs on a SQLite file of its own (one scheduler)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from deadlines.helpers import World
from sqlalchemy import func, select

from dvflow.models import Clock, EscalationRecord, Notification
from dvflow.timeutil import utcnow

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _wait(predicate, seconds: float, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if proc.poll() is not None:
            pytest.fail(f"the scheduler exited early: {proc.communicate()}")
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _seed(url: str):
    """A migrated database with one complaint received 40 days ago: every step of its acceptance ladder is due."""
    from dvflow import create_app, migrate
    from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case

    app = create_app({"ENV": "testing", "DATABASE_URL": url})
    migrate.upgrade(app.extensions["dvflow.bind"])
    now = utcnow()
    with app.extensions["dvflow.sessionmaker"]() as session:
        world = World(session, now=now)
        case = register_case(session, app.extensions["dvflow.workflows"], world.handler,
                             IntakeInput(kind="complaint_first", unit_id=world.unit.id, channel="letter",
                                         received_at=now - timedelta(days=40), subject="Khiếu nại thu hồi đất",
                                         parties=[PartyInput(role="complainant", name="Nguyễn Văn An")],
                                         assignee_id=world.handler.id), now)
        session.commit()
        clock = session.scalars(select(Clock).where(Clock.case_id == case.id)).one()
        steps = len(app.extensions["dvflow.workflows"].ladder(session, case.workflow_version, clock.name))
    return app, clock.id, steps


def test_the_scheduler_process_sweeps_sends_mail_and_stops_on_sigterm(tmp_path, smtp_server):
    url = f"sqlite:///{tmp_path / 'scheduler.sqlite3'}"
    app, clock_id, steps = _seed(url)
    env = {**os.environ, "DVFLOW_ENV": "testing", "DVFLOW_DATABASE_URL": url, "PYTHONUNBUFFERED": "1",
           # the e-mails of the first sweep go out at the next dispatch: a second later, not the default minute
           "DVFLOW_SWEEP_INTERVAL_SECONDS": "1", "DVFLOW_DISPATCH_INTERVAL_SECONDS": "1",
           "DVFLOW_MAIL_HOST": smtp_server.host, "DVFLOW_MAIL_PORT": str(smtp_server.port)}
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "dvflow", "scheduler"], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sessions = app.extensions["dvflow.sessionmaker"]

    def count(stmt):
        with sessions() as session:
            return session.scalar(stmt)

    try:
        fired = select(func.count()).select_from(EscalationRecord).where(EscalationRecord.clock_id == clock_id)
        _wait(lambda: count(fired) == steps, 60, proc, "the sweep")
        pending = select(func.count()).select_from(Notification).where(Notification.channel == "email",
                                                                       Notification.delivery == "pending")
        _wait(lambda: count(pending) == 0 and smtp_server.handler.envelopes, 60, proc, "the e-mails")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Bộ lập lịch dvflow đang chạy: quét thời hạn mỗi 1 giây" in out and "Bộ lập lịch đã dừng." in out
    sent = count(select(func.count()).select_from(Notification).where(Notification.delivery == "sent"))
    assert sent == len(smtp_server.handler.envelopes) > 0
    time.sleep(1.5)  # more sweeps ran meanwhile: still exactly one record per step
    assert count(fired) == steps
    app.extensions["dvflow.bind"].dispose()
