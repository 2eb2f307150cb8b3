"""Correcting a case's intake data (subject, content, channel, received date, parties), with a reason.

An officer of the case's unit (reception, handler or head) corrects; each changed field is one history row with its
old and new value and the reason. The same checks as intake apply (``intake_checks``). A changed received date
moves the clocks that count from it (``receipt_clocks``) and says so. A party's identity values (name, number,
address, phone, e-mail) are never written to the history, for any party: only that the field changed (``_withheld``).
The other changes of a party hidden by confidentiality are shown to no one in the history (``shown``): only those who
may reveal the party may correct it, and they see its data by revealing it on the case page, which is recorded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from ...models import Case, CaseEvent, CaseParty, Party, User
from ...models.case import INTAKE_CHANNELS
from ...timeutil import local_date
from ..errors import Conflict, Forbidden, ServiceError
from ..org import access
from . import confidentiality, history, party_search, receipt_clocks
from .intake_checks import check_case_text, check_parties
from .lookup import load_case_for
from .reasons import required_reason
from .search import search_key
from .voiding import STALE, refuse_if_voided

N_ = lambda s: s  # noqa: E731 - marks a label for extraction; the page shows it translated

PARTY_FIELD = re.compile(r"parties\[(\d+)\](\..+)")
CORRECT_ROLES = frozenset({"reception", "handler", "head"})
REASON_MIN = 10
REASON_MAX = 1000
PARTY_FIELDS = ("role", "name", "kind", "identity_type", "identity_type_name", "identity_number", "address", "phone",
                "email")
LABELS = {"subject": N_("Trích yếu"), "content": N_("Nội dung đơn"), "channel": N_("Hình thức tiếp nhận"),
          "received_at": N_("Ngày tiếp nhận"), "role": N_("Vai trò"), "name": N_("Họ tên"),
          "kind": N_("Loại đương sự"), "identity_type": N_("Loại giấy tờ"),
          "identity_type_name": N_("Tên loại giấy tờ"), "identity_number": N_("Số giấy tờ tùy thân"), "address": N_("Địa chỉ"),
          "phone": N_("Số điện thoại"), "email": N_("Thư điện tử"), "party_added": N_("Thêm đương sự"),
          "party_removed": N_("Bỏ đương sự")}


@dataclass
class PartyEdit:
    """One party's correction: `party_id` None adds a party; `remove` removes it; a field left None is unchanged,
    an empty text clears it."""

    party_id: int | None = None
    remove: bool = False
    role: str | None = None
    name: str | None = None
    kind: str | None = None
    identity_type: str | None = None  # cccd, passport, tax_code, business_registration, other (intake_checks)
    identity_type_name: str | None = None  # the document's name when identity_type is "other"
    identity_number: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass
class CorrectionInput:
    """What to correct; None leaves a field as it is."""

    reason: str
    subject: str | None = None
    content: str | None = None
    channel: str | None = None
    received_at: datetime | None = None
    parties: list[PartyEdit] = field(default_factory=list)


@dataclass
class Corrected:
    case: Case
    changes: list[dict]  # the history payloads written, one per changed field
    recomputed: list[dict]  # the clocks whose due date moved: label, old_due_date, new_due_date

    @property
    def recomputed_text(self) -> str:
        """ "Thời hạn thụ lý: 04/12/2026 → 08/12/2026; ..." (empty when no clock moved)."""
        return "; ".join(f"{r['label']}: {_day(r['old_due_date'])} → {_day(r['new_due_date'])}"
                         for r in self.recomputed)


def may_correct(session: Session, user: User, case: Case) -> bool:
    return case.voided_at is None and bool(access.actor_for(session, user, case).roles & CORRECT_ROLES)


def correct_case(session: Session, workflows, user: User, case_id: int, data: CorrectionInput, now: datetime, *,
                 expected_version: int | None = None) -> Corrected:
    """Correct the intake data of a case. Raises (and writes nothing) when refused or when nothing changes."""
    case = load_case_for(session, user, case_id, lock=True)
    if expected_version is not None and case.version != expected_version:
        raise Conflict(STALE)
    refuse_if_voided(case)
    if not may_correct(session, user, case):
        raise Forbidden("Bạn không có quyền sửa thông tin tiếp nhận của hồ sơ này.")
    reason = _reason(data.reason)
    defn = workflows.for_case(case, session)
    changes = _case_changes(session, defn, case, data, now)
    plans = _party_plans(session, user, case, data.parties, defn)
    changes += [c for plan in plans for c in plan.changes()]
    if not changes:
        raise ServiceError("Không có thông tin nào thay đổi so với hồ sơ hiện tại.", field="reason")
    old_day, old_received = local_date(case.received_at), case.received_at
    _apply_case(case, data)
    for plan in plans:
        plan.apply(session, case)
    if plans:  # the guards read the roles of the parties from the facts
        case.facts = {**(case.facts or {}), "party_roles": sorted({cp.role for cp in case.parties})}
        flag_modified(case, "facts")  # the case's version moves with any correction, parties included
        # a denouncer added to a letter makes it confidential from that moment, as at intake (audit W3)
        case.confidential = case.confidential or bool(defn.confidential_flags(case.facts))
        # a role changed or the case became confidential: a denouncer's name must leave the search column
        party_search.refresh(session, case)
        changes = [_withheld(c, case) for c in changes]
    recomputed = []
    if local_date(case.received_at) != old_day:
        recomputed = receipt_clocks.recompute(session, workflows, defn, case, old_day, now)
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(STALE) from exc
    rows = [history.event(case.id, "correct", at=now, actor_id=user.id, from_state=case.state, to_state=case.state,
                          payload={**c, "reason": reason}) for c in changes]
    rows += [history.event(case.id, "recompute_due", at=now, actor_id=user.id, from_state=case.state,
                           to_state=case.state, payload={**r, "reason": "Sửa ngày tiếp nhận: " + reason})
             for r in recomputed]
    history.write(session, rows)
    _follow_hand_off(session, workflows, user, case, old_received, reason, now)
    return Corrected(case=case, changes=changes, recomputed=recomputed)


def _follow_hand_off(session: Session, workflows, user: User, letter: Case, old_received: datetime, reason: str,
                     now: datetime) -> None:
    """A letter's received date corrected after its hand-off moves the case it became: registered with the letter's
    receipt, its clocks count from it (Nghị định 124/2020/NĐ-CP, Điều 16 khoản 1, sửa đổi bởi Nghị định
    155/2026/NĐ-CP, Điều 10; Luật Tố cáo 2018, Điều 24). The same correction, in this transaction, recorded in the
    case's history too; a case whose own date was corrected since keeps it."""
    if letter.handed_off_to_id is None or letter.received_at == old_received:
        return
    case = session.scalar(select(Case).where(Case.id == letter.handed_off_to_id).with_for_update())
    if case is None or case.received_at != old_received:
        return
    defn = workflows.for_case(case, session)
    _check_received(session, defn, case, letter.received_at, now)
    old_day = local_date(case.received_at)
    change = _change("received_at", case.received_at.isoformat(), letter.received_at.isoformat())
    case.received_at = letter.received_at
    moved = receipt_clocks.recompute(session, workflows, defn, case, old_day, now)
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(STALE) from exc
    why = f"Sửa ngày tiếp nhận của đơn {letter.tracking_code}: {reason}"
    rows = [history.event(case.id, "correct", at=now, actor_id=user.id, from_state=case.state, to_state=case.state,
                          payload={**change, "reason": why})]
    rows += [history.event(case.id, "recompute_due", at=now, actor_id=user.id, from_state=case.state,
                           to_state=case.state, payload={**r, "reason": "Sửa ngày tiếp nhận: " + why}) for r in moved]
    history.write(session, rows)


