"""`dvflow audit verify`: walk every case's chain and every signed day, and name what does not hold."""
from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Case, CaseEvent, HistoryAnchor
from ...timeutil import local_date
from .anchors import EMPTY_DAY, STREAM_ROWS, chain_digest, day_rows, message
from .chain import GENESIS, link
from .keys import AuditKeys


@dataclass(frozen=True)
class Break:
    """The first row of a case's history (or the first day) where the check fails, and why."""

    what: str  # "row" or "day"
    where: str  # the case's tracking code and the row's seq / event id, or the day
    reason: str


@dataclass
class VerifyReport:
    cases: int = 0
    rows: int = 0
    days: int = 0
    breaks: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def verify(session: Session, keys: AuditKeys) -> VerifyReport:
    """Check every chain (seq without gaps, each hash recomputed) and every anchor (digest and signature)."""
    report = VerifyReport()
    _verify_chains(session, report)
    _verify_anchors(session, keys, report)
    return report


def _verify_chains(session: Session, report: VerifyReport) -> None:
    codes = dict(session.execute(select(Case.id, Case.tracking_code)).all())
    columns = CaseEvent.__table__.c
    query = select(columns).order_by(columns.case_id, columns.seq)
    current, expected_seq, previous, broken = None, 1, GENESIS, False
    for row in session.execute(query.execution_options(yield_per=STREAM_ROWS)).mappings():
        if row["case_id"] != current:
            current, expected_seq, previous, broken = row["case_id"], 1, GENESIS, False
            report.cases += 1
        report.rows += 1
        if broken:
            continue  # one break per case: the rows after it cannot be judged
        where = f"{codes.get(row['case_id'], row['case_id'])} #{row['seq']} (id {row['id']})"
        if row["seq"] != expected_seq:
            reason = f"thiếu dòng lịch sử: mong đợi thứ tự {expected_seq}, gặp {row['seq']}"
        elif link(previous, row) != row["hash"]:
            reason = "nội dung dòng không khớp mã băm (đã bị sửa, hoặc dòng trước bị sửa/xóa)"
        else:
            reason = None
        if reason is not None:
            report.breaks.append(Break("row", where, reason))
            broken = True
        expected_seq, previous = row["seq"] + 1, row["hash"]


def _verify_anchors(session: Session, keys: AuditKeys, report: VerifyReport) -> None:
    anchors = session.scalars(select(HistoryAnchor).order_by(HistoryAnchor.day)).all()
    if not anchors:
        return
    per_day = day_rows(session, anchors[0].day)
    previous, expected_day = GENESIS, anchors[0].day
    for anchor in anchors:
        report.days += 1
        reason = _anchor_problem(anchor, keys, previous, expected_day, per_day.get(anchor.day, EMPTY_DAY))
        if reason is not None:
            report.breaks.append(Break("day", anchor.day.strftime("%d/%m/%Y"), reason))
            return  # the days after it chain from a digest that no longer holds
        previous, expected_day = anchor.digest, anchor.day.fromordinal(anchor.day.toordinal() + 1)
    first_at = session.scalar(select(func.min(CaseEvent.at)))
    if first_at is not None and local_date(first_at) < anchors[0].day:
        report.breaks.append(Break("day", local_date(first_at).strftime("%d/%m/%Y"),
                                   "có dòng lịch sử trước ngày ký đầu tiên"))


def _anchor_problem(anchor: HistoryAnchor, keys: AuditKeys, previous: str, expected_day, day) -> str | None:
    rows, rows_digest = day
    if anchor.day != expected_day:
        return f"thiếu chữ ký của ngày {expected_day.strftime('%d/%m/%Y')}"
    if anchor.previous != previous:
        return "không nối tiếp chữ ký của ngày trước"
    public = keys.verifying.get(anchor.key_id)
    if public is None:
        return f"khóa ký {anchor.key_id} không có trong DVFLOW_AUDIT_VERIFY_KEYS"
    try:
        public.verify(bytes.fromhex(anchor.signature), message(anchor.day, anchor.previous, anchor.rows, anchor.digest))
    except (InvalidSignature, ValueError):
        return "chữ ký không hợp lệ"
    if rows != anchor.rows or chain_digest(previous, rows_digest) != anchor.digest:
        return f"lịch sử của ngày đã thay đổi sau khi ký ({rows} dòng, khi ký {anchor.rows} dòng)"
    return None
