"""Figure 6: resident memory (VmRSS) of a scheduler process after sweeping the small and the large open-case sets
(quick 10k/100k, full 100k/1M; the same due steps), and of the web worker after many requests.

Reuses what the sweep and http benchmarks measured in this run; measures only what they did not.
"""
from __future__ import annotations

from .common import MEMO, verdict


def _mib(kib: int) -> str:
    return f"{kib / 1024:,.1f} MiB"


def run(kind: str, cfg, results) -> dict:
    from . import http, sweep

    memo = MEMO.setdefault(kind, {})
    if "scheduler" not in memo:
        sweep.memory_only(kind, cfg)
    if "web" not in memo:
        http.run(kind, cfg, results, rss_only=True)
    (small, (rss_s, hwm_s)), (large, (rss_l, hwm_l)) = sorted(memo["scheduler"].items())
    growth = rss_l / rss_s - 1
    results.add(f"memory.{kind}.scheduler: RSS after sweeping {small:,} open {_mib(rss_s)} (peak {_mib(hwm_s)}), "
                f"{large:,} open {_mib(rss_l)} (peak {_mib(hwm_l)}) → {growth:+.0%}, target within 20% "
                f"{verdict(abs(growth) <= 0.20)}")
    web = memo["web"]
    wg = web["after"] / web["mid"] - 1
    results.add(f"memory.{kind}.web: worker RSS {_mib(web['before'])} after warm-up, {_mib(web['mid'])} before the "
                f"last {web['last']:,} case reads, {_mib(web['after'])} after them ({wg:+.1%}; "
                f"{web['requests']:,} requests in all)")
    return memo
