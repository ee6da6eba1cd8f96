"""PDF briefings: one per council type, printed by real headless Chromium from the published
pages, with a cover and the data notice on every sheet; remade only when a page changed; the
batch still succeeds, and says how to get them, where there is no Chromium."""

import asyncio
import html
import os
import stat
import unicodedata
from pathlib import Path

import nbformat
import pytest
from councildigital.pipeline import briefing, catalogue, downloads, execution, site
from councildigital.sections import page
from councildigital.sections.records import PROVENANCE_MIME

SECTIONS = (catalogue.find("vision"), catalogue.find("barriers"))
REAL_DATA = "Respondent data from mine.csv"


def _require_chromium() -> None:
    try:
        briefing.find_chromium()
    except briefing.ChromiumMissing as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{exc} (required in CI: .ci/run installs it)")
        pytest.skip(f"{exc}; run scripts/setup-browser-tests.sh")


def page_notebook(title: str, synthetic: bool, paragraphs: int = 120) -> nbformat.NotebookNode:
    """An executed notebook long enough to print on several sheets."""
    provenance = {"description": REAL_DATA, "synthetic": synthetic, "sha256": "ab" * 32}
    text = "\n\n".join(f"Paragraph {i} of {title}, long enough to wrap." for i in range(paragraphs))
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(f"# {title}\n\n## Findings\n\n{text}"),
            nbformat.v4.new_code_cell(
                "x",
                outputs=[
                    nbformat.v4.new_output("display_data", data={PROVENANCE_MIME: provenance})
                ],
            ),
        ]
    )


def published(out: Path, council_type: str = "county", synthetic=(True, False)) -> dict:
    """Two section pages for one council type, written as the batch writes them; the manifest."""
    manifest = {}
    for sec, is_synthetic in zip(SECTIONS, synthetic, strict=True):
        html = site.render_page(
            page_notebook(sec.title, is_synthetic), sec, council_type, {}, "abc1234"
        )
        path = out / sec.code / f"{council_type}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        name = f"{sec.code}/{council_type}"
        manifest[name] = {"key": f"key-{name}", "status": "ok", "outputs": [f"{name}.html"]}
    return manifest


