"""What the page benchmark asks for, read from the loaded database once per size: a case each role may open (and
its tracking code), an API token per role, a party name and an identity number that exist, the public tracking
pair, the reception book's month, the report periods, and the cursor of a deep page of each role's unit queue."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import select, text

from .world import BIG, COMMUNE, END, TRACKING_SECRET

#: role -> the unit whose cases it opens (the supervisor sees every unit: it opens the big department's)
ROLE_UNIT = {"head": BIG, "commune": COMMUNE, "supervisor": BIG, "reception": BIG}
USERNAMES = {"head": "truongso", "commune": "canboxa", "supervisor": "giamsat", "reception": "tiepdan"}
DEEP_PAGE = 200


@dataclass
class Ctx:
    cases: dict[str, int] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    deep_cursor: dict[str, str | None] = field(default_factory=dict)
    party_name: str = ""
    identity: str = ""
    public_code: str = ""
    public_secret: str = TRACKING_SECRET
    month: str = ""
    year: int = END.year
    quarter: int = 1


# a closed complaint with a full history (the case page shows its history, clocks, documents), recent
_CASE = text("SELECT c.id, c.tracking_code FROM cases c JOIN units u ON u.id = c.unit_id WHERE u.code = :unit "
             "AND c.kind = 'complaint_first' AND c.state = 'closed' ORDER BY c.id DESC LIMIT 1")


def build_context(app) -> Ctx:
    from dvflow.models import Party, User
    from dvflow.services.org import tokens

    ctx = Ctx()
    now = datetime.now(timezone.utc)
    local = now.astimezone(END.tzinfo)
    ctx.month = f"{local.year}-{local.month - 1:02d}" if local.month > 1 else f"{local.year - 1}-12"
    ctx.year, ctx.quarter = local.year, (local.month - 1) // 3 + 1
    with app.app_context():
        s = app.extensions["dvflow.sessionmaker"]()
        try:
            for role, unit in ROLE_UNIT.items():
                ctx.cases[role], ctx.codes[role] = s.execute(_CASE, {"unit": unit}).one()
                user = s.scalar(select(User).where(User.username == USERNAMES[role]))
                _token, ctx.tokens[role] = tokens.create_token(s, user, "bench pages", now)
                ctx.deep_cursor[role] = _deep_cursor(s, app, user, local.date())
            # a common name (hundreds of cases at 1M): the search's real load
            ctx.party_name = "Nguyễn Văn An"
            ctx.public_code = s.execute(text("SELECT tracking_code FROM cases WHERE status = 'closed' "
                                             "ORDER BY id DESC LIMIT 1")).scalar_one()
            party = s.scalar(select(Party).where(Party.identity_hash.is_not(None)).limit(1))
            ctx.identity = party.identity_number if party is not None else "001086000123"
            s.commit()
        finally:
            s.close()
    return ctx


def _deep_cursor(s, app, user, today) -> str | None:
    """The keyset cursor after the last row of page DEEP_PAGE of the user's unit queue, when the app has cursors
    (services.cases.queries.encode_cursor); None: the deep page is asked as ?trang=DEEP_PAGE."""
    from dvflow.services.cases import queries

    encode = getattr(queries, "encode_cursor", None)
    if encode is None:
        return None
    query = queries.case_query(s, user, queue="unit", today=today, workflows=app.extensions["dvflow.workflows"])
    query = query.order_by(None).order_by(text("cases.received_at DESC, cases.id DESC"))
    row = s.execute(query.offset(DEEP_PAGE * queries.PAGE_SIZE - 1).limit(1)).first()
    if row is None:
        return None
    case = row[0]
    return encode(case.received_at, case.id)
