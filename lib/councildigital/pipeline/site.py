"""The reviewer's site: section pages (nbconvert, our template), the index and the accessibility statement.

Pages are self-contained (no script, font or image from the network; charts
embedded), deterministic (no timestamps or random ids), and open with the same
navigation: the index, every section for their council type and their section for
every council type (menus that open without script). The index is a card per council
type leading with its findings, and links every page in one click. Beside each page is
its estimates file (``<council type>.estimates.csv``): every estimate the page
shows, with its interval, base and evidence status, as the notebook recorded it.
"""

from __future__ import annotations

import functools
import itertools
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from councildigital import __version__
from councildigital.data import survey
from councildigital.data.sources import DOCUMENTS
from councildigital.pipeline import catalogue
from councildigital.sections.records import (
    DATA_MIME,
    ESTIMATE_COLUMNS,
    ESTIMATES_MIME,
    HEADLINE_MIME,
    PROVENANCE_MIME,
    WITHHELD_MIME,
    csv_text,
    outputs_of,
)

if TYPE_CHECKING:
    import nbconvert
    import nbformat

TEMPLATES = Path(__file__).parent / "templates"
SYNTHETIC_TEXT = (
    "Synthetic data: made-up respondents that reproduce the 2024 LGC survey's published "
    "figures, not real answers."
)
PUBLISHED_ONLY = "Published figures only (data/published/), no respondent-level data"
ESTIMATES_SUFFIX = ".estimates.csv"  # beside the page: <section>/<council type>.estimates.csv
ESTIMATES_LINK = "Estimates behind this page (CSV)"
# Headlines the index lists: what the report states or confines, or real data observes. One
# recorded without evidence comes from a page of published figures only.
INDEX_EVIDENCE = (None, "published", "bounded", "observed")

