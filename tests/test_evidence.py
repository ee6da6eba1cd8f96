"""The evidence page's results: the register's counts and each document's figures as shown."""

import pandas as pd
import pytest
from councildigital.data import published, sources
from councildigital.sections import evidence


@pytest.fixture(scope="module")
def figures():
    return published.load_figures()


def test_the_register_counts_figures_per_document(figures):
    register = evidence.register(figures)
    assert register.sentence == (
        f"**{len(figures)} figures** from {len(sources.DOCUMENTS)} documents, "
        f"{int(figures['approximate'].sum())} of them approximate (verbal or hedged)."
    )
    assert register.headline == f"{len(figures):,}"
    table = register.table.frame
    assert register.table.caption == "Figures transcribed per source document"
    assert list(table.columns) == [
        "Source document",
        "Figures",
        "Approximate",
        "With a stated base (n)",
    ]
    lgc = table[table["Source document"].str.startswith("LGC and Hitachi Solutions (2024), survey")]
    assert lgc["Figures"].item() == (figures["document"] == "lgc2024").sum()
    assert table["Figures"].iloc[-1] == len(figures)  # the total row


def test_each_document_lists_its_figures_with_yes_no_and_published_precision():
    figures = pd.DataFrame(
        {
            "id": ["LGC24-0001", "LGC24-0002", "LDT13-0001"],
            "document": ["lgc2024", "lgc2024", "ldt2013"],
            "section": ["s", "s", "t"],
            "question": ["q", "q", "r"],
            "item": ["a", "b", "c"],
            "group": ["all"] * 3,
            "value": [66.67, 1234567.0, 4.0],
            "unit": ["percent", "gbp", "count"],
            "approximate": [True, False, False],
            "quote": ["two thirds", "£1.2m", "four"],
        }
    )
    shown = list(evidence.documents(figures))
    assert [d.table.caption.split(": ")[-1] for d in shown] == ["2 figures", "1 figures"]
    lgc = shown[0]
    assert lgc.heading.startswith("### ") and "`000_" in lgc.heading
    assert lgc.table.frame["value"].tolist() == ["66.67", "£1.235m"]
    assert lgc.table.frame["approximate"].tolist() == ["yes", "no"]
    assert list(lgc.table.frame.columns) == evidence.REGISTER_COLUMNS
