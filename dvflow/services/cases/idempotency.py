"""Registering a case once per request: a repeated submission (Back and submit again, a client's retry) returns
the case the first one created.

The request's key is remembered in `intake_requests` before the case is registered, in the same transaction: its
unique (user, key) makes a concurrent submission of the same request wait for the first (PostgreSQL) or fail, and
then find the first one's case. The same key with other content is refused rather than silently answered with a
case the caller did not describe.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...models import Case, IntakeRequest, User
from ..errors import Conflict, ServiceError
from .intake import IntakeInput, register_case
from .lookup import load_case_for

MAX_KEY = 130  # before a content digest (65 more) is added, within the column; the API documents 100 for its keys


def register_once(session: Session, workflows, actor: User, data: IntakeInput, now: datetime,
                  key: str | None, *, field: str = "idempotency_key", per_content: bool = False,
                  check_duplicates: bool = False) -> tuple[Case, bool]:
    """Register the case unless this user already sent a request with this key; (case, created).

    `per_content`: the content is part of the key, so a form sent again unchanged finds its case, and the same form
    changed (the officer went Back and corrected it into another case) registers that one; without it (the API's
    Idempotency-Key) the same key with other content is refused. `check_duplicates`: a new case that looks like an
    open one is refused (LikelyDuplicate) unless the input confirms it; a repeated request still finds its case."""
    if not key:
        return register_case(session, workflows, actor, data, now, check_duplicates=check_duplicates), True
    key = checked_key(key, field)
    digest = _digest(data)
    if per_content:
        key = f"{key}:{digest}"
    found = _previous(session, actor, key)
    if found is None:
        try:
            with session.begin_nested():  # a concurrent twin inserts the same key: one of the two wins
                found = IntakeRequest(user_id=actor.id, key=key, request_hash=digest, created_at=now)
                session.add(found)
                session.flush()
        except IntegrityError:
            found = _previous(session, actor, key)
        else:
            case = register_case(session, workflows, actor, data, now, check_duplicates=check_duplicates)
            found.case_id = case.id
            session.flush()
            return case, True
    if found is None or found.case_id is None:
        raise Conflict("Yêu cầu này đang được xử lý. Vui lòng tải lại trang sau giây lát.", field=field)
    if found.request_hash != digest:
        raise ServiceError("Mã yêu cầu này đã được dùng cho một hồ sơ có nội dung khác.", field=field,
                           code="key_reused")
    return load_case_for(session, actor, found.case_id), False


def checked_key(key: str, field: str, limit: int = MAX_KEY) -> str:
    """The key without its surrounding blanks; a ServiceError naming `field` when longer than `limit` or holding a
    character that cannot be printed."""
    key = key.strip()
    if len(key) > limit or not key.isprintable():
        raise ServiceError("Mã yêu cầu không hợp lệ (tối đa 100 ký tự in được).", field=field)
    return key


def _previous(session: Session, actor: User, key: str) -> IntakeRequest | None:
    return session.scalar(select(IntakeRequest).where(IntakeRequest.user_id == actor.id, IntakeRequest.key == key))


def _digest(data: IntakeInput) -> str:
    """The request's content, independent of key order and of how the time zone is written."""
    content = asdict(data)
    del content["confirm_duplicate"]  # the same request, confirmed or not, is the same case
    at = data.received_at
    content["received_at"] = (at.astimezone(timezone.utc) if at.tzinfo is not None else at).isoformat()
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()
