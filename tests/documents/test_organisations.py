"""A party that is an organisation (kind `organisation`: a body complained of or denounced) is named alone in the
documents, never "ông (bà) Chi cục …"; a person keeps "ông (bà)"."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from dvflow.models import Document
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.documents import context, flow

from .conftest import SHIPPED
from .helpers import DRAFT_FIRST, at
from .test_statutory_contents import text_of

BODY = "Chi cục Quản lý đất đai"


@pytest.fixture
def shipped(tmp_path) -> flow.Settings:
    return flow.Settings(documents_dir=str(SHIPPED), files=str(tmp_path / "f"), pdf=False)


def _do(session, workflows, org, case, steps, settings):
    for action, fields, when in steps:
        cases.perform(session, workflows, org["users"]["head"], case.id, action, fields, when, documents=settings)


def _doc(session, case, type_) -> Document:
    return session.scalars(select(Document).where(Document.case_id == case.id, Document.type == type_)).one()


def _complaint(session, workflows, org, *respondents):
    data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Khiếu nại quyết định thu hồi đất",
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An"), *respondents])
    return register_case(session, workflows, org["users"]["reception"], data, at(2))


def test_a_respondent_body_is_not_called_mister_or_madam(session, workflows, org, shipped):
    """The decisions state the respondent (LKN Art 31(2)(b): "Người bị khiếu nại: …")."""
    case = _complaint(session, workflows, org, PartyInput(role="respondent", name=BODY, kind="organisation"),
                      PartyInput(role="respondent", name="Trần Thị Bình"))
    _do(session, workflows, org, case, [("accept", {"decision_date": "2026-11-04"}, at(4)),
                                        ("draft_decision", {}, at(5)), ("submit", DRAFT_FIRST, at(5, 11))], shipped)
    text = text_of(_doc(session, case, "complaint_decision_first").content)
    assert f"Người bị khiếu nại: {BODY}; ông (bà) Trần Thị Bình." in text
    assert f"ông (bà) {BODY}" not in text


def test_the_dialogue_notice_addresses_a_body_by_its_name(session, workflows, org, shipped):
    case = _complaint(session, workflows, org, PartyInput(role="respondent", name=BODY, kind="organisation"))
    _do(session, workflows, org, case, [
        ("accept", {"decision_date": "2026-11-04"}, at(4)), ("verify", {"verifier": "Tổ xác minh"}, at(4, 11)),
        ("verification_report", {"report_date": "2026-11-04", "summary": "Kết quả"}, at(4, 12)),
        ("schedule_dialogue", {"notice_sent_on": "2026-11-05", "scheduled_on": "2026-11-11", "place": "Trụ sở",
                               "content": "Đối thoại"}, at(5))], shipped)
    text = text_of(_doc(session, case, "dialogue_notice").content)
    assert f"{BODY} (người bị khiếu nại)" in text and f"ông (bà) {BODY}" not in text
    assert "ông (bà) Nguyễn Văn An (người khiếu nại)" in text


def test_the_notice_to_an_accused_body_is_addressed_to_it(session, workflows, org, shipped):
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Tố cáo việc cấp phép sai",
                       parties=[PartyInput(role="denouncer", name="Phan Văn Kín"),
                                PartyInput(role="accused", name=BODY, kind="organisation")])
    case = register_case(session, workflows, org["users"]["reception"], data, at(2))
    _do(session, workflows, org, case, [("accept", {"decision_date": "2026-11-04"}, at(4)),
                                        ("notify_accused", {"sent_on": "2026-11-05"}, at(5))], shipped)
    text = text_of(_doc(session, case, "denunciation_content_notice").content)
    assert f"Kính gửi: {BODY}." in text and f"ông (bà) {BODY}" not in text


def test_a_withheld_party_is_no_organisation_in_the_context(session, workflows, org):
    """A confidential case's hidden denouncer is told as no one in particular: not even whether it is a body."""
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Tố cáo", parties=[PartyInput(role="denouncer", name="Công ty A", kind="organisation"),
                                                  PartyInput(role="accused", name=BODY, kind="organisation")])
    case = register_case(session, workflows, org["users"]["reception"], data, at(2))
    doc = context.DocInfo(type="x", label="x", form="", date=at(3).date())
    parties = context.build_context(case, case.unit, doc, kind_label="", state_label="", fields={})["parties"]
    assert [(p["role"], p["kind"], p["name"]) for p in parties] == [
        ("denouncer", "person", context.WITHHELD), ("accused", "organisation", BODY)]


