"""The frequency rules of periodic reception (workflows/reception/schedule_rules.yaml), validated on load.

Strict pydantic models (no unknown key, no "1" for 1): a typo in the file is a load error naming the key, never a
default quietly applied. A position's rules must not overlap in time, so that one rule is in force on any day.
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

from .. import rulefile

Text = Annotated[str, StringConstraints(min_length=1)]
Ident = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
RULES_FILE = "reception/schedule_rules.yaml"


class RulesError(ValueError):
    """The rules file cannot be used; the message names the file and what is wrong."""


_Strict = rulefile.Strict


class FrequencyRule(_Strict):
    per: Literal["week", "month"]
    days: int = Field(ge=1, le=31)
    effective_from: date
    effective_to: date | None
    basis: Text
    delegation_counts: bool
    delegation_basis: Text
    review: str = ""

    @model_validator(mode="after")
    def _dates(self) -> "FrequencyRule":
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class Position(_Strict):
    label: Text
    label_en: Text
    rules: list[FrequencyRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _no_overlap(self) -> "Position":
        ordered = sorted(self.rules, key=lambda r: r.effective_from)
        for before, after in zip(ordered, ordered[1:]):
            if before.effective_to is None or before.effective_to >= after.effective_from:
                raise ValueError(f"rules overlap: the one from {before.effective_from} runs into the one from "
                                 f"{after.effective_from}")
        return self

    def rule_on(self, day: date) -> FrequencyRule | None:
        """The rule in force on `day`, if any."""
        return next((r for r in self.rules if r.in_force(day)), None)

    def in_force_during(self, first: date, last: date | None) -> bool:
        """Whether a rule is in force on some day from `first` to `last` (None: with no end)."""
        return any((last is None or r.effective_from <= last) and (r.effective_to is None or first <= r.effective_to)
                   for r in self.rules)


class _File(_Strict):
    positions: dict[Ident, Position] = Field(min_length=1)


@dataclass(frozen=True)
class ScheduleRules:
    positions: dict[str, Position]

    def position(self, key: str) -> Position:
        try:
            return self.positions[key]
        except KeyError:
            raise RulesError(f"Chức danh không có trong quy định tần suất tiếp công dân: {key!r}") from None


def parse_rules(text: str, source: str = RULES_FILE) -> ScheduleRules:
    """Parse and validate the text of a rules file; RulesError names the file and every problem."""
    return ScheduleRules(positions=dict(rulefile.parse(text, _File, source, RulesError).positions))


def load_rules(workflows_dir: str | Path) -> ScheduleRules:
    path = Path(workflows_dir) / RULES_FILE
    return parse_rules(rulefile.read(path, "quy định tần suất tiếp công dân", RulesError), str(path))
