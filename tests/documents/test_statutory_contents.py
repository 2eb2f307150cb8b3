"""The official documents carry what the law requires of them, from the shipped templates and the real context.

A complaint decision restates the verification result and the dialogue's result recorded on the case and says what
becomes of the contested decision (Luật Khiếu nại 2011, Điều 31 khoản 2, Điều 40 khoản 2); the draft the head
approves carries its conclusion, and the decision issued is that draft (adapted from the read-only review of the
documents, tests/documents/test_review_documents.py of its worktree)."""
from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document as Docx
from sqlalchemy import select

from config import ROOT
from dvflow.models import CaseEvent, Document
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.documents import flow, templates
from dvflow.services.errors import ServiceError

from .helpers import DRAFT_CONCLUSION, DRAFT_FIRST, at, new_complaint

SHIPPED = ROOT / "workflows" / "documents"
SUMMARY = "Quyết định thu hồi đất số 12/QĐ-UBND ban hành đúng thẩm quyền, đúng trình tự"
DRAFT_WRONG = {**DRAFT_FIRST, "result": "wrong", "disposition": "keep",
               "resolution": "Giữ nguyên Quyết định thu hồi đất số 12/QĐ-UBND", "compensation": ""}


@pytest.fixture
def shipped(tmp_path) -> flow.Settings:
    return flow.Settings(documents_dir=str(SHIPPED), files=str(tmp_path / "f"), pdf=False)


