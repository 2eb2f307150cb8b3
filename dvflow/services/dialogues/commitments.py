"""Commitments made in a dialogue (cam kết khi đối thoại): promised in a complaint's dialogue (source "dialogue",
after its minutes: Luật Khiếu nại 2011, Điều 30 khoản 4) or at a grassroots dialogue conference (source
"conference", after it was held: Luật Thực hiện dân chủ ở cơ sở 2022, Điều 32). Each is a follow-up case of
dvflow.services.commitments with its own escalating clock; this module says when a case may take one and what the
case page's panel lists."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Case, CaseEvent, Clock, Unit, User
from .. import commitments
from ..cases.lookup import load_case_for
from ..errors import ServiceError
from ..org import access

#: where a commitment promised in a case of each kind comes from
SOURCE_BY_KIND = {"complaint_first": "dialogue", "complaint_second": "dialogue", "complaint_discipline": "dialogue",
                  "dialogue": "conference"}


def source_of(case: Case) -> str | None:
    """The commitment source of a case whose dialogue was held (its minutes recorded), else None."""
    source = SOURCE_BY_KIND.get(case.kind)
    facts = case.facts or {}
    if source == "dialogue" and facts.get("dialogue_held") is True:
        return source
    if source == "conference" and facts.get("held_on") and case.state != "called_off":
        return source
    return None


def may_add(session: Session, user: User, case: Case) -> bool:
    """A handler or head acting on the case adds commitments once its dialogue was held, while it is open."""
    if case.voided_at is not None or case.status == "closed" or source_of(case) is None:
        return False
    return bool({"handler", "head"} & access.actor_for(session, user, case).roles)


@dataclass
class DialogueCommitment:
    description: str
    unit_id: int | None
    days: int | None
    promised_by: str = ""


def add(session: Session, workflows, user: User, case_id: int, data: DialogueCommitment, now: datetime):
    """Record one commitment of the case's dialogue as a follow-up case; ServiceError naming the field (nothing
    written) on bad input, before the dialogue was held, or for a unit outside the user's."""
    case = load_case_for(session, user, case_id)
    source = source_of(case)
    if source is None or case.status == "closed":
        raise ServiceError("Chỉ ghi cam kết sau khi đã đối thoại (đã lập biên bản) và hồ sơ còn đang giải quyết.",
                           field="description")
    if not may_add(session, user, case):
        raise ServiceError("Bạn không có quyền ghi cam kết của hồ sơ này.", field="description")
    if data.days is None:
        raise ServiceError("Thời hạn thực hiện từ 1 đến %(max)s ngày.", field="days", max=commitments.MAX_DAYS)
    return commitments.create(session, workflows, user, commitments.CommitmentInput(
        source=source, unit_id=data.unit_id, description=data.description, days=data.days,
        promised_by=data.promised_by, origin_case_id=case.id, start_on=held_on(session, case)), now)


def held_on(session: Session, case: Case) -> date | None:
    """The day the case's dialogue was held: a promise's time frame counts from the day it was made, however much
    later the officer records it. A conference keeps the day in its facts; a complaint's is the legal date of its
    latest minutes (a dialogue held again after an absence with a valid reason is the one whose minutes count)."""
    if case.kind == "dialogue":
        held = (case.facts or {}).get("held_on")
        return date.fromisoformat(held) if isinstance(held, str) else None
    return session.scalar(select(CaseEvent.legal_date).where(CaseEvent.case_id == case.id,
                                                             CaseEvent.action == "record_minutes")
                          .order_by(CaseEvent.seq.desc()).limit(1))


@dataclass(frozen=True)
class PanelRow:
    case_id: int
    tracking_code: str
    description: str
    unit_name: str
    promised_by: str | None
    days: int | None
    state: str
    closed: bool
    due_date: date | None
    overdue: bool
    visible: bool  # whether the viewer may open the follow-up case (its unit is in the viewer's view)


def panel(session: Session, user: User, case: Case, today: date) -> list[PanelRow]:
    """The commitments promised in the case, each with its follow-up's state and due day."""
    items = commitments.of_case(session, case.id)
    if not items:
        return []
    ids = [c.case_id for c in items]
    follow = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids)))}
    latest = (select(Clock.case_id, func.max(Clock.id)).where(Clock.case_id.in_(ids)).group_by(Clock.case_id))
    clock_ids = dict(session.execute(latest).all())
    clocks = {c.case_id: c for c in session.scalars(select(Clock).where(Clock.id.in_(list(clock_ids.values()) or [-1])))}
    units = access.visible_unit_ids(session, user)
    rows = []
    for item in items:
        f, clock = follow[item.case_id], clocks.get(item.case_id)
        open_ = f.status != "closed"
        due = clock.due_date if clock is not None else None
        rows.append(PanelRow(
            case_id=f.id, tracking_code=f.tracking_code, description=f.subject, unit_name=f.unit.name,
            promised_by=item.promised_by, days=(f.facts or {}).get("follow_up_days"), state=f.state,
            closed=not open_, due_date=due,
            overdue=open_ and clock is not None and (clock.state == "missed" or (due is not None and due < today)),
            visible=units is None or f.unit_id in units))
    return rows


def responsible_units(session: Session, user: User) -> list[Unit]:
    """The units a commitment may be given to: the rule `commitments.create` applies."""
    return commitments.assignable_units(session, user)