def sheets_without_notice(pdf: Path, notices: list[str]) -> list[int]:
    """The sheets (from 1) whose text carries none of the data notices."""
    from pypdf import PdfReader

    def folded(text: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", text).split())  # "ﬁ" is "fi"

    return [
        number
        for number, sheet in enumerate(PdfReader(pdf).pages, start=1)
        if not any(folded(n) in folded(sheet.extract_text()) for n in notices)
    ]


def notices_of(page: Path) -> list[str]:
    """The one-line data notice a published page carries (its banner)."""
    text = page.read_text(encoding="utf-8")
    return [html.unescape(text.split('role="note">', 1)[1].split("</p>", 1)[0])]


def test_a_briefing_has_a_cover_every_section_and_the_notice_on_every_sheet(tmp_path):
    from pypdf import PdfReader

    _require_chromium()
    manifest = published(tmp_path)
    made, problems = briefing.update(tmp_path, manifest, "abc1234", sections=SECTIONS)
    assert problems == []
    assert made == {"county": "briefings/county.pdf"}
    pdf = tmp_path / made["county"]
    sheets = PdfReader(pdf).pages
    assert len(sheets) > 4
    cover = " ".join(unicodedata.normalize("NFKC", sheets[0].extract_text()).split())
    for words in (
        "Briefing: County council",
        "Council type",
        "Date printed",
        "councildigital 0.1.0",
    ):
        assert words in cover
    assert f"of {downloads.commit_date()} (the date its data files carry)" in cover
    assert "abc1234" in cover and "Strategic vision and the role of digital" in cover
    text = [" ".join(unicodedata.normalize("NFKC", s.extract_text()).split()) for s in sheets]
    vision = next(i for i, t in enumerate(text) if "Paragraph 0 of Strategic vision" in t)
    barriers = next(i for i, t in enumerate(text) if "Paragraph 0 of Barriers" in t)
    assert 0 < vision < barriers
    # Each section's sheets carry its own page's notice: synthetic, then the real data's.
    assert site.SYNTHETIC_TEXT in text[vision] and site.SYNTHETIC_TEXT not in text[barriers]
    assert f"Data: {REAL_DATA}" in text[barriers]
    assert sheets_without_notice(pdf, [site.SYNTHETIC_TEXT, f"Data: {REAL_DATA}"]) == []
    assert "All reports" not in " ".join(text[1:])  # no navigation in print
    assert stat.S_IMODE(pdf.stat().st_mode) & 0o044 == 0o044  # readable by another user


def test_a_sections_ids_and_in_page_links_are_its_own_and_links_to_files_are_dropped():
    html = (
        '<head></head><main id="content"><h2 id="Findings">F</h2><a href="#Findings">go</a>'
        '<section aria-labelledby="main-points"><a href="county.estimates.csv">CSV</a>'
        '<span data-id="x"></span></section></main>'
    )
    body = briefing._section_body(html, "p1-")
    assert '<h2 id="p1-Findings">' in body and '<a href="#p1-Findings">go</a>' in body
    assert 'aria-labelledby="p1-main-points"' in body and 'data-id="x"' in body
    assert "<a >CSV</a>" in body and "estimates.csv" not in body


def test_the_notice_check_finds_a_sheet_without_it(tmp_path):
    _require_chromium()
    plain = tmp_path / "plain.pdf"
    body = "".join(f"<p>Paragraph {i}</p>" for i in range(150))
    briefing.print_pdf(
        briefing.find_chromium(),
        f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>{body}</body></html>',
        plain,
    )
    from pypdf import PdfReader

    sheets = len(PdfReader(plain).pages)
    assert sheets > 1 and sheets_without_notice(plain, [site.SYNTHETIC_TEXT]) == list(
        range(1, sheets + 1)
    )


def test_a_briefing_is_remade_only_when_one_of_its_pages_changed(tmp_path, monkeypatch):
    _require_chromium()
    manifest = published(tmp_path)
    briefing.update(tmp_path, manifest, "abc1234", sections=SECTIONS)
    printed = []
    real = briefing.print_pdfs

    def recording(chromium, documents):
        printed.extend(target for target, _ in documents)
        return real(chromium, documents)

    monkeypatch.setattr(briefing, "print_pdfs", recording)
    made, _ = briefing.update(tmp_path, manifest, "abc1234", sections=SECTIONS)
    assert made == {"county": "briefings/county.pdf"} and printed == []
    manifest["barriers/county"]["key"] = "changed"
    briefing.update(tmp_path, manifest, "abc1234", sections=SECTIONS)
    assert printed == [tmp_path / "briefings" / "county.pdf"]


def test_one_chromium_prints_every_document_and_one_that_fails_does_not_stop_the_others(
    tmp_path, monkeypatch
):
    _require_chromium()
    from playwright.sync_api import BrowserType

    launches = []
    launch = BrowserType.launch
    monkeypatch.setattr(
        BrowserType, "launch", lambda *a, **k: launches.append(1) or launch(*a, **k)
    )
    (tmp_path / "taken").write_text("a file where a folder should be")
    page = '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>{}</body></html>'
    documents = [
        (tmp_path / "one.pdf", lambda: page.format("one")),
        (tmp_path / "taken" / "two.pdf", lambda: page.format("two")),
        (tmp_path / "three.pdf", lambda: page.format("three")),
    ]
    problems = briefing.print_pdfs(briefing.find_chromium(), documents)
    assert launches == [1]
    assert list(problems) == [tmp_path / "taken" / "two.pdf"]
    assert problems[tmp_path / "taken" / "two.pdf"].startswith("Chromium could not print it: ")
    from pypdf import PdfReader

    for name in ("one", "three"):
        assert name in PdfReader(tmp_path / f"{name}.pdf").pages[0].extract_text()
        assert (tmp_path / f"{name}.pdf").stat().st_mode & 0o777 == execution.new_file_mode()


def test_briefings_print_where_an_asyncio_loop_runs_as_in_a_jupyter_kernel(tmp_path):
    _require_chromium()
    target = tmp_path / "in-a-loop.pdf"

    async def from_a_notebook():
        return briefing.print_pdfs(briefing.find_chromium(), [(target, lambda: "<p>x</p>")])

    assert asyncio.run(from_a_notebook()) == {}
    assert target.stat().st_size > 0


def test_no_briefing_for_a_type_without_a_page_for_every_section(tmp_path):
    manifest = published(tmp_path)
    del manifest["barriers/county"]
    assert briefing.planned(manifest, tmp_path, SECTIONS) == []
    manifest = published(tmp_path)
    (tmp_path / "vision" / "county.html").unlink()
    assert briefing.planned(manifest, tmp_path, SECTIONS) == []


def test_without_chromium_nothing_is_printed_and_the_user_is_told_once(tmp_path, monkeypatch):
    monkeypatch.setenv(briefing.CHROMIUM_ENV, str(tmp_path / "no-such-chromium"))
    manifest = published(tmp_path)
    told = []
    made, problems = briefing.update(tmp_path, manifest, "abc1234", told.append, SECTIONS)
    assert made == {} and problems == []
    assert len(told) == 1
    assert told[0].startswith(
        f"PDF briefings were not made: {briefing.CHROMIUM_ENV} names {tmp_path}/no-such-chromium,"
        " which is not a program here."
    )
    assert "apt-get install chromium" in told[0]
    assert not (tmp_path / "briefings").exists()


def test_a_printed_sheet_keeps_numbers_whole_in_a_wide_table_and_drops_download_lines(tmp_path):
    from pypdf import PdfReader

    _require_chromium()
    # A short-headed number column beside wide ones: the columns a sheet squeezes first.
    header = "<th>n</th>" + "<th>A heading of many long words</th>" * 10
    rows = "".join(
        f"<tr><td>{248263 + i}</td>" + "<td>text that wraps over several lines</td>" * 10 + "</tr>"
        for i in range(12)
    )
    shown = (
        f"<table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>"
        f'<details class="cd-chart-numbers"><summary>{page.CHART_NUMBERS}</summary></details>'
        f'<p class="cd-data-links">{page.DATA_LINKS}: <a href="x.csv">this table (CSV)</a></p>'
    )
    notebook = page_notebook("Wide", True, paragraphs=1)
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            "x", outputs=[nbformat.v4.new_output("display_data", data={"text/html": shown})]
        )
    )
    sec = SECTIONS[0]
    path = tmp_path / sec.code / "county.html"
    path.parent.mkdir(parents=True)
    path.write_text(site.render_page(notebook, sec, "county", {}, "abc1234"), encoding="utf-8")
    target = tmp_path / "wide.pdf"
    briefing.print_pdf(briefing.find_chromium(), path.read_text(encoding="utf-8"), target)
    text = " ".join(" ".join(s.extract_text() for s in PdfReader(target).pages).split())
    assert all(str(248263 + i) in text for i in range(12)), text
    assert page.DATA_LINKS not in text and page.CHART_NUMBERS not in text


