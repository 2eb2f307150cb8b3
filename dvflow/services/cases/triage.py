"""Letter triage (xử lý đơn): what the services do beyond applying an action's outcome, for the steps a triage
transition declares in its workflow file (``hands_off``, ``links_case``, ``tells_sender``, ``once_per_sender``).

`prepare` runs before the outcome is applied and refuses (writing nothing) what the step cannot do: an unknown or
closed case to link, a complaint already guided once. `finish` runs after, in the same transaction: it creates the
case the letter becomes (registered like a direct intake, with the letter's receipt date, so its clocks count from
the letter's receipt), sets the links and records the notice to the sender.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...engine.types import Outcome
from ...engine.workflow.definition import Definition, TransitionDef
from ...models import Case, CaseParty, Party, User
from ...notify import outbox
from ..errors import ServiceError
from ..org import access
from . import history

N_ = lambda s: s  # noqa: E731 - marks a label for extraction

#: the roles of the people who sent a letter: they are told what became of it
SENDER_ROLES = ("complainant", "denouncer", "petitioner", "representative")
#: the history action of the notice to the sender (a system action: see history.SYSTEM_ACTIONS)
NOTIFY_SENDER = "notify_sender"


@dataclass
class Step:
    """A triage step prepared for one action: the case to link, if any."""

    transition: TransitionDef
    linked: Case | None = None


def prepare(session: Session, user: User, letter: Case, defn: Definition, outcome: Outcome) -> Step | None:
    """Check what the step of the outcome's transition needs before anything is written; None when it declares
    no step."""
    t = defn.transition(outcome.action, outcome.from_state) if outcome.from_state else None
    if t is None or not t.service_step:
        return None
    step = Step(t)
    guided = _guided_states(defn)
    if t.once_per_sender:
        earlier = guided_before(session, letter, guided)
        if earlier is not None:
            raise ServiceError(f"Nội dung này của người gửi đã được hướng dẫn tại đơn {earlier.tracking_code}: chỉ "
                               f"hướng dẫn một lần; lưu đơn, ghi mã đơn đã hướng dẫn.", code="guided_before")
    if t.links_case is not None:
        field, link = t.links_case
        step.linked = _linked_case(session, user, letter, str(outcome.payload.get(field) or ""), field, link, guided)
    return step


def _guided_states(defn: Definition) -> frozenset[str]:
    # the states a letter is in once guided: where the guide-once transitions lead
    return frozenset(t.dest for t in defn.transitions if t.once_per_sender and t.dest)


def finish(session: Session, workflows, user: User, letter: Case, step: Step, outcome: Outcome,
           now: datetime) -> None:
    """Do the step after the letter's outcome was applied: the hand-off, the link, the notice to the sender."""
    t = step.transition
    if t.hands_off is not None:
        hand_off(session, workflows, user, letter, str(outcome.payload[t.hands_off]), now)
    if step.linked is not None:
        if t.links_case[1] == "duplicate_of":
            letter.duplicate_of_id = step.linked.id
        else:
            letter.related_case_id = step.linked.id
    if t.tells_sender:
        _record_notice(session, user, letter, t, outcome, now)
    session.flush()


def hand_off(session: Session, workflows, user: User, letter: Case, kind: str, now: datetime) -> Case:
    """Register the case `letter` becomes: the same unit, parties, subject, content and channel, and the letter's
    receipt date (the registration starts its clocks from it, as for a direct intake); the two are linked both
    ways."""
    # imported here: intake applies outcomes through actions, which calls this module
    from .intake import IntakeInput, PartyInput, register_case

    # the parties in the roles the new kind takes (an anonymous tip keeps only the accused: its "sender" is no one
    # identified); the roles it requires are still checked by the registration
    roles = set(workflows.latest(kind).party_roles)  # an unknown kind: ServiceError
    parties = [PartyInput(role=cp.role, name=cp.party.name, kind=cp.party.kind,
                          identity_number=cp.party.identity_number, address=cp.party.address,
                          phone=cp.party.phone, email=cp.party.email)
               for cp in letter.parties if not roles or cp.role in roles]
    data = IntakeInput(kind=kind, unit_id=letter.unit_id, channel=letter.channel, received_at=letter.received_at,
                       subject=letter.subject, content=letter.content, parties=parties, mass=letter.mass,
                       confidential=letter.confidential, assignee_id=letter.assignee_id)
    case = register_case(session, workflows, user, data, now)
    case.source_letter_id = letter.id
    letter.handed_off_to_id = case.id
    session.flush()
    return case


