"""`identity rotate-key` finds every encrypted column in the models (the reception's visits and bookings hold
identities too): after it, the README's last step (removing the old key) leaves the reception book, the desk and the
public booking working, and the report tells the truth about which keys are still in use."""
from __future__ import annotations

import base64
from datetime import date

import pytest
from factories import NOW, WEB_ORG, make_org
from sqlalchemy import select, text

from config import TestingConfig
from dvflow import crypto
from dvflow.models import Base, ReceptionBooking, ReceptionVisit
from dvflow.models.encrypted import EncryptedText
from dvflow.services.identity import rotation
from dvflow.services.reception import bookings, refusals, visits

NEW = "new:" + base64.b64encode(b"n" * 32).decode()
NEW_HASH = base64.b64encode(b"h" * 32).decode()
NUMBER = "001086000123"


@pytest.fixture
def org(session):
    return make_org(session, **WEB_ORG)


@pytest.fixture
def rules():
    from config import ROOT

    return refusals.load(ROOT / "workflows")


def app_with(connection, clock, tmp_path, **config):
    from dvflow import create_app

    return create_app({"ENV": "testing", "DB_BIND": connection, "NOW": clock, "RATELIMIT_ENABLED": False,
                       "WTF_CSRF_ENABLED": True, "UPLOAD_DIR": str(tmp_path), **config})


def rotate(app):
    result = app.test_cli_runner().invoke(args=["dvflow", "identity", "rotate-key"])
    assert result.exit_code == 0, result.output
    return result.output


def only_new_key() -> None:
    """The README's last step: the old key leaves DVFLOW_IDENTITY_KEYS."""
    crypto.install_from({"IDENTITY_KEYS": NEW, "IDENTITY_HASH_KEY": TestingConfig.IDENTITY_HASH_KEY})


@pytest.fixture
def reception(session, workflows, org, rules):
    from reception.helpers import make_booking, make_session, visit

    rs = make_session(session, org["dept"])
    booking = make_booking(session, rs)
    v = visits.record(session, workflows, rules, org["users"]["reception"], rs.id,
                      visit(phone="0911222333", identity_number=NUMBER), NOW)
    session.flush()
    return rs, v, booking


def test_every_encrypted_column_of_the_models_is_rotated():
    declared = {(t.name, c.name) for t in Base.metadata.tables.values() for c in t.columns
                if isinstance(c.type, EncryptedText)}
    rotated = {(spec.table.name, c) for spec in rotation.encrypted_tables() for c in spec.encrypted}
    assert rotated == declared
    assert {("reception_visits", "identity_number"), ("reception_bookings", "email")} <= rotated
    hashed = {spec.table.name for spec in rotation.encrypted_tables() if spec.hashes}
    assert hashed == {t.name for t in Base.metadata.tables.values() if "identity_hash" in t.columns}


def test_reception_visits_and_bookings_are_re_encrypted(connection, clock, tmp_path, session, reception):
    assert set(rotation.key_use(session)) == {"dev1"}
    output = rotate(app_with(connection, clock, tmp_path, IDENTITY_KEYS=f"{NEW},{TestingConfig.IDENTITY_KEYS}"))
    assert "1 lượt tiếp công dân" in output and "1 lịch hẹn tiếp" in output
    assert set(rotation.key_use(session)) == {"new"}
    raw = [*session.execute(text("SELECT citizen_name, address, identity_number, phone FROM reception_visits")).one(),
           *session.execute(text("SELECT name, phone FROM reception_bookings")).one()]
    assert all(v.startswith("e1:new:") for v in raw)
    only_new_key()
    session.expire_all()
    assert session.scalars(select(ReceptionVisit)).one().phone == "0911222333"
    assert session.scalars(select(ReceptionBooking)).one().name == "Lê Thị Hẹn"


def test_a_public_booking_still_works_once_the_old_key_is_removed(connection, clock, tmp_path, session, org,
                                                                   reception):
    from reception.helpers import make_booking, make_session

    rs = make_session(session, org["dept"], day=date(2026, 12, 10))
    rs.booking_capacity = 5
    make_booking(session, rs, code="DK-0002")  # the booking a new one is checked against (slot, code)
    rotate(app_with(connection, clock, tmp_path, IDENTITY_KEYS=f"{NEW},{TestingConfig.IDENTITY_KEYS}"))
    only_new_key()
    session.expire_all()
    booked = bookings.book(session, rs.id, bookings.BookingInput(name="Công Dân Mới", phone="0909000111",
                                                                 content="Hỏi về đất đai"), NOW)
    assert booked.code


def test_the_reception_book_and_desk_open_once_the_old_key_is_removed(connection, clock, tmp_path, session, org,
                                                                      reception):
    from web.conftest import Browser

    rs, _visit, _booking = reception
    rotate(app_with(connection, clock, tmp_path, IDENTITY_KEYS=f"{NEW},{TestingConfig.IDENTITY_KEYS}"))
    app = app_with(connection, clock, tmp_path, IDENTITY_KEYS=NEW)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    browser = Browser(app.test_client())
    browser.login("reception")
    assert browser.get(f"/tiep-nhan/so?thang=2026-11&don_vi={org['dept'].id}").status_code == 200
    page = browser.get(f"/tiep-nhan/phien/{rs.id}")
    assert page.status_code == 200 and "Nguyễn Văn An" in page.get_data(as_text=True)


def test_a_visit_s_identity_hash_follows_the_hash_key(connection, clock, tmp_path, session, reception):
    _rs, v, _booking = reception
    before = v.identity_hash
    output = rotate(app_with(connection, clock, tmp_path, IDENTITY_HASH_KEYS=NEW_HASH))
    assert "1 mã băm số giấy tờ tính lại" in output  # the visit's (its party-less visit has no party)
    session.expire_all()
    stored = session.scalar(select(ReceptionVisit.identity_hash).where(ReceptionVisit.id == v.id))
    assert stored != before and stored == crypto.identity_hash(NUMBER)  # the app installed the new hash key
