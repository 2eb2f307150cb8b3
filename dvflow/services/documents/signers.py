"""Who may issue a document and the signer's block it prints (title, name, and the authority line a decision prints
above "QUYẾT ĐỊNH:"), Nghị định 30/2020/NĐ-CP, Điều 13 and Phụ lục I: a document names who signed it, under the
title that person holds.

- What the law gives to the head (thủ trưởng, người đứng đầu, người giải quyết) is issued by a head of the issuing
  unit or of a unit above it (access.actor_for lets a head above act in the unit's cases); an officer may prepare a
  draft (the drafting steps of the workflows) but never issue it in the head's name: `require_issuer` refuses.
- What the law gives to the officer (a guidance letter, the receipt of a letter) is signed by that officer, with
  their own title.
- A head prints the title of the unit they head (units.head_title, else the level's: org/titles.py): the provincial
  inspectorate's head is "CHÁNH THANH TRA", though the inspectorate is of level "department" like a Sở.
- A head of a unit above prints their own title and their own unit's name ("CHỦ TỊCH UBND TỈNH"), never the
  title of their unit next to the name of the unit whose case it is ("CHỦ TỊCH SỞ …"): neither "KT." (a deputy
  signing for the head of the same body) nor "TM." (for a collective body) fits a head of another unit."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import org_tree
from ...engine.message import Label
from ...models import Membership, Unit, User
from ..errors import Forbidden
from ..org import access, titles

#: an officer's own title by their role in the unit (a person who receives or handles letters is no head)
OFFICER_TITLES = {"reception": "Cán bộ tiếp công dân", "handler": "Chuyên viên xử lý đơn"}
OFFICER_TITLE = "Cán bộ tiếp nhận đơn"

#: documents the law gives to the officer, not to the head: issued and signed by the officer who does the act
OFFICER_ISSUES = {
    # Thông tư 07/2014/TT-TTCP, Điều 8 khoản 1: "người xử lý đơn hướng dẫn người khiếu nại gửi đơn đến cơ quan …
    # có thẩm quyền" (Mẫu số 03-XLĐ); Nghị định 154/2026/NĐ-CP, Điều 15 khoản 2: "người tiếp công dân hướng dẫn"
    "guidance_letter",
    # Nghị định 154/2026/NĐ-CP, Điều 15 khoản 4, Mẫu số 02/TCD: "Tôi là … Chức vụ: … đã nhận", signed by the
    # officer who received the letter
    "receipt",
}
#: minutes are signed by who chaired the meeting (the action's `chair`), whoever recorded them; a head who records
#: them is taken as the chair (NĐ 155/2026, Điều 28 khoản 2: the resolver holds the dialogue), anyone else leaves
#: the chair's name blank rather than print a head who may not have been there
MINUTES = frozenset({"dialogue_minutes", "conference_minutes"})
#: the basis of each document the head alone issues, named when an officer tries to
HEAD_BASIS = {
    "dialogue_notice": "Nghị định 155/2026/NĐ-CP, Điều 28 khoản 1: người giải quyết khiếu nại gửi thông báo",
    "forwarding_slip": ("Thông tư 05/2021/TT-TTCP, Điều 14 khoản 1: người xử lý đơn đề xuất, người đứng đầu chuyển "
                        "đơn; Nghị định 154/2026/NĐ-CP, Điều 26 khoản 3"),
    "reception_refusal_notice": ("Nghị định 154/2026/NĐ-CP, Điều 4 khoản 3: người đứng đầu cơ quan, đơn vị tiếp "
                                 "công dân ban hành"),
    "reception_conclusion_notice": ("Nghị định 154/2026/NĐ-CP, Điều 25 khoản 2 và Điều 26 khoản 3: văn bản của "
                                    "người đứng đầu; người giúp việc chuẩn bị dự thảo"),
}
HEAD_BASIS_DEFAULT = "Luật Khiếu nại 2011, Luật Tố cáo 2018: văn bản của người có thẩm quyền giải quyết"


def block(title: str, name: str, authority: str = "") -> dict[str, str]:
    return {"title": title, "name": name, "authority": authority or title}


def headed_unit(session: Session, unit_id: int, user: User) -> Unit | None:
    """The nearest of `unit_id` and the units above it that `user` heads."""
    heads = {m.unit_id for m in access.memberships(session, user) if m.role == "head"}
    chain = [unit_id, *org_tree.ancestors(org_tree.unit_tree(session), unit_id)]
    return next((session.get(Unit, uid) for uid in chain if uid in heads), None)


def head_block(unit: Unit, headed: Unit, name: str) -> dict[str, str]:
    """The block of a head of `headed` signing a document of `unit`: their title alone under the heading of their
    own unit, with their unit's name under another's."""
    title = titles.head_title(headed)  # the unit's own ("Chánh Thanh tra"), else its level's ("Giám đốc")
    own = titles.with_unit(title, headed.name).upper()
    # upper case as NĐ 30/2020, Phụ lục I prints it, so an uploaded template without `|upper` prints it right too
    return block(title.upper(), name, own) if headed.id == unit.id else block(own, name, own)


def issuer_block(session: Session, unit: Unit, user: User) -> dict[str, str] | None:
    """The block of `user` issuing a document of `unit` as its head (of the unit or of one above), else None."""
    headed = headed_unit(session, unit.id, user)
    return head_block(unit, headed, user.full_name) if headed is not None else None


def unit_head_block(session: Session, unit: Unit) -> dict[str, str]:
    """The block of the unit's first active head: the signer a draft is prepared for."""
    head = session.scalar(select(User).join(Membership).where(Membership.unit_id == unit.id,
                                                              Membership.role == "head", User.active)
                          .order_by(User.id).limit(1))
    return head_block(unit, unit, head.full_name if head is not None else "")


