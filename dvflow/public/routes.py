"""Thin handlers: form -> lookup by code + secret -> redacted view (or one rating) -> render."""
from __future__ import annotations

from flask import flash, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..i18n import loc
from ..labels import STATUS_LABELS
from ..ratelimits import tracking_limit, wrong_secret_limit
from ..request import db_session, now, refuse, workflows
from ..services import ratings
from ..services.cases import public_view as tracking_public
from ..services.errors import Forbidden, ServiceError
from ..timeutil import local_date
from . import bp
from .forms import RateForm, TrackForm

OFFICER_RATING = _l("Cán bộ đang đăng nhập không được đánh giá thay công dân. Việc đánh giá chỉ dành cho người gửi "
                    "đơn, trên thiết bị của mình.")
NOT_FOUND = _l("Không tìm thấy hồ sơ với mã và mã bí mật đã nhập. Vui lòng kiểm tra lại phiếu hẹn hoặc giấy biên nhận.")


def _render(form: TrackForm, case=None, rate_form: RateForm | None = None, status: int = 200):
    view = None
    if case is not None:
        registry = workflows()
        view = _localized(tracking_public.public_view(db_session(), registry, case, local_date(now())),
                          registry.for_case(case, db_session()), case)
        if rate_form is None:
            rate_form = RateForm(tracking_code=case.tracking_code, secret=form.secret.data)
    return render_template("public/track.html", form=form, view=view, rate_form=rate_form), status


def _localized(view: dict, defn, case) -> dict:
    """The page's copy of the redacted view, labels in the page language (workflow labels from `label_en`)."""
    if view["voided"]:
        return {**view, "state_label": _(view["state_label"]), "status_label": _(view["status_label"])}
    clocks = {c.label: loc(c) for c in defn.clocks.values()}
    steps = {t.label: loc(t) for t in defn.transitions}
    status = _(STATUS_LABELS[case.status]) if case.status in STATUS_LABELS else case.status
    return {**view, "kind_label": loc(defn), "status_label": status,
            "state_label": loc(defn.states.get(case.state), default=view["state_label"]),
            "deadlines": [{**d, "label": clocks.get(d["label"], d["label"])} for d in view["deadlines"]],
            "next_steps": list(dict.fromkeys(steps.get(s, s) for s in view["next_steps"]))}


@bp.route("", methods=["GET"])
def index():
    return _render(TrackForm())


@bp.route("", methods=["POST"])
@tracking_limit
@wrong_secret_limit
def lookup():
    form = TrackForm()
    if not form.validate_on_submit():
        return _render(form, status=400)
    case = tracking_public.find_case(db_session(), form.tracking_code.data, form.secret.data)
    if case is None:
        flash(str(NOT_FOUND), "danger")
        return _render(form, status=404)
    return _render(form, case)


@bp.route("/danh-gia", methods=["POST"])
@tracking_limit
@wrong_secret_limit
def rate():
    if current_user.is_authenticated:  # an officer's session never rates in the citizen's place
        raise Forbidden(str(OFFICER_RATING))
    rate_form = RateForm()
    form = TrackForm(tracking_code=rate_form.tracking_code.data, secret=rate_form.secret.data, formdata=None)
    case = tracking_public.find_case(db_session(), rate_form.tracking_code.data, rate_form.secret.data)
    if case is None:
        flash(str(NOT_FOUND), "danger")
        return _render(form, status=404)
    if not rate_form.validate_on_submit():
        return _render(form, case, rate_form, status=400)
    try:
        ratings.rate(db_session(), case, int(rate_form.score.data), rate_form.comment.data or "", now())
    except ServiceError as exc:
        refuse(exc)
        return _render(form, case, rate_form, status=exc.status)
    flash(_("Cảm ơn ông/bà đã đánh giá mức độ hài lòng."), "info")
    return _render(form, case)
