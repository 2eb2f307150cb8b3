"""/api/v1/cases: thin handlers (parse -> authorize through the services -> one service -> commit -> respond)."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, jsonify, request
from sqlalchemy import select

from ..models import Case, Unit
from ..request import commit, db_session, now, workflows
from ..services import cases, keyset
from ..services.cases import confidentiality, corrections, queries, voiding
from ..services.cases.idempotency import checked_key
from ..services.cases.intake import IntakeInput, PartyInput
from ..services.cases.mass import SignerInput
from ..services.cases.queries import case_query
from ..services.cases.representatives import RepresentativesInput
from ..services.documents import flow as doc_flow
from ..services.errors import ServiceError
from ..timeutil import local_date
from . import (
    bp,
    schemas,
    schemas_access,
    schemas_corrections,
    schemas_intake,
    serialize,
)
from .auth import api_user
from .openapi import api_route
from .request import body, query


def _unit_id(ref: int | str) -> int:
    s = db_session()
    unit = s.get(Unit, ref) if isinstance(ref, int) else s.scalar(select(Unit).where(Unit.code == ref))
    if unit is None:
        raise ServiceError("Đơn vị không tồn tại.", field="unit")
    return unit.id


def _detail(case: Case, status: int = 200, secret: str | None = None):
    s = db_session()
    return jsonify(serialize.case_detail(s, workflows(), api_user(), case, local_date(now()), secret)), status


#: every answer of these routes shows a case (parties' identities, content): no cache may keep it
_NO_STORE = frozenset({"create_case", "list_cases", "get_case", "case_events", "case_action", "case_assign",
                       "case_correct", "case_void", "case_representatives", "case_access_log", "case_receipt",
                       "case_receipt_reissue"})


@bp.after_request
def _no_store(response):
    if (request.endpoint or "").partition(".")[2] in _NO_STORE:
        response.headers["Cache-Control"] = "no-store"
    return response


MAX_IDEMPOTENCY_KEY = 100
IDEMPOTENCY_KEY = {"description": "Khóa chống tạo trùng: gửi lại cùng khóa (cùng nội dung) thì nhận lại hồ sơ đã "
                                  "tạo lần đầu (mã 200) thay vì tạo hồ sơ mới (tối đa 100 ký tự in được, không chỉ "
                                  "gồm khoảng trắng)",
                   "schema": {"type": "string", "maxLength": MAX_IDEMPOTENCY_KEY}}


def _idempotency_key() -> str | None:
    """The client's key, prefixed apart from the intake page's keys. Its documented length is checked here, by the
    service's checked_key with the API's limit, before the prefix (the service's own limit counts the prefix: 126
    characters passed); a blank key is refused, not stripped into the one key every blank request of the user would
    share."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not key.strip():
        raise ServiceError("Mã yêu cầu (Idempotency-Key) không được để trống.", field="Idempotency-Key")
    return f"api:{checked_key(key, 'Idempotency-Key', MAX_IDEMPOTENCY_KEY)}"


@api_route(bp, "/cases", "POST", "Tiếp nhận hồ sơ mới", body=schemas.CaseCreate, response=schemas.CaseDetailOut,
           status=201, errors=(403, 409), headers={"Idempotency-Key": IDEMPOTENCY_KEY},
           also={200: "Đã tiếp nhận trước đó với cùng Idempotency-Key: hồ sơ đã tạo lần đầu"},
           error_text={409: "Có hồ sơ đang giải quyết của đơn vị có thể trùng (cùng số giấy tờ hoặc trích yếu tương "
                            "tự), liệt kê trong error.candidates: gửi lại với \"confirm_duplicate\": true để vẫn tiếp "
                            "nhận; hoặc Idempotency-Key đang được xử lý"})
