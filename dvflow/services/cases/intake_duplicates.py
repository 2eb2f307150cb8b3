"""A likely duplicate at intake: an open case of the same unit with a party of the same identity number, or with a
similar subject (every telling word, at least two, of the new subject in its subject). The officer sees them
before the case is saved and registers it only by confirming (the reception page's "Vẫn tiếp nhận", the API's
`confirm_duplicate`): the same letter typed in twice is caught, a new letter of a known citizen is still taken.
"""
from __future__ import annotations

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import Session

from ... import crypto
from ...models import Case, CaseParty, Party, User
from ..errors import N_, Conflict
from ..org import access
from . import voiding
from .confidentiality import hidden_party
from .search import search_key

MAX_CANDIDATES = 10
MAX_WORDS = 8
MIN_WORDS = 2  # one telling word is too little to call two subjects alike
#: words every letter has ("đơn khiếu nại", "tố cáo", "kiến nghị, phản ánh", "việc của"): they tell nothing apart
GENERIC_WORDS = frozenset({"don", "khieu", "nai", "cao", "kien", "nghi", "phan", "anh", "viec", "cua", "cac",
                           "nhung", "trong", "voi", "theo", "ong", "ba"})


#: marked here: the class's own __init__ raises it, where `make translations` does not look
LIKELY_DUPLICATE = N_("Có thể trùng với hồ sơ đang giải quyết: %(codes)s. Kiểm tra lại; nếu vẫn tiếp nhận, xác nhận "
                      "rồi gửi lại.")


class LikelyDuplicate(Conflict):
    """The input looks like an open case already registered; `candidates` lists them (most recent first)."""

    def __init__(self, candidates: list[Case]):
        super().__init__(LIKELY_DUPLICATE, field="confirm_duplicate", code="likely_duplicate",
                         codes=", ".join(c.tracking_code for c in candidates))
        self.candidates = candidates


def refuse_likely(session: Session, actor: User, unit_id: int, subject: str, parties) -> None:
    """Raise LikelyDuplicate when an open case of the unit looks like this input."""
    found = likely(session, actor, unit_id, subject, [p.identity_number for p in parties])
    if found:
        raise LikelyDuplicate(found)


def likely(session: Session, actor: User, unit_id: int, subject: str, identities) -> list[Case]:
    """Open cases of the unit, visible to the actor, sharing an identity number or the subject's words."""
    conditions = []
    # numbers are stored encrypted: compared by their keyed hash (the hash normalises them)
    numbers = sorted({h for h in map(crypto.identity_hash, identities) if h})
    if numbers:
        # a protected denouncer is never matched: a suggestion must not reveal who denounced (LTC 2018, Điều 47)
        conditions.append(exists().where(CaseParty.case_id == Case.id, CaseParty.party_id == Party.id,
                                         Party.identity_hash.in_(numbers),
                                         ~hidden_party()))
    words = [w for w in search_key(subject or "").split() if len(w) >= 3 and w not in GENERIC_WORDS][:MAX_WORDS]
    if len(words) >= MIN_WORDS:
        conditions.append(subject_has_words(words))
    query = access.visible_cases(session, actor).where(Case.unit_id == unit_id, Case.status != "closed",
                                                       voiding.not_voided())
    return newest_matching(session, query, conditions, MAX_CANDIDATES)


def subject_has_words(words: list[str]):
    """Every word in the subject, read row by row within the query's own bounds (the unit's open cases, or the last
    months). The subject's words are the common ones of a province's letters ("khieu nai quyet dinh thu hoi dat"
    matched 53,716 of 1M subjects): looked up in the trigram index first, PostgreSQL fetched all of those to keep a
    few hundred (441 ms); read within the bounds it is 74 ms. lower() of the already lower-case key changes no
    match and keeps the planner off the trigram index, which the case search (services.cases.queries) needs."""
    return and_(*[func.lower(Case.subject_search).like(f"%{w}%") for w in words])


def newest_matching(session: Session, query: Select, conditions: list, limit: int) -> list[Case]:
    """The `limit` newest cases of `query` meeting any of `conditions`, newest first.

    Each condition runs as its own query (its ids only), then the union is merged: an OR of an identity lookup and
    a subject match in one query is one scan of every row the query allows, while apart each uses its own index
    (parties' identity hash; cases' subject trigrams or received_at). The newest `limit` of the union are among the
    newest `limit` of each part, so the answer is the same."""
    found: dict[int, tuple] = {}
    for condition in conditions:
        ids = query.with_only_columns(Case.id, Case.received_at).where(condition)
        for case_id, received_at in session.execute(ids.order_by(Case.received_at.desc(), Case.id.desc())
                                                    .limit(limit)):
            found[case_id] = (received_at, case_id)
    newest = sorted(found, key=found.get, reverse=True)[:limit]
    if not newest:
        return []
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(newest)))}
    return [cases[i] for i in newest]
