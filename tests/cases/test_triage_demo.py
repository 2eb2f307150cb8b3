"""The demo data shows a letter in each triage outcome."""
from __future__ import annotations

from factories import NOW
from sqlalchemy import select

from dvflow.cli.demo_data import load_demo
from dvflow.models import Case


def test_demo_letters_reach_each_outcome(session, workflows):
    assert load_demo(session, workflows, NOW)
    letters = session.scalars(select(Case).where(Case.kind == "triage").order_by(Case.id)).all()
    assert sorted(c.state for c in letters) == ["accepted", "archived", "archived", "forwarded", "guided", "received"]
    handed = next(c for c in letters if c.state == "accepted")
    assert session.get(Case, handed.handed_off_to_id).source_letter_id == handed.id
    assert any(c.duplicate_of_id for c in letters) and any(c.related_case_id for c in letters)
    assert next(c for c in letters if c.state == "forwarded").confidential
