"""The command line: ``councildigital figures | reconstruct | fidelity | batch | run``."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click
from tqdm import tqdm

from councildigital.paths import OUTPUTS_DIR, PUBLISHED_DIR
from councildigital.pipeline import batch as batching
from councildigital.pipeline import catalogue


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
    from councildigital.data import published

    try:
        table = published.load_figures(folder, documents or None)
    except published.UnknownDocumentError as exc:
        raise click.BadParameter(str(exc), param_hint="'--document'") from exc
    except (published.DataValidationError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc
    if summary:
        click.echo(published.summary(table).to_string())
    else:
        table.to_csv(sys.stdout, index=False)


@main.command()
@click.option("--seed", type=int, default=None, help="Random seed (default: the embedded data's).")
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="CSV to write.",
)
@click.option(
    "--replace-embedded",
    is_flag=True,
    help="Write over the embedded synthetic data, its codebook and assumptions instead.",
)
def reconstruct(seed: int | None, out_path: Path | None, replace_embedded: bool) -> None:
    """Rebuild the synthetic 2024 microdata from the published figures.

    \b
    Examples:
      councildigital reconstruct --seed 2 --out seed2.csv
      councildigital reconstruct --replace-embedded
    """
    from councildigital.data import microdata
    from councildigital.reconstruct import solver

    if (out_path is None) == (not replace_embedded):
        raise click.UsageError(
            "say where to write: --out FILE, or --replace-embedded to write over the embedded "
            f"data ({microdata.DEFAULT_PATH.name})"
            if out_path is None
            else "--out and --replace-embedded cannot be used together"
        )
    path = solver.regenerate(
        solver.DEFAULT_SEED if seed is None else seed, out_path or microdata.DEFAULT_PATH
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
    "--sheet", default=None, help="The sheet of a spreadsheet --data (default: the first)."
)
@click.option(
    "--table",
    "table_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the full fidelity table (published vs reconstructed) as CSV.",
)
def fidelity(data_path: Path | None, sheet: str | None, table_path: Path | None) -> None:
    """Check microdata against every published 2024 figure; exit 1 if any is out of tolerance."""
    from councildigital.data import microdata
    from councildigital.data.published import DataValidationError
    from councildigital.reconstruct import claims

    try:
        loaded = microdata.load_microdata(data_path, sheet)
    except DataValidationError as exc:
        raise click.ClickException(str(exc)) from exc
    table = claims.fidelity(loaded.frame)
    click.echo(loaded.label)
    click.echo(claims.fidelity_summary(table))
    if table_path is not None:
        table.to_csv(table_path, index=False, lineterminator="\n")
    if not table.loc[table["checkable"], "within"].all():
        sys.exit(1)


DATA_FORMATS = (
    "in the codebook's schema (data/synthetic/codebook.csv), answers as codes or labels: "
    "CSV (UTF-8, comma-separated), Excel .xlsx, OpenDocument .ods, SPSS .sav, Stata .dta"
)


def _sections_help() -> str:
    """The sections, council types and each section's parameters, for --help (read cheaply)."""
    from councildigital.data import survey
    from councildigital.pipeline import parameters as checks

    lines = ["\b", "Sections and the parameters each declares (set with -p NAME VALUE):"]
    for sec in catalogue.SECTIONS:
        lines.append(f"  {sec.code}: {sec.title}")
        declared = checks.declared(sec.path.read_text(encoding="utf-8"))
        for item in declared.values():
            if item.name in checks.RESERVED:
                continue
            about = f": {item.comment}" if item.comment else ""
            lines.append(f"      {item.name} ({item.kind}; default {item.default!r}){about}")
    lines += [
        "",
        "\b",
        f"Council types: {', '.join(survey.council_type_choices())}",
        f"--data formats: {DATA_FORMATS}.",
        "council_type and data_path are set with --council-types / --council-type and --data.",
    ]
    return "\n".join(lines)


