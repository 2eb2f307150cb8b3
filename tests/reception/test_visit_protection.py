"""A visitor whose letter became a denunciation is a denouncer (Luật Tố cáo 2018, Điều 9(1)(b), 47, 56), whatever
content type the desk picked: recorded as a feedback into a denunciation case, or into a letter classified as a
denunciation later. Such a visit is protected everywhere the book is read: the national export (no name, no
summary), the desk's rows and bookings, the book page and its XLSX, the conclusion notice (SQLite and PostgreSQL)."""
from __future__ import annotations

import json
from datetime import date, time
from io import BytesIO

import pytest
from docx import Document as Docx
from factories import NOW
from openpyxl import load_workbook
from web.conftest import Browser

from config import ROOT
from dvflow.models import Case
from dvflow.services import cases
from dvflow.services.documents import session_docs
from dvflow.services.documents.flow import Settings
from dvflow.services.reception import desk, visits
from dvflow.services.reports import national_export

from .helpers import make_booking, make_official, make_session, visit

SECRET = "Đỗ Văn Tố Giác"
SUMMARY = "Phản ánh chủ tịch xã nhận tiền của dân"
PLAIN = "Lê Thị Bình Thường"


def into_denunciation(session, workflows, org, rules, rs, booking=None):
    """Recorded as a feedback, the letter handed into a denunciation case."""
    return visits.record(session, workflows, rules, org["users"]["reception"], rs.id, visit(
        citizen_name=SECRET, summary=SUMMARY, content_type="feedback", outcome="case_opened",
        case_kind="denunciation", result_note=None, booking_id=booking), NOW)


def into_letter_classified(session, workflows, org, rules, rs, booking=None):
    """Recorded as a complaint into a letter, which the head classifies as a denunciation afterwards."""
    v = visits.record(session, workflows, rules, org["users"]["reception"], rs.id, visit(
        citizen_name=SECRET, summary=SUMMARY, content_type="complaint", outcome="case_opened", case_kind="triage",
        result_note=None, booking_id=booking), NOW)
    cases.perform(session, workflows, org["users"]["head"], v.case_id, "classify",
                  {"content_type": "denunciation", "competent": True}, NOW)
    assert session.get(Case, v.case_id).confidential
    return v


PATHS = pytest.mark.parametrize("record", [into_denunciation, into_letter_classified],
                                ids=["denunciation-case", "letter-classified-later"])


def plain_visit(session, workflows, org, rules, rs):
    return visits.record(session, workflows, rules, org["users"]["reception"], rs.id,
                         visit(citizen_name=PLAIN, summary="Kiến nghị sửa đường liên xã"), NOW)


def test_a_visit_recorded_into_a_denunciation_becomes_confidential(session, workflows, org, rules):
    rs = make_session(session, org["dept"], day=date(2026, 11, 20))
    v = into_denunciation(session, workflows, org, rules, rs)
    assert session.get(Case, v.case_id).confidential and v.confidential


@PATHS
def test_the_national_export_gives_neither_name_nor_summary(session, workflows, org, rules, record):
    rs = make_session(session, org["dept"], day=date(2026, 11, 20))
    record(session, workflows, org, rules, rs)
    plain_visit(session, workflows, org, rules, rs)
    doc = national_export.build(session, unit_id=org["province"].id, visible=None,
                                span=national_export.Range(date(2026, 11, 1), date(2026, 11, 30)), now=NOW)
    text = json.dumps(doc, ensure_ascii=False)
    assert SECRET not in text and SUMMARY not in text
    secret, plain = doc["reception_visits"]
    assert secret["confidential"] and secret["citizen_name"] is None and secret["summary"] is None
    assert plain["citizen_name"] == PLAIN and not plain["confidential"]


@PATHS
def test_the_desk_rows_and_the_booking_are_redacted(session, workflows, org, rules, record):
    rs = make_session(session, org["dept"], day=date(2026, 11, 20))
    booking = make_booking(session, rs, name=SECRET, slot=time(8, 20))
    record(session, workflows, org, rules, rs, booking=booking.id)
    plain_visit(session, workflows, org, rules, rs)
    rows = desk.visit_rows(session, desk.session_visits(session, rs.id), rules, org["users"]["reception"])
    assert [r["confidential"] for r in rows] == [True, False]
    assert rows[0]["citizen_name"] == desk.HIDDEN and rows[0]["summary_withheld"] and rows[0]["summary"] != SUMMARY
    assert rows[1]["citizen_name"] == PLAIN and not rows[1]["summary_withheld"]
    head = desk.visit_rows(session, desk.session_visits(session, rs.id), rules, org["users"]["head"])[0]
    assert head["citizen_name"] == desk.HIDDEN and head["summary"] == SUMMARY  # the head may see the case's content
    (row,) = desk.booking_rows(session, desk.bookings(session, rs.id))
    assert row.confidential and row.name == desk.HIDDEN and row.phone is None and row.content is None


