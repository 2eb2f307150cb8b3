"""Fixtures of the scheduler tests: the test world, a small Flask app around the test connection, an SMTP server."""
from __future__ import annotations

import socket
from types import SimpleNamespace

import pytest
from flask import Flask

from dvflow.db import make_session_factory

from .helpers import LADDER, World


@pytest.fixture
def world(session):
    return World(session)


class FakeWorkflows:
    """Stands in for app.extensions["dvflow.workflows"]: only the ladder lookup the scheduler uses."""

    def __init__(self, ladder=LADDER):
        self.steps = ladder

    def ladder(self, case, clock_name):
        return self.steps

    def ladder_of(self, session, workflow_version, clock_name):
        return self.steps


@pytest.fixture
def mini_app(connection, clock):
    """The pieces of the real app the scheduler uses (sessions on the rolled-back test connection, NOW, CLI)."""
    from dvflow.cli import dvflow_cli
    from dvflow.cli import scheduler as _scheduler_commands  # noqa: F401  (attaches sweep / scheduler)

    app = Flask("dvflow-scheduler-test")
    app.config.update(TESTING=True, NOW=clock, SWEEP_INTERVAL_SECONDS=60, MAIL_HOST="", MAIL_PORT=25,
                      MAIL_SENDER="dvflow@example.vn", MAIL_TLS=False)
    app.extensions["dvflow.bind"] = connection
    app.extensions["dvflow.sessionmaker"] = make_session_factory(connection)
    app.extensions["dvflow.workflows"] = FakeWorkflows()
    app.cli.add_command(dvflow_cli)
    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Collector:
    """An aiosmtpd handler keeping every message; refuses recipients when told to."""

    def __init__(self, refuse: bool = False):
        self.envelopes, self.refuse = [], refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _smtp(refuse: bool):
    from aiosmtpd.controller import Controller

    handler = Collector(refuse=refuse)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, SimpleNamespace(host="127.0.0.1", port=controller.port, handler=handler)


@pytest.fixture
def smtp_server():
    controller, server = _smtp(refuse=False)
    yield server
    controller.stop()


@pytest.fixture
def refusing_smtp_server():
    controller, server = _smtp(refuse=True)
    yield server
    controller.stop()