def _reason(reason: str | None) -> str:
    return required_reason(reason, "Lý do sửa", REASON_MIN, REASON_MAX)


# --- the case's own fields -----------------------------------------------------------------------------------------

def _case_changes(session: Session, defn, case: Case, data: CorrectionInput, now: datetime) -> list[dict]:
    subject = case.subject if data.subject is None else data.subject.strip()
    content = case.content if data.content is None else data.content.strip()
    if not subject:
        raise ServiceError("Nhập tóm tắt nội dung (trích yếu).", field="subject")
    check_case_text(SimpleNamespace(subject=subject, content=content))
    if data.channel is not None and data.channel not in INTAKE_CHANNELS:
        raise ServiceError("Hình thức tiếp nhận không hợp lệ.", field="channel")
    if data.received_at is not None:
        _check_received(session, defn, case, data.received_at, now)
    out = [_change(name, old, new) for name, old, new in (
        ("subject", case.subject, subject), ("content", case.content or "", content),
        ("channel", case.channel, data.channel or case.channel)) if old != new]
    if data.received_at is not None and data.received_at != case.received_at:
        out.append(_change("received_at", case.received_at.isoformat(), data.received_at.isoformat()))
    return out


def _check_received(session: Session, defn, case: Case, received_at: datetime, now: datetime) -> None:
    if received_at.tzinfo is None:
        raise ServiceError("Ngày tiếp nhận phải kèm múi giờ.", field="received_at")
    if received_at > now:
        raise ServiceError("Ngày tiếp nhận không được sau thời điểm hiện tại.", field="received_at")
    if received_at.year < 2000:
        raise ServiceError("Ngày tiếp nhận không hợp lệ.", field="received_at")
    # an action already recorded cannot predate the receipt it follows
    first = session.scalar(select(func.min(CaseEvent.legal_date)).where(
        CaseEvent.case_id == case.id, CaseEvent.action.in_(sorted({t.trigger for t in defn.transitions}))))
    day = local_date(received_at)
    if first is not None and day > first:
        raise ServiceError("Ngày tiếp nhận (%(day)s) không được sau ngày của thao tác đã ghi trong hồ sơ (%(first)s).",
                           field="received_at", day=_day(day), first=_day(first))


