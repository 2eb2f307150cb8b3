"""Bad input on the API must be a Vietnamese JSON 400 naming the field, never a 500."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("day", ["9999-12-31", "9999-12-01"])
def test_reception_compliance_day_in_year_9999_is_a_json_400(api, day):
    resp = api("head").get("/reception/compliance", query_string={"day": day})
    assert resp.status_code == 400, resp.get_data(as_text=True)[:300]
    error = resp.get_json()["error"]
    assert error["fields"][0]["field"] == "day" and "từ năm 2000 đến năm 2100" in error["message"]
