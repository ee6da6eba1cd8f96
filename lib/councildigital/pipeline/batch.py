"""Batch runs: every report section for every council type, in parallel, incremental, fault-tolerant.

A run is skipped when nothing it depends on changed (its notebook, its
parameters, the data it reads, the library's source, the versions of the
packages it uses): the run's key is a hash of all of those, recorded in
``manifest.json`` beside the outputs. A failing run is recorded with its cell
and error and does not stop the others. On a cluster the same runs go to a
Dask distributed scheduler.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import importlib.metadata
import json
import multiprocessing
import os
import platform
import re
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

from councildigital import cache
from councildigital.data import survey
from councildigital.paths import (
    BOUNDS_CACHE_ENV,
    CHARTS_CACHE_ENV,
    DATA_DIR,
    DEFAULT_MICRODATA,
    OUTPUTS_DIR,
    PACKAGE_DIR,
    REPO_ROOT,
    bounds_store,
    charts_store,
)
from councildigital.pipeline import (
    briefing,
    catalogue,
    downloads,
    execution,
    profiling,
    site,
    snapshot,
)
from councildigital.pipeline import parameters as checks
from councildigital.sections import records

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


class BatchWriteError(OSError):
    """The runs are done, but their record (the manifest or the index) could not be written."""

    def __init__(self, message: str, results: list[Result]):
        super().__init__(message)
        self.results = results


@dataclass(frozen=True)
class Run:
    """One section for one council type with its parameters, and the key of its inputs."""

    section: str
    council_type: str
    parameters: dict
    inputs: dict
    key: str
    commit: str = "unknown"
    snapshots: str = ""  # where the batch stored the data snapshots the parameters name

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
    """Every file of the package: its code, and the templates and data files that shape pages."""
    return hash_files(_files_under(PACKAGE_DIR), PACKAGE_DIR)


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


def _check_kernel() -> None:
    """The project's Jupyter kernel must be registered, or every run would fail the same way."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(execution.KERNEL_NAME)
    except NoSuchKernel:
        raise BatchInputError(
            f"the Jupyter kernel {execution.KERNEL_NAME!r} that runs the reports is not registered; "
            f"register it once with: {sys.executable} -m ipykernel install --sys-prefix "
            f"--name {execution.KERNEL_NAME} (or run `make report`, which does it)"
        ) from None


def _declared(chosen: list[catalogue.Section]) -> dict[str, dict[str, checks.Declared]]:
    return {sec.code: checks.declared(sec.path.read_text(encoding="utf-8")) for sec in chosen}


def _checked_parameters(
    extra: dict, declared: dict[str, dict[str, checks.Declared]], chosen: list[catalogue.Section]
) -> dict[str, object]:
    """Every -p value checked and converted once, whichever sections declare it."""
    values = {}
    for name, value in extra.items():
        owners = [params[name] for params in declared.values() if name in params]
        if name in checks.RESERVED:
            raise BatchInputError(
                f"parameter {name!r} cannot be set with -p: {checks.RESERVED[name]}"
            )
        if not owners:
            choices = sorted(
                {p for params in declared.values() for p in params} - set(checks.RESERVED)
            )
            raise BatchInputError(
                f"parameter {name!r} is not declared by "
                f"{'section ' + chosen[0].code if len(chosen) == 1 else 'any chosen section'}; "
                f"declared parameters: {', '.join(choices)}"
            )
        try:
            values[name] = checks.check(name, value, owners[0].default)
        except checks.ParameterError as exc:
            raise BatchInputError(str(exc)) from None
    return values


def _check_own_figures(values: dict, types: list[str]) -> None:
    """A council's own cost figures, checked by the cost model's own rules for every type."""
    overrides = {k: v for k, v in values.items() if k in checks.OWN_FIGURES}
    if not overrides:
        return
    from councildigital.sections import future_councils_costs

    for council_type in types:
        try:
            future_councils_costs.model_inputs(council_type, overrides)
        except future_councils_costs.CostInputError as exc:
            raise BatchInputError(f"parameter {exc}") from None


def _check_reading(values: dict, respondents: snapshot.Snapshot, out_dir: Path) -> None:
    """``-p reading council`` against the data the runs will read, before any kernel starts."""
    if values.get("reading") != checks.COUNCIL_READING:
        return
    columns = snapshot.load_microdata(respondents.ref, snapshot.store(out_dir)).frame.columns
    try:
        checks.check_reading(
            checks.COUNCIL_READING, values.get("weighting", "none"), columns, respondents.name
        )
    except checks.ParameterError as exc:
        raise BatchInputError(str(exc)) from None


