"""Parsing a request into a pydantic model (body or query string). The session, `now`, the workflow registry and
commit-or-409 are every face's: dvflow/request.py."""
from __future__ import annotations

from typing import TypeVar

from flask import request
from pydantic import BaseModel

from ..services.errors import ServiceError

M = TypeVar("M", bound=BaseModel)


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
    data = request.get_json(silent=True)
    if data is None:
        raise ServiceError("Nội dung yêu cầu phải là JSON hợp lệ (Content-Type: application/json).", field="body")
    _reject_nul(data)
    return model.model_validate(data)


def query(model: type[M]) -> M:
    data = {k: request.args.get(k) for k in request.args}
    _reject_nul(data)
    return model.model_validate(data)