CSS = """
.cd-page { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
.cd-skip, .cd-visually-hidden { position: absolute; left: -999px; }
.cd-header, .cd-footer, .cd-about, .cd-toc { font-family: system-ui, -apple-system, "Segoe UI",
  Roboto, sans-serif; }
.cd-skip:focus { left: 1rem; top: 1rem; background: #fff; color: #0b0c0c; padding: .5rem;
  outline: 3px solid #fd0; z-index: 10; }
.cd-header { margin: .75rem 0 0; }
.cd-nav { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; align-items: flex-start;
  padding-bottom: .5rem; border-bottom: 1px solid #b1b4b6; }
.cd-nav a, .cd-footer a, .cd-toc a, .cd-about a { color: #1d70b8; }
.cd-nav a[aria-current="page"] { color: #0b0c0c; font-weight: bold; text-decoration: none; }
.cd-menu summary { cursor: pointer; color: #1d70b8; min-height: 24px; line-height: 24px; }
.cd-menu summary strong { color: #0b0c0c; }
.cd-menu ul { list-style: none; margin: .25rem 0 .5rem; padding: .25rem 0 .25rem .75rem;
  border-left: 3px solid #b1b4b6; }
.cd-banner { background: #fff4d6; border-left: 6px solid #b35c00; color: #0b0c0c;
  padding: .4rem .75rem; margin: .5rem 0; }
.cd-banner-synthetic { font-weight: bold; }
.cd-provenance dt { font-weight: bold; }
.cd-provenance dd { margin: 0 0 .25rem 1rem; overflow-wrap: anywhere; }
.cd-toc { border-top: 1px solid #b1b4b6; border-bottom: 1px solid #b1b4b6; margin: 1rem 0;
  padding: .25rem 0 .5rem; }
.cd-toc-title { font-size: 1.1rem; font-weight: bold; margin: .5rem 0; }
.cd-toc ul { margin: 0; }
.cd-toc li { margin: .35rem 0; line-height: 1.4; }
.cd-nav a, .cd-footer a, .cd-about a, .cd-grid a { display: inline-block;
  min-height: 24px; line-height: 24px; }
.cd-toc li.cd-toc-3 { margin-left: 1.5rem; list-style: circle; }
.cd-about { border-top: 2px solid #0b0c0c; margin-top: 2rem; }
.cd-footer { border-top: 1px solid #b1b4b6; margin-top: 1rem; font-size: .9rem; }
a:focus, summary:focus { outline: 3px solid #fd0; background: #fd0; color: #0b0c0c; }
caption { caption-side: top; text-align: left; font-weight: bold; color: #0b0c0c; }
.jp-RenderedImage img { max-width: 100%; height: auto; }
.jp-RenderedHTMLCommon .cd-evidence a:link, .jp-RenderedHTMLCommon .cd-evidence a:visited {
  color: #1d70b8; text-decoration: underline; }
.cd-evidence-list ul { columns: 2 18rem; margin: .25rem 0 1rem; }
.cd-evidence:has(.cd-evidence-doc:target) .cd-evidence-doc:not(:target) { display: none; }
.cd-evidence-doc { scroll-margin-top: 1rem; }
.cd-evidence-doc:target h3 { border-left: 5px solid #1d70b8; padding-left: .5rem; }
.jp-RenderedHTMLCommon table.cd-evidence-table { border-collapse: collapse; width: 100%;
  table-layout: auto; font-size: .9rem; margin: 0 0 1.5rem; }
.jp-RenderedHTMLCommon .cd-evidence-table th, .jp-RenderedHTMLCommon .cd-evidence-table td {
  border: 0; border-bottom: 1px solid #b1b4b6; padding: .35rem; text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
.jp-RenderedHTMLCommon .cd-evidence-table th { background: #f3f2f1; white-space: nowrap; }
.jp-RenderedHTMLCommon .cd-evidence-table td:nth-child(n+5) { white-space: nowrap; }
.jp-RenderedHTMLCommon .cd-evidence-table td:nth-child(7) { white-space: normal; }
.jp-RenderedHTMLCommon .cd-evidence-table td:first-child { width: 40%; }
.jp-RenderedHTMLCommon .cd-evidence-table td:nth-child(2) { font-weight: bold;
  white-space: nowrap; }
@media (max-width: 40rem) {
  .jp-RenderedHTMLCommon .cd-evidence-table thead { position: absolute; left: -999px; }
  .jp-RenderedHTMLCommon .cd-evidence-table tr { display: block; padding: .35rem 0;
    border-bottom: 2px solid #0b0c0c; }
  .jp-RenderedHTMLCommon .cd-evidence-table td { display: block; border: 0; padding: .1rem 0;
    white-space: normal !important; }
  .jp-RenderedHTMLCommon .cd-evidence-table td:first-child { width: auto; }
  .jp-RenderedHTMLCommon .cd-evidence-table td:empty { display: none; }
  .jp-RenderedHTMLCommon .cd-evidence-table td::before { content: attr(data-label) ": ";
    font-weight: bold; }
}
@media print {
  .cd-nav, .cd-skip, .cd-toc, .cd-banner, .cd-footer-links { display: none; }
  .cd-data-links, .cd-chart-numbers { display: none; }
  .cd-page { max-width: none; padding: 0; }
  h1, h2, h3, h4, caption { break-after: avoid; page-break-after: avoid; }
  img, figure, tr, .cd-main-points li { break-inside: avoid; page-break-inside: avoid; }
  a { color: #0b0c0c; }
  .jp-OutputArea-output, .jp-RenderedHTMLCommon { overflow: visible !important; }
  .jp-RenderedHTMLCommon table { font-size: 8.5pt; max-width: 100%; }
  .jp-RenderedHTMLCommon th { overflow-wrap: anywhere; }
  .jp-RenderedHTMLCommon td { overflow-wrap: break-word; }
}
"""

_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)<a class="anchor-link"', re.DOTALL)


def provenance_of(notebook: nbformat.NotebookNode) -> dict:
    """The data provenance the notebook recorded, or 'published figures only'."""
    recorded = outputs_of(notebook, PROVENANCE_MIME)
    return recorded[-1] if recorded else {"description": PUBLISHED_ONLY, "synthetic": False}