def _apply_case(case: Case, data: CorrectionInput) -> None:
    if data.subject is not None and data.subject.strip() != case.subject:
        case.subject = data.subject.strip()
        case.subject_search = _key(case.subject, Case.subject_search)
    if data.content is not None and data.content.strip() != (case.content or ""):
        case.content = data.content.strip()
    if data.channel is not None:
        case.channel = data.channel
    if data.received_at is not None and data.received_at != case.received_at:
        case.received_at = data.received_at


# --- parties -------------------------------------------------------------------------------------------------------

@dataclass
class _PartyPlan:
    """One party edit, checked: what it changes (history payloads) and how it is applied."""

    link: CaseParty | None  # None: a new party
    values: dict  # the party's values after the edit (all PARTY_FIELDS)
    remove: bool
    hidden: bool  # a confidential party: its values are not shown in the history

    def changes(self) -> list[dict]:
        # the role is kept so a case made confidential later still hides the change (see `shown`)
        roles = sorted({self.values["role"], self.link.role if self.link is not None else self.values["role"]})
        extra = {"party_roles": roles, **({"hidden": True} if self.hidden else {})}
        if self.link is None:
            return [_change("party_added", None, self.values, **extra)]
        old = _values(self.link)
        pid = self.link.party_id
        if self.remove:
            return [_change("party_removed", old, None, party_id=pid, **extra)]
        return [_change(name, old[name], self.values[name], party_id=pid, **extra)
                for name in PARTY_FIELDS if old[name] != self.values[name]]

    def apply(self, session: Session, case: Case) -> None:
        if self.link is None:
            case.parties.append(CaseParty(role=self.values["role"], party=Party(**self._columns())))
        elif self.remove:
            case.parties.remove(self.link)
        elif self.changes():
            if _shared(session, self.link):  # another case names the same party row: correct this case's copy
                self.link.party = Party(**self._columns())
            else:
                for name, value in self._columns().items():
                    setattr(self.link.party, name, value)
            self.link.role = self.values["role"]

    def _columns(self) -> dict:
        cols = {k: v for k, v in self.values.items() if k != "role"}
        return {**cols, "name_search": _key(cols["name"], Party.name_search)}


def _party_plans(session: Session, user: User, case: Case, edits: list[PartyEdit], defn) -> list[_PartyPlan]:
    if not edits:
        return []
    links = {cp.party_id: cp for cp in case.parties}
    reveal_ok = confidentiality.may_reveal(session, user, case)
    plans = []
    for i, edit in enumerate(edits):
        link = None
        if edit.party_id is not None:
            link = links.get(edit.party_id)
            if link is None:  # a bad value of the body, named like the other fields (not a missing page)
                raise ServiceError("Đương sự thứ %(n)s không thuộc hồ sơ này.", field=f"parties[{i}].id", n=i + 1)
        values = _edited(link, edit)
        hidden = any(confidentiality.is_hidden(case, role) for role in
                     {values["role"], link.role if link is not None else values["role"]})
        if hidden and not reveal_ok:
            raise Forbidden("Chỉ người được giao xử lý hoặc thủ trưởng đơn vị được sửa thông tin người tố cáo.")
        plans.append(_PartyPlan(link=link, values=values, remove=edit.remove, hidden=hidden))
    _check_result(case, plans, defn)
    return plans


def _edited(link: CaseParty | None, edit: PartyEdit) -> dict:
    old = _values(link) if link is not None else {name: None for name in PARTY_FIELDS}
    out = {}
    for name in PARTY_FIELDS:
        value = getattr(edit, name)
        out[name] = old[name] if value is None else ((value.strip() or None) if isinstance(value, str) else value)
    out["name"] = out["name"] or ""
    out["kind"] = out["kind"] or "person"
    out["role"] = out["role"] or ""
    return out


