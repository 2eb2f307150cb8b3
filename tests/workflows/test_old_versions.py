"""Cases started on the workflow files as they were at f69c2ac (data/*_f69c2ac.yaml: a disciplinary complaint that
drafted a first-instance decision, a denunciation whose conclusion was drafted with a note only and whose handler
sent the notices), run with the current code and documents, some moved to the current version with
`workflows migrate` (versioning.apply)."""
from __future__ import annotations

import io
import shutil
from datetime import date, datetime, time
from pathlib import Path

import pytest
from docx import Document as Docx
from flask_babel import force_locale
from sqlalchemy import select

from config import ROOT
from dvflow.engine.workflow.registry import load_all
from dvflow.i18n import said
from dvflow.models import Case, CaseEvent, Document
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.documents import flow
from dvflow.services.errors import Forbidden, ServiceError
from dvflow.services.workflows import versioning
from dvflow.timeutil import TZ
from dvflow.workflows import Workflows

DATA = Path(__file__).resolve().parent / "data"
SHIPPED_DOCUMENTS = ROOT / "workflows" / "documents"


def at(day: int, hour: int = 10) -> datetime:
    return datetime.combine(date(2026, 11, day), time(hour), TZ)


@pytest.fixture
def shipped(tmp_path) -> flow.Settings:
    return flow.Settings(documents_dir=str(SHIPPED_DOCUMENTS), files=str(tmp_path / "files"), pdf=False)


def _at_base(tmp_path, kind: str) -> Workflows:
    """The shipped workflows with `kind`'s file as it was at f69c2ac, compiled as a stored version is read back
    (the app's checks of the current files, such as the head's documents granted to the head alone, are not
    applied to the versions cases already run on)."""
    folder = tmp_path / "base"
    shutil.copytree(ROOT / "workflows", folder)
    shutil.copy(DATA / f"{kind}_f69c2ac.yaml", folder / f"{kind}.yaml")
    workflows = Workflows(load_all(str(folder)))
    workflows.directory = str(folder)
    return workflows


def _do(session, registry, org, case, steps, settings, user="head"):
    for action, fields, when in steps:
        cases.perform(session, registry, org["users"][user], case.id, action, fields, when, documents=settings)


