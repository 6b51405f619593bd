"""Benchmark every notebook (``make bench``): wall time and peak memory, one at a time.

Each notebook runs top to bottom in a fresh kernel (as in the tests); the kernel's peak
resident memory is read when it finishes. Results go to ``benchmarks/results.json`` and
``benchmarks/results.md``, and the README's syllabus table is regenerated from them
(between the ``syllabus`` markers) and each notebook's first cell states its run time
from them, so the figures there are measured, never typed.
Timing is reported here and never asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path

import psutil

from scripts import i18n
from scripts.course import paths_from_args
from scripts.nbrun import run_notebook
from scripts.syllabus import README, RESULTS, update_readme, update_run_time

MD = RESULTS.with_suffix(".md")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    model = Path("/proc/cpuinfo")
    if model.exists():
        for line in model.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = psutil.virtual_memory().total / 2**30
    return f"{cores} CPU cores ({cpu}), {memory:.0f} GiB RAM, no GPU used"


def render_markdown(results: dict) -> str:
    lines = [
        "# Notebook benchmark",
        "",
        f"Measured by `make bench` on {results['date']}: {results['machine']}; "
        f"Python {results['python']}, each notebook in a fresh kernel, one at a time.",
        "",
        "| notebook | wall time (s) | minutes | peak memory (MiB) |",
        "|---|---:|---:|---:|",
    ]
    for row in results["notebooks"]:
        lines.append(f"| {row['notebook']} | {row['wall_s']:.1f} | {row['wall_s'] / 60:.1f} | "
                     f"{row['peak_rss_mib']:.0f} |")
    total = sum(row["wall_s"] for row in results["notebooks"])
    peak = max(row["peak_rss_mib"] for row in results["notebooks"])
    lines.append(f"| **total** | {total:.1f} | {total / 60:.1f} | max {peak:.0f} |")
    return "\n".join(lines) + "\n"


def chinese_after_bench() -> str:
    """Carry the new run times into the Chinese catalogues and rebuild README.zh-CN.md."""
    left = sum(sum(i18n.update(source)) for source in i18n.sources())   # empty, fuzzy, obsolete
    i18n.write_documents()
    return (f"{left} Chinese entries need a translator now: run python -m scripts.i18n check"
            if left else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebook files (default: all)")
    args = parser.parse_args(argv)
    paths = paths_from_args(args.notebooks)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"notebooks": []}
    rows = {row["notebook"]: row for row in previous["notebooks"]}
    for path in paths:
        print(f"benchmarking {path.name} ...", flush=True)
        result = run_notebook(path)
        rows[path.name] = {"notebook": path.name, "wall_s": round(result.wall_s, 2),
                           "peak_rss_mib": round(result.peak_rss_bytes / 2**20, 1)}
        print(f"  {result.wall_s:.1f} s, peak {result.peak_rss_bytes / 2**20:.0f} MiB", flush=True)
        update_run_time(path, result.wall_s)
    existing = {p.name for p in paths_from_args([])}
    results = {
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "python": platform.python_version(),
        "notebooks": [rows[name] for name in sorted(rows) if name in existing],
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    MD.write_text(render_markdown(results), encoding="utf-8")
    update_readme(README)
    refreshed = chinese_after_bench()
    print(render_markdown(results))
    if refreshed:
        print(refreshed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
