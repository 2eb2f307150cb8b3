"""The migration chain builds the schema from nothing, tears it down, and builds it again, on each backend."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect

from dvflow import migrate
from dvflow.db import make_engine
from dvflow.models import Base


def _script_heads() -> set[str]:
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(migrate.alembic_config()).get_heads())


def _tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def _reflected(engine, *names: str) -> tuple:
    """The named tables as the migrated database has them (not as the models do today)."""
    import sqlalchemy as sa

    meta = sa.MetaData()
    return tuple(sa.Table(n, meta, autoload_with=engine) for n in names)


def _filler(instant, day):
    """`minimal(table)`: every required column (not null, not the id) with a value of its type, so that a migration
    test's rows name only the columns the migration reads (a unit and a workflow version: 1, "x")."""
    import sqlalchemy as sa

    by_type = {sa.Integer: 1, sa.String: "x", sa.Text: "x", sa.Boolean: False, sa.DateTime: instant, sa.Date: day,
               sa.JSON: {}}

    def minimal(table) -> dict:
        return {c.name: next(v for t, v in by_type.items() if isinstance(c.type, t))
                for c in table.columns if not c.nullable and c.name != "id"}
    return minimal


def test_upgrade_downgrade_upgrade(db_backend, db_url, tmp_path):
    url = f"sqlite:///{tmp_path / 'mig.sqlite3'}" if db_backend == "sqlite" else db_url
    engine = make_engine(url)
    try:
        if db_backend == "postgres":
            # a schema of its own so the session's shared schema is left alone
            from sqlalchemy import text

            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS migration_test CASCADE"))
                conn.execute(text("CREATE SCHEMA migration_test"))
            engine.dispose()
            engine = make_engine(url, connect_args={"options": "-csearch_path=migration_test"})
        migrate.upgrade(engine)
        assert _tables(engine) == set(Base.metadata.tables)
        assert migrate.current_heads(engine) == _script_heads()
        migrate.downgrade(engine, "base")
        assert _tables(engine) == set()
        migrate.upgrade(engine)
        assert _tables(engine) == set(Base.metadata.tables)
    finally:
        if db_backend == "postgres":
            from sqlalchemy import text

            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS migration_test CASCADE"))
        engine.dispose()


