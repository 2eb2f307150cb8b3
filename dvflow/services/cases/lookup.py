"""Finding a case the user may see: one rule for every page, API call and use case."""
from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from ...models import Case, User
from ..errors import NotFound
from ..org import access

# Hot statements are built once: building and cache-keying a statement costs more than running it on SQLite.
_CASE = select(Case).where(Case.id == bindparam("case_id")).options(joinedload(Case.unit, innerjoin=True))
_CASE_LOCKED = _CASE.with_for_update(of=Case)


def load_case_for(session: Session, user: User, case_id: int, *, lock: bool = False) -> Case:
    """The case if the user may see it; 404 otherwise (a case of another unit is not revealed to exist)."""
    case = session.scalar(_CASE_LOCKED if lock else _CASE, {"case_id": case_id})
    if case is None or not access.can_see(session, user, case):
        raise NotFound("Không tìm thấy hồ sơ.")
    return case
