"""Demo data: a province with departments and communes, a user for every role, and cases in several states.

Loaded only into an empty database (no units yet), so `make run` can call it every time.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Case, Unit, User
from ..services import cases
from ..services.cases import voiding
from ..services.cases.corrections import CorrectionInput, correct_case
from ..services.cases.intake import IntakeInput, PartyInput, register_case
from ..services.cases.mass import SignerInput
from ..services.deadlines.calendar import set_override
from ..services.documents import flow as doc_flow
from ..services.documents import templates as doc_templates
from ..services.org import accounts
from ..timeutil import TZ
from . import demo_scorecard, demo_sessions
from .demo_schedule import load_schedule_demo

DEMO_PASSWORD = "dvflow-demo-2026"

UNITS = [  # code, name, parent, level, remote
    ("TINH", "Ủy ban nhân dân tỉnh An Phú (demo)", None, "province", False),
    ("BTCD", "Ban Tiếp công dân tỉnh", "TINH", "department", False),
    ("THANHTRA", "Thanh tra tỉnh", "TINH", "department", False),
    ("STNMT", "Sở Nông nghiệp và Môi trường", "TINH", "department", False),
    ("XA-BINHMINH", "Ủy ban nhân dân xã Bình Minh", "TINH", "commune", False),
    ("XA-SONCAO", "Ủy ban nhân dân xã Sơn Cao (vùng sâu, vùng xa)", "TINH", "commune", True),
    ("XA-BINHAN", "Ủy ban nhân dân xã Bình An", "TINH", "commune", False),  # merged into Bình Minh (demo_merger)
]

UNIT_CONTACTS = {  # code: (address, phone) printed on receipts
    "TINH": ("Số 1 đường Trần Hưng Đạo, phường An Phú, tỉnh An Phú (demo)", "0270 3822 000"),
    "BTCD": ("Số 3 đường Trần Hưng Đạo, phường An Phú, tỉnh An Phú (demo)", "0270 3822 111"),
    "THANHTRA": ("Số 5 đường Lê Lợi, phường An Phú, tỉnh An Phú (demo)", "0270 3822 222"),
    "STNMT": ("Số 12 đường Nguyễn Huệ, phường An Phú, tỉnh An Phú (demo)", "0270 3822 333"),
    "XA-BINHMINH": ("Ấp 2, xã Bình Minh, tỉnh An Phú (demo)", "0270 3900 100"),
    "XA-SONCAO": ("Bản Sơn Cao, xã Sơn Cao, tỉnh An Phú (demo)", "0270 3900 200"),
    "XA-BINHAN": ("Ấp 5, xã Bình An, tỉnh An Phú (demo)", "0270 3900 300"),
}

#: the title each head signs under where it is not the level's (a Sở's Giám đốc, a People's Committee's Chủ tịch):
#: the inspectorate and the reception board are units of level "department" too
UNIT_HEAD_TITLES = {"THANHTRA": "Chánh Thanh tra", "BTCD": "Trưởng Ban"}

USERS = [  # username, full name, [(unit, role)]
    ("tiepdan", "Lê Thị Tiếp Dân", [("BTCD", "reception"), ("STNMT", "reception"), ("THANHTRA", "reception")]),
    ("chuyenvien", "Trần Văn Xử Lý", [("STNMT", "handler")]),
    ("truongso", "Nguyễn Văn Trưởng", [("STNMT", "head")]),
    ("thanhtra", "Phạm Thị Xác Minh", [("THANHTRA", "handler")]),
    ("chanhthanhtra", "Hoàng Văn Chánh", [("THANHTRA", "head")]),
    ("chutich", "Võ Minh Chủ Tịch", [("TINH", "head")]),
    ("canboxa", "Đặng Thị Cán Bộ", [("XA-BINHMINH", "reception"), ("XA-BINHMINH", "handler")]),
    ("chutichxa", "Bùi Văn Xã", [("XA-BINHMINH", "head")]),
    ("canbosoncao", "Lý Thị Vùng Cao", [("XA-SONCAO", "reception"), ("XA-SONCAO", "handler")]),
    ("chutichsoncao", "Hà Văn Sơn", [("XA-SONCAO", "head")]),
    ("canbobinhan", "Ngô Thị Bình An", [("XA-BINHAN", "reception"), ("XA-BINHAN", "handler")]),
    ("chutichbinhan", "Lâm Văn An", [("XA-BINHAN", "head")]),
    ("giamsat", "Mai Thị Giám Sát (MTTQ tỉnh)", [("TINH", "supervisor")]),
    ("quantri", "Quản trị hệ thống", [("TINH", "admin")]),
]

OVERRIDES = [
    (date(2026, 1, 2), "off", "Nghỉ bù Tết Dương lịch 2026 (Công văn 12729/VPCP-KGVX)"),
    (date(2026, 1, 10), "working", "Làm bù cho ngày 02/01/2026 (Công văn 12729/VPCP-KGVX)"),
]


def demo_logins() -> list[tuple[str, str, str]]:
    return [(u, DEMO_PASSWORD, ", ".join(f"{role}@{unit}" for unit, role in ms)) for u, _n, ms in USERS]


def is_empty(session: Session) -> bool:
    return session.scalar(select(Unit.id).limit(1)) is None


def load_demo(session: Session, workflows, now: datetime, store=None) -> bool:
    """Load everything into an empty database; returns False (and does nothing) otherwise. `store`: the app's file
    storage, for the demo's case file (none without it)."""
    if not is_empty(session):
        return False
    for code, name, parent, level, remote in UNITS:
        address, phone = UNIT_CONTACTS[code]
        accounts.create_unit(session, code, name, parent_code=parent, level=level, remote_area=remote,
                             address=address, phone=phone, head_title=UNIT_HEAD_TITLES.get(code))
    users = {}
    for username, full_name, ms in USERS:
        users[username] = accounts.create_user(session, username, DEMO_PASSWORD, now=now, full_name=full_name,
                                               email=f"{username}@demo.dvflow.local")
        for unit_code, role in ms:
            accounts.grant_role(session, users[username], accounts.find_unit(session, unit_code), role)
    for day, kind, note in OVERRIDES:
        set_override(session, workflows, day=day, kind=kind, note=note, now=now, source="demo")
    _cases(session, workflows, users, now)
    _letters(session, workflows, users, now)
    load_schedule_demo(session, workflows, users, now)  # reception schedules, compliance, bookings (helper A)
    demo_dialogues.load(session, workflows, users, now)
    demo_sessions.load_sessions(session, workflows, users, now)
    demo_scorecard.load(session, workflows, users, now)  # Dân vận khéo model, manual criteria (helper F)
    demo_features.load(session, workflows, users, now, store)  # ratings, a suspended case with a file, the lookup
    demo_merger.load(session, workflows, users, now)  # a commune merged into another on 01/07/2025, its case moved
    return True


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), TZ)


