"""Signed daily digests of the case history (history_anchors).

The per-case chain shows that a row was changed, unless whoever changed it also recomputed every later hash of
that case. The anchor of a day is SHA-256 of the previous anchor's digest and of the digest of that day's row hashes (by
their `at`, local day, in id order), signed with an Ed25519 key the database does not hold: a rewrite that keeps
the chains consistent still changes a signed digest. A day is anchored once it has ended (plus a grace for the
transactions open at midnight), by the scheduler every hour or by `flask dvflow audit anchor`; days the system was
down are caught up, empty days included, so the anchors run without gaps from the first day with history.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import CaseEvent, HistoryAnchor
from ...timeutil import local_date, start_of_day_utc
from ..errors import ServiceError
from .chain import GENESIS
from .keys import AuditKeys, key_id

#: a day is anchored once it ended this long ago: the transactions open at midnight have committed by then
GRACE = timedelta(minutes=10)
STREAM_ROWS = 5000
EMPTY_DAY = (0, hashlib.sha256().hexdigest())  # a day without history: no rows, the digest of nothing


def message(day: date, previous: str, rows: int, digest: str) -> bytes:
    """What an anchor's signature covers."""
    return f"dvflow-history-anchor\n{day.isoformat()}\n{previous}\n{rows}\n{digest}".encode("ascii")


def anchor_days(session: Session, keys: AuditKeys, now: datetime) -> list[HistoryAnchor]:
    """Anchor every ended day not anchored yet, in order; returns the new anchors (none when all are done)."""
    if keys.signing is None:
        raise ServiceError("Chưa cấu hình khóa ký lịch sử (DVFLOW_AUDIT_SIGNING_KEY).", field="DVFLOW_AUDIT_SIGNING_KEY")
    last = session.scalar(select(HistoryAnchor).order_by(HistoryAnchor.day.desc()).limit(1))
    if last is not None:
        first_day, previous = last.day + timedelta(days=1), last.digest
    else:
        first_at = session.scalar(select(func.min(CaseEvent.at)))
        if first_at is None:
            return []
        first_day, previous = local_date(first_at), GENESIS
    last_day = local_date(now - GRACE) - timedelta(days=1)
    if last_day < first_day:
        return []
    per_day = day_rows(session, first_day, last_day)
    made, signer = [], keys.signing
    for day in _days(first_day, last_day):
        rows, rows_digest = per_day.get(day, EMPTY_DAY)
        digest = chain_digest(previous, rows_digest)
        anchor = HistoryAnchor(day=day, rows=rows, previous=previous, digest=digest,
                               key_id=key_id(signer.public_key()),
                               signature=signer.sign(message(day, previous, rows, digest)).hex(), created_at=now)
        session.add(anchor)
        made.append(anchor)
        previous = digest
    session.flush()
    return made


def day_rows(session: Session, first: date, last: date | None = None) -> dict[date, tuple[int, str]]:
    """Per local day from `first` to `last` (every later day when None): the number of history rows and the
    SHA-256 of their hashes in id order. One pass over the rows; memory holds one hasher per day."""
    where = [CaseEvent.at >= start_of_day_utc(first)]
    if last is not None:
        where.append(CaseEvent.at < start_of_day_utc(last + timedelta(days=1)))
    query = select(CaseEvent.at, CaseEvent.hash).where(*where).order_by(CaseEvent.id)
    counts: dict[date, int] = {}
    hashers: dict[date, "hashlib._Hash"] = {}
    for at, digest in session.execute(query.execution_options(yield_per=STREAM_ROWS)):
        day = local_date(at)
        if day not in hashers:
            counts[day], hashers[day] = 0, hashlib.sha256()
        counts[day] += 1
        hashers[day].update(digest.encode("ascii") + b"\n")
    return {day: (counts[day], hashers[day].hexdigest()) for day in hashers}


def chain_digest(previous: str, rows_digest: str) -> str:
    """A day's digest: the previous day's digest and the digest of the day's rows."""
    return hashlib.sha256(f"{previous}\n{rows_digest}".encode("ascii")).hexdigest()


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