def officer_block(session: Session, unit: Unit, user: User | None) -> dict[str, str]:
    """The block of an officer signing what the law gives to them: a head's block for a head, else their own title
    by their role in the unit (blank name when the officer is unknown: signed by hand)."""
    if user is None:
        return block(OFFICER_TITLE, "")
    as_head = issuer_block(session, unit, user)
    if as_head is not None:
        return as_head
    roles = {m.role for m in access.memberships(session, user) if m.unit_id == unit.id}
    title = next((t for role, t in OFFICER_TITLES.items() if role in roles), OFFICER_TITLE)
    return block(title, user.full_name or user.username)


def require_issuer(session: Session, unit: Unit, user: User, type_: str, label: Label | str) -> None:
    """Refuses an issuer who is no head of `unit` (or of a unit above) for a document the law gives to the head; the
    refusal names the document by `label` (DocumentType.as_label: in English on an English page)."""
    if type_ in OFFICER_ISSUES or type_ in MINUTES or headed_unit(session, unit.id, user) is not None:
        return
    raise Forbidden("«%(document)s» do thủ trưởng đơn vị (hoặc thủ trưởng cấp trên) ban hành (%(basis)s); người "
                    "không phải thủ trưởng chỉ chuẩn bị dự thảo, trình thủ trưởng ban hành.", document=label,
                    basis=HEAD_BASIS.get(type_, HEAD_BASIS_DEFAULT))


def for_issue(session: Session, unit: Unit, user: User, type_: str, label: Label | str) -> dict[str, str]:
    """The signer's block of a document `user` issues now (after `require_issuer`): the head who issues it, the
    officer for what the law gives to the officer, the chair or a blank for minutes recorded by an officer."""
    require_issuer(session, unit, user, type_, label)
    as_head = issuer_block(session, unit, user)
    if as_head is not None:
        return as_head
    if type_ in MINUTES:
        return block("", "")
    return officer_block(session, unit, user)
