"""Migration 0010 chains the history that existed before it exactly as the history writer chains new rows."""
from __future__ import annotations

from datetime import timedelta

from factories import SERVICE_ORG, make_org
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from dvflow import migrate
from dvflow.db import make_engine
from dvflow.models import CaseEvent
from dvflow.services.audit import keys, verify
from dvflow.services.cases import assign

from .test_history_chain import DAY_1, new_case


def _engine(db_backend, db_url, tmp_path):
    if db_backend == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / 'chain.sqlite3'}")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS chain_migration CASCADE"))
        conn.execute(text("CREATE SCHEMA chain_migration"))
    engine.dispose()
    return make_engine(db_url, connect_args={"options": "-csearch_path=chain_migration"})


def test_existing_history_is_chained_by_the_migration(db_backend, db_url, tmp_path, workflows):
    engine = _engine(db_backend, db_url, tmp_path)
    try:
        migrate.upgrade(engine)
        with Session(engine) as session, session.begin():
            org = make_org(session, **SERVICE_ORG)
            case = new_case(session, workflows, org, DAY_1)
            assign(session, org["users"]["head"], case.id, org["users"]["handler"].id, DAY_1 + timedelta(hours=1))
        with Session(engine) as session:
            written = session.execute(select(CaseEvent.id, CaseEvent.seq, CaseEvent.hash).order_by(CaseEvent.id)).all()
        migrate.downgrade(engine, "0008")  # the history as it was before the chain
        migrate.upgrade(engine)
        with Session(engine) as session:
            rebuilt = session.execute(select(CaseEvent.id, CaseEvent.seq, CaseEvent.hash).order_by(CaseEvent.id)).all()
            assert rebuilt == written and len(written) == 2
            assert verify.verify(session, keys.AuditKeys.load(None)).ok
    finally:
        if db_backend == "postgres":
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS chain_migration CASCADE"))
        engine.dispose()
