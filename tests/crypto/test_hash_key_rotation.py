"""Rotating the hash key as the README says (the new key first in DVFLOW_IDENTITY_HASH_KEYS, the old one after it,
then `identity rotate-key`) keeps every receipt already printed working: its secret was never stored, so its digest
cannot be recomputed, and the old key verifies it. The identity-number hashes move to the new key."""
from __future__ import annotations

import base64

import pytest
from factories import NOW, make_org

from config import ConfigError, TestingConfig, load_config
from dvflow import crypto
from dvflow.services.cases import tracking
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.cases.public_view import find_case
from dvflow.services.reception.book import duplicates

NEW_HASH = base64.b64encode(b"h" * 32).decode()
NUMBER = "079188054321"


@pytest.fixture
def org(session):
    return make_org(session, units=("province", "dept"), users=("reception", "head"))


def register(session, workflows, org):
    data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="walk_in", received_at=NOW,
                       subject="Khiếu nại", parties=[PartyInput(role="complainant", name="Lê Văn A",
                                                                identity_number=NUMBER),
                                                     PartyInput(role="respondent", name="UBND xã")])
    case = register_case(session, workflows, org["users"]["reception"], data, NOW)
    session.flush()
    return case


def rotate_with(connection, clock, tmp_path, hash_keys: str):
    from dvflow import create_app

    app = create_app({"ENV": "testing", "DB_BIND": connection, "NOW": clock, "RATELIMIT_ENABLED": False,
                      "UPLOAD_DIR": str(tmp_path), "IDENTITY_HASH_KEYS": hash_keys})
    result = app.test_cli_runner().invoke(args=["dvflow", "identity", "rotate-key"])
    assert result.exit_code == 0, result.output
    return result.output


def test_receipts_printed_before_a_hash_key_rotation_keep_working(connection, clock, tmp_path, session, workflows,
                                                                   org):
    case = register(session, workflows, org)
    code, secret = case.tracking_code, case.tracking_secret
    old_id = crypto.installed().current_hash_id
    output = rotate_with(connection, clock, tmp_path, f"{NEW_HASH},{TestingConfig.IDENTITY_HASH_KEY}")
    assert f"{old_id}: 1" in output  # the report says which hash key the printed receipts need
    session.expire_all()
    assert find_case(session, code, secret) is case  # the citizen's paper receipt
    assert find_case(session, code, "AAAAAA") is None
    assert duplicates(session, org["users"]["head"], NUMBER, "", NOW) == [case]  # hashed with the new key
    reissued = tracking.issue_secret(case)
    assert case.tracking_secret_hash.split("$")[1] == crypto.installed().current_hash_id != old_id
    assert find_case(session, code, reissued) is case and find_case(session, code, secret) is None


def test_the_single_hash_key_setting_still_works_and_both_at_once_are_refused():
    single = load_config(environ={"DVFLOW_ENV": "testing", "DVFLOW_IDENTITY_HASH_KEY": NEW_HASH})
    assert crypto.parse_keys(single["IDENTITY_KEYS"], crypto.hash_keys_text(single)).hash_key == b"h" * 32
    listed = load_config(environ={"DVFLOW_ENV": "testing",
                                  "DVFLOW_IDENTITY_HASH_KEYS": f"{NEW_HASH},{TestingConfig.IDENTITY_HASH_KEY}"})
    keys = crypto.parse_keys(listed["IDENTITY_KEYS"], crypto.hash_keys_text(listed))
    assert keys.hash_key == b"h" * 32 and len(keys.hash_keys) == 2
    with pytest.raises(ConfigError, match="DVFLOW_IDENTITY_HASH_KEYS or DVFLOW_IDENTITY_HASH_KEY, not both"):
        load_config(environ={"DVFLOW_ENV": "testing", "DVFLOW_IDENTITY_HASH_KEY": NEW_HASH,
                             "DVFLOW_IDENTITY_HASH_KEYS": NEW_HASH})
