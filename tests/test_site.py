"""The reviewer's site in real headless Chromium: loads offline, links resolve, images load,
no console errors, nothing leaves file://, and axe-core finds no WCAG 2.x A/AA violation.

Each check is a function that returns the problems it finds; the tests run it on the real
site (expecting none) and on a page broken on purpose (expecting the problem to be found).
The page itself is also rendered from a notebook made here, without a batch.
"""

import csv
import html
import io
import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import HOSTILE, HTMLPage, assert_inert
from councildigital.cli import main
from councildigital.data import survey
from councildigital.pipeline import batch, catalogue
from councildigital.pipeline import site as publishing
from councildigital.sections import estimates
from councildigital.sections.records import (
    DATA_MIME,
    ESTIMATE_COLUMNS,
    ESTIMATES_MIME,
    HEADLINE_MIME,
    PROVENANCE_MIME,
    WITHHELD_MIME,
)

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SITE_COUNCIL_TYPES = ["all", "london_borough"]


def _require(condition: bool, reason: str) -> None:
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (required in CI: .ci/run installs it)")
        pytest.skip(f"{reason}; run scripts/setup-browser-tests.sh")


@pytest.fixture(scope="module")
def site(executed_site):
    """The shared executed site: every section for every council type, as the batch publishes it."""
    out, _ = executed_site
    return out


@pytest.fixture(scope="module")
def browser():
    _require(CHROMIUM is not None, "Debian's chromium is not installed")
    _require(AXE.exists(), "axe-core is not installed in tests/browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


class Visit:
    """A page opened in Chromium with every request and console error recorded."""

    def __init__(self, browser, path: Path, width: int = 1280, fragment: str = ""):
        self.path = path
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None
        )
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.goto(path.as_uri() + fragment, wait_until="load")

    def close(self) -> None:
        self.page.close()


def external_requests(visit: Visit) -> list[str]:
    return [u for u in visit.requests if not u.startswith(("file://", "data:"))]


def broken_images(visit: Visit) -> list[str]:
    return visit.page.evaluate(
        "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
        ".map(i => i.src.slice(0, 80))"
    )


def broken_links(visit: Visit) -> list[str]:
    """Relative links whose file is missing, or whose #anchor is not on the target page."""
    problems = []
    for href in visit.page.evaluate("Array.from(document.links).map(a => a.href)"):
        url = urlparse(href)
        if url.scheme != "file":
            problems.append(f"{href}: not a link within the site")
            continue
        target = Path(unquote(url.path))
        if not target.exists():
            problems.append(f"{href}: no such file")
        elif url.fragment and f'id="{url.fragment}"' not in target.read_text(encoding="utf-8"):
            problems.append(f"{href}: no such anchor")
    return problems


def structure_problems(visit: Visit) -> list[str]:
    """One h1, a lang attribute, and heading levels that never skip down."""
    found = visit.page.evaluate(
        """() => ({
            lang: document.documentElement.lang,
            levels: Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'))
                .map(h => Number(h.tagName[1])),
        })"""
    )
    problems = []
    if not found["lang"]:
        problems.append("no lang attribute")
    if found["levels"].count(1) != 1:
        problems.append(f"{found['levels'].count(1)} h1 elements")
    for before, after in zip(found["levels"], found["levels"][1:], strict=False):
        if after > before + 1:
            problems.append(f"heading h{after} follows h{before}")
    return problems


def axe_violations(visit: Visit) -> list[str]:
    visit.page.add_script_tag(path=str(AXE))
    result = visit.page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
        for v in result["violations"]
    ]


CHECKS = (external_requests, broken_images, broken_links, structure_problems, axe_violations)


def site_runs() -> list[str]:
    """Every page a full batch publishes: each section for each council type it runs for."""
    return [
        f"{sec.code}/{council_type}"
        for sec in catalogue.SECTIONS
        for council_type in (survey.council_type_choices() if sec.per_council_type else ["all"])
    ]


