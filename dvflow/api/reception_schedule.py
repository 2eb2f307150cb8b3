"""/api/v1 reception schedules: the public schedule (no token), compliance per official (token), planning a
session and editing it until it is published (token). Errors are JSON naming the field, like the rest of the API."""
from __future__ import annotations

from flask import current_app, jsonify

from ..request import commit, db_session, now
from ..services.deadlines.calendar import load_calendar
from ..services.reception import compliance, public_schedule, schedule
from ..timeutil import local_date
from . import bp, schemas_schedule
from .auth import api_user
from .openapi import api_route
from .request import body, query


@api_route(bp, "/public/reception-schedule", "GET", "Lịch tiếp công dân đã công bố (không cần mã truy cập)",
           auth=False, query=schemas_schedule.ScheduleQuery, response=schemas_schedule.ScheduleOut)
def public_reception_schedule():
    args = query(schemas_schedule.ScheduleQuery)
    rows = public_schedule.published_sessions(db_session(), local_date(now()), args.unit or None)
    items = [schemas_schedule.PublicSessionOut.model_validate(r, from_attributes=True) for r in rows]
    return jsonify(schemas_schedule.ScheduleOut(items=items).model_dump(mode="json"))


@api_route(bp, "/reception/compliance", "GET", "Tình hình tiếp công dân định kỳ theo người đứng đầu và kỳ",
           query=schemas_schedule.ComplianceQuery, response=schemas_schedule.ComplianceOut, errors=(400,))
def reception_compliance():
    args = query(schemas_schedule.ComplianceQuery)
    s, today = db_session(), local_date(now())
    start, end = compliance.period_bounds(args.period, args.day or today, args.to)
    rules = compliance.schedule_rules(current_app.config["WORKFLOWS_DIR"])
    items = compliance.unit_compliance(s, api_user(), rules, load_calendar(s), start, end, today, args.unit_id)
    out = schemas_schedule.ComplianceOut(start=start, end=end, items=[compliance.compliance_row(i) for i in items])
    return jsonify(out.model_dump(mode="json"))


@api_route(bp, "/reception/sessions", "POST", "Lập (và công bố) một phiên tiếp công dân",
           body=schemas_schedule.SessionIn, response=schemas_schedule.SessionOut, status=201, errors=(400, 403))
def reception_session_create():
    data = body(schemas_schedule.SessionIn)
    s, user, cal = db_session(), api_user(), load_calendar(db_session())
    row = schedule.create_session(s, user, cal, schedule.SessionInput(**data.model_dump(exclude={"publish"})), now())
    if data.publish:
        schedule.publish_session(s, user, cal, row.id, now())
    commit()
    out = schemas_schedule.SessionOut.model_validate(row, from_attributes=True)
    return jsonify(out.model_dump(mode="json")), 201


@api_route(bp, "/reception/sessions/{session_id}", "PUT",
           "Sửa một phiên tiếp công dân dự kiến, chưa công bố (và công bố)", body=schemas_schedule.SessionIn,
           response=schemas_schedule.SessionOut, errors=(400, 403, 404, 405))
# 405: an id beyond the path's range matches no rule, and the GET rule of the same path answers "wrong method"
def reception_session_update(session_id: int):
    data = body(schemas_schedule.SessionIn)
    s, user, cal = db_session(), api_user(), load_calendar(db_session())
    row = schedule.update_session(s, user, cal, session_id,
                                  schedule.SessionInput(**data.model_dump(exclude={"publish"})), now())
    if data.publish:
        schedule.publish_session(s, user, cal, row.id, now())
    commit()
    return jsonify(schemas_schedule.SessionOut.model_validate(row, from_attributes=True).model_dump(mode="json"))
