"""Text from parameters and data files reaches pages as text: never as markup, Markdown or math.

The real command line on hostile values: a council name, a copy of the published
figures, and a respondent data file whose name is markup. The pages are read with
an HTML parser: the hostile text must show literally and must not have become an
element or an attribute. The escaping itself is unit-tested in test_formatting.py
(Markdown and tables) and test_plots.py (chart text).
"""

import csv
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import HOSTILE, HTMLPage, assert_inert
from councildigital.cli import main
from councildigital.paths import PUBLISHED_DIR, SYNTHETIC_DIR

# --- end to end: the command line, the notebooks and the published pages --------------------


def run_cli(*args: str) -> None:
    result = CliRunner().invoke(main, [*args, "--quiet"])
    assert result.exit_code == 0, result.output


@pytest.mark.slow
def test_a_hostile_council_name_is_text_on_the_cost_page(tmp_path):
    run_cli(
        "run", "future_councils_costs", "--council-type", "county",
        "-p", "council_name", HOSTILE, "--out", str(tmp_path),
    )  # fmt: skip
    page = HTMLPage(
        (tmp_path / "future_councils_costs" / "county.html").read_text(encoding="utf-8")
    )
    assert_inert(page)
    assert HOSTILE in page.text_of("strong")  # "This page covers **<council_name>** ..."
    assert f"Model inputs for {HOSTILE}" in page.text_of("caption")
    assert any(
        f"Horizontal axis: Estimate for {HOSTILE}." in alt for alt in page.attributes("img", "alt")
    )


def _rewrite_csv(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.slow
def test_hostile_text_in_published_figures_is_text_on_the_evidence_page(tmp_path):
    published = tmp_path / "published"
    shutil.copytree(PUBLISHED_DIR, published)

    def hostile(rows):
        rows[0]["section"] = f"Section {HOSTILE}"
        rows[1]["quote"] = f"Quote {HOSTILE}"

    _rewrite_csv(published / "lgc2024.csv", hostile)
    run_cli(
        "run", "evidence", "-p", "published_dir", str(published), "--out", str(tmp_path / "out")
    )
    page = HTMLPage((tmp_path / "out" / "evidence" / "all.html").read_text(encoding="utf-8"))
    assert_inert(page)
    cells = page.text_of("td")
    assert f"Section {HOSTILE}" in cells
    assert f"Quote {HOSTILE}" in cells


@pytest.mark.slow
def test_a_hostile_data_file_name_is_text_in_the_header_and_every_chart(tmp_path):
    name = r"<img src=x onerror=alert(1)>$x$__b__$\frac{$.csv"
    real = (SYNTHETIC_DIR / "lgc2024_synthetic.csv").read_text(encoding="utf-8")
    (tmp_path / name).write_text(re.sub(r"^SYN-", "R-", real, flags=re.MULTILINE), "utf-8")
    run_cli("run", "vision", "--data", str(tmp_path / name), "--out", str(tmp_path / "out"))
    page = HTMLPage((tmp_path / "out" / "vision" / "all.html").read_text(encoding="utf-8"))
    assert_inert(page)
    label = f"Respondent data from {name} (sha256 "
    assert any(text.startswith(label) for text in page.text_of("dd"))  # the page header
    alts = page.attributes("img", "alt")
    assert alts and all("Source: LGC and Hitachi Solutions (2024) survey" in alt for alt in alts)
    assert all(label in alt for alt in alts)


@pytest.mark.slow
def test_free_text_answers_reach_a_page_only_when_asked_and_then_as_text(tmp_path):
    with (SYNTHETIC_DIR / "lgc2024_synthetic.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[0].append("comments")
    for i, row in enumerate(rows[1:]):
        row[0] = f"R-{i}"
        row.append(HOSTILE if i == 0 else "")
    data = tmp_path / "with_comments.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    run_cli("run", "vision", "--data", str(data), "--out", str(tmp_path / "plain"))
    plain = (tmp_path / "plain" / "vision" / "all.html").read_text(encoding="utf-8")
    assert "alert(1)" not in plain
    run_cli(
        "run", "vision", "--data", str(data), "-p", "show_free_text", "true",
        "--out", str(tmp_path / "shown"),
    )  # fmt: skip
    page = HTMLPage((tmp_path / "shown" / "vision" / "all.html").read_text(encoding="utf-8"))
    assert_inert(page)
    assert " ".join(HOSTILE.split()) in page.text_of("td")
