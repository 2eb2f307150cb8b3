"""The hand-off of a letter (xử lý đơn) into the case it becomes: who the new case names, in which role, and what of
a mass letter it keeps.

A letter's sender is recorded at the desk as complainant, denouncer or petitioner before anyone has read it; the
classification may find another content (a "complaint" that denounces). The sender is the same person whatever the
kind, so on hand-off the sender takes the sender role of the new kind (a denunciation's denouncer, a petition's
petitioner), and the person complained of or denounced takes the kind's role for them; representatives stay
representatives. A kind that names no sender (an anonymous tip) keeps only whom the letter is about.
"""
from __future__ import annotations

from datetime import datetime

from ...models import Case, CaseParty, User
from . import mass

#: the roles of the one the letter is about, in the kinds that name them (a complaint's respondent, a
#: denunciation's accused)
TARGET_ROLES = ("respondent", "accused")


def role_in(defn, role: str) -> str | None:
    """The role a letter's party of `role` takes in a case of the kind `defn`; None: the kind takes no such party."""
    if role in defn.party_roles:
        return role
    if role in mass.PEOPLE_ROLES:
        return mass.signer_role(defn)  # the kind's sender role (None for an anonymous tip)
    if role in TARGET_ROLES:
        return next((r for r in TARGET_ROLES if r in defn.party_roles), None)
    return None  # a representative of a kind that takes none


def hand_off(session, workflows, user: User, letter: Case, kind: str, now: datetime) -> Case:
    """Register the case `letter` becomes: the same unit, parties (in the roles of the new kind), subject, content,
    channel, the letter's receipt date (the registration starts its clocks from it, as for a direct intake) and,
    for a mass letter, its number of people and the representatives' written appointment (the acceptance guard
    reads them: Luật Tiếp công dân 2013, Điều 29; Nghị định 124/2020/NĐ-CP, Điều 6 khoản 2). Both are linked."""
    # imported here: intake applies outcomes through actions, which calls the triage steps
    from .intake import IntakeInput, register_case

    defn = workflows.latest(kind)  # an unknown kind: ServiceError
    parties = [p for cp in letter.parties if (p := _carried(cp, defn)) is not None]
    names_people = mass.signer_role(defn) is not None
    data = IntakeInput(kind=kind, unit_id=letter.unit_id, channel=letter.channel, received_at=letter.received_at,
                       subject=letter.subject, content=letter.content, parties=parties,
                       mass=letter.mass and names_people, confidential=letter.confidential,
                       remote_area=letter.remote_area,
                       assignee_id=letter.assignee_id,
                       # a party added to the letter later may outnumber the count told at the desk
                       people_count=(max(letter.people_count or 0, mass.count_people(parties)) or None)
                       if names_people else None,
                       appointment_reference=letter.appointment_reference, appointment_date=letter.appointment_date)
    case = register_case(session, workflows, user, data, now)
    if case.mass and (letter.facts or {}).get("appointment_recorded"):
        # the appointment may be recorded on the letter by its file alone, which stays on the linked letter
        case.facts = {**case.facts, "appointment_recorded": True}
    case.source_letter_id = letter.id
    letter.handed_off_to_id = case.id
    session.flush()
    return case


def _carried(cp: CaseParty, defn):
    from .intake import PartyInput  # here: see hand_off

    role = role_in(defn, cp.role)
    if role is None:
        return None
    p = cp.party
    return PartyInput(role=role, name=p.name, kind=p.kind, identity_number=p.identity_number,
                      identity_type=p.identity_type, identity_type_name=p.identity_type_name, address=p.address,
                      phone=p.phone, email=p.email)