def _run_options(func):
    options = [
        click.option(
            "--data",
            "data_path",
            type=click.Path(path_type=Path),
            default=None,
            help=f"Respondent microdata instead of the embedded synthetic data: {DATA_FORMATS}. "
            "Validated and read once, before any run.",
        ),
        click.option(
            "--sheet",
            default=None,
            help="The sheet of a spreadsheet --data to read (default: the first).",
        ),
        click.option(
            "-p",
            "--parameter",
            "parameters",
            type=(str, str),
            multiple=True,
            metavar="NAME VALUE",
            help="A notebook parameter (repeatable); the sections' parameters are listed below.",
        ),
        click.option(
            "--out",
            "out_dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help=f"Output folder (default: {OUTPUTS_DIR.name}/; with --data, a folder of that "
            f"data's own, {OUTPUTS_DIR.name}/data-NAME-HASH/, so that pages from different data "
            "never share an index).",
        ),
        click.option("--force", is_flag=True, help="Re-run even what is up to date."),
        click.option(
            "--timeout",
            type=click.IntRange(min=1),
            default=None,
            help="Whole seconds a notebook cell may take (default: no limit).",
        ),
        click.option(
            "--quiet", is_flag=True, help="No progress bar or progress lines; only the summary."
        ),
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


class _SectionsHelp(click.Command):
    """A command whose --help ends with the sections and their parameters."""

    def format_epilog(self, ctx, formatter) -> None:
        super().format_epilog(ctx, formatter)
        formatter.write_paragraph()
        formatter.write_text(_sections_help())


@main.command(
    cls=_SectionsHelp,
    epilog="""\b
Examples:
  councildigital batch
  councildigital batch --sections vision --council-types county,district
  councildigital batch --data my_microdata.csv -p min_base 5 -p weighting council_type
  councildigital batch --scheduler tcp://10.0.0.5:8786""",
)
@click.option("--sections", default=None, help="Comma-separated section codes (default: all).")
@click.option(
    "--council-types", default=None, help="Comma-separated council types (default: all of them)."
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Parallel runs (default and most: the cores this machine has).",
)
@click.option(
    "--scheduler",
    default=None,
    help="Dask distributed scheduler address (tcp://HOST:PORT), or 'local' for a local cluster.",
)
@_run_options
def batch(sections, council_types, jobs, scheduler, **options) -> None:
    """Run every section for every council type with papermill and publish HTML."""
    _execute(_split(sections), _split(council_types), jobs=jobs, scheduler=scheduler, **options)


@main.command(
    cls=_SectionsHelp,
    epilog="""\b
Examples:
  councildigital run barriers --council-type london_borough
  councildigital run future_councils_costs --council-type district -p council_name "Anytown"
  councildigital run vision --data my_microdata.csv -p min_base 5""",
)
@click.argument("section")
@click.option("--council-type", default="all", show_default=True)
@_run_options
def run(section, council_type, **options) -> None:
    """Run one section for one council type."""
    _execute([section], [council_type], jobs=1, scheduler=None, **options)


def _terminated(signum, frame) -> None:
    """SIGTERM ends the batch as Ctrl-C does: pending runs cancelled, workers stopped."""
    raise _Terminated


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C's KeyboardInterrupt would be."""


def _execute(
    sections,
    council_types,
    jobs,
    scheduler,
    data_path,
    sheet,
    parameters,
    out_dir,
    force,
    timeout,
    quiet,
    fresh_kernels,
) -> None:
    def notify(message: str) -> None:
        click.echo(message, err=True)

    cores = batching.max_jobs()
    if jobs is not None and jobs > cores:
        notify(f"--jobs {jobs} is more than the {cores} cores here: running {cores} at a time")
        jobs = cores
    try:
        if scheduler is not None:
            batching.check_scheduler_address(scheduler)
        if out_dir is None and data_path is not None:
            out_dir = batching.own_data_folder(data_path)
            notify(f"pages from {data_path} go to {out_dir} (choose another folder with --out)")
        out_dir = out_dir or OUTPUTS_DIR
        runs = batching.plan(
            sections, council_types, data_path, dict(parameters), out_dir, sheet=sheet
        )
    except batching.BatchInputError as exc:
        raise click.ClickException(str(exc)) from exc
    signal.signal(signal.SIGTERM, _terminated)
    bar = tqdm(total=len(runs), unit="run", disable=quiet or None, file=sys.stderr)
    lines = not quiet and bar.disable  # no terminal: a line per run that ran

    def progress(result, counts):
        bar.update(1)
        bar.set_postfix(
            ran=counts["ran"],
            failed=counts["failed"],
            cached=counts["cached"],
            running=counts["running"],
            refresh=False,
        )
        if lines and result.status != "cached":
            finished = counts["ran"] + counts["cached"]
            click.echo(
                f"[{finished}/{counts['total']}] {result.name}: "
                f"{'ran' if result.status == 'ok' else 'FAILED'} in {result.duration_s:.1f} s"
            )

    try:
        results = batching.run_batch(
            runs,
            out_dir,
            jobs=jobs or cores,
            force=force,
            timeout=timeout,
            scheduler=scheduler,
            progress=progress,
            fresh_kernels=fresh_kernels,
            notify=notify,
        )
        problem = None
    except batching.BatchInputError as exc:
        bar.close()
        raise click.ClickException(str(exc)) from exc
    except batching.BatchWriteError as exc:
        results, problem = exc.results, str(exc)
    except KeyboardInterrupt as exc:
        bar.close()
        word = "terminated" if isinstance(exc, _Terminated) else "interrupted"
        notify(f"{word}: finished runs are recorded in the manifest")
        sys.exit(143 if isinstance(exc, _Terminated) else 130)
    bar.close()
    failed = [r for r in results if r.status == "failed"]
    for result in failed:
        cell = f" (cell {result.failed_cell})" if result.failed_cell else ""
        notify(f"FAILED {result.name}{cell}: {result.error}")
    if problem:
        notify(f"ERROR: {problem}")
    summary = {s: sum(r.status == s for r in results) for s in ("ok", "cached", "failed")}
    click.echo(
        f"{len(results)} runs: {summary['ok']} ran, {summary['cached']} cached, "
        f"{summary['failed']} failed; index: {out_dir / 'index.html'}"
    )
    if failed or problem:
        sys.exit(1)


def _split(value: str | None) -> list[str] | None:
    return [part.strip() for part in value.split(",") if part.strip()] if value else None
