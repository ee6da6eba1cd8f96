"""Benchmark the batch runner against the naive way, on this machine, in one run.

Measures, for the chosen sections x council types (default: all of them):
1. a cold `councildigital batch` (pages, their data files and the PDF briefings) vs a
   sequential loop of the papermill CLI and `jupyter nbconvert --to html --no-input` over the
   same runs; also the cold batch with `--fresh-kernels` (no fork server), to show what
   forking kernels saves, and the cold batch without a Chromium (no briefings), to show what
   printing them costs;
2. a no-op re-run (nothing changed), five times: the median and the slowest;
3. touching one notebook (only its runs re-run) and touching the data (every run that
   reads it re-runs);
4. the batch's peak memory over the whole process tree, sampled: the sum of resident
   sets (counts pages shared by forked kernels once per process) and the sum of
   proportional set sizes (PSS: shared pages split between their sharers).

Usage: .venv/bin/python scripts/bench_batch.py [--sections a,b] [--council-types x,y]
           [--batch-only]
``--batch-only`` measures the batch alone (2 to 4): no naive loop, no cold batch with fresh
kernels or without briefings, so no ratios. Writes the figures as JSON to --json (default outputs/bench_batch.json) and prints them.
Touched files are restored afterwards, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from councildigital.paths import DATA_DIR, OUTPUTS_DIR
from councildigital.pipeline import batch, briefing, catalogue, execution, site, snapshot

BIN = Path(sys.executable).parent


def timed(command: list[str], env: dict | None = None) -> tuple[float, dict[str, int], str]:
    """Wall time, peak memory of the process tree (bytes: ``rss`` and ``pss``), and stdout.

    Also the CPU seconds of the tree (``cpu``), summed over every process seen in it: on a
    shared machine a steadier measure of the work than the wall time.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **(env or {})},
    )
    peak = {"rss": 0, "pss": 0}
    cpu: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        root = psutil.Process(process.pid)
        while not done.is_set():
            rss = pss = 0
            try:
                for member in [root, *root.children(recursive=True)]:
                    memory = member.memory_full_info()
                    rss, pss = rss + memory.rss, pss + memory.pss
                    times = member.cpu_times()
                    cpu[member.pid] = max(cpu.get(member.pid, 0.0), times.user + times.system)
            except psutil.Error:
                pass
            peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = process.communicate()
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{command} exited {process.returncode}")
    peak["cpu"] = sum(cpu.values())
    return time.perf_counter() - started, peak, out


def naive(runs: list[batch.Run], work: Path) -> float:
    """The same runs, one after another, with the papermill and nbconvert command lines."""
    sources = {}
    for run in runs:
        if run.section not in sources:
            sec = catalogue.find(run.section)
            target = work / f"{run.section}.ipynb"
            subprocess.run(
                [BIN / "jupytext", "--to", "ipynb", "--output", str(target), str(sec.path)],
                check=True,
                capture_output=True,
            )
            sources[run.section] = target
    started = time.perf_counter()
    for run in runs:
        executed = work / f"{run.section}-{run.council_type}.ipynb"
        # A batch's snapshot references (sha256:...) stand for the data files as it read them;
        # by hand, a notebook reads the same files, its defaults.
        params = [
            arg
            for k, v in run.parameters.items()
            if not snapshot.is_ref(v)
            for arg in ("-p", k, str(v))
        ]
        subprocess.run(
            [
                BIN / "papermill",
                "--no-progress-bar",
                "-k",
                execution.KERNEL_NAME,
                "--cwd",
                str(catalogue.find(run.section).path.parent),
                str(sources[run.section]),
                str(executed),
                *params,
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - started


def statuses(out: str) -> str:
    return out.strip().splitlines()[-1]


def touched(path: Path, text: str):
    """Append ``text`` to a file for the duration of a ``with`` block, then restore it."""

    class Touch:
        def __enter__(self):
            self.original = path.read_bytes()
            path.write_bytes(self.original + text.encode())

        def __exit__(self, *exc):
            path.write_bytes(self.original)

    return Touch()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", default=None)
    parser.add_argument("--council-types", default=None)
    parser.add_argument("--json", type=Path, default=OUTPUTS_DIR / "bench_batch.json")
    parser.add_argument("--batch-only", action="store_true")
    args = parser.parse_args()
    selection = []
    if args.sections:
        selection += ["--sections", args.sections]
    if args.council_types:
        selection += ["--council-types", args.council_types]
    runs = batch.plan(
        args.sections.split(",") if args.sections else None,
        args.council_types.split(",") if args.council_types else None,
    )
    figures: dict[str, object] = {"runs": len(runs), "cores": psutil.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        command = [str(BIN / "councildigital"), "batch", *selection, "--out", str(out), "--quiet"]
        if not args.batch_only:
            fresh = [*command[:-3], "--out", str(Path(tmp) / "fresh"), "--quiet", "--fresh-kernels"]
            figures["batch_cold_fresh_kernels_s"], _, _ = timed(fresh)
            without = [*command[:-3], "--out", str(Path(tmp) / "no-pdf"), "--quiet"]
            no_chromium = {briefing.CHROMIUM_ENV: str(Path(tmp) / "no-chromium")}
            figures["batch_cold_without_briefings_s"], _, _ = timed(without, no_chromium)
        figures["batch_cold_s"], peak, _ = timed(command)
        figures["briefings"] = len(list((out / site.BRIEFINGS).glob("*" + site.BRIEFING_SUFFIX)))
        figures["batch_peak_rss_mb"] = round(peak["rss"] / 2**20)
        figures["batch_peak_pss_mb"] = round(peak["pss"] / 2**20)
        figures["batch_cold_cpu_s"] = round(peak["cpu"], 1)
        noops = [timed(command) for _ in range(5)]
        figures["noop_rerun_s"] = statistics.median(t for t, _, _ in noops)
        figures["noop_rerun_slowest_s"] = max(t for t, _, _ in noops)
        figures["noop_rerun_result"] = statuses(noops[-1][2])
        first = catalogue.find(runs[0].section)
        with touched(first.path, "\n# %% [markdown]\n# benchmark touch\n"):
            figures["touch_notebook"] = statuses(timed(command)[2])
        timed(command)
        with touched(DATA_DIR / "reference" / "README.md", "\n"):
            figures["touch_reference_data"] = statuses(timed(command)[2])
        timed(command)
        if not args.batch_only:
            figures["naive_sequential_s"] = naive(runs, Path(tmp))
    if not args.batch_only:
        cold = figures["batch_cold_s"]
        figures["speedup_vs_naive"] = round(figures["naive_sequential_s"] / cold, 2)
        figures["speedup_forked_vs_fresh_kernels"] = round(
            figures["batch_cold_fresh_kernels_s"] / cold, 2
        )
        figures["briefings_cost"] = round(cold / figures["batch_cold_without_briefings_s"] - 1, 3)
    for key in (
        "batch_cold_s",
        "batch_cold_without_briefings_s",
        "batch_cold_fresh_kernels_s",
        "noop_rerun_s",
        "noop_rerun_slowest_s",
        "naive_sequential_s",
    ):
        if key in figures:
            figures[key] = round(figures[key], 2)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n")
    for key, value in figures.items():
        print(f"{key:24} {value}")


if __name__ == "__main__":
    main()
