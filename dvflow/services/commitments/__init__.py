"""Commitments and follow-up tasks (nhiệm vụ theo thông báo kết luận, cam kết khi đối thoại), tracked to the end.

Each one is a case of the `follow_up` workflow (workflows/follow_up.yaml) opened in the responsible unit: the case
gives it what every case has — an assignee, the unit's queue, history, notifications, and a clock whose ladder the
sweep fires exactly once and escalates up the unit tree. The `commitments` row says where it came from: a reception
session's conclusion notice, a complaint's dialogue, or a grassroots dialogue conference.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import org_tree
from ...models import Case, Commitment, ReceptionSession, ReceptionVisit, Unit, User
from ...models.reception import COMMITMENT_SOURCES
from ...timeutil import TZ, local_date
from ..cases import internal
from ..errors import Forbidden, ServiceError
from ..org import access, lifetime

__all__ = ["CommitmentInput", "KIND", "MAX_DAYS", "assignable_unit_ids", "assignable_units", "create", "of_case",
           "of_session", "origin_of"]

KIND = "follow_up"
MAX_DAYS = 365
#: roles that may hand a task to their unit or a unit below it (a head's conclusion is prepared by the officers)
ASSIGNING_ROLES = {"head", "handler", "reception"}
DESCRIPTION_MAX = 500  # the case subject's length


@dataclass
class CommitmentInput:
    source: str  # reception_conclusion, dialogue or conference
    unit_id: int  # the responsible unit: the actor's unit or one below it
    description: str
    days: int  # the time frame in calendar days from start_on
    start_on: date | None = None  # default: today (local)
    promised_by: str | None = None
    session_id: int | None = None
    visit_id: int | None = None
    origin_case_id: int | None = None


def create(session: Session, workflows, actor: User, data: CommitmentInput, now: datetime) -> Commitment:
    """Open the follow-up case and its commitment row. Raises ServiceError (field named) or Forbidden; the caller owns
    the transaction, so a refused commitment writes nothing."""
    unit = _check(session, actor, data, now)
    case = _open_case(session, workflows, actor, unit, data, now)
    row = Commitment(case_id=case.id, source=data.source, session_id=data.session_id, visit_id=data.visit_id,
                     origin_case_id=data.origin_case_id, promised_by=(data.promised_by or "").strip() or None,
                     created_at=now)
    session.add(row)
    session.flush()
    return row


def of_case(session: Session, case_id: int) -> list[Commitment]:
    """The commitments promised in a case (a complaint's dialogue, a conference), oldest first; a commitment whose
    follow-up case was voided (entered by mistake) is left out, as the commitments list leaves it out."""
    return list(session.scalars(select(Commitment).join(Case, Case.id == Commitment.case_id)
                                .where(Commitment.origin_case_id == case_id, Case.voided_at.is_(None))
                                .order_by(Commitment.id)))


def origin_of(session: Session, case_id: int) -> Commitment | None:
    """Where a follow-up case comes from (its commitment row), None for any other case."""
    return session.scalar(select(Commitment).where(Commitment.case_id == case_id))


def of_session(session: Session, session_id: int) -> list[Commitment]:
    """The tasks a reception session's conclusion notice assigned, oldest first."""
    return list(session.scalars(select(Commitment).where(Commitment.session_id == session_id)
                                .order_by(Commitment.id)))


def _check(session: Session, actor: User, data: CommitmentInput, now: datetime) -> Unit:
    if data.source not in COMMITMENT_SOURCES:
        raise ServiceError("Nguồn của cam kết không hợp lệ.", field="source")
    description = (data.description or "").strip()
    if not description:
        raise ServiceError("Nhập nội dung nhiệm vụ, cam kết.", field="description")
    if len(description) > DESCRIPTION_MAX:
        raise ServiceError("Nội dung nhiệm vụ, cam kết tối đa %(max)s ký tự.", field="description",
                           max=DESCRIPTION_MAX)
    if isinstance(data.days, bool) or not isinstance(data.days, int) or not 1 <= data.days <= MAX_DAYS:
        raise ServiceError("Thời hạn thực hiện từ 1 đến %(max)s ngày.", field="days", max=MAX_DAYS)
    if data.start_on is not None and data.start_on > local_date(now):
        raise ServiceError("Ngày giao không được sau hôm nay.", field="start_on")
    if len((data.promised_by or "").strip()) > 255:
        raise ServiceError("Người cam kết, người kết luận tối đa 255 ký tự.", field="promised_by")
    unit = session.get(Unit, data.unit_id) if isinstance(data.unit_id, int) else None
    if unit is None:
        raise ServiceError("Đơn vị thực hiện không tồn tại.", field="unit_id")
    lifetime.refuse_dissolved(session, unit.id, "unit_id")  # a task goes to the unit that took over the work
    if not _may_assign(session, actor, unit.id):
        raise Forbidden("Bạn chỉ giao nhiệm vụ cho đơn vị của mình hoặc đơn vị cấp dưới.")
    _check_origin(session, actor, data)
    return unit


def _may_assign(session: Session, actor: User, unit_id: int) -> bool:
    return unit_id in assignable_unit_ids(session, actor)


def assignable_unit_ids(session: Session, actor: User) -> set[int]:
    """The units the actor may give a task or commitment to: those where the actor is a head, handler or receiving
    officer, and every unit below them."""
    tree = org_tree.unit_tree(session)
    ids: set[int] = set()
    for m in access.memberships(session, actor):
        if m.role in ASSIGNING_ROLES:
            ids |= org_tree.descendants(tree, m.unit_id)
    return ids


def assignable_units(session: Session, actor: User) -> list[Unit]:
    """The units of `assignable_unit_ids`, by name: what a form offers is what `create` accepts."""
    ids = assignable_unit_ids(session, actor)
    return list(session.scalars(select(Unit).where(Unit.id.in_(ids or {-1}), Unit.existing)
                                .order_by(Unit.name)))


def _check_origin(session: Session, actor: User, data: CommitmentInput) -> None:
    # a case or session the actor may not see answers exactly like a missing one
    if data.origin_case_id is not None:
        origin = session.get(Case, data.origin_case_id)
        if origin is None or not access.can_see(session, actor, origin):
            raise ServiceError("Hồ sơ có cam kết không tồn tại.", field="origin_case_id")
    if data.session_id is not None:
        reception = session.get(ReceptionSession, data.session_id)
        units = access.visible_unit_ids(session, actor)
        if reception is None or (units is not None and reception.unit_id not in units):
            raise ServiceError("Phiên tiếp công dân không tồn tại.", field="session_id")
    if data.visit_id is not None:
        visit = session.get(ReceptionVisit, data.visit_id)
        if visit is None or visit.session_id != data.session_id:
            raise ServiceError("Lượt tiếp công dân không thuộc phiên này.", field="visit_id")
    if data.source == "reception_conclusion" and data.session_id is None:
        raise ServiceError("Nhiệm vụ theo thông báo kết luận phải gắn với một phiên tiếp công dân.", field="session_id")
    if data.source in ("dialogue", "conference") and data.origin_case_id is None:
        raise ServiceError("Cam kết khi đối thoại phải gắn với hồ sơ có cuộc đối thoại.", field="origin_case_id")


def _received_at(data: CommitmentInput, now: datetime) -> datetime:
    # the clock counts from the day the task was given (its start day is not counted, Civil Code Art 147)
    if data.start_on is None or data.start_on == local_date(now):
        return now
    return datetime.combine(data.start_on, time(8), tzinfo=TZ)


def _open_case(session: Session, workflows, actor: User, unit: Unit, data: CommitmentInput, now: datetime) -> Case:
    return internal.open_case(session, workflows, actor, KIND, unit, subject=data.description,
                              received_at=_received_at(data, now), now=now, facts={"follow_up_days": data.days},
                              payload={"source": data.source, "days": data.days})
