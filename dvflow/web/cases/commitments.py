"""The commitments panel of the case page (Cam kết khi đối thoại): a complaint after its dialogue's minutes, or a
conference once held, records what was promised (POST /ho-so/<id>/cam-ket); each is a follow-up case whose state
and due day the panel shows."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...i18n import loc
from ...labels import STATUS_LABELS
from ...models import Case, ReceptionSession
from ...request import db_session, int_or_none, now, refuse, workflows
from ...services import cases, commitments
from ...services.dialogues import commitments as service
from ...services.errors import NotFound, ServiceError
from ...services.org import access
from ...services.reception import sessions
from ...timeutil import local_date
from . import bp
from .view import context


@bp.app_template_global()
def case_commitments(case) -> dict:
    """For cases/_commitments.html: the commitments promised in the case and whether the user may add one."""
    s, user = db_session(), current_user.user
    if service.SOURCE_BY_KIND.get(case.kind) is None:
        return {"shown": False}
    rows = service.panel(s, user, case, local_date(now()))
    follow_up = workflows().latest("follow_up")
    can_add = service.may_add(s, user, case)
    return {"shown": bool(rows) or can_add, "rows": rows, "can_add": can_add,
            "source": service.source_of(case) or service.SOURCE_BY_KIND[case.kind],
            "units": service.responsible_units(s, user) if can_add else [],
            "state_label": lambda state: loc(follow_up.states[state]) if state in follow_up.states else state}


@bp.app_template_global()
def follow_up_origin(case) -> dict | None:
    """For the case page of a follow-up: the conclusion notice's session or the case whose dialogue promised it,
    linked when the user may open it, and who gave or promised it."""
    if case.kind != commitments.KIND:
        return None
    s, user = db_session(), current_user.user
    row = commitments.origin_of(s, case.id)
    if row is None:
        return None
    origin = s.get(Case, row.origin_case_id) if row.origin_case_id else None
    reception = s.get(ReceptionSession, row.session_id) if row.session_id else None
    return {"source": row.source, "promised_by": row.promised_by, "days": case.facts.get("follow_up_days"),
            "origin": origin, "origin_visible": origin is not None and access.can_see(s, user, origin),
            "session": reception,  # linked to its desk only for who may open it (a unit's handler may not)
            "session_visible": reception is not None and sessions.may_open(s, user, reception.unit_id)}


@bp.route("/<int:case_id>/cam-ket", methods=["POST"])
@login_required
def add_commitment(case_id: int):
    s, user, form = db_session(), current_user.user, request.form
    days = form.get("days", "").strip()
    unit = form.get("unit_id", "").strip()
    data = service.DialogueCommitment(description=form.get("description", ""),
                                      unit_id=int_or_none(unit, minimum=0),
                                      days=int_or_none(days, minimum=0),
                                      promised_by=form.get("promised_by", ""))
    try:
        row = service.add(s, workflows(), user, case_id, data, now())
    except NotFound:
        abort(404)
    except ServiceError as exc:
        refuse(exc)
        case = cases.load_case_for(s, user, case_id)
        ctx = context(s, workflows(), user, case, local_date(now()))
        return render_template("cases/show.html", **ctx, status_labels=STATUS_LABELS), exc.status
    follow_up = s.get(Case, row.case_id)
    flash(_("Đã ghi cam kết; theo dõi thực hiện tại hồ sơ %(code)s.", code=follow_up.tracking_code), "info")
    return redirect(url_for("cases.show", case_id=case_id) + "#cam-ket")
