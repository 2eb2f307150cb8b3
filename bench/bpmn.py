"""Issue #19 item 5: dvflow against a BPMN engine (SpiffWorkflow 3.2, one JSON row per case), same harness, same
database, same concurrency.

Three sides, each an intake and an action in a transaction of its own (bench/bpmn_sides.py):
dvflow ``register_case`` / ``perform`` (access check, validation, clocks on the legal calendar, notifications,
hash-chained history); the BPMN engine's intake / action on ``bpmn_instances`` (bench/bpmn_model.py); the ORM
baseline of bench/intake.py (add + commit) and bench/transition.py (get-modify-commit). The actions cycle
drafting ⇄ submitted (dvflow, ORM) and submit ⇄ review with "return" (BPMN).

Every side runs at the same concurrency: W worker processes (spawned: each its own interpreter, engine and
connection; threads would share one GIL), started at one instant, each doing total ÷ W operations; rate = all
operations ÷ wall time from the first start to the last end. W = 1, 2, 4 on PostgreSQL; 1 on SQLite (one writer).
Rounds interleave the sides (repeat × W × op × side) so the shared machine's load hits all; the median is reported.
Statements per operation are counted in the parent on the same kinds of rows (bench/common.statements_per_call).

The pools of cases are sized so that no case takes more than ACTIONS_PER_CASE actions in a run: a BPMN instance's
task tree (and so its JSON) grows by three tasks per return, so hammering a few instances would measure ever larger
rows rather than a petition's life.
"""
from __future__ import annotations

import math
import multiprocessing
import os
import statistics
import time
from dataclasses import dataclass

from sqlalchemy import text

from .bpmn_sides import OPS, SIDES, WARMUP, Plan, Sides, bpmn_case_data
from .common import (
    database,
    make_drafting_cases,
    make_world,
    pct_figure,
    statements_per_call,
    trips_figure,
)

DB_PREFIX = "dvflow_bpmn"  # this benchmark's PostgreSQL databases: dvflow_bpmn_<pid>_<n>
ACTIONS_PER_CASE = 12  # six returned drafts: a long petition
COUNTING = 3  # cases and instances kept for the statement counts in the parent
LABEL = {"dvflow": "dvflow", "bpmn": "BPMN (SpiffWorkflow)", "orm": "ORM baseline"}


