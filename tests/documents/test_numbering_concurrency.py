"""Two issues in one series at the same time, on two real PostgreSQL connections: consecutive numbers, no gap."""
from __future__ import annotations

import threading

from sqlalchemy.orm import Session

from dvflow.services.documents import numbering
from dvflow.services.org import accounts


def _unit(engine) -> int:
    with Session(engine) as s:
        unit_id = accounts.create_unit(s, "STNMT", "Sở NN&MT", level="department").id
        s.commit()
    return unit_id


def _take(engine, unit_id, results, holding: threading.Event | None, release: threading.Event | None,
          commit: bool = True):
    with Session(engine) as s:
        results.append(numbering.next_number(s, unit_id, "notice_of_acceptance", 2026))
        if holding is not None:
            holding.set()
            release.wait(10)
        s.commit() if commit else s.rollback()


def test_two_concurrent_issues_get_two_consecutive_numbers(scratch_engine):
    unit_id = _unit(scratch_engine)
    first, second = [], []
    holding, release = threading.Event(), threading.Event()
    a = threading.Thread(target=_take, args=(scratch_engine, unit_id, first, holding, release))
    a.start()
    assert holding.wait(10)
    b = threading.Thread(target=_take, args=(scratch_engine, unit_id, second, None, None))
    b.start()
    b.join(0.5)
    assert b.is_alive() and second == []  # waits on the series row the first issue holds
    release.set()
    a.join(10)
    b.join(10)
    assert (first, second) == ([1], [2])


def test_a_rolled_back_issue_gives_its_number_back(scratch_engine):
    unit_id = _unit(scratch_engine)
    first, second = [], []
    holding, release = threading.Event(), threading.Event()
    a = threading.Thread(target=_take, args=(scratch_engine, unit_id, first, holding, release, False))
    a.start()
    assert holding.wait(10)
    b = threading.Thread(target=_take, args=(scratch_engine, unit_id, second, None, None))
    b.start()
    release.set()
    a.join(10)
    b.join(10)
    assert (first, second) == ([1], [1])  # no gap: the failed issue's number is the next one's
    with Session(scratch_engine) as s:
        assert numbering.last_number(s, unit_id, "notice_of_acceptance", 2026) == 1
