"""Demo reception sessions (issue #17): the province chair's periodic day, held, with a citizen in each outcome
(one letter handed into a complaint, one refused with its notice issued, one guided, one answered) and its
conclusion notice with a follow-up task; and an online session of the department held with its recording.

Sessions are written as rows here (the planning service belongs to the schedule); what happens at the desk goes
through the desk's services, as an officer's clicks would."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import ReceptionOfficial, ReceptionSession, User
from ..services.deadlines.calendar import load_calendar
from ..services.documents import flow as doc_flow
from ..services.documents import session_docs
from ..services.documents import templates as doc_templates
from ..services.org import accounts
from ..services.reception import refusals, sessions, visits
from ..timeutil import TZ


def load_sessions(session: Session, workflows, users: dict[str, User], now: datetime) -> None:
    directory = getattr(workflows, "directory", None)
    if directory is None:
        return
    rules = refusals.load(directory)
    settings = doc_flow.Settings(str(doc_templates.manifest_dir(directory)), pdf=False)
    calendar = load_calendar(session)
    today = now.astimezone(TZ).date()
    day = calendar.subtract_working_days(today, 3)  # last week's reception day: its notice is already due
    _chair_day(session, workflows, rules, settings, users, day, calendar.add_working_days(day, 1))
    _online(session, workflows, rules, users, calendar.subtract_working_days(today, 2))


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def _official(session: Session, unit_code: str, name: str, title: str, position: str) -> ReceptionOfficial:
    unit = accounts.find_unit(session, unit_code)
    found = session.scalar(select(ReceptionOfficial).where(ReceptionOfficial.unit_id == unit.id,
                                                           ReceptionOfficial.position == position))
    if found is not None:
        return found
    official = ReceptionOfficial(unit_id=unit.id, full_name=name, title=title, position=position,
                                 active_from=date(2026, 1, 1), created_at=_at(date(2026, 1, 1), 8))
    session.add(official)
    session.flush()
    return official


def _session(session: Session, unit_code: str, day: date, **kw) -> ReceptionSession:
    rs = ReceptionSession(unit_id=accounts.find_unit(session, unit_code).id, day=day, start_time=time(8, 0),
                          end_time=time(11, 30), status="published", created_at=_at(day, 7), **kw)
    session.add(rs)
    session.flush()
    return rs


def _chair_day(session, workflows, rules, settings, users, day: date, notice_day: date) -> None:
    chair = _official(session, "TINH", "Võ Minh Chủ Tịch", "Chủ tịch UBND tỉnh", "province_chair")
    rs = _session(session, "TINH", day, kind="periodic", mode="in_person", official_id=chair.id,
                  place="Trụ sở Ban Tiếp công dân tỉnh, số 3 đường Trần Hưng Đạo")
    who, at = users["chutich"], _at(day, 10)
    base = {"address": "Ấp 2, xã Bình Minh", "people_count": 1}
    opened = visits.record(session, workflows, rules, who, rs.id, visits.VisitInput(
        citizen_name="Trương Văn Khiếu", identity_number="079080001111", content_type="complaint",
        outcome="case_opened", case_kind="complaint_first", within_competence=True,
        summary="Khiếu nại quyết định bồi thường khi thu hồi đất làm đường tỉnh 25", **base), at)
    refused = visits.record(session, workflows, rules, who, rs.id, visits.VisitInput(
        citizen_name="Lâm Thị Kéo Dài", content_type="complaint", outcome="refused",
        refusal_ground="persistent_resolved", prior_resolver="UBND tỉnh (Quyết định 88/QĐ-UBND năm 2024)",
        summary="Tiếp tục khiếu nại việc thu hồi đất đã được giải quyết lần hai", **base), at)
    visits.record(session, workflows, rules, who, rs.id, visits.VisitInput(
        citizen_name="Đinh Văn Hướng", content_type="petition", outcome="guided", guided_to="Tòa án nhân dân tỉnh",
        guidance_number="21/HD-BTCD", summary="Tranh chấp ranh giới đất với hộ liền kề", **base), at)
    visits.record(session, workflows, rules, who, rs.id, visits.VisitInput(
        citizen_name="Hồ Thị Hỏi", content_type="feedback", outcome="answered",
        result_note="Chủ tịch trả lời: lịch sửa cầu Bình Minh trong quý I năm 2027",
        summary="Phản ánh cầu Bình Minh xuống cấp", **base), at)
    sessions.close(session, who, rs.id, sessions.CloseInput(notes="Tiếp 4 lượt công dân"), _at(day, 11, 30))
    session_docs.issue_refusal_notice(session, settings, rules, who, refused.id, _at(notice_day, 9))
    session_docs.issue_conclusion(session, settings, workflows, who, rs.id, session_docs.ConclusionInput(
        summary="Các ý kiến của công dân đã được ghi nhận, giao các cơ quan giải quyết theo thẩm quyền.",
        directions={opened.id: "Giao Sở Nông nghiệp và Môi trường thụ lý, giải quyết khiếu nại theo quy định."},
        tasks=[session_docs.TaskInput(unit_id=accounts.find_unit(session, "STNMT").id, visit_id=opened.id, days=30,
                                      description="Kiểm tra hồ sơ bồi thường, báo cáo Chủ tịch UBND tỉnh")]),
        _at(notice_day, 10))


def _online(session, workflows, rules, users, day: date) -> None:
    director = _official(session, "STNMT", "Nguyễn Văn Trưởng", "Giám đốc Sở Nông nghiệp và Môi trường",
                         "agency_head")
    rs = _session(session, "STNMT", day, kind="ad_hoc", mode="online", official_id=director.id,
                  place="Điểm cầu trung tâm, Sở Nông nghiệp và Môi trường",
                  meeting_url="https://hop-truc-tuyen.demo.dvflow.local/stnmt")
    who = users["truongso"]
    visits.record(session, workflows, rules, who, rs.id, visits.VisitInput(
        citizen_name="Vi Văn Xa", address="Bản Sơn Cao, xã Sơn Cao", content_type="petition", outcome="answered",
        result_note="Giám đốc Sở giải thích kế hoạch cấp nước sạch cho bản Sơn Cao",
        summary="Kiến nghị cấp nước sạch cho bản vùng cao"), _at(day, 9))
    sessions.close(session, who, rs.id, sessions.CloseInput(
        recording_ref="Kho lưu trữ điện tử Sở NN&MT: TCD-TT/2026/ghi-hinh-01.mp4"), _at(day, 11))
