"""Batch runs: every report section for every council type, in parallel, incremental, fault-tolerant.

A run is skipped when nothing it depends on changed (its notebook, its
parameters, the data it reads, the library's source, the versions of the
packages it uses): the run's key is a hash of all of those, recorded in
``manifest.json`` beside the outputs. A failing run is recorded with its cell
and error and does not stop the others. On a cluster the same runs go to a
Dask distributed scheduler.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import multiprocessing
import platform
import signal
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

from councildigital import publish, site, survey
from councildigital.paths import DATA_DIR, OUTPUTS_DIR, PACKAGE_DIR, REPO_ROOT

MANIFEST = "manifest.json"
PACKAGES = (
    "councildigital",
    "ipykernel",
    "jupytext",
    "matplotlib",
    "nbconvert",
    "nbformat",
    "numpy",
    "pandas",
    "pandera",
    "papermill",
    "scipy",
    "seaborn",
    "statsmodels",
)


class BatchInputError(ValueError):
    """The batch was asked for something that cannot run; raised before any kernel starts."""


@dataclass(frozen=True)
class Run:
    """One section for one council type with its parameters, and the key of its inputs."""

    section: str
    council_type: str
    parameters: dict
    inputs: dict
    key: str
    commit: str = "unknown"

    @property
    def name(self) -> str:
        return f"{self.section}/{self.council_type}"

    def output(self, out_dir: Path, suffix: str) -> Path:
        return out_dir / self.section / f"{self.council_type}{suffix}"


@dataclass
class Result:
    """What happened to a run: ``ok``, ``cached`` or ``failed`` (with the cell and the error)."""

    name: str
    key: str
    status: str
    inputs: dict = field(default_factory=dict)
    duration_s: float = 0.0
    outputs: list[str] = field(default_factory=list)
    error: str | None = None
    failed_cell: int | None = None  # execution count in the executed notebook
    headlines: list[dict] = field(default_factory=list)  # for the index; synthetic marked


# --- inputs and keys -------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hash_files(paths: Iterable[Path], root: Path) -> str:
    """One hash over files' relative names and contents, in a stable order."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _files_under(folder: Path) -> list[Path]:
    if not folder.exists():
        return []
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def library_hash() -> str:
    return hash_files([p for p in _files_under(PACKAGE_DIR) if p.suffix == ".py"], PACKAGE_DIR)


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def data_hash(folders: Iterable[str], data_dir: Path = DATA_DIR) -> str:
    files = [p for folder in folders for p in _files_under(data_dir / folder)]
    return hash_files(files, data_dir)


def git_commit() -> str:
    """The repository's commit, marked when the work tree has uncommitted changes."""
    import subprocess

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(REPO_ROOT), *args], capture_output=True, text=True, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short=12", "HEAD")
    if not commit:
        return "unknown (not a git checkout)"
    return commit + (" with uncommitted changes" if git("status", "--porcelain") else "")


def run_key(inputs: dict) -> str:
    return _sha256(json.dumps(inputs, sort_keys=True).encode())


# --- parameters ------------------------------------------------------------------------------


def coerce(name: str, value: object, default: object) -> object:
    """A command-line value as the type of the parameter's default, or a clear error."""
    if not isinstance(value, str) or default is None or isinstance(default, str):
        return value
    try:
        if isinstance(default, bool):
            lowered = value.strip().lower()
            if lowered not in {"true", "false", "1", "0", "yes", "no"}:
                raise ValueError(value)
            return lowered in {"true", "1", "yes"}
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
    except ValueError:
        raise BatchInputError(
            f"parameter {name!r} must be {type(default).__name__} (default {default!r}); "
            f"got {value!r}"
        ) from None
    return value


def _validate_data_path(path: Path) -> Path:
    """The user's microdata must exist and pass validation before any kernel starts."""
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        raise BatchInputError(f"data file {path} does not exist")
    from councildigital import microdata
    from councildigital.data import DataValidationError

    try:
        microdata.load_microdata(path)
    except DataValidationError as exc:
        raise BatchInputError(str(exc)) from None
    return path


