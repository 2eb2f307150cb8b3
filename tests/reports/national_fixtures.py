"""The world of the national export's tests: the periodic report's hand-counted cases (tests/reports/fixtures.py,
the third quarter of 2026 on the cut-off, 15/06 to 14/09), plus a confidential denunciation whose denouncer's identity
is known in full, a dialogue conference, and a reception session whose book holds a confidential denunciation handed
into a case and a guided complaint."""
from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

from factories import NOW

from dvflow.models import ReceptionOfficial, ReceptionSession
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.reception import refusals, visits

from .fixtures import build as build_periodic
from .fixtures import local

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "national-export" / "schema-v1.json").read_text(encoding="utf-8"))

#: every piece of the protected people's identity: none may appear anywhere in an export
SECRET_DENOUNCER = {"name": "Phạm Thị Bí Mật", "identity_number": "079190001234", "address": "12 Ngõ Kín, Hà Đông",
                    "phone": "0987654321", "email": "bimat@example.test"}
SECRET_VISITOR = {"citizen_name": "Đỗ Văn Giấu Tên", "identity_number": "001077009876",
                  "address": "Số 9 Phố Ẩn Danh", "phone": "0911222333"}


def build(session, workflows, org) -> dict:
    cases = build_periodic(session, workflows, org)
    reception = org["users"]["reception"]
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=NOW,
                       subject="Tố cáo cán bộ địa chính nhận tiền",
                       parties=[PartyInput(role="denouncer", **SECRET_DENOUNCER),
                                PartyInput(role="accused", name="Cán bộ địa chính Lê Văn Bị")])
    secret = register_case(session, workflows, reception, data, NOW)
    secret.received_at = local(date(2026, 7, 20))
    conference = register_case(session, workflows, reception, IntakeInput(
        kind="petition", unit_id=org["dept"].id, channel="walk_in", received_at=NOW, subject="Hội nghị đối thoại",
        parties=[PartyInput(role="petitioner", name="Nhân dân thôn Đông")]), NOW)
    conference.kind, conference.received_at = "dialogue", local(date(2026, 7, 21))
    session.flush()
    cases.update(secret=secret, conference=conference)
    cases.update(_reception(session, workflows, org))
    return cases


def _reception(session, workflows, org) -> dict:
    official = ReceptionOfficial(unit_id=org["dept"].id, full_name="Trần Văn Giám Đốc", title="Giám đốc Sở NN&MT",
                                 position="agency_head", active_from=date(2026, 1, 1), created_at=NOW)
    session.add(official)
    session.flush()
    rs = ReceptionSession(unit_id=org["dept"].id, kind="periodic", official_id=official.id, day=date(2026, 8, 6),
                          start_time=time(8, 0), end_time=time(11, 30), place="Trụ sở tiếp công dân",
                          status="published", created_at=NOW)
    outside = ReceptionSession(unit_id=org["dept"].id, kind="regular", day=date(2026, 9, 15), start_time=time(8, 0),
                               end_time=time(11, 30), place="Trụ sở tiếp công dân", status="published",
                               created_at=NOW)
    session.add_all([rs, outside])
    session.flush()
    rules = refusals.load(ROOT / "workflows")
    user = org["users"]["reception"]
    secret = visits.record(session, workflows, rules, user, rs.id, visits.VisitInput(
        summary="Tố cáo cán bộ xã", content_type="denunciation", outcome="case_opened", case_kind="denunciation",
        **SECRET_VISITOR), NOW)
    guided = visits.record(session, workflows, rules, user, rs.id, visits.VisitInput(
        citizen_name="Nguyễn Văn An", summary="Khiếu nại việc cấp giấy chứng nhận", content_type="complaint",
        outcome="guided", guided_to="UBND huyện Đông", guidance_number="12/HD", people_count=6), NOW)
    late = visits.record(session, workflows, rules, user, outside.id, visits.VisitInput(
        citizen_name="Hoàng Thị Muộn", summary="Kiến nghị sửa đường", content_type="petition",
        outcome="answered", result_note="Đã trả lời tại chỗ"), NOW)
    return {"session": rs, "outside_session": outside, "secret_visit": secret, "guided_visit": guided,
            "late_visit": late}
