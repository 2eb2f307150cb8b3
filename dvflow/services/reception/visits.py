"""Recording a citizen received in a session: one row of the reception book (Mẫu 03/TCD; LTCD Art 25(2)) and what
was done — answered on the spot, guided, the letter handed into intake as a case, or refused.

One use case, one transaction: the book number, the visit, the case it opens and the booking it closes are written
together or not at all (the caller rolls back on a ServiceError)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ...models import ReceptionBooking, ReceptionSession, ReceptionVisit, User
from ...models.reception import VISIT_CONTENT_TYPES, VISIT_OUTCOMES
from ...timeutil import local_date
from ..cases.intake import IntakeInput, PartyInput, register_case
from ..deadlines.calendar import load_calendar
from ..documents import numbering
from ..errors import Conflict, Forbidden, NotFound, ServiceError
from . import refusals, sessions

#: the counter of the book's sequence numbers (STT) per unit and year: a row of the numbering series, locked while
#: the visit is written, so two desks never take the same number (the unique (unit, year, seq) guards it too)
BOOK_SERIES = "reception_book"
#: the party role of the visitor in the case a letter opens, by what the citizen came about
ROLE_BY_CONTENT = {"complaint": "complainant", "denunciation": "denouncer", "petition": "petitioner",
                   "feedback": "petitioner"}
LIMITS = {"citizen_name": 255, "address": 500, "identity_number": 40, "phone": 40, "summary": 4000,
          "prior_resolver": 500, "guided_to": 500, "guidance_number": 80, "result_note": 4000, "notes": 4000}
MAX_PEOPLE = 10000


@dataclass
class VisitInput:
    citizen_name: str
    summary: str
    content_type: str
    outcome: str
    address: str | None = None
    identity_number: str | None = None
    phone: str | None = None
    people_count: int = 1
    prior_resolver: str | None = None
    within_competence: bool = False
    guided_to: str | None = None
    guidance_number: str | None = None
    #: the workflow (kind) of the case a received letter opens: complaint_first, denunciation, petition, triage…
    case_kind: str | None = None
    refusal_ground: str | None = None
    result_note: str | None = None
    notes: str | None = None
    booking_id: int | None = None
    confidential: bool = False


def record(session: Session, workflows, rules: refusals.Rules, user: User, session_id: int, data: VisitInput,
           now: datetime) -> ReceptionVisit:
    """Record one citizen received in the session and carry out the outcome."""
    rs = sessions.load_for(session, user, session_id, run=True, lock=True)  # not closed under our feet
    sessions.check_open(rs, now)
    _check(data)
    booking = _booking(session, rs, data.booking_id, in_body=True)
    visit = _new_visit(session, rs, user, data, now)
    _OUTCOMES[data.outcome](session, workflows, rules, user, rs, visit, data, now)
    if booking is not None:
        booking.status = "received"
    session.add(visit)
    session.flush()
    return visit


def _check(data: VisitInput) -> None:
    if not (data.citizen_name or "").strip():
        raise ServiceError("Nhập họ tên công dân.", field="citizen_name")
    if not (data.summary or "").strip():
        raise ServiceError("Nhập tóm tắt nội dung.", field="summary")
    if data.content_type not in VISIT_CONTENT_TYPES:
        raise ServiceError("Chọn loại đơn: khiếu nại, tố cáo, kiến nghị hoặc phản ánh.", field="content_type")
    if data.outcome not in VISIT_OUTCOMES:
        raise ServiceError("Chọn kết quả tiếp: trả lời trực tiếp, hướng dẫn, nhận đơn hoặc từ chối.", field="outcome")
    if not isinstance(data.people_count, int) or not 1 <= data.people_count <= MAX_PEOPLE:
        raise ServiceError("Số người cùng nội dung phải từ 1 đến %(max)s.", field="people_count", max=MAX_PEOPLE)
    for name, limit in LIMITS.items():
        value = getattr(data, name)
        if value is not None and len(value) > limit:
            raise ServiceError("Nội dung quá dài (tối đa %(limit)s ký tự).", field=name, limit=limit)


def _booking(session: Session, rs: ReceptionSession, booking_id: int | None,
             in_body: bool = False) -> ReceptionBooking | None:
    if booking_id is None:
        return None
    booking = session.get(ReceptionBooking, booking_id)
    if booking is None or booking.session_id != rs.id:
        # sent with a visit: a bad value of the form or body, named like its other fields; in the path: no such page
        if in_body:
            raise ServiceError("Không tìm thấy lượt đăng ký của phiên này.", field="booking_id")
        raise NotFound("Không tìm thấy lượt đăng ký của phiên này.")
    if booking.status != "booked":
        raise Conflict("Lượt đăng ký này đã được tiếp hoặc đã ghi vắng mặt.")
    return booking


def _new_visit(session: Session, rs: ReceptionSession, user: User, data: VisitInput,
               now: datetime) -> ReceptionVisit:
    seq = numbering.next_number(session, rs.unit_id, BOOK_SERIES, rs.day.year)
    return ReceptionVisit(
        session_id=rs.id, unit_id=rs.unit_id, year=rs.day.year, seq=seq, received_on=rs.day, created_at=now,
        citizen_name=data.citizen_name.strip(), address=_clean(data.address),
        identity_number=_clean(data.identity_number), phone=_clean(data.phone), summary=data.summary.strip(),
        content_type=data.content_type, people_count=data.people_count, prior_resolver=_clean(data.prior_resolver),
        within_competence=bool(data.within_competence), outcome=data.outcome, result_note=_clean(data.result_note),
        notes=_clean(data.notes), booking_id=data.booking_id, created_by_id=user.id,
        # a denouncer's identity is protected (Luật Tố cáo 2018, Điều 47): from the moment the visit is saved
        confidential=bool(data.confidential) or data.content_type == "denunciation")


def _answered(session, workflows, rules, user, rs, visit: ReceptionVisit, data: VisitInput, now) -> None:
    if not visit.result_note:
        raise ServiceError("Ghi nội dung đã trả lời trực tiếp cho công dân (cột theo dõi kết quả).",
                           field="result_note")


def _guided(session, workflows, rules, user, rs, visit: ReceptionVisit, data: VisitInput, now) -> None:
    visit.guided_to, visit.guidance_number = _clean(data.guided_to), _clean(data.guidance_number)
    if not visit.guided_to:
        raise ServiceError("Ghi cơ quan có thẩm quyền mà công dân được hướng dẫn đến.", field="guided_to")
    if not visit.guidance_number:
        raise ServiceError("Ghi số văn bản hướng dẫn.", field="guidance_number")


def _case_opened(session, workflows, rules, user, rs: ReceptionSession, visit: ReceptionVisit, data: VisitInput,
                 now) -> None:
    """The letter received is handed into intake as a case of the kind picked, received on the session's day (its
    clocks count from it), with the visitor as its party."""
    kinds = {d.id for d in workflows.kinds() if d.intake}  # a follow-up task is not a letter
    if data.case_kind not in kinds:
        raise ServiceError("Chọn loại hồ sơ để chuyển đơn vào tiếp nhận, xử lý.", field="case_kind")
    defn = workflows.latest(data.case_kind)
    received = min(sessions.session_start(rs), now)  # a session recorded before its start hour is received now
    party = PartyInput(role=_role(defn, data.content_type), name=visit.citizen_name, address=visit.address,
                       identity_number=visit.identity_number, phone=visit.phone,
                       identity_type="cccd" if (visit.identity_number or "").isdigit() and
                       len(visit.identity_number) == 12 else None)
    data = IntakeInput(kind=defn.id, unit_id=rs.unit_id, channel="walk_in", received_at=received,
                       subject=_subject(visit.summary), content=visit.summary, parties=[party],
                       confidential=visit.confidential,
                       people_count=visit.people_count if visit.people_count > 1 else None)
    try:
        case = register_case(session, workflows, user, data, now)
    except Forbidden as exc:  # e.g. a head of a unit above, who chairs but does not register the unit's letters
        raise ServiceError(exc.template, field="outcome", **exc.params) from exc  # its template: pages translate it
    visit.case_id, visit.within_competence = case.id, True
    # recorded as a complaint or a feedback into a denunciation, the visitor is its denouncer: the visit is protected
    # from now on like the case (Luật Tố cáo 2018, Điều 47); a letter classified later is read by `visit_protected`
    visit.confidential = visit.confidential or case.confidential


def _refused(session, workflows, rules: refusals.Rules, user, rs: ReceptionSession, visit: ReceptionVisit,
             data: VisitInput, now) -> None:
    ground = refusals.ground_for(rules, data.refusal_ground, rs.day)
    visit.refusal_ground = ground.key
    visit.refusal_notice_due = refusals.notice_due(rules, ground, rs.day, load_calendar(session))


_OUTCOMES = {"answered": _answered, "guided": _guided, "case_opened": _case_opened, "refused": _refused}


def _role(defn, content_type: str) -> str:
    preferred = ROLE_BY_CONTENT[content_type]
    if preferred in defn.party_roles:
        return preferred
    return (defn.requires_party or defn.party_roles or (preferred,))[0]


def _subject(summary: str) -> str:
    first = summary.strip().splitlines()[0]
    return first if len(first) <= 250 else first[:247] + "…"


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


def mark_no_show(session: Session, user: User, session_id: int, booking_id: int, now: datetime) -> ReceptionBooking:
    """A booked citizen who did not come."""
    rs = sessions.load_for(session, user, session_id, run=True)
    if local_date(now) < rs.day:
        raise ServiceError("Chưa đến ngày của phiên tiếp công dân.", field="booking_id")
    booking = _booking(session, rs, booking_id)
    booking.status = "no_show"
    session.flush()
    return booking
