"""The data behind every table and chart (pipeline.downloads): a CSV each, an ODS per page.

Unit tests build records by hand; the end-to-end tests run two real pages (vision for a
county and for Wales) in a small batch and check that the files beside each page hold
the numbers its tables and charts show.
"""

import csv
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from xml.etree import ElementTree

import pandas as pd
import pytest
from conftest import HTMLPage
from councildigital.pipeline import batch, downloads, execution
from councildigital.sections.records import DATA_MIME

RECORD = {
    "stem": "table-01-shares-by-theme",
    "kind": "table",
    "title": "Shares by theme, with a comma",
    "columns": ["Theme", "Share (%)", "n"],
    "rows": [["Place making", 58.5, 20], ["Growth", "", 18]],
    "base": "n = 20",
    "source": "LGC survey",
    "data_label": "SYNTHETIC DATA: not real responses",
    "council_type": "county",
}
CHART = {
    **RECORD,
    "stem": "chart-02-most-say-yes",
    "kind": "chart",
    "title": "Most say yes",
    "columns": ["row", "estimate"],
    "rows": [["A", 61.5385], ["B", 40.0]],
    "base": "",
}
# Cells the spreadsheet must keep as they are: XML's special characters, non-ASCII text,
# runs of spaces, line breaks, numbers of every kind, empty cells and ragged rows.
TRICKY = {
    **RECORD,
    "stem": "table-03-marks-<and>-&-quotes",
    "title": 'Ratings < 3 & "good" – £5\'s worth',
    "columns": ["Name", "Value", "Change", "Note"],
    "rows": [
        ["<b>bold</b> & co", 12, -3, None],
        ["Café – £", 0.25, -0.125, ""],
        ["Tab\tand  two spaces", 1e-07, 10**15, True],
        [" leading and trailing ", -0.0, float("inf"), False],
        ["line one\nline two", 1.0, -2.5],
        ["short"],
        [],
        ["\"quoted\" 'single' ]]> &amp;", -1e300, 3.141592653589793],
    ],
    "base": "n = 5 & more",
}


def notebook(*records: dict) -> dict:
    """An executed notebook (as JSON) with a title and these data records."""
    outputs = [
        {"output_type": "display_data", "data": {DATA_MIME: r, "text/html": "<p>x</p>"}}
        for r in records
    ]
    return {
        "metadata": {"councildigital": {"run": "vision/county", "key": "k"}},
        "cells": [
            {"cell_type": "markdown", "source": "# Strategic vision\n\nText."},
            {"cell_type": "code", "source": "", "outputs": outputs},
        ],
    }


def test_a_csv_has_its_title_then_header_rows_base_source_and_data_label():
    assert downloads.csv_text(RECORD) == (
        '"Shares by theme, with a comma"\n'
        "Theme,Share (%),n\n"
        "Place making,58.5,20\n"
        "Growth,,18\n"
        "\n"
        "Base,n = 20\n"
        "Source,LGC survey\n"
        "Data,SYNTHETIC DATA: not real responses\n"
    )
    lines = list(csv.reader(io.StringIO(downloads.csv_text(CHART))))
    assert lines[:4] == [["Most say yes"], ["row", "estimate"], ["A", "61.5385"], ["B", "40"]]
    assert ["Base", ""] not in lines  # a chart without a base says none


def test_files_of_a_page_are_a_csv_per_table_and_chart_and_one_spreadsheet(tmp_path):
    page = tmp_path / "vision" / "county.html"
    files = downloads.files_of(notebook(RECORD, CHART), page, date="2026-12-01")
    assert [path.relative_to(tmp_path).as_posix() for path, _ in files] == [
        "vision/county.data/table-01-shares-by-theme.csv",
        "vision/county.data/chart-02-most-say-yes.csv",
        "vision/county.ods",
    ]
    assert files[0][1] == downloads.csv_text(RECORD)
    assert isinstance(files[2][1], bytes)
    assert downloads.files_of(notebook(), page) == []


def read_ods(data: bytes) -> dict[str, pd.DataFrame]:
    return pd.read_excel(io.BytesIO(data), engine="odf", sheet_name=None, header=None)


