"""The export for the national database (services): it validates against docs/national-export/schema-v1.json,
its identifiers are stable and distinct, no protected identity appears anywhere, voided, follow-up and dialogue cases
are left out, the period includes and excludes by the received date, and bad dates name the field."""
from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

import jsonschema
import pytest
from factories import NOW

from dvflow.services.errors import ServiceError
from dvflow.services.reports import national_export, periods

from .national_fixtures import SCHEMA, SECRET_DENOUNCER, SECRET_VISITOR, build

Q3 = periods.bounds("quarter", 2026, 3, "cutoff")  # 15/06/2026 - 14/09/2026
SPAN = national_export.Range(Q3.first, Q3.last, Q3)


@pytest.fixture
def world(session, workflows, org):
    return build(session, workflows, org)


def export(session, org, unit="dept", span=SPAN, visible=None, now=NOW) -> dict:
    return national_export.build(session, unit_id=org[unit].id, visible=visible, span=span, now=now)


def codes(doc) -> set[str]:
    return {c["tracking_code"] for c in doc["cases"]}


def test_the_export_validates_against_the_schema_file(session, org, world):
    doc = export(session, org, unit="province")
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER) \
        .validate(doc)
    assert doc["schema_version"] == national_export.SCHEMA_VERSION
    assert doc["issuing_unit"] == {"code": "TINH", "name": "UBND tỉnh", "level": "province"}
    assert doc["period"] == {"from": "2026-06-15", "to": "2026-09-14", "kind": "quarter", "year": 2026, "number": 3,
                             "basis": "cutoff"}
    assert doc["cases"] and doc["reception_visits"] and doc["reception_sessions"]


def test_a_document_the_schema_refuses_is_refused(session, org, world):
    """The schema is no rubber stamp: a denouncer in a confidential case, or an identity number, fails it."""
    doc = export(session, org)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    secret = next(c for c in doc["cases"] if c["tracking_code"] == world["secret"].tracking_code)
    secret["parties"].append({"role": "denouncer", "kind": "person", "name": "x"})
    assert not validator.is_valid(doc)
    secret["parties"].pop()
    assert validator.is_valid(doc)
    secret["parties"][0]["identity_number"] = "079190001234"
    assert not validator.is_valid(doc)


def test_identifiers_are_stable_across_exports_and_distinct(session, org, world):
    first, second = export(session, org), export(session, org, now=NOW + timedelta(days=3))
    ids = lambda doc, key: [r["id"] for r in doc[key]]  # noqa: E731
    for key in ("cases", "reception_visits", "reception_sessions"):
        assert ids(first, key) == ids(second, key)
        assert len({i["uuid"] for i in ids(first, key)}) == len(first[key])
    case = next(c for c in first["cases"] if c["tracking_code"] == world["c2"].tracking_code)
    assert case["id"]["key"] == f"TINH:{world['c2'].tracking_code}"
    assert case["id"]["uuid"] == str(uuid.uuid5(national_export.NAMESPACE, case["id"]["key"]))
    # the same case exported from its own department or from the province: the same identifier
    from_province = export(session, org, unit="province")
    assert case["id"] in [c["id"] for c in from_province["cases"]]


def test_no_protected_identity_appears_anywhere(session, org, world):
    text = json.dumps(export(session, org, unit="province"), ensure_ascii=False)
    for value in (*SECRET_DENOUNCER.values(), *SECRET_VISITOR.values()):
        assert value not in text
    for case in (world["secret"], world["secret_visit"]):
        hashes = [p.party.identity_hash for p in getattr(case, "parties", [])]
        assert all(h not in text for h in hashes if h)
    assert world["secret_visit"].identity_hash not in text
    # the other parties of the confidential case: name and role only
    doc = export(session, org)
    secret = next(c for c in doc["cases"] if c["tracking_code"] == world["secret"].tracking_code)
    assert secret["parties"] == [{"role": "accused", "kind": "person", "name": "Cán bộ địa chính Lê Văn Bị"}]
    assert secret["subject"] is None and secret["confidential"]


def test_no_identity_number_address_or_phone_of_anyone(session, org, world):
    """Even a non-confidential party exports its name and role only."""
    doc = export(session, org)
    for case in doc["cases"]:
        for party in case["parties"]:
            assert set(party) == {"role", "kind", "name"}
    guided = next(v for v in doc["reception_visits"] if v["outcome"] == "guided")
    assert guided["citizen_name"] == "Nguyễn Văn An" and "identity_number" not in guided


def test_voided_follow_up_and_dialogue_cases_are_absent(session, org, world):
    got = codes(export(session, org, unit="province"))
    for key in ("c8", "c9", "conference"):
        assert world[key].tracking_code not in got
    assert {world[k].tracking_code for k in ("c2", "c3", "c4", "c5", "c6", "l1", "secret")} <= got


