"""The one XLSX writer of every report and list (openpyxl).

Laid out like the official statistical forms: the unit's name, a title and a period line above the table; header
rows where a group heading is merged over its columns and a single heading is merged down both header rows; a row
numbering the columns (1), (2), ...; numbers written as numbers, dates as real Excel dates shown dd/mm/yyyy; the
header frozen and the columns sized.

`table_workbook` writes one table (a list: cases, overdue cases, the reception book); `report_workbook` writes a
periodic report, one sheet per section. Both return the file's bytes. The caller decides what goes in the cells: no
party identity is ever passed here by the report and list pages (a denouncer's identity stays out of every export).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any, Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ...timeutil import to_local

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)
_BOLD = Font(bold=True)
#: the first characters that make a spreadsheet read text as a formula (OWASP "CSV injection"): openpyxl itself stores a
#: string starting with "=" as a formula, and Excel evaluates = + - @ once the cell is edited
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass
class Col:
    label: str
    kind: str = "text"        # text, int, float, date, datetime
    width: int | None = None  # in characters; None: from the heading and the kind
    group: str | None = None  # a heading merged over consecutive columns of the same group


def _groups(cols: Sequence[Col]) -> list[tuple[str | None, int]]:
    out: list[tuple[str | None, int]] = []
    for c in cols:
        if out and c.group is not None and out[-1][0] == c.group:
            out[-1] = (c.group, out[-1][1] + 1)
        else:
            out.append((c.group, 1))
    return out


def _put(ws: Worksheet, row: int, column: int, value: Any):
    """The cell at (row, column), holding `value`: every cell of this writer is filled here. The control characters
    a worksheet cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE: C0 controls but tab and line breaks) become U+FFFD:
    a filter typed into the address or a text stored earlier may hold one, and openpyxl refused the whole file
    (IllegalCharacterError, a 500); the replacement character shows that something was there."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return ws.cell(row=row, column=column, value=value)


def _cell_value(value: Any, kind: str) -> Any:
    """Numbers stay numbers, dates become Excel dates (local dates for instants), the rest text."""
    if value is None:
        return None
    if kind == "date":
        if isinstance(value, datetime):
            return to_local(value).date()
        return value
    if kind == "datetime" and isinstance(value, datetime):
        return to_local(value).replace(tzinfo=None)  # Excel has no time zones: local wall time
    if kind in ("int", "float"):
        return value
    return str(value)


def _as_text(cell) -> None:
    """Text stays text, shown exactly as typed: a citizen's name or summary such as =HYPERLINK(...) must not become
    a live formula in the officer's spreadsheet. The cell is written as a string (openpyxl made "=..." a formula,
    and "#N/A" an error), and text that starts like a formula carries Excel's quote prefix, so that editing the
    cell does not evaluate it either; the prefix is not part of the text."""
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def _heading(ws: Worksheet, unit_name: str, title: str, period_line: str, width: int, subtitle: str = "") -> int:
    """Rows 1-4: the unit's name, the title, the period line, the table's own title. Returns the next free row."""
    _put(ws, 1, 1, unit_name).font = _BOLD
    for row, text, font in ((2, title, Font(bold=True, size=14)), (3, period_line, Font(italic=True)),
                            (4, subtitle, _BOLD)):
        if not text:
            continue
        cell = _put(ws, row, 1, text)
        cell.font, cell.alignment = font, Alignment(horizontal="center", wrap_text=True)
        if width > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    return 6


def _header(ws: Worksheet, top: int, cols: Sequence[Col]) -> int:
    """The header rows (two when some column has a group) and the row of column numbers; returns the first data
    row."""
    grouped = any(c.group for c in cols)
    depth = 2 if grouped else 1
    col = 1
    for group, span in _groups(cols):
        if group is None:
            c = cols[col - 1]
            _put(ws, top, col, c.label)
            if depth == 2:
                ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
        else:
            _put(ws, top, col, group)
            if span > 1:
                ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + span - 1)
            for i in range(span):
                _put(ws, top + 1, col + i, cols[col - 1 + i].label)
        col += span
    numbers = top + depth
    for i in range(1, len(cols) + 1):
        _put(ws, numbers, i, f"({i})")
    for r in range(top, numbers + 1):
        for i in range(1, len(cols) + 1):
            cell = ws.cell(row=r, column=i)
            cell.font, cell.alignment, cell.border = _BOLD, _CENTER, _BOX
    return numbers + 1


