"""The command line: ``councildigital figures``, ``councildigital batch``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from councildigital import data, publish
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
    try:
        table = data.load_figures(folder, documents or None)
    except (data.DataValidationError, FileNotFoundError, KeyError) as exc:
        raise click.ClickException(str(exc)) from exc
    if summary:
        click.echo(data.summary(table).to_string())
    else:
        table.to_csv(sys.stdout, index=False)


@main.command()
@click.option("--sections", default=None, help="Comma-separated section codes (default: all).")
@click.option(
    "--council-types", default=None, help="Comma-separated council types (default: all of them)."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=OUTPUTS_DIR,
    show_default=True,
)
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Parallel processes.")
def batch(sections: str | None, council_types: str | None, out_dir: Path, jobs: int | None) -> None:
    """Run the report notebooks with papermill and publish HTML."""
    try:
        results = publish.batch(
            sections=_split(sections),
            council_types=_split(council_types),
            out_dir=out_dir,
            jobs=jobs,
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    failed = [r for r in results if r.status != "ok"]
    for result in results:
        where = result.html if result.html else result.error
        click.echo(f"{result.status:6} {result.section}/{result.council_type}: {where}")
    click.echo(f"{len(results) - len(failed)} ok, {len(failed)} failed")
    if failed:
        sys.exit(1)


def _split(value: str | None) -> list[str] | None:
    return [part.strip() for part in value.split(",") if part.strip()] if value else None
