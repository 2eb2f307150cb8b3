"""What every document template receives: the names below and nothing else (the contract with the templates,
docs in README "Văn bản"). `check_template` refuses a template that uses any other top-level name; `sample_context`
is what an uploaded template is tried with."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...labels import CHANNEL_LABELS, IDENTITY_TYPE_LABELS, PARTY_ROLE_LABELS
from ...models import Case, CaseEvent, Unit
from ..org import titles

#: the top-level names a template may use
CONTEXT_NAMES = frozenset({"unit", "doc", "case", "requester", "parties", "respondents", "fields", "signer",
                           "recipients", "today"})
#: the attributes of each name that is a mapping (informational: templates are checked on their top-level names);
#: signer.authority is the line a decision prints above "QUYẾT ĐỊNH:" (the signer's title with the unit they head)
CONTEXT_ATTRIBUTES = {
    "unit": ("name", "parent_name", "address", "phone", "place"),
    "doc": ("type", "label", "form", "number", "symbol", "number_symbol", "date", "date_long", "year", "draft"),
    "case": ("tracking_code", "kind", "kind_label", "subject", "content", "received_on", "channel_label",
             "state_label", "related_code", "people_count", "record"),
    "requester": ("name", "kind", "address", "identity_number", "identity_label", "phone", "email"),
    "signer": ("title", "name", "authority"),
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


def requester_party(case: Case):
    """The case's party who asked (the first complainant, denouncer or petitioner), or None."""
    return next((cp for cp in case.parties if cp.role in REQUESTER_ROLES), None)


def _party(cp, case: Case, named_id: int | None) -> dict[str, str]:
    # imported here: the cases package imports this module (through actions and documents.flow)
    from ..cases.confidentiality import is_hidden

    p, hidden = cp.party, is_hidden(case, cp.role) and cp.party_id != named_id
    # kind: a person is "ông (bà) …", an organisation is named alone; a withheld party is told as no one in
    # particular, so not even whether it is an organisation
    return {"role": cp.role, "role_label": PARTY_ROLE_LABELS.get(cp.role, cp.role),
            "kind": "person" if hidden else (p.kind or "person"),
            "name": WITHHELD if hidden else p.name, "address": "" if hidden else (p.address or ""),
            "identity_number": "" if hidden else (p.identity_number or "")}


#: who asked, when no one is told (no requester, or one withheld): no one in particular, so not even whether it is
#: an organisation (kind "person")
NO_REQUESTER = {"name": "", "kind": "person", "address": "", "identity_number": "", "identity_label": "", "phone": "",
                "email": ""}


def _requester(case: Case, own_copy: bool) -> dict[str, str]:
    from ..cases.confidentiality import is_hidden  # here: see _party

    cp = requester_party(case)
    if cp is None:
        return dict(NO_REQUESTER)
    p = cp.party
    # a confidential letter's sender too, whatever role the desk gave: withheld, except in their own copy
    if is_hidden(case, cp.role) and not own_copy:
        return {**NO_REQUESTER, "name": WITHHELD}
    # kind: an organisation that asks (a company complaining) is addressed by its name, a person "ông (bà) …"
    return {"name": p.name, "kind": p.kind or "person", "address": p.address or "",
            "identity_number": p.identity_number or "",
            "identity_label": IDENTITY_TYPE_LABELS.get(p.identity_type or "", p.identity_type_name or ""),
            "phone": p.phone or "", "email": p.email or ""}


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
                  signer_title: str = "", signer_authority: str = "", recipients: Sequence[str] = (),
                  today: date | None = None, related_code: str = "", own_copy: bool = False) -> dict[str, Any]:
    """The context of one document of `case` issued by `unit` (see CONTEXT_NAMES). A confidential case's hidden
    parties print as WITHHELD (Luật Tố cáo 2018, Điều 47 khoản 1 điểm b), except the person who asked in their
    own copy (`own_copy`: a document addressed to them alone, templates.DocumentType.own_copy), which names them;
    who may open such a copy, and the record of each opening, are reading.py's."""
    from ...timeutil import local_date

    parent = unit.parent
    place = _place(unit)
    asked = requester_party(case) if own_copy else None
    parties = [_party(cp, case, asked.party_id if asked else None) for cp in case.parties]
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
        "requester": _requester(case, own_copy),
        "parties": parties,
        "respondents": [p for p in parties if p["role"] in RESPONDENT_ROLES],
        "fields": format_fields(fields, field_defs),
        "signer": {"title": signer_title, "name": signer_name,
                   "authority": signer_authority or titles.with_unit(signer_title, unit.name).upper()},
        "recipients": list(recipients),
        "today": dmy(today or doc.date),
    }


def _place(unit: Unit) -> str:
    """The locality printed before the date (NĐ 30/2020, Phụ lục I): the last part of the unit's address (its
    commune or province), else the unit's name without its kind of body."""
    if unit.address:
        return unit.address.split(",")[-1].strip()
    return unit.name


#: sample values of the action fields a template may read, for the rendering an upload is tried with
#: (templates.try_render): booleans and numbers where the workflows declare them, a session's lists of directions
#: and tasks (session_docs.py), a date or a number by the field's name, else a short text
SAMPLE_FLAGS = {"criminal_signs": False, "violation_found": True, "front_present": True, "competent": False,
                "has_specific_evidence": True, "request_differs": False, "identity_removed": True}
