"""Then and now: every 2013 value shown is its published row, the crosswalk is whole, the page's
results say what the published pages say, and the page runs."""

import json
import math

import nbformat
import pytest
from conftest import site_results
from councildigital.data import published, survey
from councildigital.sections import then_and_now as tn
from councildigital.sections.page import Chart, Table


@pytest.fixture(scope="module")
def figures():
    return tn.load_figures()


@pytest.fixture(scope="module")
def crosswalk():
    return published.load_crosswalk()


@pytest.fixture(scope="module")
def tables(figures, crosswalk):
    """Every comparison table the page shows, for every council type."""
    barriers = tn.barriers_2013(figures, crosswalk)
    shown = {
        "barriers": barriers,
        "pairs": tn.barrier_pairs(barriers, tn.barrier_ranks_2024(figures)),
        "strategy": tn.strategy_table(figures),
        "gaps": tn.perception_gaps(figures),
    }
    for code in survey.codes(survey.COUNCIL_TYPES):
        shown[f"type {code}"] = tn.type_comparison(figures, code)
    return shown


# --- every value is the row it cites ---------------------------------------------------------


def test_every_value_a_table_carries_equals_the_published_row_it_cites(figures, tables):
    published = figures.set_index("id")["value"]
    wrong = [
        (name, row.column, row.id, row.value, published[row.id])
        for name, table in tables.items()
        for row in tn.cited_values(table).itertuples()
        if row.value != published[row.id]
    ]
    assert wrong == []


def test_every_share_shown_cites_a_row(tables):
    """A share column without its id twin would be a number nobody can trace."""
    share_columns = ("share_2013", "share", "councils", "suppliers", "type_share", "all_share")
    for name, table in tables.items():
        for column in set(share_columns) & set(table.columns):
            untraced = table[table[column].notna() & table[f"{column}_id"].isna()]
            assert untraced.empty, (name, column)


def test_the_2013_figures_shown_match_the_report_tables(figures, tables):
    checked = tn.reproduction(figures, list(tables.values()))
    assert len(checked) >= 100
    assert (checked["shown"] == checked["published"]).all()
    assert "differs from the table" not in set(checked["verdict"])
    councils = checked[checked["figure"].str.endswith("(councils)")]
    assert "no table in the report" not in set(councils["verdict"])  # councils: always a table


def test_a_figure_that_disagrees_with_its_table_cells_is_caught(figures):
    """60.2 is agree 42.0 + strongly agree 18.2; change it and the check must say so."""
    altered = figures.copy()
    altered.loc[altered["id"] == "LDT13-0384", "value"] = 61.0
    assert tn.table_check(figures, "LDT13-0384")["verdict"] == "matches the table"
    verdict = tn.table_check(altered, "LDT13-0384")
    assert verdict == {
        "cells": "LDT13-0371 + LDT13-0372",
        "table_value": pytest.approx(60.2),
        "verdict": "differs from the table",
    }


def test_a_figure_stated_twice_shows_the_table_cell_and_the_other_statement(figures):
    legacy = tn.cite(figures, tn.THEN, tn.BARRIERS_2013, "legacy_systems:yes", tn.COUNCILS)
    assert (legacy.id, legacy.value) == ("LDT13-0416", 72.7)
    assert ("LDT13-0009", 72.0, "Highlights") in legacy.differs
    unwilling = tn.cite(
        figures, tn.THEN, tn.BARRIERS_2013, "unwillingness_to_change:yes", tn.COUNCILS
    )
    stated = {figure_id for figure_id, _, _ in unwilling.differs}
    assert "LDT13-0011" in stated  # the Highlights' 49%
    assert "LDT13-0002" not in stated  # the verbal 'Half' is a restatement, not a conflict


# --- the crosswalk ---------------------------------------------------------------------------


def test_crosswalk_covers_every_2013_barrier_item_exactly_once(figures, crosswalk):
    cells = figures[
        (figures["question"] == tn.BARRIERS_2013)
        & (figures["group"] == tn.COUNCILS)
        & tn.is_table_cell(figures)
    ]
    items_2013 = set(cells["item"].str.split(":").str[0])
    assert len(items_2013) == 15
    assert not crosswalk["item_2013"].duplicated().any()
    assert set(crosswalk["item_2013"]) == items_2013