def _unit_id(session: Session, code: str) -> int:
    return accounts.find_unit(session, code).id


def _intake(session, workflows, who: User, kind: str, unit: str, received: date, subject: str, parties, **kw):
    data = IntakeInput(kind=kind, unit_id=_unit_id(session, unit), channel=kw.pop("channel", "walk_in"),
                       received_at=_at(received), subject=subject, content=kw.pop("content", subject),
                       parties=[PartyInput(**p) for p in parties], **kw)
    return register_case(session, workflows, who, data, _at(received, 10))


def _fill(workflows, case, action: str, day: date, values: dict[str, Any]) -> dict[str, Any]:
    """Every required field of the action: given values, else the action date, the first choice, or a text."""
    defn = workflows.for_case(case)
    t = next(t for t in defn.transitions_for(action) if case.state in t.sources)
    out = {}
    for f in t.fields:
        if f.name in values:
            out[f.name] = values[f.name]
        elif not f.required:
            continue
        elif f.type == "date":
            out[f.name] = day
        elif f.type == "choice":
            out[f.name] = f.choices[0][0]
        elif f.type == "boolean":
            out[f.name] = True
        elif f.type in ("integer", "number"):
            out[f.name] = max(1, int(f.min or 1))
        else:
            out[f.name] = f"{f.label} (dữ liệu mẫu)"
    return out


