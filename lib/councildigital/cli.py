"""The command line: ``councildigital figures | reconstruct | fidelity | batch | run``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from tqdm import tqdm

from councildigital import batch as batching
from councildigital import publish, site
from councildigital.paths import OUTPUTS_DIR, PUBLISHED_DIR


@click.group()
@click.version_option(package_name="councildigital")
def main() -> None:
    """Councils' digital ambitions versus reality: reproducible reports."""


@main.command()
@click.option("--summary", is_flag=True, help="Print the number of figures per document.")
@click.option("--document", "documents", multiple=True, help="Only these document keys.")
@click.option(
    "--folder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=PUBLISHED_DIR,
    show_default=True,
    help="Folder of published-figures CSVs.",
)
def figures(summary: bool, documents: tuple[str, ...], folder: Path) -> None:
    """Validate the published figures and print them (or a count per document)."""
    from councildigital import data

    try:
        table = data.load_figures(folder, documents or None)
    except data.UnknownDocumentError as exc:
        raise click.BadParameter(str(exc), param_hint="'--document'") from exc
    except (data.DataValidationError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc
    if summary:
        click.echo(data.summary(table).to_string())
    else:
        table.to_csv(sys.stdout, index=False)


@main.command()
@click.option("--seed", type=int, default=None, help="Random seed (default: the embedded data's).")
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="CSV to write (default: the embedded data, with its codebook and assumptions).",
)
def reconstruct(seed: int | None, out_path: Path | None) -> None:
    """Rebuild the synthetic 2024 microdata from the published figures."""
    from councildigital import microdata
    from councildigital import reconstruct as rebuilding

    path = rebuilding.regenerate(
        rebuilding.DEFAULT_SEED if seed is None else seed, out_path or microdata.DEFAULT_PATH
    )
    click.echo(f"wrote {path} (every checkable 2024 figure within tolerance)")


@main.command()
@click.option(
    "--data",
    "data_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Respondent microdata to check (default: the embedded synthetic data).",
)
@click.option(
    "--table",
    "table_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the full fidelity table (published vs reconstructed) as CSV.",
)
def fidelity(data_path: Path | None, table_path: Path | None) -> None:
    """Check microdata against every published 2024 figure; exit 1 if any is out of tolerance."""
    from councildigital import microdata
    from councildigital import reconstruct as rebuilding
    from councildigital.data import DataValidationError

    try:
        loaded = microdata.load_microdata(data_path)
    except DataValidationError as exc:
        raise click.ClickException(str(exc)) from exc
    table = rebuilding.fidelity(loaded.frame)
    click.echo(loaded.label)
    click.echo(rebuilding.fidelity_summary(table))
    if table_path is not None:
        table.to_csv(table_path, index=False, lineterminator="\n")
    if not table.loc[table["checkable"], "within"].all():
        sys.exit(1)


def _run_options(func):
    options = [
        click.option(
            "--data",
            "data_path",
            type=click.Path(path_type=Path),
            default=None,
            help="Respondent microdata to use instead of the embedded synthetic data.",
        ),
        click.option(
            "-p",
            "--parameter",
            "parameters",
            type=(str, str),
            multiple=True,
            metavar="NAME VALUE",
            help="A notebook parameter (repeatable).",
        ),
        click.option(
            "--out",
            "out_dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=OUTPUTS_DIR,
            show_default=True,
            help="Output folder.",
        ),
        click.option("--force", is_flag=True, help="Re-run even what is up to date."),
        click.option(
            "--timeout", type=float, default=None, help="Seconds a notebook cell may take."
        ),
        click.option("--quiet", is_flag=True, help="No progress bar; only the summary."),
        click.option(
            "--fresh-kernels",
            is_flag=True,
            help="Start every kernel as a new process instead of forking it from one that "
            "has already imported the notebooks' modules (slower; the same outputs).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.command()
@click.option("--sections", default=None, help="Comma-separated section codes (default: all).")
@click.option(
    "--council-types", default=None, help="Comma-separated council types (default: all of them)."
)
@click.option(
    "--jobs", type=click.IntRange(min=1), default=None, help="Parallel runs (default: cores)."
)
@click.option(
    "--scheduler",
    default=None,
    help="Dask distributed scheduler address, or 'local' for a local cluster.",
)
@_run_options
def batch(sections, council_types, jobs, scheduler, **options) -> None:
    """Run every section for every council type with papermill and publish HTML."""
    _execute(_split(sections), _split(council_types), jobs=jobs, scheduler=scheduler, **options)


@main.command()
@click.argument("section")
@click.option("--council-type", default="all", show_default=True)
@_run_options
def run(section, council_type, **options) -> None:
    """Run one section for one council type."""
    _execute([section], [council_type], jobs=1, scheduler=None, **options)


def _execute(
    sections,
    council_types,
    jobs,
    scheduler,
    data_path,
    parameters,
    out_dir,
    force,
    timeout,
    quiet,
    fresh_kernels,
) -> None:
    try:
        runs = batching.plan(sections, council_types, data_path, dict(parameters))
    except batching.BatchInputError as exc:
        raise click.ClickException(str(exc)) from exc
    bar = tqdm(total=len(runs), unit="run", disable=quiet or None, file=sys.stderr)

    def progress(result, counts):
        bar.update(1)
        bar.set_postfix(
            done=counts["done"],
            running=counts["running"],
            failed=counts["failed"],
            cached=counts["cached"],
            refresh=False,
        )

    try:
        results = batching.run_batch(
            runs,
            out_dir,
            jobs=jobs or _cores(),
            force=force,
            timeout=timeout,
            scheduler=scheduler,
            progress=progress,
            fresh_kernels=fresh_kernels,
        )
    except KeyboardInterrupt:
        bar.close()
        click.echo("interrupted: finished runs are recorded in the manifest", err=True)
        sys.exit(130)
    bar.close()
    manifest = batching.read_manifest(out_dir)
    site.write_index(out_dir, manifest, publish.SECTIONS, batching.headlines(out_dir, manifest))
    failed = [r for r in results if r.status == "failed"]
    for result in failed:
        cell = f" (cell {result.failed_cell})" if result.failed_cell else ""
        click.echo(f"FAILED {result.name}{cell}: {result.error}", err=True)
    summary = {s: sum(r.status == s for r in results) for s in ("ok", "cached", "failed")}
    click.echo(
        f"{len(results)} runs: {summary['ok']} ran, {summary['cached']} cached, "
        f"{summary['failed']} failed; index: {out_dir / 'index.html'}"
    )
    if failed:
        sys.exit(1)


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _split(value: str | None) -> list[str] | None:
    return [part.strip() for part in value.split(",") if part.strip()] if value else None
