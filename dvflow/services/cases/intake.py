"""Registering a case: one transaction that creates the case, its parties, its first clocks and history."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from ... import org_tree
from ...engine.workflow.registration import register
from ...models import Case, CaseParty, Party, User
from ...models.case import INTAKE_CHANNELS
from ...timeutil import local_date
from ..errors import Forbidden, ServiceError
from ..org import access, lifetime
from . import intake_duplicates, mass, party_search
from .actions import apply_outcome, case_view
from .confidentiality import is_hidden
from .intake_checks import check_case_text, check_parties
from .mass import SignerInput
from .search import search_key
from .tracking import issue_secret, next_tracking_code

INTAKE_ROLES = {"reception", "handler", "head"}


@dataclass
class PartyInput:
    role: str
    name: str
    kind: str = "person"
    identity_number: str | None = None
    #: cccd, passport, tax_code, business_registration or other (models.party.IDENTITY_TYPES); None: not told
    identity_type: str | None = None
    #: the name of the document when identity_type is "other"
    identity_type_name: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass
class IntakeInput:
    kind: str
    unit_id: int
    channel: str
    received_at: datetime
    subject: str
    content: str = ""
    parties: list[PartyInput] = field(default_factory=list)
    complex: bool = False
    especially_complex: bool = False
    mass: bool = False
    confidential: bool = False
    #: the complainant lives in a remote or hard-to-reach area (Luật Khiếu nại 2011, Điều 28, 33, 37, 44)
    remote_area: bool = False
    related_case_id: int | None = None
    duplicate_of_id: int | None = None
    assignee_id: int | None = None
    #: a mass case: the number of people with the same content (None: the people listed), the signers beside the
    #: parties, and the written appointment of the representatives (parties of role representative)
    people_count: int | None = None
    signers: list[SignerInput] = field(default_factory=list)
    appointment_reference: str | None = None
    appointment_date: date | None = None
    #: the officer saw the likely duplicates and registers the case all the same
    confirm_duplicate: bool = False


def register_case(session: Session, workflows, actor: User, data: IntakeInput, now: datetime, *,
                  check_duplicates: bool = False) -> Case:
    """Register a case received by the actor's unit. Raises ServiceError (nothing written) on bad input; with
    `check_duplicates`, raises LikelyDuplicate listing the open cases it may repeat unless the input confirms it."""
    defn = workflows.latest(data.kind)
    if not defn.intake:
        raise ServiceError("«%(kind)s» không tiếp nhận tại bộ phận tiếp dân: hồ sơ này do hệ thống mở.",
                           field="kind", kind=defn.label)
    unit_id = _check(session, actor, data, defn, now)
    parties = data.parties + mass.signer_parties(defn, data.signers, PartyInput)
    _check_mass(data, parties, now)
    if check_duplicates and not data.confirm_duplicate:
        intake_duplicates.refuse_likely(session, actor, unit_id, data.subject, parties)
    case = _new_case(session, workflows, defn, unit_id, data, parties, now)
    _add_parties(session, case, parties)
    # the engine says what registration does (state, first clocks from the receipt date, who is told); it is
    # applied by the same code as any action
    outcome = register(defn, case_view(session, case, []), {"channel": data.channel, "parties": len(parties),
                                                            "people": case.people_count},
                       assigned=case.assignee_id is not None)
    apply_outcome(session, workflows, case, outcome, access.actor_for(session, actor, case), now, running={},
                  new_case=True)
    return case


def _check(session: Session, actor: User, data: IntakeInput, defn, now: datetime) -> int:
    """The checked unit's id (the unit tree is cached per process: no statement of its own)."""
    if data.unit_id not in org_tree.unit_tree(session):
        raise ServiceError("Đơn vị không tồn tại.", field="unit_id")
    roles = {m.role for m in access.memberships(session, actor) if m.unit_id == data.unit_id}
    if not roles & INTAKE_ROLES:
        raise Forbidden("Bạn không có quyền tiếp nhận hồ sơ cho đơn vị này.")
    if data.channel not in INTAKE_CHANNELS:
        raise ServiceError("Hình thức tiếp nhận không hợp lệ.", field="channel")
    if not data.subject or not data.subject.strip():
        raise ServiceError("Nhập tóm tắt nội dung (trích yếu).", field="subject")
    check_case_text(data)
    if data.received_at.tzinfo is None:
        raise ServiceError("Ngày tiếp nhận phải kèm múi giờ.", field="received_at")
    if data.received_at > now:
        raise ServiceError("Ngày tiếp nhận không được sau thời điểm hiện tại.", field="received_at")
    if data.received_at.year < 2000:
        raise ServiceError("Ngày tiếp nhận không hợp lệ.", field="received_at")
    # a unit dissolved in the 2025 mergers receives nothing more (its successor does), and a unit made by them
    # receives nothing dated before it existed, unless a unit it took over from did (a letter it inherited)
    lifetime.refuse_dissolved(session, data.unit_id, "unit_id")
    lifetime.refuse_before(session, data.unit_id, local_date(data.received_at), "received_at")
    for ref, name in ((data.related_case_id, "related_case_id"), (data.duplicate_of_id, "duplicate_of_id")):
        # a case the officer may not see answers exactly as a missing one: the answer must not tell that it exists
        other = session.get(Case, ref) if ref is not None else None
        if ref is not None and (other is None or not access.can_see(session, actor, other)):
            raise ServiceError("Hồ sơ liên quan không tồn tại.", field=name)
    if data.assignee_id is not None and session.get(User, data.assignee_id) is None:
        raise ServiceError("Người được giao không tồn tại.", field="assignee_id")
    check_parties(data.parties, defn)
    return data.unit_id


