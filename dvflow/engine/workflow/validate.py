"""Semantic checks of a workflow that passed the schema: names resolve, the graph is sound, clocks are coherent.

Each check returns ``WorkflowError``s carrying the line of the offending key, so an editor sees all the problems of
a file at once.
"""
from __future__ import annotations

from collections import deque
from typing import Any, Callable, Iterator

from dvflow.engine.types import CASE_FLAGS
from dvflow.engine.workflow import guards as guard_registry
from dvflow.engine.workflow.effective import EFFECTIVE_FIELDS
from dvflow.engine.workflow.facts import FIELD_TYPES_BY_KIND, OPS_BY_KIND, SYSTEM_FACTS
from dvflow.engine.workflow.loader import WorkflowError, line_of
from dvflow.engine.workflow.schema import ClockSpec, TransitionSpec, WorkflowSpec

KNOWN_ROLES = frozenset({"reception", "handler", "head", "admin", "supervisor"})
READ_ONLY_ROLES = frozenset({"supervisor"})
KNOWN_PARTY_ROLES = frozenset({"complainant", "denouncer", "petitioner", "respondent", "accused", "representative"})

Path = tuple[Any, ...]
#: the runtime adds these to every transition without a legal_date field: a workflow may not declare them
RESERVED_FIELDS = frozenset(f.name for f in EFFECTIVE_FIELDS)


class Checker:
    def __init__(self, spec: WorkflowSpec, data: Any, path: str) -> None:
        self.spec, self.data, self.path = spec, data, path
        self.errors: list[WorkflowError] = []
        self.states = set(spec.states)
        self.finals = {n for n, s in spec.states.items() if s.final}

    def error(self, where: Path, message: str) -> None:
        self.errors.append(WorkflowError(self.path, line_of(self.data, where), message))

    def run(self) -> list[WorkflowError]:
        for check in CHECKS:
            check(self)
        return sorted(set(self.errors), key=lambda e: (e.line, e.message))

    def sources(self, t: TransitionSpec) -> set[str]:
        if t.source == "*":
            return self.states - self.finals
        return {t.source} if isinstance(t.source, str) else set(t.source)

    def each_transition(self) -> Iterator[tuple[int, TransitionSpec]]:
        return iter(enumerate(self.spec.transitions))


def check_states(c: Checker) -> None:
    if c.spec.initial not in c.states:
        c.error(("initial",), f"initial state {c.spec.initial!r} is not declared in states")
    for name, state in c.spec.states.items():
        if state.final and state.status != "closed":
            c.error(("states", name, "status"), f"final state {name!r} must have status: closed")
        if not state.final and state.status == "closed":
            c.error(("states", name, "status"), f"state {name!r} has status closed but is not final: true")


def check_approval_states(c: Checker) -> None:
    # a state in the heads' queue must be one the head can act on: open, and left by a head_only action
    for name, state in c.spec.states.items():
        if state.awaits is None:
            continue
        if state.status != "open":
            c.error(("states", name, "awaits"), f"state {name!r} awaits {state.awaits} but its status is "
                                                f"{state.status} (a case waiting for the head is open)")
        elif not any(t.head_only and name in c.sources(t) and t.dest not in (None, name) for t in c.spec.transitions):
            c.error(("states", name, "awaits"), f"state {name!r} awaits {state.awaits} but no head_only action "
                                                f"leaves it (the head could not decide)")


def check_party_roles(c: Checker) -> None:
    for k, role in enumerate(c.spec.party_roles):
        if role not in KNOWN_PARTY_ROLES:
            c.error(("party_roles", k), f"unknown party role {role!r} (known: {', '.join(sorted(KNOWN_PARTY_ROLES))})")
    for k, role in enumerate(c.spec.requires_party):
        if role not in c.spec.party_roles:  # a required role no party may take would refuse every case
            c.error(("requires_party", k), f"requires_party names party role {role!r} not in party_roles")


def check_transition_names(c: Checker) -> None:
    for i, t in c.each_transition():
        if t.source != "*":
            for s in sorted({t.source} if isinstance(t.source, str) else set(t.source)):
                if s not in c.states:
                    c.error(("transitions", i, "source"), f"transition {t.trigger!r}: unknown source state {s!r}")
        if t.dest is not None and t.dest not in c.states:
            c.error(("transitions", i, "dest"), f"transition {t.trigger!r}: unknown dest state {t.dest!r}")
        for s in sorted(c.sources(t) & c.finals):
            c.error(("transitions", i, "source"),
                    f"final state {s!r} has an exit: transition {t.trigger!r} (a final state allows no action)")


