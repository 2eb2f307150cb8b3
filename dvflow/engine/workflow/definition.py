"""The frozen, compiled form of a workflow: what the runtime reads.

A ``Definition`` is built once per file content; its ``version`` is the sha256 of the file's text, so a case that
stores the version keeps the exact rules it started with. Definitions hold no per-case state.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Mapping

from dvflow.engine.types import CaseStatus, ClockRule, CountUnit, LadderStep
from dvflow.engine.workflow.schema import (
    ClockSpec,
    FieldSpec,
    TransitionSpec,
    WorkflowSpec,
)

CLOCK_OPS = ("start", "stop", "pause", "resume", "extend", "cancel")
VARIANT_LABELS = {
    "normal": "",
    "complex": "vụ việc phức tạp",
    "remote": "vùng sâu, vùng xa đi lại khó khăn",
    "remote_complex": "vụ việc phức tạp ở vùng sâu, vùng xa",
    "especially_complex": "vụ việc đặc biệt phức tạp",
}
UNIT_LABELS = {"working_days": "ngày làm việc", "calendar_days": "ngày"}


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str
    required: bool
    label: str
    label_en: str = ""
    help: str = ""
    legal_date: bool = False
    event_date: bool = False  # a day that happened in this case: neither after today nor before the receipt
    choices: tuple[tuple[str, str], ...] = ()
    personal: bool = False  # marked as naming a person (FieldSpec.personal); free texts count too (personal_fields)
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class StateDef:
    name: str
    label: str
    label_en: str
    status: CaseStatus
    final: bool
    description: str = ""
    awaits: str | None = None  # "head_approval": the case waits for the head's decision


@dataclass(frozen=True)
class NotifyDef:
    to: tuple[str, ...]
    template: str


@dataclass(frozen=True)
class TransitionDef:
    trigger: str
    label: str
    label_en: str
    sources: frozenset[str]
    dest: str | None  # None: internal action, the state does not change
    roles: frozenset[str]
    head_only: bool
    guards: tuple[str, ...]
    fields: tuple[FieldDef, ...]
    clock_ops: Mapping[str, tuple[str, ...]]  # op -> clock names
    set_flags: frozenset[str]
    notify: tuple[NotifyDef, ...]
    basis: str
    description: str = ""
    line: int = 0
    facts: Mapping[str, Any] = field(default_factory=dict)  # fact -> operation, applied in order (facts.py)
    hands_off: str | None = None  # the choice field naming the kind of the case the letter becomes
    links_case: tuple[str, str] | None = None  # (field holding a tracking code, link: duplicate_of / guided_letter)
    tells_sender: bool = False
    once_per_sender: bool = False
    review: str | None = None  # a doubtful legal reading left for a lawyer
    document: str | None = None  # the document type it drafts, returns or issues (documents.yaml)
    document_step: str = "issue"  # draft | return | issue
    effective_from: date | None = None  # an action dated before it is refused (the rule was not in force)

    @property
    def service_step(self) -> bool:
        """Whether the services do more than apply the outcome (letter triage: services/cases/triage.py)."""
        return bool(self.hands_off or self.links_case or self.tells_sender or self.once_per_sender)

    @property
    def legal_date_field(self) -> str | None:
        return next((f.name for f in self.fields if f.legal_date), None)


@dataclass(frozen=True)
class RuleDef:
    effective_from: date
    effective_to: date | None
    unit: CountUnit
    days: Mapping[str, int]
    basis: str
    label: str = ""
    review: str | None = None

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True)
class ExtensionPolicy:
    max: Mapping[str, int]  # variant (normal / complex / especially_complex / any) -> number of extensions
    days_max: int
    basis: str

    def allowed_for(self, variant: str) -> int:
        return self.max.get(variant, self.max.get("any", 0))


@dataclass(frozen=True)
class ClockDef:
    name: str
    label: str
    label_en: str
    kind: str  # deadline | waiting_period | information
    start_on_enter: str | None
    start_on_trigger: str | None
    start_date: str  # received_at | legal_date
    start_when: Mapping[str, tuple[Any, ...]]  # fact -> values: starts only when the facts match
    stop_in: frozenset[str]
    pause_in: frozenset[str]
    cancel_in: frozenset[str]
    rules: tuple[RuleDef, ...]
    extensions: ExtensionPolicy | None
    ladder: tuple[LadderStep, ...]
    start_field: str | None = None  # start_date "field": the start transition's date field
    days_fact: str | None = None  # the length is this count fact of the case, at most the rule's days
    meaning: str = ""
    meaning_en: str = ""
    review: str | None = None  # a doubtful legal reading left for a lawyer

    @property
    def information(self) -> bool:
        """A complainant's window shown to the handler: never run as a clock (no ladder, never overdue)."""
        return self.kind == "information"

    def starts_with(self, facts: Mapping[str, Any]) -> bool:
        """Whether the case's facts satisfy the clock's start condition (always, without one)."""
        return facts_match(self.start_when, facts)

    def rule_on(self, day: date) -> RuleDef:
        """The rule in force on ``day``; before the first rule, the first; in a gap, the last one begun."""
        for rule in self.rules:
            if rule.covers(day):
                return rule
        begun = [r for r in self.rules if r.effective_from <= day]
        return begun[-1] if begun else self.rules[0]

    def choose_rule(self, day: date, flags: frozenset[str], remote_area: bool,
                    facts: Mapping[str, Any] | None = None) -> ClockRule:
        """The ClockRule of this clock for a case with ``flags`` (and ``facts``) whose clock starts on ``day``."""
        rule = self.rule_on(day)
        variant = choose_variant(rule.days, flags, remote_area)
        days = rule.days[variant]
        given = self.given_days(facts or {}, days)
        extra = VARIANT_LABELS[variant]
        label = f"{self.label}: {given or days} {UNIT_LABELS[rule.unit]}" + (f" ({extra})" if extra else "")
        if given is not None:  # a length the case was given: the rule's own label would name the longest one
            return ClockRule(days=given, unit=rule.unit, basis=rule.basis, label=label, variant=variant)
        return ClockRule(days=days, unit=rule.unit, basis=rule.basis, label=rule.label or label, variant=variant)

    def given_days(self, facts: Mapping[str, Any], longest: int) -> int | None:
        """The length the case's ``days_fact`` gives, when it is a whole number from 1 to ``longest``."""
        value = facts.get(self.days_fact) if self.days_fact else None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= longest:
            return None
        return value


