"""Login (rate-limited) and logout."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user
from sqlalchemy import select

from ...extensions import limiter
from ...models import User
from ...request import PageBlueprint, db_session
from ...security import verify_password
from .auth_forms import LoginForm
from .identity import CurrentUser

bp = PageBlueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("home.index")


@bp.route("/dang-nhap", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        user = db_session().scalar(select(User).where(User.username == username))
        if user is not None and user.active and verify_password(user.password_hash, form.password.data):
            session.clear()
            login_user(CurrentUser(user))
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "danger")
    return render_template("auth/login.html", form=form)


@bp.route("/dang-xuat", methods=["POST"])
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/ngon-ngu/<lang>")
def set_language(lang: str):
    if lang in ("vi", "en"):
        session["lang"] = lang
    return redirect(_safe_next(request.referrer and request.referrer.replace(request.host_url, "/")))
