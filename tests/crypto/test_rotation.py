"""`dvflow identity rotate-key` re-encrypts every party with the first key and recomputes the identity hashes;
it is idempotent; `identity keygen` prints usable keys; a missing or wrong key is a clear error."""
from __future__ import annotations

import base64

import pytest
from factories import NOW, make_org
from sqlalchemy import select, text

from config import TestingConfig
from dvflow import crypto
from dvflow.models import Party
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.identity import rotation
from dvflow.services.reception.book import duplicates

NEW = "new:" + base64.b64encode(b"n" * 32).decode()
NEW_HASH = base64.b64encode(b"h" * 32).decode()
NUMBER = "079188054321"


@pytest.fixture
def org(session):
    return make_org(session, units=("province", "dept"), users=("reception", "head"))


@pytest.fixture
def case(session, workflows, org):
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="walk_in", received_at=NOW,
                       subject="Tố cáo cán bộ", parties=[
                           PartyInput(role="denouncer", name="Quách Thị Kín", identity_number=NUMBER,
                                      address="Số 7 Lý Thái Tổ", phone="0987654321", email="kin@example.vn"),
                           PartyInput(role="accused", name="Ông Bị Tố")])
    c = register_case(session, workflows, org["users"]["reception"], data, NOW)
    session.flush()
    return c


def app_with(connection, clock, tmp_path, **keys):
    from dvflow import create_app

    return create_app({"ENV": "testing", "DB_BIND": connection, "NOW": clock, "RATELIMIT_ENABLED": False,
                       "UPLOAD_DIR": str(tmp_path), **keys})


def run(app, *args):
    return app.test_cli_runner().invoke(args=["dvflow", "identity", *args])


def names(session) -> list[str]:
    session.expire_all()
    return sorted(p.name for p in session.scalars(select(Party)))


def test_rotate_key_re_encrypts_everything_with_the_first_key(connection, clock, tmp_path, session, case):
    assert rotation.key_use(session) == {"dev1": 6}  # 2 names; the number, address, phone, e-mail
    before = names(session)
    app = app_with(connection, clock, tmp_path, IDENTITY_KEYS=f"{NEW},{TestingConfig.IDENTITY_KEYS}")
    result = run(app, "rotate-key")
    assert result.exit_code == 0, result.output
    assert "2 đương sự" in result.output and "6 giá trị mã hóa lại bằng khóa new" in result.output
    assert "new: 6 giá trị" in result.output
    assert rotation.key_use(session) == {"new": 6}
    assert all(v.startswith("e1:new:") for (v,) in session.execute(text("SELECT name FROM parties")))
    assert names(session) == before
    again = run(app, "rotate-key")  # idempotent: nothing left to do
    assert again.exit_code == 0 and "0 giá trị mã hóa lại" in again.output and "0 dòng được ghi" in again.output
    crypto.install_from({"IDENTITY_KEYS": NEW, "IDENTITY_HASH_KEY": TestingConfig.IDENTITY_HASH_KEY})
    assert names(session) == before  # the old key is no longer needed
    crypto.install_from({"IDENTITY_KEYS": TestingConfig.IDENTITY_KEYS,
                         "IDENTITY_HASH_KEY": TestingConfig.IDENTITY_HASH_KEY})
    with pytest.raises(crypto.IdentityKeyError, match="key 'new'"):
        names(session)  # an old key alone cannot read what was rotated: an error, not garbage


def test_rotating_the_hash_key_recomputes_the_hashes(connection, clock, tmp_path, session, workflows, org):
    data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="walk_in", received_at=NOW,
                       subject="Khiếu nại", parties=[
                           PartyInput(role="complainant", name="Lê Văn A", identity_number=NUMBER),
                           PartyInput(role="respondent", name="UBND xã")])
    complaint = register_case(session, workflows, org["users"]["reception"], data, NOW)
    session.flush()
    app = app_with(connection, clock, tmp_path, IDENTITY_HASH_KEY=NEW_HASH)
    head = org["users"]["head"]
    assert duplicates(session, head, NUMBER, "", NOW) == []  # stored hashes are of the old key
    result = run(app, "rotate-key")
    assert result.exit_code == 0 and "1 mã băm số giấy tờ tính lại" in result.output, result.output
    assert duplicates(session, head, NUMBER, "", NOW) == [complaint]


def test_rotate_key_with_a_missing_key_changes_nothing_and_says_why(connection, clock, tmp_path, session, case):
    app = app_with(connection, clock, tmp_path, IDENTITY_KEYS=NEW)  # the key the rows are under is not given
    result = run(app, "rotate-key")
    assert result.exit_code == 1 and "key 'dev1'" in result.output and "nothing was changed" in result.output
    crypto.install_from({"IDENTITY_KEYS": TestingConfig.IDENTITY_KEYS,
                         "IDENTITY_HASH_KEY": TestingConfig.IDENTITY_HASH_KEY})
    assert rotation.key_use(session) == {"dev1": 6}


def test_keygen_prints_keys_the_configuration_accepts(app):
    result = run(app, "keygen", "--key-id", "k2027")
    assert result.exit_code == 0, result.output
    lines = dict(line.split("=", 1) for line in result.output.splitlines() if not line.startswith("#"))
    keys = crypto.parse_keys(lines["DVFLOW_IDENTITY_KEYS"], lines["DVFLOW_IDENTITY_HASH_KEYS"])
    assert keys.current_id == "k2027"
    assert run(app, "keygen", "--key-id", "bad id").exit_code != 0