def facts_match(when: Mapping[str, tuple[Any, ...]], facts: Mapping[str, Any]) -> bool:
    """Every fact named in ``when`` has one of its values (a list fact: any of its elements); an empty ``when``
    always matches."""
    for name, values in when.items():
        value = facts.get(name)
        found = value if isinstance(value, (list, tuple)) else [value]
        if not any(v in values for v in found):
            return False
    return True


def facts_match_any(when: Mapping[str, tuple[Any, ...]], facts: Mapping[str, Any]) -> bool:
    """Some fact named in ``when`` has one of its values; an empty ``when`` never matches."""
    return any(facts_match({name: values}, facts) for name, values in when.items())


def choose_variant(days: Mapping[str, int], flags: frozenset[str], remote_area: bool) -> str:
    """Pick the days variant: missing variants fall back to normal; complex + remote without remote_complex falls
    back to the larger of complex / remote; especially_complex falls back to complex."""
    especially = "especially_complex" in flags
    complex_ = especially or "complex" in flags
    remote = remote_area or "remote_area" in flags
    if complex_ and remote:
        if "remote_complex" in days:
            return "remote_complex"
        present = [v for v in ("complex", "remote") if v in days]
        return max(present, key=lambda v: days[v]) if present else "normal"
    if especially and "especially_complex" in days:
        return "especially_complex"
    if complex_ and "complex" in days:
        return "complex"
    if remote and "remote" in days:
        return "remote"
    return "normal"


@dataclass(frozen=True, eq=False)
class Definition:
    id: str
    label: str
    label_en: str
    tracking_prefix: str
    confidential: bool
    party_roles: tuple[str, ...]
    initial: str
    states: Mapping[str, StateDef]
    transitions: tuple[TransitionDef, ...]
    clocks: Mapping[str, ClockDef]
    version: str  # sha256 of the file's text
    path: str = ""
    description: str = ""
    requires_party: tuple[str, ...] = ()  # at least one party of one of these roles at registration
    intake: bool = True  # registered at the reception desk; False: only the services open such cases (follow-ups)
    confidential_when: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)  # any match: confidential
    source_text: str = field(default="", repr=False)
    _index: Mapping[tuple[str, str], TransitionDef] = field(default_factory=dict, repr=False)
    _triggers: Mapping[str, tuple[TransitionDef, ...]] = field(default_factory=dict, repr=False)
    machine: Any = field(default=None, repr=False, compare=False)  # the compiled transitions.Machine

    def __hash__(self) -> int:
        return hash(self.version)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Definition) and other.version == self.version

    @property
    def triggers(self) -> tuple[str, ...]:
        return tuple(self._triggers)

    def transition(self, trigger: str, state: str) -> TransitionDef | None:
        """The transition ``trigger`` fires from ``state``, if any (at most one: validation forbids overlap)."""
        return self._index.get((trigger, state))

    def transitions_for(self, trigger: str) -> tuple[TransitionDef, ...]:
        return self._triggers.get(trigger, ())

    def transitions_from(self, state: str) -> tuple[TransitionDef, ...]:
        return tuple(t for t in self.transitions if state in t.sources)

    def is_final(self, state: str) -> bool:
        return self.states[state].final

    def confidential_flags(self, facts: Mapping[str, Any]) -> frozenset[str]:
        """{"confidential"} when the facts match ``confidential_when`` (a flag once set stays: flags are only
        ever added)."""
        return frozenset({"confidential"}) if facts_match_any(self.confidential_when, facts) else frozenset()

    @property
    def approval_states(self) -> frozenset[str]:
        """The states declared ``awaits: head_approval``: their cases are in the heads' approval queue."""
        return frozenset(n for n, s in self.states.items() if s.awaits == "head_approval")


