"""Figure 6: resident memory (VmRSS) of a scheduler process after sweeping 10k open cases and the large open-case set
(quick 100k, full 1M; the same due steps), and of the web worker after many requests.

Reuses what the sweep and http benchmarks measured in this run; measures only what they did not.
"""
from __future__ import annotations

from .common import MEMO


def _mib(kib: int) -> float:
    return kib / 1024


def run(kind: str, cfg, results) -> dict:
    from . import http, sweep

    memo = MEMO.setdefault(kind, {})
    if "scheduler" not in memo:
        sweep.memory_only(kind, cfg)
    if "web" not in memo:
        http.run(kind, cfg, results, rss_only=True)
    (small, (rss_s, hwm_s)), (large, (rss_l, hwm_l)) = sorted(memo["scheduler"].items())
    growth = rss_l / rss_s - 1
    results.figure(name="memory.scheduler", db=kind, metric=f"scheduler RSS after sweeping {large:,} vs {small:,} open",
                   value=_mib(rss_l), unit="MiB", baseline_name=f"{small:,} open", baseline=_mib(rss_s), ratio=growth,
                   ratio_unit="+%", target="within 20%", met=abs(growth) <= 0.20,
                   note=f"peak {_mib(hwm_s):,.1f} MiB at {small:,} open, {_mib(hwm_l):,.1f} MiB at {large:,} open",
                   extra={"open_small": small, "open_large": large, "rss_kib_small": rss_s, "rss_kib_large": rss_l,
                          "hwm_kib_small": hwm_s, "hwm_kib_large": hwm_l})
    web = memo["web"]
    wg = web["after"] / web["mid"] - 1
    results.figure(name="memory.web", db=kind, metric=f"web worker RSS over the last {web['last']:,} case reads",
                   value=_mib(web["after"]), unit="MiB", baseline_name="before them", baseline=_mib(web["mid"]),
                   ratio=wg, ratio_unit="+%",
                   note=f"{_mib(web['before']):,.1f} MiB after warm-up; {web['requests']:,} requests in all",
                   extra={"rss_kib_warm": web["before"], "rss_kib_before": web["mid"], "rss_kib_after": web["after"],
                          "requests": web["requests"], "last_reads": web["last"]})
    return memo
