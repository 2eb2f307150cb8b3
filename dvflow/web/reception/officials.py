"""Thin handlers of the officials page: a unit's head (or an admin) lists, adds and corrects the officials bound to
receive citizens periodically."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...i18n import loc
from ...request import db_session, now, refuse
from ...services.errors import Forbidden, NotFound, ServiceError
from ...services.reception import officials
from ...services.reception.schedule_access import official_units, viewing_units, within
from . import bp
from .schedule_forms import official_input, rules


def _page(values: dict, editing=None, status: int = 200):
    s, user = db_session(), current_user.user
    manage = official_units(s, user)
    positions = {key: loc(p) for key, p in rules().positions.items()}
    return render_template("reception/officials.html", rows=officials.list_officials(s, viewing_units(s, user)),
                           units=officials.managed_units(s, user, editing.unit_id if editing else None),
                           positions=positions, values=values,
                           editing=editing, may_manage=lambda o: within(manage, o.unit_id),
                           may_add=manage is None or bool(manage)), status


@bp.route("/nguoi-tiep", methods=["GET"])
@login_required
def officials_index():
    return _page({})


@bp.route("/nguoi-tiep", methods=["POST"])
@login_required
def officials_add():
    s, user = db_session(), current_user.user
    try:
        officials.add_official(s, user, rules(), official_input(request.form), now())
    except Forbidden:
        abort(403)
    except ServiceError as exc:
        refuse(exc)
        return _page(request.form.to_dict(), status=400)
    flash(_("Đã thêm người tiếp công dân."), "info")
    return redirect(url_for("reception.officials_index"))


@bp.route("/nguoi-tiep/<int:official_id>", methods=["GET", "POST"])
@login_required
def officials_edit(official_id: int):
    s, user = db_session(), current_user.user
    try:
        row = officials.load_official(s, user, official_id, manage=True)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    if request.method == "GET":
        account = officials.account_name(s, row)
        return _page({"unit_id": row.unit_id, "full_name": row.full_name, "title": row.title,
                      "position": row.position, "active_from": row.active_from.isoformat(),
                      "active_to": row.active_to.isoformat() if row.active_to else "", "username": account}, row)
    try:
        officials.update_official(s, user, rules(), official_id, official_input(request.form))
    except Forbidden:
        abort(403)
    except ServiceError as exc:
        refuse(exc)
        return _page(request.form.to_dict(), officials.load_official(s, user, official_id), 400)
    flash(_("Đã cập nhật người tiếp công dân."), "info")
    return redirect(url_for("reception.officials_index"))
