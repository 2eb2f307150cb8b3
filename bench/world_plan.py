"""What a generated case goes through: per workflow kind, the states it may stop in, the shortest chain of real
transitions that reaches each one, and the clocks those transitions start and stop (read from the workflow files,
so every action, state and clock name a generated row carries exists in its workflow).

Guards are not evaluated: a chain is a path through the state graph, not a replay of a legal history.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

#: case kinds and their share of all cases (letters and petitions dominate real registers)
KIND_SHARES = {"triage": 0.28, "petition": 0.30, "complaint_first": 0.16, "complaint_second": 0.03,
               "denunciation": 0.10, "anonymous_tip": 0.03, "complaint_discipline": 0.02, "follow_up": 0.05,
               "dialogue": 0.03}
#: the citizen party's role per kind (None: the kind has no citizen party)
CITIZEN_ROLE = {"triage": "petitioner", "petition": "petitioner", "complaint_first": "complainant",
                "complaint_second": "complainant", "complaint_discipline": "complainant",
                "denunciation": "denouncer", "anonymous_tip": None, "follow_up": None, "dialogue": None}
#: the other side's role per kind (an organisation or an official)
OTHER_ROLE = {"complaint_first": "respondent", "complaint_second": "respondent", "complaint_discipline": "respondent",
              "denunciation": "accused", "anonymous_tip": "accused"}
#: which closed state ends most cases: the full path to "closed" weighs most, the short exits less
FINAL_WEIGHT = {"closed": 2.5, "refused": 1.0, "terminated": 0.6, "forwarded": 1.0, "guided": 1.0, "archived": 0.4,
                "accepted": 2.0, "done": 3.0, "cancelled": 0.5, "called_off": 0.5, "taken_over": 0.2}
#: the outcome recorded by decisions and conclusions (the periodic report counts them)
RESULTS = ("right", "partly_right", "wrong", "correct", "partly_correct", "untrue")


@dataclass(frozen=True)
class Step:
    trigger: str
    label: str
    source: str
    dest: str
    fields: dict  # the action's fields, dates as None (filled with the step's legal date)
    date_fields: tuple[str, ...]
    fact_ops: dict
    starts: tuple[str, ...]  # clocks started by this step
    stops: tuple[str, ...]  # clocks stopped (met) by this step
    notify: tuple[tuple[tuple[str, ...], str], ...]  # (recipients' roles, template)
    document: str | None


@dataclass
class Path:
    state: str
    status: str
    steps: tuple[Step, ...]
    weight: float


@dataclass
class KindPlan:
    kind: str
    prefix: str
    version: str
    initial: str
    initial_clocks: tuple[str, ...]
    closed: list[Path] = field(default_factory=list)
    open: list[Path] = field(default_factory=list)
    clocks: dict = field(default_factory=dict)  # name -> (label, basis, rule_label, unit, days, ladder keys)


def _fields(t) -> tuple[dict, tuple[str, ...]]:
    out, dates = {}, []
    for f in t.fields:
        if not f.required and f.name != "result":
            continue
        if f.type == "date":
            out[f.name] = None
            dates.append(f.name)
        elif f.type == "choice":
            names = [c[0] for c in f.choices]
            if f.name == "result":
                names = [n for n in names if n in RESULTS] or names
            out[f.name] = names
        elif f.type == "boolean":
            out[f.name] = True
        elif f.type in ("integer", "number"):
            out[f.name] = max(1, int(f.min or 1))
        else:
            out[f.name] = f"{f.label} (số liệu đo hiệu năng)"
    return out, tuple(dates)


def _clocks_of(defn) -> dict:
    out = {}
    for name, c in defn.clocks.items():
        if c.information or c.start_when or not c.rules:
            continue
        rule = c.rules[-1]
        days = rule.days.get("normal") or next(iter(rule.days.values()))
        out[name] = (c.label, rule.basis, rule.label or f"{days} ngày", rule.unit, days,
                     tuple(s.key for s in c.ladder), c)
    return out


def _step(defn, t, source: str, clocks: dict, running: set[str]) -> Step:
    dest = t.dest or source
    starts = [n for n in t.clock_ops.get("start", ()) if n in clocks]
    starts += [n for n, v in clocks.items()
               if (v[6].start_on_trigger == t.trigger or (v[6].start_on_enter == dest and dest != source))
               and n not in starts]
    stops = [n for n in running if n in t.clock_ops.get("stop", ()) or dest in clocks[n][6].stop_in
             or dest in clocks[n][6].cancel_in]
    if defn.states[dest].final:
        stops = list(running)
    fields, dates = _fields(t)
    notify = tuple((tuple(n.to), n.template) for n in t.notify)
    return Step(t.trigger, t.label, source, dest, fields, dates, dict(t.facts), tuple(starts), tuple(stops), notify,
                t.document)


def kind_plan(defn) -> KindPlan:
    """The BFS shortest path from the initial state to every reachable state, as steps."""
    clocks = _clocks_of(defn)
    initial_clocks = tuple(n for n, v in clocks.items() if v[6].start_on_enter == defn.initial
                           or v[6].start_on_trigger in (None, "register") and v[6].start_on_enter is None)
    plan = KindPlan(defn.id, defn.tracking_prefix, defn.version, defn.initial, initial_clocks, clocks=clocks)
    paths = {defn.initial: ((), frozenset(initial_clocks))}
    queue = deque([defn.initial])
    while queue:
        src = queue.popleft()
        steps, running = paths[src]
        for t in defn.transitions_from(src):
            if not t.dest or t.dest in paths:
                continue
            s = _step(defn, t, src, clocks, set(running))
            paths[t.dest] = (steps + (s,), (running - set(s.stops)) | set(s.starts))
            queue.append(t.dest)
    for state, (steps, _running) in paths.items():
        sd = defn.states[state]
        if sd.final:
            plan.closed.append(Path(state, sd.status, steps, FINAL_WEIGHT.get(state, 0.5)))
        else:
            # open cases mostly sit early in their workflow (received, accepted, verifying)
            plan.open.append(Path(state, sd.status, steps, 3.0 / (1 + len(steps))))
    return plan
