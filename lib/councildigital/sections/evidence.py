"""The evidence page: how many figures each source document gives, and each document's register."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from councildigital.data import published, sources
from councildigital.sections import formatting
from councildigital.sections.page import Table

REGISTER_COLUMNS = [
    "id",
    "section",
    "question",
    "item",
    "group",
    "value",
    "unit",
    "approximate",
    "quote",
]


@dataclass(frozen=True)
class Register:
    """What the page says about all the figures: its sentence, headline and table per document."""

    sentence: str
    headline: str
    table: Table


@dataclass(frozen=True)
class DocumentFigures:
    """One source document's figures, as the page lists them."""

    heading: str
    table: Table


def register(figures: pd.DataFrame) -> Register:
    """The count of figures per document, approximate ones and ones with a stated base."""
    counts = published.summary(figures)
    titles = {d.key: f"{d.citation} ({d.file})" for d in sources.DOCUMENTS}
    table = counts.rename(index=titles).rename_axis("Source document").reset_index()
    table.columns = ["Source document", "Figures", "Approximate", "With a stated base (n)"]
    return Register(
        sentence=(
            f"**{len(figures)} figures** from {len(counts) - 1} documents, "
            f"{int(figures['approximate'].sum())} of them approximate (verbal or hedged)."
        ),
        headline=f"{len(figures):,}",
        table=Table(table, "Figures transcribed per source document"),
    )


def _as_written(value: float, unit: str) -> str:
    """A figure in the register: money as '£1.5m' (not '1.5e+06'), others to six figures."""
    return formatting.amount(value, unit) if unit == "gbp" else f"{value:,.6g}"


def documents(figures: pd.DataFrame) -> Iterator[DocumentFigures]:
    """Each document with figures: its heading and citation, and its figures with their quotes."""
    for doc in sources.DOCUMENTS:
        rows = figures[figures["document"] == doc.key]
        if rows.empty:
            continue
        table = formatting.yes_no(rows[REGISTER_COLUMNS])
        yield DocumentFigures(
            heading=f"### {doc.title}\n\n{doc.citation}; source file `{doc.file}`.",
            table=Table(
                table.assign(
                    value=[
                        _as_written(v, u) for v, u in zip(rows["value"], rows["unit"], strict=True)
                    ]
                ),
                f"{doc.title}: {len(rows)} figures",
            ),
        )
