"""A scheduler process for the memory figure: ``python -m bench.scheduler_proc DATABASE_URL``.

Builds the app the way ``flask dvflow scheduler`` does (then freezes the start-up heap, as ``runner.run_blocking``
does), runs one sweep job (the scheduler's real job function) at the benchmarks' fixed NOW, and prints
``fired rss_kib hwm_kib`` (VmRSS and its peak VmHWM after the sweep).
"""
from __future__ import annotations

import sys

from .common import NOW


def main(url: str) -> None:
    from dvflow import create_app
    from dvflow.scheduler.runner import freeze_startup_heap, sweep_job

    app = create_app({"ENV": "testing", "DATABASE_URL": url, "NOW": lambda: NOW})
    freeze_startup_heap()  # as the scheduler process (runner.run_blocking) does once the app is built
    report = sweep_job(app)
    status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
    print(len(report.fired), int(status["VmRSS"].split()[0]), int(status["VmHWM"].split()[0]))


if __name__ == "__main__":
    main(sys.argv[1])
