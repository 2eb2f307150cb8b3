"""The "Nơi nhận" of a case's document (NĐ 30/2020/NĐ-CP, Phụ lục I): who receives it, from the manifest's
`sent_to` of its type, with the recipients the law names for some of them. The templates print these lines, then
"- Lưu: VT, hồ sơ." (the unit's own file copy ends every list).

A party is named ("Ông/Bà …", an organisation by its name); a hidden denouncer only in their own copy, elsewhere by
the role alone ("Người tố cáo"), so a copy for the accused tells that the denouncer is informed, never who they are
(Luật Tố cáo 2018, Điều 47 khoản 1 điểm b)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from ...labels import PARTY_ROLE_LABELS
from ...models import Case, Unit
from ..cases.confidentiality import is_hidden
from ..org import titles
from . import context

if TYPE_CHECKING:  # an annotation only: templates imports the org services, which import back through cases
    from .templates import DocumentType

#: the parties' roles of `sent_to`: the case's parties of that role receive it
PARTY_ROLES = ("complainant", "denouncer", "petitioner", "respondent", "accused")
#: the bodies of `sent_to` that have no party row: the line printed for each
BODIES = {
    "related_party": "Người có quyền, nghĩa vụ liên quan (nếu có)",
    "accused_managing_body": "Cơ quan, tổ chức quản lý người bị tố cáo",
    "fatherland_front": "Ủy ban Mặt trận Tổ quốc Việt Nam cùng cấp",
}
FORWARDING_BODY = "Cơ quan, tổ chức, cá nhân đã chuyển đơn đến"
FIRST_RESOLVER = "Người giải quyết khiếu nại lần đầu"
#: the inspectorate at the unit's level: the province's for the province and its departments; a commune has none
#: of its own since the 2025 reorganisation, so the line names the body the law means without naming one
INSPECTORATE = {"province": "Thanh tra tỉnh", "department": "Thanh tra tỉnh"}
INSPECTORATE_OTHER = "Cơ quan thanh tra nhà nước cùng cấp"
#: administrative complaints (not a disciplinary decision's, TT 07/2013/TT-TTCP Điều 5 khoản 2: that notice goes to
#: the complainant alone)
ADMINISTRATIVE = frozenset({"complaint_first", "complaint_second"})


def of_case(case: Case, dtype: DocumentType, fields: Mapping[str, Any], own_copy: bool) -> list[str]:
    """The recipients of one document of `case`, in the order of `sent_to`, then the law's, without repeats."""
    lines: list[str] = []
    for role in dtype.sent_to:
        lines += _role(case, role, fields, own_copy)
    lines += _by_law(case, dtype.type, fields)
    return list(dict.fromkeys(line for line in lines if line))


def _role(case: Case, role: str, fields: Mapping[str, Any], own_copy: bool) -> list[str]:
    if role in PARTY_ROLES:
        asked = context.requester_party(case) if own_copy else None
        return [_party(cp, case, asked) for cp in case.parties if cp.role == role]
    if role == "forwarding_body":
        return [FORWARDING_BODY] if _forwarded(case, fields) else []
    if role == "competent_body":
        return [str(fields.get("to_body") or "")]
    return [BODIES.get(role, "")]


def _party(cp, case: Case, asked) -> str:
    if is_hidden(case, cp.role) and (asked is None or asked.party_id != cp.party_id):
        return PARTY_ROLE_LABELS.get(cp.role, cp.role)
    return cp.party.name if cp.party.kind == "organisation" else f"Ông/Bà {cp.party.name}"


def _forwarded(case: Case, fields: Mapping[str, Any]) -> bool:
    """Whether a competent body forwarded the complaint (the acceptance's `forwarded_by_body`, kept as a fact)."""
    return bool(fields.get("forwarded_by_body") or (case.facts or {}).get("forwarded_by_body"))


def _by_law(case: Case, type_: str, fields: Mapping[str, Any]) -> list[str]:
    """The recipients the Luật Khiếu nại 2011 names besides the manifest's, for an administrative complaint."""
    if case.kind not in ADMINISTRATIVE:
        return []
    unit = case.unit
    if type_ == "notice_of_acceptance":
        # Điều 27 (first instance), Điều 36 khoản 1 (second): the complainant, the body that forwarded the
        # complaint, the inspectorate at the same level
        return [*([FORWARDING_BODY] if _forwarded(case, fields) else []), _inspectorate(unit)]
    if type_ == "complaint_decision_first":
        # Điều 32: the complainant, the resolver's direct superior, the interested parties, the forwarding body,
        # the inspectorate at the same level
        return [*_superior(unit), *([FORWARDING_BODY] if _forwarded(case, fields) else []), _inspectorate(unit)]
    if type_ == "complaint_decision_second":
        # Điều 41 khoản 1: the complainant, the respondent, the first-instance resolver, the interested parties, the
        # forwarding body
        return [_first_resolver(case), *([FORWARDING_BODY] if _forwarded(case, fields) else [])]
    return []


def _inspectorate(unit: Unit) -> str:
    return INSPECTORATE.get(unit.level, INSPECTORATE_OTHER)


def _superior(unit: Unit) -> list[str]:
    """The head of the unit above ("Chủ tịch UBND tỉnh"): Điều 32's "thủ trưởng cấp trên trực tiếp"."""
    parent = unit.parent
    return [_head_of(parent)] if parent is not None else []


def _first_resolver(case: Case) -> str:
    """The head of the unit that resolved the first complaint (the related case), else the role alone."""
    first = case.related_case
    return _head_of(first.unit) if first is not None and first.unit is not None else FIRST_RESOLVER


def _head_of(unit: Unit) -> str:
    return titles.with_unit(titles.head_title(unit), unit.name)
