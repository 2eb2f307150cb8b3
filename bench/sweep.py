"""Figure 4: the deadline sweep (``scheduler.runner.run_sweep``: the scheduler's path, one commit per batch of 200)
over N open cases with D due steps, vs the raw batched sweep of ``dataset.raw_sweep`` on the same rows.

Three numbers, as issue #8 sets them: steps/s against the raw sweep at the larger D among the larger N (100k due
among 1M open in full mode); time(large N) ÷ time(small N) at the smaller D (does the cost follow the due work or the
table size?); time(large D) ÷ time(small D) at the larger N (is it linear?).
"""
from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
from contextlib import contextmanager

from .common import MEMO, NOW, ROOT, database, make_world, seconds
from .dataset import load_open, raw_sweep, reset


def _orm_once(db, n_open: int, due: int) -> float:
    from dvflow.scheduler.runner import run_sweep

    reset(db, n_open, due)
    report = {}
    t = seconds(lambda: report.setdefault("r", run_sweep(db.sessions, now=NOW, ladder=db.workflows.ladder)))
    r = report["r"]
    if len(r.fired) != due or r.failed:
        raise RuntimeError(f"sweep fired {len(r.fired)} of {due} due steps; failed: {list(r.failed.items())[:3]}")
    return t


def _raw_once(db, n_open: int, due: int) -> float:
    reset(db, n_open, due)
    fired = {}
    t = seconds(lambda: fired.setdefault("n", raw_sweep(db)))
    if fired["n"] != due:
        raise RuntimeError(f"raw sweep fired {fired['n']} of {due}")
    return t


def scheduler_rss(db, n_open: int, due: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) in KiB of a fresh scheduler process after it swept ``due`` steps over ``n_open`` cases."""
    reset(db, n_open, due)
    env = {**os.environ, "DVFLOW_ENV": "testing"}
    proc = subprocess.run([sys.executable, "-m", "bench.scheduler_proc", db.url], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError("scheduler process failed: " + proc.stderr.strip().splitlines()[-1][:300])
    out = proc.stdout.split()
    fired, rss, hwm = (int(x) for x in out[-3:])
    if fired != due:
        raise RuntimeError(f"scheduler process fired {fired} of {due}")
    return rss, hwm


def timed(fn, db, n_open: int, due: int, repeats: int) -> float:
    """Median seconds; a run over 5 s is not repeated (its own noise is small against its length)."""
    first = fn(db, n_open, due)
    if first > 5 or repeats <= 1:
        return first
    return statistics.median([first] + [fn(db, n_open, due) for _ in range(repeats - 1)])


@contextmanager
def _frozen_startup_heap():
    """The in-process sweeps run as in the scheduler process, whose ``runner.run_blocking`` freezes the heap it
    starts with (``gc.freeze``) before its first job: here once the database and its app objects are built, before
    the timed runs (the raw sweep's runs too: both measured in the same process state). Unfrozen afterwards, so
    that the other benchmarks of the run see the collector as they always have."""
    from dvflow.scheduler.runner import freeze_startup_heap

    freeze_startup_heap()
    try:
        yield
    finally:
        gc.unfreeze()


def _k(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else (
        f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else f"{n:,}")


def memory_only(kind: str, cfg) -> dict:
    """The scheduler's memory figure alone (when ``--only memory`` skipped the sweep)."""
    small, large = min(cfg.memory_open_small, cfg.sweep_open[0]), cfg.sweep_open[1]
    with database(kind) as db:
        world = make_world(db)
        load_open(db, world, 1, small + 1)
        mem = {small: scheduler_rss(db, small, min(cfg.sweep_due[0], small))}
        load_open(db, world, small + 1, large + 1)
        mem[large] = scheduler_rss(db, large, cfg.sweep_due[0])
    MEMO.setdefault(kind, {})["scheduler"] = mem
    return mem


def run(kind: str, cfg, results) -> dict:
    small, large = cfg.sweep_open
    d_small, d_large = cfg.sweep_due
    repeats = min(cfg.repeats, 2) if cfg.mode == "quick" else cfg.repeats
    with database(kind) as db, _frozen_startup_heap():
        world = make_world(db)
        m_small = min(cfg.memory_open_small, small)  # the scheduler's memory: 10k open, then the large set
        load_time = seconds(lambda: load_open(db, world, 1, m_small + 1))
        mem = {m_small: scheduler_rss(db, m_small, min(d_small, m_small))}
        if small > m_small:
            load_time += seconds(lambda: load_open(db, world, m_small + 1, small + 1))
        orm_ds = timed(_orm_once, db, small, d_small, repeats)
        load_time += seconds(lambda: load_open(db, world, small + 1, large + 1))
        orm_large = timed(_orm_once, db, large, d_small, repeats)
        raw_large = timed(_raw_once, db, large, d_small, repeats)
        orm_dl = timed(_orm_once, db, large, d_large, repeats)
        raw_dl = timed(_raw_once, db, large, d_large, repeats)
        mem[large] = scheduler_rss(db, large, d_small)
    MEMO.setdefault(kind, {})["scheduler"] = mem
    rate, raw_rate = d_large / orm_dl, d_large / raw_dl
    ratio = rate / raw_rate
    open_growth, due_growth = orm_large / orm_ds, orm_dl / orm_large
    due_limit = 12 * d_large / d_small / 10
    sizes = {"open_small": small, "open_large": large, "due_small": d_small, "due_large": d_large}
    results.figure(name="sweep", db=kind, metric=f"sweep vs raw batched ({_k(d_large)} due, {_k(large)} open)",
                   value=rate, unit="/s", baseline_name="raw batched sweep", baseline=raw_rate, ratio=ratio,
                   ratio_unit="%", target="≥25%", met=ratio >= 0.25,
                   note=f"{_k(d_large)} due steps over {_k(large)} open in {orm_dl:.2f}s",
                   extra={"seconds": orm_dl, "raw_seconds": raw_dl, "due": d_large, "open": large})
    results.figure(name="sweep.open", db=kind,
                   metric=f"time({_k(large)} open) ÷ time({_k(small)} open), {_k(d_small)} due", value=orm_large,
                   unit="s", baseline_name=f"{_k(small)} open", baseline=orm_ds, ratio=open_growth, ratio_unit="×",
                   target="≤1.5", met=open_growth <= 1.5, note=f"raw: {raw_large:.2f}s at {_k(large)} open",
                   extra={**sizes, "raw_seconds_large_open": raw_large})
    results.figure(name="sweep.due", db=kind,
                   metric=f"time({_k(d_large)} due) ÷ time({_k(d_small)} due), {_k(large)} open", value=orm_dl,
                   unit="s", baseline_name=f"{_k(d_small)} due", baseline=orm_large, ratio=due_growth, ratio_unit="×",
                   target=f"≤{due_limit:g}", met=due_growth <= due_limit, extra=sizes)
    results.note(f"sizes: open {small:,}/{large:,}, due {d_small:,}/{d_large:,}; bulk load {load_time:.1f}s "
                 f"({'executemany' if kind == 'sqlite' else 'COPY'})")
    return {"rate": rate, "raw_rate": raw_rate, "open_growth": open_growth, "due_growth": due_growth}