def text_of(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    cells = [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def docs_of(session, case, type_=None) -> list[Document]:
    query = select(Document).where(Document.case_id == case.id).order_by(Document.id)
    return list(session.scalars(query.where(Document.type == type_) if type_ else query))


def do(session, workflows, org, case, steps, settings, user="head"):
    for action, fields, when in steps:
        cases.perform(session, workflows, org["users"][user], case.id, action, fields, when, documents=settings)


def _verified(session, workflows, org, shipped):
    case = new_complaint(session, workflows, org)
    do(session, workflows, org, case, [
        ("accept", {"decision_date": "2026-11-04"}, at(4)),
        ("verify", {"verifier": "Tổ xác minh"}, at(4, 11)),
        ("verification_report", {"report_date": "2026-11-05", "summary": SUMMARY, "request_differs": True}, at(5)),
        ("schedule_dialogue", {"notice_sent_on": "2026-11-05", "scheduled_on": "2026-11-11", "place": "Trụ sở Sở",
                               "content": "Kết quả xác minh"}, at(5, 11)),
        ("record_minutes", {"held_on": "2026-11-11", "attendees": "Nguyễn Văn An", "attendance": "present",
                            "agreed": "Diện tích thu hồi đúng hồ sơ địa chính",
                            "open_points": "Đơn giá bồi thường"}, at(11))], shipped)
    return case


def test_the_draft_the_head_approves_carries_the_conclusion_and_what_it_decides(session, workflows, org, shipped):
    case = new_complaint(session, workflows, org)
    do(session, workflows, org, case, [("accept", {"decision_date": "2026-11-04"}, at(4)),
                                       ("draft_decision", {}, at(5)), ("submit", DRAFT_FIRST, at(5, 11))], shipped)
    [draft] = docs_of(session, case, "complaint_decision_first")
    text = text_of(draft.content)
    assert draft.status == "draft"
    assert not any(line.rstrip().endswith(": .") for line in text.splitlines()), text
    assert "Kết luận nội dung khiếu nại: Khiếu nại đúng." in text
    assert "Căn cứ pháp luật để giải quyết khiếu nại: Luật Đất đai 2024, Điều 81" in text
    assert ("Điều 1. Hủy bỏ toàn bộ quyết định hành chính bị khiếu nại: Hủy bỏ Quyết định thu hồi đất số "
            "12/QĐ-UBND.") in text
    # decided at once on a complaint found right (LKN Art 29(1)(a)): no verification, and it says so
    assert "không tiến hành xác minh (Điều 29 khoản 1 điểm a Luật Khiếu nại)" in text


def test_the_conclusion_is_drafted_before_submitting(session, workflows, org, shipped):
    case = new_complaint(session, workflows, org)
    do(session, workflows, org, case, [("accept", {"decision_date": "2026-11-04"}, at(4)),
                                       ("draft_decision", {}, at(5))], shipped)
    with pytest.raises(ServiceError) as refused:
        do(session, workflows, org, case, [("submit", {"note": "Trình ký"}, at(5, 11))], shipped)
    assert refused.value.field in {"result", "legal_basis", "disposition", "resolution"}


def test_the_decision_issued_is_the_approved_draft_and_states_what_the_law_lists(session, workflows, org,
                                                                                  shipped):
    case = _verified(session, workflows, org, shipped)
    do(session, workflows, org, case, [
        ("draft_decision", {}, at(12)), ("submit", {**DRAFT_WRONG, "compensation": "Không phát sinh"}, at(12, 11)),
        ("approve", {}, at(13)), ("issue_decision", {"decision_date": "2026-11-13", "result": "wrong"}, at(13, 11))],
        shipped)
    [decision] = docs_of(session, case, "complaint_decision_first")
    text = text_of(decision.content)
    assert decision.status == "issued" and "DỰ THẢO" not in text
    assert f"Theo báo cáo kết quả xác minh ngày 05/11/2026: {SUMMARY}" in text  # LKN Art 31(2)(d)
    assert "Những nội dung đã thống nhất: Diện tích thu hồi đúng hồ sơ địa chính." in text  # (đ)
    assert "Những vấn đề còn ý kiến khác nhau: Đơn giá bồi thường." in text
    assert "Căn cứ pháp luật để giải quyết khiếu nại: Luật Đất đai 2024, Điều 81" in text  # (e)
    assert "Kết luận nội dung khiếu nại: Khiếu nại sai." in text  # (g)
    assert ("Điều 1. Giữ nguyên quyết định hành chính, hành vi hành chính bị khiếu nại: Giữ nguyên Quyết định thu "
            "hồi đất số 12/QĐ-UBND.") in text  # (h)
    assert "Việc bồi thường thiệt hại: Không phát sinh" in text  # (i)
    assert "khiếu nại đến người có thẩm quyền giải quyết khiếu nại lần hai" in text  # (k)
    event = session.scalars(select(CaseEvent.payload).where(CaseEvent.case_id == case.id,
                                                            CaseEvent.action == "issue_decision")).one()
    assert event["fields"]["result"] == "wrong"  # the reports read the outcome there


def test_a_decision_other_than_the_approved_draft_is_refused(session, workflows, org, shipped):
    case = _verified(session, workflows, org, shipped)
    do(session, workflows, org, case, [("draft_decision", {}, at(12)), ("submit", DRAFT_WRONG, at(12, 11)),
                                       ("approve", {}, at(13))], shipped)
    with pytest.raises(ServiceError) as refused:
        do(session, workflows, org, case, [("issue_decision", {"decision_date": "2026-11-13",
                                                               "result": "partly_right"}, at(13, 11))], shipped)
    assert "như dự thảo đã được phê duyệt" in str(refused.value)
    assert [d.status for d in docs_of(session, case, "complaint_decision_first")] == ["draft"]


def test_a_draft_finding_the_complaint_wrong_needs_the_verification_first(session, workflows, org, shipped):
    case = new_complaint(session, workflows, org)
    do(session, workflows, org, case, [("accept", {"decision_date": "2026-11-04"}, at(4)),
                                       ("draft_decision", {}, at(5))], shipped)
    with pytest.raises(ServiceError) as refused:
        do(session, workflows, org, case, [("submit", DRAFT_WRONG, at(5, 11))], shipped)
    assert "Điều 29" in str(refused.value)


def _second_instance(session, workflows, org, first):
    data = IntakeInput(kind="complaint_second", unit_id=org["dept"].id, channel="letter", received_at=at(20, 9),
                       subject="Khiếu nại lần hai quyết định thu hồi đất", related_case_id=first.id,
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An", address="12 Lê Lợi"),
                                PartyInput(role="respondent", name="Trần Thị Bình")])
    return register_case(session, workflows, org["users"]["reception"], data, at(20))


def test_second_instance_decision_names_the_first_instance_decision_and_its_result(session, workflows, org,
                                                                                   shipped):
    first = new_complaint(session, workflows, org)
    case = _second_instance(session, workflows, org, first)
    defn = workflows.for_case(case, session)
    t = next(t for t in defn.transitions if t.trigger == "issue_decision")
    fields = {"decision_date": "2026-11-27", "result": "wrong", "disposition": "comply",
              "first_decision": "Quyết định số 7/QĐ-UBND ngày 01/10/2026 của Chủ tịch UBND xã: khiếu nại sai",
              "legal_basis": "Luật Đất đai 2024, Điều 81", "resolution": "Thực hiện Quyết định số 12/QĐ-UBND"}
    content = flow.render(session, flow.Settings(documents_dir=str(SHIPPED), pdf=False), defn, case,
                          templates.document_type(SHIPPED, "complaint_decision_second"), t, fields, date(2026, 11, 27),
                          number=4, symbol="", signer=org["users"]["head"], state="approved")
    text = text_of(content)
    assert "Quyết định số 7/QĐ-UBND ngày 01/10/2026 của Chủ tịch UBND xã: khiếu nại sai" in text  # LKN 40(2)(d)
    assert f"Hồ sơ giải quyết khiếu nại lần đầu: mã số {first.tracking_code}." in text
    assert ("Điều 1. Yêu cầu người khiếu nại, người có quyền, nghĩa vụ liên quan thực hiện nghiêm chỉnh quyết định "
            "hành chính, hành vi hành chính: Thực hiện Quyết định số 12/QĐ-UBND.") in text  # (h)
    assert "Không tổ chức đối thoại." in text and "(lần hai)" in text


# --- denunciations: the acceptance decision, the two notices, the conclusion ---------------------------------------
DENOUNCER, ACCUSED = "Phan Văn Kín", "Trần Thị Bị"
LETTER = f"Tôi là {DENOUNCER}, nhà ở số 5 Hai Bà Trưng, tố cáo bà {ACCUSED} nhận tiền khi cấp sổ đỏ."
ACCEPTED = "Bà Trần Thị Bị nhận tiền của người dân khi giải quyết hồ sơ cấp giấy chứng nhận"


def _denunciation(session, workflows, org):
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Tố cáo cán bộ địa chính nhận tiền", content=LETTER,
                       parties=[PartyInput(role="denouncer", name=DENOUNCER, address="5 Hai Bà Trưng, An Phú"),
                                PartyInput(role="accused", name=ACCUSED)])
    return register_case(session, workflows, org["users"]["reception"], data, at(2))