def test_crosswalk_names_only_2024_barrier_codes_and_says_why(crosswalk):
    matched = crosswalk[crosswalk["match"] != "none"]
    unmatched = crosswalk[crosswalk["match"] == "none"]
    assert set(matched["barrier_2024"]) <= set(survey.codes(survey.BARRIERS))
    assert unmatched["barrier_2024"].isna().all()
    assert set(crosswalk["match"]) <= set(published.MATCHES)
    assert crosswalk["reason"].str.len().min() > 20


def test_crosswalk_wording_is_the_2013_table_wording(figures, crosswalk):
    for entry in crosswalk.itertuples():
        assert tn.wording(figures, tn.BARRIERS_2013, entry.item_2013) == entry.wording_2013


def test_a_broken_crosswalk_is_refused_with_every_problem_named(tmp_path, crosswalk):
    broken = crosswalk.copy()
    broken.loc[0, "barrier_2024"] = "broadband_speed"
    broken.loc[1, "match"] = "none"
    broken.loc[2, "item_2013"] = broken.loc[3, "item_2013"]
    path = tmp_path / "crosswalk.csv"
    broken.to_csv(path, index=False)
    with pytest.raises(published.DataValidationError) as raised:
        published.load_crosswalk(path)
    problems = "\n".join(raised.value.problems)
    assert "line 2: barrier_2024 'broadband_speed' is not a 2024 barrier code" in problems
    assert "line 3: barrier_2024 must be empty exactly when match is 'none'" in problems
    assert f"item_2013 {broken.loc[3, 'item_2013']!r} appears more than once" in problems


# --- ranks and intervals ---------------------------------------------------------------------


def test_2024_ranks_are_exact_for_the_top_three_and_a_range_for_the_bottom_two(figures):
    ranks = tn.barrier_ranks_2024(figures).set_index("barrier_2024")
    assert ranks.loc["funding", ["rank_2024_low", "rank_2024_high"]].tolist() == [1, 1]
    assert ranks.loc["legacy_technology", "rank_2024"] == "3"
    assert ranks.loc["staff_reluctance", "rank_2024"] == "4–5"
    assert ranks.loc["technology_availability", "rank_2024"] == "4–5"


def test_the_strongest_match_stands_for_a_2024_barrier(figures, crosswalk):
    """Culture (loose) has the higher 2013 share, but unwillingness (close) is the better match."""
    pairs = tn.barrier_pairs(tn.barriers_2013(figures, crosswalk), tn.barrier_ranks_2024(figures))
    reluctance = pairs[pairs["barrier_2024"] == "staff_reluctance"].set_index("item_2013")
    assert reluctance.loc["unwillingness_to_change", "primary"]
    assert not reluctance.loc["culture", "primary"]
    primary = pairs[pairs["primary"]]
    assert sorted(primary["rank_2013_among_pairs"]) == [1, 2, 3, 4, 5]
    moves = tn.rank_moves(pairs).set_index("item_2013")["moved"]
    assert moves["funding"] == "up"
    assert moves["legacy_systems"] == "down"
    assert moves["broadband"] == "up or level"  # 5th then, '4th-5th' now


def test_wilson_interval_matches_hand_computation():
    # 50 of 100: the textbook 95% Wilson interval is 40.38% to 59.62%.
    low, high = tn.wilson(50, 100)
    assert (round(low, 2), round(high, 2)) == (40.38, 59.62)
    # 35.5% of 178, by the formula: centre (p + z^2/2n) / (1 + z^2/n),
    # half-width z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2), z = 1.959964.
    p, n, z = 0.355, 178, 1.959964
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    low, high = tn.wilson(35.5, 178)
    assert low == pytest.approx(100 * (centre - half), abs=1e-3)
    assert high == pytest.approx(100 * (centre + half), abs=1e-3)
    assert (round(low, 1), round(high, 1)) == (28.8, 42.8)


# --- council types ---------------------------------------------------------------------------


def test_a_type_with_2024_figures_is_shown_beside_all_respondents_and_2013(figures):
    london = tn.type_comparison(figures, "london_borough").iloc[0]
    assert (london["type_share"], london["all_share"], london["share_2013"]) == (92, 79, 35.5)
    assert london["type_base"] == round(78 * 17 / 100)  # 17% of the 78 respondents
    assert london["type_low"] < london["type_share"] < london["type_high"]


