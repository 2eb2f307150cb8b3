"""The receipt (giấy biên nhận, Mẫu số 02/TCD) as a DOCX to print or send: the same case data as the HTML receipt,
in the document layout of the other official papers. Not numbered in a series: its number is the case's tracking
code, and it carries no secret (the secret is shown once, on the HTML receipt: services/reception/receipt.py).

It is signed by the officer who received the letter, with that officer's own title ("Tôi là … Chức vụ: … đã nhận",
NĐ 154/2026, Điều 15 khoản 4, Mẫu số 02/TCD), as the HTML receipt names that officer: never the unit's head, who
received nothing.

It is the sender's own copy: a denouncer of a confidential case is named in it (Luật Tố cáo 2018, Điều 47 khoản 1
điểm b protects them from others, not from their own receipt), but only for a viewer who needs to know (who may
reveal them, confidentiality.may_reveal, or the officer who registered the letter and had them in front of them,
as the HTML receipt), and each such opening is recorded; anyone else prints it with the name withheld."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ...models import Case, IdentityAccess, User
from ...timeutil import local_date
from ..cases import confidentiality
from ..reception.receipt import registering_officer
from . import context, flow, generate, signers, templates

TYPE = "receipt"
#: the reason an opening of a denouncer's receipt is recorded with (stored text, in the case's access log)
OPENED = "Mở giấy biên nhận (bản của người gửi đơn, nêu danh tính)"


def receipt_docx(session: Session, settings: flow.Settings, workflows, case: Case, viewer: User | None = None,
                 now: datetime | None = None) -> bytes:
    """The DOCX of the case's receipt, from the unit's template or the shipped one, as `viewer` may see it (with
    a viewer and an instant, a denouncer's receipt opened with the name is recorded: `session` must be a writing
    one then; without them, the name is withheld)."""
    defn = workflows.for_case(case, session)
    dtype = templates.document_type(settings.documents_dir, TYPE)
    doc = context.DocInfo(type=TYPE, label=dtype.label, form=dtype.form, date=local_date(case.received_at),
                          symbol=dtype.symbol, draft=False)
    officer = registering_officer(session, case)
    signed = signers.officer_block(session, case.unit, officer)
    ctx = context.build_context(case, case.unit, doc, kind_label=defn.label,
                                state_label=defn.states[case.state].label, fields={},
                                signer_name=signed["name"], signer_title=signed["title"],
                                signer_authority=signed["authority"],
                                own_copy=_named_for(session, case, viewer, officer, now))
    ctx["doc"]["number"], ctx["doc"]["number_symbol"] = case.tracking_code, case.tracking_code
    source = templates.template_bytes(session, settings.documents_dir, case.unit_id, dtype)
    return generate.render_docx(source, ctx)


def _named_for(session: Session, case: Case, viewer: User | None, officer: User | None,
               now: datetime | None) -> bool:
    """Whether the receipt names its sender for `viewer`: always when the sender is not hidden; a hidden one only
    for a viewer who needs to know, the opening recorded."""
    asked = context.requester_party(case)
    if asked is None or not confidentiality.is_hidden(case, asked.role):
        return True
    if viewer is None or now is None:
        return False
    if not (confidentiality.may_reveal(session, viewer, case) or (officer is not None and officer.id == viewer.id)):
        return False
    session.add(IdentityAccess(user_id=viewer.id, case_id=case.id, party_id=asked.party_id, reason=OPENED, at=now))
    session.flush()
    return True
