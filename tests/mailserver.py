"""A real SMTP server on 127.0.0.1 for the e-mail tests (aiosmtpd): keeps every message, refuses when told to."""
from __future__ import annotations

import socket
from types import SimpleNamespace


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


def start_smtp(refuse: bool):
    """A started controller (stop it) and what the tests read: host, port and the handler with its envelopes."""
    from aiosmtpd.controller import Controller

    handler = Collector(refuse=refuse)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, SimpleNamespace(host="127.0.0.1", port=controller.port, handler=handler)