def _check_result(case: Case, plans: list[_PartyPlan], defn) -> None:
    """The parties the case will have, checked as intake checks them (lengths, formats, a required role); an error
    names the edit it comes from (`parties[i]`: the i-th edit)."""
    index = {id(p.link): i for i, p in enumerate(plans) if p.link is not None}
    kept: list[tuple[dict, int | None]] = []  # (values, the edit they come from)
    for cp in case.parties:
        i = index.get(id(cp))
        if i is None:
            kept.append((_values(cp), None))
        elif not plans[i].remove:
            kept.append((plans[i].values, i))
    kept += [(p.values, i) for i, p in enumerate(plans) if p.link is None]
    origin = [i for _v, i in kept]
    try:
        check_parties([SimpleNamespace(**v) for v, _i in kept], defn)
    except ServiceError as exc:
        match = PARTY_FIELD.fullmatch(exc.field or "")
        if match and origin[int(match.group(1))] is not None:
            exc.field = f"parties[{origin[int(match.group(1))]}]{match.group(2)}"
        raise


#: the party fields that identify a person: encrypted in `parties`, never written to any party's history
IDENTITY_FIELDS = ("name", "identity_number", "address", "phone", "email")


def _values(link: CaseParty) -> dict:
    p = link.party
    return {"role": link.role, "name": p.name, "kind": p.kind, "identity_type": p.identity_type,
            "identity_type_name": p.identity_type_name, "identity_number": p.identity_number,
            "address": p.address, "phone": p.phone, "email": p.email}


def _shared(session: Session, link: CaseParty) -> bool:
    return bool(session.scalar(select(func.count()).select_from(CaseParty).where(
        CaseParty.party_id == link.party_id, CaseParty.case_id != link.case_id)))


# --- history rows and how they are shown ---------------------------------------------------------------------------

def _change(name: str, old, new, **extra) -> dict:
    return {"field": name, "label": LABELS[name], "old": old, "new": new, **extra}


def _withheld(change: dict, case: Case) -> dict:
    """A party's change as the history stores it. The history is neither encrypted nor re-keyable (its rows are
    hash-chained), and any party may become a hidden denouncer later (a letter classified as a denunciation, a role
    corrected): so no party's identity values (IDENTITY_FIELDS) are ever written there, only that the field changed
    (`withheld`; the pages show "Đã sửa"). A party hidden in the case as corrected is also marked `hidden`, and its
    changes are only ever shown redacted (`shown`)."""
    if "party_roles" not in change:  # a change of the case's own fields
        return change
    hidden = any(confidentiality.is_hidden(case, r) for r in change["party_roles"])
    old, new, withheld = change["old"], change["new"], False
    if change["field"] in IDENTITY_FIELDS:
        old = new = None
        withheld = True
    elif change["field"] in ("party_added", "party_removed"):
        old, new = (None if v is None else {k: x for k, x in v.items() if k not in IDENTITY_FIELDS}
                    for v in (old, new))
        withheld = True
    return {**change, "old": old, "new": new, **({"withheld": True} if withheld else {}),
            **({"hidden": True} if hidden else {})}


def shown(payload: dict, case: Case | None = None) -> dict:
    """A correction's history payload as anyone may see it: a confidential party's values are replaced, whether
    the party was hidden when corrected or is hidden now (`case`: the case as it is)."""
    if not (payload.get("hidden") or (case is not None and _hidden_now(payload, case))):
        return payload
    return {**payload, "old": None, "new": None, "redacted": True}


def _hidden_now(payload: dict, case: Case) -> bool:
    """Whether the corrected party is hidden in the case as it is: by a role it had when corrected, or by the role
    it has now (a letter's sender corrected by name, then re-roled a denouncer, must not keep its old and new name
    on show). A party added by a correction was recorded without its id: a row written before identity values left
    the history is matched by the name it holds (later rows hold none to match, nor any to hide)."""
    if not case.confidential:
        return False
    if any(confidentiality.is_hidden(case, r) for r in payload.get("party_roles", ())):
        return True
    hidden = [cp for cp in case.parties if confidentiality.is_hidden(case, cp.role)]
    if payload.get("party_id") is not None:
        return any(cp.party_id == payload["party_id"] for cp in hidden)
    added = (payload.get("new") or {}).get("name") if isinstance(payload.get("new"), dict) else None
    return added is not None and any(cp.party.name == added for cp in hidden)


def _day(value) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else value.isoformat()
    return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"


def _key(text: str, column) -> str:
    return search_key(text)[:column.property.columns[0].type.length]
