"""Shared pieces of the benchmarks: private databases, a small world of units/users/cases, timing, results.

Every benchmark runs against a database of its own (a temporary SQLite file, or ``dvflow_bench_<pid>`` on the
PostgreSQL server named by ``DVFLOW_BENCH_POSTGRES_URL`` / ``DVFLOW_TEST_POSTGRES_URL``), built by the real Alembic
migrations and dropped at the end.
"""
from __future__ import annotations

import gc
import os
import shutil
import statistics
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from datetime import time as dtime
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import make_url

from .report import (  # noqa: F401  (the benchmarks' results: structured figures)
    Figure,
    Results,
    fmt_rate,
)

ROOT = Path(__file__).resolve().parent.parent
#: the instant every benchmark runs at (Wednesday 25/11/2026, 09:00 in Hà Nội)
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
PASSWORD = "bench-password-1"
#: measurements one benchmark leaves for another in the same run (memory reuses the sweep's and the http's)
MEMO: dict[str, dict] = {}


def postgres_base_url() -> str | None:
    return os.environ.get("DVFLOW_BENCH_POSTGRES_URL") or os.environ.get("DVFLOW_TEST_POSTGRES_URL") or None


# --- databases ------------------------------------------------------------------------------------------------------


@dataclass
class Db:
    kind: str  # sqlite | postgres
    url: str
    engine: object
    sessions: object
    workflows: object
    _cleanup: Callable[[], None] = field(repr=False, default=lambda: None)

    def dispose(self) -> None:
        self.engine.dispose()
        self._cleanup()


def _admin_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)


def _pg_create(url: str) -> None:
    import psycopg

    name = make_url(url).database
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _pg_drop(url: str) -> None:
    import psycopg

    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


_counter = 0


def new_db(kind: str, *, prefix: str = "dvflow_bench", **engine_kw) -> Db:
    """A fresh, migrated database of its own (SQLite temp file or <prefix>_<pid>_<n> on PostgreSQL)."""
    global _counter
    from dvflow import migrate
    from dvflow.db import make_engine, make_session_factory
    from dvflow.workflows import load_registry

    _counter += 1
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix=f"{prefix}_")
        url = f"sqlite:///{folder}/bench.sqlite3"
        cleanup = lambda: shutil.rmtree(folder, ignore_errors=True)  # noqa: E731
    else:
        base = postgres_base_url()
        if not base:
            raise RuntimeError("no PostgreSQL URL (DVFLOW_BENCH_POSTGRES_URL or DVFLOW_TEST_POSTGRES_URL)")
        url = make_url(base).set(database=f"{prefix}_{os.getpid()}_{_counter}").render_as_string(
            hide_password=False)
        _pg_create(url)
        cleanup = lambda: _pg_drop(url)  # noqa: E731
    engine = make_engine(url, **engine_kw)
    _install_identity_keys()
    migrate.upgrade(engine)
    return Db(kind, url, engine, make_session_factory(engine), load_registry(str(ROOT / "workflows")), cleanup)


def _install_identity_keys() -> None:
    """The parties' identity is encrypted as in production (dvflow.crypto), with the testing keys: the benchmarks
    write parties without an app, which is what installs the keys otherwise."""
    from config import TestingConfig
    from dvflow import crypto

    crypto.install_from({k: getattr(TestingConfig, k) for k in ("IDENTITY_KEYS", "IDENTITY_HASH_KEY")})


@contextmanager
def database(kind: str, *, prefix: str = "dvflow_bench", **engine_kw) -> Iterator[Db]:
    db = new_db(kind, prefix=prefix, **engine_kw)
    try:
        yield db
    finally:
        db.dispose()


# --- a small world: two units, a head and a handler, petitions in a chosen state ------------------------------------


@dataclass
class World:
    unit_id: int
    parent_id: int
    head_id: int
    handler_id: int


def make_world(db: Db) -> World:
    from dvflow.services.org import accounts

    with db.sessions() as s:
        parent = accounts.create_unit(s, "TINH", "UBND tỉnh (bench)", level="province")
        unit = accounts.create_unit(s, "SO", "Sở (bench)", parent_code="TINH", level="department")
        head = accounts.create_user(s, "truong", PASSWORD, now=NOW, full_name="Trưởng", email="truong@bench.local")
        handler = accounts.create_user(s, "chuyenvien", PASSWORD, now=NOW, full_name="Chuyên viên",
                                       email="cv@bench.local")
        accounts.grant_role(s, head, unit, "head")
        accounts.grant_role(s, handler, unit, "handler")
        accounts.grant_role(s, handler, unit, "reception")
        s.commit()
        return World(unit.id, parent.id, head.id, handler.id)


