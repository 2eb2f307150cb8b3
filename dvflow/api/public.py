"""/api/v1/public: the citizen's tracking lookup and rating, without a token (rate-limited)."""
from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from ..ratelimits import tracking_limit, wrong_secret_limit
from ..request import commit, db_session, now, workflows
from ..services import ratings
from ..services.cases import public_view as tracking_public
from ..services.errors import Forbidden, NotFound
from ..timeutil import local_date
from . import bp, schemas_public
from .auth import bearer_token
from .openapi import api_route
from .request import body

NOT_FOUND = "Không tìm thấy hồ sơ với mã và mã bí mật đã nhập."
OFFICER_RATING = ("Cán bộ đang đăng nhập không được đánh giá thay công dân. Việc đánh giá chỉ dành cho người gửi đơn, "
                  "trên thiết bị của mình.")


def _case(data: schemas_public.TrackRequest):
    case = tracking_public.find_case(db_session(), data.tracking_code, data.secret)
    if case is None:
        raise NotFound(NOT_FOUND)
    return case


@api_route(bp, "/public/track", "POST", "Tra cứu tình trạng hồ sơ (mã hồ sơ + mã bí mật)", auth=False,
           body=schemas_public.TrackRequest, response=schemas_public.TrackOut, errors=(404, 429))
@tracking_limit
@wrong_secret_limit
def public_track():
    case = _case(body(schemas_public.TrackRequest))
    view = tracking_public.public_view(db_session(), workflows(), case, local_date(now()))
    return jsonify(schemas_public.TrackOut.model_validate(view).model_dump(mode="json"))


@api_route(bp, "/public/rate", "POST", "Đánh giá mức hài lòng khi hồ sơ đã giải quyết xong", auth=False,
           body=schemas_public.RateRequest, response=schemas_public.RatedOut, status=201, errors=(403, 404, 409, 429))
@tracking_limit
@wrong_secret_limit
def public_rate():
    # an officer's browser session or API token never rates in the citizen's place
    if current_user.is_authenticated or bearer_token() is not None:
        raise Forbidden(OFFICER_RATING)
    data = body(schemas_public.RateRequest)
    ratings.rate(db_session(), _case(data), data.score, data.comment, now())
    commit()
    return jsonify({"ok": True, "message": "Cảm ơn ông/bà đã đánh giá."}), 201
