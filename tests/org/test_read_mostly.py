"""Read-mostly data cached per process (dvflow.read_mostly): never stale after a change by another process.

Two "processes" share one database, each with its own process cache (read_mostly.PROCESS swapped) and its own
workflow registry. These tests commit for real, so they use a database of their own (a SQLite file, or a private
PostgreSQL database), created and dropped here.
"""
from __future__ import annotations

import re
import uuid
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from conftest import (
    drop_postgres_database,
    ensure_postgres_database,
    private_postgres_url,
)
from factories import NOW, PASSWORD
from sqlalchemy import event, make_url, text
from sqlalchemy.orm import Session

from dvflow import migrate, read_mostly
from dvflow.db import make_engine
from dvflow.models import Case, User, WorkflowVersion
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.deadlines.calendar import load_calendar, set_override
from dvflow.services.org import access, accounts

CACHED_TABLES = ("units", "memberships", "calendar_overrides", "workflow_versions", "read_mostly_version")
#: a Tuesday, a working day unless overridden
DAY = date(2026, 12, 1)


@pytest.fixture
def database(db_backend, tmp_path):
    if db_backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'read_mostly.sqlite3'}"
    else:
        url = make_url(private_postgres_url()).set(
            database=f"{make_url(private_postgres_url()).database}_rm_{uuid.uuid4().hex[:8]}").render_as_string(
            hide_password=False)
        ensure_postgres_database(url)
    engines = [make_engine(url), make_engine(url)]
    migrate.upgrade(engines[0])
    try:
        yield engines
    finally:
        for engine in engines:
            engine.dispose()
        if db_backend == "postgres":
            drop_postgres_database(url)


@pytest.fixture
def processes(database, monkeypatch, workflows):
    from config import ROOT
    from dvflow.workflows import load_registry

    caches = [read_mostly.ProcessCache(), read_mostly.ProcessCache()]
    registries = [workflows, load_registry(str(ROOT / "workflows"))]

    @contextmanager
    def run(which: int):
        """A transaction of process `which` (0 or 1), committed at the end."""
        monkeypatch.setattr(read_mostly, "PROCESS", caches[which])
        with Session(database[which], expire_on_commit=False) as session:
            session.info["registry"] = registries[which]
            yield session
            session.commit()

    return run