def pages(site: Path) -> list[Path]:
    """The index, the accessibility statement and each section's pages for SITE_COUNCIL_TYPES."""
    return sorted(
        path
        for path in site.rglob("*.html")
        if path.parent == site or path.stem in SITE_COUNCIL_TYPES
    )


def test_site_has_an_index_an_accessibility_statement_and_every_page(site):
    names = {str(p.relative_to(site)) for p in pages(site)}
    assert {"index.html", "accessibility.html"} <= names
    for sec in catalogue.SECTIONS:
        for council_type in SITE_COUNCIL_TYPES if sec.per_council_type else ["all"]:
            assert f"{sec.code}/{council_type}.html" in names


def test_every_page_passes_every_check_in_chromium(site, browser):
    problems = {}
    for path in pages(site):
        visit = Visit(browser, path)
        found = {check.__name__: check(visit) for check in CHECKS}
        found["console_errors"] = visit.errors
        visit.close()
        found = {name: items for name, items in found.items() if items}
        if found:
            problems[str(path.relative_to(site))] = found
    assert not problems, json.dumps(problems, indent=1)


def test_every_page_and_the_index_pass_axe_at_phone_width_without_overflowing(site, browser):
    problems = {}
    for path in pages(site):
        visit = Visit(browser, path, width=390)
        found = {"axe_violations": axe_violations(visit)}
        if path.name == "index.html":
            found["horizontal_overflow"] = horizontal_overflow(visit)
        visit.close()
        found = {name: items for name, items in found.items() if items}
        if found:
            problems[str(path.relative_to(site))] = found
    assert not problems, json.dumps(problems, indent=1)


def horizontal_overflow(visit: Visit) -> list[str]:
    """The page is wider than the window: what sticks out (a reader would scroll sideways)."""
    return visit.page.evaluate(
        """() => {
            const root = document.documentElement;
            if (root.scrollWidth <= root.clientWidth) return [];
            return [`page ${root.scrollWidth} px wide in a ${root.clientWidth} px window`].concat(
                Array.from(document.body.querySelectorAll('*'))
                    .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
                    .slice(0, 3).map(e => e.outerHTML.slice(0, 80)));
        }"""
    )


def navigation_problems(visit: Visit, section: str, council_type: str) -> list[str]:
    """What a page's navigation lacks: the index, every section for its council type, this
    section for every other council type, each link working from the keyboard (a menu opened
    with Enter shows it), and the current page marked with aria-current."""
    page = visit.page
    found = page.evaluate(
        """() => Array.from(document.querySelectorAll('nav.cd-nav a')).map(a => ({
            href: a.getAttribute('href'), current: a.getAttribute('aria-current')}))"""
    )
    hrefs = {link["href"] for link in found}
    sec = catalogue.find(section)
    wanted = {"../index.html"}
    wanted |= {
        publishing.page_href(s.code, council_type if s.per_council_type else "all")
        for s in catalogue.SECTIONS
    }
    if sec.per_council_type:
        wanted |= {publishing.page_href(section, t) for t in survey.council_type_choices()}
    problems = [f"no link to {href}" for href in sorted(wanted - hrefs)]
    here = publishing.page_href(section, council_type)
    current = [link["href"] for link in found if link["current"] == "page"]
    if not current or set(current) != {here}:
        problems.append(f"aria-current marks {current}, not {here}")
    for index in range(page.locator("nav.cd-nav summary").count()):
        summary = page.locator("nav.cd-nav summary").nth(index)
        summary.focus()
        page.keyboard.press("Enter")
        if not summary.locator("xpath=..").locator("a").first.is_visible():
            problems.append(f"menu {index + 1} does not open from the keyboard")
        page.keyboard.press("Enter")
    return problems


def test_every_page_links_every_section_of_its_type_and_its_section_for_every_type(site, browser):
    problems = {}
    for path in site.glob("*/*.html"):
        visit = Visit(browser, path)
        found = navigation_problems(visit, path.parent.name, path.stem)
        visit.close()
        if found:
            problems[str(path.relative_to(site))] = found
    assert not problems, json.dumps(problems, indent=1)


