"""Assigning a case to the officer who handles it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ...models import Case, User
from ...notify import outbox
from ..errors import Conflict, Forbidden, ServiceError
from ..org import access, lifetime
from . import history
from .lookup import load_case_for
from .voiding import refuse_if_voided


def assign(session: Session, user: User, case_id: int, assignee_id: int, now: datetime,
           expected_version: int | None = None) -> Case:
    """A head assigns or reassigns the case; a handler may take an unassigned case for themself. With
    `expected_version` (the version the user's page showed) a case changed meanwhile is a Conflict, so of two
    people assigning at once the second is told instead of silently overriding the first."""
    case = load_case_for(session, user, case_id, lock=True)
    if expected_version is not None and case.version != expected_version:
        raise Conflict("Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại và thử lại.")
    refuse_if_voided(case)
    actor = access.actor_for(session, user, case)
    if not actor.is_head:
        # taking a colleague's case would open its confidential parties to whoever takes it: that is a head's act
        if "handler" not in actor.roles or assignee_id != user.id:
            raise Forbidden("Chỉ thủ trưởng đơn vị giao việc; chuyên viên chỉ có thể tự nhận hồ sơ.")
        if case.assignee_id is not None:
            raise Forbidden("Hồ sơ đã có người xử lý; chỉ thủ trưởng đơn vị mới giao lại cho người khác.")
    # a dissolved unit keeps its closed cases as history; its open ones went to its successor, and are assigned there
    lifetime.refuse_dissolved(session, case.unit_id, "assignee_id")
    assignee = session.get(User, assignee_id)
    if assignee is None or not assignee.active:
        raise ServiceError("Người được giao không tồn tại hoặc đã ngừng hoạt động.", field="assignee_id")
    if not {"handler", "head"} & {m.role for m in assignee.memberships if m.unit_id == case.unit_id}:
        raise ServiceError("Người được giao phải là chuyên viên hoặc thủ trưởng của đơn vị giải quyết.",
                           field="assignee_id")
    previous = case.assignee_id
    case.assignee_id = assignee.id
    history.write(session, [history.event(case.id, "assign", at=now, actor_id=user.id, from_state=case.state,
                                          to_state=case.state,
                                          payload={"from": previous, "to": assignee.id, "name": assignee.full_name,
                                                   "by_head": actor.is_head})])
    session.flush()
    outbox.queue(session, case, ("assignee",), "case_assigned", {}, now)
    return case
