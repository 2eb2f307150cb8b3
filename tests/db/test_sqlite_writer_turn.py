"""SQLite writers in one process take turns on a lock (dvflow.db.WriterTurn): nobody loses a write, every way a
transaction can end gives the turn back, and read-only transactions never wait for it."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from dvflow.db import READ_ONLY, make_engine

BUSY = 2  # seconds: a turn that was never given back fails a test in 2 s instead of 30


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/turns.sqlite3", busy_seconds=BUSY)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    yield engine
    engine.dispose()


def _count(engine) -> int:
    with engine.begin() as conn:
        return conn.execute(text("SELECT count(*) FROM t")).scalar_one()


def test_concurrent_writers_all_land(engine):
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            for _ in range(40):
                with engine.begin() as conn:
                    conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": i})
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and _count(engine) == 160


def test_every_way_a_transaction_ends_gives_the_turn_back(engine):
    with engine.connect() as conn:  # explicit rollback
        conn.execute(text("INSERT INTO t VALUES (1)"))
        conn.rollback()
    with pytest.raises(OperationalError):  # a failing statement inside engine.begin()
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO missing VALUES (1)"))
    with engine.connect() as conn:  # closed with the transaction still open
        conn.begin()
        conn.execute(text("INSERT INTO t VALUES (2)"))
    conn = engine.connect()  # invalidated mid-transaction (a lost connection)
    trans = conn.begin()
    conn.execute(text("INSERT INTO t VALUES (3)"))
    conn.invalidate()
    trans.rollback()
    conn.close()
    done = []
    worker = threading.Thread(target=lambda: done.append(_count(engine)))  # another thread gets its turn at once
    worker.start()
    worker.join()
    assert done == [0]


def test_a_reader_does_not_wait_for_the_writers_turn(engine):
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (2)"))
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(10)
        with engine.execution_options(**{READ_ONLY: True}).connect() as conn:
            with conn.begin():
                assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == 1  # the committed snapshot
        with pytest.raises(OperationalError, match="database is locked"):  # a second writer waits, then gives up
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO t VALUES (3)"))
    finally:
        release.set()
        thread.join()
    assert _count(engine) == 2
