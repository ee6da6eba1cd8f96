"""The evidence page's results: the register's counts and each document's figures as shown."""

import pandas as pd
import pytest
from councildigital.data import published, sources, survey
from councildigital.sections import evidence


@pytest.fixture(scope="module")
def figures():
    return published.load_figures()


def test_the_register_counts_figures_per_document(figures):
    register = evidence.register(figures)
    assert register.headline == f"{len(figures):,}"
    table = register.table.frame
    assert register.table.caption == "Figures transcribed per source document"
    assert list(table.columns) == [
        "Source document",
        "Figures",
        "Approximate",
        "With a stated base (n)",
    ]
    lgc = table[table["Source document"] == sources.document("lgc2024").citation]
    assert lgc["Figures"].item() == (figures["document"] == "lgc2024").sum()
    assert table["Figures"].iloc[-1] == len(figures)  # the total row


FIGURES = pd.DataFrame(
    {
        "id": ["LGC24-0001", "LGC24-0002", "LDT13-0001"],
        "document": ["lgc2024", "lgc2024", "ldt2013"],
        "section": ["Highlights", "Highlights", "5.1 Barriers"],
        "question": ["has_vision", "legacy_spend", "barriers_to_digital"],
        "item": ["yes", "total", "legacy_systems:no"],
        "group": ["london_borough", "all", "councils"],
        "measure": ["share", "amount", "share_lower_bound"],
        "value": [66.67, 1234567.0, 4.0],
        "unit": ["percent", "gbp", "rank"],
        "base": [13.0, float("nan"), 178.0],
        "approximate": [True, False, False],
        "quote": ["two thirds <b>say</b>", "£1.2m", "four"],
    }
)


def test_each_document_lists_its_figures_quote_first_in_words_and_published_precision():
    shown = evidence.documents(FIGURES)
    assert [(d.key, len(d.table)) for d in shown] == [("lgc2024", 2), ("ldt2013", 1)]
    lgc = shown[0]
    assert lgc.citation.startswith("LGC and Hitachi Solutions (2024)")
    assert list(lgc.table.columns) == [name for name, _ in evidence.REGISTER_COLUMNS]
    assert lgc.table.columns[0] == "Quote"
    first = lgc.table.iloc[0].to_dict()
    assert first == {
        "Quote": "two thirds <b>say</b>",
        "Figure": "66.67%",
        "What it measures": "Has vision: yes (share)",
        "Group": "London borough",
        "Base (n)": "13",
        "Approximate": "yes",
        "Where in the document": "Highlights",
        "Figure id": "LGC24-0001",
    }
    assert lgc.table["Figure"].tolist() == ["66.67%", "£1.235m"]
    assert lgc.table["Group"].tolist() == ["London borough", "All respondents"]
    assert lgc.table["Base (n)"].tolist() == ["13", ""]
    ldt = shown[1].table.iloc[0]
    assert ldt["What it measures"] == "Barriers to digital: legacy systems: no (share lower bound)"
    assert ldt["Group"] == "Councils"
    assert ldt["Figure"] == "rank 4"


def test_no_code_reaches_the_reader():
    for document in evidence.documents(published.load_figures()):
        cells = document.table.astype(str)
        for column in ("What it measures", "Group", "Approximate"):
            assert not cells[column].str.contains("_").any(), (document.key, column)
        assert set(cells["Approximate"]) <= {"yes", "no"}
        assert not cells.isin(["True", "False"]).any().any()


def test_the_documents_block_lists_every_document_and_escapes_their_text():
    from conftest import HTMLPage, assert_inert

    shown = evidence.documents(FIGURES)
    html = evidence.register_html(shown)
    page = HTMLPage(html)
    assert_inert(page)
    assert page.attributes("a", "href")[:3] == ["#doc-lgc2024", "#doc-ldt2013", "#documents"]
    assert 'id="doc-lgc2024"' in html and 'id="documents"' in html
    assert "two thirds &lt;b&gt;say&lt;/b&gt;" in html
    assert page.text_of("th")[:2] == ["Quote", "Figure"]
    assert '<td data-label="Quote">' in html
    assert "000_43b7d811497cb89c" not in html  # documents by name, not by file


def test_codes_of_the_surveys_lists_read_as_their_labels():
    assert evidence.words("type_gap") == "type gap"
    assert evidence.words("prevention:generative_ai") == "prevention: generative AI"
    assert evidence.words("efficiency_productivity") == "efficiency and productivity"
    assert evidence.words("county") == "county council"
    assert evidence.words("london_borough") == "London borough"
    assert evidence.words(survey.ALL) == "all respondents"
    assert evidence.words("respondent_region:south_east") == "respondent region: South East"
    assert evidence.words("midlands") == "Midlands"


def test_the_main_points_count_the_register(figures):
    points = evidence.main_points(figures)
    total = len(figures)
    approximate = int(figures["approximate"].sum())
    assert points[0].startswith(f"{total:,} figures are transcribed from {len(sources.DOCUMENTS)}")
    most = figures["document"].value_counts()
    leader = sources.document(most.index[0]).citation
    assert points[1] == f"{leader} gives the most: {most.iloc[0]:,} figures."
    assert points[2].startswith(f"{approximate:,} figures ({approximate / total:.0%})")
    assert points[3].startswith(f"{int(figures['base'].notna().sum()):,} figures")


def test_each_document_offers_its_table_as_data_inside_its_block(monkeypatch):
    from conftest import HTMLPage
    from councildigital.sections import records
    from councildigital.sections.page import Page

    shown_outputs = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown_outputs.append(obj))
    page = Page("all", citation="", synthetic=False)
    evidence.show_documents(page, evidence.documents(FIGURES))
    data = [o for o in shown_outputs if isinstance(o, dict) and records.DATA_MIME in o]
    assert [set(o) for o in data] == [{records.DATA_MIME}] * 2  # no HTML of their own
    first = data[0][records.DATA_MIME]
    assert first["title"] == f"{sources.document('lgc2024').title}: the figures transcribed"
    assert first["columns"][0] == "Quote" and len(first["rows"]) == 2
    assert first["rows"][0][0] == "two thirds <b>say</b>"
    assert first["source"] == sources.document("lgc2024").citation
    html = shown_outputs[-1].data
    block = HTMLPage(html)
    csvs = [h for h in block.attributes("a", "href") if h.endswith(".csv")]
    assert csvs == [f"all.data/{d[records.DATA_MIME]['stem']}.csv" for d in data]
    assert html.index(csvs[0]) < html.index('id="doc-ldt2013"')  # under its own document
