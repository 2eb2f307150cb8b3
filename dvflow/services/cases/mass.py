"""Mass cases (vụ việc đông người, five people or more with the same content): the number of people, the list of
signers, the representatives and their written appointment, as intake records them.

The acceptance guard `mass_representatives_valid` (dvflow/engine/workflow/guards.py) reads the facts kept here, so
the rule of Luật Tiếp công dân 2013, Điều 29 and Nghị định 124/2020/NĐ-CP, Điều 6 khoản 2 (1–2 representatives for
5–10 people, at most 5 above ten, appointed in writing) is declared in the workflows, not switched on in Python.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...engine.workflow.guards_intake import MASS_PEOPLE, representatives_allowed
from ...models import Case
from ..errors import ServiceError
from .intake_checks import SIGNER, check_party

PEOPLE_ROLES = ("complainant", "denouncer", "petitioner")  # the people a case is brought by
MAX_PEOPLE = 100_000
MAX_SIGNERS = 500
REFERENCE_MAX = Case.__table__.c.appointment_reference.type.length


@dataclass
class SignerInput:
    """One person who signed the letter (beside the parties listed one by one)."""

    name: str
    identity_number: str | None = None
    identity_type: str | None = None


def signer_role(defn) -> str | None:
    """The role a signer takes in a case of this kind: the role the kind requires, else its first people role."""
    for role in (*defn.requires_party, *defn.party_roles):
        if role in PEOPLE_ROLES:
            return role
    return None


def signer_parties(defn, signers, party_input) -> list:
    """The signers as parties of the kind's people role (`party_input` builds one: intake's PartyInput), checked as
    any party is; a field names the signer (`signers[i].name`)."""
    if not signers:
        return []
    role = signer_role(defn)
    if role is None:
        raise ServiceError("Loại hồ sơ này không ghi danh sách người ký đơn.", field="signers")
    if len(signers) > MAX_SIGNERS:
        raise ServiceError("Danh sách người ký đơn quá dài (tối đa %(max)s người).", field="signers", max=MAX_SIGNERS)
    parties = [party_input(role=role, name=s.name, identity_number=s.identity_number, identity_type=s.identity_type)
               for s in signers]
    for i, p in enumerate(parties):
        check_party(i, p, defn, where=f"signers[{i}]", party=SIGNER)
    return parties


def count_people(parties) -> int:
    return sum(1 for p in parties if p.role in PEOPLE_ROLES)


def count_representatives(parties) -> int:
    return sum(1 for p in parties if p.role == "representative")


def check_people_count(people_count: int | None, listed: int) -> None:
    """The number of people told is a whole number, at least the number of people listed by name."""
    if people_count is None:
        return
    if not 0 < people_count <= MAX_PEOPLE:
        raise ServiceError("Số người cùng nội dung phải từ 1 đến %(max)s.", field="people_count", max=MAX_PEOPLE)
    if people_count < listed:
        raise ServiceError("Số người cùng nội dung (%(n)s) ít hơn số người đã ghi tên (%(listed)s).",
                           field="people_count", n=people_count, listed=listed)


def check_appointment(reference: str | None, on: date | None, today: date) -> None:
    reference = (reference or "").strip()
    if len(reference) > REFERENCE_MAX:
        raise ServiceError("Số, ký hiệu văn bản cử người đại diện quá dài (tối đa %(max)s ký tự).",
                           field="appointment_reference", max=REFERENCE_MAX)
    if any(not ch.isprintable() for ch in reference):
        raise ServiceError("Số, ký hiệu văn bản cử người đại diện chứa ký tự không hợp lệ.",
                           field="appointment_reference")
    if on is not None and not date(2000, 1, 1) <= on <= today:
        raise ServiceError("Ngày văn bản cử người đại diện không hợp lệ (không được sau hôm nay).",
                           field="appointment_date")


def check_representatives_count(people: int, representatives: int) -> None:
    """No more representatives than the law allows for this many people (Luật Tiếp công dân 2013, Điều 29)."""
    most = representatives_allowed(people)
    if people >= MASS_PEOPLE and representatives > most:
        raise ServiceError("Vụ việc %(people)s người chỉ được cử tối đa %(most)s người đại diện (Luật Tiếp công dân "
                           "2013, Điều 29; Nghị định 124/2020/NĐ-CP, Điều 6 khoản 2).", field="representatives",
                           people=people, most=most)


def is_mass(flag: bool, people: int) -> bool:
    return flag or people >= MASS_PEOPLE


def facts(people: int, representatives: int, reference: str | None, on: date | None, attached: bool = False) -> dict:
    """The facts the acceptance guard reads: the appointment is recorded by its reference, its date or its file."""
    return {"people_count": people, "representatives_count": representatives,
            "appointment_recorded": bool((reference or "").strip() or on or attached)}
