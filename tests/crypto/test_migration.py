"""Migration 0015 encrypts the parties that existed before it in place, with their identity hash, and takes a hidden
party's search name away; its downgrade gives the plaintext back."""
from __future__ import annotations

from factories import NOW, make_org
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from dvflow import crypto, migrate
from dvflow.db import make_engine
from dvflow.models import Party
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case

SCHEMA = "identity_migration"


def _engine(db_backend, db_url, tmp_path):
    if db_backend == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / 'identity.sqlite3'}")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()
    return make_engine(db_url, connect_args={"options": f"-csearch_path={SCHEMA}"})


def _raw(engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        return {r.role: r[1:] for r in conn.execute(text(
            "SELECT cp.role, p.name, p.name_search, p.identity_number, p.phone FROM parties p "
            "JOIN case_parties cp ON cp.party_id = p.id"))}


def test_existing_parties_are_encrypted_by_the_upgrade_and_decrypted_by_the_downgrade(db_backend, db_url, tmp_path,
                                                                                      workflows):
    engine = _engine(db_backend, db_url, tmp_path)
    try:
        migrate.upgrade(engine)
        with Session(engine) as session, session.begin():
            org = make_org(session, units=("province", "dept"), users=("reception",))
            register_case(session, workflows, org["users"]["reception"], IntakeInput(
                kind="denunciation", unit_id=org["dept"].id, channel="walk_in", received_at=NOW, subject="Tố cáo",
                parties=[PartyInput(role="denouncer", name="Quách Thị Kín", identity_number="079188054321",
                                    phone="0987654321"),
                         PartyInput(role="accused", name="Ông Bị Tố", identity_number="001075000111")]), NOW)
        migrate.downgrade(engine, "0014")  # the parties as they were stored before encryption
        assert _raw(engine) == {
            "denouncer": ("Quách Thị Kín", "quach thi kin", "079188054321", "0987654321"),
            "accused": ("Ông Bị Tố", "ong bi to", "001075000111", None)}
        migrate.upgrade(engine)
        raw = _raw(engine)
        assert raw["denouncer"][1] == "" and raw["accused"][1] == "ong bi to"
        assert all(v.startswith("e1:dev1:") for row in raw.values() for v in (row[0], row[2]))
        with Session(engine) as session:
            parties = {p.name: p for p in session.scalars(select(Party))}
            assert parties["Quách Thị Kín"].identity_number == "079188054321"
            assert parties["Quách Thị Kín"].phone == "0987654321"
            assert parties["Ông Bị Tố"].identity_hash == crypto.identity_hash("001075000111")
    finally:
        if db_backend == "postgres":
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        engine.dispose()
