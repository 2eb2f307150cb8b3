"""The operator's commands, run through Flask's CLI runner against the test database."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from factories import NOW, PRODUCTION_IDENTITY_ENV
from sqlalchemy import func, select

from dvflow.models import (
    Attachment,
    Case,
    CaseEvent,
    Clock,
    Document,
    Membership,
    Rating,
    ReceptionSession,
    Unit,
    User,
)
from dvflow.security import verify_password
from dvflow.services import ratings
from dvflow.services.cases import public_view
from dvflow.timeutil import local_date


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["dvflow", *args], input=input)


def test_units_and_users_create(app, session):
    assert run(app, "units", "create", "TINH", "UBND tỉnh", "--level", "province").exit_code == 0
    result = run(app, "units", "create", "XA-A", "Xã A", "--parent", "TINH", "--level", "commune", "--remote-area")
    assert result.exit_code == 0, result.output
    unit = session.scalar(select(Unit).where(Unit.code == "XA-A"))
    assert unit.remote_area and unit.parent.code == "TINH" and unit.level == "commune"
    result = run(app, "users", "create", "canbo", "--unit", "XA-A", "--role", "reception", input="mat-khau-dai\n")
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.username == "canbo"))
    assert verify_password(user.password_hash, "mat-khau-dai")
    assert [(m.unit.code, m.role) for m in session.scalars(select(Membership).where(Membership.user_id == user.id))] \
        == [("XA-A", "reception")]


def test_a_units_address_and_phone_for_receipts(app, session):
    result = run(app, "units", "create", "U", "Đơn vị", "--address", "Số 1 Lê Lợi", "--phone", "0270 3822 000")
    assert result.exit_code == 0, result.output
    assert run(app, "units", "contact", "U", "--address", "Số 2 Lê Lợi").exit_code == 0
    unit = session.scalar(select(Unit).where(Unit.code == "U"))
    session.refresh(unit)
    assert (unit.address, unit.phone) == ("Số 2 Lê Lợi", None)  # an option left out clears the value


def test_a_units_head_title_is_set_on_create_and_changed_later(app, session):
    """The title the unit's head signs under (units.head_title): the inspectorate's head is no "Giám đốc"."""
    result = run(app, "units", "create", "THANHTRA", "Thanh tra tỉnh", "--head-title", "Chánh Thanh tra")
    assert result.exit_code == 0, result.output
    unit = session.scalar(select(Unit).where(Unit.code == "THANHTRA"))
    assert unit.head_title == "Chánh Thanh tra"
    result = run(app, "units", "head-title", "THANHTRA", "Chánh Thanh tra tỉnh")
    assert result.exit_code == 0 and "Chánh Thanh tra tỉnh" in result.output, result.output
    session.refresh(unit)
    assert unit.head_title == "Chánh Thanh tra tỉnh"
    result = run(app, "units", "head-title", "THANHTRA")  # no title: back to the level's ("Giám đốc")
    assert result.exit_code == 0 and "Giám đốc" in result.output, result.output
    session.refresh(unit)
    assert unit.head_title is None


@pytest.mark.parametrize("args,message", [
    (["units", "contact", "NOPE", "--address", "x"], "Không có đơn vị mã NOPE"),
    (["units", "create", "P", "Đơn vị P", "--phone", "gọi tôi"], "Số điện thoại đơn vị"),
    (["units", "create", "X", "Y", "--parent", "NOPE"], "Không có đơn vị mã NOPE"),
    (["users", "create", "a", "--unit", "NOPE", "--role", "head"], "Không có đơn vị mã NOPE"),
    (["units", "head-title", "NOPE", "Chánh Thanh tra"], "Không có đơn vị mã NOPE"),
    (["units", "create", "Q", "Đơn vị Q", "--head-title", "x" * 101], "Chức danh thủ trưởng"),
])
def test_bad_input_is_a_clear_error(app, args, message):
    result = run(app, *args, input="password-123\n")
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_units_dissolve_moves_the_open_cases_and_says_how_many(app, session, workflows):
    from datetime import datetime, time

    from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
    from dvflow.services.org import accounts
    from dvflow.timeutil import TZ

    assert run(app, "units", "create", "TINH", "UBND tỉnh", "--level", "province").exit_code == 0
    result = run(app, "units", "create", "XA-AB", "Xã AB", "--parent", "TINH", "--level", "commune",
                 "--active-from", "2025-07-01")
    assert result.exit_code == 0 and "hoạt động từ ngày 01/07/2025" in result.output, result.output
    assert run(app, "units", "create", "XA-A", "Xã A", "--parent", "TINH", "--level", "commune").exit_code == 0
    old, new = (session.scalar(select(Unit).where(Unit.code == c)) for c in ("XA-A", "XA-AB"))
    assert new.active_from.isoformat() == "2025-07-01"
    clerk = accounts.create_user(session, "tiepdan-a", "password-123", now=NOW)
    accounts.grant_role(session, clerk, old, "reception")
    received = datetime.combine(local_date(NOW).replace(month=6, day=2, year=2025), time(9), TZ)
    for subject in ("Đơn một", "Đơn hai"):
        register_case(session, workflows, clerk, IntakeInput(
            kind="petition", unit_id=old.id, channel="walk_in", received_at=received, subject=subject,
            parties=[PartyInput(role="petitioner", name="Trần Thị Bình")]), received)
    session.flush()
    result = run(app, "units", "dissolve", "XA-A", "--on", "2025-07-01", "--into", "XA-AB")
    assert result.exit_code == 0, result.output
    assert "hoạt động đến hết ngày 30/06/2025" in result.output and "Đã chuyển 2 hồ sơ" in result.output
    assert session.scalar(select(func.count(Case.id)).where(Case.unit_id == new.id)) == 2


@pytest.mark.parametrize("args,message", [
    (["units", "dissolve", "XA-A", "--on", "01/07/2025", "--into", "XA-B"], "Ngày --on không hợp lệ: «01/07/2025»"),
    (["units", "dissolve", "NOPE", "--on", "2025-07-01", "--into", "XA-B"], "Không có đơn vị mã «NOPE»"),
    (["units", "dissolve", "XA-A", "--on", "2025-07-01"], "Nhập mã đơn vị kế thừa"),
    (["units", "dissolve", "XA-A", "--into", "XA-B"], "Nhập ngày giải thể"),
    (["units", "dissolve", "XA-A", "--on", "2025-07-01", "--into", "XA-A"], "Đơn vị kế thừa phải khác"),
    (["units", "dissolve", "XA-A", "--on", "0001-01-01", "--into", "XA-B"], "Ngày giải thể, sáp nhập không hợp lệ"),
    (["units", "create", "XA-C", "Xã C", "--active-from", "mai"], "Ngày --active-from không hợp lệ"),
])
def test_units_dissolve_bad_input_is_one_vietnamese_line(app, args, message):
    run(app, "units", "create", "XA-A", "Xã A", "--level", "commune")
    run(app, "units", "create", "XA-B", "Xã B", "--level", "commune")
    result = run(app, *args)
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_unknown_role_refused(app):
    run(app, "units", "create", "U", "Đơn vị")
    result = run(app, "users", "create", "a", "--unit", "U", "--role", "mayor", input="password-123\n")
    assert result.exit_code != 0 and "mayor" in result.output


def test_demo_load_is_idempotent_and_prints_logins(app, session):
    first = run(app, "demo", "load")
    assert first.exit_code == 0, first.output
    assert "Đã nạp dữ liệu mẫu" in first.output and "quantri" in first.output
    cases = session.scalars(select(Case)).all()
    assert {c.status for c in cases} >= {"open", "closed"}
    assert {c.kind for c in cases} >= {"complaint_first", "denunciation", "petition"}
    assert sum(c.voided_at is not None for c in cases) == 1  # one voided, one corrected (channel and date)
    assert session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.action == "correct")) == 2
    second = run(app, "demo", "load")
    assert second.exit_code == 0 and "không nạp" in second.output
    assert len(session.scalars(select(Case)).all()) == len(cases)
    # the lookup's code and secret are printed at every load, the database loaded or not
    assert _printed_lookup(first.output) == _printed_lookup(second.output)


def _printed_lookup(output: str) -> tuple[str, str]:
    found = re.search(r"/tra-cuu: hồ sơ (\S+), mã bí mật (\w+)\.", output)
    assert found, output
    return found.group(1), found.group(2)


def test_the_demo_shows_every_feature(app, session, client):
    """Satisfaction ratings, a resolved case to look up and rate with the printed code and secret, a published session
    then cancelled, a case file in the storage, an extended and a suspended time limit."""
    output = run(app, "demo", "load").output
    today = local_date(NOW)
    summary = ratings.overall(session, None, today.replace(day=1), today)  # the dashboard's month, the API's figure
    assert summary["count"] == 3 and summary["average"] == 4.0
    code, secret = _printed_lookup(output)
    case = public_view.find_case(session, code, secret)
    assert case is not None and case.status == "closed"
    assert session.scalar(select(Rating.id).where(Rating.case_id == case.id)) is None  # the newcomer may rate it
    page = client.get("/tra-cuu").get_data(as_text=True)
    answer = client.post("/tra-cuu", data={"tracking_code": code, "secret": secret.lower(),
                                           "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                                                                   page).group(1)})
    assert answer.status_code == 200 and 'name="score"' in answer.get_data(as_text=True)
    cancelled = session.scalar(select(ReceptionSession).where(ReceptionSession.status == "cancelled"))
    assert cancelled.published_at is not None and cancelled.cancel_reason and cancelled.day > today
    assert f"reception-session-{cancelled.id}@" in client.get("/lich-tiep-cong-dan.ics").get_data(as_text=True)
    assert "STATUS:CANCELLED" in client.get("/lich-tiep-cong-dan.ics").get_data(as_text=True)
    [attachment] = session.scalars(select(Attachment)).all()
    assert app.extensions["dvflow.files"].get(attachment.stored_path).startswith("TÒA ÁN".encode())
    extended = session.scalars(select(Clock).where(Clock.closed_at.is_(None))).all()
    assert [c.name for c in extended if c.extensions] == ["resolve"]
    paused = [c for c in extended if c.state == "paused"]
    assert len(paused) == 1 and session.get(Case, paused[0].case_id).status == "suspended"
    assert session.get(Case, paused[0].case_id).id == attachment.case_id  # the court's letter it waits for
    [revoked] = session.scalars(select(Document).where(Document.revoked_at.is_not(None))).all()
    assert revoked.case_id == attachment.case_id and revoked.status == "issued" and revoked.revoke_reference


def test_the_demo_has_a_commune_merged_on_1_july_2025_and_its_moved_case(app, session):
    from datetime import date

    run(app, "demo", "load")
    old, new = (session.scalar(select(Unit).where(Unit.code == c)) for c in ("XA-BINHAN", "XA-BINHMINH"))
    assert (old.active_to, old.successor_id) == (date(2025, 6, 30), new.id)
    [moved] = session.scalars(select(Case).where(Case.subject.like("%liên ấp Bình An"))).all()
    assert moved.unit_id == new.id and moved.assignee_id is None and moved.status == "open"
    event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == moved.id, CaseEvent.action == "reassign")).one()
    assert "xã Bình An (XA-BINHAN) giải thể, sáp nhập vào Ủy ban nhân dân xã Bình Minh" in event.payload["note"]
    # received by Bình An in June 2025: its report of the second quarter counts it, Bình Minh's does not
    from dvflow.services.reports import periodic, periods

    def received(unit):
        report = periodic.build(session, unit_id=unit.id, visible=None, now=moved.received_at.replace(year=2026),
                                period=periods.bounds("quarter", 2025, 2, "calendar"))
        rows = next(s for s in report.sections if s.key == "tiep-nhan").rows
        return rows[-1].values["total"]

    assert (received(old), received(new)) == (1, 0)


def test_the_demo_inspectorate_signs_as_chief_inspector(app, session):
    """The demo's Thanh tra tỉnh (a unit of level "department") has its head's title, and its denunciation's
    acceptance decision is signed under it."""
    run(app, "demo", "load")
    inspectorate = session.scalar(select(Unit).where(Unit.code == "THANHTRA"))
    assert inspectorate.head_title == "Chánh Thanh tra"
    assert session.scalar(select(Unit).where(Unit.code == "BTCD")).head_title == "Trưởng Ban"
    [decision] = session.scalars(select(Document).join(Case).where(
        Case.unit_id == inspectorate.id, Document.type == "denunciation_acceptance_decision")).all()
    text = _docx_text(decision.content)
    assert "CHÁNH THANH TRA TỈNH" in text and "Hoàng Văn Chánh" in text and "GIÁM ĐỐC" not in text


def _docx_text(content: bytes) -> str:
    import io

    from docx import Document as Docx

    doc = Docx(io.BytesIO(content))
    cells = [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_workflows_check(app, tmp_path):
    ok = run(app, "workflows", "check")
    assert ok.exit_code == 0, ok.output
    broken = tmp_path / "bad.yaml"
    broken.write_text("id: bad\nlabel: x\ntracking_prefix: B\ninitial: nowhere\nstates:\n"
                      "  a: {label: A, status: open}\ntransitions: []\n", encoding="utf-8")
    result = run(app, "workflows", "check", str(broken))
    assert result.exit_code != 0
    assert f"{broken}:" in result.output


def test_workflows_check_prints_review_notes_as_warnings(app, tmp_path):
    ok = run(app, "workflows", "check")
    assert ok.exit_code == 0, ok.output
    warnings = [line for line in ok.output.splitlines() if line.startswith("CẢNH BÁO ")]
    assert any("petition.yaml:" in w and "(hành động issue_decision)" in w for w in warnings)
    note = tmp_path / "note.yaml"
    text = (Path(__file__).resolve().parents[2] / "workflows" / "petition.yaml").read_text(encoding="utf-8")
    start = text.index("    review: ")
    note.write_text(text[:start] + "    review: 'Ghi chú thử'" + text[text.index("\n", start):], encoding="utf-8")
    single = run(app, "workflows", "check", str(note))
    line = next(i for i, t in enumerate(note.read_text(encoding="utf-8").splitlines(), 1) if "Ghi chú thử" in t)
    assert single.exit_code == 0 and f"CẢNH BÁO {note}:{line}: cần rà soát (hành động issue_decision): Ghi chú thử" \
        in single.output


def test_workflows_rules_prints_the_committed_table(app, tmp_path):
    shipped = (Path(__file__).resolve().parents[2] / "workflows" / "RULES.md").read_text(encoding="utf-8")
    printed = run(app, "workflows", "rules")
    assert printed.exit_code == 0 and printed.output == shipped
    out = tmp_path / "RULES.md"
    assert run(app, "workflows", "rules", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == shipped


def test_workflows_graph_and_versions(app, tmp_path):
    out = tmp_path / "kn.svg"
    assert run(app, "workflows", "graph", "complaint_first", "-o", str(out)).exit_code == 0
    assert out.read_text().lstrip().startswith("<svg") or "<svg" in out.read_text()[:500]
    run(app, "demo", "load")
    # ten first complaints not closed in the demo: one a mass case, one corrected, one with its draft awaiting
    # approval, one whose dialogue was held (demo_dialogues), one handed in at the chair's reception session
    # (demo_sessions), one suspended (demo_features), one moved by a commune merger (demo_merger); the voided
    # duplicate is not open
    versions = run(app, "workflows", "versions")
    assert versions.exit_code == 0 and "complaint_first" in versions.output and "hồ sơ đang mở: 10" in versions.output


def test_app_refuses_to_start_with_invalid_workflow(tmp_path):
    from dvflow import create_app
    from dvflow.workflows import WorkflowConfigError

    (tmp_path / "bad.yaml").write_text("id: bad\n", encoding="utf-8")
    with pytest.raises(WorkflowConfigError, match="bad.yaml"):
        create_app({"ENV": "testing", "WORKFLOWS_DIR": str(tmp_path), "DATABASE_URL": "sqlite://"})


def test_secret_key_required_in_production():
    from config import ConfigError, load_config

    with pytest.raises(ConfigError, match="DVFLOW_SECRET_KEY"):
        load_config(environ={"DVFLOW_ENV": "production"})
    with pytest.raises(ConfigError, match="DVFLOW_AUDIT_SIGNING_KEY"):  # the development key is public
        load_config(environ={"DVFLOW_ENV": "production", "DVFLOW_SECRET_KEY": "k"})
    with pytest.raises(ConfigError, match="DVFLOW_IDENTITY_KEYS"):  # the development keys are public too
        load_config(environ={"DVFLOW_ENV": "production", "DVFLOW_SECRET_KEY": "k", "DVFLOW_AUDIT_SIGNING_KEY": "a2V5"})
    with pytest.raises(ConfigError, match="DVFLOW_IDENTITY_HASH_KEY"):
        load_config(environ={"DVFLOW_ENV": "production", "DVFLOW_SECRET_KEY": "k", "DVFLOW_AUDIT_SIGNING_KEY": "a2V5",
                             "DVFLOW_IDENTITY_KEYS": PRODUCTION_IDENTITY_ENV["DVFLOW_IDENTITY_KEYS"]})
    production = {"DVFLOW_ENV": "production", "DVFLOW_SECRET_KEY": "k", "DVFLOW_AUDIT_SIGNING_KEY": "a2V5",
                  **PRODUCTION_IDENTITY_ENV}
    assert load_config(environ=production)["SECRET_KEY"] == "k"
    assert Path(load_config(environ={"DVFLOW_ENV": "development"})["DATABASE_URL"][10:]).name == "dvflow.sqlite3"


def test_unknown_notification_template_stops_the_app(tmp_path):
    import shutil

    from config import ROOT
    from dvflow.workflows import WorkflowConfigError, load_registry

    shutil.copytree(ROOT / "workflows", tmp_path / "wf")
    path = tmp_path / "wf" / "petition.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("template: case_accepted", "template: no_such_one", 1),
                    encoding="utf-8")
    with pytest.raises(WorkflowConfigError, match=r"petition\.yaml:\d+: unknown notification template 'no_such_one'"):
        load_registry(str(tmp_path / "wf"))


def test_workflows_check_reports_unknown_template(app, tmp_path):
    from config import ROOT

    text = (ROOT / "workflows" / "petition.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "petition.yaml"
    bad.write_text(text.replace("template: case_accepted", "template: no_such_one", 1), encoding="utf-8")
    result = run(app, "workflows", "check", str(bad))
    assert result.exit_code != 0 and "no_such_one" in result.output


def test_a_missing_setting_stops_the_app_with_one_line_naming_it():
    """`flask --app wsgi …` (and gunicorn) outside development without the keys: one line naming the setting and how
    to run the demo, not a traceback a newcomer has to read."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DVFLOW_")}
    done = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=root, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert "DVFLOW_SECRET_KEY" in done.stderr and "DVFLOW_ENV=development" in done.stderr


def test_a_demo_load_rolled_back_leaves_no_file_in_the_storage(app, monkeypatch):
    import os

    from dvflow.cli import demo as demo_cli

    real, upload_dir = demo_cli.load_demo, app.config["UPLOAD_DIR"]

    def failing(*args, **kwargs):
        real(*args, **kwargs)
        assert any(files for _d, _s, files in os.walk(upload_dir)), "the demo stored its case file"
        raise RuntimeError("the commit failed")

    monkeypatch.setattr(demo_cli, "load_demo", failing)
    assert run(app, "demo", "load").exit_code != 0
    assert not any(files for _d, _s, files in os.walk(upload_dir))
