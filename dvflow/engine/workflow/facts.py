"""Case facts: named values kept on a case, set by the actions that declare them and read by the guards.

A transition declares what it does to the facts (``facts: {approved: true}``), so the rules live in the workflow
file and not in Python switches on trigger names. Which facts exist is declared too: the guards declare the facts
they read (``@guard(..., facts={...})``), a workflow may declare extra ones at its top level, and the services own
the system facts below. ``validate.py`` refuses any other name, or an operation that does not fit the fact's kind.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Literal, Mapping

FactKind = Literal["boolean", "count", "date", "text", "list"]
FactOp = bool | Literal["increment", "legal_date", "field"]

FACT_KINDS: tuple[str, ...] = FactKind.__args__  # type: ignore[attr-defined]
FACT_WORDS: tuple[str, ...] = ("increment", "legal_date", "field")  # the operations besides true / false

#: Facts the services set themselves, never a transition: the parties are fixed when a case is registered; a mass
#: case's people, representatives and their written appointment are recorded at intake or corrected afterwards.
SYSTEM_FACTS: Mapping[str, FactKind] = {"party_roles": "list", "people_count": "count", "representatives_count": "count",
                                        "appointment_recorded": "boolean"}

#: The operations a transition may apply to a fact of each kind.
OPS_BY_KIND: Mapping[str, tuple[FactOp, ...]] = {
    "boolean": (True, False, "field"),
    "count": ("increment", "field"),
    "date": ("legal_date", "field"),
    "text": ("field",),
    "list": (),
}

#: The field types whose value can be copied (``field``) into a fact of each kind.
FIELD_TYPES_BY_KIND: Mapping[str, frozenset[str]] = {
    "boolean": frozenset({"boolean"}),
    "count": frozenset({"integer"}),
    "date": frozenset({"date"}),
    "text": frozenset({"string", "text", "choice"}),
    "list": frozenset(),
}


def _jsonable(value: Any) -> Any:
    # facts are stored as JSON on the case: dates as ISO strings, which the guards read back
    return value.isoformat() if isinstance(value, date) else value


def apply_facts(facts: Mapping[str, Any], ops: Mapping[str, FactOp], payload: Mapping[str, Any],
                legal_date: date) -> dict[str, Any]:
    """The facts after an action: ``facts`` with each declared operation applied, in the order declared.

    ``field`` copies the action's field of the same name when it was given; an empty field leaves the fact as is.
    """
    new = dict(facts)
    for name, op in ops.items():
        if op is True or op is False:
            new[name] = op
        elif op == "increment":
            new[name] = int(new.get(name, 0) or 0) + 1
        elif op == "legal_date":
            new[name] = legal_date.isoformat()
        elif op == "field" and payload.get(name) is not None:
            new[name] = _jsonable(payload[name])
    return new
