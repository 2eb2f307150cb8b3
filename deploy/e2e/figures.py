"""The load test's figures, read from locust's CSV statistics (``--csv PREFIX`` writes ``PREFIX_stats.csv``).

One row per request name plus the "Aggregated" row; the figures kept are throughput (requests/s), the median and
the 99th percentile (ms), and the error count (locust's failures: a status it was not told to expect, or a
connection error).
"""
from __future__ import annotations

import csv
import io
import math
import re

AGGREGATED = "Aggregated"
#: the scheduler's line after each sweep that fired something (services/deadlines/sweep.py SweepReport.summary)
FIRED_LINE = re.compile(r"Đã kích hoạt (\d+) bước")


def _num(value: str) -> float | None:
    value = (value or "").strip()
    if value in ("", "N/A"):
        return None
    return float(value)


def _row(row: dict) -> dict:
    return {
        "requests": int(_num(row["Request Count"]) or 0),
        "errors": int(_num(row["Failure Count"]) or 0),
        "rps": _num(row["Requests/s"]),
        "p50_ms": _num(row["50%"]),
        "p99_ms": _num(row["99%"]),
        "max_ms": _num(row["Max Response Time"]),
    }


def parse_stats(text: str) -> dict:
    """{"total": figures of the Aggregated row, "by_name": {"METHOD name": figures}}; raises ValueError without the
    Aggregated row (locust did not finish writing the file)."""
    total, by_name = None, {}
    for row in csv.DictReader(io.StringIO(text)):
        if row.get("Name") == AGGREGATED:
            total = _row(row)
        else:
            by_name[f"{row['Type']} {row['Name']}".strip()] = _row(row)
    if total is None:
        raise ValueError("locust statistics without the Aggregated row")
    return {"total": total, "by_name": by_name}


def parse_failures(text: str) -> list[dict]:
    """locust's ``PREFIX_failures.csv``: each distinct failure with how often it happened."""
    return [{"request": f"{r['Method']} {r['Name']}", "error": r["Error"], "occurrences": int(r["Occurrences"])}
            for r in csv.DictReader(io.StringIO(text))]


def steps_fired_in_log(text: str) -> int:
    """How many escalation steps one scheduler process fired, from its log: shows the schedulers shared the work."""
    return sum(int(m.group(1)) for m in FIRED_LINE.finditer(text))


def cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds each process used between two readings (a process missing from ``before`` started in between)."""
    return {name: round(after[name] - before.get(name, 0.0), 1) for name in after}


def spread(values: list[float]) -> dict:
    """Count, median, 99th percentile (nearest rank) and maximum of some times in ms (None when there are none)."""
    if not values:
        return {"n": 0, "p50_ms": None, "p99_ms": None, "max_ms": None}
    ordered = sorted(values)
    rank = lambda q: ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]  # noqa: E731
    return {"n": len(ordered), "p50_ms": rank(0.5), "p99_ms": rank(0.99), "max_ms": ordered[-1]}


UPLOAD = re.compile(r"^/ho-so/(\d+)/tep$")
DOWNLOAD = re.compile(r"^/ho-so/(\d+)/tep/\d+$")


def by_node(access_log: str) -> dict:
    """From nginx's ``upstreams`` log (upstream, status, method, path): requests per node, and the file downloads
    answered by another node than the one that took the upload (each needs storage both nodes share)."""
    per_node: dict[str, int] = {}
    uploaded: dict[str, str] = {}
    downloads = crossed = 0
    for line in access_log.splitlines():
        parts = line.split()
        if len(parts) != 4:
            continue
        node, _status, method, path = parts
        per_node[node] = per_node.get(node, 0) + 1
        if method == "POST" and (m := UPLOAD.match(path)):
            uploaded[m.group(1)] = node
        elif method == "GET" and (m := DOWNLOAD.match(path)) and m.group(1) in uploaded:
            downloads += 1
            crossed += uploaded[m.group(1)] != node
    return {"requests_per_node": per_node, "downloads": downloads, "downloads_from_the_other_node": crossed}
