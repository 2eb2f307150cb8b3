"""Letter triage (xử lý đơn): what the services do beyond applying an action's outcome, for the steps a triage
transition declares in its workflow file (``hands_off``, ``links_case``, ``tells_sender``, ``once_per_sender``) and
for the number of signers a classification records (field ``signers``).

`prepare` runs before the outcome is applied and refuses (writing nothing) what the step cannot do: an unknown or
closed case to link, a letter of the same sender and content already guided, or already forwarded, once. `finish`
runs after, in the same transaction: it creates the case the letter becomes (handoff.py: registered like a direct
intake, with the letter's receipt date, so its clocks count from the letter's receipt), sets the links, records the
notice to the sender and makes a letter signed by five people or more a mass letter.
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
from . import history, mass
from .handoff import hand_off

N_ = lambda s: s  # noqa: E731 - marks a label for extraction

#: the roles of the people who sent a letter: they are told what became of it
SENDER_ROLES = ("complainant", "denouncer", "petitioner", "representative")
#: the history action of the notice to the sender (a system action: see history.SYSTEM_ACTIONS)
NOTIFY_SENDER = "notify_sender"
#: the classification's field giving the number of people who signed the letter (Thông tư 07/2014/TT-TTCP, Điều 6
#: khoản 4: from five, a letter of many people)
SIGNERS = "signers"


@dataclass
class Step:
    """A triage step prepared for one action: the case to link, if any."""

    transition: TransitionDef
    linked: Case | None = None


def prepare(session: Session, user: User, letter: Case, defn: Definition, outcome: Outcome) -> Step | None:
    """Check what the step of the outcome's transition needs before anything is written; None when it declares
    no step."""
    t = defn.transition(outcome.action, outcome.from_state) if outcome.from_state else None
    if t is None or not (t.service_step or outcome.payload.get(SIGNERS) is not None):
        return None
    step = Step(t)
    guided = _guided_states(defn)
    if t.once_per_sender:
        _refuse_done_before(session, letter, t)
    if t.links_case is not None:
        field, link = t.links_case
        step.linked = _linked_case(session, user, letter, str(outcome.payload.get(field) or ""), field, link, guided)
    return step


def _refuse_done_before(session: Session, letter: Case, t: TransitionDef) -> None:
    earlier = done_before(session, letter, frozenset({t.dest}))
    if earlier is None:
        return
    if _forwards(t):  # a denunciation is forwarded once for the same content (TT 05/2021 Art 14(1))
        raise ServiceError("Đơn tố cáo cùng người gửi, cùng nội dung đã được chuyển tại đơn %(letter)s: chỉ chuyển "
                           "đơn một lần (Thông tư 05/2021/TT-TTCP, Điều 14 khoản 1); lưu đơn, ghi mã đơn đã chuyển.",
                           code="forwarded_before", letter=earlier.tracking_code)
    raise ServiceError("Nội dung này của người gửi đã được hướng dẫn tại đơn %(letter)s: chỉ hướng dẫn một lần; lưu "
                       "đơn, ghi mã đơn đã hướng dẫn.", code="guided_before", letter=earlier.tracking_code)


def _forwards(t: TransitionDef) -> bool:
    # a forwarding action counts its forwards (facts: {forward_count: increment})
    return "forward_count" in t.facts


def _guided_states(defn: Definition) -> frozenset[str]:
    # the states a letter is in once guided: where the guide-once transitions lead (not the forward-once ones)
    return frozenset(t.dest for t in defn.transitions if t.once_per_sender and t.dest and not _forwards(t))


def finish(session: Session, workflows, user: User, letter: Case, step: Step, outcome: Outcome,
           now: datetime) -> None:
    """Do the step after the letter's outcome was applied: the signers, the hand-off, the link, the notice."""
    t = step.transition
    if outcome.payload.get(SIGNERS) is not None:
        record_signers(letter, int(outcome.payload[SIGNERS]))
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


#: the facts' key of the desk's own people count and mass flag, before any classification's signers
DESK_PEOPLE = "desk_people"