def test_a_type_without_2024_answers_has_no_comparison_only_who_responded(figures):
    assert tn.type_comparison(figures, "metropolitan").empty
    listed = tn.figures_for_type(figures, "metropolitan")
    assert listed["id"].tolist() == ["LDT13-0101"]  # the 2013 response rate, not an answer


# --- the page's results, against the published pages -------------------------------------------
# The 2013 report gives nothing by council type, so only the scope and the type's own figures
# change with the page; every other result is the same on "all", "county" and "wales".

SOURCES = (
    "UKAuthority for DCLG (October 2013), survey of 178 council and 22 supplier respondents; "
    "LGC and Hitachi Solutions (2024), survey of 78 UK council respondents"
)
PUBLISHED_ONLY = (
    "\n\nEvery figure is a published one, shown with the id of its row in `data/published/` (see "
    "the evidence section) so it can be traced to the report's words. The `data_path` parameter "
    "is not used here: respondent-level data exists for neither survey (the 2024 data elsewhere "
    "in this report is a synthetic reconstruction), so this section reads published aggregates "
    "only."
)
GAP_SOURCE = (
    "UKAuthority for DCLG (October 2013), survey of 178 council and 22 supplier respondents; "
    "councils from the report's tables, suppliers from its text (no supplier table is printed); "
    "figure ids in the table below"
)


@pytest.fixture(scope="module")
def both(figures):
    return tn.surveys(figures)


@pytest.fixture(scope="module")
def barriers(figures, crosswalk, both):
    return tn.compare_barriers(figures, crosswalk, both)


@pytest.fixture(scope="module")
def strategy(figures, both):
    return tn.compare_strategy(figures, both)


@pytest.fixture(scope="module")
def gaps(figures, both):
    return tn.compare_perceptions(figures, both)


def rows(table: Table) -> list[list[str]]:
    return table.frame.astype(str).to_numpy().tolist()


def test_the_samples_are_the_published_counts_with_their_rows(both):
    assert (both.n_councils, both.n_suppliers, both.n_respondents) == (178, 22, 78)
    assert int(both.organisations.value) == 138
    ids = [both.councils.id, both.organisations.id, both.suppliers.id, both.respondents.id]
    assert ids == ["LDT13-0095", "LDT13-0097", "LDT13-0096", "LGC24-0002"]
    assert both.sources == SOURCES


@pytest.mark.parametrize(
    ("council_type", "covers"),
    [
        ("all", "This page covers **all respondents** of both surveys."),
        (
            "county",
            "This page is for **County council** respondents (county). The 2013 report gives no "
            "answer by council type, so every 2013 figure on this page is for all 178 council "
            "respondents. What the 2024 report gives for this type is listed in the next "
            "section; every other 2024 figure is for all respondents.",
        ),
        (
            "wales",
            "This page is for **Welsh council** respondents (wales). The 2013 report gives no "
            "answer by council type, so every 2013 figure on this page is for all 178 council "
            "respondents. What the 2024 report gives for this type is listed in the next "
            "section; every other 2024 figure is for all respondents.",
        ),
    ],
)
def test_the_scope_says_whom_the_page_covers(both, council_type, covers):
    assert tn.scope(both, council_type=council_type) == covers + PUBLISHED_ONLY


def test_the_scope_says_a_data_file_given_was_ignored(both):
    said = tn.scope(both, council_type="all", data_path="mine.csv")
    assert said.endswith("reads published aggregates only (the data file given was ignored).")


