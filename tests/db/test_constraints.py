"""Invariants the database itself enforces, not only Python."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from dvflow.models import (
    Case,
    Clock,
    EscalationRecord,
    Membership,
    Unit,
    User,
    WorkflowVersion,
)

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)


def _unit(session, code="U1"):
    unit = Unit(code=code, name="Đơn vị " + code, level="department")
    session.add(unit)
    session.flush()
    return unit


def _case(session, unit, code):
    if session.get(WorkflowVersion, "h1") is None:
        session.add(WorkflowVersion(hash="h1", workflow_id="complaint_first", source="id: x", created_at=NOW))
    case = Case(tracking_code=code, tracking_secret_hash="s", kind="complaint_first", workflow_id="complaint_first",
                workflow_version="h1", state="received", unit=unit, channel="letter", received_at=NOW,
                subject="Khiếu nại", created_at=NOW, facts={})
    session.add(case)
    session.flush()
    return case


def test_duplicate_tracking_code_rejected(session):
    unit = _unit(session)
    _case(session, unit, "KN-2026-000001")
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            _case(session, unit, "KN-2026-000001")


def test_second_escalation_record_for_same_step_rejected(session):
    case = _case(session, _unit(session), "KN-2026-000002")
    clock = Clock(case_id=case.id, name="resolve", unit="calendar_days", days=30, start_date=date(2026, 11, 2),
                  started_at=NOW, state="running", pauses=[], extensions=[])
    session.add(clock)
    session.flush()
    session.add(EscalationRecord(clock_id=clock.id, step_key="due", due_at=NOW, fired_at=NOW, detail={}))
    session.flush()
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            session.add(EscalationRecord(clock_id=clock.id, step_key="due", due_at=NOW, fired_at=NOW, detail={}))
            session.flush()


def test_unknown_role_rejected_by_database(session):
    unit = _unit(session)
    user = User(username="u1", password_hash="x", created_at=NOW)
    session.add(user)
    session.flush()
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            # raw SQL: the check is the database's, not the ORM's
            session.execute(text("INSERT INTO memberships (user_id, unit_id, role) VALUES (:u, :n, 'mayor')"),
                            {"u": user.id, "n": unit.id})
    session.add(Membership(user_id=user.id, unit_id=unit.id, role="handler"))
    session.flush()


@pytest.mark.parametrize("table,column,value", [
    ("cases", "status", "lost"),
    ("cases", "channel", "pigeon"),
])
def test_unknown_enum_values_rejected(session, table, column, value):
    unit = _unit(session)
    case = _case(session, unit, "KN-2026-000003")
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            session.execute(text(f"UPDATE {table} SET {column} = :v WHERE id = :id"), {"v": value, "id": case.id})


def test_clock_state_checked(session):
    case = _case(session, _unit(session), "KN-2026-000004")
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            session.execute(text(
                "INSERT INTO clocks (case_id, name, label, basis, rule_label, variant, unit, days, start_date, "
                "started_at, state, pauses, extensions, version) VALUES (:c, 'x', '', '', '', 'normal', "
                "'calendar_days', 3, '2026-11-02', '2026-11-02 00:00:00', 'sleeping', '[]', '[]', 1)"),
                {"c": case.id})


def test_utc_datetimes_round_trip_aware(session):
    unit = _unit(session)
    case = _case(session, unit, "KN-2026-000005")
    session.expire_all()
    loaded = session.get(Case, case.id)
    assert loaded.received_at == NOW
    assert loaded.received_at.tzinfo is not None


def test_postgresql_connections_do_not_jit_compile(db_engine, postgres_only):
    """dvflow's queries are too short for PostgreSQL's JIT to pay back its compiling (55 ms of a 107 ms count):
    every connection of dvflow's engine turns it off, and only for itself."""
    with db_engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
        assert conn.exec_driver_sql("SELECT setting FROM pg_settings WHERE name = 'jit'").scalar() == "off"
        # a session setting, not the database's nor the server's: other work on the same server keeps its own
        assert conn.exec_driver_sql("SELECT source FROM pg_settings WHERE name = 'jit'").scalar() == "session"
