"""Demo dialogues: a complaint whose dialogue was held (notice and Mẫu 14 minutes with attendance) and a commune that
held its yearly dialogue conference this year (Luật Thực hiện dân chủ ở cơ sở 2022, Điều 32), each with a
commitment tracked as a follow-up case; and a commune that has held none."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from ..models import User
from ..services import cases
from ..services.dialogues import commitments, conferences
from ..timeutil import TZ
from .demo_data import _at, _intake, _steps, _unit_id

CITIZEN = {"role": "complainant", "name": "Lâm Thị Hạnh", "identity_number": "001087005566",
           "address": "Thôn 1, xã Bình Minh", "phone": "0903111222"}
RESPONDENT = {"role": "respondent", "name": "Ủy ban nhân dân xã Bình Minh", "kind": "organisation"}


def load(session: Session, workflows, users: dict[str, User], now: datetime) -> None:
    today = now.astimezone(TZ).date()
    complaint = _complaint_with_dialogue(session, workflows, users, today)
    _promise(session, workflows, users["truongso"], complaint, now, "STNMT", 15,
             "Đo đạc lại ranh giới thửa đất số 48 và gửi kết quả cho bà Hạnh", "Ông Nguyễn Văn Trưởng, Giám đốc Sở")
    conference = _conference_held(session, workflows, users, today, now)
    _promise(session, workflows, users["chutichxa"], conference, now, "XA-BINHMINH", 60,
             "Lắp 20 bộ đèn chiếu sáng khu dân cư thôn 1", "Ông Bùi Văn Xã, Chủ tịch UBND xã")
    # XA-SONCAO holds none: the compliance page shows it missing for the year


def _complaint_with_dialogue(session, workflows, users, today: date) -> None:
    d = lambda days: today - timedelta(days=days)  # noqa: E731
    case = _intake(session, workflows, users["tiepdan"], "complaint_first", "STNMT", d(45),
                   "Khiếu nại quyết định thu hồi đất làm đường giao thông thôn 1", [CITIZEN, RESPONDENT])
    cases.assign(session, users["truongso"], case.id, users["chuyenvien"].id, _at(d(45), 11))
    _steps(session, workflows, case, [
        ("truongso", "accept", d(42), {}),
        ("truongso", "verify", d(41), {"verifier": "Tổ xác minh 01"}),
        ("chuyenvien", "verification_report", d(25), {"summary": "Diện tích thu hồi đúng; mức bồi thường còn khác "
                                                                 "với yêu cầu", "request_differs": True}),
        ("truongso", "schedule_dialogue", d(20), {
            "scheduled_on": d(13), "place": "Phòng họp Sở Nông nghiệp và Môi trường",
            "content": "Mức bồi thường, hỗ trợ khi thu hồi 120 m² đất thửa số 48",
            "invitees": "Ủy ban nhân dân xã Bình Minh\nTrung tâm Phát triển quỹ đất tỉnh"}),
        ("chuyenvien", "record_minutes", d(13), {
            "place": "Phòng họp Sở Nông nghiệp và Môi trường", "attendance": "present",
            "attendees": "Bà Lâm Thị Hạnh (người khiếu nại)\nÔng Bùi Văn Xã, Chủ tịch UBND xã Bình Minh (người bị "
                         "khiếu nại)\nBà Ngô Thị Lan, Trung tâm Phát triển quỹ đất tỉnh",
            "absentees": "Ông Lâm Văn Tâm (người có quyền, nghĩa vụ liên quan), có giấy báo vắng",
            "agreed": "Đo đạc lại ranh giới thửa đất số 48 có sự chứng kiến của các bên",
            "open_points": "Đơn giá bồi thường đất ở"}),
    ], users)
    return case


def _conference_held(session, workflows, users, today: date, now: datetime) -> None:
    """A conference of XA-BINHMINH held this year, a month ago (or on the first of January)."""
    held = max(date(today.year, 1, 1), today - timedelta(days=30))
    data = conferences.ConferenceInput(
        unit_id=_unit_id(session, "XA-BINHMINH"), planned_on=held, place="Hội trường Ủy ban nhân dân xã Bình Minh",
        topics="Kết quả xây dựng nông thôn mới\nQuản lý đất đai, trật tự xây dựng\nAn ninh trật tự thôn xóm",
        front_coorganiser="Bà Trịnh Thị Thu, Chủ tịch Ủy ban MTTQ xã Bình Minh")
    case = conferences.plan(session, workflows, users["canboxa"], data, now)
    _steps(session, workflows, case, [("chutichxa", "hold", held, {
        "held_on": held, "place": "Hội trường Ủy ban nhân dân xã Bình Minh", "chair": "Ông Bùi Văn Xã, Chủ tịch UBND xã",
        "attendance_count": 126, "front_present": True, "front_representative": "Bà Trịnh Thị Thu",
        "opinions": "Đường liên thôn 2 - thôn 3 xuống cấp\nThiếu đèn chiếu sáng khu dân cư thôn 1",
        "answers": "Ủy ban nhân dân xã đưa tuyến đường vào kế hoạch đầu tư công năm sau; lắp đèn bằng nguồn xã hội hóa",
        "agreed": "Lắp 20 bộ đèn chiếu sáng thôn 1 trong 60 ngày"})], users)
    return case


def _promise(session, workflows, who: User, case, now: datetime, unit: str, days: int, description: str,
             promised_by: str) -> None:
    data = commitments.DialogueCommitment(description=description, unit_id=_unit_id(session, unit), days=days,
                                          promised_by=promised_by)
    commitments.add(session, workflows, who, case.id, data, now)
