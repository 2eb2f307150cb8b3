"""The operations bench/bpmn.py times, as one process runs them: an intake and an action of dvflow, of the BPMN
engine (bench/bpmn_model.py) and of the ORM baseline, each in a transaction of its own.

A worker process (:func:`serve`) builds its own engine and connection from a picklable :class:`Plan`, warms every
operation, then runs what the parent asks for at the instant the parent names, so that W workers start together.
Every process acts on cases and instances of its own (no two processes wait on one row lock): what is measured is
each side's work per operation and how it shares the machine and the database, not a queue on one row.
"""
from __future__ import annotations

import logging
import os
import time
import traceback
from dataclasses import dataclass, field
from datetime import timedelta
from typing import ClassVar

from .common import NOW, ROOT, World, intake_input

OPS = ("intake", "action")
SIDES = ("dvflow", "bpmn", "orm")
WARMUP = 3
#: the head's reason for returning a draft, the same text as bench/transition.py's cycle
RETURN_REASON = "Sửa lại đoạn 2"


@dataclass(frozen=True)
class Plan:
    """What one process is given: where the database is and which cases and BPMN instances are its own."""

    url: str
    kind: str
    world: World
    tag: str  # keeps tracking codes and names of the processes apart
    first: int  # the first number of this process's intakes (names, identity numbers)
    cases: tuple[int, ...]  # dvflow petitions in drafting (perform and the ORM baseline act on them)
    instances: tuple[int, ...] = field(default=())  # BPMN instances waiting at "submit"


def bpmn_case_data(world: World, n: int) -> dict:
    """The case's data as a BPMN service keeps it: the same fields bench/common.intake_input gives register_case."""
    given = intake_input(world, n)
    party = given.parties[0]
    return {"kind": given.kind, "unit_id": given.unit_id, "channel": given.channel,
            "received_at": given.received_at.isoformat(), "subject": given.subject, "content": given.content,
            "assignee_id": given.assignee_id,
            "petitioner": {"name": party.name, "identity_number": party.identity_number, "address": party.address,
                           "phone": party.phone}}


class BpmnCycle:
    """BPMN instances cycling submit → review (return) → submit, as bench/transition.py's drafting ⇄ submitted."""

    NEXT: ClassVar[dict[str, str]] = {"submit": "review", "review": "submit"}

    def __init__(self, store, world: World, instances) -> None:
        self.store, self.world, self.ids = store, world, list(instances)
        self.waiting = {i: "submit" for i in self.ids}
        self.now = NOW

    def act(self, k: int) -> None:
        iid = self.ids[k % len(self.ids)]
        task = self.waiting[iid]
        self.now += timedelta(seconds=1)
        data = {"actor_id": self.world.head_id, "at": self.now.isoformat()}
        if task == "review":
            data.update(decision="return", reason=RETURN_REASON)
        following = self.store.act(iid, task, data)
        if following != self.NEXT[task]:
            raise RuntimeError(f"BPMN instance {iid}: after {task} the engine waits at {following}")
        self.waiting[iid] = following


class Sides:
    """The six timed operations of one process, keyed (op, side); each is ``fn(i)``, i growing across calls."""

    def __init__(self, db, plan: Plan, store) -> None:
        from .intake import make_orm_add
        from .transition import Cycle

        self.db, self.plan, self.store = db, plan, store
        self.cycle = Cycle(db, plan.world, list(plan.cases))
        self.bpmn = BpmnCycle(store, plan.world, plan.instances)
        orm_add = make_orm_add(db, plan.world, db.workflows.latest("petition"), tag=f"ORM{plan.tag}")
        self.ops = {("intake", "dvflow"): self.register, ("intake", "bpmn"): self.bpmn_intake,
                    ("intake", "orm"): orm_add, ("action", "dvflow"): self.cycle.perform,
                    ("action", "bpmn"): self.bpmn.act, ("action", "orm"): self.cycle.orm}
        self.done = {key: 0 for key in self.ops}

    def register(self, i: int) -> None:
        from dvflow.services.cases.intake import register_case
        from dvflow.services.org.access import load_user

        with self.db.sessions() as s:
            user = load_user(s, self.plan.world.handler_id)  # as the web's user loader does
            register_case(s, self.db.workflows, user, intake_input(self.plan.world, self.plan.first + i), NOW)
            s.commit()

    def bpmn_intake(self, i: int) -> None:
        self.store.intake(bpmn_case_data(self.plan.world, self.plan.first + i))

    def run(self, op: str, side: str, k: int) -> None:
        fn, start = self.ops[(op, side)], self.done[(op, side)]
        for i in range(start, start + k):
            fn(i)
        self.done[(op, side)] = start + k

    def warm(self) -> None:
        for op, side in self.ops:
            self.run(op, side, WARMUP)

    def timed(self, op: str, side: str, k: int, go_at: float) -> tuple[float, float, float]:
        """Wait for the shared start instant, run ``k`` operations; (start, end) on the machine's monotonic clock
        (CLOCK_MONOTONIC on Linux: the same clock in every process), and this process's CPU seconds meanwhile
        (what the operation costs in Python, apart from waiting on the database)."""
        time.sleep(max(0.0, go_at - time.monotonic()))
        t0, cpu0 = time.monotonic(), time.process_time()
        self.run(op, side, k)
        return t0, time.monotonic(), time.process_time() - cpu0


def connect(plan: Plan):
    """A worker's own engine, sessions and workflow registry on the parent's database."""
    from dvflow.db import make_engine, make_session_factory
    from dvflow.workflows import load_registry

    from .common import Db, _install_identity_keys

    engine = make_engine(plan.url)
    _install_identity_keys()
    return Db(plan.kind, plan.url, engine, make_session_factory(engine), load_registry(str(ROOT / "workflows")))


def serve(conn, plan: Plan) -> None:
    """A worker process: answers (op, side, k, go_at) with (start, end); None ends it with the counts done."""
    os.environ.setdefault("DVFLOW_ENV", "testing")
    logging.getLogger("dvflow").setLevel(logging.WARNING)
    db = None
    try:
        from .bpmn_model import BpmnStore

        db = connect(plan)
        sides = Sides(db, plan, BpmnStore(db.engine))
        sides.warm()
        conn.send(("ready", None))
        for op, side, k, go_at in iter(conn.recv, None):
            conn.send(("ok", sides.timed(op, side, k, go_at)))
        conn.send(("done", {f"{op}.{side}": n for (op, side), n in sides.done.items()}))
    except Exception:  # the parent raises it: a worker's failure must not pass for a slow rate
        conn.send(("error", traceback.format_exc()))
    finally:
        if db is not None:
            db.engine.dispose()
        conn.close()
