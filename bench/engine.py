"""Figure 3: the engine step. Time of ``fire()`` alone vs a full committed transition; machines built per request
(``transitions.Machine.__init__`` patched to count during N performs); memory kept per case by the engine
(tracemalloc over firing on 10k different case views)."""
from __future__ import annotations

import gc
import time
import tracemalloc
from dataclasses import replace
from datetime import timedelta
from unittest import mock

from .common import NOW, database, make_drafting_cases, make_world
from .transition import Cycle


def _fire_seconds(defn, view, actor, n: int) -> float:
    from dvflow.engine.workflow.runtime import fire

    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(n):
            out = fire(defn, view, "submit", actor, {}, NOW)
        best = min(best, (time.perf_counter() - t0) / n)
    assert out.ok, out
    return best


def run(kind: str, cfg, results) -> dict:
    import transitions

    from dvflow.engine.workflow.runtime import fire
    from dvflow.models import Case, User
    from dvflow.services import cases
    from dvflow.services.org import access

    with database(kind) as db:
        world = make_world(db)
        cycle = Cycle(db, world, make_drafting_cases(db, world, 5))
        with db.sessions() as s:
            case = s.get(Case, cycle.ids[0])
            user = s.get(User, world.head_id)
            view = cases.case_view(s, case)
            actor = access.actor_for(s, user, case)
            defn = db.workflows.for_case(case, s)
        for i in range(20):
            cycle.perform(i)
        built = 0
        original = transitions.Machine.__init__

        def counting(self, *a, **kw):
            nonlocal built
            built += 1
            return original(self, *a, **kw)

        with mock.patch.object(transitions.Machine, "__init__", counting):
            t0 = time.perf_counter()
            for i in range(cfg.engine_performs):
                cycle.perform(i)
            per_perform = (time.perf_counter() - t0) / cfg.engine_performs
        per_fire = _fire_seconds(defn, view, actor, 20_000)
        share = per_fire / per_perform

        # memory: fire on many different views (distinct dates, states, facts); nothing may stay behind
        models_before = len(defn.machine.models)
        states = ("drafting", "submitted")
        for i in range(100):  # warm caches (timezone, dataclass machinery)
            fire(defn, replace(view, state=states[i % 2]), "submit", actor, {}, NOW)
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        base_size = tracemalloc.get_traced_memory()[0]
        for i in range(cfg.engine_views):
            v = replace(view, state=states[i % 2], received_on=view.received_on - timedelta(days=i % 300),
                        facts={"n": i, "party_roles": ["petitioner"]})
            fire(defn, v, "submit" if i % 2 == 0 else "return", actor, {"reason": f"r{i}"}, NOW)
            del v
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - base_size
        top = tracemalloc.take_snapshot().compare_to(before, "lineno")[:3]
        tracemalloc.stop()
        models_after = len(defn.machine.models)

    per_case = growth / cfg.engine_views
    mem_ok = per_case < 1 and models_after == models_before
    results.figure(name="engine.fire", db=kind, metric="fire() share of a full transition", value=per_fire * 1e6,
                   unit="µs", baseline_name="full transition", baseline=per_perform * 1e3, baseline_unit="ms",
                   ratio=share, ratio_unit="%", target="≤3%", met=share <= 0.03)
    results.figure(name="engine.machines", db=kind, metric=f"machines built during {cfg.engine_performs} performs",
                   value=built, unit="", target="0", met=built == 0, extra={"performs": cfg.engine_performs})
    results.figure(name="engine.memory", db=kind,
                   metric=f"memory growth after fire() on {cfg.engine_views:,} case views", value=growth, unit="B",
                   target="no growth", met=mem_ok,
                   note=f"{per_case:.2f} B/case, machine models {models_before}→{models_after}",
                   extra={"views": cfg.engine_views, "bytes_per_case": per_case, "machine_models_before": models_before,
                          "machine_models_after": models_after})
    if not mem_ok:
        for stat in top:
            results.note(f"tracemalloc: {stat}")
    return {"fire_us": per_fire * 1e6, "perform_ms": per_perform * 1e3, "built": built, "growth": growth}
