"""Thin handlers: load -> check access -> one service -> redirect/render; the request boundary commits once."""
from __future__ import annotations

from typing import NamedTuple

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import Select

from ...i18n import loc, said
from ...labels import STATUS_LABELS
from ...request import (
    bounded_int,
    db_session,
    int_field,
    now,
    refuse,
    workflows,
)
from ...services import cases
from ...services.cases import list_filters, queries
from ...services.documents import flow as doc_flow
from ...services.errors import Forbidden, NotFound, ServiceError
from ...services.org import access
from ...timeutil import local_date
from . import bp
from .view import context

N_ = lambda s: s  # noqa: E731 - extracted for translation; the template calls _() on the label

QUEUE_LABELS = {"mine": N_("Hồ sơ của tôi"), "unit": N_("Hồ sơ của đơn vị"), "due": N_("Sắp đến hạn và quá hạn"),
                "approval": N_("Chờ tôi phê duyệt")}


def _load(case_id: int):
    try:
        return cases.load_case_for(db_session(), current_user.user, case_id)
    except ServiceError:
        abort(404)


class Listing(NamedTuple):
    query: Select
    args: dict[str, str]
    extra: list_filters.ListFilters
    show_voided: bool
    queue: str
    #: the number of matches of a common search term in a long list, estimated (None: the list counts them)
    estimate: int | None


def listing(src) -> Listing:
    """The list's query from the request's filters (GET) or search form (POST). Shared with the XLSX export, which
    lists exactly what the page lists. The search comes last, so that its probe sees the list as filtered."""
    s, user, today = db_session(), current_user.user, local_date(now())
    queue = src.get("hang", "unit")
    queue = queue if queue in queries.QUEUES else "unit"
    args = {k: src.get(k, "").strip() for k in ("kind", "state", "status")}
    args["q"] = request.form.get("q", "").strip() if request.method == "POST" else ""
    show_voided = bool(src.get("da_huy")) and "head" in current_user.roles  # heads look up voided cases
    extra, errors = list_filters.parse(src)
    for err in errors:
        flash(said(err), "danger")
    query = queries.case_query(s, user, queue=queue, today=today, workflows=workflows(), show_voided=show_voided,
                               kind=args["kind"], state=args["state"], status=args["status"])
    # a dated figure counts over the units the user sees by the unit each case was in on its date: so does its list
    visible = access.visible_unit_ids(s, user)
    query, estimate = queries.searched(s, extra.apply(s, query, now(), visible), args["q"])
    return Listing(query, args, extra, show_voided, queue, estimate)


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    """The queues. A search (q: a code, a subject or a party's name) is sent by POST and its pages are POSTed on, so
    a name never travels in an address (access logs, the browser's history, a Referer); the filters stay in GET."""
    s, today = db_session(), local_date(now())
    src = request.form if request.method == "POST" else request.args
    query, args, extra, show_voided, queue, estimate = listing(src)
    # deep pages go by cursor (the next link carries it); `trang` numbers the page, and alone reaches the first ones
    page = queries.paginate(s, query, src.get("trang", 1, type=bounded_int) or 1, cursor=src.get("cursor") or None,
                            estimate=estimate)
    kinds = workflows().kinds()
    kind_labels = {d.id: loc(d) for d in kinds}
    states = sorted({(k, loc(st)) for d in kinds for k, st in d.states.items()}, key=lambda t: t[1])
    filters = {**{k: v for k, v in args.items() if k != "q" and v}, **extra.as_args()}
    return render_template("cases/list.html", page=page, queue=queue, queue_labels=QUEUE_LABELS, args=args,
                           filters=filters, extra_args=extra.as_args(),
                           kinds=kinds, kind_labels=kind_labels, states=dict(states), status_labels=STATUS_LABELS,
                           due=queries.next_due(s, [c.id for c in page.items]), today=today,
                           show_voided=show_voided, max_offset_page=queries.MAX_OFFSET_PAGE,
                           state_label=lambda c: _state_label(c))


def _state_label(case) -> str:
    try:
        st = workflows().for_case(case, db_session()).states.get(case.state)
    except KeyError:
        st = None
    return loc(st) if st else case.state


@bp.route("/<int:case_id>")
@login_required
def show(case_id: int):
    case = _load(case_id)
    ctx = context(db_session(), workflows(), current_user.user, case, local_date(now()))
    return render_template("cases/show.html", **ctx, status_labels=STATUS_LABELS)


def _payload(spec) -> dict:
    out = {}
    for f in spec.fields:
        if f.type == "boolean":
            out[f.name] = "true" if request.form.get(f.name) else "false"
        else:
            value = request.form.get(f.name, "").strip()
            if value:
                out[f.name] = value
    return out


@bp.route("/<int:case_id>/thao-tac/<trigger>", methods=["POST"])
@login_required
def act(case_id: int, trigger: str):
    s, user = db_session(), current_user.user
    case = _load(case_id)
    spec = next((a for a in cases.actions_for(s, workflows(), user, case) if a.trigger == trigger), None)
    payload = _payload(spec) if spec else {}
    try:
        cases.perform(s, workflows(), user, case.id, trigger, payload, now(),
                      expected_version=request.form.get("version", type=bounded_int),
                      documents=doc_flow.settings_from(current_app.config))
    except ServiceError as exc:
        refuse(exc)
        case = _load(case_id)
        ctx = context(s, workflows(), user, case, local_date(now()), typed={trigger: dict(request.form)})
        return render_template("cases/show.html", **ctx, status_labels=STATUS_LABELS), exc.status
    flash(_("Đã thực hiện thao tác."), "info")
    return redirect(url_for("cases.show", case_id=case_id))


@bp.route("/<int:case_id>/giao-viec", methods=["POST"])
@login_required
def assign(case_id: int):
    s, user = db_session(), current_user.user
    _load(case_id)
    assignee = int_field(request.form, "assignee_id", _("Người được giao")) or user.id
    try:
        cases.assign(s, user, case_id, assignee, now(), expected_version=request.form.get("version", type=bounded_int))
    except ServiceError as exc:
        refuse(exc)
        return redirect(url_for("cases.show", case_id=case_id))
    flash(_("Đã giao xử lý hồ sơ."), "info")
    return redirect(url_for("cases.show", case_id=case_id))


@bp.route("/<int:case_id>/danh-tinh/<int:party_id>", methods=["POST"])
@login_required
def reveal(case_id: int, party_id: int):
    s, user = db_session(), current_user.user
    try:
        case = cases.reveal_identity(s, user, case_id, party_id, request.form.get("reason", ""), now())
    except (NotFound, Forbidden) as exc:
        abort(exc.status)
    except ServiceError as exc:
        refuse(exc)
        return redirect(url_for("cases.show", case_id=case_id))
    ctx = context(s, workflows(), user, case, local_date(now()), revealed={party_id})
    return render_template("cases/show.html", **ctx, status_labels=STATUS_LABELS)