def test_the_navigation_and_overflow_checks_find_what_is_broken_on_purpose(browser, tmp_path):
    html = publishing.render_page(executed(), catalogue.find("vision"), "county", {}, "abc1234")
    (tmp_path / "vision").mkdir()
    good = tmp_path / "vision" / "county.html"
    good.write_text(html, encoding="utf-8")
    visit = Visit(browser, good)
    assert navigation_problems(visit, "vision", "county") == []
    visit.close()
    broken = tmp_path / "vision" / "wales.html"
    missing = html.replace('<li><a href="../vision/wales.html">Welsh council</a></li>', "")
    missing = missing.replace(' aria-current="page"', "")
    broken.write_text(missing, encoding="utf-8")
    visit = Visit(browser, broken)
    assert navigation_problems(visit, "vision", "county") == [
        "no link to ../vision/wales.html",
        "aria-current marks [], not ../vision/county.html",
    ]
    visit.close()
    scripted = tmp_path / "vision" / "closed.html"
    scripted.write_text(
        html.replace("<summary>", '<summary onclick="return false" tabindex="-1">').replace(
            "</summary>", "</summary><style>details ul { display: none; }</style>"
        ),
        encoding="utf-8",
    )
    visit = Visit(browser, scripted)
    assert "menu 1 does not open from the keyboard" in navigation_problems(
        visit, "vision", "county"
    )
    visit.close()
    wide = tmp_path / "wide.html"
    wide.write_text('<html lang="en"><body><div style="width: 900px">wide</div></body></html>')
    visit = Visit(browser, wide, width=390)
    assert horizontal_overflow(visit)[0].startswith("page ")
    visit.close()


def test_the_evidence_page_shows_one_document_alone_without_a_script(site, browser):
    from councildigital.sections import evidence

    path = site / "evidence" / "all.html"
    shown = {}
    for fragment in ("", "#doc-ldt2013", f"#{evidence.ALL_DOCUMENTS}"):
        visit = Visit(browser, path, fragment=fragment)
        shown[fragment] = visit.page.evaluate(
            """() => Array.from(document.querySelectorAll('.cd-evidence-doc'))
                .filter(s => s.offsetParent !== null).map(s => s.id)"""
        )
        visit.close()
    assert len(shown[""]) == 5 and shown[f"#{evidence.ALL_DOCUMENTS}"] == shown[""]
    assert shown["#doc-ldt2013"] == ["doc-ldt2013"]
    assert "<script" not in path.read_text(encoding="utf-8")


def test_index_reaches_every_page_in_one_click(site, browser):
    visit = Visit(browser, site / "index.html")
    linked = {
        Path(unquote(urlparse(h).path)).resolve()
        for h in visit.page.evaluate("Array.from(document.links).map(a => a.href)")
    }
    visit.close()
    sections = {p.resolve() for p in site.rglob("*.html") if p.parent != site}
    assert len(sections) == len(site_runs()) and sections <= linked


def test_pages_need_no_server_or_network(site):
    for path in pages(site):
        html = path.read_text(encoding="utf-8")
        assert "<script src=" not in html, path
        assert not re.search(
            r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', html
        ), path
        assert "require.min.js" not in html and "MathJax" not in html, path


BROKEN_PAGE = """<!DOCTYPE html>
<html><head><title>Broken on purpose</title>
<script src="https://example.invalid/script.js"></script></head>
<body><h1>One</h1><h1>Two</h1><h3>Skipped a level</h3>
<img src="missing.png">
<a href="nowhere.html">a broken link</a>
<p style="color:#bbb;background:#fff">low contrast text</p>
<script>console.error("broken on purpose")</script>
</body></html>
"""


