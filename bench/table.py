#!/usr/bin/env python3
"""Prints the results table of bench/run.sh from the files it left in OUT:

    bench/table.py OUT N
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def parse_time(path: Path) -> dict | None:
    """Wall s, CPU s and max RSS MiB from a `/usr/bin/time -v` report."""
    if not path.exists():
        return None
    text = path.read_text()
    if text.rstrip().endswith("failed"):
        return None
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
    wall_s = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text).group(1)
    wall = 0.0
    for part in wall_s.split(":"):
        wall = wall * 60 + float(part)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
    return {"wall": wall, "cpu": user + system, "rss": rss}


def main() -> None:
    out, n = Path(sys.argv[1]), int(sys.argv[2])
    rows = [
        ("handouts-j1", "handouts build --jobs 1"),
        ("handouts-jN", "handouts build --jobs $(nproc)"),
        ("independent-jN", "$(nproc) independent handouts --jobs 1, a share each (machine ceiling)"),
        ("typst-cli", "typst compile per article, xargs -P$(nproc)"),
        ("pandoc", "pandoc → typst per article, xargs -P$(nproc)"),
        ("rebuild-noop", "handouts rebuild, nothing changed"),
        ("rebuild-one", "handouts rebuild, one article changed"),
    ]
    t = {key: parse_time(out / f"time-{key}.txt") for key, _ in rows}
    machine = (out / "machine.txt").read_text() if (out / "machine.txt").exists() else ""
    print(f"### N = {n} articles\n")
    print("```")
    print(machine.rstrip())
    print("```\n")
    print("| run | wall s | CPU s | handouts/s | CPU ms/handout | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|")
    for key, label in rows:
        r = t[key]
        if r is None:
            print(f"| {label} | – | – | – | – | – |")
            continue
        if key.startswith("rebuild"):
            # A rebuild typesets one handout or none: per-handout figures mean nothing.
            print(f"| {label} | {r['wall']:.2f} | {r['cpu']:.2f} | – | – | {r['rss']:.0f} |")
            continue
        print(
            f"| {label} | {r['wall']:.2f} | {r['cpu']:.2f} | {n / r['wall']:.1f} | "
            f"{1000 * r['cpu'] / n:.1f} | {r['rss']:.0f} |"
        )
    print("\nPeak RSS of the xargs rows is that of the largest single child process.")
    counts = out / "rebuild-one-counts.txt"
    if counts.exists() and counts.read_text().split():
        written, unchanged = counts.read_text().split()[:2]
        print(f"The one-changed rebuild typeset {written} PDF(s) and skipped {unchanged}.")
    print()

    def ratio(a: str, b: str) -> str:
        if t.get(a) and t.get(b):
            return f"{t[b]['wall'] / t[a]['wall']:.2f}×"
        return "–"

    def share(a: str, b: str) -> str:
        if t.get(a) and t.get(b):
            return f"{100 * t[a]['wall'] / t[b]['wall']:.1f} %"
        return "–"

    print("| ratio | value | target |")
    print("|---|---:|---|")
    print(f"| throughput handouts (jobs N) / typst CLI (-P N) | {ratio('handouts-jN', 'typst-cli')} | ≥ 1.5× (aim 2×) |")
    print(f"| throughput handouts (jobs N) / pandoc → typst (-P N) | {ratio('handouts-jN', 'pandoc')} | ≥ 4× |")
    print(f"| scaling: jobs N / jobs 1 throughput | {ratio('handouts-jN', 'handouts-j1')} | ≥ 1.8× |")
    print(
        f"| ceiling: $(nproc) independent 1-thread processes / jobs 1 throughput | "
        f"{ratio('independent-jN', 'handouts-j1')} | |"
    )
    if t.get("independent-jN") and t.get("handouts-jN"):
        print(
            f"| scaling as a share of that ceiling | "
            f"{100 * t['independent-jN']['wall'] / t['handouts-jN']['wall']:.0f} % | |"
        )
    print(f"| no-op rebuild / full build (wall) | {share('rebuild-noop', 'handouts-jN')} | ≤ 3 % |")
    print(f"| one-changed rebuild / full build (wall) | {share('rebuild-one', 'handouts-jN')} | ≤ 5 % |")
    if t.get("typst-cli") and t.get("handouts-jN"):
        print(
            f"| CPU per handout: typst CLI / handouts | "
            f"{t['typst-cli']['cpu'] / t['handouts-jN']['cpu']:.2f}× | |"
        )

    warm = out / "warm.txt"
    if warm.exists() and t.get("handouts-j1"):
        mean = [line.split() for line in warm.read_text().splitlines() if line.startswith("mean ")]
        if mean:
            cold, hot, pages = (float(x) for x in mean[0][1:4])
            batch = 1000 * t["handouts-j1"]["cpu"] / n
            print(
                f"| batch CPU ms/handout (jobs 1) / warm in-process compile alone "
                f"({cold:.1f} ms, comemo emptied; sample mean {pages:.1f} pages) | {batch / cold:.2f}× | ≤ 1.2× |"
            )
            print(f"| (same article recompiled with comemo kept: {hot:.1f} ms) | | |")
    single = out / "typst-single.txt"
    if single.exists():
        vals = [line.split() for line in single.read_text().splitlines() if line.strip()]
        vals = [v for v in vals if len(v) == 4 and not v[0].startswith("Command")]
        if vals:
            cpu = sum(float(v[1]) + float(v[2]) for v in vals) / len(vals)
            rss = max(int(v[3]) for v in vals) / 1024
            print(f"| typst CLI alone on the same sample: CPU ms/handout | {1000 * cpu:.1f} (RSS ≤ {rss:.0f} MiB) | |")


if __name__ == "__main__":
    main()
