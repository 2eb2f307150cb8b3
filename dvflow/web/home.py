"""The landing page after login: what each role needs first."""
from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from ..request import PageBlueprint, db_session, now, workflows
from ..services import inbox
from ..services.cases import queries as case_queries
from ..services.reception import book as reception_queries
from ..timeutil import local_date
from .reception import schedule_panels

bp = PageBlueprint("home", __name__)


@bp.route("/")
def root():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return redirect(url_for("auth.login"))


@bp.route("/trang-chu")
@login_required
def index():
    s, user, today = db_session(), current_user.user, local_date(now())
    roles = current_user.roles
    memberships = sorted(user.memberships, key=lambda m: (m.unit.name, m.role))
    registry = workflows()
    counts = case_queries.counts(s, user, today, registry)
    ctx = {"memberships": memberships, "counts": counts, "roles": roles, "today": today}
    if "reception" in roles:
        ctx["today_log"] = reception_queries.day_log(s, user, today)
    if "handler" in roles:
        ctx["my_cases"] = case_queries.latest(s, case_queries.case_query(s, user, queue="mine")
                                              .where(case_queries.not_closed()))
    if "head" in roles:
        ctx["approval"] = case_queries.latest(s, case_queries.case_query(s, user, queue="approval",
                                                                         workflows=registry))
    ctx["unread"] = inbox.unread_count(s, user.id)
    ctx["reception_schedule"] = schedule_panels.home_panel(s, user, today)  # a head's own reception days
    return render_template("home.html", **ctx)
