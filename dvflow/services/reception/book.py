"""Read-only queries of the reception pages."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import exists, func, select
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
from ..cases.confidentiality import hidden_party
from ..cases.intake import INTAKE_ROLES
from ..cases.intake_duplicates import newest_matching, subject_has_words
from ..cases.search import search_key
from ..cases.unit_on import attribution
from ..org import access

PEOPLE_ROLES = ("complainant", "denouncer", "petitioner")
TYPE_CODES = {"complaint_first": "KN", "complaint_second": "KN", "complaint_discipline": "KN",
              "denunciation": "TC", "anonymous_tip": "TC", "petition": "KN-PA", "dialogue": "KN-PA"}


def intake_units(session: Session, user: User, *, existing_only: bool = False) -> list[Unit]:
    """The units where the user receives citizens; `existing_only`: not those dissolved (a form registers nothing
    into them, while their past books are still read)."""
    query = select(Unit).join(Membership, Membership.unit_id == Unit.id).where(
        Membership.user_id == user.id, Membership.role.in_(INTAKE_ROLES))
    if existing_only:
        query = query.where(Unit.existing)
    return list(session.scalars(query.distinct().order_by(Unit.name)))


def first_clock(session: Session, case: Case) -> Clock | None:
    return session.scalar(select(Clock).where(Clock.case_id == case.id).order_by(Clock.id).limit(1))


def duplicates(session: Session, user: User, identity: str, subject: str, now: datetime, limit: int = 10) -> list[Case]:
    conditions = []
    digest = crypto.identity_hash(identity)  # numbers are stored encrypted: compared by their keyed hash
    if digest:
        # never match a protected party (a denouncer, or a mass denunciation's representative, who denounces too):
        # a suggestion must not reveal who denounced (Luật Tố cáo 2018, Điều 47)
        conditions.append(exists().where(CaseParty.case_id == Case.id, CaseParty.party_id == Party.id,
                                         Party.identity_hash == digest,
                                         ~hidden_party()))
    words = [w for w in search_key(subject).split() if len(w) >= 3][:8]
    if words:
        conditions.append(subject_has_words(words))
    # the last 180 days only: the received_at index bounds each lookup (see intake_duplicates.newest_matching)
    query = access.visible_cases(session, user).where(Case.received_at >= now - timedelta(days=180),
                                                      voiding.not_voided())
    return newest_matching(session, query, conditions, limit)


def month_log(session: Session, user: User, month: date) -> list[Case]:
    return log_between(session, user, month, date(month.year + (month.month == 12), month.month % 12 + 1, 1))


def day_log(session: Session, user: User, day: date) -> list[Case]:
    """The cases the user's intake units received on the local day `day` (the home page's "today"): read by the
    received_at range of that day, not a month's cases filtered in Python."""
    return log_between(session, user, day, day + timedelta(days=1))


def log_between(session: Session, user: User, first: date, after: date) -> list[Case]:
    """The cases of the user's intake units received in local days [first, after), oldest first."""
    units = [u.id for u in intake_units(session, user)]
    query = access.visible_cases(session, user).where(Case.unit_id.in_(units or [-1]),
                                                      Case.received_at >= start_of_day_utc(first),
                                                      voiding.not_voided(),  # a voided entry was a mistake
                                                      Case.received_at < start_of_day_utc(after))
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


@dataclass
class BookPage:
    """One page of a month's book: its visits, then (once the visits run out) its walk-in cases."""
    visits: list[ReceptionVisit]
    walk_ins: list[Case]
    page: int
    pages: int


def month_page(session: Session, user: User, unit_id: int, month: date, page: int) -> BookPage:
    """Page `page` of the month's book of the unit: the visits in book order, then the walk-in cases, BOOK_PAGE rows
    a page. Both parts are counted first (two indexed counts), so a page reads only its own rows: a month of a large
    unit holds over a thousand walk-ins, which the last page used to load and render all at once."""
    first, after = _month_bounds(month)
    n_visits = session.scalar(select(func.count(ReceptionVisit.id)).where(*_visits_of(unit_id, first, after))) or 0
    n_walk_ins = session.scalar(_walk_ins(session, user, unit_id, first, after)
                                .with_only_columns(func.count(Case.id))) or 0
    pages = max(1, -(-(n_visits + n_walk_ins) // BOOK_PAGE))
    page = min(max(page, 1), pages)
    lo, hi = (page - 1) * BOOK_PAGE, page * BOOK_PAGE
    visits: list[ReceptionVisit] = []
    if lo < n_visits:
        visits = list(session.scalars(select(ReceptionVisit).where(*_visits_of(unit_id, first, after))
                                      .order_by(ReceptionVisit.year, ReceptionVisit.seq)
                                      .offset(lo).limit(min(hi, n_visits) - lo)))
    walk_ins: list[Case] = []
    if hi > n_visits and n_walk_ins:
        skip = max(lo - n_visits, 0)
        walk_ins = month_walk_ins(session, user, unit_id, month, offset=skip, limit=hi - max(lo, n_visits))
    return BookPage(visits, walk_ins, page, pages)


def _visits_of(unit_id: int, first: date, after: date) -> tuple:
    return (ReceptionVisit.unit_id == unit_id, ReceptionVisit.received_on >= first,
            ReceptionVisit.received_on < after)


def all_month_visits(session: Session, unit_id: int, month: date) -> list[ReceptionVisit]:
    """Every visit of the month of the unit, in book order (the XLSX export: one file, not pages)."""
    first, after = _month_bounds(month)
    return list(session.scalars(select(ReceptionVisit).where(
        ReceptionVisit.unit_id == unit_id, ReceptionVisit.received_on >= first, ReceptionVisit.received_on < after)
        .order_by(ReceptionVisit.year, ReceptionVisit.seq)))


def _walk_ins(session: Session, user: User, unit_id: int, first: date, after: date):
    """The walk-in cases of the unit received in [first, after) registered at the intake form (no visit row), voided
    ones left out. The unit that received them: a case a merger moved since stays in the book of the unit that
    received the citizen (unit_on.py)."""
    has_visit = exists().where(ReceptionVisit.case_id == Case.id)
    return access.visible_cases(session, user).where(
        attribution(session, {unit_id}, Case.received_at).where, Case.channel == "walk_in",
        Case.received_at >= start_of_day_utc(first),
        Case.received_at < start_of_day_utc(after), voiding.not_voided(), ~has_visit)


def month_walk_ins(session: Session, user: User, unit_id: int, month: date, offset: int = 0,
                   limit: int | None = None) -> list[Case]:
    """The month's walk-in cases of the unit (all, or `limit` from `offset`), parties loaded with the cases in one
    query (no query per row)."""
    first, after = _month_bounds(month)
    query = _walk_ins(session, user, unit_id, first, after).order_by(Case.received_at, Case.id)
    if limit is not None:
        query = query.offset(offset).limit(limit)
    return list(session.scalars(query.options(selectinload(Case.parties).selectinload(CaseParty.party))))
