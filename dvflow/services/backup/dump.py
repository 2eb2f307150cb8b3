"""Write a backup: the database and the case files together in one tar.gz.

Members, in this order: `tables/NNN-<table>.jsonl` (one JSON object per row, the tables in foreign-key dependency
order, each read in pages, never whole: of PAGE rows, and for a table of file bytes of at most PAGE_BYTES),
`files/<key>` (every file of the storage, local folder or S3 bucket) and last `manifest.json` (format version,
Alembic revision, created_at, each table's row count, each member's SHA-256, a check of the identity hash key). The
rows are read in one transaction (on PostgreSQL a REPEATABLE READ snapshot), so they agree with each other; files
stored while the backup runs may or may not be in it. A row whose file the storage does not hold is named
(`Manifest.missing`): the backup cannot hold that file.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import add
from pathlib import Path
from typing import Iterator, Mapping

from sqlalchemy import Connection, Engine, Table, func, inspect, select

from ... import migrate
from ... import storage as file_storage
from ...db import READ_ONLY
from ..errors import ServiceError
from . import rows, stored
from .identity_check import hash_key_check
from .manifest import FORMAT, MANIFEST, VERSION

#: gzip level 6 (gzip's own default) instead of tarfile's 9: half the time for an archive a few percent larger
COMPRESSION = 6


@dataclass
class Manifest:
    revision: str
    created_at: str
    database: str
    tables: list[dict] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)
    #: the rows whose file the storage did not hold (not in the archive, then)
    missing: list[stored.Reference] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "alembic_revision": self.revision,
                "created_at": self.created_at, "database": self.database, "tables": self.tables,
                "files": self.files, "identity_hash_check": hash_key_check()}


def backup(bind: Engine, files: file_storage.Storage, out: str | os.PathLike, now: datetime) -> Manifest:
    """Write the backup archive to `out` (a new file; a half-written one is removed). ServiceError when the
    database is not at the newest revision this code knows (a backup must name the schema of its rows)."""
    out = Path(out)
    _refuse_target(out)
    partial = out.with_name(out.name + ".part")
    try:
        with tempfile.TemporaryDirectory(dir=out.parent, prefix=".dvflow-backup-") as staging, \
                tarfile.open(partial, "w:gz", compresslevel=COMPRESSION) as tar:
            with bind.connect() as conn:
                # a snapshot that never writes: on SQLite a plain BEGIN (no write lock), on PostgreSQL REPEATABLE READ
                conn.execution_options(**{READ_ONLY: True}, **(
                    {"isolation_level": "REPEATABLE READ"} if conn.dialect.name == "postgresql" else {}))
                with conn.begin():
                    manifest = Manifest(revision=_revision(conn), created_at=now.isoformat(),
                                        database=conn.dialect.name)
                    tables = rows.portable_tables()
                    _refuse_unknown_tables(conn, tables)
                    for number, table in enumerate(tables, start=1):
                        manifest.tables.append(_add_table(tar, conn, table, number, Path(staging)))
                    references = stored.references(conn)
            for key in sorted(files.keys()):
                if (entry := _add_file(tar, files, key)) is not None:
                    manifest.files.append(entry)
            held = {entry["key"] for entry in manifest.files}
            manifest.missing = [ref for ref in references if ref.key not in held]
            _add_bytes(tar, MANIFEST, json.dumps(manifest.as_json(), ensure_ascii=False, indent=1).encode())
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _refuse_target(out: Path) -> None:
    if out.exists():
        raise ServiceError("Tệp %(path)s đã có: chọn một tên tệp mới cho bản sao lưu.", field="path", path=str(out))
    if not out.parent.is_dir():
        raise ServiceError("Thư mục %(folder)s không có: tạo thư mục đó trước, hoặc chọn một nơi khác cho bản sao lưu.",
                           field="path", folder=str(out.parent))
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise ServiceError("Không có quyền ghi vào thư mục %(folder)s: chọn một nơi khác cho bản sao lưu.",
                           field="path", folder=str(out.parent))


def _revision(conn: Connection) -> str:
    heads = migrate.current_heads(conn)
    newest = set(migrate_heads())
    if heads != newest:
        raise ServiceError("Cơ sở dữ liệu đang ở phiên bản %(heads)s, không phải phiên bản mới nhất %(newest)s: chạy "
                           "'dvflow db upgrade' trước khi sao lưu.", heads=", ".join(sorted(heads)) or "(trống)",
                           newest=", ".join(sorted(newest)))
    return heads.pop()


def _refuse_unknown_tables(conn: Connection, tables: list) -> None:
    """A table the models do not know would be left out silently: refuse instead."""
    unknown = set(inspect(conn).get_table_names()) - {t.name for t in tables} - {"alembic_version"} - rows.NOT_DATA
    if unknown:
        raise ServiceError("Cơ sở dữ liệu có bảng dvflow không biết (%(tables)s): bản sao lưu sẽ thiếu chúng, nên không "
                           "sao lưu.", tables=", ".join(sorted(unknown)))


def migrate_heads() -> list[str]:
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory.from_config(migrate.alembic_config()).get_heads())


def _add_table(tar: tarfile.TarFile, conn: Connection, table, number: int, staging: Path) -> dict:
    """One table's rows, in primary-key order, through a staging file (a tar member's size comes first)."""
    member = f"tables/{number:03d}-{table.name}.jsonl"
    digest, count = hashlib.sha256(), 0
    path = staging / f"{number:03d}.jsonl"
    with open(path, "wb") as f:
        for row in _read(conn, table):
            line = rows.row_line(dict(row))
            digest.update(line)
            f.write(line)
            count += 1
    tar.add(path, arcname=member, recursive=False, filter=_plain)
    path.unlink()
    return {"name": table.name, "member": member, "rows": count, "sha256": digest.hexdigest()}


def _read(conn: Connection, table: Table) -> Iterator[Mapping]:
    """A table's rows in primary-key order, never all at once: PAGE rows at a time, or for a table of file bytes
    the pages of blob_pages (a thousand 10 MB files would be 10 GB in memory)."""
    if not rows.blob_columns(table):
        query = select(table).order_by(*table.primary_key.columns)
        for page in conn.execution_options(yield_per=rows.PAGE).execute(query).mappings().partitions():
            yield from page
        return
    [pk] = table.primary_key.columns
    for first, last in blob_pages(conn, table, rows.PAGE_BYTES):
        yield from conn.execute(select(table).where(pk.between(first, last)).order_by(pk)).mappings()


def blob_pages(conn: Connection, table: Table, budget: int) -> list[tuple]:
    """The first and last id of each page of a table of file bytes: pages of at most `budget` bytes of files (one
    file larger than that is a page of its own), cut by the files' lengths, read first without their bytes."""
    [pk] = table.primary_key.columns
    size = reduce(add, [func.coalesce(func.length(table.c[c]), 0) for c in rows.blob_columns(table)])
    sizes = conn.execution_options(yield_per=rows.PAGE).execute(select(pk, size).order_by(pk))
    return [(page[0], page[-1]) for page in rows.pages(((id_, n) for id_, n in sizes), budget, rows.PAGE)]


def _add_file(tar: tarfile.TarFile, files: file_storage.Storage, key: str) -> dict | None:
    """One stored file, copied through a spool (in memory up to 8 MB) while its SHA-256 is taken; None for a file
    removed since the storage was listed."""
    digest = hashlib.sha256()
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        try:
            source = files.open(key)
        except file_storage.FileMissing:
            return None
        with source:
            while chunk := source.read(file_storage.CHUNK):
                digest.update(chunk)
                spool.write(chunk)
        size = spool.tell()
        spool.seek(0)
        member = f"files/{key}"
        tar.addfile(_info(member, size), spool)
    return {"key": key, "member": member, "size": size, "sha256": digest.hexdigest()}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    tar.addfile(_info(name, len(data)), io.BytesIO(data))


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode = size, 0o600
    return info


def _plain(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """No owner or timestamps of the staging file in the archive: only what restores."""
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info
