"""The yearly scorecard of a unit's dân vận work (workflows/reports/scorecard.yaml): criteria, weights and how
points scale, validated strictly on load, and the scoring and ranking themselves (pure: no database, no Flask).

Points of a criterion scale linearly between two values of the YAML: `zero_at` (no points) and `target` (the full
weight); beyond the target the points stay at the weight, short of `zero_at` they stay at zero. A criterion where
lower is better (overdue cases, mass cases) simply has `target` below `zero_at`. A criterion with no data (no case
closed in the year to rate, no reception day required) scores by `if_no_data`: "full" (nothing was asked of the unit)
or "zero". No data the unit itself should have had (a shortfall: something was asked of it and nothing shows, e.g. it
never registered the official who must receive citizens) scores zero, whatever `if_no_data` says. A manual criterion
counts only once a supervisor verified it; until then it scores zero, so it may not declare `if_no_data: full`.

Ranks among peers share equal totals (rounded to 2 decimals) and the next rank skips: 1, 2, 2, 4.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    Field,
    StringConstraints,
    model_validator,
)

from . import rulefile

Text = Annotated[str, StringConstraints(min_length=1)]
Ident = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
SCORECARD_FILE = "reports/scorecard.yaml"

#: the computed criteria's formulas (dvflow/services/reports/scorecard_facts.py counts each)
FORMULAS = ("on_time_rate", "overdue_at_year_end", "reception_days_ratio", "dialogue_conferences_ratio",
            "satisfaction_average", "mass_cases", "commitments_on_time_rate")


class ScorecardError(ValueError):
    """The scorecard file cannot be used; the message names the file and what is wrong."""


_Strict = rulefile.Strict


class Criterion(_Strict):
    key: Ident
    label: Text
    label_en: Text
    #: computed from the data (with a formula) or filled by the unit and verified by a supervisor
    source: Literal["computed", "manual"]
    formula: Literal[FORMULAS] | None = None  # type: ignore[valid-type]
    #: the unit of the value shown beside it ("%", "hồ sơ", "điểm", "mô hình")
    unit: Text
    unit_en: Text
    weight: float = Field(gt=0, le=100)
    target: float
    zero_at: float
    #: a manual criterion's largest value (a mark of 0–10: 10); a filled value above it is refused. None: no
    #: bound of its own (a count)
    max_value: float | None = None
    #: a manual criterion whose value is a count (of models): a filled fraction is refused
    integer: bool = False
    if_no_data: Literal["full", "zero"] = "zero"
    description: Text
    description_en: Text

    @model_validator(mode="after")
    def _consistent(self) -> "Criterion":
        if self.source == "computed" and self.formula is None:
            raise ValueError(f"{self.key}: a computed criterion needs a formula")
        if self.source == "manual" and self.formula is not None:
            raise ValueError(f"{self.key}: a manual criterion has no formula")
        if self.target == self.zero_at:
            raise ValueError(f"{self.key}: target and zero_at must differ")
        if self.max_value is not None and self.max_value < max(self.target, self.zero_at):
            raise ValueError(f"{self.key}: max_value is below the target or zero_at")
        if self.source == "manual" and self.if_no_data == "full":
            # it would give its whole weight to a unit that filled nothing, or whose value a supervisor rejected
            raise ValueError(f"{self.key}: a manual criterion cannot score full points without a verified value "
                             "(if_no_data: full)")
        if self.integer and self.source != "manual":
            raise ValueError(f"{self.key}: integer applies to a manual criterion (a value the unit fills)")
        return self

    @property
    def lower_is_better(self) -> bool:
        return self.target < self.zero_at

    def points(self, value: float | None, shortfall: bool = False) -> float:
        """The points `value` earns (None: no data; with `shortfall`, no data the unit should have had: zero)."""
        if value is None:
            return self.weight if self.if_no_data == "full" and not shortfall else 0.0
        share = (value - self.zero_at) / (self.target - self.zero_at)
        return round(self.weight * min(1.0, max(0.0, share)), 2)


class CriteriaSet(_Strict):
    effective_from: date
    effective_to: date | None
    basis: Text
    review: str = ""
    criteria: list[Criterion] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> "CriteriaSet":
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        keys = [c.key for c in self.criteria]
        if len(set(keys)) != len(keys):
            raise ValueError("a criterion key appears twice")
        total = round(sum(c.weight for c in self.criteria), 6)
        if total != 100:
            raise ValueError(f"the weights add up to {total}, not 100")
        return self

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def criterion(self, key: str) -> Criterion | None:
        return next((c for c in self.criteria if c.key == key), None)

    @property
    def manual(self) -> list[Criterion]:
        return [c for c in self.criteria if c.source == "manual"]


class _File(_Strict):
    sets: list[CriteriaSet] = Field(min_length=1)

    @model_validator(mode="after")
    def _no_overlap(self) -> "_File":
        ordered = sorted(self.sets, key=lambda s: s.effective_from)
        for before, after in zip(ordered, ordered[1:]):
            if before.effective_to is None or before.effective_to >= after.effective_from:
                raise ValueError(f"sets overlap: the one from {before.effective_from} runs into the one from "
                                 f"{after.effective_from}")
        return self


@dataclass(frozen=True)
class Scorecard:
    sets: list[CriteriaSet]

    def for_year(self, year: int) -> CriteriaSet | None:
        """The set in force on the last day of `year` (the evaluation is of the year as it ended)."""
        return next((s for s in self.sets if s.in_force(date(year, 12, 31))), None)


def parse(text: str, source: str = SCORECARD_FILE) -> Scorecard:
    return Scorecard(sets=list(rulefile.parse(text, _File, source, ScorecardError).sets))


def load(workflows_dir: str | Path) -> Scorecard:
    path = Path(workflows_dir) / SCORECARD_FILE
    return parse(rulefile.read(path, "tiêu chí chấm điểm", ScorecardError), str(path))


# --- scoring ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    """One criterion of one unit: the value counted (None: no data or not verified) and the points it earns."""
    criterion: Criterion
    value: float | None
    points: float


#: per unit, the keys of the criteria with a shortfall (no data the unit should have had: they score zero)
Shortfalls = dict[int, frozenset[str]]


@dataclass(frozen=True)
class UnitScore:
    unit_id: int
    lines: tuple[Line, ...]
    total: float
    rank: int


def score_lines(criteria: CriteriaSet, values: dict[str, float | None],
                shortfalls: frozenset[str] = frozenset()) -> tuple[Line, ...]:
    return tuple(Line(c, values.get(c.key), c.points(values.get(c.key), c.key in shortfalls))
                 for c in criteria.criteria)


def rank(criteria: CriteriaSet, values_by_unit: dict[int, dict[str, float | None]],
         shortfalls: Shortfalls | None = None) -> list[UnitScore]:
    """Every unit's lines, total and rank, best first; equal totals share a rank and the next one skips."""
    scored = []
    for unit_id, values in values_by_unit.items():
        lines = score_lines(criteria, values, (shortfalls or {}).get(unit_id, frozenset()))
        scored.append((unit_id, lines, round(sum(line.points for line in lines), 2)))
    scored.sort(key=lambda s: (-s[2], s[0]))
    out: list[UnitScore] = []
    for position, (unit_id, lines, total) in enumerate(scored, start=1):
        shared = out and out[-1].total == total
        out.append(UnitScore(unit_id, lines, total, out[-1].rank if shared else position))
    return out