def headlines_of(notebook: nbformat.NotebookNode) -> list[dict]:
    return outputs_of(notebook, HEADLINE_MIME)


def estimates_of(notebook: nbformat.NotebookNode) -> list[dict]:
    """Every estimate row the notebook recorded, table by table, in the order shown."""
    return [row for record in outputs_of(notebook, ESTIMATES_MIME) for row in record["rows"]]


def estimates_csv(rows: list[dict]) -> str:
    """The page's estimates file: one row per estimate, blank where a value is missing.

    Numbers are written as Python writes them (the shortest text that reads back
    as the same float), so the file gives back exactly what the page computed.
    """
    return csv_text(ESTIMATE_COLUMNS, rows)


def _without_site_outputs(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without the outputs meant for the site (they have no visible form): our
    records, and a data record that has no HTML beside it."""
    import copy

    stripped = copy.deepcopy(notebook)
    ours = {PROVENANCE_MIME, HEADLINE_MIME, ESTIMATES_MIME, WITHHELD_MIME}
    for cell in stripped.cells:
        if "outputs" in cell:
            cell["outputs"] = [
                o
                for o in cell["outputs"]
                if not ours & set(o.get("data", {})) and set(o.get("data", {})) != {DATA_MIME}
            ]
    return stripped


def _toc(html: str) -> str:
    items = [
        f'<li class="cd-toc-{level}"><a href="#{anchor}">{re.sub(r"<[^>]+>", "", text).strip()}</a></li>'
        for level, anchor, text in _HEADING.findall(html)
    ]
    if not items:
        return ""
    return (
        '<nav class="cd-toc" aria-label="Contents">\n<p class="cd-toc-title">Contents</p>\n<ul>\n'
        + "\n".join(items)
        + "\n</ul>\n</nav>\n"
    )


TOC_MARK = "<!-- councildigital:toc -->"
# The page's main points block (sections.page), whatever the order of its attributes.
MAIN_POINTS = re.compile(r'<section\b[^>]*\bclass="cd-main-points"[^>]*>')


def _place_toc(html: str) -> str:
    """The contents list right after the page's main points, or in the header if it has none."""
    contents = _toc(html)
    found = MAIN_POINTS.search(html)
    if found is None:
        return html.replace(TOC_MARK, contents, 1)
    end = html.index("</section>", found.end()) + len("</section>")
    return (html[:end] + "\n" + contents + html[end:]).replace(TOC_MARK, "", 1)


def page_href(section: str, council_type: str) -> str:
    """A section page's address from another section page (they sit in sibling folders)."""
    return f"../{section}/{council_type}.html"


def _menu(legend: str, current: str, links: list[tuple[str, str, bool]]) -> str:
    """A menu that opens without script: its summary names the current choice."""
    current_mark = ' aria-current="page"'
    items = "".join(
        f'<li><a href="{escape(href)}"{current_mark if here else ""}>{escape(text)}</a></li>'
        for text, href, here in links
    )
    return (
        f'<details class="cd-menu"><summary>{escape(legend)}: <strong>{escape(current)}</strong>'
        f"</summary><ul>{items}</ul></details>"
    )


def navigation(section: str, council_type: str, sections) -> str:
    """Every page's way around: the index, every section for this council type, and this
    section for every council type (a section run once, for everyone, has no type menu)."""
    this = next(sec for sec in sections if sec.code == section)
    by_section = [
        (
            sec.title,
            page_href(sec.code, council_type if sec.per_council_type else survey.ALL),
            sec.code == section,
        )
        for sec in sections
    ]
    parts = [
        '<a href="../index.html">All reports</a>',
        _menu("Section", this.title, by_section),
    ]
    if this.per_council_type:
        by_type = [
            (council_type_label(code), page_href(section, code), code == council_type)
            for code in survey.council_type_choices()
        ]
        parts.append(_menu("Council type", council_type_label(council_type), by_type))
    return '<nav class="cd-nav" aria-label="Report pages">' + "".join(parts) + "</nav>"


def banner(data: dict) -> str:
    """The one-line data notice every page (and every printed sheet) carries."""
    if data.get("synthetic"):
        return SYNTHETIC_TEXT
    sha = f" (SHA-256 {data['sha256'][:12]})" if data.get("sha256") else ""
    return f"Data: {data['description']}{sha}."


def css_string(text: str) -> str:
    """Text as a CSS string literal that cannot end the string or the style element."""
    return '"' + re.sub(r'[\\"<>\n\r]', lambda m: f"\\{ord(m.group()):x} ", text) + '"'


def print_css(notice: str) -> str:
    """Printed sheets: A4, the data notice at the top of every sheet, page numbers below."""
    return (
        "@page { size: A4; margin: 20mm 14mm 16mm;"
        f" @top-left {{ content: {css_string(notice)}; font: 8.5pt system-ui, sans-serif;"
        " color: #0b0c0c; }"
        ' @bottom-right { content: "Page " counter(page) " of " counter(pages);'
        " font: 8.5pt system-ui, sans-serif; } }\n"
    )


def council_type_label(code: str) -> str:
    return "All respondents" if code == survey.ALL else survey.label(survey.COUNCIL_TYPES, code)


def render_page(
    notebook: nbformat.NotebookNode,
    section: catalogue.Section,
    council_type: str,
    parameters: dict,
    commit: str,
) -> str:
    """A section page: navigation, data notice, outputs only (no code), contents, provenance,
    sources footer. The navigation links the catalogue's pages."""
    title = section.title
    data = provenance_of(notebook)
    description = data["description"] + (
        f"; SHA-256 {data['sha256']}" if data.get("sha256") else ""
    )
    shown = {k: v for k, v in sorted(parameters.items())}
    notice = banner(data)
    resources = {
        "councildigital": {
            "title": title,
            "council_type_label": council_type_label(council_type),
            "synthetic": bool(data.get("synthetic")),
            "banner": notice,
            "navigation": navigation(section.code, council_type, catalogue.SECTIONS),
            "data_description": description,
            "parameters": ", ".join(f"{k}={v!r}" for k, v in shown.items()),
            "version": __version__,
            "commit": commit,
            "index_href": "../index.html",
            "accessibility_href": "../accessibility.html",
            "estimates_href": f"{council_type}{ESTIMATES_SUFFIX}",
            "estimates_link": ESTIMATES_LINK,
            "sources": [
                {"key": d.key, "citation": d.citation, "title": d.title, "file": d.file}
                for d in DOCUMENTS
            ],
            "css": CSS + print_css(notice),
        }
    }
    notebook = _without_site_outputs(notebook)
    notebook.metadata["title"] = f"{title}: {council_type_label(council_type)}"
    html, _ = _exporter().from_notebook_node(notebook, resources=resources)
    return _place_toc(html)


@functools.cache
def _exporter() -> nbconvert.HTMLExporter:
    """The page exporter, made once per process: a new one compiles its ten Jinja templates
    again (a third of an export's time). It keeps nothing of one page for the next."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="councildigital",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def _page(title: str, body: str, header: str = "") -> str:
    """A page of the site's own (not a notebook's): ``header`` (HTML) goes before the main."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}{INDEX_CSS}</style>\n</head>\n"
        f'<body class="cd-page">\n<a class="cd-skip" href="#content">Skip to the content</a>\n'
        f"{header}"
        f'<main id="content">\n<h1>{escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n'
    )


