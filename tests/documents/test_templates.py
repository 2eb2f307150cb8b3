"""Every DOCX template renders with docxtpl against the documents contract's context (issue #16).

The sample context is written here from the contract's names (doc_core builds the real one); the rendered file is
opened with python-docx and must carry the national heading, the number and symbol, the parties and the dates.
"""

import copy
import io
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate

FOLDER = Path(__file__).resolve().parents[2] / "workflows" / "documents"
MANIFEST = yaml.safe_load((FOLDER / "documents.yaml").read_text(encoding="utf-8"))
# the top-level names of the contract; a template may use no other
CONTEXT_NAMES = {"unit", "doc", "case", "requester", "parties", "respondents", "fields", "signer", "recipients",
                 "today"}
# the kind (workflow id) each document is rendered for
KIND = {
    "receipt": "complaint_first", "notice_of_acceptance": "complaint_first", "notice_of_refusal": "complaint_first",
    "complaint_decision_first": "complaint_first", "complaint_decision_second": "complaint_second",
    "complaint_decision_discipline": "complaint_discipline",
    "extension_decision": "denunciation", "suspension_decision": "complaint_first",
    "continuation_decision": "complaint_first", "termination_decision": "complaint_first",
    "dialogue_minutes": "complaint_first", "denunciation_acceptance_notice": "denunciation",
    "denunciation_acceptance_decision": "denunciation", "denunciation_content_notice": "denunciation",
    "denunciation_refusal_notice": "denunciation",
    "denunciation_conclusion": "denunciation", "forwarding_slip": "triage", "guidance_letter": "triage",
    "petition_reply": "petition", "dialogue_notice": "complaint_first", "conference_minutes": "dialogue",
    # documents of a reception session (no case): the visitor is the requester, case.received_on the session's day
    "reception_refusal_notice": "", "reception_conclusion_notice": "",
}
# decisions of a denunciation that reach the accused: the denouncer is never named in them
HIDE_DENOUNCER = ["extension_decision", "suspension_decision", "continuation_decision", "termination_decision",
                  "denunciation_acceptance_decision", "denunciation_content_notice", "denunciation_conclusion"]
# documents that name the respondent or the accused
NAME_RESPONDENT = {"complaint_decision_first", "complaint_decision_second", "complaint_decision_discipline",
                   "extension_decision",
                   "suspension_decision", "continuation_decision", "termination_decision", "dialogue_minutes",
                   "denunciation_acceptance_notice", "denunciation_conclusion", "denunciation_refusal_notice",
                   "denunciation_acceptance_decision", "denunciation_content_notice"}
# a text the action's fields put into each document, proving the fields are read
FIELD_TEXT = {
    "notice_of_acceptance": "02/12/2026", "notice_of_refusal": "Đã hết thời hiệu khiếu nại",
    "complaint_decision_first": "Khiếu nại đúng một phần", "complaint_decision_second": "Khiếu nại đúng một phần",
    "complaint_decision_discipline": "Khiếu nại đúng một phần",
    "extension_decision": "Thời gian gia hạn là 30 ngày", "suspension_decision": "Chờ kết quả giám định",
    "continuation_decision": "02/12/2026", "termination_decision": "Chờ kết quả giám định",
    "dialogue_minutes": "Hai bên thống nhất đo đạc lại", "denunciation_acceptance_notice": "Quyết định số 15/QĐ-STNMT",
    "denunciation_acceptance_decision": "30 ngày kể từ ngày 02/12/2026",
    "denunciation_content_notice": "Nội dung tố cáo được thụ lý: Nhận tiền khi cấp giấy chứng nhận",
    "denunciation_refusal_notice": "không thụ lý tố cáo vì: Chờ kết quả giám định",
    "denunciation_conclusion": "Tố cáo đúng một phần", "forwarding_slip": "Ủy ban nhân dân xã Tân Lập",
    "guidance_letter": "Đề nghị ông (bà) gửi đơn đến", "petition_reply": "Tuyến đường được sửa chữa",
    "dialogue_notice": "Thời gian: ngày 10/12/2026", "conference_minutes": "Đường liên ấp xuống cấp",
    "reception_refusal_notice": "Luật Tiếp công dân 2013, Điều 9 khoản 3",
    "reception_conclusion_notice": "thời hạn thực hiện 15 ngày",
}
# documents of a grassroots dialogue conference: no citizen is a party, the date printed is the conference's
NO_REQUESTER = {"conference_minutes"}


