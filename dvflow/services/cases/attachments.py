"""Files attached to a case: checked (size, extension and content), stored in the file storage (dvflow.storage:
the UPLOAD_DIR folder or an S3 bucket) under the key <case_id>/<uuid>.

The user's file name is kept in the row only; in the storage a file is named by a random uuid. Writing the file, the
row and the `attach` event is one unit: when the database write fails, the file is removed again.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import unicodedata
import zipfile
from datetime import datetime
from typing import IO, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import storage as files
from ...models import Attachment, Case, User
from ..documents import reading
from ..errors import Forbidden, NotFound, ServiceError
from ..org import access
from . import confidentiality, history
from .lookup import load_case_for
from .voiding import refuse_if_voided

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
CHUNK = 64 * 1024
SNIFF_BYTES = 8192
#: an upload is checked in memory up to this size, in a temporary file beyond it, before it is stored
SPOOL_BYTES = 1024 * 1024
#: roles (in the case's unit, or head above it) that may attach files; supervisors and admins only read
UPLOAD_ROLES = {"reception", "handler", "head"}

#: extension -> the content type stored and served (the browser's declared type is not trusted)
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain; charset=utf-8",
}
ALLOWED_LABEL = "PDF, PNG, JPG, DOC, DOCX, XLS, XLSX, ODT, TXT"

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", OLE2, ZIP, b"MZ", b"\x7fELF", b"GIF8", b"Rar!", b"7z\xbc\xaf")


class TooLarge(ServiceError):
    status = 413


class BadType(ServiceError):
    status = 415


def clean_filename(name: str | None) -> str:
    """The last path component, without control characters, at most 255 characters (extension kept)."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().strip(".").strip()
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else name[:255]
    return name


def extension(filename: str) -> str:
    _stem, dot, ext = filename.rpartition(".")
    return ext.lower() if dot else ""


def _zip_members(data: IO[bytes]) -> tuple[set[str], bytes]:
    try:
        data.seek(0)
        with zipfile.ZipFile(data) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
            return names, mimetype
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return set(), b""


def content_matches(ext: str, head: bytes, data: IO[bytes]) -> bool:
    """Whether the first bytes (and for Office Open XML / ODF files, the zip's members) fit the extension."""
    if ext == "pdf":
        return head.startswith(b"%PDF-")
    if ext == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if ext in ("doc", "xls"):
        return head.startswith(OLE2)
    if ext in ("docx", "xlsx", "odt"):
        if not head.startswith(ZIP):
            return False
        names, mimetype = _zip_members(data)
        if ext == "docx":
            return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)
        if ext == "xlsx":
            return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)
        return mimetype.strip() == b"application/vnd.oasis.opendocument.text"
    if ext == "txt":
        if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
            return True
        return b"\x00" not in head and not head.startswith(BINARY_MAGIC)
    return False


def may_upload(session: Session, user: User, case: Case) -> bool:
    return case.voided_at is None and bool(access.actor_for(session, user, case).roles & UPLOAD_ROLES)


def list_attachments(session: Session, case_id: int) -> list[Attachment]:
    """The case's attachments, oldest first (the caller has already checked the user may see the case)."""
    return list(session.scalars(select(Attachment).where(Attachment.case_id == case_id)
                                .order_by(Attachment.uploaded_at, Attachment.id)))


def remove_file(store: files.Storage | str | os.PathLike, attachment: Attachment) -> None:
    """Remove the attachment's file (e.g. when the commit that recorded it failed)."""
    try:
        files.coerce(store).delete(attachment.stored_path)
    except Exception:  # a failed clean-up is logged: the caller's own error is the one that counts
        log.exception("could not remove attachment file %s", attachment.stored_path)


