"""The page object (sections.page): whom a page describes, and how it shows text, tables, charts.

Pages are loaded from the embedded synthetic data (78 respondents: 20 county, 6 Welsh
councils) for everyone, a mid-size type and a type below the minimum base of 10.
What a page displays is caught by replacing IPython's ``display`` (conftest.displayed).
"""

import matplotlib

matplotlib.use("Agg")

import base64
from dataclasses import replace

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from conftest import HTMLPage
from councildigital.data import microdata
from councildigital.sections import estimates, plots, records
from councildigital.sections import page as pages
from councildigital.sections.records import DATA_MIME, HEADLINE_MIME, PROVENANCE_MIME
from IPython.display import HTML, Markdown

DATA_LABEL = f" {plots.SYNTHETIC_LABEL}."
MICRODATA_LABEL = (
    "SYNTHETIC DATA: a reconstruction matching the published LGC 2024 figures, "
    "not the survey's real responses"
)
SYNTHETIC_LABEL_MARKDOWN = (
    "SYNTHETIC DATA\\: a reconstruction matching the published LGC 2024 figures, not the "
    "survey's real responses"
)


@pytest.fixture(scope="module")
def page():
    """Pages by council type and weighting: page[("county", "none")]."""
    return {
        (council_type, weighting): pages.load_page(council_type, weighting=weighting)
        for council_type in ("all", "county", "wales")
        for weighting in ("none", "council_type")
    }


# --- whom the page describes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "council_type, n, shown, label, too_small, scope, who",
    [
        ("all", 78, 78, "All respondents", False, "All respondents", "All respondents"),
        (
            "county",
            20,
            20,
            "County council",
            False,
            "County council respondents",
            "County council respondents",
        ),
        (
            "wales",
            6,
            78,
            "Welsh council",
            True,
            "All respondents (for context: Welsh council, n = 6, is too few)",
            "All respondents",
        ),
    ],
)
def test_whom_the_page_describes(page, council_type, n, shown, label, too_small, scope, who):
    p = page[(council_type, "none")]
    assert p.n == n
    assert len(p.frame) == n
    assert len(p.shown) == shown
    assert len(p.all) == 78
    assert p.label == label
    assert p.too_small is too_small
    assert p.is_all is (council_type == "all")
    assert p.scope == scope
    assert p.who == who
    assert p.min_base == 10
    if council_type != "all":
        assert set(p.frame["council_type"]) == {council_type}


def test_the_shown_respondents_are_the_type_or_everyone_if_too_few(page):
    assert page[("county", "none")].shown.index.equals(page[("county", "none")].frame.index)
    assert page[("wales", "none")].shown.index.equals(page[("all", "none")].all.index)


def test_a_minimum_base_above_the_types_n_makes_it_too_small():
    county = pages.load_page("county", min_base=21)
    assert county.too_small
    assert county.scope == "All respondents (for context: County council, n = 20, is too few)"
    assert county.too_small_value() == "not shown: n = 20, below the minimum of 21"
    assert not pages.load_page("county", min_base=20).too_small


def test_synthetic_data_is_labelled_on_captions_and_sources(page):
    for p in page.values():
        assert p.synthetic
        assert p.data_label == DATA_LABEL
        assert p.source() == (
            f"LGC and Hitachi Solutions (2024) survey of 78 UK council respondents. "
            f"{MICRODATA_LABEL}"
        )
        assert p.microdata.label == MICRODATA_LABEL


def test_only_everyone_is_weighted_and_only_when_asked(page):
    assert page[("all", "council_type")].weighted
    for key in [("all", "none"), ("county", "none"), ("county", "council_type")]:
        assert not page[key].weighted, key
    assert not page[("wales", "council_type")].weighted
    assert page[("all", "none")].weights is None
    assert page[("all", "none")].poststratification is None
    weights = page[("county", "council_type")].weights
    assert len(weights) == 78
    county = page[("all", "none")].all["council_type"] == "county"
    assert weights[county].nunique() == 1  # one weight per type
    assert weights[county].iloc[0] == pytest.approx(0.215526, abs=1e-6)


