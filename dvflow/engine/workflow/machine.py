"""One ``transitions.Machine`` per workflow version, never one per case.

The machine is built with no model attached (``model=None``), ``auto_transitions=False`` (no ``to_<state>``
shortcuts) and ``ignore_invalid_triggers=True`` (a trigger invalid in the current state returns False, which the
runtime treats as a rejection). To fire, the runtime hands the event a throw-away ``Token`` carrying the case's
current state; the machine sets ``token.state`` to the destination. Nothing is added to or kept in the machine per
case, so there is no ``add_model``/``remove_model`` leak, and a fire costs a few microseconds.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from transitions import Machine

if TYPE_CHECKING:
    from dvflow.engine.workflow.definition import Definition


class Token:
    """The light per-call object the machine fires on: just a state."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


def compile_machine(defn: "Definition") -> Machine:
    transitions = [
        {"trigger": t.trigger, "source": sorted(t.sources), "dest": t.dest}
        for t in defn.transitions
    ]
    return Machine(model=None, states=list(defn.states), transitions=transitions, initial=defn.initial,
                   auto_transitions=False, ignore_invalid_triggers=True, send_event=False,
                   name=f"{defn.id}@{defn.version[:12]}")


def fire_machine(machine: Machine, state: str, trigger: str) -> str | None:
    """The state after firing ``trigger`` from ``state``, or None when the machine refuses."""
    event = machine.events.get(trigger)
    if event is None or state not in machine.states:
        return None
    token = Token(state)
    if not event.trigger(token):
        return None
    return token.state