def _body(ws: Worksheet, first: int, cols: Sequence[Col], rows: Iterable[Sequence[Any]],
          bold_rows: set[int] = frozenset()) -> int:
    r = first
    for index, values in enumerate(rows):
        for i, (c, value) in enumerate(zip(cols, values), start=1):
            cell = _put(ws, r, i, _cell_value(value, c.kind))
            if isinstance(cell.value, str):
                _as_text(cell)
            cell.border = _BOX
            if c.kind == "date":
                cell.number_format = DATE_FORMAT
            elif c.kind == "datetime":
                cell.number_format = DATETIME_FORMAT
            elif c.kind == "float":
                cell.number_format = "0.00"
            elif c.kind == "text":
                cell.alignment = _WRAP
            if index in bold_rows:
                cell.font = _BOLD
        r += 1
    return r


def _widths(ws: Worksheet, cols: Sequence[Col]) -> None:
    default = {"date": 12, "datetime": 17, "int": 11, "float": 11}
    for i, c in enumerate(cols, start=1):
        width = c.width or max(default.get(c.kind, 16), min(40, len(c.label) + 2))
        ws.column_dimensions[get_column_letter(i)].width = width


def _sheet(ws: Worksheet, *, unit_name: str, title: str, period_line: str, subtitle: str, cols: Sequence[Col],
           rows: Sequence[Sequence[Any]], bold_rows: set[int] = frozenset(), notes: Iterable[str] = ()) -> None:
    top = _heading(ws, unit_name, title, period_line, len(cols), subtitle)
    first = _header(ws, top, cols)
    end = _body(ws, first, cols, rows, bold_rows)
    for offset, note in enumerate(notes, start=1):
        _put(ws, end + offset, 1, note).font = Font(italic=True)
    ws.freeze_panes = ws.cell(row=first, column=2)  # the header rows and the first column stay in view
    _widths(ws, cols)


def _save(wb: Workbook) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def table_workbook(*, title: str, period_line: str, unit_name: str, columns: Sequence[Col],
                   rows: Iterable[Sequence[Any]], sheet: str = "Danh sách", notes: Iterable[str] = (),
                   subtitle: str = "") -> bytes:
    """One table on one sheet: a list of cases, the overdue cases, the reception book (Mẫu 03/TCD) and the like."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    _sheet(ws, unit_name=unit_name, title=title, period_line=period_line, subtitle=subtitle, cols=columns,
           rows=list(rows), notes=notes)
    return _save(wb)


def _signatures(ws: Worksheet, row: int, width: int, left: str, right: str) -> None:
    """The signature block of the forms: the person who drew up the table on the left, the head on the right."""
    half = max(1, width // 2)
    for col, text in ((1, left), (half + 1, right)):
        cell = _put(ws, row, col, text)
        cell.font, cell.alignment = _BOLD, Alignment(horizontal="center", wrap_text=True)
        end = half if col == 1 else width
        if end > col:
            ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=end)


def sheets_workbook(*, title: str, period_line: str, unit_name: str,
                    sheets: Sequence[tuple[str, Sequence[Col], Sequence[Sequence[Any]]]]) -> bytes:
    """Several small tables, one sheet each: (the table's title, its columns, its rows); the sheet takes the title."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, cols, rows in sheets:
        ws = wb.create_sheet(name[:31])
        _sheet(ws, unit_name=unit_name, title=title, period_line=period_line, subtitle=name, cols=cols,
               rows=list(rows))
    return _save(wb)


def report_workbook(report, *, first_heading: str = "Nội dung", signatures: tuple[str, str] | None = None) -> bytes:
    """A periodic report (services.reports.periodic.Report): one sheet per section, named after its key; under each
    table the notes and, when given, the signature block (drawn up by, head of the unit)."""
    wb = Workbook()
    wb.remove(wb.active)
    for section in report.sections:
        cols = [Col(first_heading, "text", 34)] + [Col(c.label, c.kind, group=c.group) for c in section.columns]
        rows = [[r.label] + [r.values.get(c.key) for c in section.columns] for r in section.rows]
        bold = {i for i, r in enumerate(section.rows) if r.total}
        ws = wb.create_sheet(section.key[:31])
        notes = [section.note] if section.note else []
        _sheet(ws, unit_name=report.unit_name, title=report.title, period_line=report.period_line,
               subtitle=section.title, cols=cols, rows=rows, bold_rows=bold, notes=[*notes, *report.notes])
        if signatures:
            _signatures(ws, ws.max_row + 2, len(cols), *signatures)
    return _save(wb)


def local_date_or_none(value: date | datetime | None) -> date | None:
    """The local date of an instant (a date unchanged): what a list's date columns show."""
    if isinstance(value, datetime):
        return to_local(value).date()
    return value