def test_estimates_use_the_weights_on_the_page_for_everyone_only(page):
    everyone = page[("all", "council_type")]
    assert everyone.estimate_weights is everyone.weights
    # A type's page, and a too-small type's figures for everyone shown for context, are unweighted.
    for key in [("county", "council_type"), ("wales", "council_type"), ("all", "none")]:
        assert page[key].estimate_weights is None, key


def test_council_type_weights_are_post_stratified_to_the_councils_of_each_type(page):
    post = pages.council_type_weights(page[("all", "none")].all)
    assert post.design_effect == pytest.approx(1.967, abs=0.001)
    assert post.n_eff == pytest.approx(39.65, abs=0.01)
    assert post.unrepresented == ("other",)
    assert post.weights.sum() == pytest.approx(78)


# --- the one-line notice, and the closing strengths and limitations ---------------------------


CAVEAT = (
    "**What the intervals cover:** the 78 respondents chose to answer and are individuals, not "
    "councils; one council may have several. The 95% intervals and tests allow for sampling "
    "error as if the respondents were a simple random sample, each independent of the others. "
    "They do not allow for who chose to respond, for respondents from the same council, or the "
    "reconstruction: in this synthetic data, answers the report does not publish are set by its "
    "assumptions."
)


@pytest.mark.parametrize(
    "council_type, weighting, notice",
    [
        ("all", "none", "all 78 respondents · synthetic data · unweighted"),
        (
            "all",
            "council_type",
            "all 78 respondents · synthetic data · weighted to the councils of each type "
            "(effective n = 40)",
        ),
        (
            "county",
            "none",
            "County council respondents, n = 20 of 78 · synthetic data · unweighted",
        ),
        (
            "county",
            "council_type",
            "County council respondents, n = 20 of 78 · synthetic data · unweighted (weights "
            "apply to the page for all respondents)",
        ),
        (
            "wales",
            "none",
            "shows all 78 respondents for context: too few Welsh council respondents (n = 6, "
            "below 10) · synthetic data · unweighted",
        ),
    ],
)
def test_the_notice_is_one_line_of_scope_data_and_weighting(page, council_type, weighting, notice):
    shown = page[(council_type, weighting)].notice()
    assert shown == f"**On this page:** {notice}."
    assert "\n" not in shown


def test_the_notice_of_real_data_names_the_file(tmp_path):
    mine = tmp_path / "my_[data].csv"
    text = microdata.DEFAULT_PATH.read_text(encoding="utf-8")
    mine.write_text(text.replace(microdata.SYNTHETIC_PREFIX, "R-"), encoding="utf-8")
    assert pages.load_page("all", str(mine)).notice() == (
        "**On this page:** all 78 respondents · data from my\\_\\[data\\]\\.csv · unweighted."
    )


def test_strengths_and_limitations_give_sample_data_weighting_comparability_and_statuses(page):
    p = replace(page[("county", "council_type")])
    shown = [
        estimates.Estimate("a", "county", 1.0, evidence="published", figure_id="X"),
        estimates.Estimate("b", "county", 2.0, evidence="assumed"),
        estimates.Estimate("c", "county", 3.0, evidence="assumed"),
    ]
    p._record(tuple(shown))
    p._record((shown[0],))  # shown again (a chart and its table): counted once
    text = p.strengths_and_limitations("Compare *with care*.")
    parts = text.split("\n\n")
    assert parts[0] == f"**Sample.** County council: n = 20 of 78 respondents. {CAVEAT}"
    assert parts[1].startswith(f"**Synthetic data.** {SYNTHETIC_LABEL_MARKDOWN}. The 78 made-up")
    assert parts[2].startswith("**Weighting:** within one council type every respondent")
    assert parts[3] == "**Comparability.** Compare *with care*."
    assert parts[4] == estimates.LEGEND
    assert parts[5] == ("**Estimates on this page:** 3: 1 published, 2 illustrative (assumed).")


def test_strengths_and_limitations_of_a_too_small_type_say_what_it_shows(page):
    text = replace(page[("wales", "none")]).strengths_and_limitations("C.")
    assert text.startswith(
        "**Sample.** Welsh council: n = 6 of 78 respondents. That is below the minimum base of "
        "10, so the figures shown are for all respondents, for context only."
    )
    assert "**Weighting:** none; every respondent counts once" in text
    assert text.endswith("**Evidence.** The figures on this page are the source documents' own.")