def create_case():
    key = _idempotency_key()
    data = body(schemas.CaseCreate)
    intake = IntakeInput(kind=data.kind, unit_id=_unit_id(data.unit), channel=data.channel,
                         received_at=data.received_at, subject=data.subject, content=data.content,
                         parties=[PartyInput(**p.model_dump()) for p in data.parties], complex=data.complex,
                         especially_complex=data.especially_complex, mass=data.mass,
                         confidential=data.confidential, remote_area=data.remote_area,
                         related_case_id=data.related_case_id,
                         people_count=data.people_count, signers=[SignerInput(**s.model_dump()) for s in data.signers],
                         appointment_reference=data.appointment_reference, appointment_date=data.appointment_date,
                         confirm_duplicate=data.confirm_duplicate)
    case, created = cases.register_once(db_session(), workflows(), api_user(), intake, now(), key,
                                        field="Idempotency-Key", check_duplicates=True)
    commit()
    # the receipt's secret is answered once, to the request that registered the case; a replay of its key answers
    # the case without it (only its hash is kept): POST /cases/{id}/receipt/reissue prints a new one
    return _detail(case, 201 if created else 200, case.tracking_secret if created else None)


@api_route(bp, "/cases", "GET", "Danh sách hồ sơ được xem", query=schemas.CaseListQuery,
           response=schemas.CaseListOut)
def list_cases():
    args = query(schemas.CaseListQuery)
    s = db_session()
    q = case_query(s, api_user(), queue="unit", kind=args.kind, state=args.state, status=args.status,
                   show_voided=args.show_voided)
    q, estimate = queries.searched(s, q, args.q)
    page = queries.slice_of(s, q, args.limit, offset=args.offset, cursor=args.cursor or None, estimate=estimate)
    out = schemas.CaseListOut(items=[serialize.case_out(s, workflows(), c, api_user()) for c in page.items],
                              total=page.total if page.estimated else min(page.total, keyset.CAP),
                              total_capped=page.capped, total_estimated=page.estimated, limit=args.limit,
                              offset=0 if page.by_cursor else args.offset, next=_next_link(page.next_cursor))
    return jsonify(out.model_dump(mode="json"))


def _next_link(cursor: str | None) -> str | None:
    """The address of the next page: this request's filters, its cursor instead of any offset."""
    if cursor is None:
        return None
    kept = [(k, v) for k, v in request.args.items(multi=True) if k not in ("cursor", "offset")]
    return f"{request.path}?{urlencode([*kept, ('cursor', cursor)])}"


@api_route(bp, "/cases/{case_id}", "GET", "Chi tiết hồ sơ: đương sự, thời hạn, thao tác", errors=(404,),
           response=schemas.CaseDetailOut)
def get_case(case_id: int):
    return _detail(cases.load_case_for(db_session(), api_user(), case_id))


@api_route(bp, "/cases/{case_id}/events", "GET", "Lịch sử hồ sơ", errors=(404,), response=schemas.EventListOut)
def case_events(case_id: int):
    s = db_session()
    case = cases.load_case_for(s, api_user(), case_id)
    rows = serialize.event_rows(s, workflows(), case, api_user())
    return jsonify(schemas.EventListOut(items=rows).model_dump(mode="json"))


@api_route(bp, "/cases/{case_id}/access-log", "GET", "Nhật ký xem danh tính người tố cáo và tải tệp của hồ sơ bảo "
           "mật (thủ trưởng, cơ quan giám sát)", errors=(403, 404), response=schemas_access.AccessLogOut)
def case_access_log(case_id: int):
    rows = confidentiality.access_log(db_session(), api_user(), case_id)
    return jsonify(schemas_access.AccessLogOut(items=serialize.access_log_rows(rows)).model_dump(mode="json"))


@api_route(bp, "/cases/{case_id}/clocks", "GET", "Thời hạn của hồ sơ và cách tính", errors=(404,),
           response=schemas.ClockListOut)
def case_clocks(case_id: int):
    s = db_session()
    case = cases.load_case_for(s, api_user(), case_id)
    rows = serialize.clock_rows(s, case, local_date(now()))
    return jsonify(schemas.ClockListOut(items=rows).model_dump(mode="json"))


@api_route(bp, "/cases/{case_id}/actions/{trigger}", "POST", "Thực hiện một thao tác của quy trình",
           body=schemas.ActionRequest, response=schemas.CaseDetailOut, errors=(403, 404, 409))
