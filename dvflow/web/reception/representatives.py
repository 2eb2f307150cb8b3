"""Thin handlers for completing or correcting a mass case's representatives after intake (Cập nhật người đại diện)."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...labels import IDENTITY_TYPE_LABELS
from ...request import (
    db_session,
    file_store,
    now,
    on_rollback,
    refuse,
    workflows,
)
from ...services import cases
from ...services.cases import attachments
from ...services.errors import ServiceError
from . import bp
from .fields import form_day, form_int
from .routes import party_from_row

#: the most representatives the law allows (more than ten people: at most five, Luật Tiếp công dân 2013, Điều 29)
ROWS = 5


def _values(case, *, with_representatives: bool = True) -> dict:
    """The form's values: the case's number of people and appointment, and its representatives unless they are
    hidden and not revealed in this request (a blank row would then read as "no representative")."""
    values = {"people_count": case.people_count or "", "appointment_reference": case.appointment_reference or "",
              "appointment_date": case.appointment_date.isoformat() if case.appointment_date else ""}
    reps = [cp.party for cp in case.parties if cp.role == "representative"] if with_representatives else []
    for i, p in enumerate(reps):
        values.update({f"rep-{i}-name": p.name, f"rep-{i}-identity": p.identity_number or "",
                       f"rep-{i}-identity_type": p.identity_type or "", f"rep-{i}-address": p.address or "",
                       f"rep-{i}-phone": p.phone or "", f"rep-{i}-identity_type_name": p.identity_type_name or ""})
    return values


def _appointment_file(s, user, case_id: int) -> int | None:
    """Store the uploaded written appointment, if one was sent; the file goes again unless the request commits."""
    file = request.files.get("appointment_file")
    if file is None or not file.filename:
        return None
    store = file_store()
    max_bytes = int(current_app.config.get("MAX_ATTACHMENT_BYTES", attachments.DEFAULT_MAX_BYTES))
    stored = attachments.add_attachment(s, user, case_id, file.filename, file.stream, file.mimetype, now(),
                                        store, max_bytes)
    on_rollback(lambda: attachments.remove_file(store, stored))
    return stored.id


def _input(form, attachment_id: int | None) -> cases.RepresentativesInput:
    reps = [party_from_row(form, f"rep-{i}-", "representative") for i in range(ROWS)]
    return cases.RepresentativesInput(
        appointment_attachment_id=attachment_id,
        representatives=[p for p in reps if p is not None],
        people_count=form_int(form, "people_count", _("Số người cùng nội dung")),
        appointment_reference=form.get("appointment_reference", "").strip() or None,
        appointment_date=form_day(form, "appointment_date", _("Ngày văn bản cử người đại diện")))


def _render(case, values: dict, status: int = 200, *, reveal_first: bool = False):
    """The form; with `reveal_first`, only the step that reveals the hidden representatives (with a reason) and
    not the form, so that nobody saves over representatives they have not seen."""
    return render_template("reception/representatives.html", case=case, values=values, rows=ROWS,
                           identity_types=IDENTITY_TYPE_LABELS, reveal_first=reveal_first), status


def _load(s, user, case_id: int):
    """The case, if the user may update its representatives; a refusal is answered by the app's error pages (404,
    or 403 with the service's reason)."""
    case = cases.load_case_for(s, user, case_id)
    cases.check_may_update_representatives(s, user, case)
    return case


@bp.route("/<int:case_id>/nguoi-dai-dien", methods=["GET", "POST"])
@login_required
def representatives(case_id: int):
    s, user = db_session(), current_user.user
    case = _load(s, user, case_id)
    if request.method == "GET":
        # hidden representatives are shown only through the reveal below, which is recorded
        hidden = bool(cases.hidden_representatives(case))
        return _render(case, _values(case, with_representatives=not hidden), reveal_first=hidden)
    try:
        attachment_id = _appointment_file(s, user, case_id)
        cases.update_representatives(s, workflows(), user, case_id, _input(request.form, attachment_id), now())
    except ServiceError as exc:
        refuse(exc)
        return _render(cases.load_case_for(s, user, case_id), request.form.to_dict(),
                       403 if exc.status == 403 else 400)
    flash(_("Đã cập nhật người đại diện."), "info")
    return redirect(url_for("cases.show", case_id=case_id))


@bp.route("/<int:case_id>/nguoi-dai-dien/xem", methods=["POST"])
@login_required
def reveal_representatives(case_id: int):
    """Show a confidential case's representatives in the form, each look recorded as the case page's reveal is:
    one `identity_access` row per representative, with the reason given."""
    s, user = db_session(), current_user.user
    case = _load(s, user, case_id)
    reason = request.form.get("reason", "")
    try:
        for cp in cases.hidden_representatives(case):
            cases.reveal_identity(s, user, case_id, cp.party_id, reason, now())
    except ServiceError as exc:
        refuse(exc)
        return _render(cases.load_case_for(s, user, case_id), {}, 403 if exc.status == 403 else 400,
                       reveal_first=True)
    return _render(case, _values(case))
