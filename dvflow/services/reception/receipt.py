"""The receipt a citizen keeps: the appointment slip (phiếu hẹn) handed over at a visit, or the receipt notice
(giấy biên nhận) sent for a letter. One set of names for the receipt page, the tracking page and the API:
tracking_code (Mã hồ sơ), secret (Mã bí mật), received_on (Ngày tiếp nhận), unit_name (Cơ quan giải quyết).

The secret travels only in the fragment of the QR link (`#ma=…&bm=…`): a browser never sends a fragment to the
server, so the secret stays out of access logs, and the tracking page fills its form from it.

The secret is printed once: only its hash is stored (services.cases.tracking), so the receipt shows it when the
caller has just issued it (intake, or `reissue_secret`) and passes it in; any later view shows the receipt without
it. A reprint with a secret issues a new one (the old stops working) and is recorded in the case history.
"""
from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Case, CaseEvent, User
from ...timeutil import local_date
from ..cases import history, tracking
from ..cases.confidentiality import is_hidden
from ..cases.lookup import load_case_for
from ..cases.voiding import refuse_if_voided
from ..errors import Forbidden, ServiceError
from ..org import access
from .book import first_clock

N_ = lambda s: s  # noqa: E731 - marks a message for extraction; the page shows it translated

#: the channels where the citizen is in front of the officer and leaves with an appointment slip
HANDED_OVER = frozenset({"walk_in"})
APPOINTMENT_SLIP = N_("PHIẾU HẸN")
RECEIPT_NOTICE = N_("GIẤY BIÊN NHẬN ĐƠN")
HIDDEN_NAME = N_("(thông tin người tố cáo được giữ bí mật)")
TRACKING_PATH = "/tra-cuu"
#: who may reprint a receipt with a new secret: those who receive or handle the unit's cases (supervisors only read)
REISSUE_ROLES = frozenset({"reception", "handler", "head"})
MAX_REASON = 500


def tracking_links(base_url: str, case: Case, secret: str | None = None) -> tuple[str, str]:
    """The tracking page's address (printed in full) and the link the QR code holds (code, and the secret when it is
    printed, in the fragment, which the browser keeps to itself)."""
    page = base_url.rstrip("/") + TRACKING_PATH
    fragment = {"ma": case.tracking_code} | ({"bm": secret} if secret else {})
    return page, page + "#" + urlencode(fragment)


def may_reissue(session: Session, user: User, case: Case) -> bool:
    return case.voided_at is None and bool(access.actor_for(session, user, case).roles & REISSUE_ROLES)


def reissue_secret(session: Session, user: User, case_id: int, reason: str | None, now: datetime) -> Case:
    """A new secret for the case's receipt (the old one stops working), recorded in the history with the optional
    reason; the plain secret is on the returned object (`case.tracking_secret`), to be printed now and never again.
    NotFound when the user may not see the case, Forbidden when they may not reprint its receipt."""
    case = load_case_for(session, user, case_id)
    refuse_if_voided(case)
    if not may_reissue(session, user, case):
        raise Forbidden("Chỉ cán bộ tiếp nhận, xử lý hoặc thủ trưởng đơn vị được cấp lại mã bí mật.")
    reason = " ".join((reason or "").split())
    if len(reason) > MAX_REASON:
        raise ServiceError("Lý do tối đa %(max)s ký tự.", field="reason", max=MAX_REASON)
    tracking.issue_secret(case)
    session.flush()
    history.write(session, [history.event(case.id, "reissue_secret", at=now, actor_id=user.id,
                                          from_state=case.state, to_state=case.state,
                                          payload={"reason": reason} if reason else {})])
    return case


def receipt_view(session: Session, workflows, case: Case, viewer: User, base_url: str,
                 secret: str | None = None) -> dict:
    """Everything the receipt prints, as plain data for the page and the API; `secret` only when it was issued
    just now (the receipt shows it once), None otherwise."""
    defn = workflows.for_case(case, session)
    officer = registering_officer(session, case)
    page, qr_link = tracking_links(base_url, case, secret)
    clock = first_clock(session, case)
    return {
        "title": APPOINTMENT_SLIP if case.channel in HANDED_OVER else RECEIPT_NOTICE,
        "slip": "appointment_slip" if case.channel in HANDED_OVER else "receipt_notice",
        "tracking_code": case.tracking_code,
        "secret": secret,
        "kind": case.kind,
        "kind_label": defn.label,
        "kind_label_en": defn.label_en,
        "received_at": case.received_at,
        "received_on": local_date(case.received_at).isoformat(),
        "subject": case.subject,
        "citizens": _citizens(case, defn.requires_party, viewer, officer),
        # a body among them (a company complaining): the slip heads the names as such, not "Ông/bà"
        "organisation": any(cp.party.kind == "organisation" for cp in _named(case, defn.requires_party, viewer,
                                                                           officer)),
        "officer_name": (officer.full_name or officer.username) if officer else None,
        "unit_name": case.unit.name,
        "unit_address": case.unit.address,
        "unit_phone": case.unit.phone,
        "tracking_url": page,
        "qr_link": qr_link,
        "deadline": {"name": clock.name, "label": clock.label, "due_date": clock.due_date.isoformat()}
        if clock is not None and clock.due_date is not None else None,
    }


def _citizens(case: Case, requester_roles: tuple[str, ...], viewer: User, officer: User | None) -> list[str]:
    """The names of those who brought the case. A hidden denouncer is named only to the officer who registered
    the case (who had the citizen in front of them): anyone else reprinting the slip sees that it is withheld."""
    named = _named(case, requester_roles, viewer, officer)
    names = [cp.party.name if cp in named else HIDDEN_NAME for cp in _bringing(case, requester_roles)]
    return list(dict.fromkeys(names))


def _bringing(case: Case, requester_roles: tuple[str, ...]) -> list:
    """The case's parties who brought it: who asked and their representatives."""
    roles = set(requester_roles) or {"complainant", "denouncer", "petitioner"}
    return [cp for cp in case.parties if cp.role in roles or cp.role == "representative"]


def _named(case: Case, requester_roles: tuple[str, ...], viewer: User, officer: User | None) -> list:
    """Those of `_bringing` the slip names for `viewer` (a hidden denouncer only to who registered the case)."""
    return [cp for cp in _bringing(case, requester_roles)
            if not (is_hidden(case, cp.role) and (officer is None or officer.id != viewer.id))]


def registering_officer(session: Session, case: Case) -> User | None:
    """Who registered the case (the actor of its first history row): the officer who received the letter, named
    on the receipt (NĐ 154/2026, Điều 15 khoản 4, Mẫu số 02/TCD)."""
    return session.scalar(select(User).join(CaseEvent, CaseEvent.actor_id == User.id)
                          .where(CaseEvent.case_id == case.id, CaseEvent.action == "register")
                          .order_by(CaseEvent.id).limit(1))