def page_grid(sections) -> list[tuple[catalogue.Section, str]]:
    """Every page the navigation links: each section for every council type, or once."""
    return [
        (sec, code)
        for sec in sections
        for code in (survey.council_type_choices() if sec.per_council_type else [survey.ALL])
    ]


def placeholder_page(section: catalogue.Section, council_type: str, sections) -> str:
    """Where a page the navigation links is not in this folder: what it is, and how to make it."""
    title = f"{section.title}: {council_type_label(council_type)}"
    command = (
        f"councildigital batch --sections {section.code}"
        + (f" --council-types {council_type}" if section.per_council_type else "")
        + " --out <this folder>"
    )
    body = (
        "<p>This page is not in this output folder: it was not among the runs made here, or "
        'its run failed before it made a page (the <a href="../index.html">index</a> says '
        "which).</p>\n"
        f"<p>To make it, run <code>{escape(command)}</code>, with the options this folder "
        "was made with (such as <code>--data</code>).</p>"
    )
    header = (
        f'<header class="cd-header">{navigation(section.code, council_type, sections)}</header>\n'
    )
    return _page(title, body, header)


def write_placeholders(out_dir: Path, sections) -> list[Path]:
    """A :func:`placeholder_page` wherever the navigation links a page that is not on disk, so
    no link of a partial batch is broken; a run of that page replaces it. The paths written."""
    from councildigital.pipeline.execution import atomic_write

    written = []
    for section, council_type in page_grid(sections):
        path = out_dir / section.code / f"{council_type}.html"
        if not path.exists():
            atomic_write(path, placeholder_page(section, council_type, sections))
            written.append(path)
    return written


