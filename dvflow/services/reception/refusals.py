"""Refusing to receive a citizen (từ chối tiếp công dân): the grounds as effective-dated data
(workflows/reception/refusal_grounds.yaml) and the written refusal notice's due day.

NĐ 154/2026 Điều 4 khoản 3: for the grounds of LTCD Điều 9 khoản 3 and NĐ 154/2026 Điều 4 khoản 1 điểm h the head
issues the notice (Mẫu 01/TCD) within 03 working days of the day the ground was established (the session's day);
for the other grounds the officer explains the reason in person (khoản 2), and no notice falls due.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...engine import rulefile
from ...engine.calendar import WorkCalendar
from ...models import ReceptionVisit
from ..errors import ServiceError

FILE = Path("reception") / "refusal_grounds.yaml"


@dataclass(frozen=True)
class Ground:
    key: str
    label: str
    label_en: str
    basis: str
    effective_from: date
    effective_to: date | None
    #: whether the written notice (Mẫu 01/TCD) must be issued
    notice: bool

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class Rules:
    grounds: dict[str, Ground]
    notice_days: int
    notice_basis: str

    def in_force(self, on: date) -> list[Ground]:
        return [g for g in self.grounds.values() if g.in_force(on)]


def load(workflows_dir: str | Path) -> Rules:
    return _load(str(Path(workflows_dir) / FILE))


class RefusalRulesError(ValueError):
    """The grounds file is wrong: the app does not start on it (a typo must not become a 500 at the desk)."""


_Strict = rulefile.Strict


class _GroundSpec(_Strict):
    label: Annotated[str, Field(min_length=1)]
    label_en: Annotated[str, Field(min_length=1)]
    basis: Annotated[str, Field(min_length=1)]
    effective_from: date
    effective_to: date | None = None
    notice: bool


class _File(_Strict):
    notice_days: Annotated[int, Field(gt=0)]
    notice_basis: Annotated[str, Field(min_length=1)]
    grounds: Annotated[dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")], _GroundSpec],
                       Field(min_length=1)]


def parse(text: str, source: str = str(FILE)) -> Rules:
    data = rulefile.parse(text, _File, source, RefusalRulesError)
    grounds = {key: Ground(key=key, label=g.label, label_en=g.label_en, basis=g.basis,
                           effective_from=g.effective_from, effective_to=g.effective_to, notice=g.notice)
               for key, g in data.grounds.items()}
    return Rules(grounds=grounds, notice_days=data.notice_days, notice_basis=data.notice_basis)


@lru_cache(maxsize=4)
def _load(path: str) -> Rules:
    return parse(rulefile.read(path, "căn cứ từ chối tiếp công dân", RefusalRulesError), path)


def ground_for(rules: Rules, key: str | None, on: date) -> Ground:
    """The ground the officer picked, checked to be in force on the session's day."""
    ground = rules.grounds.get(key or "")
    if ground is None or not ground.in_force(on):
        raise ServiceError("Chọn căn cứ từ chối tiếp công dân (đang có hiệu lực vào ngày tiếp).",
                           field="refusal_ground")
    return ground


def notice_due(rules: Rules, ground: Ground, day: date, calendar: WorkCalendar) -> date | None:
    """The last day to issue the notice: `notice_days` working days after the session's day (holidays and
    weekends skipped by the calendar); None when the ground needs no written notice."""
    return calendar.add_working_days(day, rules.notice_days) if ground.notice else None


def overdue(session: Session, unit_ids: list[int], today: date) -> list[ReceptionVisit]:
    """Refusals whose notice was due before today and is not issued yet, oldest first."""
    return list(session.scalars(select(ReceptionVisit).where(
        ReceptionVisit.unit_id.in_(unit_ids or [-1]), ReceptionVisit.outcome == "refused",
        ReceptionVisit.refusal_notice_due < today, ReceptionVisit.refusal_notice_sent_on.is_(None))
        .order_by(ReceptionVisit.refusal_notice_due, ReceptionVisit.id)))
