"""The OpenAPI 3.1 document, built from the same pydantic models that validate the requests.

Each route is declared once with `api_route`: it registers the Flask URL rule AND the operation of the document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from pydantic import BaseModel

from . import schemas

PREFIX = "/api/v1"
REF = "#/components/schemas/{model}"
PARAM_RE = re.compile(r"\{(\w+)\}")
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": schemas.MAX_ID}
WORD_SCHEMA = {"type": "string", "pattern": "^[a-z0-9_]{1,40}$"}


@dataclass(frozen=True)
class Operation:
    path: str  # OpenAPI form: /cases/{case_id}
    method: str
    summary: str
    endpoint: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    auth: bool = True
    errors: tuple[int, ...] = ()
    params: dict[str, dict] = field(default_factory=dict)
    #: request headers the operation reads, name -> {"description", "schema"}
    headers: dict[str, dict] = field(default_factory=dict)
    #: other successful answers, status -> description (e.g. a repeated request answered with the first result)
    also: dict[int, str] = field(default_factory=dict)
    #: what an error status means for this operation, when not the general ERROR_TEXT
    error_text: dict[int, str] = field(default_factory=dict)
    #: the media type of a file the operation answers with (instead of JSON), e.g. "application/pdf"
    file_type: str | None = None


OPERATIONS: list[Operation] = []


def flask_rule(path: str, params: dict[str, dict]) -> str:
    def convert(match: re.Match) -> str:
        name = match.group(1)
        schema = params.get(name, WORD_SCHEMA)
        return f"<int:{name}>" if schema.get("type") == "integer" else f"<{name}>"  # bounded: request.BoundedInt
    return PARAM_RE.sub(convert, path)


def api_route(bp, path: str, method: str, summary: str, **kw) -> Callable:
    def decorate(view: Callable) -> Callable:
        params = {name: (ID_SCHEMA if name.endswith("_id") else WORD_SCHEMA) for name in PARAM_RE.findall(path)}
        op = Operation(path=path, method=method.lower(), summary=summary, endpoint=view.__name__, params=params, **kw)
        OPERATIONS.append(op)
        bp.add_url_rule(flask_rule(path, params), view.__name__, view, methods=[method.upper()])
        return view
    return decorate


def _schema(model: type[BaseModel], components: dict, mode: str) -> dict:
    schema = model.model_json_schema(ref_template=REF, mode=mode)
    components.update(schema.pop("$defs", {}))
    components[model.__name__] = schema
    return {"$ref": REF.format(model=model.__name__)}


def _query_params(model: type[BaseModel]) -> list[dict]:
    schema = model.model_json_schema(ref_template=REF, mode="validation")
    required = set(schema.get("required", []))
    return [{"name": name, "in": "query", "required": name in required,
             "schema": {k: v for k, v in prop.items() if k != "title"}}
            for name, prop in schema["properties"].items()]


def _operation(op: Operation, components: dict) -> dict:
    out: dict = {"operationId": op.endpoint, "summary": op.summary, "tags": [op.path.split("/")[1]]}
    params = [{"name": n, "in": "path", "required": True, "schema": s} for n, s in op.params.items()]
    if op.query is not None:
        params += _query_params(op.query)
    params += [{"name": n, "in": "header", "required": False, **h} for n, h in op.headers.items()]
    if params:
        out["parameters"] = params
    if op.body is not None:
        out["requestBody"] = {"required": True,
                              "content": {"application/json": {"schema": _schema(op.body, components, "validation")}}}
    ok: dict = {"description": "Thành công"}
    if op.response is not None:
        ok["content"] = {"application/json": {"schema": _schema(op.response, components, "serialization")}}
    elif op.file_type is not None:
        ok["content"] = {op.file_type: {"schema": {"type": "string", "format": "binary"}}}
    responses = {str(op.status): ok}
    for code, description in op.also.items():
        responses[str(code)] = {**ok, "description": description}
    error = {"content": {"application/json": {"schema": _schema(schemas.ErrorOut, components, "serialization")}}}
    # a body over the app's MAX_CONTENT_LENGTH is refused (413) before it is read, on every route that takes one
    codes = (set(op.errors) | ({400} if (op.body or op.query) else set()) | ({401} if op.auth else set())
             | ({413} if op.body else set()))
    for code in sorted(codes):
        responses[str(code)] = {"description": op.error_text.get(code) or ERROR_TEXT.get(code, "Lỗi"), **error}
    out["responses"] = responses
    if not op.auth:
        out["security"] = []
    return out


ERROR_TEXT = {400: "Dữ liệu không hợp lệ", 401: "Thiếu hoặc sai mã truy cập", 403: "Không có quyền",
              404: "Không tìm thấy", 413: "Nội dung yêu cầu quá lớn",
              405: "Phương thức không được hỗ trợ tại địa chỉ này (ví dụ: mã hồ sơ ngoài phạm vi)", 409: "Xung đột: hồ sơ vừa bị thay đổi", 429: "Quá nhiều yêu cầu",
              503: "Dịch vụ phụ trợ chưa có trên máy chủ"}


def document() -> dict:
    components: dict = {}
    paths: dict = {}
    for op in OPERATIONS:
        paths.setdefault(PREFIX + op.path, {})[op.method] = _operation(op, components)
    return {
        "openapi": "3.1.0",
        "info": {"title": "dvflow API", "version": "1",
                 "description": "API của dvflow: hồ sơ khiếu nại, tố cáo, kiến nghị, phản ánh. Xác thực bằng mã "
                                "truy cập cá nhân: `Authorization: Bearer <mã>`; quyền giống hệt giao diện web."},
        "paths": paths,
        "components": {"schemas": dict(sorted(components.items())),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    }