def test_text_from_data_cannot_break_out_of_the_printed_notice():
    hostile = 'mine".csv</style><script>alert(1)</script>\\'
    css = site.css_string(hostile)
    assert css.startswith('"') and css.endswith('"')
    inner = css[1:-1]
    assert '"' not in inner and "<" not in inner and ">" not in inner
    assert "\\" not in inner.replace("\\22 ", "").replace("\\3c ", "").replace("\\3e ", "").replace(
        "\\5c ", ""
    )


def test_every_council_type_of_the_full_site_has_its_briefing_linked_from_the_index(
    executed_site,
):
    from councildigital.data import survey
    from pypdf import PdfReader

    _require_chromium()
    out, _ = executed_site
    index = (out / "index.html").read_text(encoding="utf-8")
    for council_type in survey.council_type_choices():
        pdf = site.briefing_path(out, council_type)
        assert f'href="briefings/{council_type}.pdf"' in index, council_type
        assert len(PdfReader(pdf).pages) > 1, council_type
        notices = [
            notice
            for sec in catalogue.SECTIONS
            if sec.per_council_type
            for notice in notices_of(out / sec.code / f"{council_type}.html")
        ]
        assert sheets_without_notice(pdf, notices) == [], council_type


def test_the_headless_shell_is_chosen_before_the_full_browser(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in ("chromium", "chromium-headless-shell"):
        (folder / name).write_text("#!/bin/sh\n")
        (folder / name).chmod(0o755)
    monkeypatch.delenv(briefing.CHROMIUM_ENV, raising=False)
    monkeypatch.setenv("PATH", str(folder))
    assert briefing.find_chromium() == str(folder / "chromium-headless-shell")
    (folder / "chromium-headless-shell").unlink()
    assert briefing.find_chromium() == str(folder / "chromium")
