"""Thin handlers for reception."""
from __future__ import annotations

import re
import secrets
from datetime import date, datetime

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...i18n import loc
from ...labels import IDENTITY_TYPE_LABELS, PARTY_ROLE_LABELS
from ...models.case import INTAKE_CHANNELS
from ...request import (
    bounded_int,
    db_session,
    now,
    public_base_url,
    refuse,
    rollback,
    workflows,
)
from ...services import cases
from ...services.cases.intake import IntakeInput, PartyInput
from ...services.cases.intake_duplicates import LikelyDuplicate
from ...services.cases.mass import SignerInput
from ...services.errors import Forbidden, NotFound, ServiceError
from ...services.reception import book as queries
from ...services.reception import book_handling, desk, refusals
from ...services.reception import receipt as receipts
from ...timeutil import TZ, to_local
from ..qr import qr_svg
from . import bp
from .fields import form_day, form_int, month_arg

MAX_PARTY_ROWS = 100  # the rows a form may send (the page adds and removes rows; without script it shows one)
PARTY_ROW = re.compile(r"party-(\d{1,3})-name")
ORGANISATION_DOCUMENTS = ("tax_code", "business_registration")
#: a received date further back than this is more often a typing slip than a letter entered late: confirm it
OLD_RECEIPT_DAYS = 30


def _form_defaults() -> dict:
    local = to_local(now())
    # a one-time token per form: sending the same form twice (Back, then submit) registers one case
    return {"received_date": local.strftime("%Y-%m-%d"), "received_time": local.strftime("%H:%M"),
            "channel": "walk_in", "form_token": secrets.token_hex(16)}


def _render_form(values: dict, status: int = 200, *, old_date_asked: bool = False, duplicates=()):
    units = queries.intake_units(db_session(), current_user.user, existing_only=True)
    kinds = _intake_kinds()
    kind = next((d for d in kinds if d.id == values.get("kind")), kinds[0])
    return render_template("reception/new.html", values=values, units=units, kinds=kinds, kind=kind,
                           identity_types=IDENTITY_TYPE_LABELS,
                           translated_role_labels={k: _(v) for k, v in PARTY_ROLE_LABELS.items()},
                           kind_roles={d.id: {"roles": list(d.party_roles), "required": _required_role(d)}
                                       for d in kinds},
                           channels=INTAKE_CHANNELS, party_rows=_row_indices(values) or [0],
                           old_date_asked=old_date_asked or bool(values.get("confirm_old_date")),
                           duplicates=duplicates,
                           duplicate_asked=bool(duplicates) or bool(values.get("confirm_duplicate"))), status


def _required_role(defn) -> str:
    return (defn.requires_party or defn.party_roles or ("",))[0]


def _row_indices(form) -> list[int]:
    """The indices of the party rows the form sent, in order (a removed row leaves a gap)."""
    found = sorted({int(m.group(1)) for k in form.keys() if (m := PARTY_ROW.fullmatch(k))})
    return found[:MAX_PARTY_ROWS]


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


def party_from_row(form, pre: str, role: str) -> PartyInput | None:
    """The party of one form row (`pre`: its field prefix), None when its name is empty. The document type says
    whether it is an organisation; a type is sent only with a number."""
    name = form.get(f"{pre}name", "").strip()
    if not name:
        return None
    identity = form.get(f"{pre}identity", "").strip() or None
    itype = (form.get(f"{pre}identity_type", "").strip() or None) if identity else None
    return PartyInput(role=role, name=name, kind="organisation" if itype in ORGANISATION_DOCUMENTS else "person",
                      identity_number=identity, identity_type=itype,
                      identity_type_name=form.get(f"{pre}identity_type_name", "").strip() or None,
                      address=form.get(f"{pre}address", "").strip() or None,
                      phone=form.get(f"{pre}phone", "").strip() or None)


def _parties(form) -> list[PartyInput]:
    rows = (party_from_row(form, f"party-{i}-", form.get(f"party-{i}-role", "")) for i in _row_indices(form))
    return [p for p in rows if p is not None]