INDEX_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #0b0c0c;
  line-height: 1.45; }
.cd-lead { font-size: 1.1rem; max-width: 48rem; }
.cd-cards { display: grid; gap: 1rem;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 21rem), 1fr)); }
.cd-card { border: 1px solid #b1b4b6; border-top: 5px solid #1d70b8; padding: .25rem 1rem .75rem;
  min-width: 0; overflow-wrap: anywhere; }
.cd-card h3 { margin: .5rem 0; }
.cd-findings { margin: 0 0 .75rem; padding-left: 1.1rem; }
.cd-findings li { margin-bottom: .35rem; }
.cd-basis, .cd-status, .cd-card-pages { color: #484949; font-size: .875rem; }
.cd-fallback { background: #f3f2f1; border-left: 4px solid #505a5f; padding: .35rem .6rem;
  font-size: .95rem; }
.cd-card-pages ul { margin: .25rem 0 0; padding-left: 1.1rem; }
.cd-briefing { font-weight: bold; }
.cd-status-failed { color: #a8140b; font-weight: bold; }
.cd-jump ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; padding: 0; }
.cd-jump a, .cd-jump a:visited { color: #1d70b8; }
"""

# The value a too-small council type's page records instead of a figure (Page.too_small_value):
# the index says why, once per card, and shows the all-respondent figure the page shows for context.
TOO_SMALL = re.compile(r"^not shown: n = (?P<n>\d+), below the minimum of (?P<minimum>\d+)$")
BRIEFINGS = "briefings"  # <out>/briefings/<council type>.pdf
BRIEFING_SUFFIX = ".pdf"


def briefing_path(out_dir: Path, council_type: str) -> Path:
    return out_dir / BRIEFINGS / f"{council_type}{BRIEFING_SUFFIX}"


def data_set_label(figure: dict) -> str:
    """The data set a figure comes from, as the index names it when it shows more than one."""
    if not figure.get("data_sha256"):
        return "published figures"
    return f"{figure.get('data_file') or 'respondent data'} (SHA-256 {figure['data_sha256'][:12]})"


def write_index(
    out_dir: Path,
    manifest: dict[str, dict],
    sections,
    headlines: dict,
    briefings: dict[str, str] | None = None,
) -> Path:
    """``index.html``: a card per council type leading with its findings, then its pages (each
    with its run status) and its PDF briefing where one was made (``briefings``: council type
    to the PDF's path under ``out_dir``)."""
    from councildigital.pipeline.execution import atomic_write

    briefings = briefings or {}
    shared = [sec for sec in sections if not sec.per_council_type]
    per_type = [sec for sec in sections if sec.per_council_type]
    data_sets = sorted(
        {data_set_label(h) for figures in headlines.values() for h in figures if "data_sha256" in h}
        - {"published figures"}
    )
    mixed = len(data_sets) > 1
    shared_codes = {sec.code for sec in shared}
    shared_items = "".join(
        f"<li>{_link(sec.title, survey.ALL, manifest.get(f'{sec.code}/{survey.ALL}'), sec.title)}"
        + "".join(
            f'<ul class="cd-findings">{_headline(h, mixed)}</ul>'
            for h in headlines.get(survey.ALL, [])
            if h.get("section") == sec.code
        )
        + "</li>"
        for sec in shared
    )
    headlines = {
        council_type: [h for h in figures if h.get("section") not in shared_codes]
        for council_type, figures in headlines.items()
    }
    jump = "".join(
        f'<li><a href="#type-{code}">{escape(council_type_label(code))}</a></li>'
        for code in survey.council_type_choices()
    )
    cards = [
        _card(council_type, per_type, manifest, headlines, briefings.get(council_type), mixed)
        for council_type in survey.council_type_choices()
    ]
    datasets = ""
    if mixed:
        datasets = (
            '<div class="cd-fallback" role="note"><p><strong>This folder holds pages from '
            f"{len(data_sets)} data sets.</strong> Each figure below names the one it comes "
            "from:</p><ul>" + "".join(f"<li>{escape(d)}</li>" for d in data_sets) + "</ul></div>\n"
        )
    body = (
        '<p class="cd-lead">What the 2024 LGC survey, the 2013 Local Digital Today survey and the '
        "Future Councils cost estimates say about each type of council, with every report page "
        "and a PDF briefing per type.</p>\n"
        "<p>Each card leads with that type's findings: figures the report states (its figure "
        "id is given) or that its published figures confine (the range they allow is given), "
        "and figures from real respondent data. Illustrative figures are on the pages only; "
        "(synthetic data) marks figures from the made-up respondents that reproduce the "
        "survey's published figures.</p>\n"
        + datasets
        + f'<nav class="cd-jump" aria-label="Council types"><ul>{jump}</ul></nav>\n'
        + "<h2>By council type</h2>\n"
        + '<div class="cd-cards">\n'
        + "\n".join(cards)
        + "\n</div>\n"
        + (f"<h2>Across all council types</h2>\n<ul>{shared_items}</ul>\n" if shared else "")
        + "<p>Each page link says whether the page was run afresh (fresh), reused unchanged "
        "from an earlier run (cached), or failed on its last run (the last good page, if any, "
        "is kept and linked).</p>\n"
        '<p><a href="accessibility.html">Accessibility statement</a></p>'
    )
    path = out_dir / "index.html"
    atomic_write(path, _page("Councils' digital ambitions versus reality", body))
    atomic_write(out_dir / "accessibility.html", _accessibility_page())
    write_placeholders(out_dir, sections)
    return path


def _card(council_type, per_type, manifest, headlines, briefing, mixed) -> str:
    """One council type: its findings first, then its pages and briefing, status secondary."""
    label = council_type_label(council_type)
    anchor = f"type-{council_type}"
    context = {
        (h.get("section"), h["label"], h.get("data_sha256")): h
        for h in headlines.get(survey.ALL, [])
    }
    fallback = None
    figures = []
    for figure in headlines.get(council_type, []):
        small = TOO_SMALL.match(figure["value"])
        if small is None:
            figures.append((_headline(figure, mixed), figure.get("basis", "")))
            continue
        fallback = small
        shown = context.get((figure.get("section"), figure["label"], figure.get("data_sha256")))
        if shown is not None:
            figures.append((_headline(shown, mixed, "all respondents, for context"), ""))
    parts = [
        f'<section class="cd-card" aria-labelledby="{anchor}">',
        f'<h3 id="{anchor}">{escape(label)}</h3>',
    ]
    if fallback is not None:
        parts.append(
            f'<p class="cd-fallback">Too few {escape(label)} respondents (n = {fallback["n"]}, '
            f"below the minimum of {fallback['minimum']}) for survey figures of their own: the "
            "survey figures here and on its pages are for all respondents, for context.</p>"
        )
    listed = _grouped([(item, basis) for item, basis in figures if item])
    parts.append(
        f'<ul class="cd-findings">{listed}</ul>' if listed else "<p>No findings recorded.</p>"
    )
    if briefing:
        parts.append(
            f'<p><a class="cd-briefing" href="{escape(briefing)}">Briefing for {escape(label)} '
            "(PDF, every section)</a></p>"
        )
    pages = "".join(
        f"<li>{_link(sec.title, council_type, manifest.get(f'{sec.code}/{council_type}'), sec.title)}</li>"
        for sec in per_type
    )
    parts.append(f'<div class="cd-card-pages">Pages:<ul>{pages}</ul></div>')
    parts.append("</section>")
    return "\n".join(parts)


def _grouped(items: list[tuple[str, str]]) -> str:
    """List items, those in a row with the same basis under it, said once (a nested list)."""
    out = []
    for basis, run in itertools.groupby(items, key=lambda item: item[1]):
        found = "".join(item for item, _ in run)
        out.append(
            f'<li>{escape(basis)}:<ul class="cd-findings">{found}</ul></li>' if basis else found
        )
    return "".join(out)


def _headline(figure: dict, mixed: bool = False, whose: str = "") -> str:
    """One finding for the index, saying what stands behind it: the report's figure id, or the
    range its published figures allow; whose figure it is where it is not the card's type's own;
    and its data set where the index shows more than one."""
    evidence = figure.get("evidence")
    if evidence not in INDEX_EVIDENCE:
        return ""
    behind = ""
    if evidence == "published" and figure.get("figure_id"):
        behind = f" (the report states it: {escape(figure['figure_id'])})"
    elif evidence == "bounded" and figure.get("range_text"):
        behind = f" (the published figures allow {escape(figure['range_text'])})"
    elif evidence == "bounded":
        behind = " (confined by the published figures)"
    notes = [whose] if whose else []
    if figure.get("synthetic"):
        notes.append("synthetic data")
    if mixed and "data_sha256" in figure:
        notes.append(f"data: {data_set_label(figure)}")
    basis = behind + "".join(f" ({escape(note)})" for note in notes)
    return (
        f"<li>{escape(figure['label'])}: <strong>{escape(figure['value'])}</strong>"
        + (f'<span class="cd-basis">{basis}</span>' if basis else "")
        + "</li>"
    )


def _link(title: str, council_type: str, entry: dict | None, text: str | None = None) -> str:
    """A link to a run's page with its status; plain text where there is no page."""
    if entry is None:
        return f"{escape(text or title)}: not run"
    status = {"ok": "fresh", "cached": "cached", "failed": "failed"}[entry["status"]]
    page = next((p for p in entry.get("outputs", []) if p.endswith(".html")), None)
    shown = escape(text or "Open page")
    css = f"cd-status-{status}"
    if page is None:
        return f'{shown}: <span class="{css}">failed, no page yet</span>'
    context = (
        f'<span class="cd-visually-hidden">{escape(council_type_label(council_type))}: </span>'
    )
    return (
        f'<a href="{escape(page)}">{context}{shown}</a> '
        f'<span class="cd-status {css}">({status})</span>'
    )


def _accessibility_page() -> str:
    body = """
<p>These reports are published as static HTML pages that work offline, opened from disk,
with no scripts, fonts or images loaded from elsewhere. We aim to meet the Web Content
Accessibility Guidelines (WCAG) 2.2 at level AA.</p>
<h2>How we test</h2>
<p>Every page and this site's index are checked automatically, on every change, with the
axe-core accessibility engine in a real Chromium browser against the WCAG 2.x A and AA rules,
and must report no violations. The same tests check that every link resolves and every image
loads.</p>
<h2>What each page provides</h2>
<ul>
<li>One main heading, headings in order, and a table of contents.</li>
<li>A text alternative for every chart, built from the chart's own title, axes and base.</li>
<li>A caption on every table, and the base (number of respondents) beside estimates.</li>
<li>A clear notice on every page whose figures come from synthetic (reconstructed) data.</li>
</ul>
<h2>Known limitations</h2>
<ul>
<li>Charts are images: their text alternative summarises them, and the tables beside them
give the numbers.</li>
<li>Automated tests cannot find every barrier; if you meet one, please tell the team that
publishes these reports.</li>
</ul>
<p><a href="index.html">Back to all reports</a></p>
"""
    return _page("Accessibility statement", body)
