"""Cold batch of this working tree against another commit's, alternating, in one run.

A refactor must not make the batch slower. Timings on a shared machine drift, so
the two trees run in turns (A, B, A, B, ...) into fresh output folders, and the
figure to read is the ratio of the medians. The other commit is checked out in a
temporary git worktree and run with this venv, its ``lib/`` first on the path.

Usage: .venv/bin/python scripts/bench_against.py REV [--repeats 3] [--sections a,b]
           [--council-types x,y] [--json outputs/bench_against.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COMMAND = Path(sys.executable).parent / "councildigital"


def cold_batch(tree: Path, out: Path, options: list[str]) -> float:
    """Wall time of one cold batch of ``tree`` (fresh output folder, so nothing is cached)."""
    env = {**os.environ, "PYTHONPATH": str(tree / "lib")}
    env.pop("COUNCILDIGITAL_SNAPSHOTS", None)
    started = time.perf_counter()
    subprocess.run(
        [str(COMMAND), "batch", "--force", "--quiet", "--out", str(out), *options],
        cwd=tree,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the commit to compare with (e.g. a tag, HEAD~5)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sections", default=None)
    parser.add_argument("--council-types", default=None)
    parser.add_argument("--json", type=Path, default=REPO / "outputs" / "bench_against.json")
    args = parser.parse_args()
    options = [
        *(["--sections", args.sections] if args.sections else []),
        *(["--council-types", args.council_types] if args.council_types else []),
    ]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", args.rev],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    times: dict[str, list[float]] = {"this tree": [], commit: []}
    with tempfile.TemporaryDirectory(prefix="bench-against-") as work:
        other = Path(work) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(other), commit],
            cwd=REPO,
            check=True,
        )
        try:
            for repeat in range(args.repeats):
                for label, tree in (("this tree", REPO), (commit, other)):
                    seconds = cold_batch(tree, Path(work) / f"out-{repeat}-{tree.name}", options)
                    times[label].append(seconds)
                    print(f"{label}: cold batch {seconds:.1f} s", flush=True)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(other)], cwd=REPO, check=True
            )
    medians = {label: statistics.median(values) for label, values in times.items()}
    result = {
        "against": commit,
        "repeats": args.repeats,
        "seconds": times,
        "median_seconds": medians,
        "ratio_this_over_other": medians["this tree"] / medians[commit],
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"median cold batch: this tree {medians['this tree']:.1f} s, {commit} "
        f"{medians[commit]:.1f} s; ratio {result['ratio_this_over_other']:.2f}"
    )


if __name__ == "__main__":
    main()
