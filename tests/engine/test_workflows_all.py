"""Every shipped workflow, exercised through the runtime: every transition fired from every source state, every
state reached, every clock started and met, every rule and transition citing an article."""
from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections import deque
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from dvflow.engine.types import Actor, CaseView, ClockView, Outcome
from dvflow.engine.workflow import (
    Definition,
    TransitionDef,
    fire,
    graph,
    initial_clock_ops,
    load_all,
    load_text,
    render_svg,
    to_dot,
)

REG = load_all(Path(__file__).resolve().parents[2] / "workflows")
IDS = sorted(d.id for d in REG)
NOW = datetime(2026, 9, 1, 3, 0, tzinfo=timezone.utc)
TODAY = date(2026, 9, 1)
BOSS = Actor(1, frozenset({"reception", "handler", "head", "admin"}), is_head=True)
FLAG_SETS = (frozenset(), frozenset({"complex"}), frozenset({"complex", "especially_complex"}))
FACTS = {
    "party_roles": ["complainant", "denouncer", "petitioner", "respondent", "accused", "representative"],
    "forward_count": 0, "competent": True, "content_type": "denunciation", "dialogue_held": True,
    "verification_report_recorded": True, "approved": True, "published": True, "open_commitments": 0,
    "notice_sent_on": TODAY - timedelta(days=10), "conclusion_sent": True, "conclusion_notified": True,
    # a case forwarded by a National Assembly body and already reported to it; a second-instance disciplinary case
    "forwarded_by_body": "national_assembly", "forwarder_informed": True, "instance": "second",
}

# letter triage's actions depend on the content found and on competence: each is fired with some content
FACT_VARIANTS = (FACTS, *({**FACTS, "content_type": content, "competent": competent}
                          for content in ("denunciation", "complaint_first", "petition", "mixed", "anonymous_tip")
                          for competent in (True, False)),
                 {**FACTS, "assessment_pending": True})  # a denunciation's expert assessment awaits its conclusion


def value_for(field: Any) -> Any:
    if field.type == "date":
        # a date of something that happened (legal or event date) is today; others (a dialogue's day) are ahead
        return TODAY if field.legal_date or field.event_date else TODAY + timedelta(days=30)
    if field.type in ("integer", "number"):
        return int(field.min) if field.min is not None else 1
    if field.type == "boolean":
        return True
    if field.type == "choice":
        return field.choices[0][0]
    return "Nội dung"


def payload_for(t: TransitionDef) -> dict[str, Any]:
    payload = {f.name: value_for(f) for f in t.fields}
    if "notice_sent_on" in payload:
        payload["notice_sent_on"] = TODAY
    return payload


def payload_variants(t: TransitionDef) -> list[dict[str, Any]]:
    """payload_for(t), then every combination of the choices and booleans of its fields (a conditional clock
    starts only on some of them)."""
    options = [[(f.name, c) for c, _ in f.choices] if f.type == "choice" else [(f.name, True), (f.name, False)]
               for f in t.fields if f.type in ("choice", "boolean")]
    return [payload_for(t), *({**payload_for(t), **dict(combo)} for combo in itertools.product(*options))]


def snapshot(defn: Definition, state: str, flags: frozenset[str], facts: dict = FACTS) -> CaseView:
    clocks = {n: ClockView(n, "running", TODAY - timedelta(days=3)) for n in defn.clocks}
    return CaseView(kind=defn.id, state=state, status=defn.states[state].status, received_on=TODAY - timedelta(days=5),
                    flags=flags, clocks=clocks, facts=facts, last_event_on=TODAY - timedelta(days=1))


def fire_from_facts(defn: Definition, t: TransitionDef, state: str) -> tuple[Outcome, dict]:
    """The first outcome of `t` from `state` over the flag sets and fact variants, with the facts it started from."""
    results = []
    for facts in FACT_VARIANTS:
        for flags in FLAG_SETS:
            r = fire(defn, snapshot(defn, state, flags, facts), t.trigger, BOSS, payload_for(t), NOW)
            if r.ok:
                return r, facts
            results.append(r)
    raise AssertionError(f"{defn.id}: {t.trigger} from {state} never fires: {results[:3]}")


def fire_from(defn: Definition, t: TransitionDef, state: str) -> Outcome:
    return fire_from_facts(defn, t, state)[0]