def test_the_spreadsheet_has_a_cover_and_a_sheet_per_table_and_chart_with_their_numbers(tmp_path):
    [*_, (_, ods)] = downloads.files_of(
        notebook(RECORD, CHART), tmp_path / "vision" / "county.html", date="2026-12-01"
    )
    sheets = read_ods(ods)
    assert list(sheets) == ["Cover", "Table 01", "Chart 02"]
    cover = sheets["Cover"]
    assert cover.iat[0, 0] == "Strategic vision: County council"
    fields = {row[0]: row[1] for row in cover.itertuples(index=False) if pd.notna(row[0])}
    assert fields["Source"] == "LGC survey"
    assert fields["Base"] == "n = 20"
    assert fields["Data"] == "SYNTHETIC DATA: not real responses"
    assert fields["Date"] == f"2026-12-01 ({downloads.DATE_NOTE})"
    assert fields["Table 01"] == "Shares by theme, with a comma"
    table = sheets["Table 01"]
    assert table.iat[0, 0] == "Shares by theme, with a comma"
    assert table.iloc[1].tolist() == ["Theme", "Share (%)", "n"]
    assert table.iat[2, 1] == 58.5 and table.iat[2, 2] == 20 and table.iat[3, 2] == 18
    chart = sheets["Chart 02"]
    assert chart.iloc[2:4, 1].tolist() == [61.5385, 40.0]


