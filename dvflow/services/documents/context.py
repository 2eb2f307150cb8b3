"""What every document template receives: the names below and nothing else (the contract with the templates,
docs in README "Văn bản"). `check_template` refuses a template that uses any other top-level name."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...labels import CHANNEL_LABELS, IDENTITY_TYPE_LABELS, PARTY_ROLE_LABELS
from ...models import Case, CaseEvent, Unit

#: the top-level names a template may use
CONTEXT_NAMES = frozenset({"unit", "doc", "case", "requester", "parties", "respondents", "fields", "signer",
                           "recipients", "today"})
#: the attributes of each name that is a mapping (informational: templates are checked on their top-level names)
CONTEXT_ATTRIBUTES = {
    "unit": ("name", "parent_name", "address", "phone", "place"),
    "doc": ("type", "label", "form", "number", "symbol", "number_symbol", "date", "date_long", "year", "draft"),
    "case": ("tracking_code", "kind", "kind_label", "subject", "content", "received_on", "channel_label",
             "state_label", "related_code", "people_count", "record"),
    "requester": ("name", "address", "identity_number", "identity_label", "phone", "email"),
    "signer": ("title", "name"),
}
REQUESTER_ROLES = ("complainant", "denouncer", "petitioner")
RESPONDENT_ROLES = ("respondent", "accused")
#: what a document sent out prints in place of a confidential denouncer (Luật Tố cáo 2018, Điều 47(1)(b))
WITHHELD = "(được giữ bí mật)"


def dmy(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def date_long(value: date) -> str:
    """NĐ 30/2020, Phụ lục I: "ngày 05 tháng 12 năm 2026" (day and month below 10 with a leading zero)."""
    return f"ngày {value.day:02d} tháng {value.month:02d} năm {value.year}"


@dataclass(frozen=True)
class DocInfo:
    type: str
    label: str
    form: str
    date: date
    number: int | None = None
    symbol: str = ""
    draft: bool = True

    @property
    def number_symbol(self) -> str:
        # a draft has no number yet: the blank is left for the number the issue gives it
        return f"{self.number}/{self.symbol}" if self.number is not None else f"     /{self.symbol}"


def _party(cp, case: Case) -> dict[str, str]:
    # imported here: the cases package imports this module (through actions and documents.flow)
    from ..cases.confidentiality import is_hidden

    p, hidden = cp.party, is_hidden(case, cp.role)
    return {"role": cp.role, "role_label": PARTY_ROLE_LABELS.get(cp.role, cp.role),
            "name": WITHHELD if hidden else p.name, "address": "" if hidden else (p.address or ""),
            "identity_number": "" if hidden else (p.identity_number or "")}


def _requester(case: Case) -> dict[str, str]:
    from ..cases.confidentiality import is_hidden  # here: see _party

    for cp in case.parties:
        if cp.role in REQUESTER_ROLES:
            p = cp.party
            if is_hidden(case, cp.role):  # a confidential letter's sender too, whatever role the desk gave
                return {"name": WITHHELD, "address": "", "identity_number": "", "identity_label": "", "phone": "",
                        "email": ""}
            return {"name": p.name, "address": p.address or "", "identity_number": p.identity_number or "",
                    "identity_label": IDENTITY_TYPE_LABELS.get(p.identity_type or "", p.identity_type_name or ""),
                    "phone": p.phone or "", "email": p.email or ""}
    return {"name": "", "address": "", "identity_number": "", "identity_label": "", "phone": "", "email": ""}


def format_fields(values: Mapping[str, Any], field_defs: Sequence = ()) -> dict[str, Any]:
    """The action's fields for a template: dates as dd/mm/yyyy, and `<field>_label` beside each choice."""
    choices = {f.name: dict(f.choices) for f in field_defs if getattr(f, "choices", ())}
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, date):
            value = dmy(value)
        elif isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                value = dmy(date.fromisoformat(value))
            except ValueError:
                pass
        out[name] = "" if value is None else value
        if name in choices:
            out[f"{name}_label"] = choices[name].get(values[name], "") if values[name] else ""
    for name in choices:  # a choice left empty still has its label name
        out.setdefault(f"{name}_label", "")
    return out


def build_context(case: Case, unit: Unit, doc: DocInfo, *, kind_label: str, state_label: str,
                  fields: Mapping[str, Any], field_defs: Sequence = (), signer_name: str = "",
                  signer_title: str = "", recipients: Sequence[str] = (), today: date | None = None,
                  related_code: str = "") -> dict[str, Any]:
    """The context of one document of `case` issued by `unit` (see CONTEXT_NAMES)."""
    from ...timeutil import local_date

    parent = unit.parent
    place = _place(unit)
    parties = [_party(cp, case) for cp in case.parties]
    return {
        "unit": {"name": unit.name, "parent_name": parent.name if parent else "", "address": unit.address or "",
                 "phone": unit.phone or "", "place": place},
        "doc": {"type": doc.type, "label": doc.label, "form": doc.form, "number": doc.number or "",
                "symbol": doc.symbol, "number_symbol": doc.number_symbol, "date": dmy(doc.date),
                "date_long": date_long(doc.date), "year": doc.date.year, "draft": doc.draft},
        "case": {"tracking_code": case.tracking_code, "kind": case.kind, "kind_label": kind_label,
                 "subject": case.subject, "content": case.content or "",
                 "received_on": dmy(local_date(case.received_at)),
                 "channel_label": CHANNEL_LABELS.get(case.channel, case.channel), "state_label": state_label,
                 "related_code": related_code, "people_count": case.people_count or ""},
        "requester": _requester(case),
        "parties": parties,
        "respondents": [p for p in parties if p["role"] in RESPONDENT_ROLES],
        "fields": format_fields(fields, field_defs),
        "signer": {"title": signer_title, "name": signer_name},
        "recipients": list(recipients),
        "today": dmy(today or doc.date),
    }


def _place(unit: Unit) -> str:
    """The locality printed before the date (NĐ 30/2020, Phụ lục I): the last part of the unit's address (its
    commune or province), else the unit's name without its kind of body."""
    if unit.address:
        return unit.address.split(",")[-1].strip()
    return unit.name


def record(session: Session, case: Case, defn) -> dict[str, dict[str, Any]]:
    """`case.record`: what each earlier action of the case recorded the last time it was taken, by trigger, formatted
    as `fields` is (format_fields), e.g. `case.record.verification_report.summary`. A decision restates what earlier
    steps found: the verification result, the dialogue's result (Luật Khiếu nại 2011, Điều 31 khoản 2, Điều 40 khoản
    2, Điều 54 khoản 1, Điều 56 khoản 1; Luật Tố cáo 2018, Điều 35 khoản 2), and a notice cites the decision it
    follows (Nghị định 31/2019/NĐ-CP, Điều 9). Which action a template reads is the template's (data) choice; here
    only the workflow's own actions (`defn`'s triggers) count, and a field marked `personal` is left out."""
    rows = session.execute(select(CaseEvent.action, CaseEvent.payload).where(CaseEvent.case_id == case.id)
                           .order_by(CaseEvent.id))
    out: dict[str, dict[str, Any]] = {}
    for action, payload in rows:
        defs = {f.name: f for t in defn.transitions_for(action) for f in t.fields}
        if defs:
            given = ((payload or {}).get("fields") or {}).items()
            out[action] = format_fields({k: v for k, v in given if k in defs and not defs[k].personal},
                                        list(defs.values()))
    return out
