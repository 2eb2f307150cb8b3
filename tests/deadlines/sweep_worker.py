"""A scheduler process for the multi-process tests: performs one sweep against a committed database.

    python tests/deadlines/sweep_worker.py URL AT --ladder JSON [--batch-size N] [--go-file F]
                                           [--batch-delay S] [--hold-file F --hold-seconds S]

--go-file      wait until this file exists before sweeping (a start barrier for several workers)
--batch-delay  sleep this long before each batch's commit (so that workers interleave)
--hold-file    after the first batch is claimed and fired but before its commit, write the batch's clock ids
               to this file and sleep --hold-seconds (the test kills the process meanwhile)

Prints a JSON summary on standard output.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy.orm import sessionmaker  # noqa: E402

from dvflow.db import make_engine  # noqa: E402
from dvflow.engine.types import LadderStep  # noqa: E402
from dvflow.scheduler.runner import run_sweep  # noqa: E402


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("at")
    p.add_argument("--ladder", required=True)
    p.add_argument("--batch-size", type=int, default=5)
    p.add_argument("--go-file")
    p.add_argument("--batch-delay", type=float, default=0.0)
    p.add_argument("--hold-file")
    p.add_argument("--hold-seconds", type=float, default=0.0)
    return p.parse_args()


def ladder_lookup(text: str):
    steps = tuple(LadderStep(**{**s, "notify": tuple(s["notify"]), "actions": tuple(s["actions"])})
                  for s in json.loads(text))
    return lambda session, workflow_version, clock_name: steps


def hook(args):
    state = {"batches": 0}

    def before_commit(session, report):
        state["batches"] += 1
        if args.hold_file and state["batches"] == 1:
            tmp = args.hold_file + ".tmp"
            Path(tmp).write_text(json.dumps(sorted({s.clock_id for s in report.fired})))
            os.replace(tmp, args.hold_file)
            time.sleep(args.hold_seconds)
        if args.batch_delay:
            time.sleep(args.batch_delay)

    return before_commit


def main() -> None:
    args = parse()
    engine = make_engine(args.url)
    if args.go_file:
        while not os.path.exists(args.go_file):
            time.sleep(0.005)
    report = run_sweep(sessionmaker(bind=engine, expire_on_commit=False), now=datetime.fromisoformat(args.at),
                       ladder=ladder_lookup(args.ladder), batch_size=args.batch_size, before_commit=hook(args))
    print(json.dumps({"fired": [[s.clock_id, s.step] for s in report.fired], "failed": report.failed,
                      "stale": report.stale, "busy": report.busy, "raced": report.raced}))
    engine.dispose()


if __name__ == "__main__":
    main()