def _text(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    return "\n".join([p.text for p in doc.paragraphs]
                     + [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs])


def _discipline_approved_on_the_base(session, base, org, shipped):
    data = IntakeInput(kind="complaint_discipline", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Khiếu nại quyết định kỷ luật khiển trách",
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An", address="12 Lê Lợi")])
    case = register_case(session, base, org["users"]["reception"], data, at(2))
    _do(session, base, org, case, [
        ("accept", {"decision_date": "2026-11-04", "instance": "first", "penalty": "other"}, at(4)),
        ("schedule_dialogue", {"notice_sent_on": "2026-11-04", "scheduled_on": "2026-11-11", "place": "Trụ sở Sở",
                               "content": "Nội dung khiếu nại"}, at(4, 11)),
        ("record_minutes", {"held_on": "2026-11-11", "attendees": "Nguyễn Văn An", "attendance": "present",
                            "agreed": "Không", "open_points": "Hình thức kỷ luật"}, at(11)),
        ("draft_decision", {}, at(12)), ("submit", {"note": "Trình ký"}, at(12, 11))], shipped)
    return case


def _decisions(session, case) -> list[tuple[str, str]]:
    return [(d.type, d.status) for d in session.scalars(
        select(Document).where(Document.case_id == case.id, Document.type.like("complaint_decision_%"))
        .order_by(Document.id))]


def test_a_disciplinary_complaint_approved_on_the_base_version_and_moved_leaves_no_orphan_draft(
        session, workflows, org, tmp_path, shipped):
    """At f69c2ac complaint_discipline drafted a `complaint_decision_first`; the current version issues a
    `complaint_decision_discipline`. The draft the head approved is the one issued, as the current type: no draft
    stays "Dự thảo chờ phê duyệt" on a decided case."""
    base = _at_base(tmp_path, "complaint_discipline")
    case = _discipline_approved_on_the_base(session, base, org, shipped)
    _do(session, base, org, case, [("approve", {}, at(13))], shipped)
    [approved] = session.scalars(select(Document).where(Document.case_id == case.id,
                                                        Document.type == "complaint_decision_first")).all()
    [moved] = versioning.apply(session, workflows, "complaint_discipline", at(13, 11))
    assert moved.movable and case.workflow_version == workflows.latest("complaint_discipline").version
    _do(session, workflows, org, case, [("issue_decision", {"decision_date": "2026-11-13", "result": "wrong"},
                                         at(13, 14))], shipped)
    assert _decisions(session, case) == [("complaint_decision_discipline", "issued")]
    session.refresh(approved)
    assert approved.status == "issued" and approved.fields["note"] == "Trình ký"
    assert "QUYẾT ĐỊNH" in _text(approved.content) and "lần đầu" in _text(approved.content).lower()


def test_a_draft_of_the_base_version_returned_after_the_move_is_redrafted_in_place(
        session, workflows, org, tmp_path, shipped):
    """Returned and submitted again on the current version, the earlier draft is the one marked returned and then
    redrafted: one draft, of the current type, waits for the head."""
    base = _at_base(tmp_path, "complaint_discipline")
    case = _discipline_approved_on_the_base(session, base, org, shipped)
    versioning.apply(session, workflows, "complaint_discipline", at(12, 12))
    _do(session, workflows, org, case, [("return", {"reason": "Bổ sung căn cứ"}, at(13))], shipped)
    assert _decisions(session, case) == [("complaint_decision_discipline", "returned")]
    _do(session, workflows, org, case, [
        ("submit", {"note": "Trình lại", "result": "wrong", "legal_basis": "Luật Cán bộ, công chức, Điều 79",
                    "disposition": "keep", "resolution": "Giữ nguyên quyết định kỷ luật"}, at(13, 11))], shipped)
    assert _decisions(session, case) == [("complaint_decision_discipline", "draft")]


def test_a_draft_of_a_type_the_version_still_drafts_is_not_taken(session, workflows, org, shipped):
    """Only a draft no action of the case's version drafts stands for another type: a current case's own
    drafts keep their type."""
    from documents.helpers import submitted

    case = submitted(session, workflows, org, shipped)
    defn = workflows.for_case(case, session)
    assert flow.pending_draft(session, defn, case, "complaint_decision_discipline") is None
    assert flow.pending_draft(session, defn, case, "complaint_decision_first").status == "draft"


def _denunciation(session, registry, org) -> Case:
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Tố cáo cán bộ địa chính",
                       parties=[PartyInput(role="denouncer", name="Phan Văn Kín"),
                                PartyInput(role="accused", name="Trần Thị Bị")])
    return register_case(session, registry, org["users"]["reception"], data, at(2))


def _sections(content: bytes) -> list[str]:
    lines = [line for line in _text(content).splitlines() if line.strip()]
    return [a for a, b in zip(lines, lines[1:]) if a[:2] in ("3.", "5.") and b[:2] in ("4.", "Kế")]


def test_a_denunciation_drafted_on_the_base_version_is_concluded_without_empty_statutory_sections(
        session, workflows, org, tmp_path, shipped):
    """A conclusion drafted at f69c2ac (submit: a note only) and concluded now prints no heading of the legal basis
    (3.) or of the measures (5.) with nothing under it: the base version's forms never asked for them."""
    base = _at_base(tmp_path, "denunciation")
    case = _denunciation(session, base, org)
    _do(session, base, org, case, [
        ("accept", {"decision_date": "2026-11-04"}, at(4)),
        ("notify_acceptance", {"sent_on": "2026-11-05"}, at(5)),
        ("verify", {"verifier": "Tổ xác minh", "identity_removed": True}, at(5, 11)),
        ("verification_report", {"report_date": "2026-11-10", "summary": "Kết quả xác minh"}, at(10)),
        ("draft_decision", {}, at(11)), ("submit", {"note": "Trình"}, at(11, 11)), ("approve", {}, at(12)),
        ("conclude", {"conclusion_date": "2026-11-12", "result": "untrue"}, at(12, 11))], shipped)
    assert case.state == "concluded"
    conclusion = session.scalars(select(Document).where(Document.case_id == case.id,
                                                        Document.type == "denunciation_conclusion")).one()
    text = _text(conclusion.content)
    assert _sections(conclusion.content) == [] and "Căn cứ pháp luật" not in text and "Biện pháp xử lý" not in text


def test_a_handler_on_the_base_version_is_offered_the_heads_notice_disabled_and_refused(
        app, session, workflows, org, tmp_path, shipped):
    """The base version still grants the handler schedule_dialogue; the dialogue notice is the head's document
    (NĐ 124/2020 Art 28(1)): the case page offers it to the handler disabled with the reason `perform` refuses it
    with (signers.require_issuer), nothing is written, and the head issues it."""
    base = _at_base(tmp_path, "complaint_discipline")
    data = IntakeInput(kind="complaint_discipline", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Khiếu nại quyết định kỷ luật khiển trách",
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An", address="12 Lê Lợi")])
    case = register_case(session, base, org["users"]["reception"], data, at(2))
    _do(session, base, org, case, [("accept", {"decision_date": "2026-11-04", "instance": "first",
                                               "penalty": "other"}, at(4))], shipped)
    handler = org["users"]["handler"]
    cases.assign(session, org["users"]["head"], case.id, handler.id, at(4, 11))
    defn = workflows.for_case(case, session)
    offered = flow.as_offered(shipped, defn, case.state, cases.actions_for(session, workflows, handler, case),
                              issuer=(session, case, handler))
    [spec] = [a for a in offered if a.trigger == "schedule_dialogue"]
    assert not spec.allowed and spec.code == "issuer" and "Điều 28 khoản 1" in spec.reason
    with app.test_request_context("/"), force_locale("en"):  # the case page in English names it in English
        assert "«Dialogue notice» is issued by the head of the unit" in said(spec.reason_msg)
    notice = {"notice_sent_on": "2026-11-04", "scheduled_on": "2026-11-11", "place": "Trụ sở Sở",
              "content": "Nội dung khiếu nại"}
    savepoint = session.begin_nested()
    with pytest.raises(Forbidden, match="Điều 28 khoản 1"):
        _do(session, workflows, org, case, [("schedule_dialogue", notice, at(5))], shipped, user="handler")
    savepoint.rollback()
    session.expire_all()
    case = session.get(Case, case.id)
    assert case.state == "accepted" and session.scalars(select(Document).where(
        Document.case_id == case.id, Document.type == "dialogue_notice")).all() == []
    _do(session, workflows, org, case, [("schedule_dialogue", notice, at(5))], shipped)
    assert case.state == "dialogue"


def test_a_denunciation_notified_on_the_base_version_and_moved_is_not_offered_the_notice_again(
        session, workflows, org, tmp_path, shipped):
    """At f69c2ac notify_acceptance kept no `acceptance_notified`: moved to the current version, the case takes the
    fact from its history (the notice went out on 05/11), so the one numbered notice (NĐ 31/2019 Art 9(2)) is not
    sent a second time; the notice to the accused, never sent, is still offered. The move says so in its preview
    and its history."""
    base = _at_base(tmp_path, "denunciation")
    case = _denunciation(session, base, org)
    _do(session, base, org, case, [("accept", {"decision_date": "2026-11-04"}, at(4)),
                                   ("notify_acceptance", {"sent_on": "2026-11-05"}, at(5))], shipped)
    assert "acceptance_notified" not in case.facts
    [planned] = versioning.plan(session, workflows, "denunciation")
    assert planned.facts == {"acceptance_notified": True}
    assert any("acceptance_notified" in change for change in planned.changes)
    [moved] = versioning.apply(session, workflows, "denunciation", at(6))
    assert moved.movable and case.facts["acceptance_notified"] is True and "accused_notified" not in case.facts
    offered = {a.trigger: a for a in cases.actions_for(session, workflows, org["users"]["head"], case)}
    assert not offered["notify_acceptance"].allowed and offered["notify_accused"].allowed
    with pytest.raises(ServiceError, match="chỉ thông báo một lần"):
        _do(session, workflows, org, case, [("notify_acceptance", {"sent_on": "2026-11-06"}, at(6, 11))], shipped)
    event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                    CaseEvent.action == "migrate_version")).one()
    assert event.payload["facts"] == {"acceptance_notified": True}