def test_a_type_with_answers_lists_its_figures_and_compares_them(figures, both):
    county = tn.type_figures(figures, both, council_type="county")
    assert county.heading == "## What the two surveys publish for County council respondents"
    assert county.nothing_listed is None and county.no_answer is None
    assert county.listing.caption == (
        "Every published figure about County council respondents in either survey "
        "(2013: who responded, never how they answered)"
    )
    assert list(county.listing.frame.columns) == [
        "Survey",
        "Figure id",
        "What",
        "Measure",
        "Value",
        "The report's words",
    ]
    assert rows(county.listing) == [
        [
            "2013",
            "LDT13-0100",
            "Response rate by council type: responded (county council)",
            "share",
            "63%",
            "English Counties (responses from 63% of this category)",
        ],
        [
            "2024",
            "LGC24-0005",
            "Respondent council type: county council (all respondents)",
            "share",
            "25%",
            "A quarter of responses came from people at county councils",
        ],
        [
            "2024",
            "LGC24-0017",
            "Has vision: yes (county council)",
            "share",
            "85%",
            "followed by county councils (85%)",
        ],
        [
            "2024",
            "LGC24-0018",
            "Has vision: yes (county council)",
            "rank",
            "rank 2",
            "followed by county councils (85%)",
        ],
    ]
    assert county.comparison.frame.columns[1] == "2024, County council (%)"
    assert rows(county.comparison) == [
        [
            "Has a strategic vision for the organisation in five years' time",
            "85",
            "LGC24-0017",
            "64.0 to 94.8",
            "20 (LGC24-0005 × LGC24-0002)",
            "79",
            "LGC24-0014",
            "Has a digital strategy (a different question: a strategy for digital, not a "
            "strategic vision)",
            "35.5",
            "LDT13-0360",
        ]
    ]
    assert county.comparison.caption == (
        "2024 figures for County council respondents beside all 2024 respondents (n = 78) and "
        "all 2013 council respondents (n = 178). The type's base is not published: it is "
        "approximated from its (rounded) share of respondents."
    )
    assert county.vision == (
        "85% of County council respondents said their council has a strategic vision, against "
        "79% of all 2024 respondents; with only about 20 County council respondents the 95% "
        "interval runs from 64% to 95%. The 2013 figure beside it (35.5% had a digital "
        "strategy) is for all council types and answers a different question (see 'Strategy "
        "and vision')."
    )


def test_the_vision_sentence_follows_the_type(figures, both):
    london = tn.type_figures(figures, both, council_type="london_borough")
    assert london.vision.startswith(
        "92% of London borough respondents said their council has a strategic vision, against "
        "79% of all 2024 respondents; with only about 13 London borough respondents the 95% "
        "interval runs from 66% to 99%."
    )
    assert rows(london.comparison)[0][1:5] == [
        "92",
        "LGC24-0015",
        "66.3 to 98.5",
        "13 (LGC24-0006 × LGC24-0002)",
    ]


@pytest.mark.parametrize(
    ("council_type", "label"), [("wales", "Welsh council"), ("other", "Other")]
)
def test_a_type_neither_report_publishes_says_so_twice(figures, both, council_type, label):
    own = tn.type_figures(figures, both, council_type=council_type)
    assert own.heading == f"## What the two surveys publish for {label} respondents"
    assert own.listing is None and own.comparison is None and own.vision is None
    assert own.nothing_listed == f"Neither report publishes any figure for {label} respondents."
    assert own.no_answer == (
        f"The 2024 report publishes **no answer** for {label} respondents separately, and the "
        "2013 report none by council type at all: every figure below is for all respondents."
    )


def test_a_type_with_only_its_response_rate_lists_it_but_compares_nothing(figures, both):
    metropolitan = tn.type_figures(figures, both, council_type="metropolitan")
    assert metropolitan.nothing_listed is None and metropolitan.comparison is None
    assert rows(metropolitan.listing) == [
        [
            "2013",
            "LDT13-0101",
            "Response rate by council type: responded (metropolitan council)",
            "share",
            "58.3%",
            "Metropolitan Districts (over half – 58.3% - of such councils participated)",
        ]
    ]
    assert metropolitan.no_answer.startswith(
        "The 2024 report publishes **no answer** for Metropolitan council respondents"
    )