@contextmanager
def statements(session: Session):
    seen: list[str] = []
    engine = session.get_bind().engine

    def listen(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def touched(seen: list[str], tables=CACHED_TABLES) -> list[str]:
    """The statements that read or write one of `tables` (a join to units for a case's name does not count)."""
    pattern = re.compile(r"\b(FROM|INTO|UPDATE|DELETE FROM) (" + "|".join(tables) + r")\b")
    return [s for s in seen if pattern.search(s)]


def make_world(run) -> dict:
    with run(0) as s:
        province = accounts.create_unit(s, "TINH", "UBND tỉnh", level="province")
        dept = accounts.create_unit(s, "SO", "Sở", parent_code="TINH")
        head = accounts.create_user(s, "truong", PASSWORD, now=NOW, full_name="Trưởng", email="truong@example.test")
        handler = accounts.create_user(s, "cv", PASSWORD, now=NOW, full_name="Chuyên viên", email="cv@example.test")
        accounts.grant_role(s, head, province, "head")
        accounts.grant_role(s, handler, dept, "handler")
        return {"province": province.id, "dept": dept.id, "head": head.id, "handler": handler.id}


def test_a_calendar_override_set_by_one_process_is_seen_by_the_others_next_transaction(processes):
    run = processes
    with run(0) as s:
        assert load_calendar(s).is_working_day(DAY)
    with run(0) as s:
        cached = load_calendar(s)
    with run(0) as s:
        assert load_calendar(s) is cached  # unchanged: served from the process's cache
    with run(1) as s:
        set_override(s, s.info["registry"], day=DAY, kind="off", note="Nghỉ bù", now=NOW)
    with run(0) as s:
        assert not load_calendar(s).is_working_day(DAY)


def test_a_unit_and_a_role_added_by_one_process_are_seen_by_the_others_next_transaction(processes):
    run = processes
    world = make_world(run)
    with run(0) as s:
        head = s.get(User, world["head"])
        assert access.visible_unit_ids(s, head) == {world["province"], world["dept"]}
        assert access.memberships(s, s.get(User, world["handler"])) == [(world["dept"], "handler")]
    with run(1) as s:
        commune = accounts.create_unit(s, "XA", "UBND xã", parent_code="SO", level="commune")
        accounts.grant_role(s, s.get(User, world["handler"]), commune, "reception")
        commune_id = commune.id
    with run(0) as s:
        head = s.get(User, world["head"])
        assert access.visible_unit_ids(s, head) == {world["province"], world["dept"], commune_id}
        assert sorted(access.memberships(s, s.get(User, world["handler"]))) == sorted(
            [(world["dept"], "handler"), (commune_id, "reception")])


def test_a_workflow_version_deleted_by_another_process_is_stored_again(processes):
    run = processes
    world = make_world(run)
    with run(0) as s:
        registry = s.info["registry"]
        defn = registry.latest("petition")
        registry.ensure_stored(s, defn, NOW)
    with run(0) as s:  # the first transaction under the new token loads which versions are stored
        s.info["registry"].ensure_stored(s, defn, NOW)
    with run(0) as s:
        with statements(s) as seen:
            s.info["registry"].ensure_stored(s, defn, NOW)
        assert touched(seen, ("workflow_versions",)) == []  # known stored: no statement on the table
    with run(1) as s:  # plain SQL, not a service: the trigger moves the token all the same
        s.execute(text("DELETE FROM workflow_versions WHERE hash = :h"), {"h": defn.version})
    with run(0) as s:
        s.info["registry"].ensure_stored(s, defn, NOW)
    with run(1) as s:
        assert s.get(WorkflowVersion, defn.version) is not None
    assert world


def test_a_rolled_back_change_is_never_served_from_the_cache(processes):
    run = processes
    world = make_world(run)
    with run(0) as s:
        accounts.create_unit(s, "TAM", "Đơn vị tạm", parent_code="SO")
        assert len(access.visible_unit_ids(s, s.get(User, world["head"]))) == 3  # its own change, uncommitted
        s.rollback()
    with run(0) as s:
        assert access.visible_unit_ids(s, s.get(User, world["head"])) == {world["province"], world["dept"]}


def _intake(world, i: int) -> IntakeInput:
    return IntakeInput(kind="petition", unit_id=world["dept"], channel="walk_in", received_at=NOW - timedelta(hours=1),
                       subject=f"Kiến nghị {i}", parties=[PartyInput(role="petitioner", name=f"Nguyễn Văn {i}")])


def test_a_warm_intake_and_action_read_no_cached_table_but_the_token(processes):
    from dvflow.services import cases

    run = processes
    world = make_world(run)
    for i in range(2):  # the first stores the workflow version (a new token), the second caches under it
        with run(0) as s:
            register_case(s, s.info["registry"], s.get(User, world["handler"]), _intake(world, 10 + i), NOW)
    with run(0) as s:
        handler = s.get(User, world["handler"])
        with statements(s) as seen:
            case = register_case(s, s.info["registry"], handler, _intake(world, 1), NOW)
        # the token, and the unit's row held against a dissolution running meanwhile (services.org.lifetime.hold):
        # a lock, not a cache miss
        token, held = touched(seen)
        assert token == next(x for x in seen if "read_mostly_version" in x)
        assert held.startswith("SELECT units.active_to")
        case_id = case.id
    with run(0) as s:
        head = s.get(User, world["head"])
        with statements(s) as seen:
            cases.perform(s, s.info["registry"], head, case_id, "accept",
                          {"reply_date": NOW.date().isoformat(), "reply_form": "written"}, NOW)
        # the token rides on the statement that locks the case
        assert touched(seen, CACHED_TABLES[:-1]) == []
        assert len(touched(seen)) == 1 and "FROM cases" in touched(seen)[0]
        assert s.get(Case, case_id).state != "received"


def test_every_cached_table_moves_the_token_at_the_newest_revision(database):
    """A later migration that rebuilds a table (SQLite's batch mode) drops its triggers: this names the table."""
    engine = database[0]
    if engine.dialect.name == "sqlite":
        sql = "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'read_mostly_%'"
    else:
        sql = ("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
               "WHERE t.tgname LIKE 'read_mostly_%' AND NOT t.tgisinternal")
    with engine.connect() as conn:
        tables = {row[0] for row in conn.execute(text(sql))}
    assert tables == set(CACHED_TABLES[:-1]) | {"users"}


def test_a_user_deactivated_by_another_process_is_no_longer_notified(processes):
    from dvflow.notify import outbox

    run = processes
    world = make_world(run)
    with run(0) as s:
        case = register_case(s, s.info["registry"], s.get(User, world["handler"]), _intake(world, 0), NOW)
        case_id = case.id
    with run(0) as s:
        assert [u.id for u in outbox.resolve_recipients(s, s.get(Case, case_id), ["parent_head"])] == [world["head"]]
    with run(1) as s:
        s.get(User, world["head"]).active = False
    with run(0) as s:
        assert outbox.resolve_recipients(s, s.get(Case, case_id), ["parent_head"]) == []
