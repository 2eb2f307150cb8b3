"""Workflow definitions: YAML files loaded, validated and compiled into frozen definitions, fired by the runtime.

Public API::

    load_all(dir) -> Registry              registry.by_id / by_version, get(id), version(hash)
    load_text(text, path) / load_file(p)   one Definition, or WorkflowLoadFailed (a WorkflowError) with .errors
    check_paths(paths) -> list[WorkflowError]
    available_actions(defn, case, actor) -> list[ActionSpec]
    fire(defn, case, action, actor, payload, now) -> Outcome | Rejection
    action_fields(transition) -> its fields, with the effective date when it has no legal_date field of its own
    initial_clock_ops(defn, case) -> tuple[ClockOp, ...]
    register(defn, case, payload, assigned=...) -> Outcome   a new case's registration, applied like an action
    render_svg(defn, current_state=None) -> str
    review_notes(paths) -> list[WorkflowError]   the `review:` notes, printed by `workflows check` as warnings
    render_rules(definitions) -> str            the rules table for lawyers (workflows/RULES.md), Markdown
"""
from dvflow.engine.workflow.definition import (
    ClockDef,
    Definition,
    FieldDef,
    StateDef,
    TransitionDef,
)
from dvflow.engine.workflow.effective import EFFECTIVE_FIELDS, action_fields
from dvflow.engine.workflow.graph import render_svg, to_dot
from dvflow.engine.workflow.guards import GUARDS, guard
from dvflow.engine.workflow.loader import WorkflowError
from dvflow.engine.workflow.registration import initial_clock_ops, register
from dvflow.engine.workflow.registry import (
    Registry,
    WorkflowLoadFailed,
    check_paths,
    compile_text,
    load_all,
    load_file,
    load_text,
)
from dvflow.engine.workflow.review import review_notes
from dvflow.engine.workflow.rules_table import render_rules
from dvflow.engine.workflow.runtime import (
    ActionSpec,
    available_actions,
    fire,
    local_date,
)

__all__ = [
    "EFFECTIVE_FIELDS", "ActionSpec", "ClockDef", "Definition", "FieldDef", "GUARDS", "Registry", "StateDef", "TransitionDef",
    "WorkflowError", "WorkflowLoadFailed", "action_fields", "available_actions", "check_paths", "compile_text", "fire", "guard",
    "initial_clock_ops", "load_all", "load_file", "load_text", "local_date", "register", "render_rules", "render_svg",
    "review_notes", "to_dot",
]
