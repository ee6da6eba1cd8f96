"""The reviewer's site: section pages (nbconvert, our template), the index and the accessibility statement.

Pages are self-contained (no script, font or image from the network; charts
embedded), deterministic (no timestamps or random ids), and link back to the
index, which links every section x council type in one click. Beside each page is
its estimates file (``<council type>.estimates.csv``): every estimate the page
shows, with its interval, base and evidence status, as the notebook recorded it.
"""

from __future__ import annotations

import csv
import io
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from councildigital import __version__
from councildigital.data import survey
from councildigital.data.sources import DOCUMENTS
from councildigital.sections.records import (
    ESTIMATE_COLUMNS,
    ESTIMATES_MIME,
    HEADLINE_MIME,
    PROVENANCE_MIME,
)

if TYPE_CHECKING:
    import nbformat

TEMPLATES = Path(__file__).parent / "templates"
SYNTHETIC_TEXT = (
    "The respondent-level figures on this page come from a synthetic reconstruction: "
    "78 made-up respondents whose aggregates match what the 2024 LGC survey published. "
    "They are not real answers; only the published aggregates are real."
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
.cd-header, .cd-footer { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.cd-skip:focus { left: 1rem; top: 1rem; background: #fff; color: #0b0c0c; padding: .5rem;
  outline: 3px solid #fd0; z-index: 10; }
.cd-header { border-bottom: 2px solid #0b0c0c; margin: 1rem 0; padding-bottom: .5rem; }
.cd-header nav a, .cd-footer a, .cd-toc a { color: #1d70b8; }
.cd-notice { background: #fff4d6; border-left: 6px solid #b35c00; color: #0b0c0c;
  padding: .5rem 1rem; }
.cd-provenance dt { font-weight: bold; }
.cd-provenance dd { margin: 0 0 .25rem 1rem; }
.cd-toc-title { font-size: 1.1rem; font-weight: bold; margin: .5rem 0; }
.cd-toc ul { margin: 0; }
.cd-header a, .cd-footer a, .cd-toc a, .cd-grid a { display: inline-block; min-height: 24px;
  line-height: 24px; }
.cd-toc-3 { margin-left: 1.5rem; list-style: circle; }
.cd-footer { border-top: 2px solid #0b0c0c; margin-top: 2rem; font-size: .9rem; }
a:focus { outline: 3px solid #fd0; background: #fd0; color: #0b0c0c; }
caption { caption-side: top; text-align: left; font-weight: bold; color: #0b0c0c; }
.jp-RenderedImage img { max-width: 100%; height: auto; }
"""

_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)<a class="anchor-link"', re.DOTALL)


def _custom_outputs(notebook: dict, mime: str) -> list[dict]:
    """Our outputs of one MIME type, from a notebook node or its plain JSON form."""
    found = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if mime in data:
                found.append(dict(data[mime]))
    return found


def provenance_of(notebook: nbformat.NotebookNode) -> dict:
    """The data provenance the notebook recorded, or 'published figures only'."""
    recorded = _custom_outputs(notebook, PROVENANCE_MIME)
    return recorded[-1] if recorded else {"description": PUBLISHED_ONLY, "synthetic": False}


def headlines_of(notebook: nbformat.NotebookNode) -> list[dict]:
    return _custom_outputs(notebook, HEADLINE_MIME)


def estimates_of(notebook: nbformat.NotebookNode) -> list[dict]:
    """Every estimate row the notebook recorded, table by table, in the order shown."""
    return [row for record in _custom_outputs(notebook, ESTIMATES_MIME) for row in record["rows"]]


def estimates_csv(rows: list[dict]) -> str:
    """The page's estimates file: one row per estimate, blank where a value is missing.

    Numbers are written as Python writes them (the shortest text that reads back
    as the same float), so the file gives back exactly what the page computed.
    """
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(ESTIMATE_COLUMNS)
    writer.writerows([row.get(name) for name in ESTIMATE_COLUMNS] for row in rows)
    return text.getvalue()


def _without_site_outputs(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without the outputs meant for the site (they have no visible form)."""
    import copy

    stripped = copy.deepcopy(notebook)
    ours = {PROVENANCE_MIME, HEADLINE_MIME, ESTIMATES_MIME}
    for cell in stripped.cells:
        if "outputs" in cell:
            cell["outputs"] = [o for o in cell["outputs"] if not ours & set(o.get("data", {}))]
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


def council_type_label(code: str) -> str:
    return "All respondents" if code == survey.ALL else survey.label(survey.COUNCIL_TYPES, code)


def render_page(
    notebook: nbformat.NotebookNode,
    title: str,
    council_type: str,
    parameters: dict,
    commit: str,
) -> str:
    """A section page: outputs only (no code), header with provenance, contents, sources footer."""
    from nbconvert import HTMLExporter

    data = provenance_of(notebook)
    description = data["description"] + (
        f"; SHA-256 {data['sha256']}" if data.get("sha256") else ""
    )
    shown = {k: v for k, v in sorted(parameters.items())}
    resources = {
        "councildigital": {
            "title": title,
            "council_type_label": council_type_label(council_type),
            "synthetic": bool(data.get("synthetic")),
            "synthetic_text": SYNTHETIC_TEXT,
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
            "css": CSS,
        }
    }
    notebook = _without_site_outputs(notebook)
    notebook.metadata["title"] = f"{title}: {council_type_label(council_type)}"
    exporter = HTMLExporter(
        template_name="councildigital",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    html, _ = exporter.from_notebook_node(notebook, resources=resources)
    return html.replace("<!-- councildigital:toc -->", _toc(html), 1)


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}{INDEX_CSS}</style>\n</head>\n"
        f'<body class="cd-page">\n<a class="cd-skip" href="#content">Skip to the content</a>\n'
        f'<main id="content">\n<h1>{escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n'
    )


INDEX_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #0b0c0c; }
table.cd-grid { border-collapse: collapse; width: 100%; }
.cd-grid th, .cd-grid td { border: 1px solid #b1b4b6; padding: .4rem; text-align: left;
  vertical-align: top; }
.cd-grid thead th { background: #f3f2f1; }
.cd-status-failed { color: #a8140b; font-weight: bold; }
.cd-scroll { overflow-x: auto; }
.cd-headlines { margin: 0; padding-left: 1rem; font-size: .9rem; }
"""


def write_index(out_dir: Path, manifest: dict[str, dict], sections, headlines: dict) -> Path:
    """``index.html``: one row per council type, a link per section with its status, headlines."""
    from councildigital.pipeline.execution import atomic_write

    shared = [sec for sec in sections if not sec.per_council_type]
    per_type = [sec for sec in sections if sec.per_council_type]
    shared_items = "".join(
        f"<li>{_link(sec.title, survey.ALL, manifest.get(f'{sec.code}/{survey.ALL}'), sec.title)}</li>"
        for sec in shared
    )
    header = "".join(f'<th scope="col">{escape(sec.title)}</th>' for sec in per_type)
    rows = []
    for council_type in survey.council_type_choices():
        label = council_type_label(council_type)
        cells = "".join(
            f"<td>{_link(sec.title, council_type, manifest.get(f'{sec.code}/{council_type}'))}</td>"
            for sec in per_type
        )
        figures = "".join(_headline(h) for h in headlines.get(council_type, []))
        figures_cell = f'<ul class="cd-headlines">{figures}</ul>' if figures else "None recorded"
        rows.append(f'<tr><th scope="row">{escape(label)}</th>{cells}<td>{figures_cell}</td></tr>')
    body = (
        "<p>Every report section for every council type. Each link says whether the page was "
        "run afresh (fresh), reused unchanged from an earlier run (cached), or failed on its "
        "last run (the last good page, if any, is kept and linked). Figures marked "
        "(synthetic data) come from the synthetic reconstruction of the 2024 survey's "
        "respondents, not real answers. Only figures the report states, figures its "
        "published figures confine (the range they allow is given) and figures from real "
        "respondent data are listed; illustrative ones are on the pages only.</p>\n"
        + (f"<h2>Across all council types</h2>\n<ul>{shared_items}</ul>\n" if shared else "")
        + "<h2>By council type</h2>\n"
        '<div class="cd-scroll"><table class="cd-grid">\n'
        "<caption>Report sections by council type, with headline figures computed by the "
        "pages</caption>\n"
        f'<thead><tr><th scope="col">Council type</th>{header}'
        '<th scope="col">Headline figures</th></tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody>\n</table></div>\n"
        '<p><a href="accessibility.html">Accessibility statement</a></p>'
    )
    path = out_dir / "index.html"
    atomic_write(path, _page("Councils' digital ambitions versus reality: reports", body))
    atomic_write(out_dir / "accessibility.html", _accessibility_page())
    return path


def _headline(figure: dict) -> str:
    """One headline for the index, saying what stands behind it: the report's figure id, or the
    range its published figures allow."""
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
    return (
        f"<li>{escape(figure['label'])}: <strong>{escape(figure['value'])}</strong>{behind}"
        + (" (synthetic data)" if figure.get("synthetic") else "")
        + "</li>"
    )


def _link(title: str, council_type: str, entry: dict | None, text: str | None = None) -> str:
    """A link to a run's page with its status; plain text where there is no page."""
    if entry is None:
        return "Not run"
    status = {"ok": "fresh", "cached": "cached", "failed": "failed"}[entry["status"]]
    page = next((p for p in entry.get("outputs", []) if p.endswith(".html")), None)
    shown = escape(text or "Open page")
    css = f"cd-status-{status}"
    if page is None:
        return f'<span class="{css}">Failed: no page yet</span>'
    context = f'<span class="cd-visually-hidden">{escape(title)}, {escape(council_type_label(council_type))}: </span>'
    return f'<a class="{css}" href="{escape(page)}">{context}{shown}</a> ({status})'


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
