"""The tables as a backup reads and writes them, and their values as JSON that round-trips on either database.

The tables are the models' own (one source of truth for names, columns, dependency order), with one change: an
encrypted column (EncryptedText) is read and written as the plain TEXT it is in the database, so a backup holds the
ciphertext as it is, never a decrypted identity, and a restore writes it back byte for byte (same keys needed).
An instant keeps the models' UTC type, so an SQLite backup (naive UTC) restores into PostgreSQL (timestamptz) as the
same instant.
"""
from __future__ import annotations

import base64
import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Iterable, Iterator, TypeVar

from sqlalchemy import LargeBinary, MetaData, Table, Text
from sqlalchemy.schema import sort_tables_and_constraints

from ...models import Base
from ...models.encrypted import EncryptedText

#: tables that hold no data of their own: the read-mostly cache token (migration 0027 creates its row; the restore's
#: writes move it, which tells every process that the data is new)
NOT_DATA = frozenset({"read_mostly_version"})
#: the most rows a backup or a restore holds at once
PAGE = 1000
#: and the most bytes: a table of file bytes (a document's DOCX and PDF, scorecard evidence of up to 10 MB) would
#: otherwise be held a thousand files at a time
PAGE_BYTES = 8 * 1024 * 1024
T = TypeVar("T")


def portable_tables() -> list[Table]:
    """Every table of the models but NOT_DATA, in foreign-key dependency order (a referenced table before the tables
    that refer to it), with encrypted columns as plain TEXT."""
    metadata = MetaData()
    order = [t for t, _fks in sort_tables_and_constraints(Base.metadata.tables.values())
             if t is not None and t.name not in NOT_DATA]
    tables = []
    for source in order:
        table = source.to_metadata(metadata)
        for column in table.columns:
            if isinstance(column.type, EncryptedText):
                column.type = Text()
        tables.append(table)
    return tables


def self_references(table: Table) -> list[str]:
    """The columns of `table` that point at another row of the same table (a unit's parent, a case's related case):
    a restore writes them after every row is in, since the row pointed at may come later."""
    return [c.name for c in table.columns if any(fk.column.table.name == table.name for fk in c.foreign_keys)]


def blob_columns(table: Table) -> list[str]:
    """The columns of `table` that hold a file's bytes."""
    return [c.name for c in table.columns if isinstance(c.type, LargeBinary)]


def pages(sized: Iterable[tuple[T, int]], budget: int, most: int) -> Iterator[list[T]]:
    """The items of (item, size) pairs in consecutive pages of at most `most` items whose sizes add up to at most
    `budget`; an item larger than the budget is a page of its own."""
    page: list[T] = []
    total = 0
    for item, size in sized:
        if page and (len(page) == most or total + size > budget):
            yield page
            page, total = [], 0
        page.append(item)
        total += size
    if page:
        yield page


PLAIN = {str, int, bool, float}


def encode(value: Any) -> Any:
    """A value as JSON: plain scalars as they are, every other kind tagged {"$t": kind, "v": text} (a JSON column's
    object or list too, so that no stored object is ever mistaken for a tag)."""
    if value is None or type(value) in PLAIN:  # most values: one set look-up
        return value
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime):
        return {"$t": "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {"$t": "date", "v": value.isoformat()}
    if isinstance(value, time):
        return {"$t": "time", "v": value.isoformat()}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$t": "bytes", "v": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Decimal):
        return {"$t": "decimal", "v": str(value)}
    if isinstance(value, (dict, list)):
        return {"$t": "json", "v": value}
    raise TypeError(f"no portable form for {type(value).__name__}")


DECODERS = {
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "bytes": base64.b64decode,
    "decimal": Decimal,
    "json": lambda v: v,
}


def decode(value: Any) -> Any:
    if isinstance(value, dict):
        return DECODERS[value["$t"]](value["v"])
    return value


def row_line(row: dict) -> bytes:
    return (json.dumps({k: encode(v) for k, v in row.items()}, ensure_ascii=False, separators=(",", ":"))
            + "\n").encode("utf-8")


def parse_line(line: bytes) -> dict:
    return {k: decode(v) for k, v in json.loads(line).items()}