def test_every_check_finds_its_problem_on_a_page_broken_on_purpose(browser, tmp_path):
    path = tmp_path / "broken.html"
    path.write_text(BROKEN_PAGE, encoding="utf-8")
    visit = Visit(browser, path)
    found = {check.__name__: check(visit) for check in CHECKS}
    visit.close()
    assert any("example.invalid" in u for u in found["external_requests"])
    assert found["broken_images"]
    assert any("nowhere.html: no such file" in p for p in found["broken_links"])
    assert "no lang attribute" in found["structure_problems"]
    assert "2 h1 elements" in found["structure_problems"]
    assert "heading h3 follows h1" in found["structure_problems"]
    violated = {v.split(":")[0] for v in found["axe_violations"]}
    assert {"html-has-lang", "image-alt", "color-contrast"} <= violated
    assert any("broken on purpose" in e for e in visit.errors)


def test_same_inputs_give_byte_identical_pages(site, tmp_path):
    again = tmp_path / "again"
    result = CliRunner().invoke(
        main, ["batch", "--sections", "evidence", "--out", str(again), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    first = (site / "evidence" / "all.html").read_bytes()
    assert (again / "evidence" / "all.html").read_bytes() == first


def test_every_page_has_its_estimates_file_with_the_rows_its_notebook_recorded(site):
    for page in site.rglob("*/*.html"):
        table = page.with_name(page.stem + publishing.ESTIMATES_SUFFIX)
        text = table.read_text(encoding="utf-8")
        assert text.splitlines()[0] == ",".join(ESTIMATE_COLUMNS), table
        recorded = publishing.estimates_of(json.loads(page.with_suffix(".ipynb").read_text()))
        assert text == publishing.estimates_csv(recorded), table
        assert f'<a href="{table.name}">Estimates behind this page (CSV)</a>' in page.read_text()


SURVEY_SECTIONS = ("vision", "potential_vs_plan", "barriers")


def _estimate_cells(table: Path) -> set[str]:
    """Each row of an estimates file as a page's Evidence column writes it ('◐ bounded: ...')."""
    cells = set()
    for row in pd.read_csv(table, keep_default_na=False).to_dict("records"):
        number = {k: float(row[k]) if row[k] != "" else None for k in ("bound_low", "bound_high")}
        shown = estimates.Estimate(
            row["statistic"],
            row["group"],
            float(row["value"]),
            evidence=row["evidence"],
            identification=row["identification"],
            figure_id=str(row["figure_id"]),
            unit=str(row["unit"]),
            **number,
        )
        cells.add(shown.cell)
    return cells


def test_every_status_a_survey_page_shows_is_an_estimate_in_its_file(site):
    for section in SURVEY_SECTIONS:
        for page in (site / section).glob("*.html"):
            table = page.with_name(page.stem + publishing.ESTIMATES_SUFFIX)
            rows = pd.read_csv(table, keep_default_na=False)
            assert len(rows) >= 10, table
            assert set(rows["evidence"]) <= {"published", "bounded", "assumed"}, table
            marks = "".join(estimates.MARKS.values())
            text = html.unescape(re.sub(r"<[^>]+>", "\n", page.read_text(encoding="utf-8")))
            shown = {
                line.strip()
                for line in text.splitlines()
                if line.strip()[:1] in marks
                and " " in line.strip()
                and line.strip()
                .split(" ", 1)[1]
                .startswith(("published (", "bounded:", "illustrative"))
            }
            assert shown, page
            assert shown <= _estimate_cells(table), (page, shown - _estimate_cells(table))


def test_index_labels_headline_figures_from_synthetic_data(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Has a strategic vision: <strong>" in index
    for line in index.split("<li>"):
        if line.startswith(("Has a strategic vision", "Say they have the capability")):
            assert "(synthetic data)" in line, line


# --- the page, from an executed notebook, without a batch ---------------------------------------


def executed(*outputs: dict, markdown: str = "## Findings\n\nText.") -> nbformat.NotebookNode:
    """An executed notebook: a markdown cell, then a code cell with these displayed outputs."""
    code = nbformat.v4.new_code_cell(
        "secret_code_line()",
        outputs=[nbformat.v4.new_output("display_data", data=data) for data in outputs],
    )
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(markdown), code])


PROVENANCE = {
    PROVENANCE_MIME: {
        "description": "Respondent data from mine.csv",
        "synthetic": False,
        "sha256": "ab" * 32,
    }
}
HEADLINES = [
    {HEADLINE_MIME: {"label": "Have a vision", "value": "79%"}},
    {HEADLINE_MIME: {"label": "Largest barrier", "value": "funding"}},
]


def test_provenance_and_headlines_are_read_back_from_the_notebook():
    notebook = executed(PROVENANCE, *HEADLINES, {"text/plain": "42"})
    assert publishing.provenance_of(notebook) == PROVENANCE[PROVENANCE_MIME]
    assert publishing.headlines_of(notebook) == [
        {"label": "Have a vision", "value": "79%"},
        {"label": "Largest barrier", "value": "funding"},
    ]
    assert publishing.provenance_of(executed()) == {
        "description": publishing.PUBLISHED_ONLY,
        "synthetic": False,
    }
    assert publishing.headlines_of(executed()) == []


def test_council_type_labels():
    assert publishing.council_type_label("all") == "All respondents"
    assert publishing.council_type_label("london_borough") == "London borough"
    with pytest.raises(KeyError, match="unknown code 'parish'; expected one of county,"):
        publishing.council_type_label("parish")


def test_render_page_shows_outputs_provenance_and_contents_not_code_or_records():
    notebook = executed(PROVENANCE, *HEADLINES, {"text/plain": "the answer is 42"})
    html = publishing.render_page(
        notebook, catalogue.find("barriers"), "county", {"min_base": 5}, "abc1234"
    )
    assert "secret_code_line" not in html
    assert "the answer is 42" in html
    assert PROVENANCE_MIME not in html
    assert HEADLINE_MIME not in html
    assert "Respondent data from mine.csv; SHA-256 " + "ab" * 32 in html
    assert "<title>Barriers and capability: County council</title>" in html
    assert "min_base=5" in html
    assert "abc1234" in html
    assert '<nav class="cd-toc" aria-label="Contents">' in html
    assert '<a href="#Findings">Findings</a>' in html
    assert len(notebook.cells[1].outputs) == 4  # the notebook itself is left as it was


def test_the_exporter_made_once_per_process_keeps_nothing_of_one_page_for_the_next():
    first = executed(PROVENANCE, *HEADLINES, {"text/plain": "output-of-one"}, markdown="# One")
    second = executed({"text/plain": "output-of-two"}, markdown="# Two")

    def page(notebook, code, council_type):
        return publishing.render_page(notebook, catalogue.find(code), council_type, {}, "abc")

    publishing._exporter.cache_clear()
    alone = page(second, "vision", "all")
    publishing._exporter.cache_clear()
    page(first, "barriers", "county")
    after = page(second, "vision", "all")
    assert publishing._exporter.cache_info().misses == 1  # one exporter made both pages
    assert after == alone
    assert "output-of-one" not in after and "mine.csv" not in after and "output-of-two" in after


MAIN_POINTS = (
    '<section class="cd-main-points" aria-labelledby="main-points">'
    '<h2 id="main-points">Main points</h2><ol><li>One.</li></ol></section>'
)


def test_a_page_opens_with_navigation_the_notice_and_title_and_its_contents_follow_its_points():
    notebook = executed(PROVENANCE, {"text/html": MAIN_POINTS}, markdown="# Barriers")
    notebook.cells.append(nbformat.v4.new_markdown_cell("## Findings\n\nText."))
    html = publishing.render_page(notebook, catalogue.find("barriers"), "county", {}, "abc")
    order = [
        html.index('class="cd-nav"'),
        html.index('class="cd-banner"'),
        html.index('<h1 id="Barriers">'),
        html.index('<h2 id="main-points">Main points</h2><ol><li>One.</li></ol></section>'),
        html.index('<nav class="cd-toc"'),
        html.index('<h2 id="Findings">'),
        html.index('class="cd-about"'),
        html.index('<footer class="cd-footer">'),
    ]
    assert order == sorted(order)
    assert html.count('<nav class="cd-toc"') == 1 and publishing.TOC_MARK not in html
    assert "Data: Respondent data from mine.csv (SHA-256 abababababab)." in html
    without = publishing.render_page(
        executed(PROVENANCE), catalogue.find("barriers"), "county", {}, "abc"
    )
    assert without.index('<nav class="cd-toc"') < without.index('<main id="content">')


def test_the_printed_notice_is_the_pages_and_cannot_end_its_style():
    hostile = {
        PROVENANCE_MIME: {
            "description": f'{HOSTILE}"; }} body {{ display: none',
            "synthetic": False,
        }
    }
    html = publishing.render_page(executed(hostile), catalogue.find("vision"), "all", {}, "abc")
    style = html.split("@top-left { content: ", 1)[1].split("; font:", 1)[0]
    assert style.startswith('"Data: ') and style.endswith('"')
    assert '"' not in style[1:-1] and "<" not in style and "</style>" not in style
    synthetic = {PROVENANCE_MIME: {"description": "x", "synthetic": True}}
    html = publishing.render_page(executed(synthetic), catalogue.find("vision"), "all", {}, "abc")
    assert publishing.css_string(publishing.SYNTHETIC_TEXT) in html


def test_a_page_without_headings_has_no_contents():
    html = publishing.render_page(
        executed(markdown="Just text."), catalogue.find("evidence"), "all", {}, "abc1234"
    )
    assert '<nav class="cd-toc"' not in html
    assert publishing.PUBLISHED_ONLY in html


ROWS = [
    {
        "statistic": 'Has a vision, "quoted", with commas (% yes)',
        "group": "county",
        "value": 0.1 + 0.2,
        "ci_low": None,
        "ci_high": 81.0,
        "n": 14,
        "evidence": "bounded",
        "bound_low": 52.0,
        "bound_high": 78.0,
        "figure_id": "",
        "unit": "%",
        "within_bounds": False,
    },
    {name: None for name in ESTIMATE_COLUMNS}
    | {"statistic": "Mean", "group": "all", "value": 2.0, "evidence": "published"},
]


def test_estimates_are_read_back_table_by_table_and_written_to_be_read_exactly():
    import pandas as pd

    notebook = executed(
        {ESTIMATES_MIME: {"rows": ROWS[:1]}}, *HEADLINES, {ESTIMATES_MIME: {"rows": ROWS[1:]}}
    )
    assert publishing.estimates_of(notebook) == ROWS
    assert publishing.estimates_of(executed()) == []
    text = publishing.estimates_csv(ROWS)
    assert text.count("\n") == 3 and "\r" not in text
    assert publishing.estimates_csv([]) == ",".join(ESTIMATE_COLUMNS) + "\n"
    read = pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])
    assert list(read.columns) == list(ESTIMATE_COLUMNS)
    assert read.loc[0, "value"] == 0.1 + 0.2  # exactly, not 0.3
    assert read.loc[0, "statistic"] == ROWS[0]["statistic"]
    assert pd.isna(read.loc[0, "ci_low"]) and pd.isna(read.loc[1, "figure_id"])
    assert [row["within_bounds"] for row in csv.DictReader(text.splitlines())] == ["False", ""]