SAMPLE_NUMBERS = {"days": 30, "attendance_count": 120, "follow_up_days": 15, "signers": 5}
SAMPLE_SESSION = {
    "session_date": "20/11/2026", "place": "Trụ sở tiếp công dân", "official": "Giám đốc Sở Lê Văn Cường",
    "summary": "Nội dung trình bày của công dân", "ground_label": "Vụ việc đã được giải quyết đúng quy định",
    "ground_basis": "Luật Tiếp công dân 2013, Điều 9 khoản 3", "content_type_label": "khiếu nại",
    "book_number": "12/2026",
    "directions": [{"visit_id": 1, "book_number": 12, "name": "Nguyễn Văn An", "summary": "Nội dung trình bày",
                    "direction": "Giao phòng chuyên môn kiểm tra, trả lời công dân."}],
    "tasks": [{"unit_id": 1, "unit": "Phòng Quản lý đất đai", "description": "Kiểm tra hồ sơ", "days": 15,
               "visit_id": 1, "commitment_id": 1, "case_id": 1, "tracking_code": "CK-2026-000001",
               "due": "10/12/2026"}],
}


def sample_field(name: str) -> Any:
    if name in SAMPLE_FLAGS:
        return SAMPLE_FLAGS[name]
    if name in SAMPLE_NUMBERS:
        return SAMPLE_NUMBERS[name]
    if name.endswith(("_date", "_on")):
        return "05/12/2026"
    if name.endswith("_number"):
        return "12/TB-MAU"
    return "Nội dung mẫu"


def sample_record(definitions: Iterable = ()) -> dict[str, dict[str, Any]]:
    """`case.record` made up for the sample context: each action of the workflows given (definitions), with a
    sample value of every field `record` would keep of it (none marked personal), `<field>_label` beside a choice,
    so that a template reading what an earlier step recorded (`case.record.verification_report.summary`) renders."""
    out: dict[str, dict[str, Any]] = {}
    for defn in definitions:
        for t in defn.transitions:
            entry = out.setdefault(t.trigger, {})
            for f in t.fields:
                if f.personal:
                    continue
                entry[f.name] = sample_field(f.name)
                if f.choices:
                    entry[f"{f.name}_label"] = "Nội dung mẫu"
    return out


def sample_context(type_: str, label: str, form: str, field_names: Sequence[str] = (),
                   record: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """A complete context of a document of `type_` with made-up values: every name of CONTEXT_NAMES and every
    attribute of CONTEXT_ATTRIBUTES, the type's fields (`<field>_label` too), a session's facts, and `case.record`
    (sample_record: what the workflows' actions would have recorded)."""
    doc = DocInfo(type=type_, label=label, form=form, date=date(2026, 12, 5), number=12, symbol="TB-MAU",
                  draft=False)
    fields = {**SAMPLE_SESSION, **{name: sample_field(name) for name in field_names}}
    fields.update({f"{name}_label": "Nội dung mẫu" for name in field_names})
    person = {"role": "complainant", "role_label": "Người khiếu nại", "kind": "person", "name": "Nguyễn Văn An",
              "address": "12 Lê Lợi, An Phú", "identity_number": "001090000001"}
    respondent = {"role": "respondent", "role_label": "Người bị khiếu nại", "kind": "organisation",
                  "name": "Chi cục Quản lý đất đai", "address": "", "identity_number": ""}
    return {
        "unit": {"name": "Sở Nông nghiệp và Môi trường", "parent_name": "Ủy ban nhân dân tỉnh",
                 "address": "1 Trần Hưng Đạo, An Phú", "phone": "0296 3 000 000", "place": "An Phú"},
        "doc": {"type": doc.type, "label": doc.label, "form": doc.form, "number": doc.number,
                "symbol": doc.symbol, "number_symbol": doc.number_symbol, "date": dmy(doc.date),
                "date_long": date_long(doc.date), "year": doc.date.year, "draft": doc.draft},
        "case": {"tracking_code": "KN-2026-000123", "kind": "complaint_first", "kind_label": "Khiếu nại lần đầu",
                 "subject": "Khiếu nại quyết định thu hồi đất", "content": "Nội dung đơn",
                 "received_on": "02/11/2026", "channel_label": "Trực tiếp", "state_label": "Đã thụ lý",
                 "related_code": "KN-2026-000100", "people_count": 1,
                 "record": {action: dict(values) for action, values in (record or {}).items()}},
        "requester": {"name": "Nguyễn Văn An", "kind": "person", "address": "12 Lê Lợi, An Phú",
                      "identity_number": "001090000001",
                      "identity_label": "Căn cước công dân", "phone": "0900000000", "email": "an@example.vn"},
        "parties": [person, respondent],
        "respondents": [respondent],
        "fields": fields,
        "signer": {"title": "GIÁM ĐỐC", "name": "Lê Văn Cường",
                   "authority": "GIÁM ĐỐC SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"},
        "recipients": ["Ông/Bà Nguyễn Văn An", "Thanh tra tỉnh"],
        "today": dmy(doc.date),
    }


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