def plan(
    sections: Iterable[str] | None = None,
    council_types: Iterable[str] | None = None,
    data_path: Path | None = None,
    parameters: dict | None = None,
) -> list[Run]:
    """Every run the batch would do, with its key; every bad input is an error here."""
    try:
        chosen = [
            publish.section(code) for code in (sections or [s.code for s in publish.SECTIONS])
        ]
        types = [
            survey.check_council_type(t) for t in (council_types or survey.council_type_choices())
        ]
    except ValueError as exc:
        raise BatchInputError(str(exc)) from None
    extra = dict(parameters or {})
    if data_path is not None:
        extra["data_path"] = str(_validate_data_path(data_path))
    # Reading a notebook's parameters costs seconds (notebook tooling): only when asked for some.
    declared = {
        sec.code: publish.declared_parameters(publish.read_notebook(sec)) if extra else {}
        for sec in chosen
    }
    for name in extra:
        if not any(name in params for params in declared.values()):
            choices = sorted({p for params in declared.values() for p in params} - {"council_type"})
            raise BatchInputError(
                f"parameter {name!r} is not declared by "
                f"{'section ' + chosen[0].code if len(chosen) == 1 else 'any chosen section'}; "
                f"declared parameters: {', '.join(choices)}"
            )
    common = {"library": library_hash(), "packages": package_versions()}
    commit = git_commit()
    runs = []
    for sec in chosen:
        notebook_hash = _sha256(sec.path.read_bytes())
        own = {
            name: coerce(name, value, declared[sec.code][name])
            for name, value in extra.items()
            if name in declared[sec.code]
        }
        folders_hash = data_hash(sec.reads)
        user_data = own.get("data_path")
        for council_type in types if sec.per_council_type else [survey.ALL]:
            params = {"council_type": council_type, **own}
            inputs = {
                "notebook": notebook_hash,
                "parameters": params,
                "data": folders_hash,
                "user_data": _sha256(Path(user_data).read_bytes()) if user_data else None,
                **common,
            }
            run = Run(sec.code, council_type, params, inputs, run_key(inputs), commit)
            if run not in runs:
                runs.append(run)
    return runs


# --- executing one run (in a worker process or on a Dask worker) ----------------------------


def execute_run(
    run: Run, out_dir: Path, timeout: float | None = None, forked: bool = False
) -> Result:
    """Execute and publish one run; errors become a failed Result, never an exception.

    ``forked``: the kernel is forked from this worker's fork server (see
    :mod:`councildigital.kernels`) rather than started afresh.
    """
    import nbformat
    import papermill

    started = time.perf_counter()
    sec = publish.section(run.section)
    ipynb, html = run.output(out_dir, ".ipynb"), run.output(out_dir, ".html")

    def result(status: str, **details) -> Result:
        elapsed = time.perf_counter() - started
        return Result(run.name, run.key, status, run.inputs, elapsed, **details)

    try:
        executed = publish.execute(
            publish.read_notebook(sec), run.parameters, timeout=timeout, forked=forked
        )
        page = site.render_page(executed, sec.title, run.council_type, run.parameters, run.commit)
    except papermill.PapermillExecutionError as exc:
        first_line = exc.source.strip().splitlines()[0][:80]
        return result(
            "failed",
            error=f"{exc.ename}: {exc.evalue} (in: {first_line})",
            failed_cell=exc.exec_count,
        )
    except Exception as exc:  # a dead kernel, a time-out, a broken notebook: recorded, not raised
        return result("failed", error="".join(traceback.format_exception_only(exc)).strip())
    publish.atomic_write(ipynb, nbformat.writes(executed))
    publish.atomic_write(html, page)
    outputs = [str(ipynb.relative_to(out_dir)), str(html.relative_to(out_dir))]
    return result("ok", outputs=outputs, headlines=headlines_of(executed))


# --- the manifest ----------------------------------------------------------------------------


def headlines_of(executed: dict) -> list[dict]:
    """The headline figures an executed notebook recorded, each marked synthetic or not."""
    synthetic = bool(site.provenance_of(executed).get("synthetic"))
    return [{**headline, "synthetic": synthetic} for headline in site.headlines_of(executed)]


def recorded_headlines(out_dir: Path, entry: dict) -> list[dict]:
    """A manifest entry's headlines; read from its executed notebook if the entry predates them.

    Read as plain JSON: importing and validating with nbformat would cost seconds.
    """
    if "headlines" in entry:
        return entry["headlines"]
    notebook = next((p for p in entry.get("outputs", []) if p.endswith(".ipynb")), None)
    if notebook is None or not (out_dir / notebook).exists():
        return []
    return headlines_of(json.loads((out_dir / notebook).read_text(encoding="utf-8")))


def headlines(out_dir: Path, manifest: dict[str, dict]) -> dict[str, list[dict]]:
    """Headline figures per council type, from the manifest (the runs recorded them).

    In the order of the sections, as the index's columns are.
    """
    order = {sec.code: i for i, sec in enumerate(publish.SECTIONS)}

    def place(name: str) -> tuple[int, str]:
        return order.get(name.split("/", 1)[0], len(order)), name

    found: dict[str, list[dict]] = {}
    for name in sorted(manifest, key=place):
        entry = manifest[name]
        council_type = name.split("/", 1)[1]
        found.setdefault(council_type, []).extend(recorded_headlines(out_dir, entry))
    return found


