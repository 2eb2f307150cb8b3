"""`flask dvflow audit anchor | verify | keygen`, and the rows the sweep writes in bulk chained like any other."""
from __future__ import annotations

from datetime import timedelta

from deadlines.helpers import STEP_AT, fixed_ladder
from sqlalchemy import select, update

from dvflow.models import CaseEvent, HistoryAnchor
from dvflow.services.audit import keys, verify
from dvflow.services.deadlines.sweep import sweep

from .test_history_chain import DAY_1, new_case


def run(app, *args):
    return app.test_cli_runner().invoke(args=["dvflow", "audit", *args])


def test_verify_passes_then_names_the_edited_row(app, session, workflows, org, clock):
    case = new_case(session, workflows, org, DAY_1)
    session.flush()
    clock.set(DAY_1 + timedelta(days=2))
    signed = run(app, "anchor")
    assert signed.exit_code == 0 and "Đã ký ngày 23/11/2026: 1 dòng" in signed.output
    assert session.scalar(select(HistoryAnchor.day)) is not None
    ok = run(app, "verify")
    assert ok.exit_code == 0, ok.output
    assert "1 dòng lịch sử của 1 hồ sơ và 2 ngày đã ký" in ok.output and "Toàn vẹn" in ok.output
    row = session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id))
    session.execute(update(CaseEvent).where(CaseEvent.id == row.id).values(action="archive"))
    broken = run(app, "verify")
    assert broken.exit_code == 1
    assert f"PHÁT HIỆN SỬA ĐỔI tại dòng {case.tracking_code} #1 (id {row.id})" in broken.output


def test_keygen_prints_a_usable_pair(app):
    result = run(app, "keygen")
    assert result.exit_code == 0
    private = result.output.split("DVFLOW_AUDIT_SIGNING_KEY=")[1].split()[0]
    public = result.output.strip().split()[-1]
    loaded = keys.AuditKeys.load(private)
    assert list(loaded.verifying) == list(keys.AuditKeys.load(None, public).verifying)


def test_a_bad_key_is_a_clean_error(app):
    app.config["AUDIT_SIGNING_KEY"] = "abc"
    result = run(app, "anchor")
    assert result.exit_code != 0 and "32 byte" in result.output and "Traceback" not in result.output


def test_the_sweeps_bulk_rows_are_chained(session, world):
    for _ in range(3):
        world.case_with_clock()
    report = sweep(session, now=STEP_AT["due"], ladder=fixed_ladder())
    assert report.fired
    assert verify.verify(session, keys.AuditKeys.load(None)).ok
    assert session.scalar(select(CaseEvent.seq).where(CaseEvent.action == "escalate").limit(1)) >= 1