def _check_published_folder(folder: Path) -> None:
    from councildigital.data import published

    published.check_published(folder)


def _snapshot_folder(name: str, folder: Path, out_dir: Path) -> snapshot.Snapshot:
    """A data folder given with -p: relative to where the command runs, checked, read once."""
    folder = folder.expanduser()
    if not folder.is_dir():
        what = "a file, not a folder" if folder.is_file() else "not found"
        raise BatchInputError(f"parameter {name!r}: {folder} is {what}")
    from councildigital.data.published import DataValidationError

    try:
        return snapshot.take_folder(folder, out_dir, _check_published_folder)
    except (DataValidationError, snapshot.SnapshotError, OSError) as exc:
        raise BatchInputError(f"parameter {name!r}: {exc}") from None


def _check_is_file(path: Path) -> None:
    if path.is_dir():
        raise BatchInputError(f"data file {path} is a directory, not a file")
    if not path.is_file():
        raise BatchInputError(f"data file {path} does not exist")


def _snapshot_data(path: Path, out_dir: Path, sheet: str | None = None) -> snapshot.Snapshot:
    """The respondent data file, read once, validated and stored for every kernel of the batch."""
    path = Path(path).expanduser()
    _check_is_file(path)
    try:
        return snapshot.take_microdata(path, out_dir, sheet)
    except snapshot.SnapshotError as exc:
        raise BatchInputError(str(exc)) from None
    except OSError as exc:
        raise BatchInputError(
            f"data file {path} could not be read into {snapshot.store(out_dir)}: "
            f"{exc.strerror or exc}"
        ) from None


def own_data_folder(data_path: Path, outputs: Path | None = None) -> Path:
    """Where a batch on the researcher's own data file writes unless told otherwise: a folder of
    its own under ``outputs`` (``data-<file name>-<first 12 hex digits of its SHA-256>``), so
    its pages never share an index with pages from other data."""
    path = Path(data_path).expanduser()
    _check_is_file(path)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem).strip("-") or "data"
    return (outputs or OUTPUTS_DIR) / f"data-{name}-{digest.hexdigest()[:12]}"


VALIDATED_FOLDERS = ("published", "reference")


def _check_data_folders(chosen: list[catalogue.Section], out_dir: Path, library: str) -> None:
    """The repository's data folders the sections read, validated once per version of them.

    A marker named by the folder's and the library's hash records a pass, so a no-op
    re-run does not pay for validation (nor for importing pandas).
    """
    for folder in sorted({f for sec in chosen for f in sec.reads if f in VALIDATED_FOLDERS}):
        version = _sha256(f"{data_hash([folder])} {library}".encode())
        marker = snapshot.store(out_dir) / f"valid-{folder}-{version}"
        if marker.exists():
            continue
        from councildigital.data import published, reference

        validate = {"published": published.check_published, "reference": reference.check_reference}
        try:
            validate[folder](DATA_DIR / folder)
        except published.DataValidationError as exc:
            raise BatchInputError(str(exc)) from None
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()


