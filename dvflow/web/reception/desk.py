"""The session desk (/tiep-nhan/phien/<id>): bookings, citizens received, the visit form in the columns of the
reception book, refusal notices, closing the session and the head's conclusion notice. Thin handlers: load, check
access (in the services), call one use case, answer; the request boundary commits."""
from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...models.reception import VISIT_CONTENT_TYPES, VISIT_OUTCOMES
from ...request import (
    bounded_int,
    db_session,
    int_or_none,
    now,
    refuse,
    workflows,
    write_apart,
)
from ...services.documents import flow, session_docs, signers
from ...services.errors import ServiceError
from ...services.reception import desk as desk_queries
from ...services.reception import refusals, sessions, visits
from ...timeutil import local_date
from . import bp
from .fields import form_int

#: the case kinds offered for a letter received, the common ones first
CASE_KINDS_FIRST = ("complaint_first", "denunciation", "petition", "triage", "complaint_second")
TASK_ROWS = 5  # blank task rows of the conclusion form (rows left blank are ignored)


def _rules() -> refusals.Rules:
    return refusals.load(current_app.config["WORKFLOWS_DIR"])


def _settings() -> flow.Settings:
    return flow.settings_from(current_app.config)


def _case_kinds():
    kinds = [d for d in workflows().kinds() if d.intake]
    order = {k: i for i, k in enumerate(CASE_KINDS_FIRST)}
    return sorted(kinds, key=lambda d: (order.get(d.id, len(order)), d.id))


def _fail(exc: ServiceError, session_id: int):
    """A refused use case: nothing written; 404 and 403 as pages answer them, else the message on the desk."""
    if exc.status in (403, 404):
        abort(exc.status)
    refuse(exc)
    return _render(session_id, request.form.to_dict(), 409 if exc.status == 409 else 400)


def _render(session_id: int, values: dict, status: int = 200):
    s = db_session()
    try:
        view = desk_queries.desk_view(s, current_user.user, session_id, _rules(), local_date(now()))
    except ServiceError as exc:
        abort(exc.status if exc.status in (403, 404) else 404)
    # the refusal and conclusion notices are the head's (signers.require_issuer): an officer running the desk is
    # told so rather than offered a button that would be refused
    may_issue = signers.headed_unit(s, view.rs.unit_id, current_user.user) is not None
    return render_template("reception/desk.html", view=view, rs=view.rs, values=values,
                           content_types=VISIT_CONTENT_TYPES, outcomes=VISIT_OUTCOMES, case_kinds=_case_kinds(),
                           task_rows=range(TASK_ROWS), today=local_date(now()), may_issue=may_issue), status


@bp.route("/phien")
@login_required
def sessions_today():
    """The sessions of the last month and the coming week, newest first, and the button that opens a
    regular session for today where none is open; supervisors read every unit's."""
    s = db_session()
    units = sessions.desk_units(s, current_user.user, existing_only=True)
    if not units and not sessions.is_reader(s, current_user.user):
        abort(403)
    today = local_date(now())
    found = sessions.recent_sessions(s, current_user.user, today)
    open_regular = {rs.unit_id for rs in found if rs.kind == "regular" and rs.day == today}
    return render_template("reception/sessions.html", sessions=found, units=units, today=today,
                           without_regular=[u for u in units if u.id not in open_regular])


@bp.route("/phien/mo", methods=["POST"])
@login_required
def open_today():
    unit_id = request.form.get("unit_id", type=bounded_int)
    try:
        rs = sessions.open_regular_today(db_session(), current_user.user, unit_id or -1, now())
    except ServiceError as exc:
        abort(exc.status if exc.status in (403, 404) else 400)
    return redirect(url_for("reception.desk", session_id=rs.id))


@bp.route("/phien/<int:session_id>")
@login_required
def desk(session_id: int):
    values = {"people_count": "1"}
    booking_id = request.args.get("dang_ky", type=bounded_int)
    if booking_id:  # "receive": the booking pre-fills the form; saving the visit marks it received
        booking = next((b for b in desk_queries.bookings(db_session(), session_id) if b.id == booking_id), None)
        if booking is not None and booking.status == "booked":
            values.update(citizen_name=booking.name, phone=booking.phone, summary=booking.content,
                          booking_id=str(booking.id))
    return _render(session_id, values)


def _visit_input(form) -> visits.VisitInput:
    def text(name):
        return form.get(name, "").strip() or None

    people = form_int(form, "people_count", _("Số người cùng nội dung"))
    return visits.VisitInput(
        citizen_name=form.get("citizen_name", ""), summary=form.get("summary", ""),
        content_type=form.get("content_type", ""), outcome=form.get("outcome", ""), address=text("address"),
        identity_number=text("identity_number"), phone=text("phone"), people_count=people or 1,
        prior_resolver=text("prior_resolver"), within_competence=bool(form.get("within_competence")),
        guided_to=text("guided_to"), guidance_number=text("guidance_number"), case_kind=text("case_kind"),
        refusal_ground=text("refusal_ground"), result_note=text("result_note"), notes=text("notes"),
        booking_id=form_int(form, "booking_id", _("Lượt đăng ký")), confidential=bool(form.get("confidential")))


