"""The data behind every table and chart: a CSV each, and one ODS spreadsheet per page.

The notebook records each table's and chart's data (:data:`~councildigital.sections.records.
DATA_MIME`: the cells as shown, a chart's numbers); this module writes them beside the
page, from the executed notebook, so the files hold exactly what the page shows:

- ``<section>/<council type>.data/<stem>.csv``: the title on the first line, then a
  header row and the rows, then the base, source and data label;
- ``<section>/<council type>.ods``: a cover sheet (title, source, base, data label,
  date, and a list of the sheets) and one sheet per table and chart, laid out as its CSV.

Files are byte-stable: the date is the date of the code's commit (never the clock), and
the spreadsheet's zip entries carry that date rather than the time of writing.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
import subprocess
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from councildigital.data import survey
from councildigital.paths import REPO_ROOT
from councildigital.sections.records import DATA_FOLDER, DATA_MIME, number_text, outputs_of

ODS_SUFFIX = ".ods"
COVER_SHEET = "Cover"
DATE_NOTE = "date of the commit of the code that made this file"
UNKNOWN_DATE = "unknown (not a git checkout)"
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest='
    '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    f'manifest:media-type="{ODS_MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
# Spaces a paragraph would lose: those after a space, and those that begin or end a line.
_KEPT_SPACES = re.compile(r"^ +| +$|(?<= ) +", re.MULTILINE)


def data_records(notebook: dict) -> list[dict]:
    """The data records of an executed notebook (a notebook node or its JSON), in page order."""
    return outputs_of(notebook, DATA_MIME)


def commit_date(root: Path = REPO_ROOT) -> str:
    """The date (YYYY-MM-DD) of the checkout's commit, or that it is unknown."""
    done = subprocess.run(
        ["git", "-C", str(root), "log", "-1", "--format=%cs"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else UNKNOWN_DATE


def _page_title(notebook: dict) -> str:
    """The notebook's title: its first Markdown heading."""
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for line in source.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return "Report page"


def _council_type_label(code: str) -> str:
    return "All respondents" if code == survey.ALL else survey.label(survey.COUNCIL_TYPES, code)


def sheet_name(record: dict) -> str:
    """'Table 03' from stem 'table-03-...': short, unique on the page, valid everywhere."""
    kind, number = record["stem"].split("-")[:2]
    return f"{kind.title()} {number}"


def _trailer(record: dict) -> list[list]:
    lines = [[]]
    if record["base"]:
        lines.append(["Base", record["base"]])
    lines += [["Source", record["source"]], ["Data", record["data_label"]]]
    return lines


def layout(record: dict) -> list[list]:
    """A table's or chart's data as lines: title, header, rows, a blank, base, source, data."""
    return [[record["title"]], list(record["columns"]), *record["rows"], *_trailer(record)]


def csv_text(record: dict) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerows([number_text(cell) for cell in line] for line in layout(record))
    return text.getvalue()


def _cover(title: str, found: list[dict], date: str) -> list[list]:
    def joined(key: str) -> str:
        return "; ".join(dict.fromkeys(r[key] for r in found if r[key]))

    bases = list(dict.fromkeys(r["base"] for r in found if r["base"]))
    return [
        [title],
        [],
        ["Source", joined("source")],
        ["Base", bases[0] if len(bases) == 1 else "given on each sheet (see below)"],
        ["Data", joined("data_label")],
        ["Date", f"{date} ({DATE_NOTE})"],
        [],
        ["Sheet", "Title", "Base", "CSV file"],
        *[[sheet_name(r), r["title"], r["base"], f"{r['stem']}.csv"] for r in found],
    ]


def sheets(title: str, found: list[dict], date: str) -> dict[str, list[list]]:
    """The page's spreadsheet as lines per sheet name: the cover, then each table and chart."""
    return {
        COVER_SHEET: _cover(title, found, date),
        **{sheet_name(r): layout(r) for r in found},
    }


def ods_bytes(title: str, found: list[dict], date: str) -> bytes:
    """The page's spreadsheet: a cover sheet, then one sheet per table and chart.

    Written here, as text, not through pandas' odfpy writer (an element object per cell,
    most of a batch's data-files time): ``content.xml`` holds only what the sheets need,
    the package only the parts OpenDocument requires, each dated ``date``."""
    tables = "".join(_table(name, lines) for name, lines in sheets(title, found, date).items())
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_NAMESPACES} '
        'office:version="1.2"><office:body><office:spreadsheet>'
        f"{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    stamp = _zip_stamp(date)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data, method in (
            ("mimetype", ODS_MIMETYPE, zipfile.ZIP_STORED),
            ("META-INF/manifest.xml", _MANIFEST, zipfile.ZIP_DEFLATED),
            ("content.xml", content, zipfile.ZIP_DEFLATED),
        ):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            archive.writestr(info, data.encode("utf-8"))
    return out.getvalue()


