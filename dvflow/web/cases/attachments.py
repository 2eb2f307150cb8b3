"""Attachments on the case page: upload (POST /ho-so/<id>/tep) and download (GET /ho-so/<id>/tep/<attachment_id>)."""
from __future__ import annotations

import io

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ...labels import STATUS_LABELS
from ...models import User
from ...request import (
    db_session,
    file_store,
    now,
    on_rollback,
    refuse,
    workflows,
    write_apart,
)
from ...services import cases
from ...services.cases import attachments as service
from ...services.cases import confidentiality
from ...services.documents import flow as doc_flow
from ...services.errors import NotFound, ServiceError
from ...storage import FileMissing
from ...timeutil import local_date
from . import bp
from .view import context


def _max_bytes() -> int:
    return int(current_app.config.get("MAX_ATTACHMENT_BYTES", service.DEFAULT_MAX_BYTES))


@bp.app_template_filter("filesize")
def filesize(n: int) -> str:
    """Bytes as B / KB / MB with a Vietnamese decimal comma."""
    if n < 1024:
        return f"{n} B"
    value, unit = (n / 1024, "KB") if n < 1024 * 1024 else (n / (1024 * 1024), "MB")
    text = f"{value:.1f}".replace(".", ",")
    return f"{text.removesuffix(',0')} {unit}"


@bp.app_template_global()
def case_attachments(case) -> dict:
    """For cases/_attachments.html: the case's files and whether the current user may add one.

    Only called from the case page, which is shown to users who may see the case (cases.load_case_for).
    """
    s = db_session()
    if not confidentiality.may_see_content(s, current_user.user, case):
        # a confidential case's files are need-to-know: not even their names are listed
        return {"rows": [], "hidden": True, "can_upload": service.may_upload(s, current_user.user, case),
                "max_bytes": _max_bytes(), "allowed": service.ALLOWED_LABEL,
                "accept": ",".join(f".{e}" for e in service.CONTENT_TYPES)}
    items = service.list_attachments(s, case.id)
    ids = {a.uploaded_by_id for a in items if a.uploaded_by_id}
    names = {u.id: u.full_name or u.username for u in s.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    rows = [{"a": a, "uploader": names.get(a.uploaded_by_id, "")} for a in items]
    return {"rows": rows, "hidden": False, "can_upload": service.may_upload(s, current_user.user, case),
            "max_bytes": _max_bytes(), "allowed": service.ALLOWED_LABEL,
            "accept": ",".join(f".{e}" for e in service.CONTENT_TYPES)}


@bp.route("/<int:case_id>/tep", methods=["POST"])
@login_required
def upload(case_id: int):
    s, user = db_session(), current_user.user
    file = request.files.get("file")
    try:
        if file is None or not file.filename:
            cases.load_case_for(s, user, case_id)
            raise ServiceError(_("Chọn một tệp để tải lên."), field="file")
        attachment = service.add_attachment(s, user, case_id, file.filename, file.stream, file.mimetype, now(),
                                            file_store(), _max_bytes())
    except NotFound:
        abort(404)
    except ServiceError as exc:
        refuse(exc)
        case = cases.load_case_for(s, user, case_id)
        ctx = context(s, workflows(), user, case, local_date(now()))
        return render_template("cases/show.html", **ctx, status_labels=STATUS_LABELS), exc.status
    store = file_store()
    on_rollback(lambda: service.remove_file(store, attachment))  # the file goes unless its row is committed
    flash(_("Đã đính kèm tệp %(name)s.", name=attachment.filename), "info")
    return redirect(url_for("cases.show", case_id=case_id) + "#tep-dinh-kem")


@bp.route("/<int:case_id>/tep/<int:attachment_id>")
@login_required
def download(case_id: int, attachment_id: int):
    # a download of a confidential case's file is recorded, and committed before a byte is served: a GET's own
    # session is read-only, so the download runs in a writing transaction of its own
    user, store, at = current_user.user, file_store(), now()
    manifest = doc_flow.settings_from(current_app.config).documents_dir  # tells a denouncer's own copy
    try:
        attachment = write_apart(lambda s: service.download(s, user, case_id, attachment_id, store, at, manifest))
        # from disk, the file itself (ranges, no copy); from S3, its bytes (at most MAX_ATTACHMENT_BYTES)
        source = store.local_path(attachment.stored_path) or io.BytesIO(store.get(attachment.stored_path))
    except ServiceError as exc:
        abort(403 if exc.status == 403 else 404)
    except FileMissing:
        abort(404)
    response = send_file(source, mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.filename, max_age=0, conditional=True, etag=attachment.sha256)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
