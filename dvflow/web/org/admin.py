"""Administration of the organisation: units and users (admin role only; every route answers 403 otherwise)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ...labels import LEVEL_LABELS
from ...models import Unit, User
from ...models.unit import UNIT_LEVELS
from ...models.user import ROLES
from ...request import PageBlueprint, db_session, now, rollback
from ...services.errors import ServiceError
from ...services.org import accounts

bp = PageBlueprint("admin", __name__, url_prefix="/quan-tri")


@bp.before_request
@login_required
def _admin_only():
    admin_only()


def admin_only() -> None:
    """403 unless the signed-in user holds the admin role (also guards the calendar pages of `web.deadlines`)."""
    if "admin" not in current_user.roles:
        abort(403)


def _fail(exc: ServiceError, template: str, **ctx):
    rollback()
    flash(exc.message, "danger")
    return render_template(template, values=request.form.to_dict(), **ctx), exc.status


@bp.route("")
def index():
    return redirect(url_for("deadlines.calendar_view"))


def _units() -> list[Unit]:
    return list(db_session().scalars(select(Unit).order_by(Unit.code)))


@bp.route("/don-vi", methods=["GET", "POST"])
def units():
    s = db_session()
    ctx = {"levels": UNIT_LEVELS, "level_labels": LEVEL_LABELS}
    if request.method == "POST":
        f = request.form
        try:
            accounts.create_unit(s, f.get("code", ""), f.get("name", ""), parent_code=f.get("parent_code") or None,
                                 level=f.get("level", "department"), remote_area=bool(f.get("remote_area")),
                                 address=f.get("address"), phone=f.get("phone"))
        except ServiceError as exc:
            return _fail(exc, "admin/units.html", units=_units(), **ctx)
        flash(_("Đã tạo đơn vị."), "info")
        return redirect(url_for("admin.units"))
    return render_template("admin/units.html", units=_units(), values={}, **ctx)


@bp.route("/don-vi/<code>/lien-he", methods=["POST"])
def unit_contact(code: str):
    s = db_session()
    f = request.form
    try:
        accounts.set_unit_contact(s, code, f.get("address"), f.get("phone"))
    except ServiceError as exc:
        return _fail(exc, "admin/units.html", units=_units(), levels=UNIT_LEVELS, level_labels=LEVEL_LABELS)
    flash(_("Đã cập nhật địa chỉ, điện thoại của đơn vị."), "info")
    return redirect(url_for("admin.units"))


def _create_user(s, f) -> User:
    """One use case made of the account services: create the user and grant the role (committed together)."""
    user = accounts.create_user(s, f.get("username", ""), f.get("password", ""), now=now(),
                                full_name=f.get("full_name", ""), email=f.get("email") or None)
    accounts.grant_role(s, user, accounts.find_unit(s, f.get("unit_code", "")), f.get("role", ""))
    return user


@bp.route("/nguoi-dung", methods=["GET", "POST"])
def users():
    s = db_session()
    ctx = {"roles": ROLES, "units": _units()}
    if request.method == "POST":
        try:
            _create_user(s, request.form)
        except ServiceError as exc:
            return _fail(exc, "admin/users.html", users=_users(), **ctx)
        flash(_("Đã tạo người dùng."), "info")
        return redirect(url_for("admin.users"))
    return render_template("admin/users.html", users=_users(), values={}, **ctx)


def _users() -> list[User]:
    return list(db_session().scalars(select(User).order_by(User.username)))