# an expression index (0029's conferences by year) exists on PostgreSQL only, and alembic warns that SQLite cannot
# compare one before the include_object filter below leaves it out there
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_models_match_migrations(db_engine):
    """What the models declare is what the migrations built (no drift between the two)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from dvflow.models.indexes import applies_to

    def include(obj, _name, type_, reflected, _compare_to):  # the trigram indexes exist on PostgreSQL only
        return reflected or type_ != "index" or applies_to(obj, db_engine.dialect.name)

    with db_engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False, "include_object": include})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_the_receipt_secrets_are_hashed_by_the_migration_and_keep_working(tmp_path):
    """0018 replaces each stored secret by its salted hash: the receipts already printed still open the tracking
    page, and the plain secret is gone from the table."""
    from datetime import date, datetime

    import sqlalchemy as sa

    from dvflow.services.cases import tracking

    engine = make_engine(f"sqlite:///{tmp_path / 'secrets.sqlite3'}")
    try:
        migrate.upgrade(engine, "0014")
        minimal = _filler(datetime(2026, 11, 25), date(2026, 11, 25))


        units, versions, cases = _reflected(engine, "units", "workflow_versions", "cases")
        with engine.begin() as conn:
            conn.execute(units.insert().values({**minimal(units), "id": 1, "level": "province"}))
            conn.execute(versions.insert().values(minimal(versions)))
            for n, secret in enumerate(("ABC234", "ZZ9XY8")):
                conn.execute(cases.insert().values({**minimal(cases), "tracking_code": f"KN-2026-00000{n}",
                                                    "status": "open", "channel": "walk_in", "version": 1,
                                                    "tracking_secret": secret}))
        migrate.upgrade(engine)
        with engine.connect() as conn:
            stored = dict(conn.execute(sa.text("SELECT tracking_code, tracking_secret_hash FROM cases")).all())
            assert "tracking_secret" not in {c["name"] for c in sa.inspect(conn).get_columns("cases")}
        assert tracking.secret_matches(stored["KN-2026-000000"], "abc234")
        assert tracking.secret_matches(stored["KN-2026-000001"], "ZZ9XY8")
        assert not tracking.secret_matches(stored["KN-2026-000001"], "ABC234")
    finally:
        engine.dispose()


def test_scorecard_entries_made_before_the_trail_get_theirs(tmp_path):
    """0030 gives each existing entry the trail its row can tell: its submission (with its evidence count), then
    its review when it was reviewed."""
    from datetime import datetime

    import sqlalchemy as sa

    engine = make_engine(f"sqlite:///{tmp_path / 'trail.sqlite3'}")
    try:
        migrate.upgrade(engine, "0029")
        units, entries, evidence = _reflected(engine, "units", "scorecard_entries", "scorecard_evidence")
        at, later = datetime(2026, 3, 1, 2, 0), datetime(2026, 3, 5, 2, 0)
        with engine.begin() as conn:
            conn.execute(units.insert().values(id=1, code="SNN", name="Sở", level="department", remote_area=False,
                                               address="", phone=""))
            common = dict(unit_id=1, year=2026, submitted_at=at, submitted_by_id=None)
            conn.execute(entries.insert().values(id=1, criterion="a", value=2, note="Hai", status="submitted",
                                                 review_note="", **common))
            conn.execute(entries.insert().values(id=2, criterion="b", value=5, note="", status="rejected",
                                                 review_note="Thiếu minh chứng", reviewed_at=later, **common))
            for n in range(2):
                conn.execute(evidence.insert().values(entry_id=1, filename=f"{n}.pdf", content_type="x", size=1,
                                                      sha256="0" * 64, content=b"x", uploaded_at=at))
        migrate.upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT entry_id, action, value, note, files FROM scorecard_entry_events "
                                        "ORDER BY entry_id, id")).all()
        assert [tuple(r) for r in rows] == [(1, "submitted", 2, "Hai", 2), (2, "submitted", 5, "", 0),
                                            (2, "rejected", None, "Thiếu minh chứng", 0)]
    finally:
        engine.dispose()


def test_register_series_keep_the_legacy_numbers_and_the_triggers(tmp_path):
    """0032 numbers documents per series: the documents already issued keep their numbers, duplicates across types
    included (no series: they never collide), the new (unit, year, series, number) is unique, and the SQLite copy of
    `documents` keeps every trigger of 0027."""
    from datetime import date, datetime

    import sqlalchemy as sa

    engine = make_engine(f"sqlite:///{tmp_path / 'series.sqlite3'}")

    def triggers() -> set[str]:
        return _triggers(engine)

    try:
        migrate.upgrade(engine, "0031")
        before = triggers()
        assert before  # 0027's
        now = datetime(2026, 11, 4, 3, 0)
        doc = dict(unit_id=1, case_id=1, status="issued", year=2026, number=1, content=b"x", sha256="0" * 64,
                   action="accept", fields="{}", created_at=now)
        minimal = _filler(now, date(2026, 11, 4))
        units, versions, cases = _reflected(engine, "units", "workflow_versions", "cases")


        with engine.begin() as conn:
            conn.execute(units.insert().values({**minimal(units), "id": 1, "level": "department"}))
            conn.execute(versions.insert().values(minimal(versions)))
            conn.execute(cases.insert().values({**minimal(cases), "id": 1, "tracking_code": "KN-2026-000001",
                                                "status": "open", "channel": "walk_in", "version": 1}))
            insert = sa.text("INSERT INTO documents (unit_id, case_id, type, status, year, number, symbol, "
                             "number_symbol, content, sha256, action, fields, created_at) VALUES (:unit_id, "
                             ":case_id, :type, :status, :year, :number, 'TB-STNMT', '1/TB-STNMT', :content, :sha256, "
                             ":action, :fields, :created_at)")
            for type_ in ("notice_of_acceptance", "notice_of_refusal"):  # the duplicate the type series made
                conn.execute(insert, {**doc, "type": type_})
        migrate.upgrade(engine)
        assert triggers() == before
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT type, number_symbol, series FROM documents ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [("notice_of_acceptance", "1/TB-STNMT", None),
                                            ("notice_of_refusal", "1/TB-STNMT", None)]
        new = sa.text("INSERT INTO documents (unit_id, case_id, type, status, year, number, series, content, sha256, "
                      "action, fields, created_at) VALUES (:unit_id, :case_id, :type, :status, :year, 2, 'TB', "
                      ":content, :sha256, :action, :fields, :created_at)")
        with engine.begin() as conn:
            conn.execute(new, {**doc, "type": "dialogue_notice"})
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(new, {**doc, "type": "notice_of_acceptance"})
        migrate.downgrade(engine, "0031")
        assert triggers() == before
    finally:
        engine.dispose()


def test_overdue_clocks_left_open_on_closed_cases_are_closed_as_missed(tmp_path):
    """0033 closes the clocks the old engine left open (marked missed by the scheduler) on cases already closed, at
    the case's closing instant; an open case's overdue clock stays open (its next step ends it)."""
    from datetime import date, datetime

    import sqlalchemy as sa

    engine = make_engine(f"sqlite:///{tmp_path / 'clocks.sqlite3'}")
    try:
        migrate.upgrade(engine, "0032")
        now, closed_at = datetime(2026, 11, 4, 3, 0), datetime(2026, 12, 8, 2, 0)
        minimal = _filler(now, date(2026, 11, 4))
        units, versions, cases, clocks = _reflected(engine, "units", "workflow_versions", "cases", "clocks")


        with engine.begin() as conn:
            conn.execute(units.insert().values({**minimal(units), "id": 1, "level": "department"}))
            conn.execute(versions.insert().values(minimal(versions)))
            for cid, status, closed in ((1, "closed", closed_at), (2, "open", None)):
                conn.execute(cases.insert().values({**minimal(cases), "id": cid, "tracking_code": f"KN-2026-{cid}",
                                                    "status": status, "closed_at": closed, "channel": "walk_in",
                                                    "version": 1}))
            for cid, state in ((1, "missed"), (2, "missed"), (1, "met")):
                conn.execute(clocks.insert().values({**minimal(clocks), "case_id": cid, "state": state,
                                                     "unit": "working_days", "closed_at": None,
                                                     "next_step_key": "after_3"}))
        migrate.upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT case_id, state, closed_at, next_step_key FROM clocks "
                                        "ORDER BY id")).all()
        assert [(r[0], r[1], r[2] is not None, r[3]) for r in rows] == [
            (1, "missed", True, None), (2, "missed", False, "after_3"), (1, "met", False, "after_3")]
    finally:
        engine.dispose()


def test_admin_events_upgrade_and_downgrade(tmp_path):
    """0034 adds the record of administrators' acts, indexed by instant and by account, and takes it away again;
    the triggers of 0027 are left as they were."""
    import sqlalchemy as sa

    engine = make_engine(f"sqlite:///{tmp_path / 'admin_events.sqlite3'}")

    def triggers() -> set[str]:
        return _triggers(engine)

    try:
        migrate.upgrade(engine, "0033")
        before = triggers()
        assert "admin_events" not in _tables(engine) and before
        migrate.upgrade(engine, "0034")
        assert {ix["name"] for ix in inspect(engine).get_indexes("admin_events")} == {
            "ix_admin_events_at", "ix_admin_events_user_id"}
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO admin_events (at, action, detail) VALUES "
                                 "('2026-12-06 03:00:00', 'unit_created', '{}')"))
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO admin_events (at, action, detail) VALUES "
                                 "('2026-12-06 03:00:00', 'whatever', '{}')"))
        assert triggers() == before
        migrate.downgrade(engine, "0033")
        assert "admin_events" not in _tables(engine) and triggers() == before
        migrate.upgrade(engine)
        assert "admin_events" in _tables(engine)
    finally:
        engine.dispose()


def _triggers(engine) -> set[str]:
    """The names of the SQLite database's read-mostly triggers (0027's must survive every later migration)."""
    import sqlalchemy as sa

    with engine.connect() as conn:
        return set(conn.scalars(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                        "AND name LIKE 'read_mostly%'")))


def test_unit_lifetime_upgrade_and_downgrade(tmp_path):
    """0038 gives units their lifetime and successor (existing units: always existed, still exist) and lets the record
    of administrators' acts hold a dissolution; the SQLite copy of `units` keeps 0027's triggers, so a change of a
    lifetime still moves the read-mostly token. Down again, the units keep their rows and the triggers."""
    import sqlalchemy as sa

    engine = make_engine(f"sqlite:///{tmp_path / 'unit_lifetime.sqlite3'}")

    def token() -> str:
        with engine.connect() as conn:
            return conn.scalar(sa.text("SELECT token FROM read_mostly_version"))

    try:
        migrate.upgrade(engine, "0037")
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO units (id, code, name, level, remote_area) VALUES "
                                 "(1, 'TINH', 'Tỉnh', 'province', false), (2, 'XA-A', 'Xã A', 'commune', false)"))
        before = _triggers(engine)
        migrate.upgrade(engine, "0038")
        assert _triggers(engine) == before
        assert {"active_from", "active_to", "successor_id"} <= {c["name"] for c in inspect(engine).get_columns("units")}
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT code, active_from, active_to, successor_id FROM units ORDER BY id")
                                ).all() == [("TINH", None, None, None), ("XA-A", None, None, None)]
        seen = token()
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE units SET active_to = '2025-06-30', successor_id = 1 WHERE id = 2"))
            conn.execute(sa.text("INSERT INTO admin_events (at, action, detail) VALUES "
                                 "('2026-12-09 03:00:00', 'unit_dissolved', '{}')"))
        assert token() != seen
        for wrong in ("UPDATE units SET successor_id = 1 WHERE id = 1",  # a unit still existing hands nothing on
                      "UPDATE units SET active_from = '2025-07-01' WHERE id = 2"):  # after its last day
            with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
                conn.execute(sa.text(wrong))
        migrate.downgrade(engine, "0037")
        assert _triggers(engine) == before
        assert "successor_id" not in {c["name"] for c in inspect(engine).get_columns("units")}
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM units")) == 2
            assert conn.scalar(sa.text("SELECT count(*) FROM admin_events")) == 0
        migrate.upgrade(engine)
        assert _triggers(engine) == before
    finally:
        engine.dispose()


def test_stopped_clocks_get_the_legal_date_they_stopped_on(db_backend, db_url, tmp_path):
    """0041 gives each stopped clock the legal date of the action recorded at the instant it was closed (a reply
    dated 28/12/2026 entered on 03/01/2027: 28/12), else the local day of that instant (18:00 UTC on 31/12 is 01/01
    in Hanoi); an open clock has none, and the database refuses one without the other. Downgrading takes it away
    and brings back the index by `closed_at`. On both databases: the local day is computed by each one's SQL."""
    from datetime import date, datetime, timezone

    import sqlalchemy as sa

    engine = _own_schema_engine(db_backend, db_url, tmp_path, "closed_on")
    try:
        migrate.upgrade(engine, "0039")
        entered = datetime(2027, 1, 3, 3, 0, tzinfo=timezone.utc)
        late_evening = datetime(2026, 12, 31, 18, 0, tzinfo=timezone.utc)
        minimal = _filler(entered, date(2026, 12, 16))
        units, versions, cases, clocks, events = _reflected(engine, "units", "workflow_versions", "cases", "clocks",
                                                            "case_events")


        with engine.begin() as conn:
            conn.execute(units.insert().values({**minimal(units), "id": 1, "level": "department"}))
            conn.execute(versions.insert().values(minimal(versions)))
            conn.execute(cases.insert().values({**minimal(cases), "id": 1, "tracking_code": "PA-2026-1",
                                                "status": "open", "channel": "walk_in", "version": 1}))
            for seq, (at, legal) in enumerate(((datetime(2026, 12, 16, 3, 0), date(2026, 12, 16)),
                                               (entered, date(2026, 12, 28)), (late_evening, None)), start=1):
                conn.execute(events.insert().values({**minimal(events), "case_id": 1, "seq": seq, "at": at,
                                                     "legal_date": legal, "action": "accept"}))
            for state, closed in (("met", entered), ("cancelled", late_evening), ("running", None)):
                conn.execute(clocks.insert().values({**minimal(clocks), "case_id": 1, "state": state,
                                                     "unit": "working_days", "closed_at": closed}))
        migrate.upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT state, closed_on FROM clocks ORDER BY id")).all()
        assert [(r[0], r[1] and str(r[1])) for r in rows] == [
            ("met", "2026-12-28"), ("cancelled", "2027-01-01"), ("running", None)]
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(sa.text("UPDATE clocks SET closed_at = '2027-01-04 03:00:00' WHERE state = 'running'"))
        indexes = {ix["name"] for ix in inspect(engine).get_indexes("clocks")}
        assert "ix_clocks_closed_on" in indexes and "ix_clocks_closed" not in indexes
        checks = {c["name"] for c in inspect(engine).get_check_constraints("clocks")}
        assert {"ck_clocks_state", "ck_clocks_unit", "ck_clocks_closed_on_with_closed_at"} <= checks
        migrate.downgrade(engine, "0039")
        assert "closed_on" not in {c["name"] for c in inspect(engine).get_columns("clocks")}
        indexes = {ix["name"] for ix in inspect(engine).get_indexes("clocks")}
        assert "ix_clocks_closed" in indexes and "ix_clocks_closed_on" not in indexes
    finally:
        _drop_own_schema(engine, db_backend, "closed_on")


