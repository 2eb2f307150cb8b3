"""A message the engine builds for people, kept as its Vietnamese template and its values.

The engine has no Flask, so it cannot translate: it marks each template with `N_` (extracted into the catalogue by
`make translations`) and keeps the values apart. `str()` is the Vietnamese text (the API, the logs, the command
line); a page translates the template, and any value that is itself a `Msg`, before filling it (`dvflow.i18n.said`),
which a finished f-string would have made impossible.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


def N_(text: str) -> str:
    """Marks a Vietnamese template for extraction; the page translates it when it shows it."""
    return text


@dataclass(frozen=True)
class Msg:
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        if not self.params:
            return self.template
        return self.template % {k: str(v) for k, v in self.params.items()}


def msg(template: str, **params: Any) -> Msg:
    return Msg(template, params)


@dataclass(frozen=True)
class Label:
    """A workflow object's name given as a message's value: its YAML `label` (Vietnamese) and `label_en` (English,
    may be empty). The engine cannot know the page's language, so it keeps both; `str()` is the Vietnamese, and a
    page shows the English when it has one (`dvflow.i18n.said`)."""

    vi: str
    en: str = ""

    def __str__(self) -> str:
        return self.vi


def label_of(obj: Any) -> Label:
    """The `Label` of a workflow object (a transition, a field, a clock, a state, a definition)."""
    return Label(obj.label, getattr(obj, "label_en", "") or "")
