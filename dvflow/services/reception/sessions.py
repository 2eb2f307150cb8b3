"""Reception sessions at the desk: who may run or read one, opening today's regular session, closing a session.

Reception officers and heads of the session's unit (or a head above it) run the desk; supervisors (the Front, the
inspectorate) read it; anyone else is told the session does not exist (404), as for a case of another unit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import org_tree
from ...models import ReceptionSession, Unit, User
from ...timeutil import TZ, local_date
from ..errors import Conflict, Forbidden, NotFound, ServiceError
from ..org import access, lifetime
from .text import check_length

DESK_ROLES = frozenset({"reception", "head"})
READ_ROLES = frozenset({"supervisor"})
#: the office hours of a regular session opened from the desk (the reception office's working day)
REGULAR_HOURS = (time(7, 30), time(17, 0))
#: how far back the sessions page lists sessions
RECENT_DAYS = 30


def desk_roles(session: Session, user: User, unit_id: int) -> set[str]:
    """The user's roles for a session of the unit: those held there, head for a head of a unit above, and the
    all-unit roles (supervisor) held anywhere."""
    ms = access.memberships(session, user)
    above = set(org_tree.ancestors(org_tree.unit_tree(session), unit_id))
    roles = {m.role for m in ms if m.unit_id == unit_id} | {m.role for m in ms if m.role in READ_ROLES}
    if any(m.role == "head" and m.unit_id in above for m in ms):
        roles.add("head")
    return roles


def may_run(session: Session, user: User, unit_id: int) -> bool:
    return bool(desk_roles(session, user, unit_id) & DESK_ROLES)


def may_open(session: Session, user: User, unit_id: int) -> bool:
    """Whether the user may open the desk of a session of the unit (`load_for` answers 404 otherwise): pages link
    to a desk only then."""
    return bool(desk_roles(session, user, unit_id) & (DESK_ROLES | READ_ROLES))


def load_for(session: Session, user: User, session_id: int, *, run: bool = False,
             lock: bool = False) -> ReceptionSession:
    """The session if the user may read it (404 otherwise); with `run`, 403 for a reader who may not write; with
    `lock`, the row is locked until the transaction ends (two desks closing or concluding it at once: one waits)."""
    rs = session.get(ReceptionSession, session_id, with_for_update=lock or None)
    if rs is None or not may_open(session, user, rs.unit_id):
        raise NotFound("Không tìm thấy phiên tiếp công dân.")
    if run and not may_run(session, user, rs.unit_id):
        raise Forbidden("Chỉ cán bộ tiếp công dân và thủ trưởng đơn vị được ghi phiên tiếp công dân.")
    return rs


def desk_units(session: Session, user: User, *, existing_only: bool = False) -> list[Unit]:
    """The units whose desk the user runs (direct reception or head roles); `existing_only`: not those dissolved
    (their past sessions are still read, no new one is opened)."""
    ids = {m.unit_id for m in access.memberships(session, user) if m.role in DESK_ROLES}
    query = select(Unit).where(Unit.id.in_(ids or {-1}))
    if existing_only:
        query = query.where(Unit.existing)
    return list(session.scalars(query.order_by(Unit.name)))


def is_reader(session: Session, user: User) -> bool:
    return any(m.role in READ_ROLES for m in access.memberships(session, user))


def recent_sessions(session: Session, user: User, today: date, days: int = RECENT_DAYS) -> list[ReceptionSession]:
    """The sessions of the last `days` days up to a week ahead, not cancelled, newest first: of the user's desk
    units, or of every unit for a supervisor (a conclusion or a refusal notice is often written days later)."""
    query = select(ReceptionSession).where(ReceptionSession.day >= today - timedelta(days=days),
                                           ReceptionSession.day <= today + timedelta(days=7),
                                           ReceptionSession.status != "cancelled")
    if not is_reader(session, user):
        query = query.where(ReceptionSession.unit_id.in_([u.id for u in desk_units(session, user)] or [-1]))
    return list(session.scalars(query.order_by(ReceptionSession.day.desc(), ReceptionSession.start_time,
                                               ReceptionSession.id)))


def open_regular_today(session: Session, user: User, unit_id: int, now: datetime) -> ReceptionSession:
    """Today's regular session at the unit's reception office: the existing one, or a new one (the office receives
    citizens every working day; LTCD Art 10, 12)."""
    if not may_run(session, user, unit_id):
        raise Forbidden("Bạn không tiếp công dân tại đơn vị này.")
    lifetime.refuse_dissolved(session, unit_id, "unit_id")
    unit = session.get(Unit, unit_id)
    today = local_date(now)
    found = session.scalar(select(ReceptionSession).where(
        ReceptionSession.unit_id == unit_id, ReceptionSession.kind == "regular", ReceptionSession.day == today,
        ReceptionSession.status.in_(("planned", "published"))).order_by(ReceptionSession.id).limit(1))
    if found is not None:
        return found
    rs = ReceptionSession(unit_id=unit_id, kind="regular", mode="in_person", day=today, start_time=REGULAR_HOURS[0],
                          end_time=REGULAR_HOURS[1], place=unit.address or unit.name, status="planned",
                          created_by_id=user.id, created_at=now)
    session.add(rs)
    session.flush()
    return rs


def session_start(rs: ReceptionSession) -> datetime:
    """The session's start, local: the receipt instant of the letters it hands into intake."""
    return datetime.combine(rs.day, rs.start_time, TZ)


