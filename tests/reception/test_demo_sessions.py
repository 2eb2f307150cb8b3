"""The demo's reception sessions: a held periodic day of the province chair with every outcome, its refusal notice
and conclusion notice, and a held online session with its recording."""
from __future__ import annotations

from factories import NOW
from sqlalchemy import select

from dvflow.cli.demo_data import load_demo
from dvflow.models import Case, Document, ReceptionSession, ReceptionVisit
from dvflow.timeutil import local_date


def test_the_demo_holds_sessions_in_every_outcome(session, workflows):
    assert load_demo(session, workflows, NOW)
    # the schedule's demo plans more sessions: the chair's day is the one with a conclusion notice
    periodic = session.scalar(select(ReceptionSession).join(Document, Document.session_id == ReceptionSession.id)
                              .where(Document.type == "reception_conclusion_notice"))
    online = session.scalar(select(ReceptionSession).where(ReceptionSession.mode == "online",
                                                           ReceptionSession.status == "held"))
    assert periodic.kind == "periodic" and periodic.status == "held" and online.recording_ref
    rows = session.scalars(select(ReceptionVisit).where(ReceptionVisit.session_id == periodic.id)).all()
    assert {v.outcome for v in rows} == {"answered", "guided", "case_opened", "refused"}
    opened = next(v for v in rows if v.outcome == "case_opened")
    assert local_date(session.get(Case, opened.case_id).received_at) == periodic.day
    refused = next(v for v in rows if v.outcome == "refused")
    assert refused.refusal_notice_sent_on is not None and refused.refusal_notice_sent_on <= refused.refusal_notice_due
    types = set(session.scalars(select(Document.type).where(Document.session_id == periodic.id)))
    assert types == {"reception_refusal_notice", "reception_conclusion_notice"}
