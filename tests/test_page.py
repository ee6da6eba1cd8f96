"""The page object (sections.page): whom a page describes, and how it shows text, tables, charts.

Pages are loaded from the embedded synthetic data (78 respondents: 20 county, 6 Welsh
councils) for everyone, a mid-size type and a type below the minimum base of 10.
What a page displays is caught by replacing IPython's ``display`` (conftest.displayed).
"""

import matplotlib

matplotlib.use("Agg")

from dataclasses import replace

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from conftest import HTMLPage
from councildigital.data import microdata
from councildigital.sections import estimates, plots
from councildigital.sections import page as pages
from councildigital.sections.records import HEADLINE_MIME, PROVENANCE_MIME
from IPython.display import HTML, Markdown

DATA_LABEL = f" {plots.SYNTHETIC_LABEL}."
MICRODATA_LABEL = (
    "SYNTHETIC DATA: a reconstruction matching the published LGC 2024 figures, "
    "not the survey's real responses"
)
SYNTHETIC_NOTICE = (
    "**SYNTHETIC DATA\\: a reconstruction matching the published LGC 2024 figures, not the "
    "survey's real responses.** Every chart and table below says so too."
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


# --- the notice at the top of the page ---------------------------------------------------------


CAVEAT = (
    "**What the intervals cover:** the 78 respondents chose to answer and are individuals, not "
    "councils; one council may have several. The 95% intervals and tests allow for sampling "
    "error as if the respondents were a simple random sample, each independent of the others. "
    "They do not allow for who chose to respond, for respondents from the same council, or the "
    "reconstruction: in this synthetic data, answers the report does not publish are set by its "
    "assumptions."
)
# The notice ends with the caveat, then what the marks beside each number mean.
ENDING = f"{CAVEAT}\n\n{estimates.LEGEND}"


def test_notice_for_everyone(page):
    assert page[("all", "none")].notice() == (
        f"{SYNTHETIC_NOTICE}\n\n**Respondents on this page:** All respondents, n = 78 of 78."
        f"\n\n{ENDING}"
    )
    assert page[("all", "council_type")].notice() == (
        f"{SYNTHETIC_NOTICE}\n\n**Respondents on this page:** All respondents, n = 78 of 78.\n\n"
        "**Weighting:** post-stratified to the number of councils of each type in Great Britain "
        "(Kish design effect 1.97, effective n = 40); unweighted figures are shown beside "
        f"weighted ones.\n\n{ENDING}"
    )


def test_notice_for_a_council_type(page):
    assert page[("county", "none")].notice() == (
        f"{SYNTHETIC_NOTICE}\n\n**Respondents on this page:** County council, n = 20 of 78."
        f"\n\n{ENDING}"
    )
    assert (
        page[("county", "council_type")]
        .notice()
        .endswith(
            "**Weighting:** within one council type every respondent has the same weight, so "
            f"weighted and unweighted figures are the same on this page.\n\n{ENDING}"
        )
    )


def test_notice_for_a_council_type_with_too_few_respondents(page):
    assert page[("wales", "none")].notice() == (
        f"{SYNTHETIC_NOTICE}\n\n**Respondents on this page:** Welsh council, n = 6 of 78.\n\n"
        "**Too few respondents to show estimates for this council type:** n = 6, below the "
        f"minimum base of 10. Figures for all respondents are shown for context only.\n\n{ENDING}"
    )
    assert (
        "**Weighting:** applies on the page for all respondents; the figures for all respondents "
        "shown here for context are unweighted."
    ) in page[("wales", "council_type")].notice()


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
    [(record, options)] = displayed
    assert options == {"raw": True}
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
    [(shown, _)] = displayed
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


@pytest.fixture
def shown_figures(monkeypatch):
    """Figures the page shows (plt.show), closed after the test."""
    figures = []
    monkeypatch.setattr(plt, "show", lambda: figures.append(plt.gcf()))
    yield figures
    plt.close("all")


def test_chart_finishes_and_shows_the_figure(page, shown_figures):
    fig, ax = plt.subplots()
    title = "Share of respondents who say digital could help their council a great deal, by theme"
    page[("county", "none")].chart(
        ax, pages.Chart(None, title, "Share (%)", "Theme", n=20, wrap=40)
    )
    assert shown_figures == [fig]
    assert ax.get_title() == (
        "Share of respondents who say digital\ncould help their council a great deal,\nby theme"
    )
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Share (%)", "Theme")
    [footer] = [t.get_text() for t in fig.texts]
    assert footer == (
        "Base: n = 20\nSource: LGC and Hitachi Solutions (2024) survey of 78 UK council "
        f"respondents. {MICRODATA_LABEL}"
    )


def test_chart_with_its_own_source_and_assumed_inputs(shown_figures):
    p = pages.published_page("all", description="d", citation="Future Councils pilot report")
    fig, ax = plt.subplots()
    p.chart(ax, pages.Chart(None, "Costs", "£", "", assumed="IT spend"))
    [footer] = [t.get_text() for t in fig.texts]
    assert footer == "ASSUMED INPUTS: IT spend\nSource: Future Councils pilot report"
    fig, ax = plt.subplots()
    p.chart(ax, pages.Chart(None, "Costs", "£", "", n="3 councils", source="Own figures"))
    assert fig.texts[0].get_text() == "Base: n = 3 councils\nSource: Own figures"
    assert ax.get_title() == "Costs"


def test_synthetic_charts_say_so_once(page, shown_figures):
    fig, ax = plt.subplots()
    page[("all", "none")].chart(ax, pages.Chart(None, "T", "x", "y", source="Own source"))
    assert fig.texts[0].get_text() == f"{plots.SYNTHETIC_LABEL}\nSource: Own source"


def test_a_chart_of_published_figures_on_a_synthetic_page_has_no_data_label(page, shown_figures):
    fig, ax = plt.subplots()
    chart = pages.Chart(None, "A long title that stays on one line", "x", "y", wrap=None)
    page[("all", "none")].chart(ax, replace(chart, source="The report", synthetic=False))
    assert fig.texts[0].get_text() == "Source: The report"
    assert ax.get_title() == "A long title that stays on one line"


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
