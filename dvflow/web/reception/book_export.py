"""The reception book of a month as XLSX (Mẫu 03/TCD columns), with the same rows and the same redaction as the
page: a confidential visitor or a confidential case's denouncer is printed "Đã được bảo mật"."""
from __future__ import annotations

from flask import Response, current_app
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...labels import VISIT_OUTCOME_LABELS
from ...request import db_session
from ...services.reception import book as queries
from ...services.reception import desk, refusals
from ...services.reports.reception_book import BookRow, reception_book_workbook
from . import bp
from .routes import book_scope, walk_in_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _visit_row(r: dict) -> BookRow:
    book = r["book"]  # columns (9)-(11), as the page shows them
    # the unit that accepted the letter itself, with the case it became (the page links it); a transfer: as it is
    accepted = book.accepted if book.transferred else ": ".join(x for x in (book.accepted, r["case_code"]) if x)
    return BookRow(day=r["received_on"], seq=r["seq"], name=r["citizen_name"] or "", address=r["address"] or "",
                   identity_number=r["identity_number"] or "",
                   summary=_(desk.WITHHELD) if r["summary_withheld"] else r["summary"], letter_type=r["type_code"],
                   people=r["people_count"], resolved_by=r["prior_resolver"] or "",
                   competent=book.competent, guided=book.guided, accepted=accepted,
                   follow_up=_follow_up(r),
                   note=r["notes"] or "", hidden=r["confidential"])


def _follow_up(r: dict) -> str:
    """Column (12) as the page writes it: the outcome, the result noted, a refusal's ground."""
    outcome = _(VISIT_OUTCOME_LABELS[r["outcome"]]) if r["outcome"] in VISIT_OUTCOME_LABELS else r["outcome"]
    return ": ".join(x for x in (outcome, r["result_note"], r["refusal_label"]) if x)


def _walk_in_row(w: dict) -> BookRow:
    main, case, book = w["main"], w["case"], w["book"]
    party = main.party if main is not None else None
    return BookRow(day=case.received_at, name=party.name if party else "", address=(party.address or "") if party
                   else "", identity_number=(party.identity_number or "") if party else "",
                   summary=f"{case.tracking_code}: {case.subject}", letter_type=w["type"], people=w["people"],
                   competent=book.competent, guided=book.guided, accepted=book.accepted, follow_up=w["state"],
                   note=_("Ghi tại form tiếp nhận"), hidden=w["hidden"])


@bp.route("/so.xlsx")
@login_required
def log_xlsx():
    s = db_session()
    _units, unit, first = book_scope(s)
    rules = refusals.load(current_app.config["WORKFLOWS_DIR"])
    rows = [_visit_row(r) for r in desk.visit_rows(s, queries.all_month_visits(s, unit.id, first), rules,
                                                 current_user.user, book_columns=True)]
    rows += [_walk_in_row(w) for w in walk_in_rows(s, queries.month_walk_ins(s, current_user.user, unit.id, first))]
    after = first.replace(year=first.year + (first.month == 12), month=first.month % 12 + 1)
    last = after.fromordinal(after.toordinal() - 1)
    body = reception_book_workbook(rows, unit_name=unit.name, first=first, last=last, tr=_)
    name = f"so-tiep-cong-dan-{unit.code}-{first:%Y-%m}.xlsx"
    return Response(body, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})