def test_what_can_be_compared_names_the_samples_ranks_and_intervals(both, barriers, gaps):
    bullets = tn.comparability(both, barriers, gaps).split("\n")
    assert len(bullets) == 6
    assert bullets[0] == (
        "- **Different samples.** 2013: 178 council respondents from 138 organisations "
        "(LDT13-0095, LDT13-0097) and 22 supplier respondents (LDT13-0096). 2024: 78 council "
        "respondents (LGC24-0002). Both are self-selected, neither is weighted, and the mix of "
        "council types and job roles differs."
    )
    assert bullets[1] == (
        '- **Different questions and scales.** 2013 asked, for each barrier, "What do you think '
        "is holding back 'Digital' development in your organisation today?\" (yes / no / don't "
        'know). 2024 asked "How significant are the following as barriers to your council using '
        'digital to help it achieve its vision for its future?" on a 0 to 5 scale, and its '
        "report publishes only ranks and one mean score, no shares."
    )
    assert bullets[2] == (
        "- **Rank-based only.** The barrier comparison is of rank order, never of levels: a "
        "share saying 'yes' and a mean score are not on one scale. The 2024 report names 5 "
        "barriers and orders only its top 3; its bottom 2 are a set. The strategy and vision "
        "figures are not comparable at all (different questions); they are shown side by side "
        "with the difference stated."
    )
    assert bullets[3].startswith(
        "- **Uncertainty.** 95% Wilson intervals on the 2013 base of 178: half-widths from 5.4 "
        "to 7.3 percentage points for the barrier shares. On the 22 suppliers they reach 19.3 "
        "points."
    )
    assert bullets[4].startswith(
        "- **2024 bases are not published per question.** All-respondent shares are taken on "
        "the 78 valid responses;"
    )
    assert bullets[5].startswith(
        "- **Figures stated twice.** 3 of the 2013 barrier figures are stated with a different "
        "value elsewhere in the report"
    )


def test_the_leading_barriers_then_and_now(barriers):
    assert barriers.leaders == (
        "In 2013 councils most often said **legacy systems and ICT infrastructure** held "
        "digital back (72.7%, LDT13-0416; 95% interval 65.7 to 78.7), then lack of "
        "development funds (59.4%, LDT13-0419). In 2024 **funding** ranked first (LGC24-0051), "
        "with a mean score of 4 out of 5 (LGC24-0050)."
    )
    assert barriers.headline == "Legacy systems and ICT infrastructure (72.7%), then Funding"


def test_the_2013_barrier_chart(barriers):
    chart = barriers.chart
    assert isinstance(chart, Chart)
    assert (chart.title, chart.x, chart.y, chart.n, chart.source, chart.wrap) == (
        "In 2013, legacy systems and ICT infrastructure (72.7%) and lack of development funds "
        "(59.4%) held councils back most",
        "% of council respondents saying it holds digital back (dot), with 95% interval (line)",
        "",
        "178 council respondents",
        "UKAuthority for DCLG (October 2013), survey of 178 council and 22 supplier "
        "respondents, section 5.6 table (figure ids in the table below)",
        72,
    )
    assert barriers.hue_order == (
        "close match in 2024",
        "loose match in 2024",
        "no 2024 counterpart",
    )
    assert len(chart.frame) == 15
    first = chart.frame.iloc[0]
    assert (first["row"], first["share"], first["group"]) == (
        "Legacy systems and ICT infrastructure",
        72.7,
        "close match in 2024",
    )
    assert (round(first["low"], 1), round(first["high"], 1)) == (65.7, 78.7)
    assert chart.frame["share"].is_monotonic_decreasing


def test_the_matching_and_the_side_by_side_tables(barriers):
    assert barriers.match_meanings == (
        "- **exact**: the same item in substance\n"
        "- **close**: the same concept, worded or scoped a little differently\n"
        "- **loose**: overlapping concepts; compare with care\n"
        "- **none**: no counterpart among the barriers the 2024 report names"
    )
    matching = rows(barriers.matching)
    assert len(matching) == 15
    assert matching[4] == [
        "Lack of leadership (senior management / elected councillors)",
        "none",
        "none",
        "The 2024 report names no leadership barrier.",
    ]
    assert barriers.matching.caption == (
        "How each of the 15 2013 barrier items was matched to the 5 barriers the 2024 report "
        "names (analyst's judgement)"
    )
    assert rows(barriers.side_by_side) == [
        ["Lack of development funds", "59.4", "LDT13-0419", "52.1 to 66.3", "2", "2", "Funding",
         "1", "LGC24-0051", "4", "LGC24-0050", "close", ""],
        ["Lack of in-house digital skills", "41.9", "LDT13-0434", "34.9 to 49.2", "7", "4",
         "Skills and capability of staff in digital", "2", "LGC24-0052", "not published", "",
         "close", ""],
        ["Legacy systems and ICT infrastructure", "72.7", "LDT13-0416", "65.7 to 78.7", "1",
         "1", "Legacy technology", "3", "LGC24-0053", "not published", "", "close",
         "72 (LDT13-0009, Highlights)"],
        ["Culturally uncomfortable for the organisation", "50.6", "LDT13-0422", "43.3 to 57.9",
         "3", "", "Reluctance from staff to adopt new technologies", "4–5", "LGC24-0054",
         "not published", "", "loose", "50 (LDT13-0010, Highlights)"],
        ["Unwillingness to change / non-cooperation of colleagues", "49.7", "LDT13-0425",
         "42.4 to 57.0", "4", "3", "Reluctance from staff to adopt new technologies", "4–5",
         "LGC24-0054", "not published", "", "close", "49 (LDT13-0011, Highlights)"],
        ["Poor local broadband access", "40.1", "LDT13-0437", "33.2 to 47.4", "8", "5",
         "Availability of technology", "4–5", "LGC24-0055", "not published", "", "loose", ""],
    ]  # fmt: skip
    assert barriers.side_by_side.frame.columns[4] == "2013 rank of 15"


