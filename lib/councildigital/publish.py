"""Execute the report notebooks with papermill and publish them as HTML with nbconvert.

Each run (section x council type) writes to a temporary file first and moves
it into place only when it succeeded, so a failed run never destroys the
last good output.
"""

from __future__ import annotations

import os
import tempfile
import traceback
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import nbformat
import papermill
from nbconvert import HTMLExporter

from councildigital import survey
from councildigital.paths import NOTEBOOKS_DIR, OUTPUTS_DIR

KERNEL_NAME = "councildigital"


@dataclass(frozen=True)
class Section:
    """A report section: its code, its notebook and whether it is run per council type."""

    code: str
    notebook: str
    title: str
    per_council_type: bool = True

    @property
    def path(self) -> Path:
        return NOTEBOOKS_DIR / self.notebook


SECTIONS: tuple[Section, ...] = (
    Section("evidence", "00_evidence.py", "The evidence base", per_council_type=False),
)


def section(code: str) -> Section:
    for candidate in SECTIONS:
        if candidate.code == code:
            return candidate
    raise ValueError(
        f"unknown section {code!r}; expected one of {', '.join(s.code for s in SECTIONS)}"
    )


@dataclass
class RunResult:
    section: str
    council_type: str
    status: str
    html: Path | None = None
    error: str | None = None
    parameters: dict = field(default_factory=dict)


def runs_for(sections: Iterable[str], council_types: Iterable[str]) -> list[tuple[Section, str]]:
    """Every (section, council type) pair to run; sections not split by type run once, as 'all'."""
    chosen = [section(code) for code in sections]
    types = [survey.check_council_type(t) for t in council_types]
    pairs = []
    for sec in chosen:
        for council_type in types if sec.per_council_type else [survey.ALL]:
            if (sec, council_type) not in pairs:
                pairs.append((sec, council_type))
    return pairs


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(text)
        temp = Path(handle.name)
    os.replace(temp, path)


def to_html(notebook: nbformat.NotebookNode) -> str:
    """The reviewer's HTML: outputs only, no code cells or prompts."""
    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(notebook)
    return body


def run_one(
    sec: Section, council_type: str, out_dir: Path, parameters: dict | None = None
) -> RunResult:
    """Execute one section for one council type and publish it; never raises for a notebook error."""
    params = {"council_type": council_type, **(parameters or {})}
    target = out_dir / sec.code / f"{council_type}"
    try:
        source = jupytext.read(sec.path)
        executed = papermill.execute_notebook(
            source,
            None,
            parameters=params,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            cwd=str(sec.path.parent),
        )
        html = to_html(executed)
    except Exception as exc:
        return RunResult(
            sec.code, council_type, "failed", error=_short_error(exc), parameters=params
        )
    _atomic_write(target.with_suffix(".ipynb"), nbformat.writes(executed))
    _atomic_write(target.with_suffix(".html"), html)
    return RunResult(
        sec.code, council_type, "ok", html=target.with_suffix(".html"), parameters=params
    )


def _short_error(exc: BaseException) -> str:
    if isinstance(exc, papermill.PapermillExecutionError):
        return f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    return "".join(traceback.format_exception_only(exc)).strip()


def batch(
    sections: Iterable[str] | None = None,
    council_types: Iterable[str] | None = None,
    out_dir: Path = OUTPUTS_DIR,
    parameters: dict | None = None,
    jobs: int | None = None,
) -> list[RunResult]:
    """Run every chosen section for every chosen council type, in parallel processes."""
    pairs = runs_for(
        sections if sections is not None else [s.code for s in SECTIONS],
        council_types if council_types is not None else survey.council_type_choices(),
    )
    jobs = jobs or os.cpu_count() or 1
    results: list[RunResult] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_one, sec, ct, out_dir, parameters) for sec, ct in pairs]
        for future in as_completed(futures):
            results.append(future.result())
    order = {(sec.code, ct): i for i, (sec, ct) in enumerate(pairs)}
    results.sort(key=lambda r: order[(r.section, r.council_type)])
    return results
