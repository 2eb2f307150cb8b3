"""Files attached to a case: checked (size, extension and content), stored under UPLOAD_DIR/<case_id>/<uuid>.

The user's file name is kept in the row only; on disk a file is named by a random uuid. Writing the file, the row and
the `attach` event is one unit: when the database write fails, the file is removed again.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
import uuid
import zipfile
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Attachment, Case, User
from ..errors import Forbidden, NotFound, ServiceError
from ..org import access
from . import confidentiality, history
from .lookup import load_case_for
from .voiding import refuse_if_voided

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
CHUNK = 64 * 1024
SNIFF_BYTES = 8192
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


def _zip_members(path: Path) -> tuple[set[str], bytes]:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
            return names, mimetype
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return set(), b""


def content_matches(ext: str, head: bytes, path: Path) -> bool:
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
        names, mimetype = _zip_members(path)
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


def file_path(upload_dir: str | os.PathLike, attachment: Attachment) -> Path:
    """Where the attachment's bytes are; never outside the upload folder."""
    root = Path(upload_dir).resolve()
    path = (root / attachment.stored_path).resolve()
    if root not in path.parents:
        raise NotFound("Không tìm thấy tệp đính kèm.")
    return path


def remove_file(upload_dir: str | os.PathLike, attachment: Attachment) -> None:
    """Remove the attachment's file (e.g. when the commit that recorded it failed)."""
    try:
        file_path(upload_dir, attachment).unlink(missing_ok=True)
    except (OSError, ServiceError):
        log.exception("could not remove attachment file %s", attachment.stored_path)


def add_attachment(session: Session, user: User, case_id: int, filename: str | None, stream: BinaryIO,
                   content_type: str | None, now: datetime, upload_dir: str | os.PathLike,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> Attachment:
    """Check, store and record one file; raises NotFound, Forbidden, TooLarge, BadType or ServiceError.

    `content_type` is what the browser declared; it is not trusted: the stored type follows the (checked) extension.
    The row and event are flushed here; the caller commits, and calls remove_file() if that commit fails.
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
        raise BadType(f"Loại tệp không được chấp nhận. Chỉ nhận các tệp {ALLOWED_LABEL}.", field="file")

    folder = Path(upload_dir) / str(case.id)
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = uuid.uuid4().hex
    final = folder / stored_name
    partial = folder / f"{stored_name}.part"
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with open(partial, "xb") as out:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(f"Tệp quá lớn: tối đa {_mb(max_bytes)} cho mỗi tệp.", field="file")
                if len(head) < SNIFF_BYTES:
                    head += chunk[: SNIFF_BYTES - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ServiceError("Tệp rỗng, không có nội dung.", field="file")
        if not content_matches(ext, head, partial):
            raise BadType(f"Nội dung tệp không đúng định dạng .{ext} (tệp có thể bị đổi đuôi hoặc bị hỏng).",
                          field="file")
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise

    attachment = Attachment(case_id=case.id, filename=name, stored_path=f"{case.id}/{stored_name}",
                            sha256=digest.hexdigest(), size=size, content_type=CONTENT_TYPES[ext],
                            uploaded_by_id=user.id, uploaded_at=now)
    try:
        session.add(attachment)
        session.flush()
        history.write(session, [history.event(case.id, "attach", at=now, actor_id=user.id, from_state=case.state,
                                              to_state=case.state,
                                              payload={"attachment_id": attachment.id, "filename": name,
                                                       "size": size, "sha256": attachment.sha256})])
    except BaseException:
        final.unlink(missing_ok=True)
        raise
    return attachment


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


def download(session: Session, user: User, case_id: int, attachment_id: int, upload_dir: str | os.PathLike,
             now: datetime) -> tuple[Attachment, Path]:
    """The attachment of the case and where its bytes are, for a download; a download from a confidential case is
    recorded (who, which file, when) in `session` (a writing one: the caller commits it before serving a byte).
    NotFound (also when the file is missing on disk) or Forbidden, with nothing recorded."""
    attachment = open_attachment(session, user, attachment_id)
    if attachment.case_id != case_id:
        raise NotFound("Không tìm thấy tệp đính kèm.")
    path = file_path(upload_dir, attachment)
    if not path.is_file():
        log.error("attachment %s: file missing at %s", attachment.id, attachment.stored_path)
        raise NotFound("Không tìm thấy tệp đính kèm.")
    case = session.get(Case, attachment.case_id)
    if case is not None and case.confidential:
        confidentiality.record_download(session, user, attachment, now)
    return attachment, path


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
    "file_path",
    "list_attachments",
    "may_upload",
    "open_attachment",
    "remove_file",
]
