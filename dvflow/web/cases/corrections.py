"""The two forms of the case page that change its intake record: "Sửa thông tin tiếp nhận" (an officer of the unit)
and "Hủy hồ sơ" (a head). Thin handlers: parse the form, one service, flash and redirect; on a refusal the page is
shown again with what was typed and the error."""
from __future__ import annotations

from datetime import date, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...labels import STATUS_LABELS
from ...request import (
    bounded_int,
    db_session,
    int_or_none,
    now,
    refuse,
    workflows,
)
from ...services import cases
from ...services.cases.corrections import (
    PARTY_FIELDS,
    CorrectionInput,
    PartyEdit,
    correct_case,
)
from ...services.cases.voiding import void_case
from ...services.errors import ServiceError
from ...timeutil import TZ, local_date, to_local
from . import bp
from .routes import _load
from .view import context


@bp.route("/<int:case_id>/sua", methods=["POST"])
@login_required
def correct(case_id: int):
    s, user, form = db_session(), current_user.user, request.form
    case = _load(case_id)
    try:
        data = correction_input(case, form)
        done = correct_case(s, workflows(), user, case_id, data, now(),
                            expected_version=form.get("version", type=bounded_int))
    except ServiceError as exc:
        return _again(case_id, exc, correct_form=dict(form))
    flash(_("Đã sửa thông tin tiếp nhận."), "info")
    if done.recomputed:
        flash(_("Đã tính lại thời hạn: %(list)s", list=done.recomputed_text), "info")
    return redirect(url_for("cases.show", case_id=case_id))


@bp.route("/<int:case_id>/huy", methods=["POST"])
@login_required
def void(case_id: int):
    s, user, form = db_session(), current_user.user, request.form
    _load(case_id)
    try:
        void_case(s, workflows(), user, case_id, form.get("reason", ""), now(),
                  duplicate_of=form.get("duplicate_of", "").strip() or None,
                  expected_version=form.get("version", type=bounded_int))
    except ServiceError as exc:
        return _again(case_id, exc, void_form=dict(form))
    flash(_("Đã hủy hồ sơ."), "info")
    return redirect(url_for("cases.show", case_id=case_id))


def _again(case_id: int, exc: ServiceError, **typed):
    refuse(exc)
    case, user = _load(case_id), current_user.user
    # the form's parties shown again: only those this user revealed (a recorded look), never what the form claims
    revealed = cases.revealed_earlier(db_session(), user, case, _revealed(request.form), now())
    ctx = context(db_session(), workflows(), user, case, local_date(now()), revealed=revealed,
                  error_field=exc.field, **typed)
    return render_template("cases/show.html", **ctx, status_labels=STATUS_LABELS), exc.status


def _revealed(form) -> set[int]:
    # what the form says was revealed: checked against the record before anything is shown (_again)
    return {v for v in map(int_or_none, form.getlist("revealed")) if v is not None and v >= 0}


def correction_input(case, form) -> CorrectionInput:
    """The form's values; a field equal to the case's value is left None (unchanged)."""
    content = form.get("content")
    if content is not None:
        content = content.replace("\r\n", "\n")
        content = None if content.strip() == (case.content or "").strip() else content
    subject = form.get("subject")
    return CorrectionInput(
        reason=form.get("reason", ""), subject=None if subject is None or subject.strip() == case.subject else subject,
        content=content, channel=form.get("channel") or None, received_at=_received(case, form),
        parties=_party_edits(case, form))


def _received(case, form) -> datetime | None:
    day, hhmm = form.get("received_date", "").strip(), form.get("received_time", "").strip()
    if not day:
        return None
    local = to_local(case.received_at)
    if day == local.strftime("%Y-%m-%d") and (hhmm or local.strftime("%H:%M")) == local.strftime("%H:%M"):
        return None  # unchanged to the minute the form shows
    try:
        d = date.fromisoformat(day)
        hh, mm = (int(x) for x in (hhmm or "00:00").split(":")[:2])
        return datetime(d.year, d.month, d.day, hh, mm, tzinfo=TZ)
    except ValueError as exc:
        raise ServiceError(_("Ngày, giờ tiếp nhận không hợp lệ."), field="received_at") from exc


def _party_edits(case, form) -> list[PartyEdit]:
    edits = []
    for cp in case.parties:
        prefix = f"p{cp.party_id}-"
        if prefix + "name" not in form and prefix + "remove" not in form:
            continue  # not in the form (a confidential party not revealed): unchanged
        if form.get(prefix + "remove"):
            edits.append(PartyEdit(party_id=cp.party_id, remove=True))
            continue
        edits.append(PartyEdit(party_id=cp.party_id, **{f: form.get(prefix + f) for f in PARTY_FIELDS}))
    new = {f: (form.get("new-" + f) or "").strip() for f in PARTY_FIELDS}
    if any(new[f] for f in PARTY_FIELDS if f not in ("role", "kind")):
        edits.append(PartyEdit(**new))
    return edits
