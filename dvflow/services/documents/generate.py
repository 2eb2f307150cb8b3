"""Rendering a DOCX template with a context: bytes in, bytes out.

Every template renders, and is checked (templates.py), in Jinja's sandbox: a unit's administrator uploads templates,
and docxtpl's default environment would let one walk from any value to Python's internals
(`unit.name.__class__.__mro__…__globals__`) and print the server's environment (its keys) into a document."""
from __future__ import annotations

import hashlib
import io
import logging
from functools import lru_cache
from typing import Any, Mapping

from ..errors import ServiceError
from . import sandbox

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def jinja_env():
    """The one Jinja environment of the documents: sandboxed (no attribute starting with "_", no unsafe callable),
    immutable (a template cannot change the lists and mappings of its context) and bounded in the work one rendering
    may do (sandbox.py). Jinja environments are safe to share between threads once built."""
    return sandbox.DocumentsSandbox(autoescape=True)


def render_docx(template: bytes, context: Mapping[str, Any]) -> bytes:
    """The filled-in DOCX; ServiceError (nothing written) when the template cannot be rendered, whatever the
    template did wrong (a unit's template can divide by zero, call what the sandbox refuses, loop over a number …):
    the failure is logged with its trace and the user is told in Vietnamese, never answered with a 500."""
    from docxtpl import DocxTemplate

    try:
        doc = DocxTemplate(io.BytesIO(template))
        doc.render(dict(context), jinja_env=jinja_env(), autoescape=True)
        out = io.BytesIO()
        doc.save(out)
    except sandbox.WorkLimit:
        raise  # a template asking for more work than a document needs: told as such, in Vietnamese
    except Exception as exc:  # noqa: BLE001 - any failure of a template is the template's, told as such
        log.warning("document generation failed: %s", exc, exc_info=True)
        raise ServiceError("Không tạo được văn bản từ mẫu: %(problem)s. Hồ sơ chưa thay đổi.",
                           problem=str(exc) or type(exc).__name__) from exc
    return out.getvalue()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
