"""Case search: accent-insensitive keys ("nguyen" finds "Nguyễn"), and the condition a search adds to a case list.

A search matches part of the tracking code, of the subject or of a party's name, or an issued document's number and
symbol exactly ("12/TB-STNMT"). On PostgreSQL each of the four is one lookup its trigram index serves (migration
0025), and the case list keeps the cases whose id one of them returned; SQLite has no such index and keeps plain
LIKE conditions. Either way a protected identity (the denouncer of a confidential case) is never matched: a search
must not reveal who denounced (Luật Tố cáo 2018, Điều 47, 56).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, func, or_, select, tuple_, union
from sqlalchemy.orm import Session
from unidecode import unidecode

from ...models import Case, CaseParty, Document, Party
from .. import keyset
from .confidentiality import hidden_party


def search_key(text: str | None) -> str:
    """Lower case, without Vietnamese diacritics (đ -> d), single spaces."""
    return re.sub(r"\s+", " ", unidecode(text or "").lower()).strip()


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def name_condition(like: str):
    """A party whose search name matches the LIKE pattern (on PostgreSQL its trigram index serves it)."""
    return Party.name_search.like(like, escape="\\")


def _party_shown():
    # every hidden role (a mass denunciation's representatives too), not only the denouncer: their search names are
    # empty, and this keeps a party row shared with another case from matching here
    return ~hidden_party()


#: how many of the list's newest cases the probe reads, how many matches among them (2.5%) make a term common, and
#: how many matches are enough to estimate its share (a word in a third of the cases is sampled in ~1,200 rows)
WINDOW, COMMON, SAMPLE = 2_000, 50, 400


@dataclass(frozen=True)
class Found:
    """What a search adds to a list: the condition on Case, and, for a common term in a list too long to count its
    matches row by row, their number estimated (None: the list counts them)."""
    condition: ColumnElement
    estimate: int | None = None


def find(session: Session, listed, q: str) -> Found:
    """The search `q` (non-blank) in the list `listed` (with every other filter already applied).

    PostgreSQL: a rare term is a union of indexed lookups (case_condition). A common one ("nguyen", "dat") would make
    that union hold tens or hundreds of thousands of ids, all collected before the first page (2–3.5 s at 1M
    cases); when the list's newest WINDOW cases already hold COMMON matches, the list is walked in its own order
    instead and each row tested (row_condition), which finds a page within a few hundred rows (the page: 2.2 s ->
    45 ms for "nguyen" at 1M). Counting those matches would read the list row by row up to keyset.CAP matches
    (0.8 s at 1M), so a list of more than keyset.CAP cases gets an estimate instead: the share of matches among its
    newest cases times its size. Only a term that may_be_common is probed."""
    dialect = session.get_bind().dialect.name
    if dialect != "postgresql":
        return Found(row_condition(q))
    if not may_be_common(q):
        return Found(case_condition(q, dialect))
    sample = common_share(session, listed, q)
    if sample is None:
        return Found(case_condition(q, dialect))
    if keyset.capped_count(session, listed) <= keyset.CAP:
        return Found(row_condition(q))  # an exact count reads at most CAP rows
    share, seen = sample
    # the list is known to hold more than CAP cases, and the matches the probe saw are certain: the planner's size of
    # a filtered list (correlated filters) may be far too low, and neither floor can be
    size = max(keyset.estimated_count(session, listed), keyset.CAP + 1)
    return Found(row_condition(q), max(seen, rounded(share * size)))


def common_share(session: Session, listed, q: str) -> tuple[float, int] | None:
    """(share, matches seen): the share of the list's newest cases that `q` matches, when that is at least COMMON
    matches among its newest WINDOW cases; None for a rarer term (or a list shorter than WINDOW). The share is read
    over the whole window, or up to SAMPLE matches (a very common word): the more matches it rests on, the closer
    the estimate it gives (about ±10% from 100 matches, ±30% from 50, in the benchmark's province)."""
    newest_first = (Case.received_at.desc(), Case.id.desc())
    edge = session.execute(listed.with_only_columns(Case.received_at, Case.id).order_by(*newest_first)
                           .offset(WINDOW - 1).limit(1)).first()
    if edge is None:
        return None
    window = listed.where(tuple_(Case.received_at, Case.id) >= tuple_(*edge))
    matches = session.execute(window.where(row_condition(q)).with_only_columns(Case.received_at, Case.id)
                              .order_by(*newest_first).limit(SAMPLE)).all()
    if len(matches) < COMMON:
        return None
    if len(matches) < SAMPLE:
        return len(matches) / WINDOW, len(matches)
    # how many of the list's cases it took to find SAMPLE matches (from the index alone)
    read = keyset.capped_count(session, listed.where(tuple_(Case.received_at, Case.id) >= tuple_(*matches[-1])),
                               cap=WINDOW)
    return SAMPLE / max(read, SAMPLE), SAMPLE


def rounded(n: float) -> int:
    """An estimate to two significant digits (183,456 -> 180,000): more would claim a precision it has not."""
    return int(round(n, -max(len(str(int(n))) - 2, 0)))


def may_be_common(q: str) -> bool:
    """Only a single word of letters (a family name, a place) can be in thousands of cases; a code, a number or
    several words are selective, and the probe (60–90 ms at 1M) would only slow them down."""
    words = search_key(q).split()
    return len(words) == 1 and words[0].isalpha()


def case_condition(q: str, dialect_name: str):
    """The search as a condition for this database: PostgreSQL the union of its indexed lookups, else row_condition."""
    if dialect_name == "postgresql":
        text = q.strip()
        return Case.id.in_(_matching_ids(text, f"%{escape_like(search_key(text))}%"))
    return row_condition(q)


def row_condition(q: str):
    """The search tested on each case row: code, subject, a shown party's name, an issued document's number."""
    text = q.strip()
    like = f"%{escape_like(search_key(text))}%"
    party_match = exists().where(CaseParty.case_id == Case.id, CaseParty.party_id == Party.id,
                                 name_condition(like), _party_shown())
    document_match = exists().where(Document.case_id == Case.id, Document.status == "issued",
                                    func.lower(Document.number_symbol) == text.lower())
    return or_(func.lower(Case.tracking_code).like(f"%{escape_like(text.lower())}%", escape="\\"),
               Case.subject_search.like(like, escape="\\"), party_match, document_match)


def _matching_ids(text: str, like: str):
    """The ids of the cases matched, as a union of four lookups, each served by its trigram (GIN) index: one OR over
    the four would make PostgreSQL read every case and test each."""
    by_code = select(Case.id).where(Case.tracking_code.ilike(f"%{escape_like(text)}%", escape="\\"))
    by_subject = select(Case.id).where(Case.subject_search.like(like, escape="\\"))
    by_party = (select(CaseParty.case_id).join(Party, Party.id == CaseParty.party_id)
                .join(Case, Case.id == CaseParty.case_id)
                .where(name_condition(like), _party_shown()))
    # ILIKE without a wildcard: the whole number and symbol, in any letter case
    by_document = select(Document.case_id).where(Document.status == "issued",
                                                 Document.number_symbol.ilike(escape_like(text), escape="\\"))
    return union(by_code, by_subject, by_party, by_document)
