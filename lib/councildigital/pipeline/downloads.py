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
import subprocess
import zipfile
from pathlib import Path

from councildigital.data import survey
from councildigital.paths import REPO_ROOT
from councildigital.sections.records import DATA_FOLDER, DATA_MIME, number_text, outputs_of

ODS_SUFFIX = ".ods"
COVER_SHEET = "Cover"
DATE_NOTE = "date of the commit of the code that made this file"
UNKNOWN_DATE = "unknown (not a git checkout)"


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
    """The page's spreadsheet: a cover sheet, then one sheet per table and chart."""
    import pandas as pd

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="odf") as writer:
        for name, lines in sheets(title, found, date).items():
            width = max(len(line) for line in lines)
            padded = [[*line, *[None] * (width - len(line))] for line in lines]
            frame = pd.DataFrame(padded, dtype=object)
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    return _stable_zip(buffer.getvalue(), date)


def _stable_zip(data: bytes, date: str) -> bytes:
    """The same archive with every entry dated ``date`` (or 1980-01-01), not the time of writing.

    The ``mimetype`` entry stays first and stored, as OpenDocument requires.
    """
    try:
        day = datetime.date.fromisoformat(date)
    except ValueError:
        day = datetime.date(1980, 1, 1)
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = entry.compress_type
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


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
