"""GET /bang-dieu-khien/bao-cao-dinh-ky/csdl-quoc-gia.json: the period and unit of the periodic report page as the
export for the national database (docs/national-export/schema-v1.json), downloaded as a file; heads over their
subtree, supervisors and administrators."""
from __future__ import annotations

import json

from flask import Response, request
from flask_login import current_user, login_required

from ...i18n import said
from ...request import bounded_int, db_session, now
from ...services.errors import Forbidden, ServiceError
from ...services.org import access
from ...services.reports import national_export
from ...timeutil import local_date
from . import bp


def may_export(session, user) -> bool:
    """Whether the page offers the download (the route checks again)."""
    return any(m.role in national_export.EXPORT_ROLES for m in access.memberships(session, user))


@bp.route("/bao-cao-dinh-ky/csdl-quoc-gia.json")
@login_required
def national_export_json():
    s, instant = db_session(), now()
    try:
        national_export.exporting_units(s, current_user.user)
        args = request.args
        span = national_export.named_period(args.get("ky", "quarter"), args.get("nam", type=bounded_int),
                                            args.get("so", type=bounded_int),
                                            request.args.get("cach_tinh", "cutoff"), local_date(instant))
        doc = national_export.export_for(s, current_user.user, unit_id=request.args.get("don_vi", type=bounded_int),
                                         span=span, now=instant)
    except Forbidden as exc:
        return Response(said(exc), status=403, mimetype="text/plain")
    except ServiceError as exc:
        return Response(said(exc), status=400, mimetype="text/plain")
    name = f"csdl-quoc-gia-{doc['issuing_unit']['code']}-{doc['period']['from']}-{doc['period']['to']}.json"
    return Response(json.dumps(doc, ensure_ascii=False, indent=1), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