def check_roles(c: Checker) -> None:
    for i, t in c.each_transition():
        for role in t.roles:
            if role not in KNOWN_ROLES:
                c.error(("transitions", i, "roles"),
                        f"transition {t.trigger!r}: unknown role {role!r} (known: {', '.join(sorted(KNOWN_ROLES))})")
            elif role in READ_ONLY_ROLES:
                c.error(("transitions", i, "roles"), f"transition {t.trigger!r}: role {role!r} is read-only")
        if t.head_only and "head" not in t.roles:
            c.error(("transitions", i, "head_only"), f"transition {t.trigger!r}: head_only needs role 'head'")


def check_guards(c: Checker) -> None:
    for i, t in c.each_transition():
        for g in t.guards:
            entry = guard_registry.lookup(g)
            if entry is None:
                c.error(("transitions", i, "guards"), f"transition {t.trigger!r}: unknown guard {g!r}")
                continue
            _, arg = guard_registry.split_name(g)
            if entry.arg == "party_role" and arg not in c.spec.party_roles:
                c.error(("transitions", i, "guards"),
                        f"transition {t.trigger!r}: guard {g!r} names party role {arg!r} not in party_roles")


def check_fields(c: Checker) -> None:
    for i, t in c.each_transition():
        legal = [n for n, f in t.fields.items() if f.legal_date]
        if len(legal) > 1:
            c.error(("transitions", i, "fields"), f"transition {t.trigger!r}: more than one legal_date field: {legal}")
        for name, f in t.fields.items():
            where = ("transitions", i, "fields", name)
            if name in RESERVED_FIELDS:
                c.error(where, f"field {name!r}: reserved for the effective date every action carries")
            if f.legal_date and f.type != "date":
                c.error(where, f"field {name!r}: legal_date needs type: date")
            if f.event_date and (f.type != "date" or f.legal_date):
                c.error(where, f"field {name!r}: event_date needs type: date, and is not the legal_date")
            if (f.type == "choice") != bool(f.choices):
                c.error(where, f"field {name!r}: choices are required for type choice and only allowed there")
            if (f.min is not None or f.max is not None) and f.type not in ("integer", "number"):
                c.error(where, f"field {name!r}: min/max only apply to integer or number")


def check_flags(c: Checker) -> None:
    for i, t in c.each_transition():
        for k, flag in enumerate(t.set_flags):
            if flag not in CASE_FLAGS:
                c.error(("transitions", i, "set_flags", k),
                        f"transition {t.trigger!r}: unknown flag {flag!r} (known: {', '.join(sorted(CASE_FLAGS))})")


def _op_text(op: object) -> str:
    return str(op).lower() if isinstance(op, bool) else str(op)


def check_facts(c: Checker) -> None:
    engine = guard_registry.known_facts()
    for name in c.spec.facts:
        if name in engine:
            c.error(("facts", name), f"fact {name!r} is already known to the engine (a {engine[name]}): "
                                     f"do not declare it again")
    known = {**c.spec.facts, **engine}
    for i, t in c.each_transition():
        fields = {n: f.type for n, f in t.fields.items()}
        for name, op in t.facts.items():
            where, kind = ("transitions", i, "facts", name), known.get(name)
            if kind is None:
                c.error(where, f"transition {t.trigger!r}: unknown fact {name!r} (known: {', '.join(sorted(known))}; "
                               f"declare a new one under the top-level facts:)")
            elif name in SYSTEM_FACTS:
                c.error(where, f"transition {t.trigger!r}: fact {name!r} is set by the services, not by an action")
            elif op not in OPS_BY_KIND[kind]:
                allowed = ", ".join(_op_text(o) for o in OPS_BY_KIND[kind])
                c.error(where, f"transition {t.trigger!r}: fact {name!r} is a {kind}: {_op_text(op)!r} does not "
                               f"apply (use one of: {allowed})")
            elif op == "field" and name not in fields:
                c.error(where, f"transition {t.trigger!r}: fact {name!r} is copied from a field, but the transition "
                               f"has no field {name!r}")
            elif op == "field" and fields[name] not in FIELD_TYPES_BY_KIND[kind]:
                c.error(where, f"transition {t.trigger!r}: fact {name!r} is a {kind}: field {name!r} of type "
                               f"{fields[name]} cannot set it")


def check_ambiguous(c: Checker) -> None:
    seen: dict[tuple[str, str], int] = {}
    for i, t in c.each_transition():
        for s in sorted(c.sources(t)):
            if (t.trigger, s) in seen:
                c.error(("transitions", i, "source"),
                        f"trigger {t.trigger!r} is declared twice for state {s!r} "
                        f"(also transition #{seen[(t.trigger, s)] + 1})")
            seen.setdefault((t.trigger, s), i)