def _zip_stamp(date: str) -> tuple[int, ...]:
    """A zip entry's date and time: midnight of ``date`` (or of 1980-01-01, zip's first day)."""
    try:
        day = datetime.date.fromisoformat(date)
    except ValueError:
        day = datetime.date(1980, 1, 1)
    return (max(day.year, 1980), day.month, day.day, 0, 0, 0)


def _table(name: str, lines: list[list]) -> str:
    """One sheet: its columns, then a row per line, a short line padded with empty cells."""
    width = max(len(line) for line in lines)
    rows = []
    for line in lines:
        cells = "".join(map(_cell, line))
        if len(line) < width:
            cells += f'<table:table-cell table:number-columns-repeated="{width - len(line)}"/>'
        rows.append(f"<table:table-row>{cells}</table:table-row>")
    return (
        f"<table:table table:name={quoteattr(name)}>"
        f'<table:table-column table:number-columns-repeated="{width}"/>'
        f"{''.join(rows)}</table:table>"
    )


def _cell(value: object) -> str:
    """A cell as pandas' odfpy writer types it: a number a float (its value exact, as repr
    writes it), True and False booleans, None and '' empty, anything else (an infinite
    number too, as 'inf') text."""
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value='
            f'"{str(value).lower()}"><text:p>{str(value).upper()}</text:p></table:table-cell>'
        )
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value!r}">'
            f"<text:p>{value!r}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{_text(str(value))}</text:p>'
        "</table:table-cell>"
    )


def _text(value: str) -> str:
    """Text as a paragraph's content: escaped, each line break a ``text:line-break``, and the
    spaces OpenDocument would collapse or drop (a run's second and later, a line's leading
    and trailing) a ``text:s``, so every space is kept."""
    spaces = _KEPT_SPACES.sub(lambda run: f'<text:s text:c="{len(run[0])}"/>', escape(value))
    return spaces.replace("\n", "<text:line-break/>")


def on_disk(page_path: Path) -> list[Path]:
    """The data files beside a page that are on disk: its CSVs (sorted), then its spreadsheet."""
    found = sorted(page_path.with_suffix(DATA_FOLDER).glob("*.csv"))
    spreadsheet = page_path.with_suffix(ODS_SUFFIX)
    return found + ([spreadsheet] if spreadsheet.is_file() else [])


def stale(page_path: Path, kept: list[Path]) -> list[Path]:
    """The data files beside a page that its latest run did not write: the CSVs of tables it
    no longer shows, or all of them (and its spreadsheet) if it shows none now."""
    wanted = set(kept)
    return [path for path in on_disk(page_path) if path not in wanted]


def prune(page_path: Path, kept: list[Path]) -> list[Path]:
    """Remove :func:`stale` files, and the page's data folder if that leaves it empty, so a
    page never links to, nor sits beside, figures of an earlier run; the paths removed."""
    removed = stale(page_path, kept)
    for path in removed:
        path.unlink(missing_ok=True)
    folder = page_path.with_suffix(DATA_FOLDER)
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    return removed


def files_of(
    executed_notebook: dict, page_path: Path, date: str | None = None
) -> list[tuple[Path, str | bytes]]:
    """The data files of one page (``<section>/<council type>.html``): a CSV per table and
    chart, and the page's spreadsheet; none if it shows neither. ``date``: the cover's date
    (by default the commit's)."""
    found = data_records(executed_notebook)
    if not found:
        return []
    folder = page_path.with_suffix(DATA_FOLDER)
    label = _council_type_label(found[0].get("council_type", survey.ALL))
    title = f"{_page_title(executed_notebook)}: {label}"
    files: list[tuple[Path, str | bytes]] = [
        (folder / f"{r['stem']}.csv", csv_text(r)) for r in found
    ]
    files.append(
        (page_path.with_suffix(ODS_SUFFIX), ods_bytes(title, found, date or commit_date()))
    )
    return files
