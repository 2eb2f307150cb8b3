"""A case registered into a unit while its dissolution runs (PostgreSQL, two connections) must not stay open in the
dissolved unit, where it could never be assigned (assignment refuses a dissolved unit) nor moved (a second
dissolution is refused): the dissolution locks the unit's row, the intake holds it (services.org.lifetime.hold)."""
from __future__ import annotations

import threading
from datetime import date, datetime, time

import pytest
from factories import PASSWORD
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from dvflow.models import Case, Unit, User
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.org import accounts
from dvflow.services.org.units import dissolve_unit
from dvflow.timeutil import TZ

NOW = datetime.combine(date(2026, 11, 25), time(9), TZ)


@pytest.mark.postgres_only
def test_a_case_registered_during_a_dissolution_does_not_stay_in_the_dissolved_unit(scratch_engine, workflows):
    with Session(scratch_engine) as s:
        accounts.create_unit(s, "TINH", "UBND tỉnh", level="province")
        old = accounts.create_unit(s, "XA-A", "Xã A", parent_code="TINH", level="commune")
        accounts.create_unit(s, "XA-B", "Xã B", parent_code="TINH", level="commune")
        officer = accounts.create_user(s, "canbo", PASSWORD, now=NOW, full_name="Cán bộ", email="cb@example.test")
        accounts.grant_role(s, officer, old, "reception")
        s.commit()
        old_id, officer_id = old.id, officer.id
    admin = Session(scratch_engine)
    outcome = []

    def register():
        with Session(scratch_engine) as desk:
            desk.execute(text("SET lock_timeout = '8s'"))
            data = IntakeInput(kind="complaint_first", unit_id=old_id, channel="walk_in", received_at=NOW,
                               subject="Khiếu nại thu hồi đất",
                               parties=[PartyInput(role="complainant", name="Lê Văn An")])
            try:
                register_case(desk, workflows, desk.get(User, officer_id), data, NOW)
                desk.commit()
                outcome.append("registered")
            except Exception as exc:  # noqa: BLE001
                outcome.append(f"{type(exc).__name__}: {exc}")

    try:
        admin.execute(text("SET lock_timeout = '8s'"))
        dissolve_unit(admin, None, "XA-A", date(2026, 11, 1), "XA-B", NOW)  # not committed yet
        worker = threading.Thread(target=register)
        worker.start()
        worker.join(1.5)
        blocked = worker.is_alive()
        admin.commit()
        worker.join(15)
    finally:
        admin.close()
    with Session(scratch_engine) as s:
        assert s.get(Unit, old_id).active_to is not None
        stuck = s.scalars(select(Case.tracking_code).where(Case.unit_id == old_id, Case.status != "closed")).all()
        assert stuck == [], f"open in the dissolved unit: {stuck}"
    assert blocked, "the intake did not wait for the dissolution"
    assert len(outcome) == 1 and outcome[0].startswith("ServiceError") and "giải thể" in outcome[0], outcome