@bp.route("/phien/<int:session_id>/luot", methods=["POST"])
@login_required
def record_visit(session_id: int):
    try:
        visit = visits.record(db_session(), workflows(), _rules(), current_user.user, session_id,
                              _visit_input(request.form), now())
    except ServiceError as exc:
        return _fail(exc, session_id)
    flash(_("Đã ghi lượt tiếp số %(seq)d vào Sổ tiếp công dân.", seq=visit.seq), "info")
    return redirect(url_for("reception.desk", session_id=session_id))


@bp.route("/phien/<int:session_id>/dang-ky/<int:booking_id>/vang", methods=["POST"])
@login_required
def no_show(session_id: int, booking_id: int):
    try:
        visits.mark_no_show(db_session(), current_user.user, session_id, booking_id, now())
    except ServiceError as exc:
        return _fail(exc, session_id)
    flash(_("Đã ghi công dân đăng ký không đến."), "info")
    return redirect(url_for("reception.desk", session_id=session_id))


@bp.route("/phien/<int:session_id>/ket-thuc", methods=["POST"])
@login_required
def close_session(session_id: int):
    form = request.form
    data = sessions.CloseInput(recording_ref=form.get("recording_ref"), delegate_name=form.get("delegate_name"),
                               delegation_reason=form.get("delegation_reason"), notes=form.get("notes"))
    try:
        sessions.close(db_session(), current_user.user, session_id, data, now())
    except ServiceError as exc:
        return _fail(exc, session_id)
    flash(_("Đã kết thúc phiên tiếp công dân."), "info")
    return redirect(url_for("reception.desk", session_id=session_id))


@bp.route("/phien/<int:session_id>/luot/<int:visit_id>/thong-bao-tu-choi",
          methods=["POST"])
@login_required
def issue_refusal(session_id: int, visit_id: int):
    try:
        doc = session_docs.issue_refusal_notice(db_session(), _settings(), _rules(), current_user.user, visit_id,
                                                now(), session_id=session_id)
    except ServiceError as exc:
        return _fail(exc, session_id)
    flash(_("Đã ban hành thông báo từ chối tiếp công dân số %(number)s.", number=doc.number_symbol), "info")
    return redirect(url_for("reception.desk", session_id=session_id))


def _conclusion_input(form) -> session_docs.ConclusionInput:
    directions = {}
    for key, value in form.items():
        visit_id = int_or_none(key[len("direction-"):]) if key.startswith("direction-") else None
        if visit_id is not None and value.strip():
            directions[visit_id] = value
    tasks = []
    for i in range(TASK_ROWS):
        pre = f"task-{i}-"
        described = form.get(f"{pre}description", "").strip()
        if not described and not form.get(f"{pre}days", "").strip():
            continue
        tasks.append(session_docs.TaskInput(unit_id=form.get(f"{pre}unit_id", type=bounded_int), description=described,
                                            days=form_int(form, f"{pre}days", _("Thời hạn (ngày)")),
                                            visit_id=form.get(f"{pre}visit_id", type=bounded_int)))
    return session_docs.ConclusionInput(directions=directions, tasks=tasks, summary=form.get("summary", ""))


@bp.route("/phien/<int:session_id>/ket-luan", methods=["POST"])
@login_required
def issue_conclusion(session_id: int):
    try:
        doc = session_docs.issue_conclusion(db_session(), _settings(), workflows(), current_user.user, session_id,
                                            _conclusion_input(request.form), now())
    except ServiceError as exc:
        return _fail(exc, session_id)
    flash(_("Đã ban hành thông báo kết luận số %(number)s.", number=doc.number_symbol), "info")
    return redirect(url_for("reception.desk", session_id=session_id))


def _detached(document, session):
    session.expunge(document)  # read after the writing session closed: its content is a loaded column
    return document


@bp.route("/phien/<int:session_id>/van-ban/<int:document_id>.docx")
@login_required
def session_document(session_id: int, document_id: int):
    try:
        # a confidential visitor's notice: its opening is recorded before it is sent (a write of its own)
        user, at = current_user.user, now()
        doc = write_apart(lambda s: _detached(session_docs.open_document(s, user, document_id, at), s))
    except ServiceError as exc:
        abort(exc.status if exc.status in (403, 404) else 404)
    if doc.session_id != session_id:
        abort(404)
    response = Response(doc.content, mimetype=flow.DOCX_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{flow.file_name(doc, "docx")}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