def plan(
    sections: Iterable[str] | None = None,
    council_types: Iterable[str] | None = None,
    data_path: Path | None = None,
    parameters: dict | None = None,
    out_dir: Path = OUTPUTS_DIR,
    sheet: str | None = None,
) -> list[Run]:
    """Every run the batch would do, with its key; every bad input is an error here.

    The data the runs read is read here, once, into snapshots under ``out_dir``'s
    cache (see :mod:`councildigital.pipeline.snapshot`): runs name it by its hash.
    ``sheet``: the sheet of a spreadsheet ``data_path`` to read.
    """
    try:
        chosen = [
            catalogue.find(code) for code in (sections or [s.code for s in catalogue.SECTIONS])
        ]
        types = [
            survey.check_council_type(t) for t in (council_types or survey.council_type_choices())
        ]
    except ValueError as exc:
        raise BatchInputError(str(exc)) from None
    declared = _declared(chosen)
    values = _checked_parameters(dict(parameters or {}), declared, chosen)
    _check_own_figures(values, types)
    library = library_hash()
    _check_data_folders(chosen, out_dir, library)
    folders = {
        name: _snapshot_folder(name, value, out_dir)
        for name, value in values.items()
        if isinstance(value, Path)
    }
    values.update({name: snap.ref for name, snap in folders.items()})
    respondents = None
    if data_path is not None:
        _check_is_file(Path(data_path).expanduser())
    elif sheet is not None:
        raise BatchInputError(f"--sheet {sheet!r}: names a sheet of --data, which is not given")
    if any("synthetic" in sec.reads and "data_path" in declared[sec.code] for sec in chosen):
        respondents = _snapshot_data(data_path or DEFAULT_MICRODATA, out_dir, sheet)
    elif data_path is not None:
        raise BatchInputError(
            f"--data: none of the chosen sections ({', '.join(s.code for s in chosen)}) "
            "reads respondent data"
        )
    if respondents is not None:
        _check_reading(values, respondents, out_dir)
    common = {"library": library, "packages": package_versions()}
    commit = git_commit()
    runs = []
    for sec in chosen:
        notebook_hash = _sha256(sec.path.read_bytes())
        own = {name: value for name, value in values.items() if name in declared[sec.code]}
        reads_respondents = "synthetic" in sec.reads and "data_path" in declared[sec.code]
        if reads_respondents:
            own["data_path"] = respondents.ref
        folders_hash = data_hash(sec.reads)
        for council_type in types if sec.per_council_type else [survey.ALL]:
            params = {"council_type": council_type, **own}
            inputs = {
                "notebook": notebook_hash,
                "parameters": params,
                "data": folders_hash,
                "user_data": respondents.sha256 if reads_respondents else None,
                "data_file": respondents.name if reads_respondents else None,
                **common,
            }
            run = Run(
                sec.code,
                council_type,
                params,
                inputs,
                run_key(inputs),
                commit,
                str(snapshot.store(out_dir)),
            )
            if run not in runs:
                runs.append(run)
    return runs


# --- executing one run (in a worker process or on a Dask worker) ----------------------------


# Beside each page: every cell it does not show, and the rule that hid it.
DISCLOSURE_SUFFIX = ".disclosure.csv"


def execute_run(
    run: Run, out_dir: Path, timeout: int | None = None, forked: bool = False
) -> Result:
    """Execute and publish one run; errors become a failed Result, never an exception.

    ``forked``: the kernel is forked from the batch's fork server (see
    :mod:`councildigital.pipeline.kernels`) rather than started afresh. The page's notebook,
    HTML, estimates file and disclosure audit file (every cell it hid and the rule that hid
    it, for an output checker) are replaced together or not at all; a write that fails (a full
    disk, a read-only folder) fails this run only.
    """
    import nbformat
    import papermill

    started = time.perf_counter()
    sec = catalogue.find(run.section)
    ipynb, html = run.output(out_dir, ".ipynb"), run.output(out_dir, ".html")
    table = run.output(out_dir, site.ESTIMATES_SUFFIX)
    code = {name: run.inputs[name] for name in ("library", "packages")}
    os.environ[cache.TABLES_ENV] = str(cache.store(out_dir, run_key(code)))  # shared tables

    def result(status: str, **details) -> Result:
        elapsed = time.perf_counter() - started
        return Result(run.name, run.key, status, run.inputs, elapsed, **details)

    if run.snapshots:
        os.environ[snapshot.STORE_ENV] = run.snapshots
    os.environ[BOUNDS_CACHE_ENV] = str(bounds_store(out_dir))
    os.environ[CHARTS_CACHE_ENV] = str(charts_store(out_dir))
    try:
        with profiling.phase("notebook read, parameters (papermill)"):
            executed = execution.execute(
                execution.read_notebook(sec), run.parameters, timeout=timeout, forked=forked
            )
        executed.metadata["councildigital"] = {"run": run.name, "key": run.key}
        with profiling.phase("HTML export"):
            page = site.render_page(executed, sec, run.council_type, run.parameters, run.commit)
        with profiling.phase("data files"):
            data_files = downloads.files_of(executed, html)
    except papermill.PapermillExecutionError as exc:
        first_line = exc.source.strip().splitlines()[0][:80]
        return result(
            "failed",
            error=f"{exc.ename}: {exc.evalue} (in: {first_line})",
            failed_cell=exc.exec_count,
        )
    except Exception as exc:  # a dead kernel, a time-out, a broken notebook: recorded, not raised
        return result("failed", error="".join(traceback.format_exception_only(exc)).strip())
    with profiling.phase("notebook, estimates and audit serialised"):
        files = [
            (ipynb, nbformat.writes(executed)),
            (html, page),
            (table, site.estimates_csv(site.estimates_of(executed))),
            (
                run.output(out_dir, DISCLOSURE_SUFFIX),
                records.withheld_csv(records.withheld_of(executed)),
            ),
            *data_files,
        ]
    try:
        with profiling.phase("writes"):
            execution.write_together(files)
    except OSError as exc:
        return result("failed", error=write_error(exc, out_dir))
    with profiling.phase("writes"), contextlib.suppress(OSError):  # untidy, not a failed run
        downloads.prune(html, [path for path, _ in data_files])
    outputs = [str(path.relative_to(out_dir)) for path, _ in files]
    return result("ok", outputs=outputs, headlines=headlines_of(executed))


