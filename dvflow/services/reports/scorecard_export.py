"""The scorecard as XLSX (through the one writer, xlsx.py): a row per unit with each criterion's value and points
under the criterion's merged heading, the total, the rank and a note of what the page flags beside the numbers (a
manual value waiting for verification or not verified, a criterion scoring zero for want of a record); a first row
gives the weights (the most points each criterion can earn, totalling the maximum score). The notes under the table
carry the criteria set's basis and its review caveat, as the board does."""
from __future__ import annotations

from typing import Callable

from ..errors import N_
from . import xlsx
from .scorecard import Board, UnitResult

#: a manual value that does not count (yet): the page's "Chờ xác minh" and "Không xác nhận"
MANUAL_STATUS = {"submitted": N_("chưa xác minh"), "rejected": N_("không xác nhận")}


def workbook(board: Board, *, title: str, scope: str, tr: Callable[[str], str] = lambda s: s,
             label: Callable = lambda c: c.label) -> bytes:
    _ = tr
    cols = [xlsx.Col(_("STT"), "int", 6), xlsx.Col(_("Đơn vị"), "text", 30)]
    for c in board.criteria.criteria:
        cols += [xlsx.Col(_("Giá trị"), "float", 10, label(c)), xlsx.Col(_("Điểm"), "float", 8, label(c))]
    cols += [xlsx.Col(_("Tổng điểm"), "float", 10), xlsx.Col(_("Xếp hạng"), "int", 9),
             xlsx.Col(_("Ghi chú"), "text", 50)]
    weights: list = [None, _("Trọng số")]
    for c in board.criteria.criteria:
        weights += [None, c.weight]
    rows = [weights + [board.max_total, None, None]]
    for i, r in enumerate(board.rows, start=1):
        row: list = [i, r.unit.name]
        for line in r.lines:
            row += [line.value, line.points]
        rows.append(row + [r.total, r.rank, "; ".join(_flags(r, tr, label)) or None])
    return xlsx.table_workbook(title=title, period_line=_("Năm %(year)s") % {"year": board.year}, unit_name=scope,
                               columns=cols, rows=rows, sheet=_("Chấm điểm"), notes=_notes(board, tr))


def _flags(row: UnitResult, tr: Callable[[str], str], label: Callable) -> list[str]:
    """What the page flags on a unit's criteria: a shortfall's reason, a manual value that does not count."""
    _ = tr
    out = []
    for line in row.lines:
        if line.fact is not None and line.fact.shortfall:
            out.append("%s: %s" % (label(line.criterion), _(line.fact.shortfall)))
        elif line.entry is not None and line.entry.status in MANUAL_STATUS:
            out.append(_("%(criterion)s: kê khai %(value)s, %(status)s") % {
                "criterion": label(line.criterion), "value": f"{line.entry.value:g}",
                "status": _(MANUAL_STATUS[line.entry.status])})
    return out


def _notes(board: Board, tr: Callable[[str], str]) -> list[str]:
    _ = tr
    notes = [_("Căn cứ: %(basis)s.") % {"basis": board.criteria.basis}]
    if board.criteria.review:  # the weights are a framework until checked against the decision: say so, as the page
        notes.append(_("Lưu ý: %(review)s") % {"review": board.criteria.review})
    return notes + [_("Xếp hạng trong %(n)s đơn vị cùng cấp; các đơn vị bằng điểm cùng hạng, hạng kế tiếp bỏ qua.")
                    % {"n": board.peers},
                    _("Tiêu chí kê khai chỉ được tính khi người giám sát đã xác minh.")]
