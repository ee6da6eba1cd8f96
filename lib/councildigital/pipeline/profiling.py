"""Where a batch's time goes: phase timings, recorded only when ``$COUNCILDIGITAL_PROFILE`` is set.

With the variable naming a folder, the batch (plan, PDF briefings, index), its workers
(kernel start and handshake, cells, kernel shutdown, HTML export, data files, writes) and,
with :func:`instrument_kernel` run at a kernel's start, the kernels (data load and
validation, bounds, fidelity, chart drawing, and every cell's wall and CPU time) append
one JSON line per phase to ``<folder>/<pid>.jsonl``; :func:`totals` sums them.
``scripts/profile_batch.py`` does all of that for a batch and prints the table. Unset,
nothing is recorded: :func:`phase` costs one look-up of the environment.

Nested phases count once: a phase's time excludes the phases timed inside it (a chart
rendered while a page finishes it is chart drawing, not also the page's other work).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

PROFILE_ENV = "COUNCILDIGITAL_PROFILE"
_inner: list[list[float]] = []  # per open phase: the wall and CPU time of phases inside it


def _folder() -> str | None:
    return os.environ.get(PROFILE_ENV) or None


def record(name: str, wall: float, cpu: float, where: str) -> None:
    """Append one phase's timing to this process's file (one process writes each file)."""
    folder = _folder()
    if folder is None:
        return
    line = json.dumps({"phase": name, "where": where, "wall": wall, "cpu": cpu})
    with open(Path(folder) / f"{os.getpid()}.jsonl", "a", encoding="utf-8") as out:
        out.write(line + "\n")


@contextlib.contextmanager
def phase(name: str, where: str = "worker") -> Iterator[None]:
    """Time the block as phase ``name``, less the phases timed inside it."""
    if _folder() is None:
        yield
        return
    wall, cpu = time.perf_counter(), time.process_time()
    _inner.append([0.0, 0.0])
    try:
        yield
    finally:
        inner_wall, inner_cpu = _inner.pop()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if _inner:
            _inner[-1][0] += wall
            _inner[-1][1] += cpu
        record(name, wall - inner_wall, cpu - inner_cpu, where)


class NotebookClock:
    """nbclient's hooks, timing a papermill run's kernel start, cells and shutdown.

    ``hooks`` is empty when profiling is off, so papermill runs exactly as without it.
    """

    def __init__(self) -> None:
        self.on = _folder() is not None
        self.started = self.ready = self.cells_done = self.inner_start = 0.0

    @property
    def hooks(self) -> dict:
        if not self.on:
            return {}
        return {"on_notebook_start": self._ready, "on_cell_executed": self._cell_done}

    def _ready(self, **_) -> None:
        self.ready = time.perf_counter()
        self.inner_start = _inner[-1][0]  # a fork server started for this kernel, timed apart

    def _cell_done(self, **_) -> None:
        self.cells_done = time.perf_counter()

    def __enter__(self) -> NotebookClock:
        self.started = time.perf_counter()
        if self.on:
            _inner.append([0.0, 0.0])
        return self

    def __exit__(self, *exc) -> None:
        if not self.on:
            return
        _inner.pop()
        end = time.perf_counter()
        if _inner:  # the phases below, and the fork server's start, account for all of it
            _inner[-1][0] += end - self.started
        if not self.ready:
            return
        cells_done = self.cells_done or self.ready
        start = self.ready - self.started - self.inner_start
        record("kernel start and handshake", start, 0.0, "worker")
        record("cells (as the worker waits for them)", cells_done - self.ready, 0.0, "worker")
        record("kernel shutdown", end - cells_done, 0.0, "worker")


def _timed(function, name: str):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with phase(name, "kernel"):
            return function(*args, **kwargs)

    return wrapper


def instrument_kernel() -> None:
    """In a kernel, at its start: time its cells and the library calls each phase is made of.

    The library's own functions are wrapped where the notebooks and sections look them up
    (module attributes), so the wrapping reaches calls made after it.
    """
    if _folder() is None:
        return
    from IPython import get_ipython
    from matplotlib.backend_bases import FigureCanvasBase

    from councildigital.data import published
    from councildigital.reconstruct import bounds, claims
    from councildigital.sections import page

    targets = [
        (page, "load_page", "data load and validation"),
        (page, "published_page", "data load and validation"),
        (published, "read_figures", "data load and validation"),
        (bounds, "identify_many", "bounds"),
        (claims, "fidelity", "fidelity"),
        (page.Page, "chart", "chart drawing"),
        (FigureCanvasBase, "print_figure", "chart drawing"),
    ]
    for owner, attribute, name in targets:
        setattr(owner, attribute, _timed(getattr(owner, attribute), name))
    cell: list[float] = []

    def before(*_) -> None:
        cell[:] = [time.perf_counter(), time.process_time()]
        _inner.append([0.0, 0.0])

    def after(*_) -> None:
        if not cell:
            return
        inner_wall, inner_cpu = _inner.pop()
        wall, cpu = time.perf_counter() - cell[0], time.process_time() - cell[1]
        record("cells, all", wall, cpu, "kernel")
        record("statistics and other cell work", wall - inner_wall, cpu - inner_cpu, "kernel")
        cell.clear()

    events = get_ipython().events
    events.register("pre_run_cell", before)
    events.register("post_run_cell", after)


STARTUP = "from councildigital.pipeline import profiling\nprofiling.instrument_kernel()\n"


def profiled_environment(timings: Path, work: Path) -> dict[str, str]:
    """What to set for a profiled batch: timings to ``timings``, and an IPython profile in
    ``work`` whose start-up file runs :func:`instrument_kernel` in every kernel."""
    startup = work / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-councildigital-profile.py").write_text(STARTUP, encoding="utf-8")
    return {PROFILE_ENV: str(timings), "IPYTHONDIR": str(work / "ipython")}


def totals(folder: Path) -> dict[tuple[str, str], dict[str, float]]:
    """Per (where, phase): summed wall and CPU seconds and how many times it was timed."""
    found: dict[tuple[str, str], dict[str, float]] = {}
    for path in sorted(Path(folder).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            total = found.setdefault(
                (entry["where"], entry["phase"]), {"wall": 0.0, "cpu": 0.0, "count": 0}
            )
            total["wall"] += entry["wall"]
            total["cpu"] += entry["cpu"]
            total["count"] += 1
    return found
