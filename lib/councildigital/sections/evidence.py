"""The evidence page: how many figures each source document gives, and each document's register.

Each document's figures are one block of the page, quote first, under labelled headers, with a
list of the documents whose links show one document alone (CSS ``:target``: no script, no
server) or all of them again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import pandas as pd

from councildigital.data import published, sources, survey
from councildigital.sections import formatting
from councildigital.sections.page import Page, Table

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
    """What the page says about all the figures: its headline and count table."""

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
        headline=f"{len(figures):,}",
        table=Table(table, "Figures transcribed per source document"),
    )


# The survey's vocabularies whose codes the register names: a code as its label.
LABELLED = (
    survey.COUNCIL_TYPES,
    survey.THEMES,
    survey.DIGITAL_TYPES,
    survey.BARRIERS,
    survey.REGIONS,
    survey.ROLES,
)


def words(code: str) -> str:
    """A code as words: 'legacy_systems:no' as 'legacy systems: no', and a code of the
    survey's own lists by its label ('type_gap:prevention:generative_ai' as 'type gap:
    prevention: generative AI')."""
    if code == survey.ALL:
        return "all respondents"
    return ": ".join(_word(part) for part in code.split(":"))


def _word(code: str) -> str:
    for items in LABELLED:
        if code in survey.codes(items):
            label = survey.label(items, code)
            return label if items is survey.REGIONS else survey.in_sentence(label)  # proper names
    return code.replace("_", " ")


def described(question: str, item: str, detail: str) -> str:
    """A figure's question and item, then ``detail`` in brackets (its measure in the
    register, its group elsewhere), in words, as a sentence starts."""
    text = f"{words(question)}: {words(item)} ({words(detail)})"
    return text[:1].upper() + text[1:]


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
                described(q, i, m)
                for q, i, m in zip(rows["question"], rows["item"], rows["measure"], strict=True)
            ],
            "Group": [words(g)[:1].upper() + words(g)[1:] for g in rows["group"]],
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


def register_html(shown: list[DocumentFigures], links: Sequence[str] = ()) -> str:
    """Every document's figures as one block of the page: a list of the documents (each link
    shows that document alone; the last shows them all), then each document's table, and
    under it ``links`` (HTML: that table's data files), one per document, in order."""
    links_after = list(links) or [""] * len(shown)
    if len(links_after) != len(shown):
        raise ValueError(f"{len(links_after)} sets of data links for {len(shown)} documents")
    menu = "".join(
        f'<li><a href="#{d.anchor}">{escape(d.citation)}</a> ({len(d.table)} figures)</li>'
        for d in shown
    )
    blocks = "".join(
        f'<section class="cd-evidence-doc" id="{d.anchor}" aria-labelledby="{d.anchor}-title">\n'
        f'<h3 id="{d.anchor}-title">{escape(d.title)}</h3>\n<p>{escape(d.citation)}: '
        f'{len(d.table)} figures. <a href="#{ALL_DOCUMENTS}">Show every document</a></p>\n'
        f"{_table(d)}\n{after}</section>\n"
        for d, after in zip(shown, links_after, strict=True)
    )
    return (
        f'<div class="cd-evidence" id="{ALL_DOCUMENTS}">\n'
        '<nav class="cd-evidence-list" aria-label="Source documents">\n'
        "<p>Show the figures of one document:</p>\n"
        f'<ul>{menu}<li><a href="#{ALL_DOCUMENTS}">Every document</a></li></ul>\n</nav>\n'
        f"{blocks}</div>"
    )


def document_table(document: DocumentFigures) -> Table:
    """A document's figures as a table of the page, for its data files."""
    return Table(document.table, f"{document.title}: the figures transcribed")


def show_documents(page: Page, shown: list[DocumentFigures]) -> None:
    """Display the documents' block on the page, each document's table with its data files
    (a CSV each, in the page's spreadsheet too)."""
    from IPython.display import HTML, display

    links = [page.data_links(document_table(d), source=d.citation) for d in shown]
    display(HTML(register_html(shown, links)))


def main_points(figures: pd.DataFrame) -> list[str]:
    """The page's main points: how many figures, from which documents, how many approximate
    or with a stated base, and the document that gives most."""
    counts = published.summary(figures).drop(index="total")
    names = {d.key: d.citation for d in sources.DOCUMENTS}
    most = counts["figures"].idxmax()
    total = len(figures)
    approximate = int(figures["approximate"].sum())
    with_base = int(figures["base"].notna().sum())
    return [
        f"{total:,} figures are transcribed from {len(counts)} source documents, each with "
        "the words it rests on.",
        f"{names[most]} gives the most: {int(counts.loc[most, 'figures']):,} figures.",
        f"{approximate:,} figures ({approximate / total:.0%}) are approximate: the document "
        "gives them in words or hedges them.",
        f"{with_base:,} figures ({with_base / total:.0%}) state the number of respondents "
        "behind them.",
    ]
