"""Planning a grassroots dialogue conference (Luật Thực hiện dân chủ ở cơ sở 2022, Điều 32): a case of the
`dialogue` workflow opened for a commune and planned in the same transaction; the rest of its life (notice,
holding it with its minutes, closing or calling it off) is the workflow's actions on the case page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Case, Unit, User
from ...timeutil import TZ, local_date
from ..cases import internal
from ..cases.actions import perform
from ..errors import N_, Forbidden, ServiceError
from ..org import access, lifetime

KIND = "dialogue"
#: the facts the workflow keeps: a conference is counted by them, and a case started on the former standalone
#: dialogue workflow (which never set them) is not a conference
PLANNED_ON, HELD_ON = "planned_on", "held_on"
#: who plans a conference for a commune: its handlers and its head
PLANNING_ROLES = ("handler", "head")  # the roles of the workflow's `plan`
#: how far ahead a conference may be planned (the plan of the next year is made at the end of this one)
MAX_YEARS_AHEAD = 1
#: the texts a plan must have, each with its whole message (not "Nhập %(label)s.": the catalogue needs sentences)
REQUIRED = (("place", N_("Nhập địa điểm.")), ("topics", N_("Nhập nội dung đối thoại.")),
            ("front_coorganiser", N_("Nhập đại diện Ủy ban Mặt trận Tổ quốc cấp xã phối hợp tổ chức.")))


@dataclass
class ConferenceInput:
    unit_id: int
    planned_on: date | None
    place: str
    topics: str
    front_coorganiser: str


def plan(session: Session, workflows, actor: User, data: ConferenceInput, now: datetime) -> Case:
    """Open and plan a conference of the commune `data.unit_id`; ServiceError naming the field (nothing written)
    when the input is wrong, Forbidden when the actor holds no role in the commune."""
    unit = _commune(session, data.unit_id)
    if not _may_plan(session, actor, unit.id):
        raise Forbidden("Bạn chỉ lập kế hoạch hội nghị cho xã nơi mình công tác.")
    _check(data, local_date(now))
    _check_lifetime(session, unit, data.planned_on)
    # a conference entered after it was held is opened on its planned day, so that the day it was held (the hold
    # action's legal date) is not before the case's opening
    received_at = min(now, datetime.combine(data.planned_on, time(0, 0), tzinfo=TZ))
    case = _open_case(session, workflows, actor, unit, data, received_at, now)
    payload = {"planned_on": data.planned_on.isoformat(), "place": data.place.strip(),
               "topics": data.topics.strip(), "front_coorganiser": data.front_coorganiser.strip()}
    if received_at < now:  # the plan keeps its own day, as paperwork entered late does (issue #13, item 4)
        payload.update(effective_on=data.planned_on.isoformat(),
                       effective_reason=f"Hội nghị dự kiến ngày {data.planned_on:%d/%m/%Y}, nhập sau ngày đó")
    return perform(session, workflows, actor, case.id, "plan", payload, now)


def _may_plan(session: Session, actor: User, unit_id: int) -> bool:
    return any(m.unit_id == unit_id and m.role in PLANNING_ROLES for m in access.memberships(session, actor))


def _open_case(session: Session, workflows, actor: User, unit: Unit, data: ConferenceInput, received_at: datetime,
               now: datetime) -> Case:
    """The conference's case: opened by the commune itself, never at the reception desk (the workflow's `intake:
    false`), the way services.commitments opens a follow-up."""
    return internal.open_case(session, workflows, actor, KIND, unit,
                              subject=f"Hội nghị đối thoại với Nhân dân năm {data.planned_on.year}",
                              received_at=received_at, now=now, facts={"party_roles": []},
                              content=data.topics.strip(), assignee_id=actor.id, payload={"parties": 0})


def _commune(session: Session, unit_id: int | None) -> Unit:
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    if unit is None:
        raise ServiceError("Chọn Ủy ban nhân dân cấp xã tổ chức hội nghị.", field="unit_id")
    if unit.level != "commune":
        raise ServiceError("Hội nghị đối thoại ở cơ sở do Ủy ban nhân dân cấp xã tổ chức (Luật Thực hiện dân chủ ở "
                           "cơ sở 2022, Điều 32): chọn một xã, phường, đặc khu.", field="unit_id")
    return unit


def _check_lifetime(session: Session, unit: Unit, planned_on: date) -> None:
    """A commune dissolved in the 2025 mergers plans nothing more (its successor does), and a commune holds no
    conference on a day it did not exist: each commune's yearly conference is its own (dialogues/compliance.py)."""
    lifetime.refuse_dissolved(session, unit.id, "unit_id")
    if not unit.exists_on(planned_on):
        raise ServiceError("Ngày dự kiến tổ chức: %(unit)s chỉ hoạt động từ ngày %(first)s.", field="planned_on",
                           unit=unit.name, first=unit.active_from.strftime("%d/%m/%Y"))


def _check(data: ConferenceInput, today: date) -> None:
    if data.planned_on is None:
        raise ServiceError("Nhập ngày dự kiến tổ chức hội nghị.", field="planned_on")
    if data.planned_on.year < today.year - 1 or data.planned_on.year > today.year + MAX_YEARS_AHEAD:
        raise ServiceError("Ngày dự kiến tổ chức phải trong các năm %(first)s–%(last)s.", field="planned_on",
                           first=today.year - 1, last=today.year + MAX_YEARS_AHEAD)
    for name, missing in REQUIRED:
        if not (getattr(data, name) or "").strip():
            raise ServiceError(missing, field=name)


def visible(session: Session, user: User, year: int | None = None) -> list[Case]:
    """The conferences of the units the user sees (newest first), of one year when given: a conference belongs to
    the year it was held in or, until then, the year it is planned for."""
    query = access.visible_cases(session, user).where(Case.kind == KIND, Case.voided_at.is_(None))
    found = [c for c in session.scalars(query.order_by(Case.id.desc())) if is_conference(c)]
    return [c for c in found if year is None or conference_year(c) == year]


def is_conference(case: Case) -> bool:
    facts = case.facts or {}
    return case.kind == KIND and bool(facts.get(PLANNED_ON) or facts.get(HELD_ON))


def conference_year(case: Case) -> int | None:
    facts = case.facts or {}
    when = facts.get(HELD_ON) or facts.get(PLANNED_ON)
    return date.fromisoformat(when).year if when else None


def held_on(case: Case) -> date | None:
    value = (case.facts or {}).get(HELD_ON)
    return date.fromisoformat(value) if value else None


def planned_on(case: Case) -> date | None:
    value = (case.facts or {}).get(PLANNED_ON)
    return date.fromisoformat(value) if value else None


def units_to_plan_for(session: Session, user: User) -> list[Unit]:
    """The communes where the user may register a conference (a handler or head role held there)."""
    ids = {m.unit_id for m in access.memberships(session, user) if m.role in PLANNING_ROLES}
    if not ids:
        return []
    return list(session.scalars(select(Unit).where(Unit.id.in_(ids), Unit.level == "commune", Unit.existing)
                                .order_by(Unit.name)))
