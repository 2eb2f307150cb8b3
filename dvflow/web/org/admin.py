"""Administration of the organisation: units and users (admin role only; every route answers 403 otherwise)."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ...labels import ADMIN_ACTION_LABELS, LEVEL_LABELS
from ...models import Unit, User
from ...models.unit import UNIT_LEVELS
from ...models.user import ROLES
from ...ratelimits import login_locks
from ...request import PageBlueprint, db_session, now, refuse
from ...services.errors import ServiceError
from ...services.org import accounts, admin_log, login, titles, totp
from ...timeutil import parse_day
from .identity import no_store

bp = PageBlueprint("admin", __name__, url_prefix="/quan-tri")
bp.after_request(no_store)


@bp.before_request
@login_required
def _admin_only():
    admin_only()


def admin_only() -> None:
    """403 unless the signed-in user holds the admin role (also guards the calendar pages of `web.deadlines`)."""
    if "admin" not in current_user.roles:
        abort(403)


def _fail(exc: ServiceError, template: str, **ctx):
    refuse(exc)
    return render_template(template, values=request.form.to_dict(), **ctx), exc.status


@bp.route("")
def index():
    return redirect(url_for("deadlines.calendar_view"))


def _units() -> list[Unit]:
    return list(db_session().scalars(select(Unit).order_by(Unit.code)))


def _existing_units() -> list[Unit]:
    """What a form offers: a role or a new unit goes only to a unit not dissolved."""
    return [u for u in _units() if u.existing]


def _day(value: str | None) -> date | None:
    """The form's first day of a unit (a date input: YYYY-MM-DD), None when left empty."""
    try:
        return parse_day(value)
    except ValueError:
        raise ServiceError("Ngày bắt đầu hoạt động không hợp lệ.", field="active_from") from None


@bp.route("/don-vi", methods=["GET", "POST"])
def units():
    s = db_session()
    ctx = _units_context()
    if request.method == "POST":
        f = request.form
        try:
            accounts.create_unit(s, f.get("code", ""), f.get("name", ""), parent_code=f.get("parent_code") or None,
                                 level=f.get("level", "department"), remote_area=bool(f.get("remote_area")),
                                 address=f.get("address"), phone=f.get("phone"), actor=current_user.user,
                                 active_from=_day(f.get("active_from")), head_title=f.get("head_title"))
        except ServiceError as exc:
            return _fail(exc, "admin/units.html", units=_units(), **ctx)
        flash(_("Đã tạo đơn vị."), "info")
        return redirect(url_for("admin.units"))
    return render_template("admin/units.html", units=_units(), values={}, **ctx)


def _units_context() -> dict:
    # level_titles: the title a unit's head signs under when the unit has none of its own (shown as the hint)
    return {"levels": UNIT_LEVELS, "level_labels": LEVEL_LABELS, "parents": _existing_units(),
            "level_titles": titles.LEVEL_TITLES}


@bp.route("/don-vi/<code>/lien-he", methods=["POST"])
def unit_contact(code: str):
    f = request.form
    return _unit_act(lambda s: accounts.set_unit_contact(s, code, f.get("address"), f.get("phone"),
                                                         actor=current_user.user),
                     _("Đã cập nhật địa chỉ, điện thoại của đơn vị."))


@bp.route("/don-vi/<code>/chuc-danh", methods=["POST"])
def unit_head_title(code: str):
    return _unit_act(lambda s: accounts.set_unit_head_title(s, code, request.form.get("head_title"),
                                                            actor=current_user.user),
                     _("Đã cập nhật chức danh thủ trưởng của đơn vị."))


def _unit_act(act, done: str):
    """Run one administrator's change to a unit (one transaction); a refusal shows the units page with the message."""
    try:
        act(db_session())
    except ServiceError as exc:
        return _fail(exc, "admin/units.html", units=_units(), **_units_context())
    flash(done, "info")
    return redirect(url_for("admin.units"))


def _create_user(s, f) -> User:
    """One use case made of the account services: create the user and grant the role (committed together)."""
    user = accounts.create_user(s, f.get("username", ""), f.get("password", ""), now=now(),
                                full_name=f.get("full_name", ""), email=f.get("email") or None,
                                actor=current_user.user)
    accounts.grant_role(s, user, accounts.find_unit(s, f.get("unit_code", "")), f.get("role", ""),
                        actor=current_user.user)
    return user