def case_action(case_id: int, trigger: str):
    data = body(schemas.ActionRequest)
    case = cases.perform(db_session(), workflows(), api_user(), case_id, trigger, data.payload(), now(),
                              expected_version=data.version,
                              documents=doc_flow.settings_from(current_app.config))
    commit()
    return _detail(case)


@api_route(bp, "/cases/{case_id}/assign", "POST", "Giao xử lý (thủ trưởng) hoặc tự nhận hồ sơ (chuyên viên)",
           body=schemas.AssignRequest, response=schemas.CaseDetailOut, errors=(403, 404, 409))
def case_assign(case_id: int):
    data = body(schemas.AssignRequest)
    user = api_user()
    case = cases.assign(db_session(), user, case_id, data.assignee_id or user.id, now(), expected_version=data.version)
    commit()
    return _detail(case)


@api_route(bp, "/cases/{case_id}", "PATCH", "Sửa thông tin tiếp nhận (có lý do); thời hạn tính từ ngày tiếp nhận "
           "được tính lại", body=schemas_corrections.CasePatch, response=schemas_corrections.CaseCorrectedOut,
           errors=(403, 404, 405, 409))
# 405: an id beyond the path's range matches no rule, and the GET rule of the same path answers "wrong method"
def case_correct(case_id: int):
    data = body(schemas_corrections.CasePatch)
    edits = [corrections.PartyEdit(party_id=p.id, **p.model_dump(exclude={"id"})) for p in data.parties]
    done = corrections.correct_case(
        db_session(), workflows(), api_user(), case_id,
        corrections.CorrectionInput(reason=data.reason, subject=data.subject, content=data.content,
                                    channel=data.channel, received_at=data.received_at, parties=edits),
        now(), expected_version=data.version)
    commit()
    s = db_session()
    detail = serialize.case_detail(s, workflows(), api_user(), done.case, local_date(now()))
    message = "Đã sửa thông tin tiếp nhận."
    if done.recomputed:
        message += f" Đã tính lại thời hạn: {done.recomputed_text}."
    out = {**detail, "changes": [_change(c, done.case) for c in done.changes], "message": message,
           "recomputed": [{k: r[k] for k in ("clock", "label", "old_due_date", "new_due_date")}
                          for r in done.recomputed]}
    return jsonify(schemas_corrections.CaseCorrectedOut.model_validate(out).model_dump(mode="json"))


def _change(change: dict, case) -> dict:
    shown = corrections.shown(change, case)
    return {k: shown.get(k) for k in ("field", "label", "old", "new", "party_id")} | {
        "redacted": bool(shown.get("redacted")), "withheld": bool(shown.get("withheld"))}


@api_route(bp, "/cases/{case_id}/void", "POST", "Hủy hồ sơ nhầm hoặc trùng (thủ trưởng; có lý do): hồ sơ được giữ "
           "lại, rời khỏi danh sách và thống kê, không nhận thêm thao tác", body=schemas_corrections.VoidRequest,
           response=schemas.CaseDetailOut, errors=(403, 404, 409))
def case_void(case_id: int):
    data = body(schemas_corrections.VoidRequest)
    case = voiding.void_case(db_session(), workflows(), api_user(), case_id, data.reason, now(),
                             duplicate_of=data.duplicate_of, expected_version=data.version)
    commit()
    return _detail(case)


@api_route(bp, "/cases/{case_id}/representatives", "PUT",
           "Cập nhật người đại diện của vụ việc đông người (thay danh sách đã ghi)",
           body=schemas_intake.RepresentativesUpdate, response=schemas.CaseDetailOut, errors=(403, 404, 409))
def case_representatives(case_id: int):
    data = body(schemas_intake.RepresentativesUpdate)
    reps = [PartyInput(**p.model_dump()) for p in data.representatives]
    case = cases.update_representatives(db_session(), workflows(), api_user(), case_id, RepresentativesInput(
        representatives=reps, people_count=data.people_count, appointment_reference=data.appointment_reference,
        appointment_date=data.appointment_date, appointment_attachment_id=data.appointment_attachment_id), now(),
        expected_version=data.version)
    commit()
    return _detail(case)
