"""Parsing a request into a pydantic model (body or query string). The session, `now`, the workflow registry and
commit-or-409 are every face's: dvflow/request.py."""
from __future__ import annotations

import re
from typing import TypeVar

from flask import request
from pydantic import BaseModel

from ..services.errors import ServiceError

M = TypeVar("M", bound=BaseModel)

#: no body of this API nests deeper than 4; a deep one is an attack on the parser's recursion (a 500 before)
MAX_JSON_DEPTH = 20
#: a JSON string (skipped whole, brackets inside it do not count) or a bracket
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _too_deep(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the raw JSON text nests arrays and objects deeper than `limit` (checked before parsing it)."""
    depth = 0
    for token in _JSON_TOKENS.finditer(raw):
        char = token.group()[:1]
        if char in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif char in (b"]", b"}"):
            depth -= 1
    return False


def _reject_nul(value, path: str = "") -> None:
    """PostgreSQL text cannot hold NUL characters: refuse them up front as bad input (never a 500)."""
    if isinstance(value, str) and "\x00" in value:
        raise ServiceError("Không được chứa ký tự NUL (\\u0000).", field=path or "body")
    if isinstance(value, dict):
        for k, v in value.items():
            _reject_nul(k, path)
            _reject_nul(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _reject_nul(v, f"{path}[{i}]")  # parties[0].name, as the services and validation errors name it


def body(model: type[M]) -> M:
    if _too_deep(request.get_data(cache=True)):
        raise ServiceError(f"JSON lồng nhau quá sâu (tối đa {MAX_JSON_DEPTH} cấp).", field="body")
    data = request.get_json(silent=True)
    if data is None:
        raise ServiceError("Nội dung yêu cầu phải là JSON hợp lệ (Content-Type: application/json).", field="body")
    _reject_nul(data)
    return model.model_validate(data)


def query(model: type[M]) -> M:
    data = {k: request.args.get(k) for k in request.args}
    _reject_nul(data)
    return model.model_validate(data)

