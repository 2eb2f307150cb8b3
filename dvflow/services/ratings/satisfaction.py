"""Citizen satisfaction (SIPAS): a closed case is rated once, 1 to 5; averages per unit and period."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...models import Case, Rating, Unit
from ...timeutil import local_date, start_of_day_utc
from ..errors import Conflict, ServiceError

MAX_COMMENT = 2000
PERIODS = ("month", "quarter")


def rate(session: Session, case: Case, score: int, comment: str, now: datetime) -> Rating:
    """Record the citizen's rating of a closed case; once per case (also enforced by a unique constraint)."""
    if case.status != "closed" or case.voided_at is not None:
        raise ServiceError("Chỉ đánh giá được khi hồ sơ đã giải quyết xong.", field="score", code="not_closed")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ServiceError("Mức hài lòng phải từ 1 đến 5.", field="score")
    comment = (comment or "").replace("\r\n", "\n").strip()  # a CRLF line break is one character, as on the page
    if "\x00" in comment:
        raise ServiceError("Ý kiến chứa ký tự không hợp lệ.", field="comment")
    if len(comment) > MAX_COMMENT:
        raise ServiceError("Ý kiến tối đa %(max)s ký tự.", field="comment", max=MAX_COMMENT)
    if session.scalar(select(Rating.id).where(Rating.case_id == case.id)) is not None:
        raise Conflict("Hồ sơ này đã được đánh giá.", code="already_rated")
    rating = Rating(case_id=case.id, score=score, comment=comment, created_at=now)
    try:
        with session.begin_nested():
            session.add(rating)
            session.flush()
    except IntegrityError as exc:  # a concurrent rating of the same case won
        raise Conflict("Hồ sơ này đã được đánh giá.", code="already_rated") from exc
    return rating


@dataclass(frozen=True)
class UnitAverage:
    unit_id: int
    unit_name: str
    period: str  # "2026-11" (month) or "2026-Q4" (quarter)
    count: int
    average: float
    total: int = 0

    def to_dict(self) -> dict:
        return {"unit_id": self.unit_id, "unit_name": self.unit_name, "period": self.period, "count": self.count,
                "average": self.average}


def _period_key(day: date, period: str) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}" if period == "quarter" else f"{day.year}-{day.month:02d}"


def averages(session: Session, unit_ids: set[int] | None, start: date, end: date,
             period: str = "month") -> list[UnitAverage]:
    """Average score per unit (of the case) and period, for ratings given from `start` to `end` inclusive (local
    dates). `unit_ids` None means every unit. Periods are local months ("2026-11") or quarters ("2026-Q4")."""
    if period not in PERIODS:
        raise ServiceError("Kỳ tổng hợp phải là tháng (month) hoặc quý (quarter).", field="period")
    if end < start:
        raise ServiceError("Ngày kết thúc phải sau ngày bắt đầu.", field="to")
    query = (select(Rating.score, Rating.created_at, Case.unit_id, Unit.name).join(Case, Case.id == Rating.case_id)
             .join(Unit, Unit.id == Case.unit_id)
             .where(Rating.created_at >= start_of_day_utc(start),
                    Rating.created_at < start_of_day_utc(date.fromordinal(end.toordinal() + 1))))
    if unit_ids is not None:
        query = query.where(Case.unit_id.in_(unit_ids or {-1}))
    buckets: dict[tuple[int, str], list] = {}
    for score, at, unit_id, name in session.execute(query):
        key = (unit_id, _period_key(local_date(at), period))
        buckets.setdefault(key, [name, 0, 0])
        buckets[key][1] += 1
        buckets[key][2] += score
    return [UnitAverage(unit_id=uid, unit_name=v[0], period=p, count=v[1], average=round(v[2] / v[1], 2),
                        total=v[2])
            for (uid, p), v in sorted(buckets.items(), key=lambda kv: (kv[1][0], kv[0][1]))]


def overall(session: Session, unit_ids: set[int] | None, start: date, end: date) -> dict:
    """One line for a dashboard: number of ratings and their average over the period, for the units."""
    rows = averages(session, unit_ids, start, end, "month")
    count = sum(r.count for r in rows)
    total = sum(r.total for r in rows)
    return {"count": count, "average": round(total / count, 2) if count else None}
