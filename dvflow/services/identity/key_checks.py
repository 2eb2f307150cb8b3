"""The start-up check that each configured identity key is the key its id has always named.

A key id names one key for good: the values encrypted under it say only the id. Were another key given under that id
(a typo, a key generated again), the app would start, encrypt new identities with it under the old id, and those
would become unreadable once the key is corrected (two keys cannot share an id). So when the app starts, each key id
of DVFLOW_IDENTITY_KEYS must decrypt a value stored under that id:

* the id's known value in `identity_key_checks`, one row per id: one small query for all ids at each start;
* for an id without one yet (its first start, or a database made before the table), one stored identity under that
  id, newest first (a single row per id, looked for once: the id's known value is written next, so later starts
  read only the table). An id nothing is stored under yet is new: its key is recorded as given, once the
  installation is in use (it has users: never the empty database a restore is about to fill).

Skipped, with nothing written, where there is nothing to check against: a database not reachable at start, not yet
migrated (`db upgrade` itself runs in the app), or an SQLite file not created yet.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, insert, inspect, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from ... import crypto
from ...db import READ_ONLY
from ...models import IdentityKeyCheck, User
from ...timeutil import utcnow
from .rotation import encrypted_tables

log = logging.getLogger(__name__)

CHECK_TEXT = "dvflow identity key check"
_checks = IdentityKeyCheck.__table__


def verify(bind, now: datetime | None = None) -> None:
    """Check every configured key id against the database (`bind`: the app's engine, or a test's connection);
    IdentityKeyError naming the id when its key does not decrypt what is stored under it."""
    if not _database_exists(bind):
        return
    try:
        with _reading(bind) as conn:
            if not inspect(conn).has_table(_checks.name):
                return
            known = dict(conn.execute(select(_checks.c.key_id, _checks.c.value)).all())
            configured = [key_id for key_id, _cipher in crypto.installed().ciphers]
            new = [key_id for key_id in configured if key_id not in known]
            # asked only when there is a new id to record: every later start reads the checks table alone
            in_use = bool(new) and conn.scalar(select(User.id).limit(1)) is not None
            for key_id in known.keys() & set(configured):
                _check(known[key_id], key_id)
            for key_id in new:
                sample = _stored_under(conn, key_id)
                if sample is not None:
                    _check(sample, key_id)
    except OperationalError as exc:  # the database is down: the requests will say so; nothing to check against
        log.warning("identity keys not checked against the database: %s", exc)
        return
    if new and in_use:  # an installation nobody uses yet (the empty database a restore fills) records nothing: a
        # mistyped key refused by the restore would otherwise be recorded, and the right one refused after it
        _record(bind, new, now or utcnow())


def _check(stored: str, key_id: str) -> None:
    try:
        crypto.decrypt(stored)  # AES-GCM authenticates: another key fails, it never reads garbage
    except crypto.IdentityKeyError as exc:
        raise crypto.IdentityKeyError(
            f"DVFLOW_IDENTITY_KEYS: the key given under id {key_id!r} does not decrypt the values stored under that "
            f"id: it is not the key they were encrypted with (a typo, or a new key given an id already in use). Give "
            f"the original key under {key_id!r}; a new key takes a new id, first in the list, the old one after it, "
            f"then run identity rotate-key") from exc


def _stored_under(conn, key_id: str) -> str | None:
    """One stored identity encrypted under `key_id`, the newest of the first table that holds one; None if none."""
    pattern = f"{crypto.VERSION}:{key_id}:".replace("_", "\\_") + "%"  # an id may hold "_", a LIKE wildcard
    for spec in encrypted_tables():
        t = spec.table
        for name in spec.encrypted:
            value = conn.scalar(select(t.c[name]).where(t.c[name].like(pattern, escape="\\"))
                                .order_by(t.c.id.desc()).limit(1))
            if value is not None:
                return value
    return None


def _record(bind, key_ids: list[str], now: datetime) -> None:
    """Write each new id's known value. Another process starting at the same moment may write it first: its row is
    then read back and checked instead."""
    for key_id in key_ids:
        try:
            with _writing(bind) as conn:
                conn.execute(insert(_checks).values(key_id=key_id, value=crypto.encrypt(CHECK_TEXT, key_id),
                                                    created_at=now))
        except IntegrityError:
            with _reading(bind) as conn:
                _check(conn.scalar(select(_checks.c.value).where(_checks.c.key_id == key_id)), key_id)
        except DBAPIError as exc:  # a read-only replica (PostgreSQL: ReadOnlySqlTransaction, an InternalError), a
            # database gone: the app still starts, and the key is checked again at the next start
            log.warning("identity key %r not recorded: %s", key_id, exc)


def _database_exists(bind) -> bool:
    """False for an SQLite file not created yet (connecting would create it)."""
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite":
        return True
    database = bind.url.database
    return not database or database == ":memory:" or Path(database).exists()


@contextmanager
def _reading(bind):
    """A connection that reads (on SQLite, a plain BEGIN: no write lock taken at start)."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            yield conn.execution_options(**{READ_ONLY: True})
    else:  # a test's connection: inside its transaction, which a failure here must not end
        with bind.begin_nested():
            yield bind


@contextmanager
def _writing(bind):
    if isinstance(bind, Engine):
        with bind.begin() as conn:
            yield conn
    else:
        with bind.begin_nested():
            yield bind