def _check_mass(data: IntakeInput, parties: list[PartyInput], now: datetime) -> None:
    mass.check_people_count(data.people_count, mass.count_people(parties))
    mass.check_appointment(data.appointment_reference, data.appointment_date, local_date(now))


def _new_case(session: Session, workflows, defn, unit_id: int, data: IntakeInput, parties: list[PartyInput],
              now: datetime) -> Case:
    workflows.ensure_stored(session, defn, now)
    year = local_date(data.received_at).year
    people = data.people_count or mass.count_people(parties)
    is_mass = mass.is_mass(data.mass, people)
    facts = {"party_roles": sorted({p.role for p in parties})}  # kept by intake and by the representatives update
    if is_mass:
        facts.update(mass.facts(people, mass.count_representatives(parties), data.appointment_reference,
                                data.appointment_date))
    case = Case(
        tracking_code=next_tracking_code(session, defn.tracking_prefix, year),
        kind=defn.id, workflow_id=defn.id, workflow_version=defn.version, state=defn.initial,
        status=defn.states[defn.initial].status, unit_id=unit_id, assignee_id=data.assignee_id,
        complex=data.complex, especially_complex=data.especially_complex, remote_area=data.remote_area,
        mass=is_mass, people_count=people, appointment_reference=_stripped(data.appointment_reference),
        appointment_date=data.appointment_date, confidential=_confidential(data, defn, facts),
        channel=data.channel, received_at=data.received_at, subject=data.subject.strip(),
        subject_search=_search_key(data.subject, Case.subject_search), content=data.content or "",
        related_case_id=data.related_case_id, duplicate_of_id=data.duplicate_of_id, created_at=now, closed_at=None,
        last_legal_date=local_date(data.received_at), facts=facts)
    issue_secret(case)  # the plain secret stays on this object for the receipt; only its hash is stored
    session.add(case)
    session.flush()
    return case


def _confidential(data: IntakeInput, defn, facts: dict) -> bool:
    # known before the parties are written (a letter naming a denouncer is confidential from its registration), so
    # that their search names are left empty from the start, not written and then cleared
    return data.confidential or defn.confidential or "confidential" in defn.confidential_flags(facts)


def _add_parties(session: Session, case: Case, parties: list[PartyInput]) -> None:
    # the parties were checked in _check, before the case row was flushed
    for p in parties:
        session.add(CaseParty(case_id=case.id, party=new_party(p, hidden=is_hidden(case, p.role)),
                              role=p.role))  # written with the next flush


def new_party(p: PartyInput, *, hidden: bool) -> Party:
    """A party row from checked input; the document type is kept only with a number. A `hidden` party (a denouncer
    of a confidential case) gets no search name (party_search)."""
    identity = _stripped(p.identity_number)
    return Party(kind=p.kind, name=p.name.strip(), name_search=party_search.search_name(p.name, hidden),
                 identity_number=identity, identity_type=p.identity_type if identity else None,
                 identity_type_name=_stripped(p.identity_type_name) if identity and p.identity_type == "other" else None,
                 address=_stripped(p.address), phone=_stripped(p.phone), email=_stripped(p.email))


def _search_key(text: str, column) -> str:
    # transliteration may lengthen a text that fits its column (a CJK character becomes a word): cut the key to fit
    return search_key(text)[:column.property.columns[0].type.length]


def _stripped(value: str | None) -> str | None:
    # the length checks count the stripped value, so that is what is stored
    return (value or "").strip() or None
