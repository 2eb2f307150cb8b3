"""Key rotation of the parties' identity at rest: re-encrypt with the current key, recompute the lookup hash.

Rotating the encryption key: put the new key first in DVFLOW_IDENTITY_KEYS (the old ones after it, still able to
decrypt), restart, run `dvflow identity rotate-key`, then remove the old keys. Rotating the hash key: set the new
DVFLOW_IDENTITY_HASH_KEY, restart, run the same command (lookups by identity number miss until it has run). Rows are
read and written as raw ciphertext through a table of plain TEXT columns (not the model's EncryptedText, which
would decrypt on read and encrypt again on write), so a row already under the current key and with the current
hash is left untouched: the command is idempotent, and can be stopped and run again.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ... import crypto

ENCRYPTED = ("name", "identity_number", "address", "phone", "email")
BATCH = 500

_parties = sa.table("parties", sa.column("id", sa.Integer), sa.column("identity_hash", sa.String),
                    *(sa.column(c, sa.Text) for c in ENCRYPTED))
#: the users' TOTP secrets are encrypted with the same keys (a credential, not an identity; one rotation for both)
_users = sa.table("users", sa.column("id", sa.Integer), sa.column("totp_secret", sa.Text))


@dataclass
class RotationReport:
    parties: int = 0      # rows examined
    reencrypted: int = 0  # values that were under an older key
    rehashed: int = 0     # identity hashes that were not those of the current hash key
    updated: int = 0      # rows written
    totp_secrets: int = 0  # users' TOTP secrets re-encrypted

    def __str__(self) -> str:
        return (f"{self.parties} parties, {self.reencrypted} values re-encrypted, {self.rehashed} hashes recomputed, "
                f"{self.updated} rows written, {self.totp_secrets} TOTP secrets re-encrypted")


def rotate(session: Session) -> RotationReport:
    """Bring every party to the current encryption key and hash key. IdentityKeyError when a value decrypts with no
    configured key (nothing of that batch is written: the caller's transaction rolls back)."""
    keys = crypto.installed()
    report = RotationReport()
    last = 0
    while True:
        rows = session.execute(sa.select(_parties).where(_parties.c.id > last).order_by(_parties.c.id)
                               .limit(BATCH)).all()
        if not rows:
            _rotate_totp(session, keys.current_id, report)
            return report
        for row in rows:
            _rotate_row(session, row, keys.current_id, report)
        last = rows[-1].id


def _rotate_row(session: Session, row, current_id: str, report: RotationReport) -> None:
    report.parties += 1
    values = {}
    for column in ENCRYPTED:
        stored = getattr(row, column)
        if stored is not None and crypto.key_id_of(stored) != current_id:
            values[column] = crypto.encrypt(crypto.decrypt(stored))
            report.reencrypted += 1
    number = None if row.identity_number is None else crypto.decrypt(row.identity_number)
    digest = crypto.identity_hash(number)
    if digest != row.identity_hash:
        values["identity_hash"] = digest
        report.rehashed += 1
    if values:
        session.execute(_parties.update().where(_parties.c.id == row.id).values(**values))
        report.updated += 1


def _rotate_totp(session: Session, current_id: str, report: RotationReport) -> None:
    for user_id, stored in session.execute(sa.select(_users.c.id, _users.c.totp_secret)
                                           .where(_users.c.totp_secret.is_not(None))).all():
        if crypto.key_id_of(stored) != current_id:
            session.execute(_users.update().where(_users.c.id == user_id)
                            .values(totp_secret=crypto.encrypt(crypto.decrypt(stored))))
            report.totp_secrets += 1


def key_use(session: Session) -> dict[str, int]:
    """How many stored values each key id encrypts (what `rotate-key` left under an old key: none)."""
    counts: dict[str, int] = {}
    columns = [_parties.c[c] for c in ENCRYPTED] + [_users.c.totp_secret]
    for column in columns:
        for (stored,) in session.execute(sa.select(column).where(column.is_not(None))):
            key_id = crypto.key_id_of(stored)
            counts[key_id] = counts.get(key_id, 0) + 1
    return counts
