"""The yearly minimum of dialogue conferences by unit level: rule data with its basis and effective dates
(workflows/reception/dialogue_rules.yaml), checked when loaded so that a typo fails loudly, not silently as 0."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ...models.unit import UNIT_LEVELS
from ..errors import ServiceError

RULES_FILE = Path("reception") / "dialogue_rules.yaml"


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False, frozen=True)
    level: str
    minimum_per_year: int = Field(ge=1)
    effective_from: date
    effective_to: date | None = None
    label: str = Field(min_length=1)
    basis: str = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> "_Rule":
        if self.level not in UNIT_LEVELS:
            raise ValueError(f"level {self.level!r} is not one of {', '.join(UNIT_LEVELS)}")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[_Rule] = Field(min_length=1)


@dataclass(frozen=True)
class Requirement:
    """What the law asks of one unit level in one year; `minimum` 0 when no rule is in force that year."""
    level: str
    year: int
    minimum: int
    label: str = ""
    basis: str = ""
    #: the first day a conference counts (the rule's effective date, within its first year)
    counts_from: date | None = None


@dataclass(frozen=True)
class DialogueRules:
    rules: tuple[_Rule, ...]

    def requirement(self, level: str, year: int) -> Requirement:
        """The rule in force during `year` for `level` (the latest one starting in the year, if two overlap it)."""
        first, last = date(year, 1, 1), date(year, 12, 31)
        found = [r for r in self.rules if r.level == level and r.effective_from <= last
                 and (r.effective_to is None or r.effective_to >= first)]
        if not found:
            return Requirement(level, year, 0)
        rule = max(found, key=lambda r: r.effective_from)
        return Requirement(level, year, rule.minimum_per_year, rule.label, rule.basis, rule.effective_from)

    def levels(self) -> set[str]:
        return {r.level for r in self.rules}


def parse(text: str, source: str = "dialogue_rules.yaml") -> DialogueRules:
    """The rules of a YAML text; ServiceError naming the file and the problem when it is wrong."""
    try:
        data = _File.model_validate(yaml.safe_load(text) or {})
    except (yaml.YAMLError, ValidationError) as exc:
        raise ServiceError("Tệp quy định hội nghị đối thoại %(source)s không hợp lệ: %(problem)s", source=source,
                           problem=str(exc)) from exc
    return DialogueRules(tuple(data.rules))


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> DialogueRules:
    return parse(Path(path).read_text(encoding="utf-8"), path)


def load(workflows_dir: str | Path) -> DialogueRules:
    """The rules shipped beside the workflows (re-read when the file changes)."""
    path = Path(workflows_dir) / RULES_FILE
    return _load(str(path), path.stat().st_mtime)