def check_open(rs: ReceptionSession, now: datetime) -> None:
    """Citizens are recorded in a session that has begun (its day has come) and is neither closed nor cancelled."""
    if rs.status in ("held", "cancelled"):
        raise Conflict("Phiên tiếp công dân đã kết thúc hoặc đã hủy; không ghi thêm lượt tiếp.")
    if local_date(now) < rs.day:
        raise ServiceError("Chưa đến ngày của phiên tiếp công dân.", field="session")


@dataclass
class CloseInput:
    #: where the audio and video recording of an online session is kept (NĐ 154/2026 Art 24(1))
    recording_ref: str | None = None
    #: a periodic session received by a delegate instead of the official, and why
    delegate_name: str | None = None
    delegation_reason: str | None = None
    notes: str | None = None


def close(session: Session, user: User, session_id: int, data: CloseInput, now: datetime) -> ReceptionSession:
    """Close a session as held: not before its day; an online one only with its recording reference."""
    rs = load_for(session, user, session_id, run=True, lock=True)
    check_open(rs, now)
    recording = _clean(data.recording_ref) or rs.recording_ref
    if rs.mode == "online" and not recording:
        raise ServiceError("Phiên tiếp công dân trực tuyến phải có nơi lưu bản ghi âm, ghi hình trước khi kết thúc "
                           "(Nghị định 154/2026/NĐ-CP, Điều 24).", field="recording_ref")
    # a delegation recorded beforehand on the schedule page (schedule.record_delegation, which any session with an
    # official may carry) stays unless the close form names another: an empty field keeps it, like the recording
    if _clean(data.delegate_name) and rs.kind != "periodic":
        raise ServiceError("Chỉ phiên tiếp định kỳ của người đứng đầu mới ghi người được ủy quyền tiếp thay.",
                           field="delegate_name")
    delegate = _clean(data.delegate_name) or rs.delegate_name
    reason = _clean(data.delegation_reason) or rs.delegation_reason
    if delegate and not reason:
        raise ServiceError("Nhập lý do người đứng đầu ủy quyền tiếp thay.", field="delegation_reason")
    if reason and not delegate:
        raise ServiceError("Nhập họ tên người tiếp thay.", field="delegate_name")
    for value, name, limit in ((recording, "recording_ref", 500), (delegate, "delegate_name", 255)):
        if value and len(value) > limit:
            raise ServiceError("Nội dung quá dài (tối đa %(limit)s ký tự).", field=name, limit=limit)
    check_length("delegation_reason", "Lý do ủy quyền", reason)
    check_length("notes", "Ghi chú", data.notes)
    rs.recording_ref, rs.delegate_name, rs.delegation_reason = recording, delegate, reason
    rs.notes = _clean(data.notes) or rs.notes
    rs.status, rs.closed_at, rs.closed_by_id = "held", now, user.id
    session.flush()
    return rs


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None