def odfpy_ods(sheets: dict[str, list[list]]) -> bytes:
    """The sheets written as pandas' odfpy writer writes them: the spreadsheet as it was."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="odf") as writer:
        for name, lines in sheets.items():
            width = max(len(line) for line in lines)
            padded = [[*line, *[None] * (width - len(line))] for line in lines]
            frame = pd.DataFrame(padded, dtype=object)
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    return buffer.getvalue()


def read_back(data: bytes) -> dict[str, tuple[list[str], list[list]]]:
    """Each sheet as pandas reads it: its columns' types, and its cells as (type, value),
    an empty cell as None (so 20 and 20.0, or 1 and '1', differ)."""
    return {
        name: (
            frame.dtypes.astype(str).tolist(),
            [
                [None if pd.isna(v) else (type(v).__name__, v) for v in row]
                for row in frame.astype(object).values.tolist()
            ],
        )
        for name, frame in read_ods(data).items()
    }


def test_the_spreadsheet_reads_back_as_pandas_and_odfpy_wrote_it():
    found = [RECORD, CHART, TRICKY]
    title = 'Strategic vision & "plans" <2026> – £'
    sheets = downloads.sheets(title, found, "2026-12-01")
    assert list(sheets) == ["Cover", "Table 01", "Chart 02", "Table 03"]
    expected = read_back(odfpy_ods(sheets))
    assert read_back(downloads.ods_bytes(title, found, "2026-12-01")) == expected
    rows = expected["Table 03"][1]  # what odfpy keeps, so the comparison has teeth
    assert rows[0][0] == ("str", TRICKY["title"])
    assert rows[2] == [("str", "<b>bold</b> & co"), ("int", 12), ("int", -3), None]
    assert rows[4][1:] == [("float", 1e-07), ("int", 10**15), ("bool", True)]
    assert rows[5][0] == ("str", " leading and trailing ")
    assert rows[6][0] == ("str", "line one\nline two")
    assert rows[7] == [("str", "short"), None, None, None]
    assert rows[8] == [None] * 4


TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def content_xml(data: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("content.xml"))


def test_no_space_or_line_break_in_a_cell_is_left_for_a_spreadsheet_program_to_collapse():
    """OpenDocument collapses a run of spaces or a line break in a paragraph to one space, and
    drops a line's leading and trailing spaces (pandas' reader does neither): they must be
    ``text:s`` and ``text:line-break`` elements."""
    shown = []
    for paragraph in content_xml(downloads.ods_bytes("T", [TRICKY], "2026-12-01")).iter(
        f"{TEXT_NS}p"
    ):
        runs = [paragraph.text or "", *(child.tail or "" for child in paragraph)]
        assert not any("  " in run or "\n" in run for run in runs), runs
        assert not (runs[0].startswith(" ") or runs[-1].endswith(" ")), runs
        parts = [runs[0]]
        for child in paragraph:
            if child.tag == f"{TEXT_NS}s":
                parts.append(" " * int(child.get(f"{TEXT_NS}c", "1")))
            elif child.tag == f"{TEXT_NS}line-break":
                parts.append("\n")
            parts.append(child.tail or "")
        shown.append("".join(parts))
    assert " leading and trailing " in shown
    assert "Tab\tand  two spaces" in shown
    assert "line one\nline two" in shown


def test_every_sheet_declares_its_columns_and_every_row_is_as_wide_as_the_widest_line():
    """A table's columns come first and each row has a cell (or repeated cells) per column, as
    the OpenDocument schema asks; a blank line too."""
    tables = content_xml(downloads.ods_bytes("T", [RECORD, TRICKY], "2026-12-01"))
    widths = {}
    for table in tables.iter(f"{TABLE_NS}table"):
        [column, *rows] = list(table)
        assert column.tag == f"{TABLE_NS}table-column"
        width = int(column.get(f"{TABLE_NS}number-columns-repeated"))
        for row in rows:
            repeats = [int(c.get(f"{TABLE_NS}number-columns-repeated", "1")) for c in row]
            assert sum(repeats) == width, table.get(f"{TABLE_NS}name")
        widths[table.get(f"{TABLE_NS}name")] = width
    assert widths == {"Cover": 4, "Table 01": 3, "Table 03": 4}


def test_the_spreadsheet_is_byte_stable_and_a_valid_opendocument_archive():
    first = downloads.ods_bytes("T", [RECORD], "2026-12-01")
    assert downloads.ods_bytes("T", [RECORD], "2026-12-01") == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    entries = archive.infolist()
    assert entries[0].filename == "mimetype"
    assert entries[0].compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    assert {e.date_time for e in entries} == {(2026, 12, 1, 0, 0, 0)}
    unknown = zipfile.ZipFile(io.BytesIO(downloads.ods_bytes("T", [RECORD], "unknown")))
    assert {e.date_time for e in unknown.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_date_is_the_commits_and_unknown_outside_a_checkout(tmp_path):
    assert downloads.commit_date(tmp_path) == downloads.UNKNOWN_DATE
    date = downloads.commit_date()
    assert len(date) == 10 and date[4] == date[7] == "-"


def test_write_together_writes_bytes_as_they_are(tmp_path):
    data = downloads.ods_bytes("T", [RECORD], "2026-12-01")
    execution.write_together([(tmp_path / "a.ods", data), (tmp_path / "a.txt", "é")])
    assert (tmp_path / "a.ods").read_bytes() == data
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "é"


# --- end to end: two pages of a real batch --------------------------------------------------


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("downloads-site")
    runs = batch.plan(["vision"], ["county", "wales"], out_dir=out)
    results = batch.run_batch(runs, out, jobs=2)
    assert [r.status for r in results] == ["ok", "ok"]
    return out, {r.name: r for r in results}


def html_tables(page: str) -> list[list[list[str]]]:
    """Each table of a page as rows of cell texts (header row first)."""
    found, rows, row, cell = [], None, None, None

    class Tables(HTMLParser):
        def handle_starttag(self, tag, attrs):
            nonlocal rows, row, cell
            if tag == "table":
                rows = []
            elif tag == "tr":
                row = []
            elif tag in ("td", "th"):
                cell = []

        def handle_endtag(self, tag):
            nonlocal rows, row, cell
            if tag in ("td", "th") and cell is not None:
                row.append(" ".join("".join(cell).split()))
                cell = None
            elif tag == "tr":
                rows.append(row)
            elif tag == "table":
                found.append(rows)

        def handle_data(self, data):
            if cell is not None:
                cell.append(data)

    Tables(convert_charrefs=True).feed(page)
    return found


@pytest.mark.parametrize("council_type", ["county", "wales"])
def test_every_table_and_charts_numbers_on_a_page_equal_its_files(pages, council_type):
    out, results = pages
    result = results[f"vision/{council_type}"]
    page_path = out / "vision" / f"{council_type}.html"
    page = page_path.read_text(encoding="utf-8")
    links = HTMLPage(page).attributes("a", "href")
    csv_links = [link for link in links if link.endswith(".csv") and ".data/" in link]
    assert csv_links, "the page links no data files"
    assert f"{council_type}.ods" in links
    for link in [*csv_links, f"{council_type}.ods"]:
        assert (page_path.parent / link).is_file(), link
        assert f"vision/{link}" in result.outputs
    # Every chart keeps its alt text, may not shrink below its readable width, and offers
    # its numbers as a table.
    parsed = HTMLPage(page)
    charts = [attrs for tag, attrs in parsed.elements if tag == "img"]
    assert charts and all(a["alt"].startswith("Chart") for a in charts)
    assert all(re.fullmatch(r"min-width: \d+px", a.get("style", "")) for a in charts)
    assert parsed.text_of("summary").count("The numbers in this chart") == len(charts)
    sheets = read_ods((page_path.parent / f"{council_type}.ods").read_bytes())
    assert next(iter(sheets)) == "Cover"
    assert len(sheets) == len(csv_links) + 1
    tables = html_tables(page)
    for link, sheet in zip(csv_links, list(sheets)[1:], strict=True):
        lines = list(csv.reader(io.StringIO((page_path.parent / link).read_text("utf-8"))))
        title, header = lines[0][0], lines[1]
        body = lines[2 : lines.index([])]
        shown = [t for t in tables if t and t[0] == header and t[1:] == body]
        assert shown, f"{link}: no table on the page shows {title!r} as the file has it"
        ods = sheets[sheet].fillna("")
        assert ods.iat[0, 0] == title
        numbers = [
            [downloads.number_text(v) for v in row]
            for row in ods.iloc[2 : 2 + len(body)].values.tolist()
        ]
        assert [r[: len(header)] for r in numbers] == body, sheet
        assert lines[-1][0] == "Data" and "SYNTHETIC" in lines[-1][1]


@pytest.mark.parametrize("council_type", ["county", "wales"])
def test_a_real_pages_spreadsheet_reads_back_as_pandas_and_odfpy_wrote_it(pages, council_type):
    out, _ = pages
    executed = json.loads((out / "vision" / f"{council_type}.ipynb").read_text(encoding="utf-8"))
    found = downloads.data_records(executed)
    assert found
    sheets = downloads.sheets("Title", found, "2026-12-01")
    expected = read_back(odfpy_ods(sheets))
    assert read_back(downloads.ods_bytes("Title", found, "2026-12-01")) == expected


def test_the_data_files_are_byte_identical_on_a_second_run_and_no_earlier_file_is_left(
    pages, tmp_path
):
    out, _ = pages
    earlier = tmp_path / "vision" / "county.data" / "table-99-a-table-no-longer-shown.csv"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("Old\n", encoding="utf-8")
    runs = batch.plan(["vision"], ["county"], out_dir=tmp_path)
    [result] = batch.run_batch(runs, tmp_path, jobs=1)
    data = [p for p in result.outputs if p.endswith((".csv", ".ods"))]
    assert any(p.endswith(".ods") for p in data)
    for name in data:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name
    assert not earlier.exists()
    assert sorted((tmp_path / "vision" / "county.data").iterdir()) == sorted(
        tmp_path / name for name in data if "/county.data/" in name
    )


def test_prune_removes_what_the_latest_run_did_not_write_and_an_emptied_folder(tmp_path):
    page = tmp_path / "vision" / "county.html"
    written = [path for path, _ in downloads.files_of(notebook(RECORD), page, date="2026-12-01")]
    execution.write_together(
        [(path, "x") for path in written] + [(page.with_suffix(".data") / "chart-09-old.csv", "x")]
    )
    assert downloads.prune(page, written) == [page.with_suffix(".data") / "chart-09-old.csv"]
    assert downloads.on_disk(page) == written
    assert sorted(downloads.prune(page, [])) == sorted(written)
    assert not page.with_suffix(".data").exists()


def test_pages_recovered_from_disk_list_their_data_files(pages):
    out, results = pages
    recovered = batch.recover_from_pages(out)
    for name in ("vision/county", "vision/wales"):
        assert sorted(recovered[name]["outputs"]) == sorted(results[name].outputs)
    assert downloads.on_disk(out / "vision" / "none.html") == []
