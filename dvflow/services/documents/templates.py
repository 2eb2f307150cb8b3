"""Document templates: the manifest (workflows/documents/documents.yaml), the shipped DOCX files beside it, a unit's
uploaded versions, and the check that a template uses only the context's names."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import UnitTemplate, User
from ..errors import Forbidden, NotFound, ServiceError
from ..org import access
from .context import CONTEXT_NAMES

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class DocumentType:
    type: str
    label: str
    label_en: str
    form: str
    form_basis: str
    symbol: str
    template: str
    fields: tuple[str, ...] = ()


def manifest_dir(workflows_dir: str | Path) -> Path:
    """The shipped templates' folder: documents/ beside the workflows."""
    return Path(workflows_dir) / "documents"


def load_manifest(documents_dir: str | Path) -> dict[str, DocumentType]:
    """The document types the manifest (documents_dir/documents.yaml) declares; {} when there is no manifest."""
    return dict(_load(str(Path(documents_dir) / "documents.yaml")))


@lru_cache(maxsize=8)
def _load(path: str) -> tuple[tuple[str, DocumentType], ...]:
    p = Path(path)
    if not p.is_file():
        return ()
    data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    out = []
    for key, entry in data.items():
        out.append((key, DocumentType(type=key, label=entry["label"], label_en=entry.get("label_en", ""),
                                      form=str(entry.get("form", "")), form_basis=entry.get("form_basis", ""),
                                      symbol=entry["symbol"], template=entry["template"],
                                      fields=tuple(entry.get("fields") or ()))))
    return tuple(out)


def document_type(documents_dir: str | Path, type_: str) -> DocumentType:
    types = load_manifest(documents_dir)
    if type_ not in types:
        raise ServiceError("Chưa có mẫu văn bản \"%(type)s\" trong documents.yaml.", type=type_)
    return types[type_]


def shipped_bytes(documents_dir: str | Path, dtype: DocumentType) -> bytes:
    path = Path(documents_dir) / dtype.template
    if not path.is_file():
        raise ServiceError("Không tìm thấy tệp mẫu %(file)s của văn bản \"%(document)s\".", file=dtype.template,
                           document=dtype.label)
    return path.read_bytes()


def template_bytes(session: Session, documents_dir: str | Path, unit_id: int, dtype: DocumentType) -> bytes:
    """The unit's uploaded version of the template if it has one, else the shipped one."""
    own = session.scalar(select(UnitTemplate.content).where(UnitTemplate.unit_id == unit_id,
                                                            UnitTemplate.type == dtype.type))
    return own if own is not None else shipped_bytes(documents_dir, dtype)


def unit_templates(session: Session, unit_id: int) -> dict[str, UnitTemplate]:
    return {t.type: t for t in session.scalars(select(UnitTemplate).where(UnitTemplate.unit_id == unit_id))}


def undeclared(content: bytes) -> set[str]:
    """The names a DOCX template uses that the context does not give; ServiceError when it is no valid template."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError

    if not content.startswith(b"PK\x03\x04"):
        raise ServiceError("Tệp mẫu phải là tệp Word .docx.", field="file")
    try:
        names = DocxTemplate(io.BytesIO(content)).get_undeclared_template_variables()
    except TemplateSyntaxError as exc:
        raise ServiceError("Mẫu có lỗi cú pháp ở dòng %(line)s: %(problem)s", field="file", line=exc.lineno,
                           problem=exc.message) from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ServiceError("Tệp mẫu không phải tệp Word .docx hợp lệ.", field="file") from exc
    return set(names) - CONTEXT_NAMES


def check_template(content: bytes) -> None:
    """Refuses a template that uses a name the context does not give, naming it."""
    unknown = sorted(undeclared(content))
    if unknown:
        raise ServiceError("Mẫu dùng biến không có: %(unknown)s. Các biến được dùng: %(known)s.", field="file",
                           unknown=", ".join(unknown), known=", ".join(sorted(CONTEXT_NAMES)))


def may_manage(session: Session, user: User, unit_id: int) -> bool:
    """The unit's administrator (role admin in that unit)."""
    return any(r.unit_id == unit_id and r.role == "admin" for r in access.memberships(session, user))


def upload(session: Session, user: User, unit_id: int, documents_dir: str | Path, type_: str, filename: str,
           content: bytes, now: datetime) -> UnitTemplate:
    """Store the unit's version of a template, after checking it; replaces a previous upload."""
    if not may_manage(session, user, unit_id):
        raise Forbidden("Chỉ quản trị viên của đơn vị được tải mẫu văn bản.")
    if type_ not in load_manifest(documents_dir):
        raise NotFound("Không có loại văn bản này.")
    if not content:
        raise ServiceError("Chọn một tệp mẫu .docx để tải lên.", field="file")
    if len(content) > MAX_TEMPLATE_BYTES:
        raise ServiceError("Tệp mẫu quá lớn: tối đa 5 MB.", field="file")
    check_template(content)
    row = session.scalar(select(UnitTemplate).where(UnitTemplate.unit_id == unit_id, UnitTemplate.type == type_))
    if row is None:
        row = UnitTemplate(unit_id=unit_id, type=type_)
        session.add(row)
    row.content, row.filename, row.uploaded_by_id, row.uploaded_at = content, filename[:255], user.id, now
    session.flush()
    return row


def remove(session: Session, user: User, unit_id: int, type_: str) -> None:
    """Go back to the shipped template."""
    if not may_manage(session, user, unit_id):
        raise Forbidden("Chỉ quản trị viên của đơn vị được tải mẫu văn bản.")
    row = session.scalar(select(UnitTemplate).where(UnitTemplate.unit_id == unit_id, UnitTemplate.type == type_))
    if row is not None:
        session.delete(row)
        session.flush()
