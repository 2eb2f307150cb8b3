"""/api/v1/ratings: satisfaction averages over the units the caller may see."""
from __future__ import annotations

from flask import jsonify

from ..request import db_session
from ..services import ratings
from ..services.org import access
from . import bp, schemas_public
from .auth import api_user
from .openapi import api_route
from .request import query


@api_route(bp, "/ratings/summary", "GET", "Mức hài lòng trung bình theo đơn vị và kỳ",
           query=schemas_public.RatingSummaryQuery, response=schemas_public.RatingSummaryOut)
def ratings_summary():
    args = query(schemas_public.RatingSummaryQuery)
    s = db_session()
    units = access.visible_unit_ids(s, api_user())
    rows = ratings.averages(s, units, args.from_, args.to, args.period)
    total = ratings.overall(s, units, args.from_, args.to)
    out = schemas_public.RatingSummaryOut(start=args.from_.isoformat(), end=args.to.isoformat(), period=args.period,
                                   count=total["count"], average=total["average"],
                                   items=[r.to_dict() for r in rows])
    return jsonify(out.model_dump(mode="json"))
