"""The case files of a backup and of a restore, in the storage (a folder or an S3 bucket).

A restore may meet a storage that still holds the files (the database was lost, UPLOAD_DIR or the bucket was not):
those are the live originals. So the restore plans first, before writing anything: a key of the archive that the
storage holds with the same SHA-256 is left as it is (never written, never removed); one it holds with other content
refuses the restore (no overwrite); only the keys the storage does not hold are put, and only those are removed when
the restore fails.
"""
from __future__ import annotations

import hashlib
import json
import tarfile
import tempfile
from dataclasses import dataclass, field
from typing import IO, Callable

from sqlalchemy import Connection, select

from ... import storage as file_storage
from ...models import Attachment
from ..errors import ServiceError
from .manifest import BadBackup

SPOOL = 8 * 1024 * 1024
#: how many keys a message names before it says how many more there are
NAMED = 10


@dataclass(frozen=True)
class Reference:
    """A row that points at a file of the storage."""
    id: int
    case_id: int
    filename: str
    key: str

    def __str__(self) -> str:
        return f"tệp đính kèm #{self.id} (hồ sơ #{self.case_id}, {self.filename}): {self.key}"


def references(conn: Connection) -> list[Reference]:
    """Every row that points at a file: the attachments (an issued document's file is one of them; a document's
    DOCX and PDF and the scorecard's evidence are bytes in their rows)."""
    query = select(Attachment.id, Attachment.case_id, Attachment.filename, Attachment.stored_path) \
        .order_by(Attachment.id)
    return [Reference(*row) for row in conn.execute(query)]


def missing(conn: Connection, available: set[str]) -> list[Reference]:
    """The rows whose file is not among `available`."""
    return [ref for ref in references(conn) if ref.key not in available]


@dataclass
class Plan:
    present: set[str]                                  # every key the storage held before the restore
    put: list[dict] = field(default_factory=list)      # the manifest's entries to write
    kept: list[str] = field(default_factory=list)      # keys already there with the same content


def plan(files: file_storage.Storage, entries: list[dict]) -> Plan:
    """What the restore will write; BadBackup for a key outside the storage, ServiceError for a key the storage
    holds with other content (both before anything is written)."""
    outside = [e["key"] for e in entries if not safe_key(e["key"])]
    if outside:
        raise BadBackup("Bản sao lưu có tệp với tên ra ngoài nơi lưu tệp: %(keys)s; không khôi phục.", field="path",
                        keys=_named(outside, quoted=True))
    try:
        result = Plan(present=set(files.keys()))
        differ = []
        for entry in entries:
            if entry["key"] not in result.present:
                result.put.append(entry)
            elif _sha256(files.open(entry["key"])) == entry["sha256"]:
                result.kept.append(entry["key"])
            else:
                differ.append(entry["key"])
    except file_storage.StorageError as exc:
        raise ServiceError("Không đọc được nơi lưu tệp: %(error)s; không khôi phục.", field="files",
                           error=str(exc)) from exc
    if differ:
        raise ServiceError("Nơi lưu tệp đã có %(n)s tệp cùng tên với tệp của bản sao lưu nhưng khác nội dung: %(keys)s. "
                           "Không ghi đè, không khôi phục: chuyển các tệp đó đi, hoặc khôi phục vào một nơi lưu tệp "
                           "khác.", field="files", n=len(differ), keys=_named(differ))
    return result


def safe_key(key: object) -> bool:
    """A key is a relative path of plain names: no empty, '.' or '..' part, no leading '/', no backslash."""
    if not isinstance(key, str) or not key or "\\" in key or "\x00" in key:
        return False
    return all(part not in ("", ".", "..") for part in key.split("/"))


def put_all(tar: tarfile.TarFile, files: file_storage.Storage, entries: list[dict], member: Callable,
            created: list[str]) -> None:
    """Each entry's file into the storage once its SHA-256 is checked; each key is in `created` before it is
    written, so that a failure removes a half-written one too (the plan made sure none of them was there)."""
    for entry in entries:
        with tempfile.SpooledTemporaryFile(max_size=SPOOL) as spool:
            if _sha256(member(tar, entry["member"]), spool) != entry["sha256"]:
                raise BadBackup("Tệp %(key)s: tổng kiểm tra SHA-256 không khớp, bản sao lưu đã bị sửa hoặc hỏng.",
                                field="path", key=entry["key"])
            spool.seek(0)
            created.append(entry["key"])
            try:
                files.put(entry["key"], spool)
            except file_storage.StorageError as exc:
                raise ServiceError("Không ghi được tệp %(key)s vào nơi lưu tệp: %(error)s; không khôi phục.",
                                   field="files", key=entry["key"], error=str(exc)) from exc


def remove(files: file_storage.Storage, created: list[str]) -> None:
    for key in created:
        files.delete(key)


def _sha256(source: IO[bytes], copy: IO[bytes] | None = None) -> str:
    digest = hashlib.sha256()
    with source:
        while chunk := source.read(file_storage.CHUNK):
            digest.update(chunk)
            if copy is not None:
                copy.write(chunk)
    return digest.hexdigest()


def _named(keys: list, quoted: bool = False) -> str:
    shown = ", ".join(json.dumps(k, ensure_ascii=False) if quoted else k for k in keys[:NAMED])
    return shown + (f" và {len(keys) - NAMED} tệp khác" if len(keys) > NAMED else "")