@pytest.mark.parametrize("workflow_id", IDS)
def test_every_transition_fires_from_every_source(workflow_id: str) -> None:
    defn = REG.get(workflow_id)
    fired = 0
    for t in defn.transitions:
        for state in sorted(t.sources):
            outcome = fire_from(defn, t, state)
            assert outcome.to_state == (t.dest or state)
            assert outcome.status == defn.states[outcome.to_state].status
            assert outcome.basis == t.basis and outcome.label == t.label
            fired += 1
    assert fired == sum(len(t.sources) for t in defn.transitions) > 0


@pytest.mark.parametrize("workflow_id", IDS)
def test_every_state_is_reached_by_firing(workflow_id: str) -> None:
    defn = REG.get(workflow_id)
    reached, todo = {defn.initial}, deque([defn.initial])
    while todo:
        state = todo.popleft()
        for t in defn.transitions_from(state):
            nxt = fire_from(defn, t, state).to_state
            if nxt not in reached:
                reached.add(nxt)
                todo.append(nxt)
    assert reached == set(defn.states)


@pytest.mark.parametrize("workflow_id", IDS)
def test_every_clock_is_started_and_can_be_met(workflow_id: str) -> None:
    defn = REG.get(workflow_id)
    started = {op.clock for op in initial_clock_ops(defn, snapshot(defn, defn.initial, frozenset()))}
    met: set[str] = set()
    for t in defn.transitions:
        for state, facts in ((s, f) for s in t.sources for f in FACT_VARIANTS):
            snap = snapshot(defn, state, frozenset(), facts)
            fresh = replace(snap, clocks={})
            for case in (snap, fresh):
                for flags, payload in itertools.product(FLAG_SETS, payload_variants(t)):
                    r = fire(defn, replace(case, flags=flags), t.trigger, BOSS, payload, NOW)
                    if r.ok:
                        started |= {op.clock for op in r.clock_ops if op.op == "start"}
                        met |= {op.clock for op in r.clock_ops if op.op == "stop" and op.result == "met"}
    run = {n for n, c in defn.clocks.items() if not c.information}  # information clocks never run (information.py)
    assert started == run
    assert met == run


@pytest.mark.parametrize("workflow_id", IDS)
def test_every_clock_has_a_full_ladder(workflow_id: str) -> None:
    for clock in REG.get(workflow_id).clocks.values():
        if clock.information:
            assert not clock.ladder, clock.name  # never overdue, never escalated
            continue
        offsets = [s.offset for s in clock.ladder]
        assert min(offsets) < 0 and 0 in offsets and max(offsets) > 0, clock.name
        due = next(s for s in clock.ladder if s.offset == 0)
        after = [s for s in clock.ladder if s.offset > 0]
        if clock.kind == "deadline":
            assert "mark_missed" in due.actions, clock.name
            assert any("raise_level" in s.actions or "mark_priority" in s.actions for s in after), clock.name
            assert any(set(s.notify) & {"parent_head", "unit_head"} for s in after), clock.name
        else:
            assert all("mark_missed" not in s.actions for s in clock.ladder)


@pytest.mark.parametrize("workflow_id", IDS)
def test_every_transition_and_rule_cites_an_article(workflow_id: str) -> None:
    defn = REG.get(workflow_id)
    for t in defn.transitions:
        assert "Điều" in t.basis, (t.trigger, t.basis)
    for clock in defn.clocks.values():
        for rule in clock.rules:
            assert "Điều" in rule.basis, (clock.name, rule.basis)
        if clock.extensions:
            assert "Điều" in clock.extensions.basis


def test_workflow_identities() -> None:
    prefixes = [d.tracking_prefix for d in REG]
    assert len(set(prefixes)) == len(prefixes)
    assert REG.get("denunciation").confidential is True
    assert REG.get("complaint_first").confidential is False
    assert REG.get("anonymous_tip").clocks == {}


def test_every_decision_or_conclusion_needs_a_head_approval() -> None:
    for defn in REG:
        for t in defn.transitions:
            if t.trigger in ("issue_decision", "conclude"):
                assert t.head_only and "approved" in t.guards, (defn.id, t.trigger)
                assert t.sources == {"approved"}
                approve = defn.transition("approve", "submitted")
                assert approve is not None and approve.head_only and approve.dest == "approved"
                assert defn.transition("return", "submitted") is not None


def test_second_instance_dialogue_is_mandatory() -> None:
    defn = REG.get("complaint_second")
    draft = defn.transitions_for("draft_decision")
    assert len(draft) == 1 and draft[0].sources == {"dialogue_held"} and "dialogue_held" in draft[0].guards