def read_manifest(out_dir: Path) -> dict[str, dict]:
    path = out_dir / MANIFEST
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))["runs"]
    except (json.JSONDecodeError, KeyError):
        return {}


def write_manifest(out_dir: Path, entries: dict[str, dict]) -> None:
    document = {"runs": dict(sorted(entries.items()))}
    publish.atomic_write(out_dir / MANIFEST, json.dumps(document, indent=2, sort_keys=True) + "\n")


def is_fresh(run: Run, entry: dict | None, out_dir: Path) -> bool:
    """Cached: the last run had the same key, succeeded, and its files are still there."""
    return bool(
        entry
        and entry.get("key") == run.key
        and entry.get("status") in {"ok", "cached"}
        and all((out_dir / p).exists() for p in entry.get("outputs", []))
    )


# --- the batch -------------------------------------------------------------------------------


Progress = Callable[[Result, dict[str, int]], None]


def run_batch(
    runs: list[Run],
    out_dir: Path = OUTPUTS_DIR,
    jobs: int = 1,
    force: bool = False,
    timeout: float | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    fresh_kernels: bool = False,
) -> list[Result]:
    """Run what is stale, in parallel; record every outcome in the manifest as it arrives.

    Each worker forks its runs' kernels from one process that has imported the
    notebooks' modules (:mod:`councildigital.kernels`); ``fresh_kernels`` starts every
    kernel as a new Python process instead (slower, the same outputs).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(out_dir)
    counts = {"done": 0, "running": 0, "failed": 0, "cached": 0, "total": len(runs)}
    results: dict[str, Result] = {}

    def record(result: Result, save: bool = True) -> None:
        results[result.name] = result
        counts["cached" if result.status == "cached" else "done"] += 1
        counts["failed"] += result.status == "failed"
        if result.status == "failed" and result.name in manifest:
            # Keep the last good outputs' record so the index can still link them.
            manifest[result.name] = {**manifest[result.name], **_failure_fields(result)}
        else:
            manifest[result.name] = asdict(result) | {"outputs": result.outputs}
        if save:
            write_manifest(out_dir, manifest)
        if progress:
            progress(result, counts)

    stale = []
    for run in runs:
        entry = manifest.get(run.name)
        if not force and is_fresh(run, entry, out_dir):
            kept = recorded_headlines(out_dir, entry)
            record(
                Result(
                    run.name, run.key, "cached", run.inputs, 0.0, entry["outputs"], headlines=kept
                ),
                False,
            )
        else:
            stale.append(run)
    write_manifest(out_dir, manifest)
    if stale:
        forked = not fresh_kernels
        work = functools.partial(execute_run, out_dir=out_dir, timeout=timeout, forked=forked)
        submit = _dask_runner(scheduler, jobs) if scheduler else _process_runner(jobs)
        submit(stale, work, record, counts)
    order = {run.name: i for i, run in enumerate(runs)}
    return sorted(results.values(), key=lambda r: order[r.name])


def _failure_fields(result: Result) -> dict:
    return {
        "status": "failed",
        "key": result.key,
        "error": result.error,
        "failed_cell": result.failed_cell,
        "duration_s": result.duration_s,
    }


def _worker_init() -> None:
    """In a worker: Ctrl-C is the batch's to handle (it stops the workers itself).

    A batch killed outright (SIGKILL) cannot stop them, so each worker ends with it.
    """
    from councildigital.forkserver import end_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with_parent(multiprocessing.parent_process().pid)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now, with the runs they are in.

    A worker's kernel and fork server end with it (they watch their parent), and a run
    writes its files atomically at its end, so nothing half-written is left.
    """
    pool.shutdown(wait=False, cancel_futures=True)
    workers = multiprocessing.active_children()
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join(timeout=10)


def _process_runner(jobs: int):
    def submit(stale, work, record, counts):
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(stale)), initializer=_worker_init
        ) as pool:
            pending: set[Future] = {pool.submit(work, run) for run in stale}
            try:
                while pending:
                    counts["running"] = min(len(pending), jobs)
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        counts["running"] = min(len(pending), jobs)
                        record(future.result())
            except KeyboardInterrupt:
                _stop_workers(pool)
                raise

    return submit


def _dask_runner(scheduler: str, jobs: int):
    def submit(stale, work, record, counts):
        from distributed import Client, LocalCluster, as_completed

        if scheduler == "local":
            cluster = LocalCluster(
                n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = Client(cluster)
        else:
            cluster, client = None, Client(scheduler)
        try:
            futures = [client.submit(work, run, pure=False) for run in stale]
            left = len(futures)
            for future in as_completed(futures):
                left -= 1
                counts["running"] = min(left, jobs)
                record(future.result())
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    return submit
