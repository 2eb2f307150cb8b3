"""The receipt (giấy biên nhận, Mẫu số 02/TCD) as a DOCX to print or send: the same case data as the HTML receipt,
in the document layout of the other official papers. Not numbered in a series: its number is the case's tracking
code, and it carries no secret (the secret is shown once, on the HTML receipt: services/reception/receipt.py).

It is signed by the officer who received the letter, with that officer's own title ("Tôi là … Chức vụ: … đã nhận",
NĐ 154/2026, Điều 15 khoản 4, Mẫu số 02/TCD), as the HTML receipt names that officer: never the unit's head, who
received nothing."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ...models import Case
from ...timeutil import local_date
from ..reception.receipt import registering_officer
from . import context, flow, generate, signers, templates

TYPE = "receipt"


def receipt_docx(session: Session, settings: flow.Settings, workflows, case: Case) -> bytes:
    """The DOCX of the case's receipt, from the unit's template or the shipped one."""
    defn = workflows.for_case(case, session)
    dtype = templates.document_type(settings.documents_dir, TYPE)
    doc = context.DocInfo(type=TYPE, label=dtype.label, form=dtype.form, date=local_date(case.received_at),
                          symbol=dtype.symbol, draft=False)
    signed = signers.officer_block(session, case.unit, registering_officer(session, case))
    ctx = context.build_context(case, case.unit, doc, kind_label=defn.label,
                                state_label=defn.states[case.state].label, fields={},
                                signer_name=signed["name"], signer_title=signed["title"],
                                signer_authority=signed["authority"])
    ctx["doc"]["number"], ctx["doc"]["number_symbol"] = case.tracking_code, case.tracking_code
    source = templates.template_bytes(session, settings.documents_dir, case.unit_id, dtype)
    return generate.render_docx(source, ctx)
