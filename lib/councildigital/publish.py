"""Execute one report notebook with papermill and publish it as HTML with nbconvert.

Outputs are normalised (stable cell ids, no timestamps or machine paths) so
the same inputs give byte-identical files, and written atomically: a failed
run never leaves a half-written file nor destroys the last good output.
"""

from __future__ import annotations

import ast
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from councildigital import survey
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
) -> nbformat.NotebookNode:
    """Run the notebook with papermill in the project's kernel and return it, normalised."""
    import papermill

    executed = papermill.execute_notebook(
        notebook,
        None,
        parameters=parameters,
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        cwd=str(cwd),
        execution_timeout=timeout,
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
    return notebook


def to_html(notebook: nbformat.NotebookNode) -> str:
    """The reviewer's HTML: outputs only, no code cells or prompts."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(notebook)
    return body


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(text)
        temp = Path(handle.name)
    os.replace(temp, path)


def write_index(out_dir: Path, manifest: dict[str, dict]) -> Path:
    """``index.html``: every section x council type with its status, linking to its page."""
    from html import escape

    types = survey.council_type_choices()
    rows = []
    for sec in SECTIONS:
        cells = []
        for council_type in types if sec.per_council_type else [survey.ALL]:
            entry = manifest.get(f"{sec.code}/{council_type}")
            if entry is None:
                cells.append(f"<td>{escape(council_type)}: not run</td>")
                continue
            page = next((p for p in entry.get("outputs", []) if p.endswith(".html")), None)
            label = f"{escape(council_type)} ({escape(entry['status'])})"
            cells.append(
                f'<td><a href="{escape(page)}">{label}</a></td>' if page else f"<td>{label}</td>"
            )
        rows.append(f'<tr><th scope="row">{escape(sec.title)}</th>{"".join(cells)}</tr>')
    html = (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        "<title>Councils' digital ambitions versus reality: reports</title></head>\n<body>\n"
        "<h1>Councils' digital ambitions versus reality: reports</h1>\n"
        "<table>\n<caption>Report sections by council type (status of the last run)</caption>\n"
        + "\n".join(rows)
        + "\n</table>\n</body>\n</html>\n"
    )
    path = out_dir / "index.html"
    atomic_write(path, html)
    return path
