"""Commitments: the follow-up tasks of conclusion notices and the promises of dialogues, where each stands."""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required

from ...i18n import loc
from ...labels import COMMITMENT_SOURCE_LABELS
from ...request import PageBlueprint, bounded_int, db_session, now, workflows
from ...services.commitments import listing
from ...timeutil import local_date

bp = PageBlueprint("commitments", __name__, url_prefix="/cam-ket")

SOURCE_LABELS = COMMITMENT_SOURCE_LABELS  # translated in the template


@bp.route("")
@login_required
def index():
    status = request.args.get("tinh-trang", "open")
    status = status if status in listing.STATUSES else "open"
    source = request.args.get("nguon") or None
    source = source if source in SOURCE_LABELS else None
    page = max(request.args.get("trang", 1, type=bounded_int) or 1, 1)
    rows, has_more = listing.visible(db_session(), current_user, status=status, source=source,
                                     today=local_date(now()), page=page)
    states = workflows().latest("follow_up").states
    return render_template("commitments/index.html", rows=rows, has_more=has_more, page=page, status=status,
                           source=source, source_labels=SOURCE_LABELS,
                           state_label=lambda key: loc(states[key]) if key in states else key)
