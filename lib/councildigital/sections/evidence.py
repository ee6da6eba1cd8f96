"""The evidence page: how many figures each source document gives, and each document's register.

Each document's figures are one block of the page, quote first, under labelled headers, with a
list of the documents whose links show one document alone (CSS ``:target``: no script, no
server) or all of them again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import pandas as pd

from councildigital.data import published, sources, survey
from councildigital.sections import formatting
from councildigital.sections.page import Table

# The register's columns as a reader sees them, quote first: (header, what it holds).
REGISTER_COLUMNS = (
    ("Quote", "the document's own words"),
    ("Figure", "the figure as the document gives it"),
    ("What it measures", "question, item and measure"),
    ("Group", "whom the figure describes"),
    ("Base (n)", "respondents behind it, where the document states them"),
    ("Approximate", "yes where the document's words are verbal or hedged"),
    ("Where in the document", "the document's section"),
    ("Figure id", "the register's id, which the pages cite"),
)
UNIT_WORDS = {
    "percent": "%",
    "percentage_points": " points",
    "years": " years",
    "months": " months",
    "fte": " FTE",
}
ALL_DOCUMENTS = "documents"  # the id of the block of every document: its link shows them all


@dataclass(frozen=True)
class Register:
    """What the page says about all the figures: its sentence, headline and count table."""

    sentence: str
    headline: str
    table: Table


@dataclass(frozen=True)
class DocumentFigures:
    """One source document's figures, as the page lists them (cells as text)."""

    key: str
    title: str
    citation: str
    table: pd.DataFrame

    @property
    def anchor(self) -> str:
        return f"doc-{self.key}"


def register(figures: pd.DataFrame) -> Register:
    """The count of figures per document, approximate ones and ones with a stated base."""
    counts = published.summary(figures)
    names = {d.key: d.citation for d in sources.DOCUMENTS}
    table = counts.rename(index=names).rename_axis("Source document").reset_index()
    table.columns = ["Source document", "Figures", "Approximate", "With a stated base (n)"]
    return Register(
        sentence=(
            f"**{len(figures)} figures** from {len(counts) - 1} documents, "
            f"{int(figures['approximate'].sum())} of them approximate (verbal or hedged)."
        ),
        headline=f"{len(figures):,}",
        table=Table(table, "Figures transcribed per source document"),
    )


def words(code: str) -> str:
    """A code as words: 'legacy_systems:no' as 'legacy systems: no', council types by name."""
    if code in survey.codes(survey.COUNCIL_TYPES):
        return survey.label(survey.COUNCIL_TYPES, code)
    if code == survey.ALL:
        return "all respondents"
    return code.replace("_", " ").replace(":", ": ")


def as_written(value: float, unit: str) -> str:
    """A figure in the register: money as '£1.5m' (not '1.5e+06'), others to six figures, with
    its unit in words ('58%', '7 points', 'rank 2')."""
    if unit == "gbp":
        return formatting.amount(value, unit)
    number = f"{value:,.6g}"
    if unit == "rank":
        return f"rank {number}"
    return number + UNIT_WORDS.get(unit, "")


def _base(value: float) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:g}"


def documents(figures: pd.DataFrame) -> list[DocumentFigures]:
    """Each document with figures: its title and citation, and its figures with their quotes."""
    found = []
    for doc in sources.DOCUMENTS:
        rows = figures[figures["document"] == doc.key]
        if rows.empty:
            continue
        cells = {
            "Quote": rows["quote"].tolist(),
            "Figure": [as_written(v, u) for v, u in zip(rows["value"], rows["unit"], strict=True)],
            "What it measures": [
                f"{words(q)}: {words(i)} ({words(m)})"
                for q, i, m in zip(rows["question"], rows["item"], rows["measure"], strict=True)
            ],
            "Group": [words(g) for g in rows["group"]],
            "Base (n)": [_base(b) for b in rows["base"]],
            "Approximate": ["yes" if a else "no" for a in rows["approximate"]],
            "Where in the document": rows["section"].tolist(),
            "Figure id": rows["id"].tolist(),
        }
        found.append(DocumentFigures(doc.key, doc.title, doc.citation, pd.DataFrame(cells)))
    return found


def _table(document: DocumentFigures) -> str:
    headers = "".join(
        f'<th scope="col" title="{escape(about)}">{escape(name)}</th>'
        for name, about in REGISTER_COLUMNS
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f'<td data-label="{escape(name)}">{escape(str(value))}</td>'
            for name, value in zip(document.table.columns, row, strict=True)
        )
        + "</tr>\n"
        for row in document.table.itertuples(index=False)
    )
    return (
        f'<table class="cd-evidence-table">\n<caption class="cd-visually-hidden">'
        f"{escape(document.title)}: {len(document.table)} figures</caption>\n"
        f"<thead><tr>{headers}</tr></thead>\n"
        f"<tbody>\n{rows}</tbody>\n</table>"
    )


def register_html(shown: list[DocumentFigures]) -> str:
    """Every document's figures as one block of the page: a list of the documents (each link
    shows that document alone; the last shows them all), then each document's table."""
    links = "".join(
        f'<li><a href="#{d.anchor}">{escape(d.citation)}</a> ({len(d.table)} figures)</li>'
        for d in shown
    )
    blocks = "".join(
        f'<section class="cd-evidence-doc" id="{d.anchor}" aria-labelledby="{d.anchor}-title">\n'
        f'<h3 id="{d.anchor}-title">{escape(d.title)}</h3>\n<p>{escape(d.citation)}: '
        f'{len(d.table)} figures. <a href="#{ALL_DOCUMENTS}">Show every document</a></p>\n'
        f"{_table(d)}\n</section>\n"
        for d in shown
    )
    return (
        f'<div class="cd-evidence" id="{ALL_DOCUMENTS}">\n'
        '<nav class="cd-evidence-list" aria-label="Source documents">\n'
        "<p>Show the figures of one document:</p>\n"
        f'<ul>{links}<li><a href="#{ALL_DOCUMENTS}">Every document</a></li></ul>\n</nav>\n'
        f"{blocks}</div>"
    )


def show_documents(shown: list[DocumentFigures]) -> None:
    """Display the documents' block on the page."""
    from IPython.display import HTML, display

    display(HTML(register_html(shown)))