# --- parameters checked, provenance recorded ---------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"council_type": "parish"}, "unknown council type 'parish'; expected one of all, county"),
        ({"weighting": "heavy"}, "unknown weighting 'heavy'; expected one of none, council_type"),
        ({"min_base": 0}, "min_base must be a whole number of respondents >= 1; got 0"),
        ({"min_base": 2.5}, "min_base must be a whole number of respondents >= 1; got 2.5"),
        ({"min_base": True}, "min_base must be a whole number of respondents >= 1; got True"),
    ],
)
def test_bad_parameters_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        pages.load_page(**kwargs)


def test_load_page_records_the_datas_provenance(displayed):
    pages.load_page("county")
    [(record, options), (roles, _)] = displayed
    assert options == {"raw": True}
    # And, for the run's audit file, the roles no page shows: the 8 chief executives too.
    rows = roles[records.WITHHELD_MIME]["rows"]
    assert {r["table"] for r in rows} == {"Respondent's role (shown on no page)"}
    chief = [r for r in rows if r["row"] == "Chief executive or managing director"]
    assert [(r["column"], r["rule"]) for r in chief] == [
        ("by council type", "primary"),
        ("by region", "primary"),
    ]
    assert chief[0]["reason"].startswith("4 of its 4 council type cells have a base below")
    assert record == {
        PROVENANCE_MIME: {
            "description": MICRODATA_LABEL,
            "synthetic": True,
            "sha256": microdata.load_microdata().sha256,
        }
    }


def test_published_page_checks_the_council_type_and_records_its_provenance(displayed):
    with pytest.raises(ValueError, match="unknown council type 'parish'"):
        pages.published_page("parish", description="Published figures", citation="A report")
    assert displayed == []  # refused before anything is shown
    p = pages.published_page("wales", description="Published figures", citation="A report")
    assert displayed == [
        (
            {
                PROVENANCE_MIME: {
                    "description": "Published figures",
                    "synthetic": False,
                    "sha256": None,
                }
            },
            {"raw": True},
        )
    ]
    assert (p.label, p.is_all, p.too_small, p.data_label) == ("Welsh council", False, False, "")
    assert p.source() == "A report"
    assert pages.published_page("all", description="d", citation="c").label == "All respondents"


# --- say, show, chart, headline ----------------------------------------------------------------


def test_say_displays_markdown(page, displayed):
    page[("county", "none")].say("**County** councils: 58%")
    [(shown, options)] = displayed
    assert isinstance(shown, Markdown)
    assert (shown.data, options) == ("**County** councils: 58%", {})


TABLE = pd.DataFrame({"Theme": ["Place making", "Growth"], "Share": ["58%", "4.5 (4.2 to 5.0)"]})


@pytest.mark.parametrize(
    "base, caption",
    [
        (20, f"Shares by theme. Base: n = 20.{DATA_LABEL}"),
        ("20 of 78 (weighted)", f"Shares by theme. Base: 20 of 78 (weighted).{DATA_LABEL}"),
        (None, "Shares by theme"),
    ],
)
def test_show_displays_the_table_as_it_is_with_its_caption_and_base(page, displayed, base, caption):
    page[("county", "none")].show(pages.Table(TABLE, "Shares by theme", base))
    [(shown, _), _links] = displayed
    assert isinstance(shown, HTML)
    table = HTMLPage(shown.data)
    assert table.text_of("caption") == [caption]
    assert table.text_of("th") == ["Theme", "Share"]
    assert table.text_of("td") == ["Place making", "58%", "Growth", "4.5 (4.2 to 5.0)"]


def test_show_on_published_figures_has_no_data_label(displayed):
    p = pages.published_page("county", description="d", citation="c")
    displayed.clear()
    p.show(pages.Table(TABLE, "Figures", 78))
    assert HTMLPage(displayed[0][0].data).text_of("caption") == ["Figures. Base: n = 78."]
    assert displayed[1][0][DATA_MIME]["data_label"] == records.REAL_DATA_LABEL


