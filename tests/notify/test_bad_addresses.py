"""An officer's address the e-mail package cannot handle (stored before the account form checked it as a citizen's):
it fails its own row only, and never sends a message to a recipient the package made up from the name."""
from __future__ import annotations

import pytest
from deadlines.helpers import STEP_AT, fixed_ladder
from sqlalchemy import select

from dvflow.models import Notification
from dvflow.notify.dispatcher import dispatch_batch
from dvflow.notify.email import MailSettings
from dvflow.services.deadlines.sweep import sweep


def _settings(server) -> MailSettings:
    return MailSettings(host="127.0.0.1", port=server.port, sender="dvflow@example.vn", timeout=5)


def _mails(session) -> list[Notification]:
    return session.scalars(select(Notification).where(Notification.channel == "email")
                           .order_by(Notification.id)).all()


def test_a_message_that_cannot_be_built_fails_its_row_only(session, world, smtp_server):
    world.handler.email = "hai@[thanhtra.gov.vn"  # the email package raises AttributeError on this To header
    session.flush()
    world.case_with_clock()
    sweep(session, now=STEP_AT["due"], ladder=fixed_ladder())  # before_2 to the assignee; due to them and the head
    mails = _mails(session)
    bad = [m for m in mails if m.user_id == world.handler.id]
    [good] = [m for m in mails if m.user_id == world.head.id]
    report = dispatch_batch(session, now=STEP_AT["due"], settings=_settings(smtp_server))
    assert (good.delivery, report.sent, report.retry) == ("sent", [good.id], [])
    assert sorted(report.failed) == sorted(m.id for m in bad) and len(bad) == 2
    assert all((m.delivery, m.attempts) == ("failed", 1) and "thanhtra" not in m.last_error for m in bad)
    assert [e.rcpt_tos for e in smtp_server.handler.envelopes] == [[world.head.email]]


class _Recorder:
    """A mailer that keeps the envelope recipient of each message."""

    def __init__(self):
        self.recipients = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send(self, msg, to_address) -> None:
        self.recipients.append(to_address)


@pytest.mark.parametrize("address", ["hai@thanhtra.gov.vn.", "hai@thanhtra..gov.vn"])
def test_the_envelope_goes_to_the_stored_address_not_to_what_the_header_parser_kept(session, world, smtp_server,
                                                                                    address):
    world.handler.email = address  # the To header's parser drops it and keeps the name, "Nguyễn Văn Hải"
    session.flush()
    world.case_with_clock()
    sweep(session, now=STEP_AT["before_2"], ladder=fixed_ladder())
    [mail] = _mails(session)
    recorder = _Recorder()
    dispatch_batch(session, now=STEP_AT["before_2"], settings=_settings(smtp_server), mailer_factory=lambda: recorder)
    assert recorder.recipients == [address]
    # through a real server: it refuses the malformed address, so the row is not taken for sent (it was sent to
    # "Nguyễn" before)
    mail.delivery, mail.next_attempt_at = "pending", STEP_AT["before_2"]
    dispatch_batch(session, now=STEP_AT["before_2"], settings=_settings(smtp_server))
    assert smtp_server.handler.envelopes == []
    assert mail.delivery == "pending" and "553" in mail.last_error
