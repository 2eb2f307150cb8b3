"""Thin handlers for reception."""
from __future__ import annotations

import secrets
from datetime import date, datetime

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...i18n import loc
from ...models.case import CHANNELS
from ...request import db_session, now, public_base_url, rollback, workflows
from ...services import cases
from ...services.cases.intake import IntakeInput, PartyInput
from ...services.errors import ServiceError
from ...services.reception import book as queries
from ...services.reception import receipt as receipts
from ...timeutil import TZ, to_local
from ..qr import qr_svg
from . import bp

PARTY_ROWS = 6
#: a received date further back than this is more often a typing slip than a letter entered late: confirm it
OLD_RECEIPT_DAYS = 30


def _form_defaults() -> dict:
    local = to_local(now())
    # a one-time token per form: sending the same form twice (Back, then submit) registers one case
    return {"received_date": local.strftime("%Y-%m-%d"), "received_time": local.strftime("%H:%M"),
            "channel": "walk_in", "form_token": secrets.token_hex(16)}


def _render_form(values: dict, status: int = 200, *, old_date_asked: bool = False):
    units = queries.intake_units(db_session(), current_user.user)
    return render_template("reception/new.html", values=values, units=units, kinds=_intake_kinds(),
                           channels=CHANNELS, party_rows=PARTY_ROWS,
                           old_date_asked=old_date_asked or bool(values.get("confirm_old_date"))), status


def _parse_received(form) -> datetime:
    try:
        day = date.fromisoformat(form.get("received_date", ""))
        hh, mm = (int(x) for x in (form.get("received_time") or "00:00").split(":")[:2])
        return datetime(day.year, day.month, day.day, hh, mm, tzinfo=TZ)
    except ValueError as exc:
        raise ServiceError(_("Ngày, giờ tiếp nhận không hợp lệ."), field="received_at") from exc


def _confirmed_if_old(received_at: datetime, form) -> None:
    """A received date more than OLD_RECEIPT_DAYS days back is accepted once the officer ticks the confirmation."""
    days = (to_local(now()).date() - received_at.date()).days
    if days > OLD_RECEIPT_DAYS and not form.get("confirm_old_date"):
        raise ServiceError(_("Ngày tiếp nhận %(day)s đã cách đây %(n)d ngày. Kiểm tra lại; nếu đúng, đánh dấu ô "
                             "xác nhận rồi gửi lại.", day=received_at.strftime("%d/%m/%Y"), n=days),
                           field="received_at", code="confirm_old_date")


def _intake(form) -> IntakeInput:
    parties = []
    for i in range(PARTY_ROWS):
        name = form.get(f"party-{i}-name", "").strip()
        if not name:
            continue
        parties.append(PartyInput(role=form.get(f"party-{i}-role", ""), name=name,
                                  identity_number=form.get(f"party-{i}-identity", "").strip() or None,
                                  address=form.get(f"party-{i}-address", "").strip() or None,
                                  phone=form.get(f"party-{i}-phone", "").strip() or None))
    unit_id = form.get("unit_id", type=int)
    if unit_id is None:
        raise ServiceError(_("Chọn đơn vị tiếp nhận."), field="unit_id")
    return IntakeInput(kind=form.get("kind", ""), unit_id=unit_id, channel=form.get("channel", ""),
                       received_at=_parse_received(form), subject=form.get("subject", ""),
                       content=form.get("content", ""), parties=parties, complex=bool(form.get("complex")),
                       confidential=bool(form.get("confidential")))


def _receiving_officers_only() -> None:
    """403 for a user who receives citizens in no unit (a supervisor watches; it does not register cases)."""
    if not queries.intake_units(db_session(), current_user.user):
        abort(403)


@bp.route("/moi", methods=["GET", "POST"])
@login_required
def new():
    _receiving_officers_only()
    if request.method == "GET":
        return _render_form(_form_defaults())
    s = db_session()
    token = request.form.get("form_token", "")
    try:
        data = _intake(request.form)
        _confirmed_if_old(data.received_at, request.form)
        case, created = cases.register_once(s, workflows(), current_user.user, data, now(),
                                            f"form:{token}" if token else None, field="form_token", per_content=True)
    except ServiceError as exc:
        rollback()
        flash(exc.message, "danger")
        return _render_form(request.form.to_dict(), 403 if exc.status == 403 else 400,
                            old_date_asked=exc.code == "confirm_old_date")
    # the same form sent again (Back, then submit) shows the case its first submission registered
    flash(_("Đã tiếp nhận hồ sơ.") if created else _("Hồ sơ này đã được tiếp nhận từ lần gửi trước."), "info")
    return redirect(url_for("reception.receipt", case_id=case.id))


@bp.route("/<int:case_id>/phieu-hen")
@login_required
def receipt(case_id: int):
    s = db_session()
    try:
        case = cases.load_case_for(s, current_user.user, case_id)
    except ServiceError:
        abort(404)
    slip = receipts.receipt_view(s, workflows(), case, current_user.user, public_base_url())
    return render_template("reception/receipt.html", case=case, slip=slip, qr=qr_svg(slip["qr_link"]))


@bp.route("/trung-lap")
@login_required
def duplicates():
    _receiving_officers_only()  # the suggestions match identity numbers: only for those who register cases
    s = db_session()
    found = queries.duplicates(s, current_user.user, request.args.get("identity", ""),
                               request.args.get("subject", ""), now())
    return jsonify([{"id": c.id, "tracking_code": c.tracking_code, "subject": c.subject,
                     "received": to_local(c.received_at).strftime("%d/%m/%Y"),
                     "url": url_for("cases.show", case_id=c.id)} for c in found])


@bp.route("/so")
@login_required
def log():
    s = db_session()
    raw = request.args.get("thang", "")
    try:
        year, month = (int(x) for x in raw.split("-")[:2])
        first = date(year, month, 1)
    except ValueError:
        local = to_local(now())
        first = date(local.year, local.month, 1)
    found = queries.month_log(s, current_user.user, first)
    wf = workflows()
    rows = []
    for c in found:
        people = [cp for cp in c.parties if cp.role in queries.PEOPLE_ROLES]
        main = people[0] if people else None
        hidden = main is not None and c.confidential and main.role == "denouncer"
        defn = wf.for_case(c, s)
        rows.append({"case": c, "main": main, "hidden": hidden, "people": len(people),
                     "type": queries.TYPE_CODES.get(c.kind, defn.tracking_prefix),
                     "state": loc(defn.states[c.state]) if c.state in defn.states else c.state,
                     "forwarded": "forward" in c.state, "guided": c.state in ("guided", "instructed")})
    return render_template("reception/log.html", rows=rows, month=first)


# the kinds a reception desk registers most often come first; the first one is the form's default
_COMMON_FIRST = ("complaint_first", "denunciation", "petition", "complaint_second", "triage")


def _intake_kinds():
    kinds = workflows().kinds()
    return sorted(kinds, key=lambda d: (_COMMON_FIRST.index(d.id) if d.id in _COMMON_FIRST else len(_COMMON_FIRST), d.id))