def test_the_rank_moves_chart_and_list(barriers):
    slope = barriers.slope
    assert slope.title == (
        "Funding now ranks first; in 2013 legacy systems and ICT infrastructure did"
    )
    assert (slope.x, slope.y, slope.source, slope.wrap) == (
        "Survey",
        "Rank (1 = the most cited)",
        SOURCES,
        72,
    )
    assert slope.n == "178 council respondents (2013), 78 respondents (2024)"
    assert slope.frame["short"].notna().all()
    assert slope.frame["rank_2013_among_pairs"].tolist() == [2, 4, 1, 3, 5]
    assert barriers.moved == (
        "Ranked among the 5 matched concepts, 2 moved up and 2 moved down between the surveys; "
        "1 cannot be placed because the 2024 report does not order its bottom 2:\n\n"
        "- **Funding** (2013: 'Lack of development funds', close match): rank 2 in 2013, 1 in "
        "2024 (up).\n"
        "- **Skills and capability of staff in digital** (2013: 'Lack of in\\-house digital "
        "skills', close match): rank 4 in 2013, 2 in 2024 (up).\n"
        "- **Legacy technology** (2013: 'Legacy systems and ICT infrastructure', close match): "
        "rank 1 in 2013, 3 in 2024 (down).\n"
        "- **Reluctance from staff to adopt new technologies** (2013: 'Unwillingness to change "
        "/ non\\-cooperation of colleagues', close match): rank 3 in 2013, 4–5 in 2024 (down).\n"
        "- **Availability of technology** (2013: 'Poor local broadband access', loose match): "
        "rank 5 in 2013, 4–5 in 2024 (up or level).\n\n"
        "These are movements of rank order between two different samples answering differently "
        "worded questions on different scales: they say which concerns lead, not how much any "
        "concern has grown or shrunk."
    )


def test_the_barriers_without_a_counterpart(barriers):
    assert barriers.unmatched.startswith(
        "**2013 items with no 2024 counterpart** (9 of 15): Lack of leadership \\(senior "
        "management / elected councillors\\) (43.6%, LDT13-0428); Inflexible procurement "
        "processes (42.4%, LDT13-0431);"
    )
    assert barriers.unmatched.endswith(
        "Lack of supplier digital skills (16.4%, LDT13-0458). The 2024 report may have asked "
        "about some of these: it names only 5 barriers, and a respondent's comment mentions "
        "'another barrier that was not among the options listed'.\n\n**2024 barriers with no "
        "2013 counterpart**: none; every barrier the 2024 report names has at least one 2013 "
        "match."
    )


