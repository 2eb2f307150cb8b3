"""Document templates: the manifest (workflows/documents/documents.yaml), the shipped DOCX files beside it, a unit's
uploaded versions, and the checks an upload passes: only the context's names, no name starting with "_" (the way
out of Jinja's sandbox), and one rendering with a sample context (a template that fails is refused then, not when
a document is issued with it)."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml
from jinja2 import TemplateSyntaxError, meta, nodes
from lxml.etree import LxmlError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...engine.message import Label
from ...models import UnitTemplate, User
from ..errors import Forbidden, NotFound, ServiceError
from ..org import access
from . import generate, sandbox
from .context import CONTEXT_NAMES, REQUESTER_ROLES, sample_context, sample_record

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
    #: who receives it (the manifest's `sent_to`: party roles and bodies), the source of its "Nơi nhận"
    sent_to: tuple[str, ...] = ()

    @property
    def as_label(self) -> Label:
        """The type's name as a message's value: an English page names it by `label_en` (dvflow.i18n.said)."""
        return Label(self.label, self.label_en)

    @property
    def own_copy(self) -> bool:
        """Addressed to the person who asked and to no one else (a receipt, the notices of acceptance or refusal of
        a denunciation, a guidance letter): that person's own copy, which names them even when they are a
        denouncer whose identity every other copy withholds (Luật Tố cáo 2018, Điều 47 khoản 1 điểm b)."""
        return bool(self.sent_to) and set(self.sent_to) <= set(REQUESTER_ROLES)


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
                                      fields=tuple(entry.get("fields") or ()),
                                      sent_to=tuple(entry.get("sent_to") or ()))))
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
    return _inspect(content)[0]


def _inspect(content: bytes) -> tuple[set[str], set[str]]:
    """The template's unknown top-level names and the names it reaches that start with "_", read from the syntax
    tree of every text docxtpl renders (body, headers, footers, the core properties, footnotes), parsed in the
    documents' sandboxed environment."""
    from docxtpl import DocxTemplate

    if not content.startswith(b"PK\x03\x04"):
        raise ServiceError("Tệp mẫu phải là tệp Word .docx.", field="file")
    env = _Inspecting()
    try:
        template = DocxTemplate(io.BytesIO(content))
        names = set(template.get_undeclared_template_variables(jinja_env=env))
        for source in _properties_and_footnotes(template):
            names |= meta.find_undeclared_variables(env.parse(source))
    except TemplateSyntaxError as exc:
        raise ServiceError("Mẫu có lỗi cú pháp ở dòng %(line)s: %(problem)s", field="file", line=exc.lineno,
                           problem=exc.message) from exc
    except sandbox.WorkLimit as exc:  # what the documents' sandbox refuses to parse (a recursive loop)
        raise sandbox.WorkLimit(exc.template, field="file", **exc.params) from exc
    except (zipfile.BadZipFile, KeyError, ValueError, LxmlError) as exc:  # LxmlError: a part's XML is damaged
        raise ServiceError("Tệp mẫu không phải tệp Word .docx hợp lệ.", field="file") from exc
    return set(names) - CONTEXT_NAMES, {n for tree in env.trees for n in _private_names(tree)}


#: the core properties docxtpl renders as templates (DocxTemplate.render_properties) and the footnotes' part
RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def _properties_and_footnotes(template) -> list[str]:
    """The texts docxtpl renders besides the body, headers and footers (get_undeclared_template_variables reads
    only those): the core properties' (title, subject …) and the footnotes', as docxtpl prepares them."""
    docx = template.get_docx()
    texts = [getattr(docx.core_properties, name) or "" for name in RENDERED_PROPERTIES]
    texts += [template.patch_xml(part.blob.decode("utf-8")) for part in docx.part.package.parts
              if part.content_type == FOOTNOTES]
    return texts


class _Inspecting(sandbox.DocumentsSandbox):
    """The documents' sandboxed environment, keeping the trees it parsed: docxtpl gathers the template's text and
    parses it, and the tree is then looked into for private names."""

    def __init__(self):
        super().__init__()
        self.trees = []

    def parse(self, source, name=None, filename=None):
        tree = super().parse(source, name, filename)
        self.trees.append(tree)
        return tree


def _private_names(tree) -> set[str]:
    """Variables, attributes, subscripts and `attr()` filters whose name starts with "_": no name of the context
    does, and they are the first step out of the sandbox."""
    found = set()
    for node in tree.find_all((nodes.Name, nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Name):
            found.add(node.name)
        elif isinstance(node, nodes.Getattr):
            found.add(node.attr)
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            found.add(node.arg.value)
        elif isinstance(node, nodes.Filter) and node.name == "attr":
            found.update(a.value for a in node.args if isinstance(a, nodes.Const))
    return {n for n in found if isinstance(n, str) and n.startswith("_")}


def check_template(content: bytes) -> None:
    """Refuses a template that uses a name the context does not give, or a name starting with "_", naming them."""
    unknown, private = _inspect(content)
    if private:
        raise ServiceError("Mẫu dùng tên bắt đầu bằng dấu gạch dưới, không được phép: %(names)s.", field="file",
                           names=", ".join(sorted(private)))
    if unknown:
        raise ServiceError("Mẫu dùng biến không có: %(unknown)s. Các biến được dùng: %(known)s.", field="file",
                           unknown=", ".join(sorted(unknown)), known=", ".join(sorted(CONTEXT_NAMES)))


def try_render(content: bytes, dtype: DocumentType, definitions: Iterable = ()) -> None:
    """Render the template once with a sample context of its type (`case.record` made up from the actions of the
    workflows `definitions`): one that fails (a division by zero, a call the sandbox refuses, a loop over a number
    …) is refused at upload, naming the problem, rather than when a document is issued with it."""
    sample = sample_context(dtype.type, dtype.label, dtype.form, dtype.fields, record=sample_record(definitions))
    try:
        generate.render_docx(content, sample)
    except sandbox.WorkLimit as exc:  # a loop, a size or a length beyond what a document needs: refused as such
        raise sandbox.WorkLimit(exc.template, field="file", **exc.params) from exc
    except ServiceError as exc:
        raise ServiceError("Mẫu không tạo được văn bản với dữ liệu mẫu: %(problem)s", field="file",
                           problem=exc.params.get("problem", exc.message)) from exc


def may_manage(session: Session, user: User, unit_id: int) -> bool:
    """The unit's administrator (role admin in that unit)."""
    return any(r.unit_id == unit_id and r.role == "admin" for r in access.memberships(session, user))


def upload(session: Session, user: User, unit_id: int, documents_dir: str | Path, type_: str, filename: str,
           content: bytes, now: datetime, definitions: Iterable = ()) -> UnitTemplate:
    """Store the unit's version of a template, after checking it (tried with what the actions of the workflows
    `definitions` record, see try_render); replaces a previous upload."""
    if not may_manage(session, user, unit_id):
        raise Forbidden("Chỉ quản trị viên của đơn vị được tải mẫu văn bản.")
    dtype = load_manifest(documents_dir).get(type_)
    if dtype is None:
        raise NotFound("Không có loại văn bản này.")
    if not content:
        raise ServiceError("Chọn một tệp mẫu .docx để tải lên.", field="file")
    if len(content) > MAX_TEMPLATE_BYTES:
        raise ServiceError("Tệp mẫu quá lớn: tối đa 5 MB.", field="file")
    check_template(content)
    try_render(content, dtype, definitions)
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