def intake_input(world: World, i: int = 0):
    from dvflow.services.cases.intake import IntakeInput, PartyInput

    return IntakeInput(kind="petition", unit_id=world.unit_id, channel="walk_in", received_at=NOW - timedelta(hours=1),
                       subject=f"Kiến nghị sửa đường thôn {i}", content="Nội dung kiến nghị",
                       parties=[PartyInput(role="petitioner", name=f"Nguyễn Văn {i}", identity_number=f"0010{i:08d}",
                                           address="Thôn 2", phone="0912345678")],
                       assignee_id=world.handler_id)


def make_drafting_cases(db: Db, world: World, n: int) -> list[int]:
    """``n`` petitions brought to ``drafting`` through the services (then submit/return cycle forever)."""
    from dvflow.models import User
    from dvflow.services import cases
    from dvflow.services.cases.intake import register_case

    ids = []
    with db.sessions() as s:
        head, handler = s.get(User, world.head_id), s.get(User, world.handler_id)
        for i in range(n):
            case = register_case(s, db.workflows, handler, intake_input(world, i), NOW - timedelta(minutes=50))
            cases.perform(s, db.workflows, head, case.id, "accept",
                               {"reply_date": NOW.date().isoformat(), "reply_form": "written"},
                               NOW - timedelta(minutes=40))
            cases.perform(s, db.workflows, head, case.id, "draft_decision", {}, NOW - timedelta(minutes=30))
            ids.append(case.id)
        s.commit()
    return ids


# --- timing ---------------------------------------------------------------------------------------------------------


def rate(fn: Callable[[int], None], n: int, *, warmup: int = 0, repeats: int = 3) -> float:
    """Median operations per second of ``fn(i)`` called ``n`` times, over ``repeats`` runs after a warm-up."""
    for i in range(warmup):
        fn(i)
    rates = []
    for r in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        for i in range(n):
            fn(i)
        rates.append(n / (time.perf_counter() - t0))
    return statistics.median(rates)


def seconds(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def rss_kb(pid: int | str = "self") -> int:
    """Resident set size (VmRSS) in KiB of a process."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def pct_figure(results: Results, *, name: str, db: str, metric: str, value: float, baseline: float,
               baseline_name: str, target: float | None, unit: str = "/s", **fields) -> Figure:
    """A rate against its baseline: ratio value ÷ baseline (0 when the baseline is 0), target "≥{target:.0%}" (none
    when `target` is None: a figure shown for information)."""
    ratio = value / baseline if baseline else 0.0
    return results.figure(name=name, db=db, metric=metric, value=value, unit=unit, baseline_name=baseline_name,
                          baseline=baseline, ratio=ratio, ratio_unit="%",
                          target=None if target is None else f"≥{target:.0%}",
                          met=None if target is None else ratio >= target, **fields)


def local_day(d: date, hour: int = 9) -> datetime:
    from dvflow.timeutil import TZ

    return datetime.combine(d, dtime(hour), TZ)


# --- round trips ----------------------------------------------------------------------------------------------------


class StatementCounter:
    """Counts the statements an engine sends (SQLAlchemy's ``before_cursor_execute``): one per round trip, BEGIN and
    COMMIT excluded (the DB-API sends those itself; every operation measured here has exactly one of each)."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.engine, self.count, self.statements = engine, 0, []
        self._event = event
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.count += 1
        self.statements.append(" ".join(statement.split())[:120])

    def close(self) -> None:
        self._event.remove(self.engine, "before_cursor_execute", self._seen)


def statements_per_call(engine, fn: Callable[[int], None], n: int = 5, start: int = 10**6) -> tuple[float, list[str]]:
    """Mean statements per call of ``fn(i)`` (BEGIN/COMMIT excluded), over ``n`` warm calls; and the statements of the
    last call (to read what a round trip is for)."""
    for i in range(3):  # warm: the per-process caches are filled as in a running server
        fn(start - 1 - i)
    counter = StatementCounter(engine)
    try:
        last: list[str] = []
        for i in range(n):
            before = len(counter.statements)
            fn(start + 1 + i)
            last = counter.statements[before:]
        return counter.count / n, last
    finally:
        counter.close()


def trips_figure(results: Results, *, name: str, db: str, metric: str, value: float, baseline: float,
                 baseline_name: str) -> Figure:
    """Round trips per operation (statements, BEGIN and COMMIT excluded) against the baseline's, for information."""
    return results.figure(name=name, db=db, metric=metric, value=round(value, 2), unit="", baseline_name=baseline_name,
                          baseline=round(baseline, 2), ratio=value / baseline if baseline else 0.0, ratio_unit="×",
                          target=None, met=None)