def test_strategy_and_vision_side_by_side(strategy):
    assert strategy.difference.startswith(
        '**What was asked differs.** 2013 asked: *"Has your organisation created a Digital '
        'Strategy to guide its digital developments?"* 35.5% said yes (LDT13-0360) and a '
        'further 50.6% intended to create one (LDT13-0361). 2024 asked: *"Does your council '
        "have a strategic vision for the type of organisation it wants to be in five years' "
        'time?"* 79% said yes (LGC24-0014).'
    )
    assert "the rise from 35.5% to 79% is **not** a measure of progress.\n\n" in strategy.difference
    assert strategy.difference.endswith(
        "in 2013 60.2% of councils agreed that digital developments form a key part of their "
        "management strategy (LDT13-0384); in 2024 58% of those with a vision said digital is "
        "part of the plan to realise it to a large or very large extent (LGC24-0023), which is "
        "about 46% of all respondents (derived). Even this pair differs in scale (agree / "
        "disagree then, extent now) and in whom it is of."
    )
    table = rows(strategy.table)
    assert len(table) == 7
    assert table[0] == [
        "2013",
        "Has a digital strategy",
        "Has your organisation created a Digital Strategy to guide its digital developments?",
        "council respondents",
        "35.5",
        "LDT13-0360",
        "28.8 to 42.8",
        "178",
        "",
    ]
    assert table[4][3:8] == ["all respondents", "79", "LGC24-0014", "68.7 to 86.6", "78"]
    assert table[6][3:8] == [
        "respondents whose council has a vision",
        "58",
        "LGC24-0023",
        "45.6 to 69.5",
        "about 62 (LGC24-0014 × LGC24-0002)",
    ]
    assert strategy.table.caption == (
        "2013 digital strategy and 2024 strategic vision: different questions, side by side. "
        "Bases: 178 council respondents (2013); 78 respondents, or about 62 with a vision (2024)."
    )


def test_the_strategy_chart(strategy):
    chart = strategy.chart
    assert chart.title == (
        "79% of 2024 respondents report a strategic vision; 35.5% of 2013 councils had a "
        "digital strategy: different questions"
    )
    assert (
        chart.n == "178 council respondents (2013); 78 respondents, about 62 with a vision (2024)"
    )
    assert (chart.x, chart.y, chart.source, chart.wrap, strategy.hue_order) == (
        "% of respondents (dot), with 95% interval (line)",
        "",
        SOURCES,
        72,
        ("2013", "2024"),
    )
    assert chart.frame["row"].iloc[0] == "2013: Has a digital strategy"
    assert chart.frame["share"].tolist() == [35.5, 50.6, 86.1, 60.2, 79, 62, 58]


def test_councils_against_suppliers(gaps):
    assert gaps.summary == (
        "Of 49 statements the report gives for both groups, suppliers gave the higher share on "
        "32 and the lower on 17. The gap is clear (intervals apart) on 12: 12 with suppliers "
        "higher, 0 with councils higher. The widest is under 'who leads digital': 'Suppliers' "
        "(yes), 70% of suppliers (LDT13-0346) against 12% of councils (LDT13-0321)."
    )
    table = rows(gaps.table)
    assert len(table) == 49
    assert table[0] == [
        "Barriers",
        "Culturally uncomfortable for the organisation",
        "yes",
        "50.6",
        "LDT13-0422",
        "100",
        "LDT13-0489",
        "+49.4",
        "yes",
        "50 (LDT13-0010, Highlights)",
        "",
        "",
    ]
    readiness = [row for row in table if row[0] == "Readiness"]
    assert readiness[0][3:9] == ["57.9", "LDT13-0385", "66.67 (verbal)", "LDT13-0386", "+8.8", "no"]
    assert readiness[0][11].startswith("suppliers were asked whether front line services")
    assert gaps.not_compared == (
        "Not compared, because the report gives no council figure for the same answer: "
        "digital\\_strategy\\_statements: ready\\_to\\_embrace\\:not\\_positive (33.33%, "
        "LDT13-0067); benefits\\_of\\_digital: shared\\_services\\:agree\\_or\\_strongly\\_agree "
        "(86.4%, LDT13-0226)."
    )


