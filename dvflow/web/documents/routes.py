"""Pages of the documents: the case page's list (template global), downloads, preview, the unit's templates."""
from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ...i18n import loc, said
from ...models import Unit
from ...request import (
    bounded_int,
    db_session,
    now,
    refuse,
    workflows,
    write_apart,
)
from ...services import cases
from ...services.documents import flow, pdf, reading, receipts, revocation, templates
from ...services.errors import ServiceError
from ...services.org import access
from . import bp

DOCX_TYPE = flow.DOCX_TYPE


def _documents_dir() -> str:
    return flow.settings_from(current_app.config).documents_dir


@bp.app_template_global()
def case_documents(case) -> dict:
    """For documents/_list.html: the case's documents, their labels, and whether a PDF can be shown."""
    s = db_session()
    _case, docs, hidden = reading.list_documents(s, current_user.user, case.id)
    return {"rows": docs, "hidden": hidden, "labels": _labels(), "pdf": pdf.available()}


def _labels() -> dict[str, str]:
    """Each document type's name in the page's language (the manifest's label_en on an English page)."""
    return {k: loc(t) for k, t in templates.load_manifest(_documents_dir()).items()}


def _open(case_id: int, document_id: int):
    user, at, where = current_user.user, now(), _documents_dir()
    try:  # a confidential case's document: its opening is recorded before it is sent (a write of its own)
        return write_apart(lambda s: _detached(reading.open_document(s, user, document_id, at, case_id=case_id,
                                                                     documents_dir=where), s))
    except ServiceError as exc:
        abort(403 if exc.status == 403 else 404)


def _detached(document, session):
    session.expunge(document)  # read after the writing session closed: content and pdf are loaded columns
    return document


def _send(content: bytes, mimetype: str, name: str, inline: bool) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    if inline:  # the draft is shown in an iframe of the case page: framing by this site only (default: none)
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    return response


@bp.route("/<int:case_id>/giay-bien-nhan.docx")
@login_required
def receipt_docx(case_id: int):
    """The receipt of a case as a DOCX (Mẫu 02/TCD), to print or send; without the secret, shown once on the
    HTML receipt."""
    user, at, settings, registry = current_user.user, now(), flow.settings_from(current_app.config), workflows()

    def work(s):  # a denouncer's own receipt names them: its opening is recorded before it is sent
        case = cases.load_case_for(s, user, case_id)
        return receipts.receipt_docx(s, settings, registry, case, viewer=user, now=at), case.tracking_code
    try:
        content, code = write_apart(work)
    except ServiceError as exc:
        abort(404 if exc.status == 404 else exc.status)
    return _send(content, DOCX_TYPE, f"giay-bien-nhan-{code}.docx", inline=False)


@bp.route("/<int:case_id>/<int:document_id>.docx")
@login_required
def docx(case_id: int, document_id: int):
    document = _open(case_id, document_id)
    return _send(document.content, DOCX_TYPE, flow.file_name(document, "docx"), inline=False)


@bp.route("/<int:case_id>/<int:document_id>.pdf")
@login_required
def pdf_file(case_id: int, document_id: int):
    document = _open(case_id, document_id)
    try:
        content = reading.pdf_of(document)
    except ServiceError as exc:  # no LibreOffice, or the conversion failed: say why, offer the DOCX
        return render_template("documents/no_pdf.html", message=said(exc), case_id=case_id,
                               document=document), exc.status
    return _send(content, "application/pdf", flow.file_name(document, "pdf"), inline=True)


@bp.route("/<int:case_id>/<int:document_id>")
@login_required
def preview(case_id: int, document_id: int):
    document = _open(case_id, document_id)
    blocks = None if pdf.available() else reading.preview(document.content)
    return render_template("documents/preview.html", document=document, case_id=case_id, blocks=blocks,
                           label=_labels().get(document.type, document.type),
                           may_revoke=revocation.may_revoke(db_session(), current_user.user, document))


@bp.route("/<int:case_id>/<int:document_id>/thu-hoi", methods=["POST"])
@login_required
def revoke(case_id: int, document_id: int):
    form = request.form
    _act(lambda s: revocation.revoke(s, current_user.user, case_id, document_id, form.get("reason"),
                                     form.get("reference"), now()), _("Đã ghi nhận việc thu hồi văn bản."))
    return redirect(url_for("documents.preview", case_id=case_id, document_id=document_id))


@bp.route("/<int:case_id>/<int:document_id>/tao-lai", methods=["POST"])
@login_required
def regenerate(case_id: int, document_id: int):
    _act(lambda s: flow.regenerate(s, flow.settings_from(current_app.config), workflows(), current_user.user,
                                   case_id, document_id, now()), _("Đã tạo lại dự thảo từ hồ sơ hiện tại."))
    return redirect(url_for("cases.show", case_id=case_id) + "#van-ban")


def _act(work, done: str) -> None:
    """A document's use case on the request's session: `done` flashed, or its refusal (a missing one: 404)."""
    try:
        work(db_session())
    except ServiceError as exc:
        if exc.status == 404:
            abort(404)
        refuse(exc)
    else:
        flash(done, "info")


def _admin_units() -> list[Unit]:
    s = db_session()
    ids = [r.unit_id for r in access.memberships(s, current_user.user) if r.role == "admin"]
    return list(s.scalars(select(Unit).where(Unit.id.in_(ids)).order_by(Unit.name))) if ids else []


@bp.route("/mau", methods=["GET"])
@login_required
def unit_templates():
    units = _admin_units()
    if not units:
        abort(403)
    unit = next((u for u in units if u.id == request.args.get("unit", type=bounded_int)), units[0])
    return _templates_page(unit, units)


def _templates_page(unit: Unit, units: list[Unit], status: int = 200):
    own = templates.unit_templates(db_session(), unit.id)
    types = templates.load_manifest(_documents_dir())
    return render_template("documents/templates.html", unit=unit, units=units, types=types, own=own,
                           names=sorted(templates.CONTEXT_NAMES)), status


@bp.route("/mau/<int:unit_id>/<type_>", methods=["POST"])
@login_required
def upload_template(unit_id: int, type_: str):
    s, user = db_session(), current_user.user
    units = _admin_units()
    unit = next((u for u in units if u.id == unit_id), None)
    if unit is None:
        abort(403)
    try:
        if request.form.get("remove"):
            templates.remove(s, user, unit_id, type_)
            flash(_("Đã trở về mẫu chung."), "info")
        else:
            file = request.files.get("file")
            content = file.read() if file is not None else b""
            templates.upload(s, user, unit_id, _documents_dir(), type_, (file.filename if file else "") or "",
                             content, now(), definitions=workflows().kinds())
            flash(_("Đã tải lên mẫu văn bản."), "info")
    except ServiceError as exc:
        refuse(exc)
        return _templates_page(unit, units, exc.status)
    return redirect(url_for("documents.unit_templates", unit=unit_id))