@PATHS
def test_the_book_page_and_its_xlsx_print_no_denouncer(app, session, workflows, org, rules, record):
    rs = make_session(session, org["dept"], day=date(2026, 11, 20))
    record(session, workflows, org, rules, rs)
    plain_visit(session, workflows, org, rules, rs)
    b = Browser(app.test_client())
    b.login("reception")
    query = f"?thang=2026-11&don_vi={org['dept'].id}"
    page = b.get(f"/tiep-nhan/so{query}").get_data(as_text=True)
    assert SECRET not in page and SUMMARY not in page and PLAIN in page
    book = b.get(f"/tiep-nhan/so.xlsx{query}")
    assert book.status_code == 200
    cells = [str(c.value) for row in load_workbook(BytesIO(book.data)).active.iter_rows() for c in row if c.value]
    assert not [c for c in cells if SECRET in c or SUMMARY in c]
    assert any(PLAIN in c for c in cells)


def test_the_conclusion_notice_names_no_visitor_whose_letter_became_a_denunciation(session, workflows, org, rules):
    rs = make_session(session, org["province"], kind="periodic", official=make_official(session, org["province"]))
    chair = org["users"]["chair"]
    v = visits.record(session, workflows, rules, chair, rs.id, visit(
        citizen_name=SECRET, summary=SUMMARY, outcome="case_opened", case_kind="triage", result_note=None), NOW)
    cases.perform(session, workflows, chair, v.case_id, "classify", {"content_type": "denunciation", "competent": True},
                  NOW)
    settings = Settings(documents_dir=str(ROOT / "workflows" / "documents"), pdf=False)
    doc = session_docs.issue_conclusion(session, settings, workflows, chair, rs.id, session_docs.ConclusionInput(
        directions={v.id: "Giao Thanh tra tỉnh xác minh"}), NOW)
    text = "\n".join(p.text for p in Docx(BytesIO(doc.content)).paragraphs)
    text += "\n".join(c.text for t in Docx(BytesIO(doc.content)).tables for r in t.rows for c in r.cells)
    assert SECRET not in text and "(được giữ bí mật)" in text
    assert SUMMARY not in text  # the summary often names the denouncer in free text: withheld as on the desk


def test_a_conclusion_notice_issued_before_the_letter_became_a_denunciation_opens_only_on_need_to_know(
        session, workflows, org, rules):
    from sqlalchemy import select

    from dvflow.models import VisitAccess
    from dvflow.services.errors import Forbidden

    rs = make_session(session, org["province"], kind="periodic", official=make_official(session, org["province"]))
    chair = org["users"]["chair"]
    v = visits.record(session, workflows, rules, chair, rs.id, visit(
        citizen_name=SECRET, summary=SUMMARY, outcome="case_opened", case_kind="triage", result_note=None), NOW)
    settings = Settings(documents_dir=str(ROOT / "workflows" / "documents"), pdf=False)
    doc = session_docs.issue_conclusion(session, settings, workflows, chair, rs.id, session_docs.ConclusionInput(
        directions={v.id: "Giao Thanh tra tỉnh xác minh"}), NOW)
    assert SECRET in "\n".join(p.text for p in Docx(BytesIO(doc.content)).paragraphs)  # frozen with the name
    assert session_docs.open_document(session, org["users"]["supervisor"], doc.id, NOW) is doc  # not protected yet
    cases.perform(session, workflows, chair, v.case_id, "classify", {"content_type": "denunciation", "competent": True},
                  NOW)
    with pytest.raises(Forbidden):
        session_docs.open_document(session, org["users"]["supervisor"], doc.id, NOW)
    assert session_docs.open_document(session, chair, doc.id, NOW) is doc
    assert [(a.user_id, a.visit_id) for a in session.scalars(select(VisitAccess))] == [(chair.id, v.id)]
    # the case the visit opened lists the opening in its access log, beside the reveals and downloads
    from dvflow.services.cases import confidentiality

    [opened] = [r for r in confidentiality.access_log(session, chair, v.case_id) if r["kind"] == "document"]
    assert (opened["user_id"], opened["filename"]) == (chair.id, doc.number_symbol)
