"""The periodic report page offers the national-database export of its period and unit to heads, supervisors and
administrators only; the download validates against the schema file and holds no protected identity."""
from __future__ import annotations

import json

import jsonschema
import pytest
from reports.national_fixtures import SCHEMA, SECRET_DENOUNCER, SECRET_VISITOR, build

Q3 = "ky=quarter&so=3&nam=2026&cach_tinh=cutoff"
PAGE = f"/bang-dieu-khien/bao-cao-dinh-ky?{Q3}"
FILE = f"/bang-dieu-khien/bao-cao-dinh-ky/csdl-quoc-gia.json?{Q3}"


@pytest.fixture
def world(app, session, org):
    return build(session, app.extensions["dvflow.workflows"], org)


def test_a_head_downloads_the_export_of_the_reports_period(login, org, world):
    client = login("head")
    html = client.get(f"{PAGE}&don_vi={org['dept'].id}").get_data(as_text=True)
    assert 'id="xuat-csdl-quoc-gia"' in html and "csdl-quoc-gia.json" in html
    resp = client.get(f"{FILE}&don_vi={org['dept'].id}")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert 'filename="csdl-quoc-gia-STNMT-2026-06-15-2026-09-14.json"' in resp.headers["Content-Disposition"]
    doc = json.loads(resp.get_data(as_text=True))
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    assert world["c2"].tracking_code in {c["tracking_code"] for c in doc["cases"]}
    text = resp.get_data(as_text=True)
    assert not any(v in text for v in (*SECRET_DENOUNCER.values(), *SECRET_VISITOR.values()))


def test_a_handler_is_neither_offered_nor_served(login, org, world):
    client = login("handler")
    html = client.get(f"{PAGE}&don_vi={org['dept'].id}").get_data(as_text=True)
    assert "Báo cáo quý 3 năm 2026" in html and "xuat-csdl-quoc-gia" not in html
    assert client.get(f"{FILE}&don_vi={org['dept'].id}").status_code == 403


def test_a_bad_period_is_a_message_not_an_error_page(login, org, world):
    resp = login("head").get("/bang-dieu-khien/bao-cao-dinh-ky/csdl-quoc-gia.json?ky=quarter&so=9&nam=2026")
    assert resp.status_code == 400 and "Số kỳ phải từ 1 đến 4" in resp.get_data(as_text=True)