def test_closed_cases_get_the_legal_date_they_ended_on(db_backend, db_url, tmp_path):
    """0043 gives each closed case the legal date of the action recorded at the instant it was closed (a reply dated
    28/12/2026 entered on 03/01/2027: 28/12), else the local day of that instant (18:00 UTC on 31/12 is 01/01 in
    Hanoi); an open case has none, and the database refuses one without the other. The index by `closed_at` gives
    way to one by `closed_on`, and the partial indexes of `cases` survive SQLite's table copy. Downgrading takes it
    away and brings back the index by `closed_at`. On both databases."""
    from datetime import date, datetime, timezone

    import sqlalchemy as sa

    engine = _own_schema_engine(db_backend, db_url, tmp_path, "case_closed_on")
    try:
        migrate.upgrade(engine, "0042")
        entered = datetime(2027, 1, 3, 3, 0, tzinfo=timezone.utc)
        late_evening = datetime(2026, 12, 31, 18, 0, tzinfo=timezone.utc)
        minimal = _filler(entered, date(2026, 12, 16))
        units, versions, cases, events = _reflected(engine, "units", "workflow_versions", "cases", "case_events")


        with engine.begin() as conn:
            conn.execute(units.insert().values({**minimal(units), "id": 1, "level": "department"}))
            conn.execute(versions.insert().values(minimal(versions)))
            for cid, status, closed in ((1, "closed", entered), (2, "closed", late_evening), (3, "open", None)):
                conn.execute(cases.insert().values({**minimal(cases), "id": cid, "tracking_code": f"PA-2026-{cid}",
                                                    "status": status, "channel": "walk_in", "version": 1,
                                                    "closed_at": closed}))
            for seq, (cid, at, legal) in enumerate(((1, datetime(2026, 12, 16, 3, 0), date(2026, 12, 16)),
                                                    (1, entered, date(2026, 12, 28)), (2, late_evening, None)),
                                                   start=1):
                conn.execute(events.insert().values({**minimal(events), "case_id": cid, "seq": seq, "at": at,
                                                     "legal_date": legal, "action": "issue_decision"}))
        partial = _partial_indexes(engine, db_backend)
        migrate.upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, closed_on FROM cases ORDER BY id")).all()
        assert [(r[0], r[1] and str(r[1])) for r in rows] == [(1, "2026-12-28"), (2, "2027-01-01"), (3, None)]
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(sa.text("UPDATE cases SET closed_at = '2027-01-04 03:00:00' WHERE id = 3"))
        indexes = {ix["name"] for ix in inspect(engine).get_indexes("cases")}
        assert "ix_cases_closed_on" in indexes and "ix_cases_closed" not in indexes
        assert _partial_indexes(engine, db_backend) == partial and partial
        checks = {c["name"] for c in inspect(engine).get_check_constraints("cases")}
        assert {"ck_cases_status", "ck_cases_channel", "ck_cases_closed_on_with_closed_at"} <= checks
        migrate.downgrade(engine, "0042")
        assert "closed_on" not in {c["name"] for c in inspect(engine).get_columns("cases")}
        indexes = {ix["name"] for ix in inspect(engine).get_indexes("cases")}
        assert "ix_cases_closed" in indexes and "ix_cases_closed_on" not in indexes
        assert _partial_indexes(engine, db_backend) == partial
    finally:
        _drop_own_schema(engine, db_backend, "case_closed_on")


