"""Where a cold batch's time goes, phase by phase, summed over every run of the batch.

Runs one cold batch (``--force``, a fresh output folder) in this process with
``$COUNCILDIGITAL_PROFILE`` set (:mod:`councildigital.pipeline.profiling`), and an IPython
start-up file that times each kernel's cells and the library calls inside them. Prints,
per phase: the wall seconds summed over runs (worker and kernel phases run in parallel,
so their sum exceeds the batch's wall time), the CPU seconds where measured, and how
often it was timed; then the batch's wall time and the analysis floor (the kernels' cell
CPU time, imports preloaded, divided by the cores).

Kernel phases are inside the worker's "cells" phase: "statistics and other cell work" is
what the cells spend outside the timed calls (building tables and figures, estimates),
and the gap between the worker's and the kernels' cell time is messaging and output
transfer.

Usage: .venv/bin/python scripts/profile_batch.py [--sections a,b] [--council-types x,y]
           [--jobs N] [--fresh-kernels] [--json outputs/profile_batch.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from councildigital.paths import OUTPUTS_DIR
from councildigital.pipeline import batch, profiling

ORDER = {"batch": 0, "worker": 1, "kernel": 2}


def profile(args: argparse.Namespace, work: Path) -> dict:
    timings = work / "timings"
    timings.mkdir()
    os.environ.update(profiling.profiled_environment(timings, work))
    out = work / "site"
    started = time.perf_counter()
    with profiling.phase("plan (data read, validated, snapshot)", "batch"):
        runs = batch.plan(
            args.sections.split(",") if args.sections else None,
            args.council_types.split(",") if args.council_types else None,
            out_dir=out,
        )
    results = batch.run_batch(
        runs, out, jobs=args.jobs, force=True, fresh_kernels=args.fresh_kernels
    )
    wall = time.perf_counter() - started
    failed = [r.name for r in results if r.status == "failed"]
    phases = [
        {"where": where, "phase": name, **total}
        for (where, name), total in profiling.totals(timings).items()
    ]
    phases.sort(key=lambda p: (ORDER[p["where"]], -p["wall"]))
    cells = next((p for p in phases if p["where"] == "kernel" and p["phase"] == "cells, all"), None)
    cores = batch.max_jobs()
    return {
        "runs": len(runs),
        "failed": failed,
        "jobs": args.jobs,
        "cores": cores,
        "fresh_kernels": args.fresh_kernels,
        "batch_wall_s": wall,
        "kernel_cell_cpu_s": cells["cpu"] if cells else None,
        "analysis_floor_s": cells["cpu"] / cores if cells else None,
        "phases": phases,
    }


def show(figures: dict) -> None:
    print(f"{'where':7} {'phase':42} {'wall s':>8} {'cpu s':>8} {'count':>6}")
    for p in figures["phases"]:
        cpu = f"{p['cpu']:8.2f}" if p["cpu"] else f"{'':8}"
        print(f"{p['where']:7} {p['phase']:42} {p['wall']:8.2f} {cpu} {p['count']:6d}")
    print(
        f"\n{figures['runs']} runs, {figures['jobs']} jobs on {figures['cores']} cores"
        f"{' (fresh kernels)' if figures['fresh_kernels'] else ''}: "
        f"batch {figures['batch_wall_s']:.1f} s wall"
    )
    if figures["analysis_floor_s"] is not None:
        print(
            f"kernel cell CPU {figures['kernel_cell_cpu_s']:.1f} s; analysis floor "
            f"{figures['analysis_floor_s']:.1f} s; batch / floor "
            f"{figures['batch_wall_s'] / figures['analysis_floor_s']:.2f}"
        )
    if figures["failed"]:
        print("FAILED: " + ", ".join(figures["failed"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", default=None)
    parser.add_argument("--council-types", default=None)
    parser.add_argument("--jobs", type=int, default=batch.max_jobs())
    parser.add_argument("--fresh-kernels", action="store_true")
    parser.add_argument("--json", type=Path, default=OUTPUTS_DIR / "profile_batch.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="profile-batch-") as work:
        figures = profile(args, Path(work))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    show(figures)
    sys.exit(1 if figures["failed"] else 0)


if __name__ == "__main__":
    main()