def check_graph(c: Checker) -> None:
    if c.spec.initial not in c.states:
        return
    edges: dict[str, set[str]] = {s: set() for s in c.states}
    for _, t in c.each_transition():
        if t.dest in c.states:
            for s in c.sources(t) & c.states:
                edges[s].add(t.dest)
    reached, todo = {c.spec.initial}, deque([c.spec.initial])
    while todo:
        for nxt in edges[todo.popleft()] - reached:
            reached.add(nxt)
            todo.append(nxt)
    for name in c.spec.states:
        if name not in reached:
            c.error(("states", name), f"state {name!r} is unreachable from initial state {c.spec.initial!r}")
        if name not in c.finals and not (edges[name] - {name}):
            c.error(("states", name), f"non-final state {name!r} has no exit (no transition leads out of it)")


def _check_clock_states(c: Checker, name: str, clock: ClockSpec) -> None:
    for key in ("stop_in", "pause_in", "cancel_in"):
        for s in getattr(clock, key):
            if s not in c.states:
                c.error(("clocks", name, key), f"clock {name!r}: {key} names unknown state {s!r}")
    start = clock.start
    if start.on_enter is not None:
        if start.on_enter not in c.states:
            c.error(("clocks", name, "start"), f"clock {name!r}: start.on_enter names unknown state {start.on_enter!r}")
        elif start.on_enter in c.finals:
            c.error(("clocks", name, "start"), f"clock {name!r} starts on entering final state {start.on_enter!r}")
    triggers = {t.trigger for t in c.spec.transitions}
    if start.on_trigger is not None and start.on_trigger not in triggers:
        c.error(("clocks", name, "start"), f"clock {name!r}: start.on_trigger names unknown trigger "
                                           f"{start.on_trigger!r}")


def _check_rules(c: Checker, name: str, clock: ClockSpec) -> None:
    order = sorted(range(len(clock.rules)), key=lambda k: clock.rules[k].effective_from)
    for a, b in zip(order, order[1:]):
        ra, rb = clock.rules[a], clock.rules[b]
        if ra.effective_to is None or ra.effective_to >= rb.effective_from:
            c.error(("clocks", name, "rules", b),
                    f"clock {name!r}: rule effective from {rb.effective_from} overlaps the rule effective from "
                    f"{ra.effective_from} (until {ra.effective_to or 'open end'})")
        elif (rb.effective_from - ra.effective_to).days > 1:
            c.error(("clocks", name, "rules", b),
                    f"clock {name!r}: gap between {ra.effective_to} and {rb.effective_from}: no rule in force")


def _check_ladder(c: Checker, name: str, clock: ClockSpec) -> None:
    if not clock.ladder:
        c.error(("clocks", name), f"clock {name!r} has no ladder (reminder, due date, escalation)")
    keys: set[str] = set()
    for k, step in enumerate(clock.ladder):
        if step.key in keys:
            c.error(("clocks", name, "ladder", k), f"clock {name!r}: ladder step key {step.key!r} is not unique")
        keys.add(step.key)
        if clock.kind == "waiting_period" and {"mark_missed", "raise_level"} & set(step.actions):
            c.error(("clocks", name, "ladder", k),
                    f"clock {name!r} is a waiting_period: its ladder cannot mark_missed or raise_level")


def _check_information(c: Checker, name: str, clock: ClockSpec) -> None:
    """An information clock is only a date computed from its start action: nothing may run, stop or escalate it."""
    where = ("clocks", name)
    for key in ("ladder", "stop_in", "pause_in", "cancel_in", "extensions"):
        if getattr(clock, key):
            c.error((*where, key), f"clock {name!r} is information: it cannot have {key} (it is never run, "
                                   f"overdue or escalated)")
    if clock.start.on_trigger is None:
        c.error((*where, "start"), f"clock {name!r} is information: it starts on_trigger (the action it follows)")
    if not clock.meaning:
        c.error(where, f"clock {name!r} is information: give its meaning for the handler")
    if clock.start_date != "field":
        return
    for i, t in c.each_transition():
        if t.trigger != clock.start.on_trigger:
            continue
        f = t.fields.get(clock.start_field or "")
        if f is None or f.type != "date" or not f.required:
            c.error(("transitions", i, "fields"), f"transition {t.trigger!r} starts information clock {name!r} "
                                                  f"from field {clock.start_field!r}: it must be a required date "
                                                  f"field")