def test_the_period_includes_and_excludes_by_the_received_date(session, org, world):
    got = codes(export(session, org))
    assert world["c2"].tracking_code in got                  # 15/06 00:30 local: the first day
    assert world["c1"].tracking_code not in got              # 14/06 23:30 local: the day before
    assert world["l6"].tracking_code not in got              # 14/06 23:59 local
    assert world["c10"].tracking_code not in got             # 15/09 00:30 local: the day after
    one_day = national_export.Range(date(2026, 6, 14), date(2026, 6, 14))
    assert codes(export(session, org, span=one_day)) == {world["c1"].tracking_code, world["l6"].tracking_code}
    doc = export(session, org)
    visits = {v["date"] for v in doc["reception_visits"]}
    assert visits == {"2026-08-06"}                          # the book row of 15/09 is out
    assert [s["date"] for s in doc["reception_sessions"]] == ["2026-08-06"]


def test_the_scope_is_the_unit_subtree(session, org, world):
    assert world["c6"].tracking_code not in codes(export(session, org))          # Sở Y tế
    assert world["c6"].tracking_code in codes(export(session, org, unit="province"))
    with pytest.raises(ServiceError) as err:
        export(session, org, unit="other", visible={org["dept"].id})
    assert err.value.field == "don_vi"


def test_case_fields(session, org, world):
    doc = export(session, org)
    by_code = {c["tracking_code"]: c for c in doc["cases"]}
    c2 = by_code[world["c2"].tracking_code]
    assert (c2["kind"], c2["channel"], c2["received_on"], c2["status"], c2["closed_on"]) == \
        ("complaint_first", "letter", "2026-06-15", "closed", "2026-09-14")
    assert c2["outcome"]["result"] == "partly_right"
    assert c2["missed_time_limit"] and c2["time_limits"][0]["due_date"] == "2026-09-01"
    c4 = by_code[world["c4"].tracking_code]
    assert (c4["mass"], c4["people_count"], c4["missed_time_limit"]) == (True, 12, False)
    assert c4["time_limits"][0]["state"] == "met"
    assert c2["unit"] == {"code": "STNMT", "name": "Sở NN&MT"}


def test_reception_rows(session, org, world):
    doc = export(session, org)
    secret = next(v for v in doc["reception_visits"] if v["confidential"])
    handed = session.get(type(world["secret"]), world["secret_visit"].case_id)
    assert secret["case_id"]["key"] == f"TINH:{handed.tracking_code}"
    assert secret["accepted_by"] == "STNMT" and secret["outcome"] == "case_opened"
    assert secret["citizen_name"] is None and secret["summary"] is None
    guided = next(v for v in doc["reception_visits"] if v["outcome"] == "guided")
    assert (guided["guided_to"], guided["people_count"], guided["case_id"]) == ("UBND huyện Đông", 6, None)
    (rs,) = doc["reception_sessions"]
    assert (rs["kind"], rs["official_title"], rs["status"]) == ("periodic", "Giám đốc Sở NN&MT", "published")
    assert "Trần Văn Giám Đốc" not in json.dumps(doc, ensure_ascii=False)


def test_pages_do_not_change_the_result(session, org, world, monkeypatch):
    whole = export(session, org, unit="province")
    monkeypatch.setattr(national_export, "PAGE", 2)
    assert export(session, org, unit="province") == whole


@pytest.mark.parametrize("first,last,field", [
    ("2026-13-01", "2026-03-31", "tu"), ("", "2026-03-31", "tu"), (None, "2026-03-31", "tu"),
    ("2026-01-01", "31/03/2026", "den"), ("2026-04-01", "2026-03-31", "den"), ("2020-01-01", "2026-03-31", "den"),
    ("9999-12-30", "9999-12-31", "tu"), ("0001-01-01", "0001-01-02", "tu")])  # years no record holds (a 500 before)
def test_bad_dates_name_the_field(first, last, field):
    with pytest.raises(ServiceError) as err:
        national_export.parse_range(first, last)
    assert err.value.field == field and err.value.message


def test_good_dates():
    assert national_export.parse_range("2026-01-01", " 2026-03-31 ") == \
        national_export.Range(date(2026, 1, 1), date(2026, 3, 31))


def test_a_letter_names_the_case_it_was_handed_into(session, org, world):
    by_code = {c["tracking_code"]: c for c in export(session, org)["cases"]}
    assert by_code[world["l1"].tracking_code]["handed_off_to"] == \
        national_export.stable_id("TINH", world["c2"].tracking_code)
    assert by_code[world["l2"].tracking_code]["handed_off_to"] is None


def test_a_denunciation_is_protected_even_when_its_flag_is_not_set(session, org, world):
    world["secret"].confidential = False
    session.flush()
    text = json.dumps(export(session, org), ensure_ascii=False)
    assert SECRET_DENOUNCER["name"] not in text and "Tố cáo cán bộ địa chính nhận tiền" not in text


def test_the_streamed_file_is_the_collected_document(session, org, world, monkeypatch):
    import io

    monkeypatch.setattr(national_export, "PAGE", 3)
    out = io.StringIO()
    counts = national_export.write_json(
        national_export.parts(session, unit_id=org["province"].id, visible=None, span=SPAN, now=NOW), out)
    streamed = json.loads(out.getvalue())
    assert streamed == export(session, org, unit="province")
    assert counts == {k: len(streamed[k]) for k in national_export.LISTS} and counts["cases"] > 3