def test_a_gap_chart_per_topic_names_its_widest_gap(gaps):
    assert [chart.title for chart in gaps.charts] == [
        "Barriers: suppliers higher on 12 of 14; widest gap 'Culturally uncomfortable for the "
        "organisation': suppliers 100%, councils 50.6%",
        "Who leads digital: suppliers higher on 4 of 11; widest gap 'Suppliers': suppliers 70%, "
        "councils 12%",
        "Success factors: suppliers higher on 7 of 11; widest gap 'A pool of high quality "
        "suppliers of digital tools, skills and technologies': suppliers 90.9%, councils 59%",
        "Benefits of digital, and readiness: suppliers higher on 9 of 13; widest gap 'Help our "
        "citizens to interact with us': suppliers 100%, councils 83.2%",
    ]
    barriers = gaps.charts[0]
    assert (barriers.source, barriers.n, barriers.y, barriers.wrap) == (
        GAP_SOURCE,
        "178 council respondents, 22 supplier respondents",
        "",
        72,
    )
    for chart in gaps.charts:  # councils' rows first: they take the first colour
        assert list(dict.fromkeys(chart.frame["group"])) == ["Councils", "Suppliers"]
    assert len(barriers.frame) == 2 * 14
    culture = barriers.frame[
        barriers.frame["row"] == "Culturally uncomfortable for the organisation"
    ]
    assert culture.set_index("group")["share"].to_dict() == {"Councils": 50.6, "Suppliers": 100}
    readiness = gaps.charts[3].frame
    assert readiness["row"].str.endswith(" [suppliers asked differently]").sum() == 2


def test_the_reproduction_check(figures, both, barriers, strategy, gaps):
    check = tn.check_reproduction(figures, both, barriers, strategy, gaps)
    assert check.summary == (
        "## Reproduces the published tables\n\nEvery 2013 figure on this page (103) is checked "
        "against the 2013 report's printed tables: either it is a table cell, or it is the sum "
        "of the cells it combines (e.g. 'agree' + 'strongly agree'). Supplier figures have no "
        "printed table. Verdicts: no table in the report 49, is a table cell 44, matches the "
        "table 10."
    )
    table = rows(check.table)
    assert len(table) == 103
    assert table[0] == [
        "LDT13-0014",
        "benefits_of_digital: service_transformation:agree_or_strongly_agree (councils)",
        "89.9",
        "89.9",
        "LDT13-0136 + LDT13-0137",
        "89.9",
        "matches the table",
        "",
    ]
    supplier = next(row for row in table if row[0] == "LDT13-0492")
    assert supplier[2:] == [
        "81.8",
        "81.8",
        "",
        "",
        "no table in the report",
        "82 (LDT13-0089, 3. Commentary: Martin Ferguson)",
    ]
    assert check.table.caption == (
        "Every 2013 figure shown on this page against the report's tables (base 178 councils, "
        "22 suppliers)"
    )


# --- the notebook ----------------------------------------------------------------------------


@pytest.mark.slow
def test_the_page_runs_for_all_and_for_a_council_type(executed_site):
    out, _ = executed_site
    results = site_results(executed_site, "then_and_now", ["all", "london_borough"])
    assert [(r.name, r.status) for r in results] == [
        ("then_and_now/all", "ok"),
        ("then_and_now/london_borough", "ok"),
    ], [r.error for r in results]
    everyone = (out / "then_and_now" / "all.html").read_text(encoding="utf-8")
    london = (out / "then_and_now" / "london_borough.html").read_text(encoding="utf-8")
    assert "all respondents" in everyone
    assert "Reproduces the published tables" in everyone
    assert "London borough" in london
    assert "Reproduces the published tables" not in london
    for name in ("all", "london_borough"):
        notebook = nbformat.read(out / "then_and_now" / f"{name}.ipynb", as_version=4)
        streams = [
            json.dumps(output)
            for cell in notebook.cells
            for output in cell.get("outputs", [])
            if output["output_type"] in {"stream", "error"}
        ]
        assert streams == [], f"{name}: warnings or errors in the outputs"


def test_main_points_are_sentences_of_published_figures():
    figures, crosswalk = tn.load_figures(), published.load_crosswalk()
    both = tn.surveys(figures)
    barriers = tn.compare_barriers(figures, crosswalk, both)
    gaps = tn.compare_perceptions(figures, both)
    points = tn.main_points(barriers, gaps)
    assert points[0] == (
        "The barrier councils named most, in 2013 then in 2024: Legacy systems and ICT "
        "infrastructure (72.7%), then Funding."
    )
    assert points[1] == (
        "Of 49 statements the report gives for both groups, suppliers gave the higher share on "
        "32 and the lower on 17."
    )
    assert all(isinstance(p, str) and p.endswith(".") and "**" not in p for p in points)