def test_accept_issues_the_acceptance_decision_in_the_decisions_series(session, workflows, org, shipped):
    case = _denunciation(session, workflows, org)
    do(session, workflows, org, case, [("accept", {"decision_date": "2026-11-04", "accepted_content": ACCEPTED},
                                        at(4))], shipped)
    [decision] = docs_of(session, case)
    text = text_of(decision.content)
    assert (decision.type, decision.series, decision.status) == ("denunciation_acceptance_decision", "QĐ", "issued")
    fields = session.scalars(select(CaseEvent.payload).where(CaseEvent.case_id == case.id,
                                                             CaseEvent.action == "accept")).one()["fields"]
    assert fields["decision_number"] == decision.number_symbol and "/QĐ-" in decision.number_symbol
    assert f"Thụ lý tố cáo đối với ông (bà) {ACCUSED}. Nội dung tố cáo được thụ lý: {ACCEPTED}" in text  # 29(2)(c)
    assert "Thời hạn giải quyết tố cáo là 30 ngày kể từ ngày 04/11/2026" in text  # LTC Art 29(2)(d)
    assert DENOUNCER not in text and "Hai Bà Trưng" not in text


def test_the_notices_cite_the_acceptance_decision_and_go_one_to_each_party(session, workflows, org, shipped):
    case = _denunciation(session, workflows, org)
    do(session, workflows, org, case, [("accept", {"decision_date": "2026-11-04", "accepted_content": ACCEPTED},
                                        at(4)),
                                       ("notify_acceptance", {"sent_on": "2026-11-06"}, at(6)),
                                       ("notify_accused", {"sent_on": "2026-11-06"}, at(6, 11))], shipped)
    decision, to_denouncer, to_accused = docs_of(session, case)
    assert (to_denouncer.type, to_accused.type) == ("denunciation_acceptance_notice", "denunciation_content_notice")
    assert to_denouncer.series == to_accused.series == "TB"
    cited = (f"Ngày 04/11/2026, người giải quyết tố cáo đã ban hành Quyết định số {decision.number_symbol} về việc "
             "thụ lý")
    denouncer_text, accused_text = text_of(to_denouncer.content), text_of(to_accused.content)
    assert cited in denouncer_text and f"Quyết định số {to_denouncer.number_symbol}" not in denouncer_text
    assert cited in accused_text and f"Kính gửi: ông (bà) {ACCUSED}." in accused_text  # NĐ 31/2019 Art 9(2), Mẫu 06
    assert f"Nội dung tố cáo được thụ lý: {ACCEPTED}" in accused_text
    assert DENOUNCER not in accused_text and "Hai Bà Trưng" not in accused_text and LETTER not in accused_text
    # each notice stops its own 5-working-day clock (LTC Art 29(3))
    from dvflow.models import Clock

    states = dict(session.execute(select(Clock.name, Clock.state).where(Clock.case_id == case.id)).all())
    assert states["notify_acceptance"] == states["notify_accused"] == "met"


