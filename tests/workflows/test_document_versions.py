"""Cases running on a version written before the decisions' contents were drafted on submit (documents review,
12/2026) keep working: they stay on their version, their documents come from the current templates, and they can be
moved to the current version (`workflows migrate`)."""
from __future__ import annotations

import io
import shutil
from datetime import date, datetime, time

import pytest
from docx import Document as Docx
from sqlalchemy import select

from config import ROOT
from dvflow.models import Document
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.documents import flow
from dvflow.services.workflows import versioning
from dvflow.timeutil import TZ
from dvflow.workflows import load_registry

SHIPPED_DOCUMENTS = ROOT / "workflows" / "documents"
# complaint_first's submit as it was: no drafted contents
DRAFTED_FIELDS = '''      note: {type: text, required: false, label: "Ghi chú tờ trình", label_en: "Submission note"}
      result:'''


def at(day: int, hour: int = 10) -> datetime:
    return datetime.combine(date(2026, 11, day), time(hour), TZ)


@pytest.fixture
def shipped(tmp_path) -> flow.Settings:
    return flow.Settings(documents_dir=str(SHIPPED_DOCUMENTS), files=str(tmp_path / "files"), pdf=False)


def _earlier(tmp_path, kind: str, edit) -> object:
    """The shipped workflows with `kind`'s file rewritten by `edit` (standing for its earlier version); the
    documents folder stays the shipped one."""
    folder = tmp_path / "earlier"
    shutil.copytree(ROOT / "workflows", folder)
    path = folder / f"{kind}.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return load_registry(str(folder))


def _without_drafted_contents(text: str) -> str:
    start = text.index(DRAFTED_FIELDS) + len(DRAFTED_FIELDS) - len("      result:")
    end = text.index("    facts: {approved: false, result: field}")
    rest = text[end:].replace("facts: {approved: false, result: field}", "facts: {approved: false}", 1)
    return text[:start] + rest.replace("choices: *complaint_results", 'choices: {right: "Khiếu nại đúng", '
                                       'partly_right: "Khiếu nại đúng một phần", wrong: "Khiếu nại sai"}', 1)


def _text(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    return "\n".join([p.text for p in doc.paragraphs]
                     + [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs])


def _do(session, registry, org, case, steps, settings):
    for action, fields, when in steps:
        cases.perform(session, registry, org["users"]["head"], case.id, action, fields, when, documents=settings)


def test_a_draft_submitted_on_the_earlier_version_is_issued_with_the_result_given_at_issue(
        session, workflows, org, tmp_path, shipped):
    earlier = _earlier(tmp_path, "complaint_first", _without_drafted_contents)
    assert earlier.latest("complaint_first").version != workflows.latest("complaint_first").version
    data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Khiếu nại quyết định thu hồi đất",
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An")])
    case = register_case(session, earlier, org["users"]["reception"], data, at(2))
    _do(session, earlier, org, case, [("accept", {"decision_date": "2026-11-04"}, at(4)),
                                      ("draft_decision", {}, at(5)), ("submit", {"note": "Trình"}, at(5, 11)),
                                      ("approve", {}, at(6))], shipped)
    # the current registry runs the case on its own stored version, and may move it: same states, same clocks
    [plan] = versioning.plan(session, workflows, "complaint_first")
    assert plan.case.id == case.id and plan.movable
    _do(session, workflows, org, case, [("issue_decision", {"decision_date": "2026-11-06", "result": "right"},
                                         at(6, 11))], shipped)
    [decision] = session.scalars(select(Document).where(Document.case_id == case.id,
                                                        Document.type == "complaint_decision_first")).all()
    text = _text(decision.content)
    assert decision.status == "issued" and "Kết luận nội dung khiếu nại: Khiếu nại đúng." in text
    assert "Điều 1. Kết luận nội dung khiếu nại của ông (bà) Nguyễn Văn An" in text
    assert not any(line.rstrip().endswith(": .") for line in text.splitlines())


def test_a_denunciation_accepted_with_a_notice_on_the_earlier_version_is_never_told_that_notice_was_a_decision(
        session, workflows, org, tmp_path, shipped):
    earlier = _earlier(tmp_path, "denunciation", lambda text: text.replace(
        "document: denunciation_acceptance_decision", "document: denunciation_acceptance_notice", 1))
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Tố cáo cán bộ địa chính", parties=[PartyInput(role="denouncer", name="Phan Văn Kín"),
                                                                   PartyInput(role="accused", name="Trần Thị Bị")])
    case = register_case(session, earlier, org["users"]["reception"], data, at(2))
    _do(session, earlier, org, case, [("accept", {"decision_date": "2026-11-04"}, at(4))], shipped)
    [notice] = session.scalars(select(Document).where(Document.case_id == case.id)).all()
    assert "/TB-" in notice.number_symbol and "Quyết định số" not in _text(notice.content)
    # moved to the current version, its notice to the accused does not cite the TB number as a decision either
    [moved] = versioning.apply(session, workflows, "denunciation", at(5))
    assert moved.movable and case.workflow_version == workflows.latest("denunciation").version
    _do(session, workflows, org, case, [("notify_accused", {"sent_on": "2026-11-05"}, at(5, 11))], shipped)
    content_notice = session.scalars(select(Document).where(Document.case_id == case.id,
                                                            Document.type == "denunciation_content_notice")).one()
    text = _text(content_notice.content)
    assert "Kính gửi: ông (bà) Trần Thị Bị." in text and "Quyết định số" not in text and "Phan Văn Kín" not in text
