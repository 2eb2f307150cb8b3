"""Completing or correcting a mass case's representatives after intake (Cập nhật người đại diện), so that the case
can be accepted once they are valid (Luật Tiếp công dân 2013, Điều 29; Nghị định 124/2020/NĐ-CP, Điều 6 khoản 2).

One use case, one transaction: the representative parties are replaced, the number of people and the written
appointment recorded, the facts the acceptance guard reads updated, and one history row written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ...models import Attachment, Case, CaseParty, User
from ...timeutil import local_date
from ..errors import Conflict, Forbidden, ServiceError
from ..org import access
from . import history, mass
from .confidentiality import is_hidden, may_reveal
from .intake import INTAKE_ROLES, PartyInput, new_party
from .intake_checks import REPRESENTATIVE, check_party
from .lookup import load_case_for
from .voiding import STALE

ACTION = "update_representatives"


@dataclass
class RepresentativesInput:
    """The representatives (their role is set here), the number of people and the written appointment."""

    representatives: list[PartyInput] = field(default_factory=list)
    people_count: int | None = None
    appointment_reference: str | None = None
    appointment_date: date | None = None
    #: a file of the case (e.g. just uploaded) that is the written appointment
    appointment_attachment_id: int | None = None


N_ = lambda s: s  # noqa: E731 - marks a message for extraction; the page shows it translated

REFUSED = N_("Chỉ cán bộ của đơn vị tiếp nhận được cập nhật người đại diện của vụ việc đông người đang giải "
              "quyết.")
HIDDEN_REFUSED = N_("Người đại diện của vụ việc này được giữ bí mật: chỉ thủ trưởng đơn vị hoặc người được thủ "
                    "trưởng giao xử lý được xem và cập nhật người đại diện.")


def check_may_update(session: Session, user: User, case: Case) -> None:
    """Forbidden, with the reason, unless the user is a receiving officer, handler or head of the case's unit and
    the case is an open mass case. A confidential case's representatives denounce too (their role is in
    HIDDEN_ROLES): whoever may not reveal them neither sees nor replaces them, the rule corrections.py applies to
    editing any hidden party."""
    reason = _refusal(session, user, case)
    if reason is not None:
        raise Forbidden(reason)


def may_update(session: Session, user: User, case: Case) -> bool:
    """Whether `check_may_update` lets the user through: the case page offers the link only then."""
    return _refusal(session, user, case) is None


def _refusal(session: Session, user: User, case: Case) -> str | None:
    if not _of_the_unit(session, user, case):
        return REFUSED
    if not _may_see_representatives(session, user, case):
        return HIDDEN_REFUSED
    return None


def hidden_representatives(case: Case) -> list[CaseParty]:
    """The representatives whose identity the case hides until revealed (none unless it is confidential)."""
    return [cp for cp in case.parties if cp.role == "representative" and is_hidden(case, cp.role)]


def _of_the_unit(session: Session, user: User, case: Case) -> bool:
    if not case.mass or case.status == "closed":  # asked first: the case page asks this of every case it shows
        return False
    return any(m.role in INTAKE_ROLES for m in access.memberships(session, user) if m.unit_id == case.unit_id)


def _may_see_representatives(session: Session, user: User, case: Case) -> bool:
    return not is_hidden(case, "representative") or may_reveal(session, user, case)


def update_representatives(session: Session, workflows, user: User, case_id: int, data: RepresentativesInput,
                           now: datetime, *, expected_version: int | None = None) -> Case:
    """Replace the case's representatives and record its people and appointment. Raises (nothing written) when the
    user may not, the case is not an open mass case, or the input is invalid; `expected_version` (the version the
    client saw): a case changed meanwhile is a Conflict, compared under the row lock (so of two requests with the
    same version one wins) and after the permission (one who may not is told so, not that the case changed)."""
    case = load_case_for(session, user, case_id, lock=True)
    check_may_update(session, user, case)
    if expected_version is not None and case.version != expected_version:
        raise Conflict(STALE)
    defn = workflows.for_case(case, session)
    reps = _checked(case, defn, data, local_date(now))
    before = _summary(case)
    _mark_appointment_file(session, case, data.appointment_attachment_id)
    _replace(session, case, reps)
    people = data.people_count or case.people_count or mass.count_people(case.parties)
    case.people_count = people
    case.appointment_reference = (data.appointment_reference or "").strip() or None
    case.appointment_date = data.appointment_date
    case.facts = {**(case.facts or {}), "party_roles": sorted({cp.role for cp in case.parties}),
                  **mass.facts(people, len(reps), case.appointment_reference, case.appointment_date,
                               _has_appointment_file(session, case))}
    session.flush()
    # names stay out of the history: a denunciation's representatives are denouncers, whose identity is protected
    payload = {"before": before, "after": _summary(case), "appointment_file": data.appointment_attachment_id}
    history.write(session, [history.event(case.id, ACTION, at=now, actor_id=user.id, from_state=case.state,
                                          to_state=case.state, payload=payload)])
    return case


def _checked(case: Case, defn, data: RepresentativesInput, today: date) -> list[PartyInput]:
    if "representative" not in defn.party_roles:
        raise ServiceError("Loại hồ sơ này không ghi người đại diện.", field="representatives")
    reps = [PartyInput(**{**vars(p), "role": "representative"}) for p in data.representatives]
    for i, p in enumerate(reps):
        check_party(i, p, defn, where=f"representatives[{i}]", party=REPRESENTATIVE)
    listed = mass.count_people(case.parties)
    mass.check_people_count(data.people_count, listed)
    mass.check_representatives_count(data.people_count or case.people_count or listed, len(reps))
    mass.check_appointment(data.appointment_reference, data.appointment_date, today)
    return reps


def _mark_appointment_file(session: Session, case: Case, attachment_id: int | None) -> None:
    if attachment_id is None:
        return
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.case_id != case.id:
        raise ServiceError("Tệp văn bản cử người đại diện không thuộc hồ sơ này.", field="appointment_attachment_id")
    attachment.purpose = "appointment"


def _has_appointment_file(session: Session, case: Case) -> bool:
    session.flush()
    return bool(session.scalar(select(exists().where(Attachment.case_id == case.id,
                                                     Attachment.purpose == "appointment"))))


def _replace(session: Session, case: Case, reps: list[PartyInput]) -> None:
    for cp in [cp for cp in case.parties if cp.role == "representative"]:
        case.parties.remove(cp)  # the link goes with the list (delete-orphan); the party row with it
        session.delete(cp.party)
    for p in reps:
        case.parties.append(CaseParty(party=new_party(p, hidden=is_hidden(case, "representative")),
                                      role="representative"))


def _summary(case: Case) -> dict:
    return {"people_count": case.people_count,
            "representatives": sum(1 for cp in case.parties if cp.role == "representative"),
            "appointment_reference": case.appointment_reference,
            "appointment_date": case.appointment_date.isoformat() if case.appointment_date else None}
