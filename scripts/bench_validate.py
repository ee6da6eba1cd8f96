"""Time and peak memory of validating a large microdata file, and of a batch reading it once.

Three figures: ``microdata.load_microdata`` (validation alone); ``batch.plan``
with ``--data`` (hash, copy, validate and store the snapshot every kernel reads:
what a batch pays once); and a kernel's load of that snapshot.

Run: ``.venv/bin/python scripts/bench_validate.py [--size-mb 200] [--folder DIR]``.
The file is the embedded synthetic data repeated, each copy with new unique
respondent ids, up to the size asked for. Validation runs in a child process
so its peak RSS (``ru_maxrss``) is the load's, not the file builder's. Not a
test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tempfile
from pathlib import Path

from councildigital.data import microdata

CHILD = """
import resource, sys, time
from councildigital.data import microdata
start = time.perf_counter()
loaded = microdata.load_microdata(sys.argv[1])
seconds = time.perf_counter() - start
# ru_maxrss is in KiB on Linux, in bytes on macOS.
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
print(f"{len(loaded.frame):,} rows validated in {seconds:.3f} s, peak RSS {peak_mib:,.0f} MiB")
"""
PLAN = """
import resource, sys, time
from pathlib import Path
from councildigital.pipeline import batch
start = time.perf_counter()
[run] = batch.plan(["vision"], ["all"], data_path=Path(sys.argv[1]), out_dir=Path(sys.argv[2]))
seconds = time.perf_counter() - start
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
print(f"snapshot stored in {seconds:.3f} s, peak RSS {peak_mib:,.0f} MiB; {run.parameters['data_path']}")
"""
KERNEL = """
import resource, sys, time
from councildigital.pipeline import snapshot
start = time.perf_counter()
loaded = snapshot.load_microdata(sys.argv[1], sys.argv[2])
frame = loaded.frame
total = sum(frame[c].sum() for c in frame.columns if frame[c].dtype.kind == "f")  # every answer
seconds = time.perf_counter() - start
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
print(f"{len(frame):,} rows loaded and every answer read in {seconds:.3f} s, peak RSS {peak_mib:,.0f} MiB (the mapped snapshot's pages count here; kernels share them)")
"""


def build(path: Path, size_mb: float) -> int:
    """Write the embedded rows again and again, ids made unique, until ``size_mb`` MiB; the rows."""
    with microdata.DEFAULT_PATH.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    target = size_mb * 2**20
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\n")
        while out.tell() < target:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            for row in rows:
                written += 1
                writer.writerow([f"R{written:07d}", *row[1:]])
            out.write(buffer.getvalue())
    return written


def measure(path: Path, child: str = CHILD, *more: str) -> str:
    """Run ``child`` on ``path`` in a fresh interpreter and return its one-line report."""
    result = subprocess.run(
        [sys.executable, "-c", child, str(path), *more], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=200, help="File size in MiB.")
    parser.add_argument("--folder", type=Path, default=None, help="Where to build the file.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        path = Path(folder) / "large_microdata.csv"
        rows = build(path, args.size_mb)
        print(f"built {path.stat().st_size / 2**20:,.0f} MiB, {rows:,} respondents")
        print(f"small file ({microdata.DEFAULT_PATH.name}): {measure(microdata.DEFAULT_PATH)}")
        print(f"large file: {measure(path)}")
        out = Path(folder) / "out"
        planned = measure(path, PLAN, str(out))
        print(f"batch plan with --data: {planned}")
        ref = planned.rsplit("; ", 1)[1]
        print(f"kernel: {measure(Path(ref), KERNEL, str(out / '.cache' / 'data'))}")


if __name__ == "__main__":
    main()
