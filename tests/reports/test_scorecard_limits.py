"""A manual criterion's value stays within the range the criterion declares (a mark of 0–10), and the free text of a
filled value, a review and a "Dân vận khéo" model has a cap: refused in the service, naming the field, so the pages
and the API alike."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from dvflow.engine import scorecard as engine
from dvflow.services.errors import ServiceError
from dvflow.services.reports import scorecard_entries

from . import scorecard_fixtures as fx

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)


def marked(max_value: int = 10) -> engine.CriteriaSet:
    text = fx.TEST_YAML.replace("target: 2, zero_at: 0,", f"target: 2, zero_at: 0, max_value: {max_value},")
    return engine.parse(text, "test.yaml").for_year(2026)


def fill(session, org, criteria, raw_value: str, note: str = ""):
    return scorecard_entries.fill(session, org["users"]["head"], criteria=criteria, unit_id=org["dept"].id,
                                  year=2026, key="dvk", raw_value=raw_value, note=note,
                                  files=[scorecard_entries.Upload("a.pdf", "application/pdf", b"%PDF")], now=NOW)


@pytest.mark.parametrize("raw", ["11", "500", "999999"])
def test_a_value_above_the_declared_range_is_refused(session, org, raw):
    with pytest.raises(ServiceError) as err:
        fill(session, org, marked(), raw)
    assert err.value.field == "gia_tri" and "từ 0 đến 10" in err.value.message


def test_the_top_of_the_range_is_accepted_and_a_count_keeps_the_wide_bound(session, org):
    assert fill(session, org, marked(), "10").value == 10
    assert fill(session, org, fx.criteria(), "500").value == 500
    with pytest.raises(ServiceError):
        fill(session, org, fx.criteria(), "1000001")


def test_a_range_below_the_target_does_not_load():
    with pytest.raises(Exception, match="max_value"):
        marked(max_value=1)


def test_the_free_text_is_capped(session, org):
    with pytest.raises(ServiceError) as err:
        fill(session, org, fx.criteria(), "1", note="x" * 5001)
    assert err.value.field == "ghi_chu"
    with pytest.raises(ServiceError) as err:
        scorecard_entries.register_model(session, org["users"]["head"], unit_id=org["dept"].id, year=2026,
                                         name="Mô hình", field="Đất đai", started_on="2026-02-01",
                                         results="x" * 20_001, files=[], now=NOW)
    assert err.value.field == "ket_qua"


def test_the_real_grassroots_mark_is_bounded_at_ten():
    from config import ROOT

    assert engine.load(ROOT / "workflows").for_year(2026).criterion("grassroots_democracy").max_value == 10