def add_attachment(session: Session, user: User, case_id: int, filename: str | None, stream: BinaryIO,
                   content_type: str | None, now: datetime, store: files.Storage | str | os.PathLike,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> Attachment:
    """Check, store and record one file; raises NotFound, Forbidden, TooLarge, BadType or ServiceError.

    `content_type` is what the browser declared; it is not trusted: the stored type follows the (checked) extension.
    `store` is the file storage (a folder path: the local storage of that folder). The row and event are flushed
    here; the caller commits, and calls remove_file() if that commit fails.
    """
    case = load_case_for(session, user, case_id)
    refuse_if_voided(case)
    if not may_upload(session, user, case):
        raise Forbidden("Bạn chỉ được xem, không được đính kèm tệp vào hồ sơ này.")
    name = clean_filename(filename)
    if not name:
        raise ServiceError("Chọn một tệp để tải lên.", field="file")
    ext = extension(name)
    if ext not in CONTENT_TYPES:
        raise BadType("Loại tệp không được chấp nhận. Chỉ nhận các tệp %(types)s.", field="file", types=ALLOWED_LABEL)

    store = files.coerce(store)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        size, digest = _receive(stream, spool, ext, max_bytes)
        key = files.new_key(case.id)
        spool.seek(0)
        store.put(key, spool, CONTENT_TYPES[ext])

    attachment = Attachment(case_id=case.id, filename=name, stored_path=key, sha256=digest, size=size,
                            content_type=CONTENT_TYPES[ext], uploaded_by_id=user.id, uploaded_at=now)
    try:
        session.add(attachment)
        session.flush()
        history.write(session, [history.event(case.id, "attach", at=now, actor_id=user.id, from_state=case.state,
                                              to_state=case.state,
                                              payload={"attachment_id": attachment.id, "filename": name,
                                                       "size": size, "sha256": attachment.sha256})])
    except BaseException:
        remove_file(store, attachment)
        raise
    return attachment


def _receive(stream: BinaryIO, spool: IO[bytes], ext: str, max_bytes: int) -> tuple[int, str]:
    """Copy the upload into `spool`, checking its size, emptiness and content; its size and SHA-256."""
    digest, size, head = hashlib.sha256(), 0, b""
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge("Tệp quá lớn: tối đa %(size)s cho mỗi tệp.", field="file", size=_mb(max_bytes))
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        digest.update(chunk)
        spool.write(chunk)
    if size == 0:
        raise ServiceError("Tệp rỗng, không có nội dung.", field="file")
    if not content_matches(ext, head, spool):
        raise BadType("Nội dung tệp không đúng định dạng .%(ext)s (tệp có thể bị đổi đuôi hoặc bị hỏng).",
                      field="file", ext=ext)
    return size, digest.hexdigest()


def open_attachment(session: Session, user: User, attachment_id: int) -> Attachment:
    """The attachment if the user may see its case (the same rule as the case page) and, in a confidential case,
    its content (confidentiality.may_see_content); NotFound or Forbidden otherwise."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound("Không tìm thấy tệp đính kèm.")
    case = load_case_for(session, user, attachment.case_id)
    if not confidentiality.may_see_content(session, user, case):
        raise Forbidden("Tệp đính kèm của hồ sơ bảo mật chỉ dành cho thủ trưởng đơn vị hoặc người được thủ trưởng "
                        "giao xử lý.")
    return attachment


def download(session: Session, user: User, case_id: int, attachment_id: int,
             store: files.Storage | str | os.PathLike, now: datetime,
             documents_dir: str | None = None) -> Attachment:
    """The attachment of the case, for a download (its bytes: `store`, under `attachment.stored_path`); a download
    from a confidential case is recorded (who, which file, when) in `session` (a writing one: the caller commits it
    before serving a byte), an issued document's file as an opening of that document (documents/reading.py: the
    denouncer's own copy, which names them, is a look at their identity; `documents_dir`, the manifest, tells it).
    NotFound (also when the file is missing in the storage) or Forbidden, with nothing recorded."""
    attachment = open_attachment(session, user, attachment_id)
    if attachment.case_id != case_id:
        raise NotFound("Không tìm thấy tệp đính kèm.")
    if not _stored(files.coerce(store), attachment.stored_path):
        log.error("attachment %s: file missing at %s", attachment.id, attachment.stored_path)
        raise NotFound("Không tìm thấy tệp đính kèm.")
    case = session.get(Case, attachment.case_id)
    if case is not None and case.confidential:
        reading.record_file_opening(session, user, case, attachment, documents_dir, now)
    return attachment


def _stored(store: files.Storage, key: str) -> bool:
    try:
        return store.exists(key)
    except files.StorageError:
        return False


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


__all__ = [
    "ALLOWED_LABEL",
    "CONTENT_TYPES",
    "BadType",
    "TooLarge",
    "add_attachment",
    "clean_filename",
    "content_matches",
    "download",
    "list_attachments",
    "may_upload",
    "open_attachment",
    "remove_file",
]
