"""Letters registered on the triage workflow as it was before the content clocks and the hand-off (kept in
data/triage_before_content_clocks.yaml) keep working on that version, and can be moved to the current one."""
from __future__ import annotations

import shutil
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import select

from config import ROOT
from dvflow.models import Case
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.workflows import versioning
from dvflow.timeutil import TZ
from dvflow.workflows import load_registry

OLD = Path(__file__).parent / "data" / "triage_before_content_clocks.yaml"
RECEIVED = datetime.combine(date(2026, 11, 2), time(9), TZ)
NOW = datetime.combine(date(2026, 11, 4), time(15), TZ)


def _old_workflows(tmp_path):
    folder = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", folder)
    shutil.copy(OLD, folder / "triage.yaml")
    return load_registry(str(folder))


def _letter(session, workflows, org) -> Case:
    return register_case(session, workflows, org["users"]["reception"], IntakeInput(
        kind="triage", unit_id=org["dept"].id, channel="letter", received_at=RECEIVED, subject="Đơn",
        parties=[PartyInput(role="complainant", name="Nguyễn Văn An")]), NOW)


def test_a_letter_on_the_old_version_still_runs_its_own_rules(session, workflows, org, tmp_path):
    old = _old_workflows(tmp_path)
    doc = _letter(session, old, org)
    assert doc.workflow_version != workflows.latest("triage").version
    handler = org["users"]["handler"]
    cases.perform(session, workflows, handler, doc.id, "classify", {"content_type": "complaint_first",
                                                                   "competent": True}, NOW)
    cases.perform(session, workflows, handler, doc.id, "accept", {"target_kind": "complaint_first"}, NOW)
    # the old version declares no hand-off: the letter closes as it used to, and no case is created
    assert doc.state == "accepted" and doc.handed_off_to_id is None
    assert session.scalars(select(Case).where(Case.kind != "triage")).all() == []


def test_an_old_letter_moves_to_the_current_version(session, workflows, org, tmp_path):
    doc = _letter(session, _old_workflows(tmp_path), org)
    preview = versioning.plan(session, workflows, "triage")
    assert [p.case.id for p in preview] == [doc.id] and preview[0].movable
    versioning.apply(session, workflows, "triage", NOW)
    assert doc.workflow_version == workflows.latest("triage").version
    cases.perform(session, workflows, org["users"]["handler"], doc.id, "classify",
                  {"content_type": "complaint_first", "competent": True}, NOW)
    cases.perform(session, workflows, org["users"]["handler"], doc.id, "accept", {"target_kind": "complaint_first"},
                  NOW)
    assert session.get(Case, doc.handed_off_to_id).received_at == doc.received_at