def _signers(text: str) -> list[SignerInput]:
    """One signer a line: "Họ tên" or "Họ tên; số giấy tờ" (twelve digits are read as a CCCD)."""
    out = []
    for line in (text or "").splitlines():
        name, _sep, number = (part.strip() for part in line.partition(";"))
        if name or number:
            itype = "cccd" if re.fullmatch(r"[0-9]{12}", number) else None
            out.append(SignerInput(name=name, identity_number=number or None, identity_type=itype))
    return out


def _intake(form) -> IntakeInput:
    unit_id = form.get("unit_id", type=bounded_int)
    if unit_id is None:
        raise ServiceError(_("Chọn đơn vị tiếp nhận."), field="unit_id")
    return IntakeInput(kind=form.get("kind", ""), unit_id=unit_id, channel=form.get("channel", ""),
                       received_at=_parse_received(form), subject=form.get("subject", ""),
                       content=form.get("content", ""), parties=_parties(form), complex=bool(form.get("complex")),
                       confidential=bool(form.get("confidential")), remote_area=bool(form.get("remote_area")),
                       people_count=form_int(form, "people_count", _("Số người cùng nội dung")),
                       signers=_signers(form.get("signers", "")),
                       appointment_reference=form.get("appointment_reference", "").strip() or None,
                       appointment_date=form_day(form, "appointment_date", _("Ngày văn bản cử người đại diện")),
                       confirm_duplicate=bool(form.get("confirm_duplicate")))


def _receiving_officers_only() -> None:
    """403 for a user who receives citizens in no unit (a supervisor watches; it does not register cases)."""
    if not queries.intake_units(db_session(), current_user.user, existing_only=True):
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
                                            f"form:{token}" if token else None, field="form_token", per_content=True,
                                            check_duplicates=True)
    except LikelyDuplicate as exc:
        rollback()
        flash(_("Có thể trùng với hồ sơ đang giải quyết. Kiểm tra danh sách dưới đây; nếu vẫn tiếp nhận, đánh dấu "
                "ô xác nhận rồi gửi lại."), "warning")
        return _render_form(request.form.to_dict(), 409, duplicates=exc.candidates,
                            old_date_asked=bool(request.form.get("confirm_old_date")))
    except ServiceError as exc:
        refuse(exc)
        return _render_form(request.form.to_dict(), 403 if exc.status == 403 else 400,
                            old_date_asked=exc.code == "confirm_old_date")
    # the same form sent again (Back, then submit) shows the case its first submission registered (without the
    # secret, which was printed after the first submission: only its hash is kept)
    flash(_("Đã tiếp nhận hồ sơ.") if created else _("Hồ sơ này đã được tiếp nhận từ lần gửi trước."), "info")
    return _to_receipt(case)


#: the session key that carries a just-issued secret from intake (or a reissue) to the receipt's first display
SECRET_KEY = "receipt_secret"


def _to_receipt(case):
    """Redirect to the receipt; a secret issued in this request is handed to its first display through the session
    (never in the address), and taken out of the session there."""
    if case.tracking_secret:
        session[SECRET_KEY] = {"case_id": case.id, "secret": case.tracking_secret}
    return redirect(url_for("reception.receipt", case_id=case.id))


def _secret_for(case_id: int) -> str | None:
    held = session.pop(SECRET_KEY, None)
    return held.get("secret") if isinstance(held, dict) and held.get("case_id") == case_id else None


@bp.route("/<int:case_id>/phieu-hen")
@login_required
def receipt(case_id: int):
    s = db_session()
    try:
        case = cases.load_case_for(s, current_user.user, case_id)
    except ServiceError:
        abort(404)
    slip = receipts.receipt_view(s, workflows(), case, current_user.user, public_base_url(), _secret_for(case_id))
    return render_template("reception/receipt.html", case=case, slip=slip, qr=qr_svg(slip["qr_link"]),
                           may_reissue=receipts.may_reissue(s, current_user.user, case),
                           # as new() admits
                           may_register=bool(queries.intake_units(s, current_user.user, existing_only=True)))


