"""A wrong key given under a key id already in use (a typo) stops the app from starting, naming the id: it would
otherwise encrypt new identities under that id with a key no configuration can read once the typo is corrected.
Each id's key is recorded (a known value encrypted with it) the first time the app sees the id, so later starts
read one small table; a new id, an empty database, a database not yet migrated all start as before."""
from __future__ import annotations

import base64

import pytest
from factories import NOW
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from config import ConfigError, TestingConfig
from dvflow import crypto, migrate
from dvflow.db import make_engine
from dvflow.models import IdentityKeyCheck, Party
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.identity import key_checks
from dvflow.services.org import accounts

WRONG = "dev1:" + base64.b64encode(b"w" * 32).decode()  # a typo: the id of the testing key, another key
NEW = "new:" + base64.b64encode(b"n" * 32).decode()


def app_with(connection, clock, tmp_path, **config):
    from dvflow import create_app

    return create_app({"ENV": "testing", "DB_BIND": connection, "NOW": clock, "RATELIMIT_ENABLED": False,
                       "UPLOAD_DIR": str(tmp_path), **config})


def register(session, workflows, org, name: str) -> int:
    data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="walk_in", received_at=NOW,
                       subject="Khiếu nại", parties=[PartyInput(role="complainant", name=name),
                                                     PartyInput(role="respondent", name="UBND xã")])
    case = register_case(session, workflows, org["users"]["reception"], data, NOW)
    session.flush()
    return case.parties[0].party_id


def testing_keys() -> None:
    crypto.install_from({k: getattr(TestingConfig, k) for k in ("IDENTITY_KEYS", "IDENTITY_HASH_KEY")})


def known_ids(session) -> set[str]:
    return set(session.scalars(select(IdentityKeyCheck.key_id)))


def test_a_wrong_key_under_an_id_already_in_use_is_refused(connection, clock, tmp_path, session, workflows, org):
    register(session, workflows, org, "Trước Khi Sai")  # stored under dev1, before dev1's key was ever recorded
    with pytest.raises(ConfigError, match="key given under id 'dev1' does not decrypt"):
        app_with(connection, clock, tmp_path, IDENTITY_KEYS=WRONG)
    testing_keys()
    app_with(connection, clock, tmp_path)  # the right key: starts, and records dev1's known value
    assert known_ids(session) == {"dev1"}
    with pytest.raises(ConfigError, match="'dev1'"):
        app_with(connection, clock, tmp_path, IDENTITY_KEYS=f"{NEW},{WRONG}")  # an older key mistyped too


def test_the_recorded_value_alone_decides_once_written(connection, clock, tmp_path, session, org):
    app_with(connection, clock, tmp_path)  # in use, nothing encrypted yet: dev1 is new, its key recorded as given
    assert known_ids(session) == {"dev1"}
    assert session.scalar(select(func.count()).select_from(Party)) == 0
    with pytest.raises(ConfigError, match="'dev1'"):
        app_with(connection, clock, tmp_path, IDENTITY_KEYS=WRONG)


def test_a_new_key_first_and_the_old_one_after_it_start(connection, clock, tmp_path, session, workflows, org):
    crypto_party = register(session, workflows, org, "Lê Văn A")
    app_with(connection, clock, tmp_path, IDENTITY_KEYS=f"{NEW},{TestingConfig.IDENTITY_KEYS}")
    assert known_ids(session) == {"dev1", "new"}
    app_with(connection, clock, tmp_path, IDENTITY_KEYS=f"{NEW},{TestingConfig.IDENTITY_KEYS}")  # and again
    session.expire_all()
    assert session.get(Party, crypto_party).name == "Lê Văn A"


def test_a_database_not_migrated_or_not_created_is_not_checked(tmp_path):
    testing_keys()
    missing = tmp_path / "none" / "dvflow.sqlite3"
    engine = make_engine(f"sqlite:///{missing}")
    key_checks.verify(engine)
    assert not missing.exists()  # not created by the check
    bare = make_engine(f"sqlite:///{tmp_path / 'bare.sqlite3'}")
    with bare.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    key_checks.verify(bare)  # not migrated: `db upgrade` runs in an app too
    migrate.upgrade(bare)
    crypto.install_from({"IDENTITY_KEYS": WRONG, "IDENTITY_HASH_KEY": TestingConfig.IDENTITY_HASH_KEY})
    key_checks.verify(bare)  # migrated and empty (`make run`, or a restore about to fill it): a mistyped key that
    with bare.connect() as conn:  # the restore then refuses is not recorded, so the right one is not refused after it
        assert conn.scalar(select(IdentityKeyCheck.key_id)) is None
    testing_keys()
    with Session(bare) as s, s.begin():
        accounts.create_user(s, "dau-tien", "mat-khau-du-dai-2026", now=NOW)  # the installation is in use now
    key_checks.verify(bare)
    with bare.connect() as conn:
        assert conn.scalar(select(IdentityKeyCheck.key_id)) == "dev1"
    crypto.install_from({"IDENTITY_KEYS": WRONG, "IDENTITY_HASH_KEY": TestingConfig.IDENTITY_HASH_KEY})
    with pytest.raises(crypto.IdentityKeyError, match="'dev1'"):
        key_checks.verify(bare)
    engine.dispose()
    bare.dispose()


def test_a_database_that_refuses_writes_still_starts(tmp_path, monkeypatch):
    """A read-only replica (PostgreSQL answers ReadOnlySqlTransaction, an InternalError, not an OperationalError): the
    new key id is not recorded, the app starts, and the next start checks again."""
    from sqlalchemy.exc import InternalError

    testing_keys()
    engine = make_engine(f"sqlite:///{tmp_path / 'replica.sqlite3'}")
    migrate.upgrade(engine)
    with Session(engine) as s, s.begin():
        accounts.create_user(s, "dau-tien", "mat-khau-du-dai-2026", now=NOW)

    def read_only(*_args, **_kwargs):
        raise InternalError("INSERT INTO identity_key_checks", {}, Exception("cannot execute INSERT in a read-only "
                                                                          "transaction"))

    monkeypatch.setattr(key_checks, "_writing", read_only)
    key_checks.verify(engine)  # no exception
    with engine.connect() as conn:
        assert conn.scalar(select(IdentityKeyCheck.key_id)) is None
    engine.dispose()