def _steps(session, workflows, case, steps, users):
    # the documents the steps issue, from the shipped templates (kept in the database: no file store here, no PDF)
    directory = getattr(workflows, "directory", None)
    documents = doc_flow.Settings(str(doc_templates.manifest_dir(directory)), pdf=False) if directory else None
    for username, action, day, values in steps:
        payload = _fill(workflows, case, action, day, values)
        t = next(t for t in workflows.for_case(case).transitions_for(action) if case.state in t.sources)
        payload.pop(doc_flow.number_field(documents, t), None)  # the unit's register numbers what is issued
        cases.perform(session, workflows, users[username], case.id, action, payload, _at(day, 15),
                      documents=documents)


def _cases(session: Session, workflows, users: dict[str, User], now: datetime) -> None:
    today = now.astimezone(TZ).date()
    d = lambda days: today - timedelta(days=days)  # noqa: E731
    citizen = {"role": "complainant", "name": "Nguyễn Văn An", "identity_number": "001086000123",
               "address": "Thôn 3, xã Bình Minh", "phone": "0912345678"}
    respondent = {"role": "respondent", "name": "Chi cục Quản lý đất đai", "kind": "organisation"}

    fresh = _intake(session, workflows, users["tiepdan"], "complaint_first", "STNMT", d(2),
                    "Khiếu nại quyết định thu hồi đất tại thửa số 125", [citizen, respondent])
    cases.assign(session, users["truongso"], fresh.id, users["chuyenvien"].id, _at(d(2), 11))

    working = _intake(session, workflows, users["tiepdan"], "complaint_first", "STNMT", d(20),
                      "Khiếu nại về bồi thường giải phóng mặt bằng dự án đường tỉnh 741",
                      [{**citizen, "name": "Trần Thị Bình", "identity_number": "001190004567"}, respondent])
    cases.assign(session, users["truongso"], working.id, users["chuyenvien"].id, _at(d(20), 11))
    _steps(session, workflows, working, [("tiepdan", "record_known_date", d(19), {"known_on": d(45)}),
                                         ("truongso", "accept", d(17), {}),
                                         ("truongso", "verify", d(16), {})], users)

    overdue = _intake(session, workflows, users["tiepdan"], "complaint_first", "STNMT", d(75),
                      "Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất chồng lấn",
                      [{**citizen, "name": "Phạm Văn Cường", "identity_number": "001075007890"}, respondent])
    cases.assign(session, users["truongso"], overdue.id, users["chuyenvien"].id, _at(d(75), 11))
    _steps(session, workflows, overdue, [("truongso", "accept", d(70), {}),
                                         ("truongso", "verify", d(68), {})], users)

    closed = _intake(session, workflows, users["tiepdan"], "complaint_first", "STNMT", d(60),
                     "Khiếu nại quyết định xử phạt vi phạm hành chính về môi trường",
                     [{**citizen, "name": "Đỗ Thị Dung", "identity_number": "001088001122"}, respondent])
    cases.assign(session, users["truongso"], closed.id, users["chuyenvien"].id, _at(d(60), 11))
    _steps(session, workflows, closed, [
        ("truongso", "accept", d(57), {}),
        ("truongso", "verify", d(55), {}),
        ("chuyenvien", "verification_report", d(40), {}),
        ("chuyenvien", "draft_decision", d(38), {}),
        # the draft states the decision's contents (Luật Khiếu nại 2011, Điều 31 khoản 2); the issue repeats its result
        ("chuyenvien", "submit", d(37), {"result": "right", "disposition": "cancel_all",
                                         "legal_basis": "Luật Xử lý vi phạm hành chính 2012 (biên bản vi phạm)",
                                         "resolution": "Hủy bỏ quyết định xử phạt vi phạm hành chính do biên bản "
                                                       "vi phạm không ghi đúng hành vi vi phạm"}),
        ("truongso", "approve", d(36), {}),
        ("truongso", "issue_decision", d(35), {"result": "right"}),
        ("chuyenvien", "send_decision", d(34), {}),
    ], users)

    # a decision drafted and submitted: its draft document waits for the head on the approval queue
    awaiting = _intake(session, workflows, users["tiepdan"], "complaint_first", "STNMT", d(30),
                       "Khiếu nại việc chậm cấp giấy chứng nhận quyền sử dụng đất thửa 112",
                       [{**citizen, "name": "Mai Văn Giàu", "identity_number": "001085002233"}, respondent])
    cases.assign(session, users["truongso"], awaiting.id, users["chuyenvien"].id, _at(d(30), 11))
    _steps(session, workflows, awaiting, [
        ("truongso", "accept", d(28), {}),
        ("truongso", "verify", d(27), {}),
        ("chuyenvien", "verification_report", d(10), {}),
        ("chuyenvien", "draft_decision", d(3), {}),
        ("chuyenvien", "submit", d(2), {"result": "right", "disposition": "end_act",
                                        "legal_basis": "Luật Đất đai 2024 (thủ tục, thời hạn cấp giấy chứng nhận)",
                                        "resolution": "Chi cục Quản lý đất đai hoàn thành thủ tục cấp giấy chứng "
                                                      "nhận thửa đất số 112 trong 10 ngày"}),
    ], users)

    denunciation = _intake(session, workflows, users["tiepdan"], "denunciation", "THANHTRA", d(12),
                           "Tố cáo cán bộ địa chính nhận tiền khi làm thủ tục đất đai",
                           [{"role": "denouncer", "name": "Lương Văn Em", "identity_number": "001079003344",
                             "address": "Tổ 5, phường Trung Tâm", "phone": "0987654321"},
                            {"role": "accused", "name": "Ông Vũ Văn Phong, cán bộ địa chính"}], channel="letter")
    cases.assign(session, users["chanhthanhtra"], denunciation.id, users["thanhtra"].id, _at(d(12), 11))
    _steps(session, workflows, denunciation, [
        # forwarded by a newspaper: its 20-day reply clock runs from receipt (Luật Tố cáo 2018, Điều 26)
        ("thanhtra", "record_forwarding_body", d(12), {"forwarded_by_body": "press_or_authority",
                                                        "forwarder": "Báo Thanh Niên"}),
        ("chanhthanhtra", "accept", d(8), {}),
        ("chanhthanhtra", "verify", d(7), {"verifier": "Tổ xác minh 02", "identity_removed": True}),
        # whom to protect and why name the denouncer: shown in the history only to those who may see the content
        ("thanhtra", "request_protection", d(6), {"requested_on": d(6), "protected_person": "Lương Văn Em",
                                                  "scope": "job", "grounds": "Người tố cáo bị gây khó khăn tại "
                                                                             "nơi làm việc sau khi gửi đơn"}),
        # found complex, then its resolution time limit extended by 30 days (Luật Tố cáo 2018, Điều 30 khoản 2)
        ("chanhthanhtra", "mark_complex", d(5), {"document_number": "15/TTr-NV", "criteria": "Nội dung tố cáo liên "
                                                 "quan đến nhiều cơ quan, phải xác minh tại nhiều địa điểm"}),
        ("chanhthanhtra", "extend", d(4), {"days": 30, "reason": "Phải xác minh tại nhiều địa điểm và trưng cầu "
                                                                 "giám định chữ ký trên hồ sơ đất đai"})], users)

    _corrected_and_voided(session, workflows, users, fresh, citizen, respondent, d)
    # a mass complaint (12 households): two representatives appointed in writing, so it can be accepted
    _intake(session, workflows, users["tiepdan"], "complaint_first", "STNMT", d(3),
            "Khiếu nại của 12 hộ dân về giá bồi thường dự án khu dân cư Đồng Mới",
            [{"role": "complainant", "name": "Hà Văn Mười", "identity_number": "001080001010", "identity_type": "cccd"},
             {"role": "representative", "name": "Hà Văn Mười", "identity_number": "001080001010",
              "identity_type": "cccd", "address": "Thôn Đồng Mới, xã Bình Minh"},
             {"role": "representative", "name": "Kiều Thị Mai", "address": "Thôn Đồng Mới, xã Bình Minh"},
             respondent], channel="letter", people_count=12,
            signers=[SignerInput(name=f"Hộ dân Đồng Mới ({i})") for i in range(1, 12)],
            appointment_reference="01/VB-ĐM", appointment_date=d(5))

    _intake(session, workflows, users["canboxa"], "petition", "XA-BINHMINH", d(6),
            "Kiến nghị sửa chữa cầu dân sinh thôn 2 bị sạt lở",
            [{"role": "petitioner", "name": f"Hộ dân thôn 2 ({i})"} for i in range(1, 6)], channel="walk_in")