def _to_drafting(session, workflows, org, shipped):
    case = _denunciation(session, workflows, org)
    do(session, workflows, org, case, [
        ("accept", {"decision_date": "2026-11-04"}, at(4)),
        ("verify", {"verifier": "Tổ xác minh", "identity_removed": True}, at(4, 11)),
        ("verification_report", {"report_date": "2026-11-10", "summary": "Biên lai thu phí đúng quy định"}, at(10)),
        ("draft_decision", {}, at(11))], shipped)
    return case


def test_the_conclusion_states_what_the_law_lists_and_never_the_letter(session, workflows, org, shipped):
    case = _to_drafting(session, workflows, org, shipped)
    do(session, workflows, org, case, [("submit", DRAFT_CONCLUSION, at(11, 11)), ("approve", {}, at(12)),
                                       ("conclude", {"conclusion_date": "2026-11-12", "result": "untrue"},
                                        at(12, 11))], shipped)
    [conclusion] = docs_of(session, case, "denunciation_conclusion")
    text = text_of(conclusion.content)
    assert conclusion.status == "issued"
    assert DRAFT_CONCLUSION["denounced_content"] in text  # the summary drafted for the conclusion
    assert "Theo báo cáo kết quả xác minh ngày 10/11/2026: Biên lai thu phí đúng quy định" in text  # LTC 35(2)(a)
    assert "3. Căn cứ pháp luật" in text and "Luật Cán bộ, công chức, Điều 18" in text  # (b)
    assert "Tố cáo sai sự thật." in text and "Bà Trần Thị Bị không vi phạm" in text  # (c)
    assert "5. Biện pháp xử lý, kiến nghị xử lý" in text and "Không áp dụng biện pháp xử lý" in text  # (d)
    # LTC Art 35(3), 40, 47(2): it goes to the accused and is published: neither the letter nor the denouncer
    assert LETTER not in text and DENOUNCER not in text and "được giữ bí mật" not in text


