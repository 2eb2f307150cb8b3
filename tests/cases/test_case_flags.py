"""The flags a workflow may set are the engine's CASE_FLAGS, and each is a boolean column of the case."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean

from dvflow.engine.types import CASE_FLAGS
from dvflow.models import Case
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.timeutil import TZ


def test_every_case_flag_is_a_boolean_column_of_the_case() -> None:
    columns = Case.__table__.columns
    for flag in CASE_FLAGS:
        assert flag in columns and isinstance(columns[flag].type, Boolean), flag


def test_set_flags_of_the_workflow_are_applied_to_the_case(session, workflows, org) -> None:
    u = org["users"]
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter",
                       received_at=datetime.combine(date(2026, 11, 2), time(9), TZ), subject="Tố cáo",
                       parties=[PartyInput(role="denouncer", name="Nguyễn Văn An")])
    case = register_case(session, workflows, u["reception"], data, datetime.combine(date(2026, 11, 2), time(10), TZ))
    cases.perform(session, workflows, u["head"], case.id, "accept",
                  {"decision_number": "01", "decision_date": "2026-11-04"},
                  datetime.combine(date(2026, 11, 4), time(15), TZ))
    assert not case.complex and not case.especially_complex
    t = workflows.for_case(case).transitions_for("mark_especially_complex")[0]
    payload = {f.name: "2026-11-05" if f.type == "date" else "Vụ việc đặc biệt phức tạp" for f in t.fields
               if f.required}
    cases.perform(session, workflows, u["head"], case.id, "mark_especially_complex", payload,
                  datetime.combine(date(2026, 11, 5), time(15), TZ))
    assert case.complex and case.especially_complex and case.flags >= t.set_flags