def check_clocks(c: Checker) -> None:
    for name, clock in c.spec.clocks.items():
        _check_clock_states(c, name, clock)
        _check_rules(c, name, clock)
        if (clock.start_date == "field") != (clock.start_field is not None):
            c.error(("clocks", name, "start_date"), f"clock {name!r}: start_field goes with start_date: field")
        if clock.kind == "information":
            _check_information(c, name, clock)
            continue
        if clock.start_date == "field" or clock.meaning:
            c.error(("clocks", name), f"clock {name!r}: start_date field and meaning are for information clocks")
        if clock.days_fact is not None and c.spec.facts.get(clock.days_fact) != "count":
            c.error(("clocks", name, "days_fact"), f"clock {name!r}: days_fact {clock.days_fact!r} must be a count "
                                                   f"fact declared under facts:")
        _check_ladder(c, name, clock)


def check_transition_clocks(c: Checker) -> None:
    for i, t in c.each_transition():
        if t.clocks is None:
            continue
        for op, names in t.clocks.model_dump().items():
            for clock in names:
                if clock not in c.spec.clocks:
                    c.error(("transitions", i, "clocks", op), f"transition {t.trigger!r}: {op} names unknown clock "
                                                              f"{clock!r}")
                elif c.spec.clocks[clock].kind == "information":
                    c.error(("transitions", i, "clocks", op), f"transition {t.trigger!r}: clock {clock!r} is "
                                                              f"information: only its start.on_trigger starts it")
                elif op == "extend" and c.spec.clocks[clock].extensions is None:
                    c.error(("transitions", i, "clocks", op),
                            f"transition {t.trigger!r}: clock {clock!r} has no extensions: rules, it cannot be extended")
        if t.dest in c.finals and t.clocks.start:
            c.error(("transitions", i, "clocks", "start"),
                    f"transition {t.trigger!r} starts a clock while entering final state {t.dest!r}")
    for name, clock in c.spec.clocks.items():
        trig = clock.start.on_trigger
        if trig and clock.kind != "information" and any(t.trigger == trig and t.dest in c.finals for t in c.spec.transitions):
            c.error(("clocks", name, "start"), f"clock {name!r} starts on trigger {trig!r}, which enters a final state")


def check_service_steps(c: Checker) -> None:
    # the services read these fields by name when they run the step: each must exist with the right type
    for i, t in c.each_transition():
        fields = t.fields
        if t.hands_off is not None:
            f = fields.get(t.hands_off)
            if f is None or f.type != "choice" or not f.required:
                c.error(("transitions", i, "hands_off"), f"transition {t.trigger!r}: hands_off names "
                                                          f"{t.hands_off!r}, which must be a required choice field")
            elif t.dest is None or t.dest not in c.finals:
                c.error(("transitions", i, "hands_off"), f"transition {t.trigger!r}: a letter handed off is closed: "
                                                          f"dest must be a final state")
        if t.links_case is not None:
            f = fields.get(t.links_case.field)
            if f is None or f.type != "string" or not f.required:
                c.error(("transitions", i, "links_case"), f"transition {t.trigger!r}: links_case names "
                                                           f"{t.links_case.field!r}, which must be a required string "
                                                           f"field (a tracking code)")


def check_documents(c: Checker) -> None:
    # the document services read these fields by name (services/documents/flow.py); that the type exists in the
    # manifest is checked when the registry loads (dvflow/workflows.py): the manifest is not the engine's
    for i, t in c.each_transition():
        doc = t.document
        if doc is None or isinstance(doc, str):
            continue
        if doc.step == "return" and ("reason" not in t.fields or t.fields["reason"].type != "text"):
            c.error(("transitions", i, "document"), f"transition {t.trigger!r}: a document returned needs a text "
                                                     f"field 'reason' (the head's comments)")


def check_conditions(c: Checker) -> None:
    known = {**c.spec.facts, **guard_registry.known_facts()}
    for name in c.spec.confidential_when:
        if name not in known:
            c.error(("confidential_when", name), f"confidential_when names unknown fact {name!r}")
    for clock_name, clock in c.spec.clocks.items():
        for name in clock.start.when:
            if name not in known:
                c.error(("clocks", clock_name, "start", "when"), f"clock {clock_name!r}: start.when names unknown "
                                                                 f"fact {name!r}")


CHECKS: tuple[Callable[[Checker], None], ...] = (
    check_states, check_approval_states, check_party_roles, check_transition_names, check_roles, check_guards,
    check_fields, check_flags, check_facts, check_ambiguous, check_graph, check_clocks, check_transition_clocks,
    check_service_steps, check_documents, check_conditions,
)


def validate_spec(spec: WorkflowSpec, data: Any, path: str) -> list[WorkflowError]:
    return Checker(spec, data, path).run()
