"""The user's own page: personal API tokens (create, shown once; revoke)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...request import PageBlueprint, db_session, now, rollback
from ...services.errors import ServiceError
from ...services.org import tokens

bp = PageBlueprint("account", __name__, url_prefix="/tai-khoan")


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
        rollback()
        flash(exc.message, "danger")
        return _page(status=exc.status)
    flash(_("Đã tạo mã truy cập. Hãy sao chép ngay: mã chỉ hiển thị một lần."), "info")
    return _page(new_token=raw)


@bp.route("/ma-api/<int(max=2147483647):token_id>/thu-hoi", methods=["POST"])
@login_required
def revoke_api_token(token_id: int):
    try:
        tokens.revoke(db_session(), current_user.user, token_id, now())
    except ServiceError as exc:
        rollback()
        flash(exc.message, "danger")
        return redirect(url_for("account.api_tokens"))
    flash(_("Đã thu hồi mã truy cập."), "info")
    return redirect(url_for("account.api_tokens"))