# --- the data behind every table and chart -----------------------------------------------------


def data_of(displayed) -> list[tuple[dict, HTMLPage]]:
    """The data records displayed, each with the HTML shown beside it."""
    return [
        (shown[DATA_MIME], HTMLPage(shown["text/html"]))
        for shown, options in displayed
        if isinstance(shown, dict) and DATA_MIME in shown and options == {"raw": True}
    ]


def test_a_table_offers_its_cells_as_shown_with_links_to_its_csv_and_the_pages_spreadsheet(
    page, displayed
):
    p = replace(page[("county", "none")])
    table = TABLE.assign(n=[20, 18], Mean=[4.25, float("nan")])
    p.show(pages.Table(table, "Shares by theme: <all>", 20))
    [(record, html)] = data_of(displayed)
    assert record == {
        "stem": "table-01-shares-by-theme-all",
        "kind": "table",
        "title": "Shares by theme: <all>",
        "columns": ["Theme", "Share", "n", "Mean"],
        "rows": [["Place making", "58%", 20, 4.25], ["Growth", "4.5 (4.2 to 5.0)", 18, ""]],
        "base": "n = 20",
        "source": p.source(),
        "data_label": plots.SYNTHETIC_LABEL,
        "council_type": "county",
    }
    assert html.attributes("a", "href") == [
        "county.data/table-01-shares-by-theme-all.csv",
        "county.ods",
    ]


def test_a_chart_offers_its_frames_numbers_as_a_collapsed_table_and_files(
    page, displayed, shown_figures
):
    p = replace(page[("wales", "none")])
    frame = pd.DataFrame({"row": ["A & B", "C"], "estimate": [61.538461, 40.0], "n": [13, 10]})
    _, ax = plt.subplots()
    p.chart(ax, pages.Chart(frame, "Most say <yes>", "x", "y", n=78))
    p.chart(ax, pages.Chart(None, "Drawn from elsewhere", "x", "y"))
    p.show(pages.Table(TABLE, "After", None))
    [(chart, html), (table, _)] = data_of(displayed)
    assert chart["stem"] == "chart-01-most-say-yes"
    assert chart["rows"] == [["A & B", 61.5385, 13], ["C", 40.0, 10]]
    assert chart["base"] == "n = 78"
    assert table["stem"] == "table-02-after" and table["base"] == ""
    assert html.text_of("summary") == [pages.CHART_NUMBERS]
    assert html.text_of("caption") == ["Most say <yes>"]
    assert html.text_of("th") == ["row", "estimate", "n"]
    assert html.text_of("td") == ["A & B", "61.5385", "13", "C", "40", "10"]
    assert html.attributes("a", "href") == ["wales.data/chart-01-most-say-yes.csv", "wales.ods"]


def test_file_stems_are_numbered_in_page_order_and_cut_at_a_word(page, displayed):
    p = replace(page[("all", "none")])
    long = "A title " + "that keeps going " * 6
    for caption in ("First", long, "£ 100%!"):
        p.show(pages.Table(TABLE, caption))
    stems = [record["stem"] for record, _ in data_of(displayed)]
    assert stems == [
        "table-01-first",
        "table-02-a-title-that-keeps-going-that-keeps-going-that",
        "table-03-100",
    ]
    assert all(len(stem.split("-", 2)[2]) <= 48 for stem in stems)
    replace(p).show(pages.Table(TABLE, "First"))  # a page of its own starts again at 1
    assert data_of(displayed)[-1][0]["stem"] == "table-01-first"


# --- main points -------------------------------------------------------------------------------


def stated(value: float, evidence: str) -> estimates.Estimate:
    return estimates.Estimate(
        "s",
        "all",
        value,
        evidence=evidence,
        figure_id="LGC24-0014" if evidence == "published" else "",
    )