def sample_context(kind="complaint_first", draft=False):
    return {
        "unit": {"name": "Sở Nông nghiệp và Môi trường", "parent_name": "Ủy ban nhân dân tỉnh Đồng Nai",
                 "address": "số 2 đường Nguyễn Văn Trị", "phone": "0251 3822 000", "place": "Đồng Nai"},
        "doc": {"type": "x", "label": "Văn bản", "form": "Mẫu số 03", "number": "12", "symbol": "TB-SNNMT",
                "number_symbol": "12/TB-SNNMT", "date": "05/12/2026", "date_long": "ngày 05 tháng 12 năm 2026",
                "year": 2026, "draft": draft},
        "case": {"tracking_code": "KN-2026-000123", "kind": kind, "kind_label": "Khiếu nại lần đầu",
                 "subject": "thu hồi đất tại ấp 3", "content": "Ông An cho rằng diện tích thu hồi không đúng.",
                 "received_on": "01/11/2026", "channel_label": "Trực tiếp", "state_label": "Đã thụ lý",
                 "related_code": "", "people_count": 1},
        "requester": {"name": "Nguyễn Văn An", "address": "ấp 3, xã Tân Lập", "identity_number": "075090001234",
                      "identity_label": "Số định danh cá nhân", "phone": "0909000111", "email": "an@example.vn"},
        "parties": [
            {"role": "complainant", "role_label": "Người khiếu nại", "name": "Nguyễn Văn An",
             "address": "ấp 3, xã Tân Lập", "identity_number": "075090001234"},
            {"role": "related", "role_label": "Người có quyền, nghĩa vụ liên quan", "name": "Lê Thị Cúc",
             "address": "ấp 4, xã Tân Lập", "identity_number": ""},
        ],
        "respondents": [{"role": "respondent", "role_label": "Người bị khiếu nại", "name": "Trần Văn Bình",
                         "address": "", "identity_number": ""}],
        "fields": {
            "decision_number": "15/QĐ-STNMT", "decision_date": "02/12/2026", "forwarded_by_body_label": "",
            "ground_label": "Chờ kết quả giám định", "reason": "Đã hết thời hiệu khiếu nại",
            "result_label": "Khiếu nại đúng một phần", "days": 30, "held_on": "03/12/2026",
            "minutes_number": "3/BB-STNMT", "attendance_label": "Có mặt", "agreed": "Hai bên thống nhất đo đạc lại",
            "open_points": "Mức bồi thường", "place": "Trụ sở Sở", "chair": "Phạm Văn Dũng",
            "conclusion_number": "4/KL-STNMT", "conclusion_date": "04/12/2026", "criminal_signs": False,
            "to_body": "Ủy ban nhân dân xã Tân Lập", "forward_number": "7", "forwarded_on": "04/12/2026",
            "slip": "", "guided_on": "04/12/2026",
            "guidance": "Đề nghị ông (bà) gửi đơn đến Ủy ban nhân dân xã Tân Lập.",
            "summary": "Tuyến đường được sửa chữa trong quý I năm 2027.",
            "scheduled_on": "10/12/2026", "notice_sent_on": "04/12/2026",
            "content": "Việc thu hồi đất tại ấp 3 và mức bồi thường", "attendance_count": 120, "front_present": True,
            "front_representative": "Võ Thị Hoa", "opinions": "Đường liên ấp xuống cấp\nThiếu đèn chiếu sáng",
            "answers": "Ủy ban nhân dân xã đưa vào kế hoạch năm 2027",
        },
        "signer": {"title": "Giám đốc", "name": "Phạm Văn Dũng"},
        "recipients": ["Như trên", "Thanh tra tỉnh"],
        "today": "05/12/2026",
    }


