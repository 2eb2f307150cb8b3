"""The landing page after login."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

bp = Blueprint("home", __name__)


@bp.route("/")
def root():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return redirect(url_for("auth.login"))


@bp.route("/trang-chu")
@login_required
def index():
    memberships = sorted(current_user.user.memberships, key=lambda m: (m.unit.name, m.role))
    return render_template("home.html", memberships=memberships)
