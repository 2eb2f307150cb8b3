"""API errors: JSON `{"error": {"code", "message", "fields"}}` in Vietnamese, never a stack trace."""
from __future__ import annotations

import re

from pydantic import ValidationError

from ..error_pages import json_error
from ..request import rollback
from ..services.errors import ServiceError
from . import bp

MESSAGES = {
    "missing": "Thiếu thông tin bắt buộc.",
    "extra_forbidden": "Trường này không được hỗ trợ.",
    "string_too_long": "Quá dài (tối đa {max_length} ký tự).",
    "string_too_short": "Không được để trống.",
    "too_long": "Quá nhiều phần tử (tối đa {max_length}).",
    "literal_error": "Giá trị không hợp lệ (chọn một trong: {expected}).",
    "less_than_equal": "Không được lớn hơn {le}.",
    "greater_than_equal": "Không được nhỏ hơn {ge}.",
    "int_parsing": "Phải là số nguyên.",
    "int_type": "Phải là số nguyên.",
    "int_from_float": "Phải là số nguyên.",
    "bool_parsing": "Phải là true hoặc false.",
    "bool_type": "Phải là true hoặc false.",
    "string_type": "Phải là chuỗi ký tự.",
    "dict_type": "Phải là một đối tượng JSON.",
    "model_type": "Phải là một đối tượng JSON.",
    "list_type": "Phải là một danh sách.",
    "date_from_datetime_parsing": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
    "date_parsing": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
    "datetime_parsing": "Thời điểm không hợp lệ (định dạng ISO 8601, ví dụ 2026-11-25T08:00:00).",
    "datetime_from_date_parsing": "Thời điểm không hợp lệ (định dạng ISO 8601, ví dụ 2026-11-25T08:00:00).",
    "finite_number": "Phải là số hữu hạn.",
}
GENERIC = "Giá trị không hợp lệ."


error_response = json_error  # {"error": {"code", "message", "fields"}}, the same body as the app's error answers


def _field_message(err: dict) -> str:
    if err["type"] in ("value_error", "vn_error"):
        return str(err.get("ctx", {}).get("message") or err["msg"]).removeprefix("Value error, ")
    template = MESSAGES.get(err["type"], GENERIC)
    try:
        return template.format(**{k: v for k, v in (err.get("ctx") or {}).items()})
    except (KeyError, IndexError):
        return GENERIC


UNION_TAG = re.compile(r"^(constrained-\w+|int|str|bool|float|none|[\w-]+\[.*\])$")


def _loc(err: dict) -> str:
    """The field's dotted path, without the member tags pydantic adds inside unions."""
    parts = [str(p) for p in err["loc"] if not (isinstance(p, str) and UNION_TAG.match(p))]
    return ".".join(parts) or "body"


def validation_response(exc: ValidationError):
    seen, fields = set(), []
    for err in exc.errors(include_url=False, include_input=False):
        name = _loc(err)
        if name not in seen:  # a union reports one error per member: keep the first
            seen.add(name)
            fields.append({"field": name, "message": _field_message(err)})
    return error_response(400, "Dữ liệu gửi lên không hợp lệ.", fields)


@bp.errorhandler(ValidationError)
def _validation(exc: ValidationError):
    rollback()
    return validation_response(exc)


@bp.errorhandler(ServiceError)
def _service(exc: ServiceError):
    rollback()
    fields = [{"field": exc.field, "message": exc.message}] if exc.field else []
    return error_response(exc.status, exc.message, fields)
