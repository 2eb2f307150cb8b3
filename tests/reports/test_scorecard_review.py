"""Who verifies a manual criterion's value, and which value: an outside check (never one's own value, nor a value of
a unit in whose chain one holds a role), of the submission the supervisor saw, only while it waits for review; and
what a unit may fill (a count of models is a whole number)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from config import ROOT
from dvflow.engine import scorecard as engine
from dvflow.services.errors import Conflict, Forbidden, ServiceError
from dvflow.services.org import accounts
from dvflow.services.reports import scorecard_entries

from . import scorecard_fixtures as fx
from .scorecard_fixtures import shown

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)


def _upload():
    return scorecard_entries.Upload("a.pdf", "application/pdf", b"%PDF")


def _fill(session, user, org, value="2", at=NOW, criteria=None, key="dvk"):
    return scorecard_entries.fill(session, user, criteria=criteria or fx.criteria(), unit_id=org["dept"].id,
                                  year=2026, key=key, raw_value=value, note="", files=[_upload()], now=at)


def _review(session, user, entry, submission=None, decision="verified", note=""):
    return scorecard_entries.review(session, user, entry_id=entry.id,
                                    submission=shown(session, entry) if submission is None else submission,
                                    decision=decision, note=note, now=NOW)


def test_the_person_who_submitted_a_value_cannot_verify_it(session, org):
    # a supervisor (e.g. of the inspectorate) who also fills for a commune as its handler
    inspector = accounts.create_user(session, "thanhtra", "password-123", now=NOW)
    accounts.grant_role(session, inspector, org["province"], "supervisor")
    accounts.grant_role(session, inspector, org["remote"], "handler")
    entry = scorecard_entries.fill(session, inspector, criteria=fx.criteria(), unit_id=org["remote"].id, year=2026,
                                   key="dvk", raw_value="2", note="", files=[_upload()], now=NOW)
    assert not scorecard_entries.may_verify(session, inspector, entry)
    with pytest.raises(Forbidden) as err:
        _review(session, inspector, entry)
    assert err.value.message == scorecard_entries.OWN_VALUE


def test_a_role_in_the_units_chain_forbids_verifying_its_values(session, org):
    head = org["users"]["head"]  # the department's head, also made a supervisor (seconded to the inspectorate)
    accounts.grant_role(session, head, org["province"], "supervisor")
    entry = _fill(session, org["users"]["handler"], org)
    with pytest.raises(Forbidden) as err:
        _review(session, head, entry)
    assert err.value.message == scorecard_entries.OWN_CHAIN
    chair = org["users"]["chair"]  # the province's head: the department is under the province
    accounts.grant_role(session, chair, org["province"], "supervisor")
    assert not scorecard_entries.may_verify(session, chair, entry)
    with pytest.raises(Forbidden):
        _review(session, chair, entry)


def test_a_role_in_another_branch_does_not_forbid_it(session, org):
    other = org["users"]["other_head"]  # head of Sở Y tế, a sibling of the department
    accounts.grant_role(session, other, org["province"], "supervisor")
    entry = _fill(session, org["users"]["handler"], org)
    assert scorecard_entries.may_verify(session, other, entry)
    assert _review(session, other, entry).status == "verified"


def test_a_value_submitted_again_after_the_page_was_read_is_not_verified(session, org):
    entry = _fill(session, org["users"]["handler"], org, "1")
    seen = shown(session, entry)
    _fill(session, org["users"]["head"], org, "2", at=NOW + timedelta(minutes=5))
    with pytest.raises(Conflict) as err:
        _review(session, org["users"]["supervisor"], entry, seen)
    assert err.value.status == 409 and err.value.field == "lan_ke_khai"
    assert (entry.value, entry.status) == (2, "submitted")
    assert _review(session, org["users"]["supervisor"], entry).status == "verified"  # the one now shown


def test_a_rejected_value_is_not_verified_without_a_new_submission(session, org):
    supervisor = org["users"]["supervisor"]
    entry = _fill(session, org["users"]["handler"], org)
    _review(session, supervisor, entry, decision="rejected", note="Thiếu biên bản")
    with pytest.raises(Conflict):
        _review(session, supervisor, entry)
    assert entry.status == "rejected"


def test_a_review_names_the_submission_it_verifies(session, org):
    entry = _fill(session, org["users"]["handler"], org)
    with pytest.raises(ServiceError) as err:
        scorecard_entries.review(session, org["users"]["supervisor"], entry_id=entry.id, submission=None,
                                 decision="verified", note="", now=NOW)
    assert err.value.field == "lan_ke_khai" and entry.status == "submitted"


def test_a_count_of_models_is_a_whole_number(session, org):
    criteria = engine.load(ROOT / "workflows").for_year(2026)
    with pytest.raises(ServiceError) as err:
        _fill(session, org["users"]["head"], org, "1,5", criteria=criteria, key="dan_van_kheo_models")
    assert err.value.field == "gia_tri" and err.value.message == "Giá trị: nhập một số nguyên (mô hình)."
    assert _fill(session, org["users"]["head"], org, "2", criteria=criteria, key="dan_van_kheo_models").value == 2
    # a mark may be a fraction
    assert _fill(session, org["users"]["head"], org, "7,5", criteria=criteria, key="grassroots_democracy").value == 7.5
