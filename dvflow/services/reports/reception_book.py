"""The reception book (Sổ tiếp công dân, tiếp nhận đơn, Mẫu số 03/TCD) as XLSX, for the reception book page to call.

The page builds one `BookRow` per entry; a row whose person is protected (the denouncer of a confidential case, or
anyone the reader has no need to know) is marked `hidden`, and this writer then prints neither name, address nor
identity number, whatever the row holds: the redaction does not depend on the caller remembering it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .xlsx import Col, table_workbook

HIDDEN_TEXT = "Đã được bảo mật"


@dataclass
class BookRow:
    day: date | datetime
    name: str = ""
    address: str = ""
    identity_number: str = ""
    summary: str = ""            # tracking code and subject
    letter_type: str = ""        # khiếu nại, tố cáo, kiến nghị, phản ánh
    people: int | None = None    # people with the same content
    resolved_by: str = ""        # body that has already resolved it
    competent: bool = False      # (9) within the unit's competence: ticked
    guided: str = ""             # (10) the body the citizen was guided to, the guidance letter's number
    accepted: str = ""           # (11) the body that accepts the matter, the forwarding slip's number
    follow_up: str = ""          # (12) the result being followed
    note: str = ""
    hidden: bool = False         # the person's identity is protected
    seq: int | None = None       # the book's own number (STT, per unit and year); None: numbered from 1


def reception_book_workbook(rows: list[BookRow], *, unit_name: str, first: date, last: date,
                            tr=lambda s: s) -> bytes:
    """The book of [first, last] (local dates, inclusive), with the columns of Mẫu số 03/TCD (Nghị định
    154/2026/NĐ-CP): (10) names the body guided to and the guidance letter, (11) the body that accepts the matter
    and the forwarding slip, as the form's notes ask; only (9) is ticked."""
    _ = tr
    columns = [Col(_("STT"), "int", 6), Col(_("Ngày tiếp"), "date"), Col(_("Họ tên và địa chỉ"), "text", 28),
               Col(_("Số CCCD/Hộ chiếu"), "text", 16), Col(_("Nội dung tóm tắt"), "text", 40),
               Col(_("Loại đơn"), "text", 14), Col(_("Số người cùng nội dung"), "int", 10),
               Col(_("Cơ quan đã giải quyết"), "text", 20), Col(_("Thuộc thẩm quyền"), "text", 10),
               Col(_("Hướng dẫn công dân đến cơ quan có thẩm quyền"), "text", 24),
               Col(_("Cơ quan, đơn vị thụ lý"), "text", 24),
               Col(_("Theo dõi kết quả"), "text", 20), Col(_("Ghi chú"), "text", 20)]
    out = []
    for i, r in enumerate(rows, start=1):
        person = _(HIDDEN_TEXT) if r.hidden else ", ".join(p for p in (r.name, r.address) if p)
        out.append([r.seq if r.seq is not None else i, r.day, person, "" if r.hidden else r.identity_number,
                    r.summary, r.letter_type, r.people, r.resolved_by, "x" if r.competent else "", r.guided,
                    r.accepted, r.follow_up, r.note])
    line = _("Từ ngày %(first)s đến ngày %(last)s") % {"first": f"{first:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"}
    return table_workbook(title=_("Sổ tiếp công dân, tiếp nhận đơn"), period_line=line, unit_name=unit_name,
                          columns=columns, rows=out, sheet=_("Sổ tiếp công dân"), subtitle=_("Mẫu số 03/TCD"))
