"""The API registers nothing into a unit dissolved in the 2025 mergers: a JSON error naming the field, never a 500."""
from __future__ import annotations

from datetime import date

from factories import NOW

from dvflow.services.org.units import dissolve_unit

from .conftest import complaint_body


def test_a_case_for_a_dissolved_unit_is_refused_with_a_json_error(api, session, org):
    dissolve_unit(session, None, "STNMT", date(2026, 7, 1), "SYT", NOW)
    refused = api("reception").post("/cases", complaint_body())
    assert refused.status_code == 400, refused.json
    error = refused.json["error"]
    assert "đã giải thể từ ngày 01/07/2026" in error["message"] and "Sở Y tế" in error["message"]
    assert error["fields"]
