"""A case keeps the workflow version it started on, even after the YAML file changes."""
from __future__ import annotations

import shutil
from datetime import date, datetime, time

from sqlalchemy import select

from config import ROOT
from dvflow.models import CaseEvent, Clock
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.workflows import versioning
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


# A clock keeps its own variant only when a finding after it started was added to it as an extension; a flag the
# case had from intake takes the new version's variant; the preview and the history say what the move sets.
def _at(d, h=10):
    return datetime.combine(d, time(h), TZ)


FULL = "days: {normal: 30, complex: 45, remote: 45, remote_complex: 60}"


def _accepted(session, workflows, org, data=None):
    """A first complaint received 02/11/2026 and accepted 04/11 (its 30-day resolution limit running)."""
    u = org["users"]
    case = register_case(session, workflows, u["reception"], data or _complaint(org), _at(date(2026, 11, 2)))
    cases.perform(session, workflows, u["head"], case.id, "accept",
                  {"decision_number": "01", "decision_date": "2026-11-04"}, _at(date(2026, 11, 4), 15))
    return case


def _found_remote(session, workflows, org, case, reason="Xã vùng cao, cách trụ sở 80 km"):
    """The head finds the complainant in a remote area on 05/11: the running limit gets +15 days as an extension."""
    cases.perform(session, workflows, org["users"]["head"], case.id, "mark_remote_area",
                  {"decided_on": "2026-11-05", "reason": reason}, _at(date(2026, 11, 5)))


def _resolve_clock(session, case) -> Clock:
    return session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.name == "resolve"))


def test_a_limit_lengthened_by_a_later_finding_is_not_lengthened_again_by_a_version_move(session, workflows, org,
                                                                                         tmp_path):
    """A remote area (or a complexity) found after acceptance lengthens the running 30-day limit by 15 days, as an
    extension; moving the case to a new version chose the 45-day variant from the case's flags and kept the
    extension: 60 days (Luật Khiếu nại 2011, Điều 28 gives 45)."""
    case = _accepted(session, workflows, org)
    _found_remote(session, workflows, org, case)
    clock = _resolve_clock(session, case)
    assert clock.due_date == date(2026, 12, 21)
    versioning.apply(session, _edited_workflows(tmp_path, "Khiếu nại lần đầu", "Khiếu nại lần đầu (sửa)"),
                     "complaint_first", _at(date(2026, 11, 6)))
    session.refresh(clock)
    assert clock.due_date == date(2026, 12, 21)


def test_intake_remote_case_gets_new_versions_remote_variant(session, workflows, org, tmp_path):
    """Old version lacks the remote variant; the case was remote from intake; the new version adds remote: 45."""
    old = _edited_workflows(tmp_path / "a", FULL, "days: {normal: 30, complex: 45}")
    data = _complaint(org)
    data.remote_area = True
    case = _accepted(session, old, org, data)
    clock = _resolve_clock(session, case)
    assert (clock.variant, clock.days) == ("normal", 30)
    new = _edited_workflows(tmp_path / "b", "Khiếu nại lần đầu", "Khiếu nại lần đầu (sửa)")  # has remote: 45
    preview = versioning.plan(session, new, "complaint_first")
    assert preview[0].changes and "30 → 45" in preview[0].changes[0]  # the preview says what the move sets
    versioning.apply(session, new, "complaint_first", _at(date(2026, 11, 6)))
    session.refresh(clock)
    ev = session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "migrate_version"))
    assert (clock.variant, clock.days) == ("remote", 45) and "30 → 45" in ev.payload["changes"][0]
    assert clock.due_date == date(2026, 12, 21)  # 45 days from 04/11 end on Saturday 19/12: the next working day


def test_preview_and_history_match_what_apply_does(session, workflows, org, tmp_path):
    """The commit's own scenario: remote found after acceptance (extension +15). Preview/history claim 30 → 45."""
    case = _accepted(session, workflows, org)
    _found_remote(session, workflows, org, case)
    new = _edited_workflows(tmp_path, "Khiếu nại lần đầu", "Khiếu nại lần đầu (sửa)")
    versioning.apply(session, new, "complaint_first", _at(date(2026, 11, 6)))
    clock = _resolve_clock(session, case)
    ev = session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "migrate_version"))
    assert ev.payload["changes"] == [] or f"→ {clock.days} " in ev.payload["changes"][0]


def test_rule_label_follows_new_days(session, workflows, org, tmp_path):
    case = _accepted(session, workflows, org)
    _found_remote(session, workflows, org, case)
    new = _edited_workflows(tmp_path, FULL, "days: {normal: 35, complex: 50, remote: 50, remote_complex: 65}")
    versioning.apply(session, new, "complaint_first", _at(date(2026, 11, 6)))
    clock = _resolve_clock(session, case)
    assert str(clock.days) in clock.rule_label


def test_a_case_remote_from_intake_found_complex_later_gets_the_remote_complex_limit_once(session, workflows, org,
                                                                                          tmp_path):
    old = _edited_workflows(tmp_path / "a", FULL, "days: {normal: 30, complex: 45}")
    data = _complaint(org)
    data.remote_area = True
    case = _accepted(session, old, org, data)
    cases.perform(session, old, org["users"]["head"], case.id, "mark_complex",
                  {"document_number": "02", "document_date": "2026-11-05", "criteria": "x"}, _at(date(2026, 11, 5)))
    clock = _resolve_clock(session, case)
    new = _edited_workflows(tmp_path / "b", "Khiếu nại lần đầu", "Khiếu nại lần đầu (sửa)")
    versioning.apply(session, new, "complaint_first", _at(date(2026, 11, 6)))
    session.refresh(clock)
    total = clock.days + sum(e["days"] for e in clock.extensions)
    assert (clock.variant, total) == ("remote_complex", 60)  # Luật Khiếu nại 2011, Điều 28


def test_an_extension_stored_before_it_named_its_variant_is_not_counted_twice(session, workflows, org, tmp_path):
    case = _accepted(session, workflows, org)
    _found_remote(session, workflows, org, case, reason="Xã vùng cao")
    clock = _resolve_clock(session, case)
    clock.extensions = [{k: v for k, v in e.items() if k != "variant"} for e in clock.extensions]  # as stored before
    # extensions named their variant
    session.flush()
    new = _edited_workflows(tmp_path, 'basis: "Luật Khiếu nại 2011, Điều 28"\n',
                            'basis: "Luật Khiếu nại 2011, Điều 28 (sửa đổi bởi Luật số 136/2025/QH15)"\n')
    versioning.apply(session, new, "complaint_first", _at(date(2026, 11, 6)))
    session.refresh(clock)
    total = clock.days + sum(e["days"] for e in clock.extensions)
    assert total == 45
