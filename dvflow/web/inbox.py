"""The in-app inbox: notifications for the logged-in user, with mark-as-read."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..request import PageBlueprint, bounded_int, db_session, now
from ..services import inbox, keyset
from .org.auth import safe_next

bp = PageBlueprint("inbox", __name__, url_prefix="/hop-thu")
PAGE = 30
#: a deeper page is reached by its cursor only (OFFSET would read every item before it)
MAX_OFFSET_PAGE = 20


@bp.route("")
@login_required
def index():
    """Newest first. The next page goes by cursor (the last item's place: any depth reads only its own rows);
    `trang` numbers the page, and alone reaches the first MAX_OFFSET_PAGE pages."""
    page = max(request.args.get("trang", 1, type=bounded_int) or 1, 1)
    cursor = request.args.get("cursor") or None
    session = db_session()
    by_cursor = cursor is not None and keyset.decode_cursor(cursor) is not None
    if not by_cursor:
        page = min(page, MAX_OFFSET_PAGE)
    rows = inbox.list_inbox(session, current_user.id, limit=PAGE + 1, offset=0 if by_cursor else (page - 1) * PAGE,
                            cursor=cursor if by_cursor else None)
    items = rows[:PAGE]
    return render_template("inbox.html", items=items, page=page, unread=inbox.unread_count(session, current_user.id),
                           next_cursor=inbox.cursor_of(items[-1]) if len(rows) > PAGE else None,
                           max_offset_page=MAX_OFFSET_PAGE)


@bp.route("/<int:notification_id>/da-doc", methods=["POST"])
@login_required
def mark_read(notification_id: int):
    session = db_session()
    inbox.mark_read(session, current_user.id, notification_id, now())
    # only a path on this site: the form's `next` is the client's word
    return redirect(safe_next(request.form.get("next")) or url_for("inbox.index"))


@bp.route("/da-doc-tat-ca", methods=["POST"])
@login_required
def mark_all_read():
    session = db_session()
    inbox.mark_all_read(session, current_user.id, now())
    return redirect(url_for("inbox.index"))