def _letters(session: Session, workflows, users: dict[str, User], now: datetime) -> None:
    """Letters in each triage outcome: waiting, handed off, guided and its repeat archived, a denunciation
    forwarded by the head, a duplicate attached to an open case."""
    today = now.astimezone(TZ).date()
    d = lambda days: today - timedelta(days=days)  # noqa: E731
    sender = {"role": "complainant", "name": "Ngô Văn Giang", "identity_number": "001082005566",
              "address": "Thôn 1, xã Bình Minh", "email": "giang@example.test"}
    letter = lambda days, subject, parties=(sender,): _intake(  # noqa: E731
        session, workflows, users["tiepdan"], "triage", "STNMT", d(days), subject, list(parties), channel="letter")
    not_competent = {"content_type": "complaint_first", "competent": False}

    letter(1, "Đơn đề nghị xem xét việc cấp phép khai thác cát")
    handed = letter(9, "Đơn kiến nghị xử lý ô nhiễm từ cơ sở chăn nuôi thôn 4", [{**sender, "role": "petitioner"}])
    _steps(session, workflows, handed, [("chuyenvien", "classify", d(8), {"content_type": "petition"}),
                                        ("chuyenvien", "accept", d(7), {"target_kind": "petition"})], users)
    guided = letter(15, "Đơn khiếu nại việc xã thu phí chợ")
    _steps(session, workflows, guided, [
        ("chuyenvien", "classify", d(14), not_competent),
        ("chuyenvien", "guide", d(13), {"guidance": "Đề nghị ông gửi đơn đến Chủ tịch UBND xã Bình Minh."})], users)
    repeat = letter(5, "Đơn khiếu nại việc xã thu phí chợ")
    _steps(session, workflows, repeat, [("chuyenvien", "classify", d(4), not_competent),
                                        ("chuyenvien", "archive_repeat", d(3),
                                         {"earlier_letter": guided.tracking_code})], users)
    denounced = letter(4, "Đơn tố cáo cán bộ xã Sơn Cao", [
        {"role": "denouncer", "name": "Đinh Thị Hạnh", "identity_number": "001091007788"},
        {"role": "accused", "name": "Ông Lâm Văn Khoa"}])
    _steps(session, workflows, denounced, [
        ("chuyenvien", "classify", d(3), {"content_type": "denunciation", "competent": False}),
        ("truongso", "forward_denunciation", d(2), {"to_body": "Chủ tịch UBND xã Sơn Cao",
                                                    "forward_number": "25/PC-STNMT"})], users)
    open_case = session.scalar(select(Case).where(Case.kind == "complaint_first", Case.status == "open")
                               .order_by(Case.id))
    duplicate = letter(3, open_case.subject)
    _steps(session, workflows, duplicate, [("chuyenvien", "attach_duplicate", d(2),
                                            {"open_case": open_case.tracking_code})], users)
