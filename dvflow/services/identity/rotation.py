"""Key rotation of the identity at rest: re-encrypt every encrypted value with the current key, recompute every keyed
identity hash with the current hash key.

Which values: every column of the models whose type is EncryptedText (`encrypted_tables`, read from the models'
metadata as the backup does), so a table that gains one is rotated without a change here: the parties, the
reception's visits and bookings, the users' TOTP secrets. Which hashes: every `identity_hash` beside an encrypted
`identity_number` (the parties, the reception's visits). The receipts' tracking-secret digests cannot be recomputed
(the secret is never stored): the hash key that made them stays configured after the new one (crypto, tracking).

Rotating the encryption key: put the new key first in DVFLOW_IDENTITY_KEYS (the old ones after it, still able to
decrypt), restart, run `dvflow identity rotate-key`, then remove the old keys once it reports no value under them.
Rotating the hash key: put the new key first in DVFLOW_IDENTITY_HASH_KEYS (the old ones after it), restart, run the
same command (lookups by identity number miss until it has run). Rows are read and written as raw ciphertext through
tables of plain TEXT columns (not the model's EncryptedText, which would decrypt on read and encrypt again on write),
so a row already under the current key and with the current hash is left untouched: the command is idempotent.

One transaction, read in pages of BATCH rows (memory stays flat): all or nothing. A value that no configured key
decrypts stops it with nothing written, so the keys the report lists are exactly those the database then holds, and
removing an old key on its word is safe. Batches committed one by one would be resumable, but a failure half-way
would leave the database under two keys with a report that no longer describes it; since the command is
idempotent, a run that fails is simply run again once the key is supplied.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ... import crypto
from ...models import Base
from ...models.encrypted import EncryptedText

BATCH = 500
#: a keyed hash column, and the encrypted column it is the hash of
HASHED = {"identity_hash": "identity_number"}


@dataclass(frozen=True)
class EncryptedTable:
    table: sa.TableClause  # the table as plain columns: id, the encrypted ones, their hashes
    encrypted: tuple[str, ...]
    hashes: tuple[tuple[str, str], ...]  # (hash column, encrypted column)


def encrypted_tables() -> list[EncryptedTable]:
    """Every table of the models with an EncryptedText column, with its encrypted and hash columns."""
    out = []
    for source in Base.metadata.sorted_tables:
        encrypted = tuple(c.name for c in source.columns if isinstance(c.type, EncryptedText))
        if not encrypted:
            continue
        hashes = tuple((h, e) for h, e in HASHED.items() if h in source.columns and e in encrypted)
        columns = [sa.column("id", sa.Integer), *(sa.column(c, sa.Text) for c in encrypted),
                   *(sa.column(h, sa.String) for h, _e in hashes)]
        out.append(EncryptedTable(sa.table(source.name, *columns), encrypted, hashes))
    return out


@dataclass
class RotationReport:
    rows: dict[str, int] = field(default_factory=dict)     # rows examined, by table
    written: dict[str, int] = field(default_factory=dict)  # rows rewritten, by table
    reencrypted: int = 0  # values that were under an older key
    rehashed: int = 0     # identity hashes that were not those of the current hash key

    @property
    def updated(self) -> int:
        return sum(self.written.values())

    @property
    def parties(self) -> int:
        return self.rows.get("parties", 0)

    @property
    def totp_secrets(self) -> int:
        """Users rewritten: a user's only encrypted value is the TOTP secret."""
        return self.written.get("users", 0)

    def __str__(self) -> str:
        return (f"{sum(self.rows.values())} rows, {self.reencrypted} values re-encrypted, {self.rehashed} hashes "
                f"recomputed, {self.updated} rows written")


def rotate(session: Session) -> RotationReport:
    """Bring every encrypted value to the current encryption key and every identity hash to the current hash key.
    IdentityKeyError when a value decrypts with no configured key (the caller's transaction then rolls back whole)."""
    current_id = crypto.installed().current_id
    report = RotationReport()
    for spec in encrypted_tables():
        report.rows.setdefault(spec.table.name, 0)
        for row in _pages(session, spec):
            _rotate_row(session, spec, row, current_id, report)
    return report


def _pages(session: Session, spec: EncryptedTable):
    """The table's rows in id order, BATCH at a time (each page read after the previous one is written)."""
    t, last = spec.table, 0
    while True:
        rows = session.execute(sa.select(t).where(t.c.id > last).order_by(t.c.id).limit(BATCH)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def _rotate_row(session: Session, spec: EncryptedTable, row, current_id: str, report: RotationReport) -> None:
    name = spec.table.name
    report.rows[name] += 1
    values = {}
    for column in spec.encrypted:
        stored = getattr(row, column)
        if stored is not None and crypto.key_id_of(stored) != current_id:
            values[column] = crypto.encrypt(crypto.decrypt(stored))
            report.reencrypted += 1
    for hash_column, source in spec.hashes:
        stored = getattr(row, source)
        digest = crypto.identity_hash(None if stored is None else crypto.decrypt(stored))
        if digest != getattr(row, hash_column):
            values[hash_column] = digest
            report.rehashed += 1
    if values:
        session.execute(spec.table.update().where(spec.table.c.id == row.id).values(**values))
        report.written[name] = report.written.get(name, 0) + 1


def key_use(session: Session) -> dict[str, int]:
    """How many stored values each key id encrypts, over every encrypted column (what `rotate-key` left under an
    old key: none)."""
    counts: dict[str, int] = {}
    for spec in encrypted_tables():
        for name in spec.encrypted:
            column = spec.table.c[name]
            rows = session.execute(sa.select(column).where(column.is_not(None)).execution_options(yield_per=2000))
            for (stored,) in rows:
                key_id = crypto.key_id_of(stored)
                counts[key_id] = counts.get(key_id, 0) + 1
    return counts