@bp.route("/<int:case_id>/phieu-hen/cap-lai", methods=["POST"])
@login_required
def reissue(case_id: int):
    """A reprint with a new secret (the old one stops working), recorded in the case history."""
    s = db_session()
    try:
        case = receipts.reissue_secret(s, current_user.user, case_id, request.form.get("reason"), now())
    except (NotFound, Forbidden) as exc:
        abort(exc.status)
    except ServiceError as exc:
        refuse(exc)
        return redirect(url_for("reception.receipt", case_id=case_id))
    flash(_("Đã cấp lại mã bí mật; mã cũ không còn dùng được. Hãy in phiếu và giao cho công dân."), "info")
    return _to_receipt(case)


@bp.route("/trung-lap", methods=["POST"])
@login_required
def duplicates():
    """The open cases an intake may duplicate. POST (with the CSRF token): an identity number never goes in an
    address, where access logs and the browser's history would keep it."""
    _receiving_officers_only()  # the suggestions match identity numbers: only for those who register cases
    s = db_session()
    found = queries.duplicates(s, current_user.user, request.form.get("identity", ""),
                               request.form.get("subject", ""), now())
    return jsonify([{"id": c.id, "tracking_code": c.tracking_code, "subject": c.subject,
                     "received": to_local(c.received_at).strftime("%d/%m/%Y"),
                     "url": url_for("cases.show", case_id=c.id)} for c in found])


def book_scope(s):
    """The units whose book the user keeps (403 for none), the one asked (`don_vi`, else the first) and the month
    asked (`thang`): the page and its XLSX read the same book."""
    units = queries.book_units(s, current_user.user)
    if not units:
        abort(403)
    unit = next((u for u in units if u.id == request.args.get("don_vi", type=bounded_int)), units[0])
    return units, unit, month_arg(request.args.get("thang"), to_local(now()).date())


@bp.route("/so")
@login_required
def log():
    """The reception book (Sổ tiếp công dân, Mẫu 03/TCD) of a month and unit: the visits of its sessions in book
    order, then the walk-in cases registered at the intake form (see services/reception/book.py). Read-only."""
    s = db_session()
    units, unit, first = book_scope(s)
    page = request.args.get("trang", 1, type=bounded_int)
    rules = refusals.load(current_app.config["WORKFLOWS_DIR"])
    book = queries.month_page(s, current_user.user, unit.id, first, page)
    overdue = desk.visit_rows(s, refusals.overdue(s, [unit.id], to_local(now()).date()), rules,
                             current_user.user)
    rows = desk.visit_rows(s, book.visits, rules, current_user.user, book_columns=True)
    return render_template("reception/log.html", rows=rows,
                           walk_ins=walk_in_rows(s, book.walk_ins), overdue=overdue, month=first, units=units,
                           unit=unit, page=book.page, pages=book.pages)


def walk_in_rows(s, found) -> list[dict]:
    wf = workflows()
    handled = book_handling.handling(s, {c.id for c in found})
    rows = []
    for c in found:
        people = [cp for cp in c.parties if cp.role in queries.PEOPLE_ROLES]
        main = people[0] if people else None
        count = c.people_count if c.people_count is not None else len(people)  # cases before the count was asked
        hidden = main is not None and cases.is_hidden(c, main.role)  # a confidential letter's sender too
        defn = wf.for_case(c, s)
        rows.append({"case": c, "main": main, "hidden": hidden, "people": count,
                     "type": queries.TYPE_CODES.get(c.kind, defn.tracking_prefix),
                     "state": loc(defn.states[c.state]) if c.state in defn.states else c.state,
                     # columns (9)-(11) of Mẫu 03/TCD, by the rule of the visits' (services/reception/book_handling)
                     "book": book_handling.walk_in_columns(c.state, c.unit.name, handled[c.id])})
    return rows


# the kinds a reception desk registers most often come first; the first one is the form's default
_COMMON_FIRST = ("complaint_first", "denunciation", "petition", "complaint_second", "triage")


def _intake_kinds():
    kinds = [d for d in workflows().kinds() if d.intake]
    return sorted(kinds, key=lambda d: (_COMMON_FIRST.index(d.id) if d.id in _COMMON_FIRST else len(_COMMON_FIRST), d.id))
