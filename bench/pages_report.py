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
            n = len(cells[big]["samples"])
            results.figure(name=f"pages.{page.key}.{role}", db="postgres",
                           metric=f"{page.label} ({role}), median of {n} at {big}", value=round(value, 1), unit="ms",
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


def markdown(before: dict, after: dict | None = None) -> str:
    """The RESULTS.md table from the results JSON of a `--full` pages run (and of a later one: "after")."""
    def cells(data: dict) -> dict:
        return {tuple(f["name"].split(".")[1:3]): f for f in data["figures"] if f["name"].startswith("pages.")}

    b, a = cells(before), cells(after) if after else {}
    head = "| page | role | 10k | 1M | growth | verdict |" + (" 10k after | 1M after | growth after | verdict after |"
                                                          if after else "")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for page in PAGES:
        for role in page.roles:
            row = [page.key, role]
            for src in (b, a) if after else (b,):
                f = src.get((page.key, role))
                if f is None:
                    row += ["error", "error", "", "ERROR"]
                    continue
                small, big = f["extra"].get("ms_10k"), f["extra"].get("ms_1m")
                row += [_ms(small), _ms(big), f"{f['ratio']:.1f}×" if f.get("ratio") else "—", f["verdict"]]
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def _ms(x) -> str:
    return "—" if x is None else f"{x:,.0f} ms"


if __name__ == "__main__":
    import json
    import sys

    runs = [json.loads(open(p, encoding="utf-8").read()) for p in sys.argv[1:3]]
    print(markdown(*runs))
