"""Login (rate-limited per address, locked per account, a TOTP second factor where required), logout (which ends
the session on the server), and the steps a signed-in user must take before anything else."""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

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
from flask_login import current_user, login_required, logout_user

from ...extensions import limiter
from ...i18n import LANGUAGES
from ...models import User
from ...ratelimits import origin
from ...request import PageBlueprint, db_session, now
from ...services.org import login as login_service
from ...services.org import sessions, totp
from .auth_forms import LoginForm, SecondFactorForm
from .identity import no_store, start_session

bp = PageBlueprint("auth", __name__)
bp.after_request(no_store)

# per address (an IPv6 client by its /64), counted in RATELIMIT_STORAGE_URI (shared by every worker and node)
LOGIN_LIMIT = "10 per minute;100 per hour"
SECOND_FACTOR_SECONDS = 300  # the password step is good for this long while the user types the code
# pages a user who must first change the password or enrol the second factor can still reach
FIRST_STEPS = {"account.password", "account.change_password", "account.second_factor",
               "account.enrol_second_factor"}
ALWAYS_OPEN = {"auth.login", "auth.second_factor", "auth.logout", "auth.set_language", "static"} | FIRST_STEPS


def refused() -> str:
    # one message for a wrong password, an unknown user, an inactive or a locked account: it tells nothing
    return _("Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khóa do đăng nhập sai nhiều lần. "
             "Vui lòng thử lại sau ít phút.")


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None. Browsers drop tabs and newlines from a URL and read a
    backslash as a slash, so `/%09/evil.example/`, `/\\evil` or `//evil` would take the user elsewhere: any of these
    characters refuses the target, as does a scheme or a host after decoding it (twice, for doubly encoded
    tricks)."""
    if not target or len(target) > 2000:
        return None
    decoded = unquote(unquote(target))
    for text in (target, decoded):
        if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in text):
            return None
        parts = urlsplit(text)
        if parts.scheme or parts.netloc or not text.startswith("/") or text.startswith("//"):
            return None
    return target


def _seconds() -> int:
    return int(now().timestamp())


@bp.route("/dang-nhap", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = login_service.authenticate(db_session(), form.username.data, form.password.data, now(), origin())
        if user is None:
            flash(refused(), "danger")
            return render_template("auth/login.html", form=form)
        target = safe_next(request.args.get("next"))
        if user.totp_secret is not None:
            session.clear()
            session["pending"] = {"uid": user.id, "sv": user.session_version, "at": _seconds(), "next": target}
            return redirect(url_for("auth.second_factor"))
        start_session(user)
        return redirect(target or url_for("home.index"))
    return render_template("auth/login.html", form=form)


def _pending_user() -> User | None:
    """The user who gave the right password in the last few minutes and still owes the second factor."""
    pending = session.get("pending")
    if not isinstance(pending, dict) or _seconds() - int(pending.get("at", 0)) > SECOND_FACTOR_SECONDS:
        return None
    user = db_session().get(User, int(pending.get("uid", 0)))
    if user is None or not user.active or user.session_version != pending.get("sv") or user.totp_secret is None:
        return None
    return user


@bp.route("/dang-nhap/ma-xac-thuc", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def second_factor():
    user = _pending_user()
    if user is None:
        session.pop("pending", None)
        flash(_("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."), "warning")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        at, client = now(), origin()
        locked = login_service.is_locked(user, at, client)
        if not locked and totp.verify(db_session(), user, form.code.data, at):
            login_service.record_success(user, client)
            target = session["pending"].get("next")
            start_session(user)
            return redirect(safe_next(target) or url_for("home.index"))
        if not locked:
            login_service.record_failure(user, at, client)
        flash(_("Mã xác thực không đúng, đã dùng hoặc tài khoản đang tạm khóa."), "danger")
    return render_template("auth/second_factor.html", form=form)


@bp.route("/dang-xuat", methods=["POST"])
@login_required
def logout():
    sessions.logout(db_session(), current_user.user)
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/ngon-ngu/<lang>")
def set_language(lang: str):
    if lang in LANGUAGES:
        session["lang"] = lang
    back = request.referrer and request.referrer.replace(request.host_url, "/")
    return redirect(safe_next(back) or url_for("home.index"))


@bp.before_app_request
def first_steps():
    """A user whose password was reset changes it, and a head or administrator without a second factor enrols
    one, before any other page (the API is reached with tokens, which a reset revokes)."""
    if request.endpoint in ALWAYS_OPEN or request.endpoint is None or request.path.startswith("/api/"):
        return None
    if not current_user.is_authenticated:
        return None
    user = current_user.user
    if user.must_change_password:
        return redirect(url_for("account.password"))
    if user.totp_secret is None and login_service.totp_required(user, current_app.config["TOTP_REQUIRED_ROLES"]):
        return redirect(url_for("account.second_factor"))
    return None
