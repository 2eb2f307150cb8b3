"""A case keeps the workflow version it started on, even after the YAML file changes."""
from __future__ import annotations

import shutil
from datetime import date, datetime, time

from config import ROOT
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.timeutil import TZ
from dvflow.workflows import load_registry


def _complaint(org) -> IntakeInput:
    return IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="letter",
                       received_at=datetime.combine(date(2026, 11, 2), time(9), TZ), subject="Khiếu nại",
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An")])


def _edited_workflows(tmp_path, old: str, new: str):
    """A copy of the shipped workflows whose complaint_first.yaml has its first `old` replaced by `new`."""
    folder = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", folder)
    path = folder / "complaint_first.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_registry(str(folder))


def test_open_case_keeps_working_after_yaml_edit(session, workflows, org, tmp_path):
    u = org["users"]
    data = _complaint(org)
    case = register_case(session, workflows, u["reception"], data, datetime.combine(date(2026, 11, 2), time(10), TZ))
    old_version = case.workflow_version

    # edit the file's label -> a new version for new cases
    edited = _edited_workflows(tmp_path, "Khiếu nại lần đầu", "Khiếu nại lần đầu (sửa)")
    assert edited.latest("complaint_first").version != old_version

    # the running case still fires on its own stored version, loaded from the database
    cases.perform(session, edited, u["head"], case.id, "accept",
                       {"decision_number": "01", "decision_date": "2026-11-04"},
                       datetime.combine(date(2026, 11, 4), time(15), TZ))
    assert case.state == "accepted" and case.workflow_version == old_version
    assert edited.for_case(case, session).version == old_version

    new_case = register_case(session, edited, u["reception"], data, datetime.combine(date(2026, 11, 2), time(11), TZ))
    assert new_case.workflow_version == edited.latest("complaint_first").version


def test_migration_is_previewed_then_applied(session, workflows, org, tmp_path):
    from sqlalchemy import select

    from dvflow.models import CaseEvent, Clock
    from dvflow.services.workflows import versioning

    u = org["users"]
    data = _complaint(org)
    case = register_case(session, workflows, u["reception"], data, datetime.combine(date(2026, 11, 2), time(10), TZ))
    edited = _edited_workflows(tmp_path, "days: {normal: 7}", "days: {normal: 5}")

    preview = versioning.plan(session, edited, "complaint_first")
    assert [p.case.id for p in preview] == [case.id]
    assert preview[0].movable and any("7 → 5" in c for c in preview[0].changes)
    assert case.workflow_version == workflows.latest("complaint_first").version  # preview changed nothing

    versioning.apply(session, edited, "complaint_first", datetime.combine(date(2026, 11, 3), time(10), TZ))
    clock = session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.name == "accept"))
    assert case.workflow_version == edited.latest("complaint_first").version
    assert clock.days == 5 and clock.due_date == date(2026, 11, 9)
    assert session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                  CaseEvent.action == "migrate_version")) is not None


def test_a_limit_lengthened_by_a_later_finding_is_not_lengthened_again_by_a_version_move(session, workflows, org,
                                                                                         tmp_path):
    """A remote area (or a complexity) found after acceptance lengthens the running 30-day limit by 15 days, as an
    extension; moving the case to a new version chose the 45-day variant from the case's flags and kept the
    extension: 60 days (Luật Khiếu nại 2011, Điều 28 gives 45)."""
    from sqlalchemy import select

    from dvflow.models import Clock
    from dvflow.services.workflows import versioning

    u, at = org["users"], (lambda d, h=10: datetime.combine(d, time(h), TZ))
    case = register_case(session, workflows, u["reception"], _complaint(org), at(date(2026, 11, 2)))
    cases.perform(session, workflows, u["head"], case.id, "accept",
                  {"decision_number": "01", "decision_date": "2026-11-04"}, at(date(2026, 11, 4), 15))
    cases.perform(session, workflows, u["head"], case.id, "mark_remote_area",
                  {"decided_on": "2026-11-05", "reason": "Xã vùng cao, cách trụ sở 80 km"}, at(date(2026, 11, 5)))
    clock = session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.name == "resolve"))
    assert clock.due_date == date(2026, 12, 21)
    versioning.apply(session, _edited_workflows(tmp_path, "Khiếu nại lần đầu", "Khiếu nại lần đầu (sửa)"),
                     "complaint_first", at(date(2026, 11, 6)))
    session.refresh(clock)
    assert clock.due_date == date(2026, 12, 21)