def test_main_points_are_one_block_ranked_marked_and_without_illustrative_ones(page, displayed):
    points = [
        pages.MainPoint("Most have a <vision>.", (stated(79, "published"),)),
        pages.MainPoint("An assumed share.", (stated(40, "assumed"),)),
        pages.MainPoint("A gap.", (stated(31, "bounded"), stated(20, "published"))),
        "A published figure only.",
        *[pages.MainPoint(f"Point {i}.", (stated(i, "bounded"),)) for i in range(5)],
    ]
    page[("all", "none")].main_points(points)
    [(shown, _)] = displayed
    assert isinstance(shown, HTML)
    assert shown.data.startswith(
        '<section class="cd-main-points" aria-labelledby="main-points"><h2 id="main-points">'
        "Main points"
    )
    assert shown.data.endswith("</ol></section>")
    html = HTMLPage(shown.data)
    assert html.text_of("h2") == ["Main points¶"]
    assert html.text_of("li") == [
        "Most have a <vision>. ● (published)",
        "A gap. ◐ (bounded)",
        "A published figure only.",
        "Point 0. ◐ (bounded)",
        "Point 1. ◐ (bounded)",
        "Point 2. ◐ (bounded)",
    ]
    assert "&lt;vision&gt;" in shown.data


def test_a_page_without_a_finding_says_so_in_its_main_points(page, displayed):
    page[("county", "none")].main_points([pages.MainPoint("Assumed.", (stated(1, "assumed"),))])
    html = HTMLPage(displayed[0][0].data)
    assert html.text_of("li") == []
    assert html.text_of("p") == [pages.NO_MAIN_POINTS]


@pytest.fixture
def shown_figures(displayed):
    """The chart images the page shows, each as (PNG bytes, its metadata), in order."""
    yield lambda: [
        (base64.b64decode(shown["image/png"]), options["metadata"]["image/png"])
        for shown, options in displayed
        if isinstance(shown, dict) and "image/png" in shown
    ]
    plt.close("all")


def footer_of(fig) -> str:
    [footer] = [t.get_text() for t in fig.texts if t is not fig._suptitle]
    return footer


def test_chart_finishes_and_shows_the_figure(page, shown_figures):
    fig, ax = plt.subplots()
    title = "Share of respondents who say digital could help their council a great deal, by theme"
    page[("county", "none")].chart(
        ax, pages.Chart(None, title, "Share (%)", "Theme", n=20, wrap=40)
    )
    [(png, metadata)] = shown_figures()
    assert png.startswith(b"\x89PNG") and not plt.fignum_exists(fig.number)  # shown once, closed
    assert metadata["alt"].startswith("Chart: Share of respondents who say digital")
    assert fig.get_suptitle() == (
        "Share of respondents who say digital\ncould help their council a great deal,\nby theme"
    )
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Share (%)", "Theme")
    # The footer is wrapped to the figure's width once, when written (plots.footer).
    assert footer_of(fig).startswith("Base: n = 20\nSource: LGC")
    assert " ".join(footer_of(fig).split()) == (
        "Base: n = 20 Source: LGC and Hitachi Solutions (2024) survey of 78 UK council "
        f"respondents. {MICRODATA_LABEL}"
    )


def test_chart_with_its_own_source_and_assumed_inputs(shown_figures):
    p = pages.published_page("all", description="d", citation="Future Councils pilot report")
    fig, ax = plt.subplots()
    p.chart(ax, pages.Chart(None, "Costs", "£", "", assumed="IT spend"))
    assert footer_of(fig) == "ASSUMED INPUTS: IT spend\nSource: Future Councils pilot report"
    fig, ax = plt.subplots()
    p.chart(ax, pages.Chart(None, "Costs", "£", "", n="3 councils", source="Own figures"))
    assert footer_of(fig) == "Base: n = 3 councils\nSource: Own figures"
    assert fig.get_suptitle() == "Costs"


def test_synthetic_charts_say_so_once(page, shown_figures):
    fig, ax = plt.subplots()
    page[("all", "none")].chart(ax, pages.Chart(None, "T", "x", "y", source="Own source"))
    assert footer_of(fig) == f"{plots.SYNTHETIC_LABEL}\nSource: Own source"