# --- an organisation that itself asks: the complainant, the denouncer, the petitioner ------------------------------
COMPANY = "Công ty TNHH Ánh Dương"


def _company_complaint(session, workflows, org):
    data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Khiếu nại quyết định xử phạt vi phạm hành chính",
                       parties=[PartyInput(role="complainant", name=COMPANY, kind="organisation",
                                           address="5 Nguyễn Huệ, An Phú"),
                                PartyInput(role="respondent", name="Trần Thị Bình")])
    return register_case(session, workflows, org["users"]["reception"], data, at(2))


def _no_mister(text: str) -> None:
    assert "(bà) " + COMPANY not in text and "(bà) **" + COMPANY not in text, text


def test_a_company_that_complains_is_addressed_by_its_name(session, workflows, org, shipped):
    case = _company_complaint(session, workflows, org)
    _do(session, workflows, org, case, [("accept", {"decision_date": "2026-11-04"}, at(4))], shipped)
    text = text_of(_doc(session, case, "notice_of_acceptance").content)
    _no_mister(text)
    assert f"Kính gửi: {COMPANY}." in text
    assert f"Vậy thông báo để {COMPANY} được biết./." in text


def test_a_decision_on_a_companys_complaint_names_the_company(session, workflows, org, shipped):
    case = _company_complaint(session, workflows, org)
    _do(session, workflows, org, case, [("accept", {"decision_date": "2026-11-04"}, at(4)),
                                        ("draft_decision", {}, at(5)), ("submit", DRAFT_FIRST, at(5, 11))], shipped)
    text = text_of(_doc(session, case, "complaint_decision_first").content)
    _no_mister(text)
    assert f"Về việc giải quyết khiếu nại của {COMPANY} (lần đầu)" in text
    assert f"{COMPANY} khiếu nại về việc:" in text
    assert f"Điều 3. {COMPANY}, Trần Thị Bình" in text


def test_a_company_that_denounces_is_named_in_its_own_copy(session, workflows, org, shipped):
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Tố cáo việc cấp phép sai",
                       parties=[PartyInput(role="denouncer", name=COMPANY, kind="organisation"),
                                PartyInput(role="accused", name=BODY, kind="organisation")])
    case = register_case(session, workflows, org["users"]["reception"], data, at(2))
    _do(session, workflows, org, case, [("accept", {"decision_date": "2026-11-04"}, at(4)),
                                        ("notify_acceptance", {"sent_on": "2026-11-05"}, at(5)),
                                        ("notify_accused", {"sent_on": "2026-11-05"}, at(5, 11))], shipped)
    own = text_of(_doc(session, case, "denunciation_acceptance_notice").content)
    _no_mister(own)
    assert f"Kính gửi: {COMPANY}." in own and f"thông báo để {COMPANY} được biết" in own
    accused = text_of(_doc(session, case, "denunciation_content_notice").content)
    assert f"Vậy thông báo để {BODY} được biết và thực hiện./." in accused


def test_a_person_who_complains_is_still_mister_or_madam(session, workflows, org, shipped):
    case = _complaint(session, workflows, org)
    _do(session, workflows, org, case, [("accept", {"decision_date": "2026-11-04"}, at(4))], shipped)
    text = text_of(_doc(session, case, "notice_of_acceptance").content)
    assert "Kính gửi: ông (bà) Nguyễn Văn An." in text and "để ông (bà) Nguyễn Văn An được biết" in text


def test_the_requester_carries_its_kind_and_a_withheld_one_is_nobody(session, workflows, org):
    case = _company_complaint(session, workflows, org)
    doc = context.DocInfo(type="x", label="x", form="", date=at(3).date())
    assert context.build_context(case, case.unit, doc, kind_label="", state_label="",
                                 fields={})["requester"]["kind"] == "organisation"
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Tố cáo", parties=[PartyInput(role="denouncer", name=COMPANY, kind="organisation"),
                                                  PartyInput(role="accused", name=BODY, kind="organisation")])
    hidden = register_case(session, workflows, org["users"]["reception"], data, at(2))
    requester = context.build_context(hidden, hidden.unit, doc, kind_label="", state_label="",
                                      fields={})["requester"]
    assert (requester["kind"], requester["name"]) == ("person", context.WITHHELD)
