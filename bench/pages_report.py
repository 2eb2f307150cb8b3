"""The page benchmark's figures: per page and role, the median at each size, the 10k→1M growth and the verdict
(median under the page's target at the largest size measured, and growth under 3×), plus a printed table."""
from __future__ import annotations

from .pages import PAGES, TARGET_RATIO


def record(results, measured: dict[str, dict]) -> None:
    sizes = list(measured)
    big = sizes[-1]
    for page in PAGES:
        for role in page.roles:
            cells = {size: measured[size].get((page.key, role)) for size in sizes}
            errors = {size: c["status"] for size, c in cells.items() if c and c["ms"] is None}
            if errors:
                for size, status in errors.items():
                    results.error(RuntimeError(f"{page.key} as {role} at {size}: {status} "
                                               f"({cells[size]['path']})"), name=f"pages.{page.key}.{role}",
                                  db="postgres")
                continue
            value = cells[big]["ms"]
            small = cells[sizes[0]]["ms"] if len(sizes) > 1 else None
            ratio = value / small if small else None
            met = value < page.target_ms and (ratio is None or ratio < TARGET_RATIO)
            target = f"<{page.target_ms:,.0f} ms" + (f", ×<{TARGET_RATIO:g}" if ratio is not None else "")
            results.figure(name=f"pages.{page.key}.{role}", db="postgres",
                           metric=f"{page.label} ({role}), median of 5 at {big}", value=round(value, 1), unit="ms",
                           baseline_name=f"at {sizes[0]}" if small else None,
                           baseline=round(small, 1) if small else None, ratio=ratio, ratio_unit="×",
                           target=target, met=met,
                           extra={f"ms_{size}": c["ms"] for size, c in cells.items()} | {"sizes": sizes},
                           note=cells[big]["path"])
    print(table(measured))


def table(measured: dict[str, dict]) -> str:
    """Page × role rows, a median column per size, the growth."""
    sizes = list(measured)
    head = f"{'page':<18} {'role':<11}" + "".join(f"{s:>11}" for s in sizes) + ("   growth" if len(sizes) > 1 else "")
    lines = [head, "-" * len(head)]
    for page in PAGES:
        for role in page.roles:
            cells = [measured[s].get((page.key, role)) for s in sizes]
            shown = [(f"{c['ms']:,.0f} ms" if c and c["ms"] is not None else f"ERR {c['status'] if c else '?'}")
                     for c in cells]
            growth = ""
            if len(sizes) > 1 and all(c and c["ms"] for c in cells):
                growth = f"{cells[-1]['ms'] / cells[0]['ms']:8.1f}×"
            lines.append(f"{page.key:<18} {role:<11}" + "".join(f"{x:>11}" for x in shown) + " " + growth)
    return "\n".join(lines)
