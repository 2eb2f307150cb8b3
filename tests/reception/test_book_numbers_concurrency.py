"""Two desks of one unit record a citizen at the same moment, on two real PostgreSQL connections: the book numbers
(STT) are consecutive and distinct (the counter row is locked while a visit is written)."""
from __future__ import annotations

import threading
from datetime import date, time

from factories import NOW
from sqlalchemy.orm import Session

from dvflow.models import ReceptionSession
from dvflow.services.org import accounts
from dvflow.services.reception import visits

from .helpers import visit


def _world(engine) -> tuple[int, list[int]]:
    with Session(engine) as s:
        unit = accounts.create_unit(s, "STNMT", "Sở NN&MT", level="department")
        users = []
        for name in ("desk1", "desk2"):
            user = accounts.create_user(s, name, "password-123", now=NOW)
            accounts.grant_role(s, user, unit, "reception")
            users.append(user.id)
        rs = ReceptionSession(unit_id=unit.id, kind="regular", mode="in_person", day=date(2026, 11, 25),
                              start_time=time(8), end_time=time(11), place="Trụ sở", status="published",
                              created_at=NOW)
        s.add(rs)
        s.commit()
        return rs.id, users


def _record(engine, workflows, rules, user_id, session_id, start: threading.Barrier, out: list) -> None:
    from dvflow.models import User

    with Session(engine) as s:
        user = s.get(User, user_id)
        start.wait(10)
        out.append(visits.record(s, workflows, rules, user, session_id, visit(), NOW).seq)
        s.commit()


def test_two_desks_at_once_get_two_numbers(scratch_engine, workflows, rules):
    session_id, users = _world(scratch_engine)
    start, out = threading.Barrier(2), []
    threads = [threading.Thread(target=_record, args=(scratch_engine, workflows, rules, u, session_id, start, out))
               for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert sorted(out) == [1, 2]