def guided_before(session: Session, letter: Case, guided: frozenset[str]) -> Case | None:
    """An earlier letter of the same unit, already guided, from a sender with the same identity number and on the
    same subject (the same content is guided once: TT 07/2014, Điều 8 khoản 1)."""
    # numbers are stored encrypted: compared by their keyed hash
    numbers = [cp.party.identity_hash for cp in letter.parties
               if cp.role in SENDER_ROLES and cp.party.identity_hash]
    if not numbers:
        return None
    query = (select(Case).join(CaseParty, CaseParty.case_id == Case.id).join(Party, Party.id == CaseParty.party_id)
             .where(Case.kind == letter.kind, Case.state.in_(guided), Case.unit_id == letter.unit_id,
                    Case.id != letter.id, Case.subject_search == letter.subject_search,
                    CaseParty.role.in_(SENDER_ROLES), Party.identity_hash.in_(numbers))
             .order_by(Case.id).limit(1))
    return session.scalar(query)


def _linked_case(session: Session, user: User, letter: Case, code: str, field: str, link: str,
                 guided: frozenset[str]) -> Case:
    code = code.strip().upper()
    other = session.scalar(select(Case).where(func.upper(Case.tracking_code) == code)) if code else None
    if other is None or other.id == letter.id or not access.can_see(session, user, other):
        raise ServiceError(f"Không tìm thấy hồ sơ có mã {code}.", field=field)
    if link == "duplicate_of" and other.status == "closed":
        raise ServiceError(f"Hồ sơ {other.tracking_code} đã kết thúc: đơn không trùng với hồ sơ đang giải quyết.",
                           field=field)
    if link == "guided_letter" and not (other.kind == letter.kind and other.state in guided
                                        and other.unit_id == letter.unit_id):
        raise ServiceError(f"Đơn {other.tracking_code} không phải là đơn đã được đơn vị hướng dẫn.", field=field)
    return other


def _record_notice(session: Session, user: User, letter: Case, t: TransitionDef, outcome: Outcome,
                   now: datetime) -> None:
    """The notice to the sender, in the letter's history: to whom (by party, never by name: a denouncer's
    identity stays out of the history), how (e-mail or post, by what is on file), and what it says."""
    recipients = [{"party_id": cp.party_id, "role": cp.role,
                   "by": "email" if cp.party.email else ("post" if cp.party.address else "none")}
                  for cp in letter.parties if cp.role in SENDER_ROLES]
    notice = notice_text(letter, t, outcome)
    history.write(session, [history.event(
        letter.id, NOTIFY_SENDER, at=now, actor_id=user.id, legal_date=outcome.legal_date,
        from_state=outcome.to_state, to_state=outcome.to_state,
        payload={"fields": {"notice": notice}, "recipients": recipients, "basis": t.basis})])
    # a sender with an e-mail address gets the notice through the outbox (sent after the commit); one by post gets
    # the printed notice, which the history records as due
    for party_id in dict.fromkeys(r["party_id"] for r in recipients if r["by"] == "email"):
        outbox.queue_to_party(session, letter, party_id, "sender_notice", {"notice": notice}, now)


def notice_text(letter: Case, t: TransitionDef, outcome: Outcome) -> str:
    """What the sender is told, from the action's fields."""
    f = outcome.payload
    if "to_body" in f:
        return (f"Đơn {letter.tracking_code} không thuộc thẩm quyền giải quyết của cơ quan đã được chuyển đến "
                f"{f['to_body']} theo phiếu chuyển số {f.get('forward_number', '')} ngày "
                f"{outcome.legal_date.strftime('%d/%m/%Y')}.")
    if "guidance" in f:
        return str(f["guidance"])
    return str(f.get("notice") or t.label)

