"""Read-only queries of the reception pages."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from ... import crypto
from ...models import Case, CaseParty, Clock, Membership, Party, Unit, User
from ...timeutil import start_of_day_utc
from ..cases import voiding
from ..cases.intake import INTAKE_ROLES
from ..cases.search import search_key
from ..org import access

PEOPLE_ROLES = ("complainant", "denouncer", "petitioner")
TYPE_CODES = {"complaint_first": "KN", "complaint_second": "KN", "complaint_discipline": "KN",
              "denunciation": "TC", "anonymous_tip": "TC", "petition": "KN-PA", "dialogue": "KN-PA"}


def intake_units(session: Session, user: User) -> list[Unit]:
    return list(session.scalars(select(Unit).join(Membership, Membership.unit_id == Unit.id).where(
        Membership.user_id == user.id, Membership.role.in_(INTAKE_ROLES)).distinct().order_by(Unit.name)))


def first_clock(session: Session, case: Case) -> Clock | None:
    return session.scalar(select(Clock).where(Clock.case_id == case.id).order_by(Clock.id).limit(1))


def duplicates(session: Session, user: User, identity: str, subject: str, now: datetime, limit: int = 10) -> list[Case]:
    conditions = []
    digest = crypto.identity_hash(identity)  # numbers are stored encrypted: compared by their keyed hash
    if digest:
        # never match a protected denouncer: a suggestion must not reveal who denounced (Luật Tố cáo 2018, Điều 47)
        conditions.append(exists().where(CaseParty.case_id == Case.id, CaseParty.party_id == Party.id,
                                         Party.identity_hash == digest,
                                         ~(Case.confidential & (CaseParty.role == "denouncer"))))
    words = [w for w in search_key(subject).split() if len(w) >= 3][:8]
    if words:
        conditions.append(and_(*[Case.subject_search.like(f"%{w}%") for w in words]))
    if not conditions:
        return []
    query = access.visible_cases(session, user).where(Case.received_at >= now - timedelta(days=180), or_(*conditions),
                                                      voiding.not_voided())
    return list(session.scalars(query.order_by(Case.received_at.desc()).limit(limit)))


def month_log(session: Session, user: User, month: date) -> list[Case]:
    start = start_of_day_utc(month)
    end = start_of_day_utc(date(month.year + (month.month == 12), month.month % 12 + 1, 1))
    units = [u.id for u in intake_units(session, user)]
    query = access.visible_cases(session, user).where(Case.unit_id.in_(units or [-1]), Case.received_at >= start,
                                                      voiding.not_voided(),  # a voided entry was a mistake
                                                      Case.received_at < end)
    return list(session.scalars(query.order_by(Case.received_at, Case.id)))
