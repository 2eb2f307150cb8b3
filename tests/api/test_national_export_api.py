"""GET /api/v1/exports/national and `flask dvflow export national`: the document validates against the schema file,
who may export what, and bad dates answered as JSON (or a command error) naming the field."""
from __future__ import annotations

import json

import jsonschema
import pytest
from reports.national_fixtures import SCHEMA, SECRET_DENOUNCER, build


@pytest.fixture
def world(app, session, org):
    return build(session, app.extensions["dvflow.workflows"], org)


def valid(doc: dict) -> dict:
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER) \
        .validate(doc)
    return doc


def test_a_head_exports_their_subtree(api, org, world):
    resp = api("head").get("/exports/national?tu=2026-06-15&den=2026-09-14")
    assert resp.status_code == 200, resp.get_json()
    doc = valid(resp.get_json())
    assert doc["issuing_unit"]["code"] == "STNMT" and doc["period"] == {"from": "2026-06-15", "to": "2026-09-14"}
    got = {c["tracking_code"] for c in doc["cases"]}
    assert world["c2"].tracking_code in got and world["c6"].tracking_code not in got  # Sở Y tế is not theirs
    assert not any(v in resp.get_data(as_text=True) for v in SECRET_DENOUNCER.values())


def test_a_named_period(api, org, world):
    resp = api("supervisor").get(f"/exports/national?ky=quarter&nam=2026&so=3&don_vi={org['province'].id}")
    doc = valid(resp.get_json())
    assert (doc["period"]["from"], doc["period"]["to"], doc["period"]["kind"]) == ("2026-06-15", "2026-09-14",
                                                                                   "quarter")
    assert world["c6"].tracking_code in {c["tracking_code"] for c in doc["cases"]}


@pytest.mark.parametrize("qs,field", [("tu=2026-02-30&den=2026-03-31", "tu"), ("den=2026-03-31", "tu"),
                                      ("tu=2026-04-01&den=2026-03-01", "den"), ("tu=2026-01-01&den=hôm qua", "den"),
                                      ("ky=quarter&so=5&nam=2026", "so"), ("ky=week", "ky"),
                                      # nothing defaulted: a missing number exported January or Q1 silently
                                      ("ky=month&nam=2026", "so"), ("ky=quarter&nam=2026", "so"),
                                      ("ky=quarter&so=3", "nam"), ("ky=year", "nam")])
def test_bad_dates_name_the_field(api, org, world, qs, field):
    resp = api("head").get(f"/exports/national?{qs}")
    assert resp.status_code in (400, 422)
    assert any(f["field"] == field for f in resp.get_json()["error"]["fields"]), resp.get_json()


def test_who_may_export(api, org, world):
    q = "/exports/national?tu=2026-06-15&den=2026-09-14"
    assert api(None).get(q).status_code == 401
    for user in ("handler", "reception"):
        resp = api(user).get(q)
        assert resp.status_code == 403 and resp.get_json()["error"]["message"]
    resp = api("head").get(f"{q}&don_vi={org['other'].id}")  # another department: not under the head
    assert resp.status_code == 400 and resp.get_json()["error"]["fields"][0]["field"] == "don_vi"


def test_the_openapi_document_lists_it(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    op = doc["paths"]["/api/v1/exports/national"]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"tu", "den", "ky", "don_vi"}
    params = {p["name"]: p for p in op["parameters"]}
    assert "bắt buộc" in json.dumps(params["so"], ensure_ascii=False)  # says a missing number is refused


def test_the_command_writes_the_file(app, org, world, tmp_path):
    out = tmp_path / "export.json"
    result = app.test_cli_runner().invoke(args=["dvflow", "export", "national", "--from", "2026-06-15",
                                                "--to", "2026-09-14", "--unit", "TINH", "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = valid(json.loads(out.read_text(encoding="utf-8")))
    assert doc["issuing_unit"]["code"] == "TINH" and world["c6"].tracking_code in {c["tracking_code"]
                                                                                    for c in doc["cases"]}
    assert SECRET_DENOUNCER["name"] not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("args,hint", [(["--from", "2026-1-1x", "--to", "2026-03-31"], "--from"),
                                       (["--from", "2026-04-01", "--to", "2026-03-31"], "--to")])
def test_the_command_names_the_bad_option(app, org, args, hint):
    result = app.test_cli_runner().invoke(args=["dvflow", "export", "national", *args])
    assert result.exit_code != 0 and hint in result.output


def test_the_command_refuses_an_unknown_unit(app, org):
    result = app.test_cli_runner().invoke(args=["dvflow", "export", "national", "--from", "2026-01-01", "--to",
                                                "2026-03-31", "--unit", "KHONG-CO"])
    assert result.exit_code != 0 and "KHONG-CO" in result.output
