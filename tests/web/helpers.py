"""Creating cases for web tests through the service (the form itself is tested in test_reception)."""
from __future__ import annotations

from datetime import datetime

from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case


def make_case(app, session, org, *, kind="complaint_first", unit="dept", subject="Khiếu nại thu hồi đất",
              parties=None, user="reception", received: datetime | None = None):
    workflows = app.extensions["dvflow.workflows"]
    now = app.config["NOW"]()
    parties = parties if parties is not None else [
        PartyInput(role="complainant", name="Nguyễn Văn An", identity_number="001086000123", address="Hà Nội")]
    data = IntakeInput(kind=kind, unit_id=org[unit].id, channel="walk_in", received_at=received or now,
                       subject=subject, parties=parties)
    case = register_case(session, workflows, org["users"][user], data, now)
    session.flush()
    return case


DENOUNCER = PartyInput(role="denouncer", name="Phạm Văn Dũng", identity_number="079000111222")


def make_denunciation(app, session, org, content: str):
    """A confidential denunciation of the department, its denouncer and the accused, with `content`."""
    case = make_case(app, session, org, kind="denunciation", subject="Tố cáo cán bộ địa chính",
                     parties=[DENOUNCER, PartyInput(role="accused", name="Ông Bị Tố Cáo")])
    case.content = content
    session.flush()
    return case