def _partial_indexes(engine, db_backend) -> dict:
    """The partial indexes of `cases` and their WHERE, as the database keeps them."""
    import sqlalchemy as sa

    sql = ("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'cases' AND sql LIKE '%WHERE%'"
           if db_backend == "sqlite" else
           "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases' AND indexdef LIKE '%WHERE%' "
           "AND schemaname = current_schema()")
    with engine.connect() as conn:
        return dict(conn.execute(sa.text(sql)).all())


def _own_schema_engine(db_backend, db_url, tmp_path, name: str):
    """A database of the test's own: a file on SQLite, a schema `mig_<name>` on PostgreSQL (the session's shared
    schema is left alone)."""
    from sqlalchemy import text

    if db_backend == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / (name + '.sqlite3')}")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS mig_{name} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA mig_{name}"))
    engine.dispose()
    return make_engine(db_url, connect_args={"options": f"-csearch_path=mig_{name}"})


def _drop_own_schema(engine, db_backend, name: str) -> None:
    from sqlalchemy import text

    if db_backend == "postgres":
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS mig_{name} CASCADE"))
    engine.dispose()


def test_case_unit_moves_are_read_back_from_the_merger_events(db_backend, db_url, tmp_path, workflows):
    """0040 fills case_unit_moves from the `reassign` events a merger wrote before it (reason "merger"; an
    escalation's are left out): down to 0039 and up again, the moves are those the merger recorded."""
    from datetime import date

    from factories import NOW, SERVICE_ORG, make_org
    from reports.fixtures import World, local
    from sqlalchemy import select, text
    from sqlalchemy.orm import Session

    from dvflow.models import CaseEvent, CaseUnitMove
    from dvflow.services.org import accounts
    from dvflow.services.org.units import dissolve_unit

    url = f"sqlite:///{tmp_path / 'moves.sqlite3'}" if db_backend == "sqlite" else db_url
    engine = make_engine(url)
    schema = db_backend == "postgres"
    try:
        if schema:
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS moves_test CASCADE"))
                conn.execute(text("CREATE SCHEMA moves_test"))
            engine.dispose()
            engine = make_engine(url, connect_args={"options": "-csearch_path=moves_test"})
        migrate.upgrade(engine)
        columns = (CaseUnitMove.case_id, CaseUnitMove.from_unit_id, CaseUnitMove.to_unit_id, CaseUnitMove.moved_at,
                   CaseUnitMove.moved_on, CaseUnitMove.reason)
        with Session(engine) as session:
            org = make_org(session, **SERVICE_ORG)
            accounts.create_unit(session, "XA-MOI", "Xã Mới", parent_code="TINH", level="commune",
                                 active_from=date(2026, 7, 1))
            moved = World(session, workflows, org).case("petition", local(date(2026, 4, 10)), unit="remote")
            escalated = CaseEvent(case_id=moved.id, at=NOW, action="reassign", seq=999, hash="0" * 64,
                                  payload={"reason": "escalation", "from_unit": org["remote"].id,
                                           "to_unit": org["province"].id})
            session.add(escalated)
            dissolve_unit(session, None, "XA-XA", date(2026, 7, 1), "XA-MOI", NOW)
            session.commit()
            recorded = session.execute(select(*columns)).all()
        assert len(recorded) == 1 and recorded[0].moved_on == date(2026, 7, 1)
        migrate.downgrade(engine, "0039")
        assert "case_unit_moves" not in _tables(engine)
        migrate.upgrade(engine)
        with Session(engine) as session:
            assert session.execute(select(*columns)).all() == recorded
    finally:
        if schema:
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS moves_test CASCADE"))
        engine.dispose()
