"""Restore a backup (dump.py) into an empty database and the configured file storage.

Refuses, before writing anything: an archive that is not a dvflow backup this version reads (manifest.py), a
database that holds cases or users (a restore never merges into live data), a backup made under another identity
hash key, and a storage that holds a file of the backup under the same key with other content (stored.py). Then:
the schema migrated to the backup's Alembic revision; in ONE transaction every table emptied (a migration may have
seeded rows that the backup holds too), its rows inserted in dependency order in pages of rows and bytes (a row
pointing at a row of its own table gets that column after the whole table is in), PostgreSQL sequences moved past
the restored ids, each member's SHA-256 and each table's row count checked against the manifest, the identity keys
checked against the rows (identity_check.py), and the files the storage does not hold put back; anything wrong rolls
the rows back and removes the files this restore put (never one that was there before). Nothing is extracted to
disk by the names in the archive.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import tarfile
import zlib
from dataclasses import dataclass
from typing import IO, Callable, Iterator

from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    Table,
    bindparam,
    delete,
    func,
    inspect,
    select,
    text,
    update,
)

from ... import migrate
from ... import storage as file_storage
from ..errors import ServiceError
from . import rows, stored
from .identity_check import IdentityCheck
from .manifest import BadBackup, read_manifest

#: what reading a truncated or damaged gzip stream raises, wherever in the archive the damage is
DAMAGED = (EOFError, zlib.error, gzip.BadGzipFile, tarfile.TarError)


@dataclass
class Restored:
    manifest: dict
    #: keys the storage already held with the same content (left as they were)
    kept: list[str]
    #: the restored rows whose file is neither in the backup nor in the storage
    missing: list[stored.Reference]


def restore(bind: Engine, files: file_storage.Storage, path: str | os.PathLike) -> Restored:
    """Restore the archive at `path`. ServiceError (nothing changed) or BadBackup."""
    try:
        tar = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise BadBackup("Không đọc được %(path)s như một bản sao lưu dvflow (tar.gz): %(error)s", field="path",
                        path=str(path), error=str(exc)) from exc
    try:
        with tar:
            return _restore(bind, files, tar)
    except DAMAGED as exc:
        raise BadBackup("Không khôi phục: bản sao lưu bị cắt cụt hoặc hỏng (%(error)s); chép lại tệp sao lưu từ bản gốc.",
                        field="path", error=str(exc)) from exc


def _restore(bind: Engine, files: file_storage.Storage, tar: tarfile.TarFile) -> Restored:
    manifest = read_manifest(tar)
    refuse_unless_empty(bind)
    identities = IdentityCheck(manifest)
    plan = stored.plan(files, manifest["files"])
    _migrate(bind, manifest["alembic_revision"])
    created: list[str] = []
    try:
        with bind.begin() as conn:
            _load_rows(conn, tar, manifest, identities.watcher)
            stored.put_all(tar, files, plan.put, _member, created)
            missing = stored.missing(conn, plan.present | {e["key"] for e in manifest["files"]})
    except BaseException:
        stored.remove(files, created)
        raise
    return Restored(manifest, plan.kept, missing)


def refuse_unless_empty(bind: Engine) -> None:
    with bind.connect() as conn:
        names = set(inspect(conn).get_table_names())
        held = {t: conn.scalar(select(func.count()).select_from(text(t))) for t in ("cases", "users") if t in names}
    if any(held.values()):
        raise ServiceError("Cơ sở dữ liệu đích đã có dữ liệu (%(cases)s hồ sơ, %(users)s người dùng): chỉ khôi phục vào "
                           "một cơ sở dữ liệu trống, không ghi đè dữ liệu đang dùng.", field="database",
                           cases=held.get("cases", 0), users=held.get("users", 0))


def _migrate(bind: Engine, revision: str) -> None:
    current = migrate.current_heads(bind)
    if current == {revision}:
        return
    if current:  # an empty database at another revision: down to nothing, then up to the backup's
        migrate.downgrade(bind, "base")
    migrate.upgrade(bind, revision)


def _load_rows(conn: Connection, tar: tarfile.TarFile, manifest: dict, watcher: Callable) -> None:
    """Every table's rows; `watcher(table)` is what sees each row of `table` as it is read (or None)."""
    by_name = {t.name: t for t in rows.portable_tables()}
    entries = manifest["tables"]
    unknown = [e["name"] for e in entries if e["name"] not in by_name]
    if unknown:
        raise BadBackup("Bản sao lưu có bảng không có trong phiên bản này: %(tables)s.", field="path",
                        tables=", ".join(unknown))
    tables = [by_name[e["name"]] for e in entries]
    for table in reversed(tables):
        conn.execute(delete(table))
    for entry, table in zip(entries, tables):
        count = _load_table(conn, table, _member(tar, entry["member"]), entry["sha256"], watcher(table))
        held = conn.scalar(select(func.count()).select_from(table))
        if count != entry["rows"] or held != entry["rows"]:
            raise BadBackup("Bảng %(table)s: bản sao lưu ghi %(rows)s dòng, đọc được %(read)s, ghi vào %(held)s.",
                            field="path", table=table.name, rows=entry["rows"], read=count, held=held)
    if conn.dialect.name == "postgresql":
        _reset_sequences(conn, tables)


def _load_table(conn: Connection, table: Table, member: IO[bytes], sha256: str,
                watch: Callable[[dict], None] | None = None) -> int:
    """Insert the member's rows in pages of rows and bytes (rows.pages: a table of files is held a few files at a
    time, not a thousand); a self-referring column is filled after the whole table is in."""
    later = rows.self_references(table)
    [pk] = table.primary_key.columns if later else [None]
    digest, deferred, count = hashlib.sha256(), [], 0

    def sized() -> Iterator[tuple[dict, int]]:
        for line in member:
            digest.update(line)
            row = rows.parse_line(line)
            if watch is not None:
                watch(row)
            if later and any(row.get(c) is not None for c in later):
                deferred.append({"_pk": row[pk.name], **{c: row[c] for c in later}})
                row = {**row, **{c: None for c in later}}
            yield row, len(line)

    for page in rows.pages(sized(), rows.PAGE_BYTES, rows.PAGE):
        conn.execute(table.insert(), page)
        count += len(page)
    if digest.hexdigest() != sha256:
        raise BadBackup("Bảng %(table)s: tổng kiểm tra SHA-256 không khớp, bản sao lưu đã bị sửa hoặc hỏng.",
                        field="path", table=table.name)
    for start in range(0, len(deferred), rows.PAGE):
        conn.execute(update(table).where(pk == bindparam("_pk")).values({c: bindparam(c) for c in later}),
                     deferred[start:start + rows.PAGE])
    return count


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """Each serial/identity id continues after the largest restored one (an insert set the ids explicitly)."""
    for table in tables:
        [pk, *more] = list(table.primary_key.columns)
        if more or not isinstance(pk.type, Integer):
            continue
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence(:t, :c), "
                          f'COALESCE((SELECT MAX("{pk.name}") FROM "{table.name}"), 0) + 1, false)'),
                     {"t": f'"{table.name}"', "c": pk.name})


def _member(tar: tarfile.TarFile, name: str) -> IO[bytes]:
    try:
        member = tar.extractfile(name)
    except KeyError:
        member = None
    if member is None:
        raise BadBackup("Bản sao lưu thiếu phần %(member)s.", field="path", member=name)
    return member