def test_a_page_links_its_estimates_file_and_does_not_show_the_records():
    notebook = executed({ESTIMATES_MIME: {"rows": ROWS}}, {"text/plain": "the answer is 42"})
    html = publishing.render_page(
        notebook, catalogue.find("vision"), "london_borough", {}, "abc1234"
    )
    assert ESTIMATES_MIME not in html
    assert "with commas" not in html
    assert '<a href="london_borough.estimates.csv">Estimates behind this page (CSV)</a>' in html
    assert "the answer is 42" in html


def test_a_page_does_not_show_its_disclosure_records():
    import warnings

    hidden = {"table": "T", "row": "Wales", "column": "n", "rule": "primary", "reason": "n = 6"}
    notebook = executed({WITHHELD_MIME: {"rows": [hidden]}}, {"text/plain": "the answer is 42"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        html = publishing.render_page(notebook, catalogue.find("vision"), "all", {}, "abc1234")
    assert WITHHELD_MIME not in html and "the answer is 42" in html
    assert [str(w.message) for w in caught] == []


def test_a_data_record_without_html_leaves_nothing_on_the_page():
    import warnings

    record = {"stem": "table-01-t", "title": "T", "columns": ["a"], "rows": [["1"]]}
    notebook = executed({DATA_MIME: record}, {"text/plain": "the answer is 42"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        html = publishing.render_page(notebook, catalogue.find("vision"), "all", {}, "abc1234")
    assert "table-01-t" not in html and "the answer is 42" in html
    assert [str(w.message) for w in caught] == []


def test_the_index_lists_only_findings_with_the_range_of_a_bounded_one(tmp_path):
    from conftest import HTMLPage, assert_inert

    figures = [
        {"label": "Published cost", "value": "£1m", "synthetic": False},
        {
            "label": "Stated share",
            "value": "79%",
            "evidence": "published",
            "figure_id": "LGC24-0014",
            "synthetic": True,
        },
        {
            "label": HOSTILE,
            "value": HOSTILE,
            "evidence": "bounded",
            "range_text": f"52% to 78% {HOSTILE}",
            "synthetic": True,
        },
        {"label": "Bounded without words", "value": "3", "evidence": "bounded"},
        {"label": "Observed mean", "value": "3.1", "evidence": "observed"},
        {"label": "Illustrative share", "value": "40%", "evidence": "assumed", "synthetic": True},
    ]
    publishing.write_index(tmp_path, {}, catalogue.SECTIONS, {"county": figures})
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Illustrative share" not in index
    page = HTMLPage(index)
    assert_inert(page)
    shown = page.text_of("li")
    assert "Published cost: £1m" in shown
    assert "Stated share: 79% (the report states it: LGC24-0014) (synthetic data)" in shown
    assert (
        f"{HOSTILE}: {HOSTILE} (the published figures allow 52% to 78% {HOSTILE}) (synthetic data)"
        in shown
    )
    assert "Bounded without words: 3 (confined by the published figures)" in shown
    assert "Observed mean: 3.1" in shown
    publishing.write_index(tmp_path, {}, catalogue.SECTIONS, {"county": figures[-1:]})
    county = next(
        card
        for card in HTMLPage(tmp_path.joinpath("index.html").read_text()).text_of("section")
        if card.startswith("County council")
    )
    assert "No findings recorded" in county


def _card(index: str, label: str) -> str:
    from conftest import HTMLPage

    return next(card for card in HTMLPage(index).text_of("section") if card.startswith(label))


def test_a_too_small_type_says_so_once_and_shows_the_all_respondent_figures_marked(tmp_path):
    from councildigital.sections.page import SurveyPage

    too_small = SurveyPage.too_small_value(type("Small", (), {"n": 6, "min_base": 10})())
    everyone = {"label": "Has a vision", "value": "79%", "evidence": "published", "synthetic": True}
    figures = {
        "all": [{**everyone, "section": "vision", "figure_id": "LGC24-0014"}],
        "wales": [
            {"label": "Has a vision", "value": too_small, "synthetic": True, "section": "vision"},
            {"label": "Gap", "value": too_small, "synthetic": True, "section": "vision"},
            {"label": "Legacy spend", "value": "£1m", "synthetic": False, "section": "costs"},
        ],
    }
    publishing.write_index(tmp_path, {}, catalogue.SECTIONS, figures)
    wales = _card((tmp_path / "index.html").read_text(encoding="utf-8"), "Welsh council")
    assert wales.count("Too few Welsh council respondents (n = 6, below the minimum of 10)") == 1
    assert (
        "Has a vision: 79% (the report states it: LGC24-0014) (all respondents, for context) "
        "(synthetic data)" in wales
    )
    assert "not shown" not in wales and "Gap" not in wales  # no all-respondent figure to show
    assert "Legacy spend: £1m" in wales


def test_a_section_run_once_for_everyone_lists_its_figures_beside_it_not_in_a_card(tmp_path):
    register = {"label": "Figures transcribed", "value": "782", "section": "evidence"}
    vision = {"label": "Has a vision", "value": "79%", "evidence": "published", "section": "vision"}
    publishing.write_index(tmp_path, {}, catalogue.SECTIONS, {"all": [register, vision]})
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    card = _card(index, "All respondents")
    assert "Has a vision: 79%" in card and "Figures transcribed" not in card
    shared = index.split("<h2>Across all council types</h2>", 1)[1]
    assert "Figures transcribed: <strong>782</strong>" in shared
    assert [f'href="#type-{t}"' in index for t in survey.council_type_choices()] == [True] * 10


def test_figures_from_different_data_sets_each_name_theirs(tmp_path):
    mine = {"data_sha256": "ab" * 32, "data_file": "mine.csv"}
    embedded = {"data_sha256": "cd" * 32, "data_file": "lgc2024_synthetic.csv"}
    share = {"label": "Has a vision", "evidence": "observed", "section": "vision"}
    figures = {
        "county": [{**share, "value": "70%", **mine}],
        "district": [{**share, "value": "80%", **embedded}],
        "unitary": [{"label": "Legacy spend", "value": "£1m", "section": "costs"}],
    }
    publishing.write_index(tmp_path, {}, catalogue.SECTIONS, figures)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "This folder holds pages from 2 data sets." in index
    assert "Has a vision: 70% (data: mine.csv (SHA-256 abababababab))" in _card(index, "County")
    assert "80% (data: lgc2024_synthetic.csv (SHA-256 cdcdcdcdcdcd))" in _card(index, "District")
    assert "Legacy spend: £1m" in _card(index, "Unitary") and "data:" not in _card(index, "Unitary")
    publishing.write_index(tmp_path, {}, catalogue.SECTIONS, {"county": figures["county"]})
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "data sets" not in index and "data:" not in _card(index, "County")


def test_a_partial_batch_links_no_missing_page_and_a_run_replaces_its_placeholder(
    sections, tmp_path
):
    out = tmp_path / "out"
    batch.run_batch(batch.plan(["good"], ["county"], out_dir=out), out, jobs=1)
    pages = sorted(out.rglob("*.html"))
    assert out / "good" / "wales.html" in pages and out / "bad" / "all.html" in pages
    for page in pages:
        for tag, attrs in HTMLPage(page.read_text(encoding="utf-8")).elements:
            href = attrs.get("href") or ""
            if tag == "a" and href and not href.startswith("#"):
                assert (page.parent / href.split("#")[0]).exists(), f"{page}: {href}"
    placeholder = (out / "good" / "wales.html").read_text(encoding="utf-8")
    assert "This page is not in this output folder" in placeholder
    assert "councildigital batch --sections good --council-types wales --out" in placeholder
    assert "--sections bad --out" in (out / "bad" / "all.html").read_text(encoding="utf-8")
    assert "good/wales" not in json.loads((out / "manifest.json").read_text())["runs"]
    batch.run_batch(batch.plan(["good"], ["wales"], out_dir=out), out, jobs=1)
    assert "answer 42 wales" in (out / "good" / "wales.html").read_text(encoding="utf-8")


def test_headlines_of_one_basis_in_a_row_say_it_once_above_them(tmp_path):
    basis = f"For an average county council (this model's central assumption; {HOSTILE})"
    figures = [
        {"label": "Has a vision", "value": "85%", "evidence": "published", "section": "vision"},
        {"label": "Legacy spend", "value": "£8.8m", "basis": basis, "section": "costs"},
        {"label": "Failures", "value": "£340,000", "basis": basis, "section": "costs"},
        {"label": "Top barrier", "value": "Legacy systems", "section": "then_and_now"},
    ]
    publishing.write_index(tmp_path, {}, catalogue.SECTIONS, {"county": figures})
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert_inert(HTMLPage(index))
    card = _card(index, "County council")
    assert card.count(basis) == 1
    assert f"{basis}:Legacy spend: £8.8mFailures: £340,000" in card
    assert card.index("Has a vision") < card.index(basis) < card.index("Top barrier")