@bp.route("/nguoi-dung", methods=["GET", "POST"])
def users():
    s = db_session()
    ctx = {"roles": ROLES, "units": _existing_units()}
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


# --- one user's account: details, roles, deactivation, password and second-factor resets ----------------------------

def _user_page(user: User, status: int = 200, *, temporary_password: str | None = None, values: dict | None = None):
    at = now()
    return render_template("admin/user.html", u=user, roles=ROLES, units=_existing_units(), values=values or {},
                           temporary_password=temporary_password, events=admin_log.for_user(db_session(), user),
                           action_labels=ADMIN_ACTION_LABELS, login_locked=login.account_locked(user, at)), status


def _act(user_id: int, act, done: str):
    """Run one administrator's act on a user (one transaction); a refusal shows the user's page with the message."""
    s = db_session()
    user = accounts.get_user(s, user_id)
    try:
        act(s, user)
    except ServiceError as exc:
        refuse(exc)
        return _user_page(accounts.get_user(s, user_id), exc.status, values=request.form.to_dict())
    flash(done, "info")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/nguoi-dung/<int:user_id>")
def user(user_id: int):
    return _user_page(accounts.get_user(db_session(), user_id))


@bp.route("/nguoi-dung/<int:user_id>", methods=["POST"])
def update_user(user_id: int):
    f = request.form
    return _act(user_id, lambda s, u: accounts.update_user(s, u, full_name=f.get("full_name", ""),
                                                           email=f.get("email"), actor=current_user.user),
                _("Đã cập nhật thông tin người dùng."))


@bp.route("/nguoi-dung/<int:user_id>/vai-tro", methods=["POST"])
def add_role(user_id: int):
    f = request.form
    return _act(user_id, lambda s, u: accounts.grant_role(s, u, accounts.find_unit(s, f.get("unit_code", "")),
                                                          f.get("role", ""), actor=current_user.user),
                _("Đã thêm vai trò."))


@bp.route("/nguoi-dung/<int:user_id>/vai-tro/<int:membership_id>/bo",
          methods=["POST"])
def remove_role(user_id: int, membership_id: int):
    return _act(user_id, lambda s, u: accounts.revoke_role(s, current_user.user, u, membership_id),
                _("Đã bỏ vai trò."))


@bp.route("/nguoi-dung/<int:user_id>/khoa", methods=["POST"])
def deactivate(user_id: int):
    return _act(user_id, lambda s, u: accounts.set_active(s, current_user.user, u, False, now()),
                _("Đã khóa tài khoản: các phiên đăng nhập đã kết thúc, các mã truy cập API đã bị thu hồi."))


@bp.route("/nguoi-dung/<int:user_id>/mo-khoa", methods=["POST"])
def reactivate(user_id: int):
    return _act(user_id, lambda s, u: accounts.set_active(s, current_user.user, u, True, now()),
                _("Đã mở lại tài khoản."))


@bp.route("/nguoi-dung/<int:user_id>/dat-lai-xac-thuc", methods=["POST"])
def reset_second_factor(user_id: int):
    return _act(user_id, lambda s, u: totp.reset(s, u, actor=current_user.user),
                _("Đã tắt xác thực hai bước: người dùng sẽ đăng ký lại ở lần đăng nhập tới."))


@bp.route("/nguoi-dung/<int:user_id>/dat-lai-mat-khau", methods=["POST"])
def reset_password(user_id: int):
    """The new password is shown once, in this answer (never flashed into a cookie, never stored in clear)."""
    s = db_session()
    user = accounts.get_user(s, user_id)
    temporary = accounts.reset_password(s, user, now(), actor=current_user.user, locks=login_locks())
    return _user_page(user, temporary_password=temporary)


@bp.route("/nguoi-dung/<int:user_id>/mo-khoa-dang-nhap", methods=["POST"])
def unlock_login(user_id: int):
    return _act(user_id, lambda s, u: accounts.unlock_login(s, u, login_locks(), now(), actor=current_user.user),
                _("Đã mở khóa đăng nhập: tài khoản và mọi địa chỉ bị khóa do đăng nhập sai đều được thử lại."))