def test_the_draft_conclusion_carries_its_conclusion_and_the_issue_cannot_change_it(session, workflows, org,
                                                                                     shipped):
    case = _to_drafting(session, workflows, org, shipped)
    do(session, workflows, org, case, [("submit", DRAFT_CONCLUSION, at(11, 11))], shipped)
    [draft] = docs_of(session, case, "denunciation_conclusion")
    assert draft.status == "draft" and "Tố cáo sai sự thật." in text_of(draft.content)
    assert LETTER not in text_of(draft.content)
    do(session, workflows, org, case, [("approve", {}, at(12))], shipped)
    with pytest.raises(ServiceError, match="như dự thảo đã được phê duyệt"):
        do(session, workflows, org, case, [("conclude", {"conclusion_date": "2026-11-12", "result": "correct"},
                                            at(12, 11))], shipped)


# --- a complaint against a disciplinary decision: its own body, by instance and penalty -----------------------------
def _discipline(session, workflows, org, shipped, instance, penalty):
    data = IntakeInput(kind="complaint_discipline", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Khiếu nại quyết định kỷ luật",
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An", address="12 Lê Lợi")])
    case = register_case(session, workflows, org["users"]["reception"], data, at(2))
    do(session, workflows, org, case, [("accept", {"decision_date": "2026-11-04", "instance": instance,
                                                   "penalty": penalty}, at(4))], shipped)
    defn = workflows.for_case(case, session)
    t = next(t for t in defn.transitions if t.trigger == "issue_decision")
    assert t.document == "complaint_decision_discipline"
    fields = {"decision_date": "2026-11-20", "result": "wrong", "disposition": "keep",
              "legal_basis": "Luật Cán bộ, công chức, Điều 79", "resolution": "Giữ nguyên Quyết định số 3/QĐ-SNV"}
    content = flow.render(session, shipped, defn, case, templates.document_type(SHIPPED, t.document), t, fields,
                          date(2026, 11, 20), number=3, symbol="", signer=org["users"]["head"], state="approved")
    return text_of(content)


def test_a_second_instance_decision_on_a_reprimand_is_not_first_instance_and_cannot_be_sued(session, workflows,
                                                                                           org, shipped):
    text = _discipline(session, workflows, org, shipped, "second", "other")
    assert "(lần hai)" in text and "(lần đầu)" not in text  # LKN Art 56
    assert "khởi kiện vụ án hành chính" not in text  # LKN Art 56(1)(i): only a dismissal goes to court
    assert "có hiệu lực pháp luật sau 30 ngày kể từ ngày ban hành" in text  # LKN Art 57(1)(b)
    assert "Điều 1. Giữ nguyên quyết định kỷ luật: Giữ nguyên Quyết định số 3/QĐ-SNV." in text


def test_a_second_instance_decision_on_a_dismissal_may_be_sued(session, workflows, org, shipped):
    text = _discipline(session, workflows, org, shipped, "second", "dismissal")
    assert "(lần hai)" in text and "có quyền khởi kiện vụ án hành chính tại Tòa án" in text  # LKN Art 56(1)(i)
    assert "Hình thức kỷ luật bị khiếu nại: buộc thôi việc." in text


@pytest.mark.parametrize("penalty, days, sued", [("other", "10 ngày", False), ("dismissal", "30 ngày", True)])
def test_a_first_instance_decision_gives_the_second_complaint_and_a_lawsuit_only_for_a_dismissal(
        session, workflows, org, shipped, penalty, days, sued):
    text = _discipline(session, workflows, org, shipped, "first", penalty)
    assert "(lần đầu)" in text
    assert f"Trong thời hạn {days} kể từ ngày nhận được Quyết định này" in text  # LKN Art 48
    assert "có quyền khiếu nại lần hai" in text  # LKN Art 54(1)(k)
    assert ("khởi kiện vụ án hành chính" in text) is sued


# --- the dialogue minutes follow Mẫu 14 (NĐ 155/2026, Điều 20) ------------------------------------------------------
def _minutes(session, workflows, org, shipped, fields):
    case = new_complaint(session, workflows, org)
    defn = workflows.for_case(case, session)
    t = next(t for t in defn.transitions if t.trigger == "record_minutes")
    return text_of(flow.render(session, shipped, defn, case, templates.document_type(SHIPPED, "dialogue_minutes"), t,
                               {"held_on": "2026-11-20", "attendance": "present", "attendees": "A", **fields},
                               date(2026, 11, 20), number=2, symbol="", signer=org["users"]["head"], state="dialogue"))


def test_the_dialogue_minutes_carry_the_hours_the_minute_taker_and_every_signature_block(session, workflows, org,
                                                                                        shipped):
    text = _minutes(session, workflows, org, shipped, {"started_at": "08 giờ 30", "ended_at": "10 giờ 15",
                                                       "recorder": "Lê Văn Ghi, chuyên viên"})
    assert "Vào hồi 08 giờ 30, ngày 20/11/2026" in text
    assert "Buổi đối thoại kết thúc hồi 10 giờ 15 ngày 20/11/2026." in text
    assert "2. Người ghi biên bản: ông (bà) Lê Văn Ghi, chuyên viên" in text
    for block in ("NGƯỜI BỊ KHIẾU NẠI", "NGƯỜI GIẢI QUYẾT KHIẾU NẠI (HOẶC NGƯỜI ĐƯỢC PHÂN CÔNG CHỦ TRÌ ĐỐI THOẠI)",
                  "NGƯỜI KHIẾU NẠI (HOẶC NGƯỜI ĐẠI DIỆN, NGƯỜI ĐƯỢC ỦY QUYỀN)",
                  "ĐẠI DIỆN CƠ QUAN, TỔ CHỨC, CÁ NHÂN CÓ LIÊN QUAN", "NGƯỜI CÓ QUYỀN VÀ NGHĨA VỤ LIÊN QUAN",
                  "NGƯỜI GHI BIÊN BẢN"):
        assert block in text, block
    assert "mỗi người nhận 01 bản./." in text


def test_minutes_without_the_hours_keep_the_forms_blanks(session, workflows, org, shipped):
    text = _minutes(session, workflows, org, shipped, {})
    assert "Vào hồi ..... giờ ....., ngày 20/11/2026" in text and "kết thúc hồi ..... giờ ....." in text


def test_the_minutes_name_the_chair_named_when_the_dialogue_was_scheduled(session, workflows, org, shipped):
    case = _second_instance(session, workflows, org, new_complaint(session, workflows, org))
    do(session, workflows, org, case, [
        ("accept", {"decision_date": "2026-11-23"}, at(23)),
        ("schedule_dialogue", {"notice_sent_on": "2026-11-23", "scheduled_on": "2026-11-30", "place": "Trụ sở Sở",
                               "content": "Kết quả xác minh", "chair": "Phó Giám đốc Hoàng Văn Chủ"}, at(23, 11))],
        shipped)
    defn = workflows.for_case(case, session)
    t = next(t for t in defn.transitions if t.trigger == "record_minutes")
    text = text_of(flow.render(session, shipped, defn, case, templates.document_type(SHIPPED, "dialogue_minutes"), t,
                               {"held_on": "2026-11-30", "attendance": "present", "attendees": "A"},
                               date(2026, 11, 30), number=2, symbol="", signer=org["users"]["head"], state="dialogue"))
    assert "người được phân công chủ trì đối thoại: ông (bà) Phó Giám đốc Hoàng Văn Chủ" in text


def test_case_record_holds_what_earlier_actions_recorded_but_no_field_marked_personal(session, workflows, org,
                                                                                      shipped):
    from dvflow.services.documents import context

    case = _denunciation(session, workflows, org)
    do(session, workflows, org, case, [
        ("accept", {"decision_date": "2026-11-04", "accepted_content": ACCEPTED}, at(4)),
        ("request_protection", {"requested_on": "2026-11-05", "protected_person": DENOUNCER, "scope": "job",
                                "grounds": "Bị gây khó khăn tại nơi làm việc"}, at(5))], shipped)
    record = context.record(session, case, workflows.for_case(case, session))
    assert record["accept"]["accepted_content"] == ACCEPTED and record["accept"]["decision_date"] == "04/11/2026"
    assert record["request_protection"]["scope_label"] == "Vị trí công tác, việc làm"
    assert "protected_person" not in record["request_protection"]
    assert "register" not in record  # the system's own actions are not the workflow's