def test_a_chart_of_published_figures_on_a_synthetic_page_has_no_data_label(page, shown_figures):
    fig, ax = plt.subplots()
    chart = pages.Chart(None, "A long title that stays on one line", "x", "y", wrap=None)
    page[("all", "none")].chart(ax, replace(chart, source="The report", synthetic=False))
    assert footer_of(fig) == "Source: The report"
    assert fig.get_suptitle() == "A long title that stays on one line"


@pytest.mark.parametrize(
    "council_type, value",
    [
        ("all", "79%"),
        ("county", "79%"),
        ("wales", "not shown: n = 6, below the minimum of 10"),
    ],
)
def test_headline_records_the_figure_or_why_it_is_not_shown(page, displayed, council_type, value):
    stated = estimates.Estimate(
        "Has a strategic vision (% yes)",
        "all",
        79.0,
        evidence="published",
        identification="published",
        figure_id="LGC24-0014",
    )
    page[(council_type, "none")].headline("Have a strategic vision", "79%", stated)
    record = {"label": "Have a strategic vision", "value": value}
    if council_type != "wales":
        record |= {"evidence": "published", "figure_id": "LGC24-0014"}
    assert displayed == [({HEADLINE_MIME: record}, {"raw": True})]


def test_a_published_page_always_records_its_headline(displayed):
    p = pages.published_page("wales", description="d", citation="c")
    displayed.clear()
    p.headline("Councils", "22")
    assert displayed == [({HEADLINE_MIME: {"label": "Councils", "value": "22"}}, {"raw": True})]


# --- the published figures beside the data ---------------------------------------------------


def test_reproduces_the_report_lists_each_figure_of_the_questions(page):
    table = pages.reproduces_the_report(page[("county", "none")], ("has_vision",))
    assert table.columns.tolist() == [
        "id",
        "question",
        "item",
        "group",
        "measure",
        "published",
        "computed from data",
        "difference",
        "tolerance",
        "within tolerance",
    ]
    assert len(table) == 7
    assert set(table["question"]) == {"has_vision"}
    vision = table.set_index("id").loc["LGC24-0014"]
    assert (vision["group"], vision["published"]) == ("all", 79.0)
    assert vision["computed from data"] == pytest.approx(62 / 78 * 100)
    assert vision["tolerance"] == "+/- 0.5"
    county = table.set_index("id").loc["LGC24-0017"]
    assert (county["group"], county["published"], county["computed from data"]) == (
        "county",
        85.0,
        85.0,
    )
    assert table["within tolerance"].all()


def test_the_design_caveat_of_real_data_does_not_mention_the_reconstruction(tmp_path):
    mine = tmp_path / "mine.csv"
    # Respondent ids without the synthetic prefix: a researcher's own file.
    text = microdata.DEFAULT_PATH.read_text(encoding="utf-8")
    mine.write_text(text.replace(microdata.SYNTHETIC_PREFIX, "R-"), encoding="utf-8")
    caveat = pages.load_page("all", str(mine)).design_caveat()
    assert caveat.endswith("for who chose to respond, for respondents from the same council.")
    assert "reconstruction" not in caveat


def test_free_text_answers_are_shown_only_when_the_parameter_asks(tmp_path, displayed):
    frame = pd.read_csv(microdata.DEFAULT_PATH, dtype=str, keep_default_na=False)
    frame["respondent_id"] = [f"R{i}" for i in range(len(frame))]
    frame["comments"] = ["<script>alert(1)</script> too slow" if i == 3 else "" for i in range(78)]
    path = tmp_path / "comments.csv"
    frame.to_csv(path, index=False)
    assert pages.load_page("all", str(path)).free_text() is None
    assert pages.load_page("all", show_free_text=True).free_text() is None  # none in the data
    with pytest.raises(ValueError, match="show_free_text must be True or False"):
        pages.load_page("all", str(path), show_free_text="yes")
    shown = pages.load_page("all", str(path), show_free_text=True)
    table = shown.free_text()
    assert table.frame.to_dict("list") == {"comments": ["<script>alert(1)</script> too slow"]}
    assert "respondent_id" not in table.frame
    shown.show(table)
    html = [o.data for o, _ in displayed if hasattr(o, "data") and "too slow" in str(o.data)]
    assert len(html) == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt; too slow" in html[0]
    assert "<script>" not in html[0]
