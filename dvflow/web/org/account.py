"""The user's own pages (the account menu): changing the password, the TOTP second factor, personal API tokens."""
from __future__ import annotations

import secrets

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...ratelimits import origin
from ...request import PageBlueprint, db_session, keep_on_refusal, now, refuse, rollback
from ...services.errors import ServiceError
from ...services.org import accounts, tokens, totp
from ...services.org import login as login_service
from ..qr import qr_svg
from .identity import adopt_version, no_store

bp = PageBlueprint("account", __name__, url_prefix="/tai-khoan")
bp.after_request(no_store)


# --- password ----------------------------------------------------------------------------------------------------

@bp.route("/mat-khau")
@login_required
def password():
    return render_template("account/password.html", forced=current_user.user.must_change_password, error=None)


@bp.route("/mat-khau", methods=["POST"])
@login_required
def change_password():
    f = request.form
    user = current_user.user
    forced = user.must_change_password
    try:
        version = accounts.change_own_password(db_session(), user, f.get("old_password", ""),
                                               f.get("new_password", ""), f.get("confirm", ""), now(), origin())
    except ServiceError as exc:
        if exc.field == "old_password":
            keep_on_refusal()  # the wrong guess counts toward the lock: kept although the change is refused
        else:
            rollback()
        return render_template("account/password.html", forced=forced, error=exc), exc.status
    adopt_version(version)  # this session stays; every other one (and every API token) has ended
    flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc, các mã truy cập API đã bị thu hồi."), "info")
    return redirect(url_for("home.index"))


# --- the TOTP second factor ----------------------------------------------------------------------------------------

def _second_factor_page(status: int = 200, recovery_codes: list[str] | None = None, error: ServiceError | None = None):
    user = current_user.user
    ctx: dict = {"enrolled": user.totp_secret is not None, "recovery_codes": recovery_codes, "error": error,
                 "required": login_service.totp_required(user, current_app.config["TOTP_REQUIRED_ROLES"])}
    if ctx["enrolled"]:
        ctx["codes_left"] = totp.recovery_codes_left(db_session(), user)
    else:
        session.pop("totp_enrol", None)  # where the secret itself travelled before: readable in the cookie
        nonce = session.setdefault("totp_enrol_nonce", secrets.token_urlsafe(16))  # the same secret until proven
        secret = totp.enrolment_secret(user, nonce)
        uri = totp.provisioning_uri(secret, user.username)
        ctx.update(secret=secret, uri=uri, qr=qr_svg(uri))
    return render_template("account/second_factor.html", **ctx), status


@bp.route("/xac-thuc-hai-buoc")
@login_required
def second_factor():
    return _second_factor_page()


@bp.route("/xac-thuc-hai-buoc", methods=["POST"])
@login_required
def enrol_second_factor():
    user = current_user.user
    if user.totp_secret is not None:
        return redirect(url_for("account.second_factor"))
    try:
        nonce = session.get("totp_enrol_nonce")
        secret = totp.enrolment_secret(user, nonce) if nonce else ""
        codes = totp.enrol(db_session(), user, secret, request.form.get("code", ""), now())
    except ServiceError as exc:
        rollback()
        return _second_factor_page(exc.status, error=exc)
    session.pop("totp_enrol_nonce", None)
    flash(_("Đã bật xác thực hai bước."), "info")
    return _second_factor_page(recovery_codes=codes)


# --- personal API tokens -------------------------------------------------------------------------------------------

def _page(new_token: str | None = None, status: int = 200):
    rows = tokens.list_tokens(db_session(), current_user.user)
    return render_template("account/tokens.html", tokens=rows, new_token=new_token), status


@bp.route("/ma-api")
@login_required
def api_tokens():
    return _page()


@bp.route("/ma-api", methods=["POST"])
@login_required
def create_api_token():
    try:
        _row, raw = tokens.create_token(db_session(), current_user.user, request.form.get("name", ""), now())
    except ServiceError as exc:
        refuse(exc)
        return _page(status=exc.status)
    flash(_("Đã tạo mã truy cập. Hãy sao chép ngay: mã chỉ hiển thị một lần."), "info")
    return _page(new_token=raw)


@bp.route("/ma-api/<int:token_id>/thu-hoi", methods=["POST"])
@login_required
def revoke_api_token(token_id: int):
    try:
        tokens.revoke(db_session(), current_user.user, token_id, now())
    except ServiceError as exc:
        refuse(exc)
        return redirect(url_for("account.api_tokens"))
    flash(_("Đã thu hồi mã truy cập."), "info")
    return redirect(url_for("account.api_tokens"))
