"""A field that accepts several types (a union) answers the error of the type the value has: a text too long is
told it is too long, not that it should be true or false (only the first member's error was kept)."""
from __future__ import annotations

import pytest

from .conftest import complaint_body


@pytest.fixture(autouse=True)
def no_document_templates(app, tmp_path):
    app.config["DOCUMENTS_DIR"] = str(tmp_path / "no-documents")


def _fields(resp) -> dict:
    assert resp.status_code == 400, resp.get_data(as_text=True)
    return {f["field"]: f["message"] for f in resp.json["error"]["fields"]}


@pytest.mark.parametrize("value, message", [
    ("x" * 10_001, "Quá dài (tối đa 10000 ký tự)."),
    (10**13, "Không được lớn hơn 1000000000000."),
    (1e13, "Không được lớn hơn 1000000000000."),
    ([1], "Phải là true/false, số nguyên, số hoặc chuỗi ký tự."),
])
def test_an_action_field_value_gets_the_message_of_its_type(api, value, message):
    case = api("reception").post("/cases", complaint_body()).json
    fields = _fields(api("head").post(f"/cases/{case['id']}/actions/accept", {"fields": {"decision_number": value}}))
    assert fields == {"fields.decision_number": message}


@pytest.mark.parametrize("unit, message", [
    ("X" * 41, "Quá dài (tối đa 40 ký tự)."),
    ("", "Không được để trống."),
    (0, "Không được nhỏ hơn 1."),
    (None, "Phải là số nguyên hoặc chuỗi ký tự."),
])
def test_a_unit_code_or_id_gets_the_message_of_its_type(api, unit, message):
    assert _fields(api("reception").post("/cases", complaint_body(unit=unit))) == {"unit": message}


def test_a_duplicate_tracking_code_too_long_is_told_so(api):
    case = api("reception").post("/cases", complaint_body()).json
    resp = api("head").post(f"/cases/{case['id']}/void", {"reason": "Hồ sơ trùng lặp rõ ràng", "duplicate_of": "K" * 33})
    assert _fields(resp) == {"duplicate_of": "Quá dài (tối đa 32 ký tự)."}
