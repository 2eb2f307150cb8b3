"""Rendering a DOCX template with a context: bytes in, bytes out."""
from __future__ import annotations

import hashlib
import io
import logging
from typing import Any, Mapping

from ..errors import ServiceError

log = logging.getLogger(__name__)


def render_docx(template: bytes, context: Mapping[str, Any]) -> bytes:
    """The filled-in DOCX; ServiceError (nothing written) when the template cannot be rendered."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    try:
        doc = DocxTemplate(io.BytesIO(template))
        doc.render(dict(context), autoescape=True)
        out = io.BytesIO()
        doc.save(out)
    except (TemplateError, KeyError, ValueError, TypeError, AttributeError) as exc:
        log.warning("document generation failed: %s", exc)
        raise ServiceError("Không tạo được văn bản từ mẫu: %(problem)s. Hồ sơ chưa thay đổi.",
                           problem=str(exc)) from exc
    return out.getvalue()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
