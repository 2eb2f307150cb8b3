"""The search name of a party (`Party.name_search`): the only plaintext trace of a party's identity in the database.

The identity columns are encrypted (dvflow/crypto.py), but case search needs a plain, accent-free name to match
("nguyen" finds "Nguyễn"). A party in a hidden role of a confidential case (a denouncer, or a mass denunciation's
representative: confidentiality.HIDDEN_ROLES) keeps an empty search name, so that neither a search nor a database
dump reveals who denounced (Luật Tố cáo 2018, Điều 47(1)(b)); everyone else stays searchable by name. Keeping the
name searchable for the others is the trade-off: a blind index (a keyed hash per word) would hide every name, but
case search matches parts of names ("ngu"), which no hash can.

Writers: a new party takes its search name from `search_name` (intake, representatives); a correction, which can
change a role or make a case confidential, recomputes every party of the case with `refresh`.
"""
from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ...models import Case, CaseParty, Party
from .confidentiality import hidden_party, is_hidden
from .search import search_key

_LENGTH = Party.__table__.c.name_search.type.length


def search_name(name: str | None, hidden: bool) -> str:
    """The search name of a party: empty when hidden; transliteration may lengthen a text (a CJK character becomes
    a word): cut to fit the column."""
    return "" if hidden else search_key(name)[:_LENGTH]


def refresh(session: Session, case: Case) -> None:
    """Recompute the search name of every party of the case from its role here and the case's confidentiality (a
    party row named by another case where it is hidden stays hidden)."""
    for link in case.parties:
        hidden = is_hidden(case, link.role) or _hidden_elsewhere(session, link)
        link.party.name_search = search_name(link.party.name, hidden)


def _hidden_elsewhere(session: Session, link: CaseParty) -> bool:
    if link.party_id is None:  # a party added by this correction: named by no other case
        return False
    with session.no_autoflush:
        return bool(session.scalar(select(exists().where(
            CaseParty.party_id == link.party_id, CaseParty.case_id != link.case_id, CaseParty.case_id == Case.id,
            hidden_party()))))
