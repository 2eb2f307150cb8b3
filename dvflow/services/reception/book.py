"""Read-only queries of the reception pages."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ... import crypto
from ...models import (
    Case,
    CaseParty,
    Clock,
    Membership,
    Party,
    ReceptionVisit,
    Unit,
    User,
)
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


# --- the reception book (Sổ tiếp công dân, Mẫu 03/TCD): the visits of a month and unit ---------------------------
#
# Cases registered straight at the intake form with channel walk_in (no session, so no visit row) are citizens
# received too: the book lists them after the month's visits, marked as registered at the intake form, without a
# book number (their number is the case's tracking code). Letters received by post or online are not in this book.

BOOK_PAGE = 50


def book_units(session: Session, user: User) -> list[Unit]:
    """The units whose book the user reads: every unit for a supervisor, else where they receive or handle."""
    if any(m.role == "supervisor" for m in access.memberships(session, user)):
        return list(session.scalars(select(Unit).order_by(Unit.name)))
    return intake_units(session, user)


def _month_bounds(month: date) -> tuple[date, date]:
    return month, date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def month_visits(session: Session, unit_id: int, month: date, page: int) -> tuple[list[ReceptionVisit], int]:
    """One page of the month's visits of the unit, in book order, and the number of pages."""
    first, after = _month_bounds(month)
    where = (ReceptionVisit.unit_id == unit_id, ReceptionVisit.received_on >= first,
             ReceptionVisit.received_on < after)
    total = session.scalar(select(func.count(ReceptionVisit.id)).where(*where)) or 0
    pages = max(1, -(-total // BOOK_PAGE))
    rows = session.scalars(select(ReceptionVisit).where(*where).order_by(ReceptionVisit.year, ReceptionVisit.seq)
                           .offset((min(max(page, 1), pages) - 1) * BOOK_PAGE).limit(BOOK_PAGE))
    return list(rows), pages


def all_month_visits(session: Session, unit_id: int, month: date) -> list[ReceptionVisit]:
    """Every visit of the month of the unit, in book order (the XLSX export: one file, not pages)."""
    first, after = _month_bounds(month)
    return list(session.scalars(select(ReceptionVisit).where(
        ReceptionVisit.unit_id == unit_id, ReceptionVisit.received_on >= first, ReceptionVisit.received_on < after)
        .order_by(ReceptionVisit.year, ReceptionVisit.seq)))


def month_walk_ins(session: Session, user: User, unit_id: int, month: date) -> list[Case]:
    """The month's walk-in cases of the unit registered at the intake form (no visit row), parties loaded with
    the cases (no query per row), voided ones left out."""
    first, after = _month_bounds(month)
    has_visit = exists().where(ReceptionVisit.case_id == Case.id)
    query = access.visible_cases(session, user).where(
        Case.unit_id == unit_id, Case.channel == "walk_in", Case.received_at >= start_of_day_utc(first),
        Case.received_at < start_of_day_utc(after), voiding.not_voided(), ~has_visit)
    return list(session.scalars(query.options(selectinload(Case.parties).selectinload(CaseParty.party))
                                .order_by(Case.received_at, Case.id)))
