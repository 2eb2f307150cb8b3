"""The sweep with the real app and the real workflow files: a registered complaint's acceptance clock escalates."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from dvflow.models import Case, Clock, EscalationRecord


@pytest.fixture
def real_app(request):
    pytest.importorskip("dvflow.workflows", reason="create_app() needs dvflow.workflows")
    return request.getfixturevalue("app")


def test_registered_complaint_escalates_through_its_workflow_ladder(session, world, real_app, clock):
    from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case

    workflows = real_app.extensions["dvflow.workflows"]
    case = register_case(session, workflows, world.handler,
                         IntakeInput(kind="complaint_first", unit_id=world.unit.id, channel="letter",
                                     received_at=clock(), subject="Khiếu nại quyết định thu hồi đất",
                                     parties=[PartyInput(role="complainant", name="Nguyễn Văn An")],
                                     assignee_id=world.handler.id), clock())
    session.commit()
    [accept] = session.scalars(select(Clock).where(Clock.case_id == case.id)).all()
    steps = [s.key for s in workflows.ladder(session, case.workflow_version, accept.name)]
    assert accept.next_step_key == steps[0]
    result = real_app.test_cli_runner().invoke(args=["dvflow", "sweep", "--at", "2027-01-15T08:00"])
    assert result.exit_code == 0, result.output
    assert f"Đã kích hoạt {len(steps)} bước" in result.output
    session.expire_all()
    fired = session.scalars(select(EscalationRecord).where(EscalationRecord.clock_id == accept.id)
                            .order_by(EscalationRecord.id)).all()
    assert [r.step_key for r in fired] == steps
    assert all(r.fired_at == datetime(2027, 1, 15, 1, 0, tzinfo=timezone.utc) for r in fired)
    assert [r.due_at for r in fired] == sorted(r.due_at for r in fired)
    case = session.get(Case, case.id)
    assert session.get(Clock, accept.id).state == "missed"
    assert case.escalation_level >= 1 and case.priority