@dataclass(frozen=True)
class Sizes:
    intake: int  # intakes per measurement (all workers together)
    action: int  # actions per measurement
    repeats: int
    levels: tuple[int, ...]  # concurrency: worker processes

    @property
    def cases_per_worker(self) -> int:
        """Enough cases that the busiest worker (the one in every level) acts on each at most ACTIONS_PER_CASE."""
        busiest = self.repeats * sum(self.action // w for w in self.levels) + WARMUP
        return max(2, math.ceil(busiest / ACTIONS_PER_CASE))


def sizes_for(kind: str, cfg) -> Sizes:
    levels = (1, 2, 4) if kind == "postgres" else (1,)  # SQLite: one writer at a time, concurrency would only queue
    # a measurement lasts 1-5 s on this shared machine: five medians in the full mode steady the ratios
    repeats = max(cfg.repeats, 5) if cfg.mode == "full" else cfg.repeats
    return Sizes(intake=cfg.intake_n, action=cfg.transition_n, repeats=repeats, levels=levels)


# --- the workers --------------------------------------------------------------------------------------------------


class Pool:
    """max(levels) worker processes, spawned once; a measurement at W uses the first W of them."""

    def __init__(self, plans: list[Plan], timeout: float = 600.0) -> None:
        from .bpmn_sides import serve

        ctx = multiprocessing.get_context("spawn")
        self.timeout, self.conns, self.procs, self.counts = timeout, [], [], []
        for plan in plans:
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=serve, args=(child, plan), name=f"bench-bpmn-{plan.tag}", daemon=True)
            proc.start()
            child.close()
            self.conns.append(parent)
            self.procs.append(proc)
        try:
            for conn in self.conns:
                self._receive(conn, "ready")
        except BaseException:
            self.close()
            raise

    def _receive(self, conn, expected: str):
        if not conn.poll(self.timeout):
            raise TimeoutError(f"a bpmn benchmark worker sent nothing in {self.timeout:.0f}s")
        try:
            kind, value = conn.recv()
        except EOFError:
            raise RuntimeError("a bpmn benchmark worker ended without a word (see its output above)") from None
        if kind == "error":
            raise RuntimeError(f"a bpmn benchmark worker failed:\n{value}")
        if kind != expected:
            raise RuntimeError(f"a bpmn benchmark worker answered {kind!r}, not {expected!r}")
        return value

    def rate(self, workers: int, op: str, side: str, total: int) -> tuple[float, float]:
        """Operations per second of ``workers`` processes started together, ``total ÷ workers`` each; and the
        workers' Python CPU milliseconds per operation."""
        k = max(1, total // workers)
        go_at = time.monotonic() + 0.05  # time for every worker to read its order before the start
        for conn in self.conns[:workers]:
            conn.send((op, side, k, go_at))
        spans = [self._receive(conn, "ok") for conn in self.conns[:workers]]
        wall = max(end for _s, end, _c in spans) - min(start for start, _e, _c in spans)
        return workers * k / wall, 1000 * sum(cpu for _s, _e, cpu in spans) / (workers * k)

    def close(self) -> None:
        """End the workers; their counts of operations done (warm-ups included) are kept in ``counts``."""
        for conn, proc in zip(self.conns, self.procs):
            try:
                if proc.is_alive():
                    conn.send(None)
                    self.counts.append(self._receive(conn, "done"))
            except (OSError, EOFError, RuntimeError, TimeoutError):
                pass  # the error that brought us here is the one reported
            proc.join(10)
            if proc.is_alive():
                proc.terminate()
                proc.join(5)
            conn.close()


def measure(pool: Pool, sizes: Sizes) -> tuple[dict, dict]:
    """Median rate and median worker CPU ms per operation of every (op, side, W), the sides interleaved within
    each repeat."""
    rates: dict[tuple[str, str, int], list[float]] = {}
    cpu: dict[tuple[str, str, int], list[float]] = {}
    for _ in range(sizes.repeats):
        for workers in sizes.levels:
            for op, total in (("intake", sizes.intake), ("action", sizes.action)):
                for side in SIDES:
                    r, ms = pool.rate(workers, op, side, total)
                    rates.setdefault((op, side, workers), []).append(r)
                    cpu.setdefault((op, side, workers), []).append(ms)
    return _medians(rates), _medians(cpu)


def _medians(samples: dict) -> dict:
    return {key: statistics.median(values) for key, values in samples.items()}


# --- setup and checks ---------------------------------------------------------------------------------------------


def drafting_instances(store, world, n: int, first: int) -> list[int]:
    """``n`` BPMN instances brought to "submit" (the state dvflow calls drafting), as make_drafting_cases does."""
    ids = []
    for i in range(n):
        iid = store.intake(bpmn_case_data(world, first + i))
        store.act(iid, "reply", {"answer": "accept", "reply_form": "written"})
        store.act(iid, "draft_decision", {})
        ids.append(iid)
    return ids


def plans_for(db, world, sizes: Sizes) -> tuple[list[Plan], Plan]:
    """One plan per worker and one for the parent's statement counts, each with cases and instances of its own."""
    from .bpmn_model import BpmnStore

    store = BpmnStore(db.engine)
    store.create_table()
    per, workers = sizes.cases_per_worker, max(sizes.levels)
    cases = make_drafting_cases(db, world, per * workers + COUNTING)
    instances = drafting_instances(store, world, per * workers + COUNTING, first=9_000_000)

    def plan(w: int, tag: str, lo: int, hi: int) -> Plan:
        return Plan(db.url, db.kind, world, tag=tag, first=(w + 1) * 1_000_000, cases=tuple(cases[lo:hi]),
                    instances=tuple(instances[lo:hi]))

    plans = [plan(w, f"W{w}", w * per, (w + 1) * per) for w in range(workers)]
    return plans, plan(workers, "C", per * workers, per * workers + COUNTING)


def check_instances(db, plans: list[Plan], counts: list[dict], setup_rows: int) -> dict:
    """What the BPMN side really stored: every intake a row, every action a completed user task in its JSON.
    Raises when the counts disagree (a harness that measured nothing, or lost writes)."""
    from .bpmn_model import BpmnStore, completed_tasks

    store = BpmnStore(db.engine)
    intakes = sum(c["intake.bpmn"] for c in counts)
    actions = sum(c["action.bpmn"] for c in counts)
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT count(*) FROM bpmn_instances")).scalar_one()
        size = "length(data::text)" if db.kind == "postgres" else "length(data)"
        mean_bytes, max_bytes = conn.execute(text(f"SELECT avg({size}), max({size}) FROM bpmn_instances")).one()
    done = [completed_tasks(store.load(iid)) for p in plans for iid in p.instances]
    cycled = sum(len(names) - 2 for names in done)  # reply and draft_decision were the setup's
    found = {"rows": rows, "expected_rows": setup_rows + intakes, "actions": actions, "completed_in_json": cycled,
             "mean_bytes": float(mean_bytes or 0), "max_bytes": int(max_bytes or 0),
             "max_tasks_per_instance": max((len(d) for d in done), default=0)}
    if rows != found["expected_rows"] or cycled != actions:
        raise RuntimeError(f"the BPMN side did not store what it was timed doing: {found}")
    return found


def count_statements(db, plan: Plan) -> dict[tuple[str, str], float]:
    """Statements per operation of every side (BEGIN/COMMIT excluded), on the parent's engine and rows."""
    from .bpmn_model import BpmnStore

    sides = Sides(db, plan, BpmnStore(db.engine))
    return {key: statements_per_call(db.engine, fn)[0] for key, fn in sides.ops.items()}


# --- the benchmark ------------------------------------------------------------------------------------------------


def bench(kind: str, sizes: Sizes) -> dict:
    """Build the database, run the workers, check the BPMN rows, count statements: everything the figures need."""
    with database(kind, prefix=DB_PREFIX) as db:
        world = make_world(db)
        plans, counting = plans_for(db, world, sizes)
        with db.engine.connect() as conn:
            setup_rows = conn.execute(text("SELECT count(*) FROM bpmn_instances")).scalar_one()
        load_start = os.getloadavg()[0]
        pool = Pool(plans)
        try:
            rates, cpu = measure(pool, sizes)
        finally:
            pool.close()
        load_end = os.getloadavg()[0]
        stored = check_instances(db, plans, pool.counts, setup_rows)
        trips = count_statements(db, counting)
    return {"rates": rates, "cpu_ms": cpu, "trips": trips, "stored": stored, "load": (load_start, load_end),
            "cases_per_worker": sizes.cases_per_worker}


def run(kind: str, cfg, results) -> dict:
    sizes = sizes_for(kind, cfg)
    out = bench(kind, sizes)
    report(results, kind, sizes, out)
    return out


def report(results, kind: str, sizes: Sizes, out: dict) -> None:
    rates, trips, stored = out["rates"], out["trips"], out["stored"]
    for op in OPS:
        what = "register_case" if op == "intake" else "perform"
        for w in sizes.levels:
            at = f"{w} worker" + ("s" if w > 1 else "")
            dv, bp, orm = (rates[(op, side, w)] for side in SIDES)
            pct_figure(results, name=f"bpmn.{op}.w{w}", db=kind, metric=f"{what} vs BPMN {op}, {at}",
                       value=dv, baseline=bp, baseline_name="BPMN", target=1.0)
            pct_figure(results, name=f"bpmn.{op}.w{w}.orm", db=kind, metric=f"{what} vs ORM baseline, {at}",
                       value=dv, baseline=orm, baseline_name="ORM", target=None)
            pct_figure(results, name=f"bpmn.{op}.w{w}.bpmn_orm", db=kind,
                       metric=f"BPMN {op} vs ORM baseline, {at} (no target)", value=bp, baseline=orm,
                       baseline_name="ORM", target=None)
        for side in ("dvflow", "orm"):
            results.figure(name=f"bpmn.{op}.cpu.{side}", db=kind, unit="ms", ratio_unit="×",
                           metric=f"Python CPU per {op}, 1 worker: {LABEL[side]} vs BPMN (no target)",
                           value=round(out["cpu_ms"][(op, side, 1)], 3), baseline_name="BPMN",
                           baseline=round(out["cpu_ms"][(op, "bpmn", 1)], 3),
                           ratio=out["cpu_ms"][(op, side, 1)] / out["cpu_ms"][(op, "bpmn", 1)])
            trips_figure(results, name=f"bpmn.{op}.trips.{side}", db=kind,
                         metric=f"statements per {op}: {LABEL[side]} vs BPMN (no BEGIN/COMMIT)",
                         value=trips[(op, side)], baseline=trips[(op, "bpmn")], baseline_name="BPMN")
    load = out["load"]
    results.note(f"bpmn: {sizes.intake} intakes and {sizes.action} actions per measurement, {sizes.repeats} "
                 f"repeats, workers {', '.join(map(str, sizes.levels))}; {out['cases_per_worker']} cases and as "
                 f"many BPMN instances per worker; load average {load[0]:.2f} at the start, {load[1]:.2f} at the end")
    results.note(f"bpmn: stored {stored['rows']} rows ({stored['expected_rows']} expected), "
                 f"{stored['completed_in_json']} completed user tasks in the JSON for {stored['actions']} actions; "
                 f"row JSON mean {stored['mean_bytes']:,.0f} B, max {stored['max_bytes']:,} B, "
                 f"at most {stored['max_tasks_per_instance']} user tasks completed in one instance")