def content_version(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _field(name: str, spec: FieldSpec) -> FieldDef:
    return FieldDef(name=name, type=spec.type, required=spec.required, label=spec.label, label_en=spec.label_en,
                    help=spec.help, legal_date=spec.legal_date, event_date=spec.event_date, choices=tuple((spec.choices or {}).items()),
                    min=spec.min, max=spec.max, personal=spec.personal)


def _sources(spec: TransitionSpec, non_final: list[str]) -> frozenset[str]:
    if spec.source == "*":
        return frozenset(non_final)
    return frozenset([spec.source] if isinstance(spec.source, str) else spec.source)


def _transition(spec: TransitionSpec, non_final: list[str], line: int) -> TransitionDef:
    ops = spec.clocks.model_dump() if spec.clocks else {}
    return TransitionDef(
        trigger=spec.trigger, label=spec.label, label_en=spec.label_en, sources=_sources(spec, non_final),
        dest=spec.dest, roles=frozenset(spec.roles), head_only=spec.head_only, guards=tuple(spec.guards),
        fields=tuple(_field(n, f) for n, f in spec.fields.items()),
        clock_ops=_frozen({op: tuple(ops.get(op) or ()) for op in CLOCK_OPS if ops.get(op)}),
        set_flags=frozenset(spec.set_flags), notify=tuple(NotifyDef(tuple(n.to), n.template) for n in spec.notify),
        basis=spec.basis, description=spec.description, line=line, facts=_frozen(spec.facts),
        hands_off=spec.hands_off,
        links_case=(spec.links_case.field, spec.links_case.as_) if spec.links_case else None,
        tells_sender=spec.tells_sender, once_per_sender=spec.once_per_sender, review=spec.review,
        effective_from=spec.effective_from, **_document(spec))


def _document(spec: TransitionSpec) -> dict[str, str | None]:
    if spec.document is None:
        return {"document": None}
    if isinstance(spec.document, str):
        return {"document": spec.document, "document_step": "issue"}
    return {"document": spec.document.type, "document_step": spec.document.step}


def _clock(name: str, spec: ClockSpec) -> ClockDef:
    rules = tuple(sorted((RuleDef(r.effective_from, r.effective_to, r.unit, _frozen(r.days), r.basis, r.label,
                                  r.review)
                          for r in spec.rules), key=lambda r: r.effective_from))
    ext = spec.extensions
    return ClockDef(
        name=name, label=spec.label, label_en=spec.label_en, kind=spec.kind, start_on_enter=spec.start.on_enter,
        start_on_trigger=spec.start.on_trigger, start_date=spec.start_date,
        start_when=_frozen({k: tuple(v) for k, v in spec.start.when.items()}), stop_in=frozenset(spec.stop_in),
        pause_in=frozenset(spec.pause_in), cancel_in=frozenset(spec.cancel_in), rules=rules,
        extensions=ExtensionPolicy(_frozen(ext.max), ext.days_max, ext.basis) if ext else None,
        ladder=tuple(LadderStep(s.key, s.offset, s.unit, tuple(s.notify), tuple(s.actions), s.label)
                     for s in spec.ladder),
        start_field=spec.start_field, days_fact=spec.days_fact, meaning=spec.meaning, meaning_en=spec.meaning_en, review=spec.review)


def build_definition(spec: WorkflowSpec, text: str, path: str, lines: list[int] | None = None) -> Definition:
    """Compile a validated spec (``validate.py`` must have passed) into a Definition with its machine."""
    from dvflow.engine.workflow.machine import compile_machine

    states = {n: StateDef(n, s.label, s.label_en, s.status, s.final, s.description, s.awaits)
              for n, s in spec.states.items()}
    non_final = [n for n, s in states.items() if not s.final]
    lines = lines or [0] * len(spec.transitions)
    transitions = tuple(_transition(t, non_final, ln) for t, ln in zip(spec.transitions, lines))
    index = {(t.trigger, s): t for t in transitions for s in t.sources}
    by_trigger: dict[str, list[TransitionDef]] = {}
    for t in transitions:
        by_trigger.setdefault(t.trigger, []).append(t)
    defn = Definition(
        id=spec.id, label=spec.label, label_en=spec.label_en, tracking_prefix=spec.tracking_prefix,
        confidential=spec.confidential, party_roles=tuple(spec.party_roles), initial=spec.initial,
        states=_frozen(states), transitions=transitions,
        clocks=_frozen({n: _clock(n, c) for n, c in spec.clocks.items()}), version=content_version(text),
        path=path, description=spec.description, requires_party=tuple(spec.requires_party),
        intake=spec.intake, source_text=text,
        confidential_when=_frozen({k: tuple(v) for k, v in spec.confidential_when.items()}),
        _index=_frozen(index),
        _triggers=_frozen({k: tuple(v) for k, v in by_trigger.items()}))
    object.__setattr__(defn, "machine", compile_machine(defn))
    return defn
