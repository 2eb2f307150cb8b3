"""Parsing a request into a pydantic model (body or query string). The session, `now`, the workflow registry and
commit-or-409 are every face's: dvflow/request.py."""
from __future__ import annotations

import json
from typing import TypeVar

from flask import request
from pydantic import BaseModel

from ..request import nul_path
from ..services.errors import ServiceError

M = TypeVar("M", bound=BaseModel)

#: no body of this API nests deeper than 4; a deep one is an attack on the parser's recursion (a 500 before)
MAX_JSON_DEPTH = 20


def _depth(value) -> int:
    """How deep arrays and objects nest in a parsed body (without recursion: the value may be very deep)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            level += 1
            deepest = max(deepest, level)
            if deepest > MAX_JSON_DEPTH:
                return deepest
            stack.extend((v, level) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def _parsed():
    """The JSON body, or None when it is not JSON. Parsed once, in time linear in its size: a scan of the raw text
    for brackets before parsing (the earlier guard) took quadratic time on an unclosed string of escaped quotes,
    so one small unauthenticated body could hold a worker for hours. A nesting too deep for the parser's
    recursion is refused like one too deep for the API."""
    if not request.is_json:
        return None
    try:
        data = json.loads(request.get_data(cache=True))
    except RecursionError:
        raise _too_deep() from None
    except ValueError:
        return None
    if _depth(data) > MAX_JSON_DEPTH:
        raise _too_deep()
    return data


def _too_deep() -> ServiceError:
    return ServiceError("JSON lồng nhau quá sâu (tối đa %(max)s cấp).", field="body", max=MAX_JSON_DEPTH)


def _reject_nul(value) -> None:
    """PostgreSQL text cannot hold NUL characters: refuse them up front as bad input (never a 500); the rule and the
    path it names are every face's (dvflow/request.py `nul_path`)."""
    path = nul_path(value)
    if path is not None:
        raise ServiceError("Không được chứa ký tự NUL (\\u0000).", field=path or "body")


def body(model: type[M]) -> M:
    data = _parsed()
    if data is None:
        raise ServiceError("Nội dung yêu cầu phải là JSON hợp lệ (Content-Type: application/json).", field="body")
    _reject_nul(data)
    return model.model_validate(data)


def query(model: type[M]) -> M:
    data = {k: request.args.get(k) for k in request.args}
    _reject_nul(data)
    return model.model_validate(data)