def record_signers(letter: Case, signers: int) -> None:
    """The number of people who signed the letter, as classified: from five it is a letter of many people
    (Thông tư 07/2014/TT-TTCP, Điều 6 khoản 4), a mass letter with that number of people, which the case it
    becomes keeps (and whose acceptance then needs the representatives: Luật Tiếp công dân 2013, Điều 29).

    A classification's figure replaces an earlier classification's (a mistyped 8 corrected to 1 makes the letter a
    one-person letter again), never what the desk recorded: the desk's own count and mass flag are kept in the
    facts the first time, and every classification starts from them."""
    facts = dict(letter.facts or {})
    desk = facts.setdefault(DESK_PEOPLE, {"people": letter.people_count or 0, "mass": bool(letter.mass)})
    # never fewer than the people the desk counted or named ("the people with the same content" may be more than
    # signed)
    people = max(signers, desk["people"], mass.count_people(letter.parties))
    letter.people_count = people
    letter.mass = mass.is_mass(desk["mass"], people)
    if letter.mass:
        facts.update(mass.facts(people, mass.count_representatives(letter.parties), letter.appointment_reference,
                                letter.appointment_date, bool(facts.get("appointment_recorded"))))
    else:  # no longer a mass letter: the acceptance guard must not read an earlier classification's figures
        for key in mass.facts(0, 0, None, None):
            facts.pop(key, None)
    letter.facts = facts


def done_before(session: Session, letter: Case, states: frozenset[str]) -> Case | None:
    """An earlier letter of the same unit, in one of `states` (guided, forwarded), from a sender with the same
    identity number, on the same subject and classified as the same content: the same content is guided once (TT
    07/2014, Điều 6 khoản 2 điểm b, Điều 8 khoản 1: "đã được hướng dẫn một lần về cùng nội dung"; guidance to split
    a letter of several contents is not guidance on one of them) and a denunciation forwarded once (TT 05/2021,
    Điều 14 khoản 1)."""
    # numbers are stored encrypted: compared by their keyed hash
    numbers = [cp.party.identity_hash for cp in letter.parties
               if cp.role in SENDER_ROLES and cp.party.identity_hash]
    if not numbers:
        return None
    query = (select(Case).join(CaseParty, CaseParty.case_id == Case.id).join(Party, Party.id == CaseParty.party_id)
             .where(Case.kind == letter.kind, Case.state.in_(states), Case.unit_id == letter.unit_id,
                    Case.id != letter.id, Case.subject_search == letter.subject_search,
                    CaseParty.role.in_(SENDER_ROLES), Party.identity_hash.in_(numbers))
             .order_by(Case.id))
    content = (letter.facts or {}).get("content_type")
    # the content type is a JSON fact: compared here, on the few letters of the same sender and subject
    return next((c for c in session.scalars(query) if (c.facts or {}).get("content_type") == content), None)


def _linked_case(session: Session, user: User, letter: Case, code: str, field: str, link: str,
                 guided: frozenset[str]) -> Case:
    code = code.strip().upper()
    other = session.scalar(select(Case).where(func.upper(Case.tracking_code) == code)) if code else None
    if other is None or other.id == letter.id or not access.can_see(session, user, other):
        raise ServiceError("Không tìm thấy hồ sơ có mã %(letter)s.", field=field, letter=code)
    if link == "duplicate_of" and other.status == "closed":
        raise ServiceError("Hồ sơ %(letter)s đã kết thúc: đơn không trùng với hồ sơ đang giải quyết.", field=field,
                           letter=other.tracking_code)
    if link == "guided_letter" and not (other.kind == letter.kind and other.state in guided
                                        and other.unit_id == letter.unit_id):
        raise ServiceError("Đơn %(letter)s không phải là đơn đã được đơn vị hướng dẫn.", field=field,
                           letter=other.tracking_code)
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
    if f.get("ground"):  # a refusal: the reason, as the law asks it told (Luật Tố cáo 2018, Điều 24 khoản 1)
        spec = next((x for x in t.fields if x.name == "ground"), None)
        ground = dict(spec.choices).get(f["ground"], f["ground"]) if spec is not None else f["ground"]
        explained = f" {f['reason']}" if f.get("reason") else ""
        return f"Hồ sơ {letter.tracking_code}: {t.label}. Lý do: {ground}.{explained}"
    return str(f.get("notice") or t.label)

