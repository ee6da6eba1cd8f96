"""Execute one report notebook with papermill and publish it as HTML with nbconvert.

Outputs are normalised (stable cell ids, no timestamps or machine paths) so
the same inputs give byte-identical files, and written atomically: a failed
run never leaves a half-written file nor destroys the last good output.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from councildigital.paths import NOTEBOOKS_DIR
from councildigital.pipeline import profiling
from councildigital.pipeline.catalogue import Section

if TYPE_CHECKING:  # notebook tooling is imported where used: it takes seconds to import
    import nbformat

KERNEL_NAME = "councildigital"


def read_notebook(sec: Section) -> nbformat.NotebookNode:
    """The section's jupytext script as a notebook."""
    import jupytext

    return jupytext.read(sec.path)


def execute(
    notebook: nbformat.NotebookNode,
    parameters: dict,
    cwd: Path = NOTEBOOKS_DIR,
    timeout: float | None = None,
    forked: bool = False,
) -> nbformat.NotebookNode:
    """Run the notebook with papermill in the project's kernel and return it, normalised.

    ``forked``: the kernel is forked from a process that has already imported the
    notebooks' modules (:mod:`councildigital.pipeline.kernels`) instead of started afresh.
    The kernel is killed once the last cell has answered, when every output is in (a
    graceful shutdown waits for it to tidy up a process that ends anyway).
    """
    import papermill

    from councildigital.pipeline import kernels

    manager = kernels.ForkingKernelManager if forked else kernels.ReportKernelManager
    with profiling.NotebookClock() as clock:
        executed = papermill.execute_notebook(
            notebook,
            None,
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            cwd=str(cwd),
            execution_timeout=timeout,
            kernel_manager_class=manager,
            shutdown_kernel="immediate",
            **clock.hooks,
        )
    return normalise(executed)


_VOLATILE_NOTEBOOK_KEYS = ("input_path", "output_path", "start_time", "end_time", "duration")


def normalise(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Stable cell ids, and no timestamps, durations or machine paths in the metadata."""
    papermill_meta = notebook.metadata.get("papermill", {})
    for key in _VOLATILE_NOTEBOOK_KEYS:
        papermill_meta.pop(key, None)
    papermill_meta.pop("environment_variables", None)
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:03d}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        for number, output in enumerate(cell.get("outputs", [])):
            plain = output.get("data", {}).get("text/plain")
            if plain:
                text = "".join(plain) if isinstance(plain, list) else plain
                output["data"]["text/plain"] = _MEMORY_ADDRESS.sub("", text)
            html = output.get("data", {}).get("text/html")
            if html:
                text = "".join(html) if isinstance(html, list) else html
                output["data"]["text/html"] = _stable_styler_ids(text, f"c{index}o{number}")
    return notebook


_MEMORY_ADDRESS = re.compile(r" at 0x[0-9a-f]+")  # object reprs: "<... Styler at 0x7f...>"
_STYLER_ID = re.compile(r"\bT_([0-9a-f]{5})(?=[_\"\s])")


def _stable_styler_ids(html: str, prefix: str) -> str:
    """pandas' Styler names each table with a random id; name it by its place instead."""
    seen: dict[str, str] = {}

    def rename(match: re.Match) -> str:
        seen.setdefault(match.group(1), f"{prefix}t{len(seen)}")
        return f"T_{seen[match.group(1)]}"

    return _STYLER_ID.sub(rename, html)


def new_file_mode(directory: bool = False) -> int:
    """The mode the user's umask gives a new file (0644 by default): servable by a web server.

    A temporary file is created 0600; renaming it keeps that, so it is set explicitly.
    """
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if directory else 0o666) & ~mask


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8, or bytes) to ``path`` via a temporary file in the
    same folder and an atomic rename: a reader meanwhile sees all of it or none."""
    write_together([(path, content)])


def _temp_beside(path: Path) -> Path:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(fd)
    return Path(name)


def write_together(files: list[tuple[Path, str | bytes]]) -> None:
    """Replace every file or none: a page's notebook and HTML stay a pair.

    Contents are text (written as UTF-8) or bytes (a spreadsheet). Each goes to a temporary file beside its target first; only when all are
    written are they renamed into place, and if a rename fails the files already
    replaced get their old contents back. Temporary files are removed on every path.
    An ``OSError`` names the file it failed on.
    """
    temps: list[tuple[Path, Path]] = []
    placed: list[tuple[Path, Path | None]] = []  # (target, its old contents) once replaced
    try:
        for path, content in files:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                temp = _temp_beside(path)
                temps.append((temp, path))
                if isinstance(content, bytes):
                    temp.write_bytes(content)
                else:
                    temp.write_text(content, encoding="utf-8")
                os.chmod(temp, new_file_mode())
            except OSError as exc:
                raise _naming(exc, path) from None
        for temp, path in temps:
            backup = None
            if len(files) > 1 and path.exists():
                backup = _temp_beside(path)
                os.replace(path, backup)
            try:
                os.replace(temp, path)
            except OSError as exc:
                if backup is not None:
                    os.replace(backup, path)
                raise _naming(exc, path) from None
            if len(files) > 1:
                placed.append((path, backup))
    except BaseException:
        for path, backup in reversed(placed):
            if backup is None:
                path.unlink(missing_ok=True)
            else:
                os.replace(backup, path)
        raise
    finally:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
        for _, backup in placed:
            if backup is not None:
                backup.unlink(missing_ok=True)


def _naming(exc: OSError, path: Path) -> OSError:
    """The same error, naming the file that was being written (not its temporary copy)."""
    return type(exc)(exc.errno, exc.strerror or str(exc), str(path))
