"""Execute one report notebook with papermill and publish it as HTML with nbconvert.

Outputs are normalised (stable cell ids, no timestamps or machine paths) so
the same inputs give byte-identical files, and written atomically: a failed
run never leaves a half-written file nor destroys the last good output.
"""

from __future__ import annotations

import ast
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from councildigital.paths import NOTEBOOKS_DIR

if TYPE_CHECKING:  # notebook tooling is imported where used: it takes seconds to import
    import nbformat

KERNEL_NAME = "councildigital"
ALL_DATA = ("published", "reference", "synthetic")


@dataclass(frozen=True)
class Section:
    """A report section: its notebook, whether it runs per council type, and the data it reads."""

    code: str
    notebook: str
    title: str
    per_council_type: bool = True
    reads: tuple[str, ...] = ALL_DATA

    @property
    def path(self) -> Path:
        return NOTEBOOKS_DIR / self.notebook


SECTIONS: tuple[Section, ...] = (
    Section(
        "evidence",
        "00_evidence.py",
        "The evidence base",
        per_council_type=False,
        reads=("published",),
    ),
    Section("vision", "01_vision.py", "Strategic vision and the role of digital"),
    Section(
        "potential_vs_plan", "02_potential_vs_plan.py", "Digital potential versus current plans"
    ),
    Section("barriers", "03_barriers.py", "Barriers and capability"),
    Section(
        "future_councils_costs",
        "04_future_councils_costs.py",
        "Future Councils cost estimates",
        reads=("published", "reference"),
    ),
    Section(
        "then_and_now", "05_then_and_now.py", "Then and now: 2013 and 2024", reads=("published",)
    ),
)


def section(code: str) -> Section:
    for candidate in SECTIONS:
        if candidate.code == code:
            return candidate
    raise ValueError(
        f"unknown section {code!r}; expected one of {', '.join(s.code for s in SECTIONS)}"
    )


def read_notebook(sec: Section) -> nbformat.NotebookNode:
    """The section's jupytext script as a notebook."""
    import jupytext

    return jupytext.read(sec.path)


def declared_parameters(notebook: nbformat.NotebookNode) -> dict[str, object]:
    """Names and default values of the notebook's papermill ``parameters`` cell."""
    from papermill.translators import PythonTranslator

    cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    if not cells:
        return {}
    declared = {}
    for parameter in PythonTranslator.inspect(cells[0]):
        try:
            declared[parameter.name] = ast.literal_eval(parameter.default)
        except (ValueError, SyntaxError):
            declared[parameter.name] = parameter.default
    return declared


def execute(
    notebook: nbformat.NotebookNode,
    parameters: dict,
    cwd: Path = NOTEBOOKS_DIR,
    timeout: float | None = None,
    forked: bool = False,
) -> nbformat.NotebookNode:
    """Run the notebook with papermill in the project's kernel and return it, normalised.

    ``forked``: the kernel is forked from a process that has already imported the
    notebooks' modules (:mod:`councildigital.kernels`) instead of started afresh.
    """
    import papermill

    from councildigital import kernels

    manager = kernels.ForkingKernelManager if forked else kernels.ReportKernelManager
    executed = papermill.execute_notebook(
        notebook,
        None,
        parameters=parameters,
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        cwd=str(cwd),
        execution_timeout=timeout,
        kernel_manager_class=manager,
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


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(text)
        temp = Path(handle.name)
    os.replace(temp, path)
