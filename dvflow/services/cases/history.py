"""The history of a case (`case_events`): append-only, and written by `write` alone.

Every use case that leaves a trace in a case's history (intake, actions, assignment, attachments, recomputed due
dates, escalation steps, version moves) builds its rows with `event` and hands them to `write`, so that whatever
must hold for every history row (e.g. a tamper-evident chain) is enforced in one place.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Mapping, Sequence

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ...db.bulk import BulkInsert
from ...models import CaseEvent
from ..audit import chain

N_ = lambda s: s  # noqa: E731 - marks a label for extraction; pages call gettext() on it when rendering

#: labels of the actions the system records (a workflow's own actions are labelled by the workflow)
SYSTEM_ACTIONS = {
    "register": N_("Tiếp nhận hồ sơ"),
    "assign": N_("Giao xử lý"),
    "recompute_due": N_("Tính lại thời hạn"),
    "escalate": N_("Nhắc hạn, báo cáo cấp trên"),
    "reassign": N_("Chuyển đơn vị giải quyết"),
    "attach": N_("Đính kèm tệp"),
    "notify_sender": N_("Thông báo cho người gửi đơn"),
    "correct": N_("Sửa thông tin tiếp nhận"),
    "void": N_("Hủy hồ sơ"),
    "update_representatives": N_("Cập nhật người đại diện"),
    "reissue_secret": N_("Cấp lại mã bí mật"),
    "revoke_document": N_("Thu hồi văn bản"),
}
#: labels of the fields the system actions record under "fields" (a workflow's own fields are labelled by the
#: workflow): the notice to a letter's sender (triage), and what a registration records, at the desk or by a
#: hand-off (cases/intake.py: channel, parties, people) or when the services open a follow-up task or a dialogue
#: conference (cases/internal.py with commitments' source and days, dialogues' parties)
SYSTEM_FIELDS = {
    "notice": N_("Nội dung thông báo"),
    "channel": N_("Hình thức tiếp nhận"),
    "parties": N_("Số đương sự"),
    "people": N_("Số người"),
    "source": N_("Nguồn"),
    "days": N_("Số ngày"),
}

_ONE = insert(CaseEvent.__table__)  # Core: a history row needs no unit-of-work bookkeeping
_MANY = BulkInsert(CaseEvent.__table__)  # the sweep's batches: one statement (COPY on PostgreSQL)


def event(case_id: int, action: str, *, at: datetime, actor_id: int | None = None, legal_date: date | None = None,
          from_state: str | None = None, to_state: str | None = None,
          payload: Mapping[str, Any] | None = None) -> dict:
    """One history row's values. `from_state` and `to_state` are equal for an action that keeps the state."""
    return dict(case_id=case_id, actor_id=actor_id, at=at, legal_date=legal_date, action=action,
                from_state=from_state, to_state=to_state, payload=payload if payload is not None else {})


def write(session: Session, rows: Sequence[dict], *, empty: Sequence[int] = ()) -> None:
    """Append rows built by `event` to the history, in the caller's transaction, each linked into its case's hash
    chain. The case rows they name must be in the database already (flushed): the rows are inserted at once, not at
    the session's next flush. `empty`: cases the caller created in this transaction and wrote no history for yet."""
    chain.extend(session, rows, empty=empty)
    if len(rows) == 1:
        session.execute(_ONE, rows[0])
    elif rows:
        _MANY.execute(session, rows)