def _corrected_and_voided(session: Session, workflows, users: dict[str, User], original, citizen, respondent, d):
    """A case whose received date and channel were corrected (its acceptance limit recomputed), and a duplicate of
    `original` voided by the head."""
    corrected = _intake(session, workflows, users["tiepdan"], "complaint_first", "STNMT", d(4),
                        "Khiếu nại việc không cấp giấy phép xây dựng nhà ở",
                        [{**citizen, "name": "Ngô Thị Hoa", "identity_number": "001192005566"}, respondent])
    correct_case(session, workflows, users["tiepdan"], corrected.id, CorrectionInput(
        reason="Đơn gửi qua bưu điện, nhận ngày trước; cán bộ nhập nhầm ngày và hình thức tiếp nhận",
        channel="letter", received_at=_at(d(5))), _at(d(3), 10))
    duplicate = _intake(session, workflows, users["tiepdan"], "complaint_first", "STNMT", d(1), original.subject,
                        [citizen, respondent])
    voiding.void_case(session, workflows, users["truongso"], duplicate.id,
                      "Công dân nộp lại đơn đã tiếp nhận; nhập trùng hồ sơ", _at(d(1), 14), duplicate_of=original.id)


from . import demo_dialogues, demo_features, demo_merger  # noqa: E402  (they use the helpers above)
