"""Import calendar overrides from CSV (date,kind,note) or iCalendar (all-day VEVENTs = days off)."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

from sqlalchemy.orm import Session

from ..errors import ServiceError
from .calendar import set_override

KIND_WORDS = {"off": "off", "nghi": "off", "nghỉ": "off", "working": "working", "lam": "working",
              "làm việc": "working", "lam viec": "working"}


def parse_csv(text: str) -> list[tuple[date, str, str]]:
    """Rows `date,kind,note`; date as YYYY-MM-DD or DD/MM/YYYY; kind off|working; a header row is allowed."""
    rows = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip() or row[0].strip().startswith("#"):
            continue
        if number == 1 and row[0].strip().lower() in ("date", "ngày", "ngay"):
            continue
        if len(row) < 2:
            raise ServiceError("Dòng %(line)s: cần ít nhất hai cột: ngày, loại (off/working).", line=number)
        day = _parse_date(row[0].strip(), number)
        kind = KIND_WORDS.get(row[1].strip().lower())
        if kind is None:
            raise ServiceError("Dòng %(line)s: loại ngày '%(kind)s' không hợp lệ (off hoặc working).", line=number,
                               kind=row[1].strip())
        rows.append((day, kind, row[2].strip() if len(row) > 2 else ""))
    return rows


def parse_ics(text: str) -> list[tuple[date, str, str]]:
    """All-day events of an iCalendar file, each a day off; SUMMARY becomes the note. Multi-day events expand."""
    from datetime import timedelta

    rows = []
    for block in re.findall(r"BEGIN:VEVENT(.*?)END:VEVENT", text.replace("\r\n ", ""), re.S):
        start = re.search(r"DTSTART(?:;[^:\n]*)?:(\d{8})", block)
        end = re.search(r"DTEND(?:;[^:\n]*)?:(\d{8})", block)
        summary = re.search(r"SUMMARY(?:;[^:\n]*)?:(.*)", block)
        if not start:
            continue
        first = datetime.strptime(start.group(1), "%Y%m%d").date()
        last = datetime.strptime(end.group(1), "%Y%m%d").date() - timedelta(days=1) if end else first
        note = summary.group(1).strip() if summary else ""
        day = first
        while day <= max(first, last):
            rows.append((day, "off", note))
            day += timedelta(days=1)
    return rows


def import_overrides(session: Session, workflows, text: str, *, filename: str, now: datetime,
                     actor_id: int | None = None) -> int:
    rows = parse_ics(text) if filename.lower().endswith(".ics") else parse_csv(text)
    for day, kind, note in rows:
        set_override(session, workflows, day=day, kind=kind, note=note, now=now, actor_id=actor_id,
                     source=f"import:{filename}")
    return len(rows)


def _parse_date(value: str, number: int) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    raise ServiceError("Dòng %(line)s: ngày '%(day)s' không hợp lệ (dùng YYYY-MM-DD hoặc DD/MM/YYYY).", line=number,
                       day=value)