def render(doc_type, context):
    template = DocxTemplate(FOLDER / MANIFEST[doc_type]["template"])
    template.render(context, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    buffer.seek(0)
    return Document(buffer)


def all_text(document):
    lines = [par.text for par in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(par.text for par in cell.paragraphs)
    return "\n".join(lines)


def _context(doc_type, **kw):
    context = sample_context(KIND[doc_type], **kw)
    if doc_type == "denunciation_conclusion":
        context["fields"]["result_label"] = "Tố cáo đúng một phần"
    if doc_type in ("denunciation_acceptance_notice", "denunciation_content_notice"):  # what accept recorded
        context["case"]["record"] = {"accept": {"decision_number": "15/QĐ-STNMT", "decision_date": "02/12/2026",
                                                "accepted_content": "Nhận tiền khi cấp giấy chứng nhận"}}
    if doc_type.startswith("reception_"):  # the session's facts (services/documents/session_docs.py)
        context["fields"].update(
            ground_basis="Luật Tiếp công dân 2013, Điều 9 khoản 3", ground_label="Vụ việc đã được giải quyết",
            content_type_label="khiếu nại", official="Giám đốc Sở",
            directions=[{"name": "Nguyễn Văn An", "book_number": 3, "summary": "thu hồi đất",
                         "direction": "Kiểm tra lại hồ sơ"}],
            tasks=[{"unit": "Phòng Đất đai", "description": "Kiểm tra hồ sơ", "days": 15}])
    return context


@pytest.mark.parametrize("doc_type", sorted(MANIFEST))
def test_template_uses_only_contract_names(doc_type):
    template = DocxTemplate(FOLDER / MANIFEST[doc_type]["template"])
    assert template.get_undeclared_template_variables() <= CONTEXT_NAMES


@pytest.mark.parametrize("doc_type", sorted(MANIFEST))
def test_rendered_document_has_heading_number_parties_and_dates(doc_type):
    text = all_text(render(doc_type, _context(doc_type)))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" in text and "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI" in text
    assert "Số: 12/TB-SNNMT" in text
    assert "Đồng Nai, ngày 05 tháng 12 năm 2026" in text
    # the day the letter was received; the minutes carry the day of the dialogue
    assert ("03/12/2026" if doc_type in ("dialogue_minutes", "conference_minutes") else "01/11/2026") in text
    if doc_type not in HIDE_DENOUNCER and doc_type not in NO_REQUESTER:
        assert "Nguyễn Văn An" in text
    if doc_type in NAME_RESPONDENT:
        assert "Trần Văn Bình" in text
    assert FIELD_TEXT.get(doc_type, "KN-2026-000123") in text
    assert "Phạm Văn Dũng" in text
    assert "{{" not in text and "{%" not in text
    assert "DỰ THẢO" not in text


@pytest.mark.parametrize("doc_type", sorted(MANIFEST))
def test_draft_is_marked(doc_type):
    assert "DỰ THẢO" in all_text(render(doc_type, _context(doc_type, draft=True)))


@pytest.mark.parametrize("doc_type", sorted(set(MANIFEST) - {"receipt", "dialogue_minutes", "conference_minutes"}))
def test_recipients_are_listed(doc_type):
    text = all_text(render(doc_type, _context(doc_type)))
    assert "Nơi nhận:" in text
    assert "- Như trên;" in text and "- Thanh tra tỉnh;" in text and "- Lưu: VT, hồ sơ." in text
    assert "GIÁM ĐỐC" in text  # the signer's title, upper case


@pytest.mark.parametrize("doc_type", HIDE_DENOUNCER)
def test_denunciation_decisions_do_not_name_the_denouncer(doc_type):
    """Sent to the accused too: Luật Tố cáo 2018, Điều 47, 56 keep the denouncer's identity secret."""
    context = sample_context("denunciation")
    text = all_text(render(doc_type, context))
    assert "Nguyễn Văn An" not in text and "075090001234" not in text and "ấp 3, xã Tân Lập" not in text
    assert "tố cáo" in text and "Trần Văn Bình" in text


@pytest.mark.parametrize("doc_type", ["suspension_decision", "continuation_decision", "termination_decision"])
def test_complaint_decisions_name_the_complainant(doc_type):
    text = all_text(render(doc_type, sample_context("complaint_first")))
    assert "Nguyễn Văn An" in text and "khiếu nại" in text and "Luật Khiếu nại" in text
    assert "Luật Tố cáo" not in text


def test_the_conclusion_names_no_denouncer_and_prints_no_letter():
    """The conclusion goes to the accused and is published (Luật Tố cáo 2018, Điều 35 khoản 3, Điều 40, 47): it names
    no denouncer, not even as "(được giữ bí mật)", and prints the content drafted for it, never the letter."""
    context = sample_context("denunciation")
    context["fields"].update(result_label="Tố cáo sai sự thật", denounced_content="Nhận tiền khi cấp sổ")
    text = all_text(render("denunciation_conclusion", context))
    assert "Nguyễn Văn An" not in text and "được giữ bí mật" not in text and "075090001234" not in text
    assert context["case"]["content"] not in text and "1. Nội dung tố cáo\nNhận tiền khi cấp sổ" in text


def test_optional_parts_follow_the_context():
    context = sample_context()
    without = all_text(render("notice_of_acceptance", context))
    assert "chuyển đến" not in without
    assert "ỦY BAN NHÂN DÂN TỈNH" in without
    context = copy.deepcopy(context)
    context["fields"]["forwarded_by_body_label"] = "Đại biểu Quốc hội"
    context["unit"]["parent_name"] = ""
    text = all_text(render("notice_of_acceptance", context))
    assert "Đơn khiếu nại do Đại biểu Quốc hội chuyển đến." in text
    assert "ỦY BAN NHÂN DÂN TỈNH" not in text


def test_dialogue_minutes_record_attendance_and_commitments():
    context = sample_context("dialogue")
    context["fields"].update(commitments=2, copies=4, attendance_label="Vắng mặt không có lý do")
    text = all_text(render("dialogue_minutes", context))
    assert "Vắng mặt không có lý do" in text
    assert "Số nội dung cam kết cần theo dõi thực hiện: 2." in text
    assert "Biên bản được lập thành 4 bản" in text
    assert "Lê Thị Cúc" in text  # a related party
    assert "Mức bồi thường" in text


@pytest.mark.parametrize("doc_type", sorted(MANIFEST))
def test_layout_is_the_decree_layout(doc_type):
    """A4, Nghị định 30/2020 margins, Times New Roman 13 pt; the heading table has no borders."""
    document = Document(FOLDER / MANIFEST[doc_type]["template"])
    section = document.sections[0]
    def near(length, millimetres):  # DOCX stores twentieths of a point: compare to a tenth of a millimetre
        return abs(length - Mm(millimetres)) < Mm(0.1)

    assert near(section.page_width, 210) and near(section.page_height, 297)
    assert near(section.top_margin, 20) and near(section.bottom_margin, 20)
    assert near(section.left_margin, 30) and near(section.right_margin, 15)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(13)
    borders = document.tables[0]._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_conclusion_of_an_anonymous_tip_reads_without_a_denouncer():
    context = sample_context("anonymous_tip")
    context["requester"] = {key: "" for key in context["requester"]}
    context["fields"].update(result_label="Tố cáo đúng")
    text = all_text(render("denunciation_conclusion", context))
    assert "nhận được thông tin có nội dung tố cáo đối với ông (bà) Trần Văn Bình" in text
    assert "Tố cáo đúng." in text


@pytest.mark.parametrize("doc_type", ["forwarding_slip", "notice_of_refusal", "guidance_letter", "petition_reply"])
def test_letters_print_no_identity_number(doc_type):
    """Only the notice of acceptance and the receipt (Mẫu 03, Mẫu 02/TCD) carry the identity document number."""
    text = all_text(render(doc_type, _context(doc_type)))
    assert "075090001234" not in text and "ấp 3, xã Tân Lập" in text


def test_dialogue_minutes_list_who_attended_who_was_absent_and_who_refused_to_sign():
    """Mẫu 14: attendees and absentees, an absence's valid reason, and a refusal to sign with its reason (LKN Art
    30(4); NĐ 124/2020 Art 28(4), 28a as amended by NĐ 155/2026)."""
    context = sample_context("complaint_first")
    context["fields"].update(attendees="Nguyễn Văn An (người khiếu nại)\nTrần Văn Bình (người bị khiếu nại)\n",
                             absentees="Lê Thị Cúc (người có quyền, nghĩa vụ liên quan)",
                             attendance_label="Vắng mặt có lý do chính đáng", absence_reason="Nằm viện, có giấy ra viện",
                             refused_to_sign="Trần Văn Bình, không đồng ý kết quả xác minh")
    text = all_text(render("dialogue_minutes", context))
    assert "- Nguyễn Văn An (người khiếu nại);" in text and "- Trần Văn Bình (người bị khiếu nại);" in text
    assert "Những người vắng mặt:" in text and "- Lê Thị Cúc (người có quyền, nghĩa vụ liên quan);" in text
    assert "Lý do vắng mặt và tài liệu chứng minh: Nằm viện, có giấy ra viện." in text
    assert "Người không ký biên bản và lý do: Trần Văn Bình, không đồng ý kết quả xác minh." in text
    bare = all_text(render("dialogue_minutes", sample_context("complaint_first")))
    assert "Những người vắng mặt:" not in bare and "Người không ký biên bản" not in bare


def test_dialogue_notice_gives_time_place_content_to_every_party():
    """NĐ 155/2026 Art 28(1): written notice of the time, place and content, to all the parties."""
    context = sample_context("complaint_second")
    context["fields"].update(invitees="Phòng Tài nguyên và Môi trường\nBan quản lý dự án")
    text = all_text(render("dialogue_notice", context))
    assert "Kính gửi: ông (bà) Nguyễn Văn An (người khiếu nại); ông (bà) Lê Thị Cúc" in text
    assert "Thời gian: ngày 10/12/2026." in text and "Địa điểm: Trụ sở Sở." in text
    assert "Nội dung đối thoại: Việc thu hồi đất tại ấp 3 và mức bồi thường." in text
    assert "khiếu nại lần hai" in text and "Điều 39" in text
    assert "- Phòng Tài nguyên và Môi trường;" in text and "- Ban quản lý dự án;" in text
    assert "Người chủ trì đối thoại: ông (bà) Phạm Văn Dũng." in text


def test_conference_minutes_record_attendance_the_front_opinions_and_answers():
    context = sample_context("dialogue")
    context["case"]["content"] = "Kết quả xây dựng nông thôn mới\nQuản lý đất đai"
    text = all_text(render("conference_minutes", context))
    assert "Số người dân tham dự: 120." in text
    assert "ông (bà) Võ Thị Hoa, có mặt" in text
    assert "- Đường liên ấp xuống cấp;" in text and "- Thiếu đèn chiếu sáng;" in text
    assert "- Quản lý đất đai;" in text and "Ủy ban nhân dân xã đưa vào kế hoạch năm 2027" in text
    context["fields"]["front_present"] = False
    assert "vắng mặt" in all_text(render("conference_minutes", context))
