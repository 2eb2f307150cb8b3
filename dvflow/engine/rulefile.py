"""Reading a rule file of workflows/ (reception frequencies, refusal grounds, dialogue minimums, scorecard criteria):
YAML parsed safely, then validated by its pydantic model; any problem is one error naming the file and each bad
key, never a half-read rule. Pure: no Flask, no SQLAlchemy."""
from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """The base of every rule file's models: unknown keys refused, no silent "10" -> 10, values frozen."""
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def parse(text: str, model: type[M], source: str, error: type[Exception]) -> M:
    """`text` validated as `model`; raises `error` with the source and every problem found."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise error(f"{source}: YAML không hợp lệ: {exc}") from exc
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise error(f"{source}: {problems}") from exc


def read(path: str | Path, what: str, error: type[Exception]) -> str:
    """The file's text; `error` naming the file and `what` it holds when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise error(f"{path}: không đọc được tệp {what}: {exc}") from exc
