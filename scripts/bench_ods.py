"""Time writing a page's spreadsheet: before (pandas' odfpy writer) and now (written directly).

Each page is run in a small batch in a temporary folder, and its data records are read
from the executed notebook, so the sheets are a real page's. The spreadsheet is then
written from them two ways, with the same title and date:

- before: ``downloads.ods_bytes`` of ``--before`` (default: the commit before the one that
  stopped writing through ``pd.ExcelWriter``), read from git: pandas' odfpy writer, then
  the archive rewritten with its entries dated;
- now: :func:`downloads.ods_bytes` of the work tree.

Both files are read back with pandas to check they hold the same sheets and cells. Prints
seconds per page, the best of ``--repeat`` rounds, and the ratio. Not a test: timings
depend on the machine and its load.

    .venv/bin/python scripts/bench_ods.py [--pages potential_vs_plan:county,vision:county]
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import pandas as pd
from councildigital.paths import REPO_ROOT
from councildigital.pipeline import batch, downloads

DOWNLOADS = "lib/councildigital/pipeline/downloads.py"
PAGES = "potential_vs_plan:county,vision:county"
DATE = "2026-01-01"


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=REPO_ROOT, check=True, capture_output=True, text=True
    ).stdout


def default_before() -> str:
    """The commit before the one that last added or removed ``pd.ExcelWriter`` in downloads."""
    changed = git("log", "-1", "--format=%H", "-S", "pd.ExcelWriter", "--", DOWNLOADS)
    return f"{changed.strip()}^"


def old_downloads(revision: str) -> types.ModuleType:
    module = types.ModuleType("downloads_before")
    module.__file__ = f"{revision}:{DOWNLOADS}"
    exec(compile(git("show", f"{revision}:{DOWNLOADS}"), module.__file__, "exec"), module.__dict__)
    return module


def page_records(specs: list[str], jobs: int) -> dict[str, list[dict]]:
    """Each page's data records, from its notebook run in a batch here."""
    pages = [spec.split(":") for spec in specs]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        runs = batch.plan(
            list(dict.fromkeys(s for s, _ in pages)),
            list(dict.fromkeys(c for _, c in pages)),
            out_dir=out,
        )
        wanted = [r for r in runs if r.name in {f"{s}/{c}" for s, c in pages}]
        results = batch.run_batch(wanted, out, jobs=jobs)
        failed = [r.name for r in results if r.status != "ok"]
        if failed:
            raise SystemExit(f"pages failed: {', '.join(failed)}")
        return {
            spec: downloads.data_records(
                json.loads((out / section / f"{council_type}.ipynb").read_text(encoding="utf-8"))
            )
            for spec, (section, council_type) in zip(specs, pages, strict=True)
        }


def best_seconds(write, found: list[dict], repeat: int) -> float:
    write("Title", found, DATE)  # imports and first-call costs are not the page's
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        write("Title", found, DATE)
        times.append(time.perf_counter() - started)
    return min(times)


def read_back(data: bytes) -> dict[str, list[list]]:
    sheets = pd.read_excel(io.BytesIO(data), engine="odf", sheet_name=None, header=None)
    return {
        name: [[None if pd.isna(v) else (type(v), v) for v in row] for row in frame.values.tolist()]
        for name, frame in sheets.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", default=PAGES, help="section:council_type, comma-separated")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=1, help="kernels running the pages")
    parser.add_argument("--before", default=None, help="the commit to compare with")
    options = parser.parse_args()
    revision = options.before or default_before()
    old = old_downloads(revision)
    print(
        f"before: downloads.py at {git('rev-parse', '--short', revision).strip()}; "
        "now: the work tree"
    )
    rows = []
    for spec, found in page_records(options.pages.split(","), options.jobs).items():
        same = read_back(old.ods_bytes("Title", found, DATE)) == read_back(
            downloads.ods_bytes("Title", found, DATE)
        )
        cells = sum(
            len(line) for lines in downloads.sheets("Title", found, DATE).values() for line in lines
        )
        old_s, new_s = (
            best_seconds(w, found, options.repeat) for w in (old.ods_bytes, downloads.ods_bytes)
        )
        rows.append((spec, len(found) + 1, cells, old_s, new_s, same))
    print(f"{'page':28} {'sheets':>6} {'cells':>6} {'before s':>9} {'now s':>8} {'ratio':>6} same")
    for spec, count, cells, old_s, new_s, same in rows:
        print(
            f"{spec:28} {count:6d} {cells:6d} {old_s:9.4f} {new_s:8.4f} {old_s / new_s:6.1f} "
            f"{'yes' if same else 'NO'}"
        )
    old_s, new_s = sum(r[3] for r in rows), sum(r[4] for r in rows)
    print(f"{'total':28} {'':6} {'':6} {old_s:9.4f} {new_s:8.4f} {old_s / new_s:6.1f}")
    if not all(r[-1] for r in rows):
        raise SystemExit("a page's spreadsheet reads back differently now")


if __name__ == "__main__":
    sys.exit(main())
