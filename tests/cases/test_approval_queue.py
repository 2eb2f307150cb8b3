"""The heads' approval queue shows the cases in the states their workflow declares `awaits: head_approval`."""
from __future__ import annotations

import re
import shutil
from datetime import date, datetime, time

import pytest

from config import ROOT
from dvflow.services import cases
from dvflow.services.cases import queries
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.timeutil import TZ
from dvflow.workflows import load_registry


def _at(day: int, hour: int = 10) -> datetime:
    return datetime.combine(date(2026, 11, day), time(hour), TZ)


def _registry(tmp_path, edit):
    """The shipped workflows with complaint_first.yaml rewritten by `edit`."""
    folder = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", folder)
    path = folder / "complaint_first.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(edit(text), encoding="utf-8")
    return load_registry(str(folder))


def _submitted_case(session, workflows, org):
    u = org["users"]
    data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="letter", received_at=_at(2, 9),
                       subject="Khiếu nại", parties=[PartyInput(role="complainant", name="Nguyễn Văn An")])
    case = register_case(session, workflows, u["reception"], data, _at(2))
    cases.perform(session, workflows, u["head"], case.id, "accept",
                  {"decision_number": "01", "decision_date": "2026-11-04"}, _at(4))
    cases.perform(session, workflows, u["head"], case.id, "draft_decision", {}, _at(5))
    cases.perform(session, workflows, u["head"], case.id, "submit",
                  {"result": "right", "legal_basis": "Luật Đất đai 2024", "disposition": "keep",
                   "resolution": "Giữ nguyên"}, _at(5, 11))
    return case


def _queue(session, user, workflows) -> list[int]:
    return [c.id for c in session.scalars(queries.case_query(session, user, queue="approval", workflows=workflows))]


def test_a_differently_named_approval_state_is_in_the_queue(session, org, tmp_path):
    renamed = _registry(tmp_path, lambda text: re.sub(r"\bsubmitted\b", "awaiting_signature", text))
    case = _submitted_case(session, renamed, org)
    assert case.state == "awaiting_signature"
    u = org["users"]
    assert _queue(session, u["head"], renamed) == [case.id]
    assert _queue(session, u["chair"], renamed) == [case.id]  # the head of the parent unit too
    assert _queue(session, u["other_head"], renamed) == []
    assert queries.counts(session, u["head"], date(2026, 11, 5), renamed)["approval"] == 1


def test_a_state_not_declared_awaiting_approval_is_not_in_the_queue(session, org, tmp_path):
    undeclared = _registry(tmp_path, lambda text: text.replace(", awaits: head_approval}", "}"))
    case = _submitted_case(session, undeclared, org)
    assert case.state == "submitted"
    assert _queue(session, org["users"]["head"], undeclared) == []


def test_the_queue_covers_the_stored_versions_cases_run_on(session, workflows, org, tmp_path):
    old = _submitted_case(session, workflows, org)  # on the shipped version, in `submitted`
    renamed = _registry(tmp_path, lambda text: re.sub(r"\bsubmitted\b", "awaiting_signature", text))
    assert old.workflow_version not in {d.version for d in renamed.definitions()}  # not loaded yet
    new = _submitted_case(session, renamed, org)
    assert sorted(_queue(session, org["users"]["head"], renamed)) == sorted([old.id, new.id])


def test_the_approval_queue_needs_the_registry(session, org):
    with pytest.raises(ValueError):
        queries.case_query(session, org["users"]["head"], queue="approval")