# --- drawing -------------------------------------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def boxes_of(root: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("id", "").startswith("state-"):
            r = g.find(f"{SVG}rect")
            out[g.get("id")[6:]] = (float(r.get("x")), float(r.get("y")), float(r.get("width")),
                                    float(r.get("height")))
    return out


@pytest.mark.parametrize("workflow_id", IDS)
def test_pure_python_svg_draws_every_state_and_highlights_the_current_one(workflow_id: str) -> None:
    defn = REG.get(workflow_id)
    for current in [None, *defn.states]:
        svg = graph.render_python(defn, current)
        root = ET.fromstring(svg)  # well-formed, no prolog
        assert svg.startswith("<svg") and root.tag == f"{SVG}svg"
        boxes = boxes_of(root)
        assert set(boxes) == set(defn.states)
        highlighted = [g.get("id") for g in root.iter(f"{SVG}g") if "current" in (g.get("class") or "").split()]
        assert highlighted == ([] if current is None else [f"state-{current}"])
        texts = {t.text for t in root.iter(f"{SVG}text")}
        assert {s.label for s in defn.states.values()} <= texts
        width, height = float(root.get("width")), float(root.get("height"))
        items = list(boxes.items())
        for i, (a, (ax, ay, aw, ah)) in enumerate(items):
            assert 0 <= ax and ax + aw <= width and 0 <= ay and ay + ah <= height, a
            for b, (bx, by, bw, bh) in items[i + 1:]:
                assert ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay, (a, b)


def test_svg_escapes_labels() -> None:
    text = REG.get("petition").source_text.replace('"Đã tiếp nhận"', '"Đã <nhận> & \\"ghi\\""', 1)
    svg = graph.render_python(load_text(text, "p.yaml"), "received")
    assert "Đã <nhận> & \"ghi\"" in {t.text for t in ET.fromstring(svg).iter(f"{SVG}text")}


def test_wide_transitions_are_drawn_once() -> None:
    defn = REG.get("complaint_first")
    wide = {label for label, _, _ in graph.wide_transitions(defn)}
    assert {"Rút toàn bộ khiếu nại", "Đình chỉ giải quyết", "Tạm đình chỉ giải quyết"} <= wide
    assert all(dst not in ("withdrawn", "termination_issued") for (_, dst) in graph.edges_of(defn))
    dot = to_dot(defn, "verifying")
    assert dot.count("từ 10 trạng thái") == 2 and '"verifying" [label="Đang xác minh", fillcolor="#ffd54f"' in dot


def fake_dot(tmp_path: Path, body: str) -> str:
    script = tmp_path / "dot"
    script.write_text(f"#!/bin/sh\ncat > /dev/null\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def test_render_uses_dot_when_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    binary = fake_dot(tmp_path, "printf '<?xml version=\"1.0\"?>\\n<svg id=\"from-dot\"></svg>'")
    monkeypatch.setattr(graph.shutil, "which", lambda name: binary if name == "dot" else None)
    assert render_svg(REG.get("triage"), "received") == '<svg id="from-dot"></svg>'
    assert render_svg(REG.get("triage"), "received", engine="python").startswith("<svg xmlns")


@pytest.mark.parametrize("body", ["exit 3", "echo not-svg"])
def test_render_falls_back_when_dot_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    binary = fake_dot(tmp_path, body)
    monkeypatch.setattr(graph.shutil, "which", lambda name: binary)
    assert render_svg(REG.get("triage"), "received") == graph.render_python(REG.get("triage"), "received")


def test_render_without_dot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph.shutil, "which", lambda name: None)
    assert render_svg(REG.get("dialogue")) == graph.render_python(REG.get("dialogue"))


@pytest.mark.skipif(graph.shutil.which("dot") is None, reason="Graphviz dot not installed")
def test_real_dot_renders() -> None:
    svg = render_svg(REG.get("denunciation"), "accepted", engine="dot")
    assert svg.startswith("<svg") and "state-accepted" in svg


def test_approval_states_are_declared_and_decided_by_the_head() -> None:
    # the approval queue shows the states declared `awaits: head_approval`: the shipped ones are each `submitted`,
    # and a follow-up task's reported result, which the head confirms or sends back
    for defn in REG:
        expected = {"submitted"} if "submitted" in defn.states else {"reported"} if defn.id == "follow_up" else set()
        assert defn.approval_states == expected, defn.id
        for state in defn.approval_states:
            assert any(t.head_only and t.dest not in (None, state) for t in defn.transitions_from(state))