def write_error(exc: OSError, out_dir: Path) -> str:
    """``no space left on device writing outputs/barriers/wales.html``: what, and where."""
    what = (exc.strerror or str(exc)).lower()
    if not exc.filename:
        return what
    path = Path(exc.filename)
    with contextlib.suppress(ValueError):
        path = Path(out_dir.name) / path.relative_to(out_dir)
    return f"{what} writing {path}"


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

    In the order of the sections, each with its section's code and, for a run that read
    respondent data, that data set's file name and SHA-256 (``data_file``, ``data_sha256``),
    so that the index can tell data sets apart.
    """
    order = {sec.code: i for i, sec in enumerate(catalogue.SECTIONS)}

    def place(name: str) -> tuple[int, str]:
        return order.get(name.split("/", 1)[0], len(order)), name

    found: dict[str, list[dict]] = {}
    for name in sorted(manifest, key=place):
        entry = manifest[name]
        section, council_type = name.split("/", 1)
        inputs = entry.get("inputs") or {}
        data = (
            {"data_sha256": inputs["user_data"], "data_file": inputs.get("data_file")}
            if inputs.get("user_data")
            else {}
        )
        found.setdefault(council_type, []).extend(
            {**headline, "section": section, **data}
            for headline in recorded_headlines(out_dir, entry)
        )
    return found


STATUSES = ("ok", "cached", "failed")
Notify = Callable[[str], None]


def _backup(out_dir: Path) -> Path:
    return snapshot.store(out_dir).parent / "manifest.backup.json"


def _entries(document: object) -> dict[str, dict]:
    """A manifest's run entries; ValueError if it is not a manifest's shape."""
    if not isinstance(document, dict) or not isinstance(document.get("runs"), dict):
        raise ValueError('expected a JSON object with a "runs" object')
    entries = document["runs"]
    for name, entry in entries.items():
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("key"), str)
            and entry.get("status") in STATUSES
            and isinstance(entry.get("outputs", []), list)
        ):
            raise ValueError(f"entry {name!r} is not a run record")
    return entries


def _read_entries(path: Path) -> dict[str, dict]:
    try:
        return _entries(json.loads(path.read_text(encoding="utf-8")))
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at line {exc.lineno})") from None


def recover_from_pages(out_dir: Path) -> dict[str, dict]:
    """Run records rebuilt from the executed notebooks on disk, which carry their run and key.

    Only complete pages (notebook, HTML and estimates file) are recovered; read as plain JSON.
    """
    found = {}
    for notebook in sorted(out_dir.glob("*/*.ipynb")):
        html = notebook.with_suffix(".html")
        table = notebook.with_name(notebook.stem + site.ESTIMATES_SUFFIX)
        audit = notebook.with_name(notebook.stem + DISCLOSURE_SUFFIX)
        try:
            executed = json.loads(notebook.read_text(encoding="utf-8"))
            record = executed["metadata"]["councildigital"]
            name, key = record["run"], record["key"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        complete = html.exists() and table.exists() and audit.exists()
        if not complete or name != f"{notebook.parent.name}/{notebook.stem}":
            continue
        found[name] = {
            "name": name,
            "key": key,
            "status": "ok",
            "outputs": [
                str(p.relative_to(out_dir))
                for p in (notebook, html, table, audit, *downloads.on_disk(html))
            ],
            "headlines": headlines_of(executed),
            "recovered": True,
        }
    return found


def load_manifest(out_dir: Path, notify: Notify | None = None) -> dict[str, dict]:
    """The manifest's runs; never silently discarded.

    A manifest that cannot be read is named in a message and kept aside; its runs
    come back from the backup of the last manifest written, and from the pages on
    disk for any the backup lacks.
    """
    path = out_dir / MANIFEST
    say = notify or (lambda message: None)
    if path.exists():
        try:
            return _read_entries(path)
        except (ValueError, OSError) as exc:
            aside = snapshot.store(out_dir).parent / "manifest.unreadable.json"
            aside.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):
                shutil.copyfile(path, aside)
            say(f"{path} cannot be read: {exc}; a copy is kept as {aside}")
    elif not _backup(out_dir).exists():
        return {}
    entries: dict[str, dict] = {}
    try:
        entries = _read_entries(_backup(out_dir))
        say(f"recovered {len(entries)} run(s) from the last good manifest ({_backup(out_dir)})")
    except (ValueError, OSError):
        pass
    pages = {k: v for k, v in recover_from_pages(out_dir).items() if k not in entries}
    if pages:
        say(
            f"recovered {len(pages)} run(s) from the pages in {out_dir} (their notebooks record them)"
        )
    return entries | pages


def write_manifest(out_dir: Path, entries: dict[str, dict]) -> None:
    """The manifest, and a backup of it that survives the manifest's loss or truncation."""
    text = json.dumps({"runs": dict(sorted(entries.items()))}, indent=2, sort_keys=True) + "\n"
    execution.atomic_write(out_dir / MANIFEST, text)
    execution.atomic_write(_backup(out_dir), text)


