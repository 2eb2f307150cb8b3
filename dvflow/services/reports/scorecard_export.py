"""The scorecard as XLSX (through the one writer, xlsx.py): a row per unit with each criterion's value and points
under the criterion's merged heading, the total and the rank; a first row gives the weights (the most points each
criterion can earn, totalling the maximum score)."""
from __future__ import annotations

from typing import Callable

from . import xlsx
from .scorecard import Board

MANUAL_STATUS = {"submitted": "chưa xác minh", "rejected": "không xác nhận"}


def workbook(board: Board, *, title: str, scope: str, tr: Callable[[str], str] = lambda s: s,
             label: Callable = lambda c: c.label) -> bytes:
    _ = tr
    cols = [xlsx.Col(_("STT"), "int", 6), xlsx.Col(_("Đơn vị"), "text", 30)]
    for c in board.criteria.criteria:
        cols += [xlsx.Col(_("Giá trị"), "float", 10, label(c)), xlsx.Col(_("Điểm"), "float", 8, label(c))]
    cols += [xlsx.Col(_("Tổng điểm"), "float", 10), xlsx.Col(_("Xếp hạng"), "int", 9)]
    weights: list = [None, _("Trọng số")]
    for c in board.criteria.criteria:
        weights += [None, c.weight]
    rows = [weights + [board.max_total, None]]
    for i, r in enumerate(board.rows, start=1):
        row: list = [i, r.unit.name]
        for line in r.lines:
            row += [line.value, line.points]
        rows.append(row + [r.total, r.rank])
    notes = [_("Căn cứ: %(basis)s.") % {"basis": board.criteria.basis},
             _("Xếp hạng trong %(n)s đơn vị cùng cấp; các đơn vị bằng điểm cùng hạng, hạng kế tiếp bỏ qua.")
             % {"n": board.peers},
             _("Tiêu chí kê khai chỉ được tính khi người giám sát đã xác minh.")]
    return xlsx.table_workbook(title=title, period_line=_("Năm %(year)s") % {"year": board.year}, unit_name=scope,
                               columns=cols, rows=rows, sheet=_("Chấm điểm"), notes=notes)
