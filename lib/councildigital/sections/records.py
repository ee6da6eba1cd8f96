"""What a notebook tells the site about itself: its data's provenance, its headline figures,
the estimates it shows and the data behind each table and chart.

All are displayed as JSON under the project's own MIME types: JupyterLab and
nbconvert do not render them, and the site reads them back from the executed
notebook, so the page header, the page's estimates file and the index show what
the notebook really used and computed rather than a second copy of the logic.
IPython is imported where a notebook displays: the batch and the site need only
the MIME types, quickly.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence

PROVENANCE_MIME = "application/vnd.councildigital.provenance+json"
HEADLINE_MIME = "application/vnd.councildigital.headline+json"
ESTIMATES_MIME = "application/vnd.councildigital.estimates+json"
DATA_MIME = "application/vnd.councildigital.data+json"
# The data of a table or chart: its fields, in order (rows: one list of cells per row).
DATA_FIELDS = ("stem", "kind", "title", "columns", "rows", "base", "source", "data_label")
DATA_FOLDER = ".data"  # beside the page: <section>/<council type>.data/<stem>.csv
REAL_DATA_LABEL = "Not synthetic: published figures or real respondent data"

WITHHELD_MIME = "application/vnd.councildigital.withheld+json"
# The columns of a run's disclosure audit file: every hidden cell and the rule that hid it.
WITHHELD_COLUMNS = ("table", "row", "column", "rule", "reason")
# The columns of a page's estimates file, in order; the first four every row must give.
ESTIMATE_COLUMNS = (
    "statistic",
    "group",
    "value",
    "ci_low",
    "ci_high",
    "n",
    "evidence",
    "bound_low",
    "bound_high",
    "figure_id",
    "unit",
    "within_bounds",
    "identification",
)
_REQUIRED = ("statistic", "group", "value", "evidence")


def provenance(description: str, synthetic: bool, sha256: str | None = None) -> None:
    """Record what data the page was computed from (shown in the page header)."""
    from IPython.display import display

    display(
        {PROVENANCE_MIME: {"description": description, "synthetic": synthetic, "sha256": sha256}},
        raw=True,
    )


def _plain(value: object) -> object:
    """A JSON value: numpy scalars as Python numbers, a missing number (NaN) as None."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def number_text(value: object) -> str:
    """A data cell as a chart's numbers table, a CSV or a spreadsheet writes it: 0.25, 12, text."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def headline(
    label: str,
    value: str,
    evidence: str | None = None,
    bound_low: float | None = None,
    bound_high: float | None = None,
    figure_id: str = "",
    range_text: str = "",
    basis: str = "",
) -> None:
    """Record one headline figure (text, already formatted) for the site's index.

    ``evidence``: what stands behind it (published, bounded, observed; the index
    shows no other); the bounds the published figures imply, with ``range_text``
    their words for the index ("52% to 78%"), and the figure id where the report
    states it. Pages of published figures only give none of these. ``basis``: what the
    value is for and rests on, where several headlines share it ("for an average county
    council (this model's central assumption; ...)"): the index says it once for them.
    """
    from IPython.display import display

    record = {"label": label, "value": value}
    if evidence is not None:
        record["evidence"] = evidence
    extra = {
        "bound_low": _plain(bound_low),
        "bound_high": _plain(bound_high),
        "figure_id": figure_id,
        "range_text": range_text,
        "basis": basis,
    }
    record.update({key: item for key, item in extra.items() if item not in (None, "")})
    display({HEADLINE_MIME: record}, raw=True)


def estimates(rows: list[dict]) -> None:
    """Record the estimates one table or chart shows, for the page's estimates file.

    Each row gives :data:`ESTIMATE_COLUMNS` (statistic, group, value and evidence
    at least; a missing or NaN optional value is recorded as None).
    """
    from IPython.display import display

    recorded = []
    for row in rows:
        unknown = sorted(set(row) - set(ESTIMATE_COLUMNS))
        missing = [name for name in _REQUIRED if name not in row]
        problems = [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
        problems += [f"missing {', '.join(missing)}"] if missing else []
        if problems:
            raise ValueError(
                f"estimate row {row!r}: {'; '.join(problems)}; "
                f"expected {', '.join(ESTIMATE_COLUMNS)}"
            )
        recorded.append({name: _plain(row.get(name)) for name in ESTIMATE_COLUMNS})
    display({ESTIMATES_MIME: {"rows": recorded}}, raw=True)


def data(record: dict, html: str | None) -> None:
    """Record the data behind one table or chart, shown as ``html`` (its links, its numbers).

    One output with two forms: the page shows the HTML, the batch writes the record's
    files (:mod:`councildigital.pipeline.downloads`). ``record`` gives :data:`DATA_FIELDS`.
    With ``html`` None the output is the record alone: a section that places the links
    itself (inside its own HTML) shows nothing here, and the site drops the output.
    """
    from IPython.display import display

    missing = [name for name in DATA_FIELDS if name not in record]
    if missing:
        raise ValueError(f"data record {record.get('stem')!r}: missing {', '.join(missing)}")
    widths = {len(row) for row in record["rows"]} - {len(record["columns"])}
    if widths:
        raise ValueError(
            f"data record {record['stem']!r}: rows of {sorted(widths)} cells for "
            f"{len(record['columns'])} columns"
        )
    shown = {} if html is None else {"text/html": html}
    display(
        {
            **shown,
            DATA_MIME: {**record, "rows": [[_plain(v) for v in row] for row in record["rows"]]},
        },
        raw=True,
    )


def withheld(rows: list[dict]) -> None:
    """Record hidden cells (:data:`WITHHELD_COLUMNS`) for the run's disclosure audit file."""
    from IPython.display import display

    display(
        {WITHHELD_MIME: {"rows": [{k: row[k] for k in WITHHELD_COLUMNS} for row in rows]}}, raw=True
    )


def outputs_of(notebook, mime: str) -> list[dict]:
    """Our records of one MIME type in an executed notebook (a node or its JSON), in page order."""
    return [
        dict(output["data"][mime])
        for cell in notebook["cells"]
        for output in cell.get("outputs", [])
        if mime in output.get("data", {})
    ]


def csv_text(columns: Sequence[str], rows: Iterable[dict]) -> str:
    """A file of records: a header of ``columns``, then one line per row (blank where missing)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([row.get(name) for name in columns] for row in rows)
    return text.getvalue()


def withheld_of(notebook) -> list[dict]:
    """Every hidden cell an executed notebook recorded, in the order shown."""
    return [row for record in outputs_of(notebook, WITHHELD_MIME) for row in record["rows"]]


def withheld_csv(rows: list[dict]) -> str:
    """A run's disclosure audit file: a header, then one row per hidden cell (none: the header)."""
    return csv_text(WITHHELD_COLUMNS, rows)
