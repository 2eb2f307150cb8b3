"""API errors: JSON `{"error": {"code", "message", "fields"}}` in Vietnamese, never a stack trace."""
from __future__ import annotations

import re

from flask import jsonify
from pydantic import ValidationError

from ..error_pages import json_error
from ..request import rollback
from ..services.cases.intake_duplicates import LikelyDuplicate
from ..services.errors import ServiceError
from ..timeutil import to_local
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
    "time_parsing": "Giờ không hợp lệ (định dạng HH:MM, giờ Việt Nam, không kèm múi giờ).",
    "datetime_from_date_parsing": "Thời điểm không hợp lệ (định dạng ISO 8601, ví dụ 2026-11-25T08:00:00).",
    "finite_number": "Phải là số hữu hạn.",
}
GENERIC = "Giá trị không hợp lệ."


error_response = json_error  # {"error": {"code", "message", "fields"}}, the same body as the app's error answers


def _shown(value):
    """A bound as a person reads it: 1000000000000, not the float member's 1000000000000.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _field_message(err: dict) -> str:
    if err["type"] in ("value_error", "vn_error"):
        return str(err.get("ctx", {}).get("message") or err["msg"]).removeprefix("Value error, ")
    template = MESSAGES.get(err["type"], GENERIC)
    try:
        return template.format(**{k: _shown(v) for k, v in (err.get("ctx") or {}).items()})
    except (KeyError, IndexError):
        return GENERIC


UNION_TAG = re.compile(r"^(constrained-\w+|int|str|bool|float|none|[\w-]+\[.*\])$")


def field_path(parts) -> str:
    """A field's path as the services name it: `parties[0].name` (an item's index in brackets, not `parties.0`)."""
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _loc(err: dict) -> str:
    """The field's path, without the member tags pydantic adds inside unions."""
    return field_path(p for p in err["loc"] if not (isinstance(p, str) and UNION_TAG.match(p))) or "body"


# what each member of a union expects, to say "Phải là số nguyên hoặc chuỗi ký tự." when the value fits none
TYPE_NOUNS = {"bool": "true/false", "int": "số nguyên", "float": "số", "string": "chuỗi ký tự"}


def _is_type_error(err: dict) -> bool:
    """The value is not of the member's type (as opposed to a member of the right type refusing its size or range)."""
    return err["type"].endswith(("_type", "_parsing")) or err["type"] == "int_from_float"


def _union_message(errs: list[dict]) -> str:
    """One message for the errors a union gives at one place: the error of the member whose type the value has
    (a text too long, a number too large) rather than the first member's type error ("Phải là true hoặc false." for
    a long text); when the value has none of the members' types, the types accepted."""
    if len(errs) == 1:
        return _field_message(errs[0])
    fitting = [e for e in errs if not _is_type_error(e)]
    if fitting:
        return _field_message(fitting[0])
    nouns = [TYPE_NOUNS.get(e["type"].split("_")[0]) for e in errs]
    if None in nouns:
        return _field_message(errs[0])
    nouns = list(dict.fromkeys(nouns))
    return "Phải là " + (f"{', '.join(nouns[:-1])} hoặc {nouns[-1]}" if len(nouns) > 1 else nouns[0]) + "."


def validation_response(exc: ValidationError):
    by_field: dict[str, list[dict]] = {}  # a union reports one error per member, all at the same place
    for err in exc.errors(include_url=False, include_input=False):
        by_field.setdefault(_loc(err), []).append(err)
    fields = [{"field": name, "message": _union_message(errs)} for name, errs in by_field.items()]
    return error_response(400, "Dữ liệu gửi lên không hợp lệ.", fields)


@bp.errorhandler(ValidationError)
def _validation(exc: ValidationError):
    rollback()
    return validation_response(exc)


@bp.errorhandler(ServiceError)
def _service(exc: ServiceError):
    rollback()
    fields = [{"field": exc.field, "message": exc.message}] if exc.field else []
    if isinstance(exc, LikelyDuplicate):
        return _duplicate_response(exc, fields)
    return error_response(exc.status, exc.message, fields)


def _duplicate_response(exc: LikelyDuplicate, fields: list[dict]):
    """409 with the open cases the new one may repeat; resending with "confirm_duplicate": true registers it."""
    candidates = [{"id": c.id, "tracking_code": c.tracking_code, "subject": c.subject, "state": c.state,
                   "received_at": to_local(c.received_at).isoformat()} for c in exc.candidates]
    body = {"error": {"code": exc.status, "message": exc.message, "fields": fields, "candidates": candidates}}
    return jsonify(body), exc.status
