"""Voiding a mistaken or duplicate case: a head's decision, with a reason. The case is kept (never deleted) with
who voided it, when and why; its open clocks close, so the sweep sends no reminder and no escalation; the queues,
counts, statistics and search leave it out (``not_voided``); the public tracking page shows only that it is void;
and it takes no further action, correction or assignment (``refuse_if_voided``). The commitments promised in it and
still followed up hold it: voided as a duplicate, they move to the original (``_open_commitments``)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ...engine.types import ClockOp
from ...models import Case, Commitment, User
from ...notify import outbox
from ...timeutil import local_date
from ..deadlines import clocks
from ..deadlines.calendar import load_calendar
from ..errors import Conflict, Forbidden, ServiceError
from ..org import access
from . import history
from .lookup import load_case_for
from .matters import COMPLAINT_KINDS
from .reasons import required_reason

N_ = lambda s: s  # noqa: E731 - marks a message for extraction; the page shows it translated

REASON_MIN = 10
REASON_MAX = Case.__table__.c.void_reason.type.length
#: the reason a confidential case's voiding notice gives (the notice goes out whoever reads it)
CONFIDENTIAL_REASON = "lý do ghi trên trang hồ sơ (hồ sơ bảo mật)"
VOIDED = N_("Hồ sơ đã bị hủy: không thể thực hiện thao tác này.")
STALE = "Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại và thử lại."


def not_voided():
    """The condition every list, queue, count and statistic adds: the case was not voided."""
    return Case.voided_at.is_(None)


def refuse_if_voided(case: Case) -> None:
    """A voided case takes no action: a clear 409 instead."""
    if case.voided_at is not None:
        raise Conflict(VOIDED, code="voided")


def may_void(session: Session, user: User, case: Case) -> bool:
    return case.voided_at is None and access.actor_for(session, user, case).is_head


def void_case(session: Session, workflows, user: User, case_id: int, reason: str, now: datetime, *,
              duplicate_of: int | str | None = None, expected_version: int | None = None) -> Case:
    """A head of the case's unit (or of a unit above it) voids the case. Raises and writes nothing when refused."""
    case = load_case_for(session, user, case_id, lock=True)
    if expected_version is not None and case.version != expected_version:
        raise Conflict(STALE)
    refuse_if_voided(case)
    if not access.actor_for(session, user, case).is_head:
        raise Forbidden("Chỉ thủ trưởng đơn vị giải quyết được hủy hồ sơ.")
    reason = _reason(reason)
    original = _original(session, user, case, duplicate_of)
    moved = _open_commitments(session, case, original)
    summary = _close_clocks(session, workflows, case, now)
    case.voided_at, case.voided_by_id, case.void_reason = now, user.id, reason
    if original is not None:
        case.duplicate_of_id = original.id
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(STALE) from exc
    history.write(session, [history.event(
        case.id, "void", at=now, actor_id=user.id, from_state=case.state, to_state=case.state,
        payload={"reason": reason, "duplicate_of": original.id if original else None,
                 "duplicate_of_code": original.tracking_code if original else None, "clocks": summary,
                 **({"commitments_moved": moved} if moved else {})})])
    # it leaves their queue; in a confidential case the reason stays on the page, need-to-know like the content (it
    # may name the denouncer, and an assignee the head did not designate may not read it)
    told = CONFIDENTIAL_REASON if case.confidential else reason
    outbox.queue(session, case, ("assignee",), "case_voided", {"reason": told}, now)
    return case


def _reason(reason: str | None) -> str:
    return required_reason(reason, N_("Lý do hủy hồ sơ"), REASON_MIN, REASON_MAX)


def _original(session: Session, user: User, case: Case, ref: int | str | None) -> Case | None:
    """The case this one duplicates, by id or tracking code; it must be one the user may see, and not void."""
    if ref is None or (isinstance(ref, str) and not ref.strip()):
        return None
    if isinstance(ref, int):
        original = session.get(Case, ref)
    else:
        original = session.scalar(select(Case).where(Case.tracking_code == ref.strip().upper()[:32]))
    if original is None or not access.can_see(session, user, original):
        raise ServiceError("Hồ sơ bị trùng: không tìm thấy hồ sơ gốc.", field="duplicate_of")
    if original.id == case.id:
        raise ServiceError("Hồ sơ bị trùng: không thể là chính hồ sơ này.", field="duplicate_of")
    if original.voided_at is not None:
        raise ServiceError("Hồ sơ bị trùng: hồ sơ gốc đã bị hủy.", field="duplicate_of")
    if session.scalar(select(Commitment.id).where(Commitment.case_id == original.id,
                                                  Commitment.origin_case_id == case.id).limit(1)) is not None:
        # its commitments would move to their own follow-up case: a promise made in itself, lost from every panel
        raise ServiceError("Hồ sơ bị trùng: hồ sơ gốc là hồ sơ theo dõi cam kết của chính hồ sơ này.",
                           field="duplicate_of")
    if _family(original.kind) != _family(case.kind):
        # a duplicate is the same matter entered twice: a complaint duplicates a complaint, a conference a
        # conference, and so on; anything else is a mistaken case, voided without an original
        raise ServiceError("Hồ sơ bị trùng: hồ sơ gốc phải cùng loại với hồ sơ này.", field="duplicate_of")
    return original


def _family(kind: str) -> str:
    # one family: a complaint entered twice may have been entered once under the wrong tier
    return "complaint" if kind in COMPLAINT_KINDS else kind


def _open_commitments(session: Session, case: Case, original: Case | None) -> list[str]:
    """The commitments promised in this case and still followed up (their follow-up case neither closed nor void).
    A promise made to a citizen does not vanish with a case entered twice: voided as a duplicate, they move to the
    original (their tracking codes are returned for the history); otherwise the case cannot be voided until each
    is finished or voided on its own, by whoever heads the unit that carries it (often another unit)."""
    rows = session.execute(select(Commitment, Case.tracking_code).join(Case, Case.id == Commitment.case_id)
                           .where(Commitment.origin_case_id == case.id, Case.closed_at.is_(None),
                                  Case.voided_at.is_(None)).order_by(Commitment.id)).all()
    if not rows:
        return []
    codes = [code for _row, code in rows]
    if original is None:
        raise Conflict("Hồ sơ còn %(count)d cam kết đang theo dõi (%(codes)s): hoàn thành hoặc hủy từng cam kết "
                       "trước khi hủy hồ sơ này, hoặc hủy hồ sơ do trùng với hồ sơ gốc để chuyển các cam kết sang "
                       "hồ sơ gốc.", code="open_commitments", count=len(codes), codes=", ".join(codes))
    for row, _code in rows:
        row.origin_case_id = original.id
    return codes


def _close_clocks(session: Session, workflows, case: Case, now: datetime) -> list[dict]:
    """Cancel every open clock, as a final state of the workflow would: no more reminders or escalation."""
    running = {c.name: c for c in clocks.open_clocks(case, session)}
    if not running:
        return []
    defn = workflows.for_case(case, session)
    ops = [ClockOp(op="cancel", clock=name, on=local_date(now), result="cancelled") for name in running]
    return clocks.apply_clock_ops(session, case, ops, labels={c.name: c.label for c in defn.clocks.values()},
                                  ladder=workflows.ladder, calendar=load_calendar(session), now=now, running=running,
                                  voided=True)