@contextlib.contextmanager
def folder_lock(out_dir: Path, notify: Notify | None = None) -> Iterator[None]:
    """One batch at a time on an output folder; a second one waits, and says so.

    The lock is the kernel's (``flock``): it is released when its holder exits, even
    if that holder was killed.
    """
    path = snapshot.store(out_dir).parent / "batch.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            if notify:
                notify(f"waiting for another batch (process {holder}) to finish with {out_dir}")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


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


def max_jobs() -> int:
    """Parallel runs worth starting here: one per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_batch(
    runs: list[Run],
    out_dir: Path = OUTPUTS_DIR,
    jobs: int = 1,
    force: bool = False,
    timeout: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    fresh_kernels: bool = False,
    notify: Notify | None = None,
) -> list[Result]:
    """Run what is stale, in parallel; record every outcome in the manifest as it arrives.

    The workers fork their runs' kernels from one process that has imported the
    notebooks' modules (:mod:`councildigital.pipeline.kernels`); ``fresh_kernels`` starts every
    kernel as a new Python process instead (slower, the same outputs). One batch at a
    time works in ``out_dir`` (:func:`folder_lock`); at the end the PDF briefings whose pages
    changed are printed (:mod:`councildigital.pipeline.briefing`) and the index is rewritten.
    Raises :class:`BatchWriteError` after the runs if the manifest, a briefing or the index
    could not be written, and :class:`BatchInputError` before any run for a missing kernel or an
    unreachable scheduler.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with folder_lock(out_dir, notify):
        return _run_locked(
            runs, out_dir, jobs, force, timeout, scheduler, progress, fresh_kernels, notify
        )


def kernels_fork() -> bool:
    return sys.platform.startswith("linux")


_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}$")  # ours: mkstemp's 8-letter tail


def sweep_temporaries(out_dir: Path) -> list[Path]:
    """Remove the temporary files of a batch killed mid-write; safe under the folder lock."""
    found = [
        path
        for folder in (out_dir, *(d for d in out_dir.iterdir() if d.is_dir()))
        for path in folder.iterdir()
        if path.is_file() and _TEMPORARY.match(path.name)
    ]
    for path in found:
        path.unlink(missing_ok=True)
    return found


