"""`flask dvflow sweep [--at …] [--dry-run]` through Flask's CLI runner."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from deadlines.helpers import STEP_AT, FakeWorkflows
from sqlalchemy import func, select

from dvflow.cli.scheduler import parse_at
from dvflow.models import CaseEvent, EscalationRecord, Notification

AT_LOCAL = "2026-12-09T10:00"  # a week after the due date, Vietnamese time
AT_UTC = datetime(2026, 12, 9, 3, 0, tzinfo=timezone.utc)


def counts(session):
    session.expire_all()
    return [session.scalar(select(func.count()).select_from(m)) for m in (EscalationRecord, Notification, CaseEvent)]


@pytest.fixture(params=["mini_app", "full_app"])
def cli_app(request, mini_app):
    """The commands on the small test app, and on the real create_app() once every part of it exists."""
    if request.param == "mini_app":
        return mini_app
    pytest.importorskip("dvflow.workflows", reason="create_app() needs dvflow.workflows (not written yet)")
    app = request.getfixturevalue("app")
    app.extensions["dvflow.workflows"] = FakeWorkflows()
    return app


def run(app, *args):
    return app.test_cli_runner().invoke(args=["dvflow", "sweep", *args])


def test_sweep_at_a_local_time_fires_the_missed_week(session, world, cli_app):
    case, clock = world.case_with_clock()
    session.commit()
    result = run(cli_app, "--at", AT_LOCAL)
    assert result.exit_code == 0, result.output
    assert "Quét thời hạn lúc 09/12/2026 10:00 (giờ Việt Nam)" in result.output
    assert "Đã kích hoạt 4 bước nhắc việc/cảnh báo trên 1 thời hạn." in result.output
    assert case.tracking_code in result.output and "Quá hạn 5 ngày" in result.output
    session.expire_all()
    rows = session.scalars(select(EscalationRecord).where(EscalationRecord.clock_id == clock.id)
                           .order_by(EscalationRecord.id)).all()
    assert [(r.step_key, r.due_at, r.fired_at) for r in rows] == [(k, STEP_AT[k], AT_UTC) for k in STEP_AT]
    again = run(cli_app, "--at", AT_LOCAL)
    assert "Đã kích hoạt 0 bước" in again.output and counts(session)[0] == 4


def test_dry_run_prints_what_would_fire_and_writes_nothing(session, world, cli_app):
    case, _clock = world.case_with_clock()
    session.commit()
    before = counts(session)
    result = run(cli_app, "--at", AT_LOCAL, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Chạy thử (không ghi gì) lúc 09/12/2026 10:00" in result.output
    assert "Sẽ kích hoạt 4 bước trên 1 thời hạn. Chưa có thay đổi nào được ghi." in result.output
    assert f"{case.tracking_code}  Thời hạn giải quyết  Đến hạn  (đến hạn 03/12/2026 00:00)" in result.output
    assert counts(session) == before


def test_without_at_the_sweep_runs_now(session, world, cli_app, clock):
    world.case_with_clock()
    session.commit()
    clock.set(STEP_AT["before_2"])
    result = run(cli_app)
    assert "Đã kích hoạt 1 bước" in result.output and counts(session)[0] == 1


def test_nothing_due_dry_run(session, cli_app):
    result = run(cli_app, "--dry-run", "--at", "2026-01-01")
    assert "Không có bước nào đến hạn." in result.output


def test_a_bad_time_is_refused_in_vietnamese(cli_app):
    result = run(cli_app, "--at", "mai")
    assert result.exit_code == 2 and "Thời điểm không hợp lệ" in result.output


def test_parse_at_naive_is_vietnamese_time_aware_is_kept():
    assert parse_at("2027-03-01T08:00") == datetime(2027, 3, 1, 1, 0, tzinfo=timezone.utc)
    assert parse_at("2027-03-01T08:00+00:00") == datetime(2027, 3, 1, 8, 0, tzinfo=timezone.utc)


def test_the_scheduler_command_runs_the_blocking_scheduler(mini_app, monkeypatch):
    from dvflow.scheduler import runner

    started = []
    monkeypatch.setattr(runner, "run_blocking", lambda app: started.append(app))
    result = mini_app.test_cli_runner().invoke(args=["dvflow", "scheduler"])
    assert result.exit_code == 0, result.output
    assert started == [mini_app]
    assert "quét thời hạn mỗi 60 giây" in result.output and "Bộ lập lịch đã dừng." in result.output
