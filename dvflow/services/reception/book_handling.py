"""Columns (9)–(11) of the reception book (Mẫu số 03/TCD, Nghị định 154/2026/NĐ-CP): within the unit's competence,
"hướng dẫn công dân đến cơ quan … nào, số văn bản hướng dẫn" and "tên cơ quan … có thẩm quyền thụ lý giải quyết, số
văn bản chuyển đơn". What a visit records at the desk (the body guided to and the guidance letter's number) is
completed by what happened to the letter afterwards: forwarded to another body with a forwarding slip, or guided by
a guidance letter. A case the unit accepted itself names the unit in (11) and is no transfer.

One rule for the book's page, its XLSX and the walk-in cases registered at the intake form."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Case, CaseEvent, Document

#: the actions that send a letter to another body with a forwarding slip (its number in `forward_number`)
FORWARD_ACTIONS = ("forward", "forward_denunciation")
#: the action that guides the sender with a guidance letter (its number is the issued document's)
GUIDE_ACTION = "guide"


@dataclass(frozen=True)
class Handling:
    """How a case was handled after it was received: forwarded (to whom, the slip's number) or guided (the guidance
    letter's number), following a letter into the case it was handed into."""
    forwarded_to: str | None = None
    transfer_number: str | None = None
    guidance_number: str | None = None

    @property
    def forwarded(self) -> bool:
        return self.forwarded_to is not None

    @property
    def transfer(self) -> str:
        """Column (11) of a transferred matter: the body and the forwarding slip's number."""
        return _joined(self.forwarded_to, self.transfer_number)


def handling(session: Session, case_ids: set[int]) -> dict[int, Handling]:
    """For each case, its handling, or that of the case its letter was handed into (three queries in all)."""
    ids = set(case_ids) - {None}
    if not ids:
        return {}
    target = dict(session.execute(select(Case.id, Case.handed_off_to_id).where(Case.id.in_(sorted(ids)))).all())
    every = sorted(ids | {t for t in target.values() if t is not None})
    forwarded: dict[int, tuple[str, str | None]] = {}
    for case_id, payload in session.execute(
            select(CaseEvent.case_id, CaseEvent.payload)
            .where(CaseEvent.case_id.in_(every), CaseEvent.action.in_(FORWARD_ACTIONS)).order_by(CaseEvent.id)):
        fields = (payload or {}).get("fields") or {}
        forwarded[case_id] = (str(fields.get("to_body") or ""), fields.get("forward_number"))  # the latest
    guided = dict(session.execute(
        select(Document.case_id, Document.number_symbol)
        .where(Document.case_id.in_(every), Document.action == GUIDE_ACTION, Document.status == "issued")
        .order_by(Document.id)).all())
    out = {}
    for case_id in ids:
        chain = [c for c in (target.get(case_id), case_id) if c is not None]  # the case handed into first
        sent = next((forwarded[c] for c in chain if c in forwarded), None)
        out[case_id] = Handling(forwarded_to=sent[0] if sent else None, transfer_number=sent[1] if sent else None,
                                guidance_number=next((guided[c] for c in chain if c in guided), None))
    return out


@dataclass(frozen=True)
class Columns:
    """The texts of columns (9)–(11) of one entry of the book."""
    competent: bool
    guided: str
    accepted: str
    #: (11) names another body: the matter was transferred, not accepted by the unit
    transferred: bool


def visit_columns(outcome: str, within_competence: bool, guided_to: str | None, guidance_number: str | None,
                  accepting_unit: str | None, h: Handling) -> Columns:
    """(9)–(11) of a visit: the body guided to at the desk and the letter's number, or the guidance letter of the
    letter received; the body the matter was transferred to, else the unit that accepted the letter itself."""
    guided = _joined(guided_to, guidance_number) if outcome == "guided" else (h.guidance_number or "")
    accepted = h.transfer if h.forwarded else ("" if h.guidance_number else accepting_unit or "")
    return Columns(competent=within_competence and not h.forwarded and not h.guidance_number, guided=guided,
                   accepted=accepted, transferred=h.forwarded)


#: the states of a case whose sender was guided to the competent body
GUIDED_STATES = ("guided", "instructed")


def walk_in_columns(state: str, unit_name: str, h: Handling) -> Columns:
    """(9)–(11) of a case registered at the intake form: "x" stands for a guidance or a transfer whose details were
    not recorded (the state says it happened, no letter does)."""
    guided = state in GUIDED_STATES or h.guidance_number is not None
    transferred = h.forwarded or "forward" in state
    return Columns(competent=not (guided or transferred), guided=h.guidance_number or ("x" if guided else ""),
                   accepted=(h.transfer or "x") if transferred else ("" if guided else unit_name),
                   transferred=transferred)


def _joined(*parts: str | None) -> str:
    return ", ".join(p for p in parts if p)
