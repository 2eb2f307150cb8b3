"""Thin handlers: the conferences a user sees, planning one for a commune, and compliance per commune and year
(heads over their subtree; supervisors, such as the Fatherland Front and the inspectorate, read-only everywhere)."""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...i18n import loc
from ...request import db_session, int_or_none, now, rollback, workflows
from ...services.dialogues import compliance, conferences, rules
from ...services.errors import ServiceError
from ...timeutil import local_date
from . import bp


def _rules() -> rules.DialogueRules:
    return rules.load(current_app.config["WORKFLOWS_DIR"])


def _year(today: date) -> int:
    raw = request.args.get("nam", "")
    # isascii: "²" and "①" are digits to isdigit() but not to int()
    return int(raw) if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= today.year + 1 else today.year


@bp.route("")
@login_required
def index():
    s, user = db_session(), current_user.user
    today = local_date(now())
    year = _year(today)
    defn = workflows().latest(conferences.KIND)
    rows = [{"case": c, "state": loc(defn.states[c.state]) if c.state in defn.states else c.state,
             "planned_on": conferences.planned_on(c), "held_on": conferences.held_on(c)}
            for c in conferences.visible(s, user, year)]
    return render_template("dialogues/index.html", rows=rows, year=year, years=compliance.years(today, _rules()),
                           can_plan=bool(conferences.units_to_plan_for(s, user)),
                           can_see_compliance=_sees_compliance(s, user))


@bp.route("/hoi-nghi-moi", methods=["GET", "POST"])
@login_required
def new():
    s, user = db_session(), current_user.user
    units = conferences.units_to_plan_for(s, user)
    if not units:
        abort(403)
    if request.method == "GET":
        return render_template("dialogues/new.html", units=units, values={}, error=None)
    form = request.form
    try:
        data = conferences.ConferenceInput(
            unit_id=int_or_none(form.get("unit_id"), minimum=0), planned_on=_date(form.get("planned_on")),
            place=form.get("place", ""), topics=form.get("topics", ""),
            front_coorganiser=form.get("front_coorganiser", ""))
        case = conferences.plan(s, workflows(), user, data, now())
    except ServiceError as err:
        rollback()
        return render_template("dialogues/new.html", units=units, values=form, error=err), 400
    flash(_("Đã lập kế hoạch hội nghị đối thoại %(code)s.", code=case.tracking_code), "success")
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/tuan-thu")
@login_required
def compliance_page():
    s, user = db_session(), current_user.user
    if not _sees_compliance(s, user):
        abort(403)
    today = local_date(now())
    year, dialogue_rules = _year(today), _rules()
    summary = compliance.per_commune(s, compliance.viewable_units(s, user), year, dialogue_rules)
    return render_template("dialogues/compliance.html", summary=summary, year=year, today=today,
                           years=compliance.years(today, dialogue_rules),
                           requirement=dialogue_rules.requirement("commune", year))


def _sees_compliance(session, user) -> bool:
    return compliance.may_view(session, user)


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError as exc:
        raise ServiceError(_("Ngày dự kiến tổ chức không hợp lệ."), field="planned_on") from exc
