"""Who issues a document and whose name it prints (signers.py): what the law gives to the head is issued by a head
of the unit or of a unit above, never by an officer in the head's name; what it gives to the officer (a guidance
letter, a receipt) names that officer with their own title; a head of a unit above prints their own title and unit.
Issued with the shipped templates."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from config import ROOT
from dvflow.models import Case, Document
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.documents import (
    context,
    flow,
    generate,
    receipts,
    session_docs,
    signers,
    templates,
)
from dvflow.services.errors import Forbidden, ServiceError

from .fixtures.template import template_bytes
from .helpers import DRAFT_FIRST, act, at, docs_of, docx_text, new_complaint

SHIPPED = ROOT / "workflows" / "documents"


@pytest.fixture
def shipped(tmp_path) -> flow.Settings:
    return flow.Settings(documents_dir=str(SHIPPED), files=str(tmp_path / "f"), pdf=False)


@pytest.fixture
def rules():
    from dvflow.services.reception import refusals

    return refusals.load(ROOT / "workflows")


@pytest.fixture
def names(session, org):
    """Full names that tell the users apart in a document."""
    u = org["users"]
    for key, name in (("reception", "Vũ Thị Nhận"), ("handler", "Đỗ Văn Xử"), ("head", "Lê Thị Sở"),
                      ("chair", "Trần Văn Tỉnh")):
        u[key].full_name = name
    session.flush()
    return u





def _refused_visit(session, workflows, org, rules):
    from reception.helpers import make_session, visit

    from dvflow.services.reception import visits

    rs = make_session(session, org["dept"], day=date(2026, 11, 20))
    return visits.record(session, workflows, rules, org["users"]["reception"], rs.id,
                         visit(outcome="refused", refusal_ground="persistent_resolved", result_note=None), at(20))


# --- item 3: the head's documents -------------------------------------------------------------------------------------
def test_a_reception_officer_may_not_issue_the_refusal_notice_the_head_does(session, workflows, org, rules, shipped,
                                                                             names):
    v = _refused_visit(session, workflows, org, rules)
    with pytest.raises(Forbidden, match="Điều 4 khoản 3"):
        session_docs.issue_refusal_notice(session, shipped, rules, names["reception"], v.id, at(25))
    assert v.refusal_notice_sent_on is None and session.scalar(select(Document.id)) is None
    doc = session_docs.issue_refusal_notice(session, shipped, rules, names["head"], v.id, at(25))
    text = docx_text(doc.content)
    assert doc.issued_by_id == names["head"].id and "Lê Thị Sở" in text and "GIÁM ĐỐC" in text
    assert "Vũ Thị Nhận" not in text


def test_a_head_above_issues_the_refusal_notice_under_their_own_title(session, workflows, org, rules, shipped, names):
    v = _refused_visit(session, workflows, org, rules)
    text = docx_text(session_docs.issue_refusal_notice(session, shipped, rules, names["chair"], v.id, at(25)).content)
    assert "Trần Văn Tỉnh" in text and "CHỦ TỊCH UBND TỈNH" in text and "CHỦ TỊCH SỞ" not in text


def test_a_reception_officer_may_not_issue_the_heads_conclusion_notice(session, workflows, org, shipped, names):
    from reception.helpers import make_official, make_session

    official = make_official(session, org["dept"], name="Lê Thị Sở", title="Giám đốc Sở", position="agency_head")
    rs = make_session(session, org["dept"], kind="periodic", official=official, day=date(2026, 11, 20))
    data = session_docs.ConclusionInput(summary="Giao phòng chuyên môn kiểm tra hồ sơ.")
    with pytest.raises(Forbidden, match="Điều 25 khoản 2"):
        session_docs.issue_conclusion(session, shipped, workflows, names["reception"], rs.id, data, at(25))
    assert session_docs.conclusion_of(session, rs.id) is None
    doc = session_docs.issue_conclusion(session, shipped, workflows, names["head"], rs.id, data, at(25))
    assert doc.issued_by_id == names["head"].id and "Lê Thị Sở" in docx_text(doc.content)


def test_a_handler_may_not_forward_a_petition_in_the_heads_name(session, workflows, org, shipped, names):
    data = IntakeInput(kind="petition", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Phản ánh đường hư hỏng",
                       parties=[PartyInput(role="petitioner", name="Nguyễn Văn An", address="12 Lê Lợi")])
    case = register_case(session, workflows, names["reception"], data, at(2))
    forward = {"to_body": "Sở Xây dựng", "forwarded_on": "2026-11-04", "slip": "Chuyển đơn phản ánh"}
    savepoint = session.begin_nested()
    # the workflow grants the forward to the head alone (TT 05/2021/TT-TTCP, Điều 14 khoản 1)
    with pytest.raises(Forbidden):
        act(session, workflows, org, case, "forward", forward, at(4), shipped, user="handler")
    savepoint.rollback()
    session.expire_all()
    assert session.get(Case, case.id).state == "received" and docs_of(session, case, "forwarding_slip") == []
    act(session, workflows, org, case, "forward", forward, at(4), shipped)
    [slip] = docs_of(session, case, "forwarding_slip")
    assert slip.number_symbol == "1/PC-STNMT" and "Lê Thị Sở" in docx_text(slip.content)


def test_an_officer_drafts_for_the_head_and_the_draft_names_the_head(session, workflows, org, shipped, names):
    case = new_complaint(session, workflows, org)
    act(session, workflows, org, case, "accept", {"decision_date": "2026-11-04"}, at(4), shipped)
    act(session, workflows, org, case, "draft_decision", {}, at(5), shipped, user="handler")
    act(session, workflows, org, case, "submit", DRAFT_FIRST, at(5, 11), shipped, user="handler")
    [draft] = docs_of(session, case, "complaint_decision_first")
    assert draft.status == "draft" and draft.created_by_id == names["handler"].id
    assert "Lê Thị Sở" in docx_text(draft.content) and "Đỗ Văn Xử" not in docx_text(draft.content)


# --- what the law gives to the officer --------------------------------------------------------------------------------
@pytest.mark.parametrize("user, title", [("reception", "CÁN BỘ TIẾP CÔNG DÂN"), ("handler", "CHUYÊN VIÊN XỬ LÝ ĐƠN")])
def test_the_officer_who_guides_signs_the_guidance_letter_under_their_own_title(session, workflows, org, shipped,
                                                                                names, user, title):
    data = IntakeInput(kind="triage", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Đơn khiếu nại việc của xã", content="Nội dung đơn",
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An", address="12 Lê Lợi")])
    letter = register_case(session, workflows, names["reception"], data, at(2))
    act(session, workflows, org, letter, "classify", {"content_type": "complaint_first", "competent": False}, at(3),
        shipped, user="handler")
    act(session, workflows, org, letter, "guide", {"guided_on": "2026-11-04", "guidance": "Gửi đơn đến UBND xã"},
        at(4), shipped, user=user)
    [letter_doc] = docs_of(session, letter, "guidance_letter")
    text = docx_text(letter_doc.content)
    assert letter_doc.issued_by_id == names[user].id and names[user].full_name in text and title in text
    assert "Lê Thị Sở" not in text


def test_the_receipt_names_the_officer_who_received_the_letter(session, workflows, org, shipped, names):
    case = new_complaint(session, workflows, org)
    text = docx_text(receipts.receipt_docx(session, shipped, workflows, case))
    assert "tôi là Vũ Thị Nhận, cán bộ tiếp công dân, đã nhận" in text
    assert "Lê Thị Sở" not in text


def test_a_receipt_registered_by_the_head_names_the_head(session, workflows, org, shipped, names):
    data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Khiếu nại", parties=[PartyInput(role="complainant", name="Nguyễn Văn An")])
    case = register_case(session, workflows, names["head"], data, at(2))
    assert "tôi là Lê Thị Sở, giám đốc, đã nhận" in docx_text(receipts.receipt_docx(session, shipped, workflows, case))


def test_minutes_recorded_by_an_officer_print_the_chair_given_or_none(session, org, names):
    assert signers.for_issue(session, org["dept"], names["handler"], "dialogue_minutes", "Biên bản") == \
        signers.block("", "")
    assert signers.for_issue(session, org["dept"], names["head"], "dialogue_minutes", "Biên bản")["name"] == \
        "Lê Thị Sở"


# --- item 5: a head of a unit above -----------------------------------------------------------------------------------
def test_a_head_above_is_printed_with_their_own_title_and_unit(session, workflows, org, shipped, names):
    case = new_complaint(session, workflows, org)
    act(session, workflows, org, case, "accept", {"decision_date": "2026-11-04"}, at(4), shipped)
    act(session, workflows, org, case, "suspend", {"decision_date": "2026-11-05", "ground": "objective_obstacle"},
        at(5), shipped, user="chair")
    [decision] = docs_of(session, case, "suspension_decision")
    text = docx_text(decision.content)
    assert "CHỦ TỊCH SỞ" not in text and "CHỦ TỊCH UBND TỈNH" in text and "Trần Văn Tỉnh" in text


def test_the_authority_line_joins_a_title_only_with_the_unit_it_heads(session, org, names):
    dept = org["dept"]
    assert signers.issuer_block(session, dept, names["head"]) == {
        "title": "GIÁM ĐỐC", "name": "Lê Thị Sở", "authority": "GIÁM ĐỐC SỞ NN&MT"}
    assert signers.issuer_block(session, dept, names["chair"]) == {
        "title": "CHỦ TỊCH UBND TỈNH", "name": "Trần Văn Tỉnh", "authority": "CHỦ TỊCH UBND TỈNH"}
    assert signers.issuer_block(session, dept, names["handler"]) is None


def test_a_template_printing_signer_authority_reads_the_head_above_right(session, workflows, org, names):
    """What a decision's authority line prints once its template reads signer.authority (docbody's templates print
    signer.title and unit.name side by side)."""
    case = new_complaint(session, workflows, org)
    defn = workflows.for_case(case, session)
    dtype = templates.document_type(SHIPPED, "suspension_decision")
    signed = signers.for_issue(session, case.unit, names["chair"], dtype.type, dtype.label)
    doc = context.DocInfo(type=dtype.type, label=dtype.label, form=dtype.form, date=date(2026, 11, 5), number=1,
                          symbol="QĐ-STNMT", draft=False)
    ctx = context.build_context(case, case.unit, doc, kind_label=defn.label, state_label="", fields={},
                                signer_name=signed["name"], signer_title=signed["title"],
                                signer_authority=signed["authority"])
    text = docx_text(generate.render_docx(template_bytes("Thẩm quyền: {{ signer.authority }}"), ctx))
    assert "Thẩm quyền: CHỦ TỊCH UBND TỈNH\n" in text + "\n"


def test_an_officer_is_refused_before_anything_is_issued(session, org, names):
    with pytest.raises(ServiceError) as err:
        signers.require_issuer(session, org["dept"], names["handler"], "notice_of_acceptance", "Thông báo thụ lý")
    assert err.value.status == 403 and "Luật Khiếu nại 2011" in err.value.message


def test_the_refusal_names_the_document_in_the_pages_language(app, session, org, names):
    """The refusal names the document by its manifest label_en on an English page (i18n.said), as every documents
    page does, and by its Vietnamese label otherwise."""
    from flask_babel import force_locale

    from dvflow.i18n import said

    dtype = templates.document_type(SHIPPED, "forwarding_slip")
    with pytest.raises(Forbidden) as err:
        signers.require_issuer(session, org["dept"], names["handler"], dtype.type, dtype.as_label)
    assert "«Phiếu chuyển đơn»" in err.value.message  # the API, the logs
    with app.test_request_context("/"):
        with force_locale("en"):
            english = said(err.value)
        with force_locale("vi"):
            vietnamese = said(err.value)
    assert "«Forwarding slip» is issued by the head of the unit" in english and "Phiếu" not in english
    assert "«Phiếu chuyển đơn» do thủ trưởng đơn vị" in vietnamese
