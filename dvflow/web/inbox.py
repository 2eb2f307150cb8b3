"""The in-app inbox: notifications for the logged-in user, with mark-as-read."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..request import PageBlueprint, db_session, now
from ..services import inbox

bp = PageBlueprint("inbox", __name__, url_prefix="/hop-thu")
PAGE = 30


@bp.route("")
@login_required
def index():
    page = max(request.args.get("trang", 1, type=int), 1)
    session = db_session()
    items = inbox.list_inbox(session, current_user.id, limit=PAGE, offset=(page - 1) * PAGE)
    return render_template("inbox.html", items=items, page=page, unread=inbox.unread_count(session, current_user.id),
                           has_more=len(items) == PAGE)


@bp.route("/<int:notification_id>/da-doc", methods=["POST"])
@login_required
def mark_read(notification_id: int):
    session = db_session()
    inbox.mark_read(session, current_user.id, notification_id, now())
    return redirect(request.form.get("next") or url_for("inbox.index"))


@bp.route("/da-doc-tat-ca", methods=["POST"])
@login_required
def mark_all_read():
    session = db_session()
    inbox.mark_all_read(session, current_user.id, now())
    return redirect(url_for("inbox.index"))