def _run_locked(runs, out_dir, jobs, force, timeout, scheduler, progress, fresh_kernels, notify):
    sweep_temporaries(out_dir)
    manifest = load_manifest(out_dir, notify)
    counts = {"ran": 0, "running": 0, "failed": 0, "cached": 0, "total": len(runs)}
    results: dict[str, Result] = {}
    write_problems: list[str] = []

    def save() -> None:
        try:
            write_manifest(out_dir, manifest)
        except OSError as exc:
            problem = f"the manifest could not be written: {write_error(exc, out_dir)}"
            if problem not in write_problems:
                write_problems.append(problem)
                if notify:
                    notify(problem)

    def record(result: Result, save_now: bool = True) -> None:
        results[result.name] = result
        counts["cached" if result.status == "cached" else "ran"] += 1
        counts["failed"] += result.status == "failed"
        if result.status == "failed" and result.name in manifest:
            # Keep the last good outputs' record so the index can still link them.
            manifest[result.name] = {**manifest[result.name], **_failure_fields(result)}
        else:
            manifest[result.name] = asdict(result) | {"outputs": result.outputs}
        if save_now:
            save()
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
    save()
    if stale:
        _check_kernel()
        forked = not fresh_kernels
        work = functools.partial(execute_run, out_dir=out_dir, timeout=timeout, forked=forked)
        submit = _dask_runner(scheduler, jobs) if scheduler else _process_runner(jobs, forked)
        submit(start_order(stale), work, record, counts)
    order = {run.name: i for i, run in enumerate(runs)}
    ordered = sorted(results.values(), key=lambda r: order[r.name])
    commit = runs[0].commit if runs else git_commit()
    with profiling.phase("PDF briefings", "batch"):
        made, problems = briefing.update(out_dir, manifest, commit, notify)
    write_problems.extend(problems)
    try:
        with profiling.phase("index", "batch"):
            found = headlines(out_dir, manifest)
            site.write_index(out_dir, manifest, catalogue.SECTIONS, found, made)
    except OSError as exc:
        write_problems.append(f"the index could not be written: {write_error(exc, out_dir)}")
    if write_problems:
        raise BatchWriteError("; ".join(write_problems), ordered)
    return ordered


def start_order(runs: list[Run]) -> list[Run]:
    """The order runs start in: each section's first run as planned (its all-respondents
    page), then the others as planned.

    What a section's pages share is made by the first of them and read back by the others
    (the bounds' component ranges, the charts that are the same for every council type);
    two of a section's runs started side by side would both make it. The first runs are
    also each section's longest, so the short ones are left to fill the cores at the end."""
    started: set[str] = set()
    first, rest = [], []
    for run in runs:
        (rest if run.section in started else first).append(run)
        started.add(run.section)
    return first + rest


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
    from councildigital.pipeline.forkserver import end_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with_parent(multiprocessing.parent_process().pid)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now, with the runs they are in.

    SIGKILL, not SIGTERM: during a run nbclient handles SIGTERM by shutting its kernel
    down gracefully, which takes seconds. The fork server ends when its request pipe
    closes in the batch and its workers, and kernels die with their server (:func:`forkserver.end_with_parent`).
    """
    pool.shutdown(wait=False, cancel_futures=True)
    workers = multiprocessing.active_children()
    for worker in workers:
        worker.kill()
    for worker in workers:
        worker.join(timeout=10)


# What every worker imports to run and publish a page (seconds of CPU each), imported once
# in the batch before its workers are forked, while the fork server imports the notebooks'.
WORKER_MODULES = ("jupytext", "nbconvert", "nbformat", "pandas", "papermill")


def _process_runner(jobs: int, forked: bool):
    """Runs in a pool of worker processes; with ``forked`` kernels, one fork server for all of
    them, started before them so that its imports run while they start and plan their runs.
    The workers' own imports are done once, here, and forked with them."""

    def submit(stale, work, record, counts):
        from councildigital.pipeline import kernels

        server = kernels.shared_server(execution.KERNEL_NAME) if forked and kernels_fork() else None
        with (
            server or contextlib.nullcontext(),
            ProcessPoolExecutor(
                max_workers=min(jobs, len(stale)),
                initializer=_worker_init,
                # Workers are the batch's children (their death signal is tied to it).
                mp_context=multiprocessing.get_context("fork") if kernels_fork() else None,
            ) as pool,
        ):
            for name in WORKER_MODULES:  # before the first submit, which forks the workers
                importlib.import_module(name)
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
            cluster, client = None, _connect(Client, scheduler)
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


SCHEDULER_TIMEOUT_S = 10


def check_scheduler_address(address: str) -> str:
    """``local``, or a Dask scheduler address such as ``tcp://host:8786``; else a clear error."""
    if address == "local" or re.fullmatch(r"(tcp|tls|ucx|ws|wss)://[^\s/:]+:\d{1,5}", address):
        return address
    raise BatchInputError(
        f"--scheduler {address!r} is not a Dask scheduler address: expected 'local' or "
        "PROTOCOL://HOST:PORT, such as tcp://10.0.0.5:8786"
    )


def _connect(client_class, address: str):
    try:
        return client_class(address, timeout=f"{SCHEDULER_TIMEOUT_S}s")
    except (OSError, TimeoutError) as exc:
        raise BatchInputError(
            f"cannot reach the Dask scheduler at {address} within {SCHEDULER_TIMEOUT_S} s "
            f"({type(exc).__name__}); is it running, and is the address right?"
        ) from None
