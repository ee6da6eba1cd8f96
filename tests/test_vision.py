"""The vision section: its statistics against hand-worked values, and its page end to end."""

import itertools
import json
import math
import re

import nbformat
import numpy as np
import pandas as pd
import pytest
from conftest import site_results
from councildigital.data import microdata, survey
from councildigital.sections import page, records
from councildigital.sections import vision as v

NAN = np.nan
SIG = [microdata.column_name("sig", t.code) for t in survey.THEMES]


def wilson(count, n, z=1.959963984540054):
    """Wilson (1927) score interval in percent, written out."""
    p = count / n
    centre = p + z**2 / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return 100 * (centre - spread) / (1 + z**2 / n), 100 * (centre + spread) / (1 + z**2 / n)


def respondents(has_vision, could_help=None, in_plan=None, council_type=None):
    n = len(has_vision)
    return pd.DataFrame(
        {
            "council_type": council_type or ["county"] * n,
            v.HAS_VISION: has_vision,
            v.COULD_HELP: could_help if could_help is not None else [NAN] * n,
            v.IN_PLAN: in_plan if in_plan is not None else [NAN] * n,
        },
        dtype=object,
    ).astype({v.HAS_VISION: float, v.COULD_HELP: float, v.IN_PLAN: float})


# --- does the council have a vision ------------------------------------------------------------


@pytest.fixture
def six():
    """Four county respondents (3 yes, 1 no) and two district ones (yes, don't know)."""
    return respondents([1, 1, 1, 0, 1, 9], council_type=["county"] * 4 + ["district"] * 2)


def test_vision_by_type_counts_dont_know_in_the_base_and_blanks_small_types(six):
    table = v.vision_by_type(six, min_base=3).set_index("council_type")
    assert table.at["all", "estimate"] == pytest.approx(100 * 4 / 6)
    assert table.at["all", "n"] == 6
    assert table.at["county", "estimate"] == pytest.approx(75)
    assert (table.at["county", "ci_low"], table.at["county", "ci_high"]) == pytest.approx(
        wilson(3, 4)
    )
    assert table.at["county", "label"] == "County council"
    # Two district answers: "don't know" is in the base, and 2 < 3 blanks the estimate.
    assert table.at["district", "n"] == 2
    assert math.isnan(table.at["district", "estimate"])
    assert table.at["district", "suppression_reason"] == "base n = 2 is below the minimum of 3"
    # Every council type is a row, even with nobody in it.
    assert list(table.index) == ["all", *survey.codes(survey.COUNCIL_TYPES)]
    assert table.at["other", "n"] == 0 and table.at["other", "suppressed"]


def test_type_vs_rest_compares_with_the_other_respondents_not_with_all(six):
    result = v.type_vs_rest(six, "county")
    assert (result["share"], result["n"]) == (75, 4)
    assert (result["rest_share"], result["rest_n"]) == (50, 2)
    assert result["diff_pp"] == pytest.approx(25)
    # Fisher: tables with margins 4, 2 / 4, 2 have P = 6/15, 8/15, 1/15; none is above
    # the observed 8/15, so the two-sided p is 1.
    assert result["p_value"] == pytest.approx(1.0)
    assert result["ci_low"] < 0 < result["ci_high"]


def test_type_vs_rest_needs_respondents_on_both_sides(six):
    with pytest.raises(ValueError, match="'other' has 0 and the rest 6 respondents"):
        v.type_vs_rest(six, "other")


# --- headline shares, weighted and not ---------------------------------------------------------


def test_headline_shares_use_the_reports_bases_and_weights():
    # The fourth respondent has no vision: their follow-up answer must not count.
    frame = respondents([1, 1, 1, 0], [5, 4, 3, 5], [4, 4, 3, 5])
    weights = pd.Series([1.0, 1.0, 1.0, 3.0], index=frame.index)
    table = v.headline_shares(frame, weights).set_index("measure")
    vision, helps, planned = table.index
    assert table.at[vision, "estimate"] == pytest.approx(75)
    assert table.at[vision, "n"] == 4
    assert table.at[vision, "weighted"] == pytest.approx(50)  # 3 of weight 6
    assert table.at[vision, "n_eff"] == pytest.approx(36 / 12)
    assert table.at[vision, "difference_pp"] == pytest.approx(-25)
    assert table.at[helps, "estimate"] == pytest.approx(100 * 2 / 3)
    assert table.at[helps, "n"] == 3
    assert table.at[planned, "estimate"] == pytest.approx(100 * 2 / 3)
    assert "weighted" not in v.headline_shares(frame).columns


# --- potential and plan ------------------------------------------------------------------------


def test_extent_distributions_are_shares_of_each_answer_among_those_with_a_vision():
    frame = respondents([1, 1, 1, 1, 0], [5, 5, 3, NAN, 1], [4, 3, 3, 2, 1])
    table = v.extent_distributions(frame)
    helps = table[table["question"] == v.EXTENT_QUESTIONS[v.COULD_HELP]].set_index("value")
    plan = table[table["question"] == v.EXTENT_QUESTIONS[v.IN_PLAN]].set_index("value")
    assert helps["estimate"].round(6).tolist() == [0, 0, round(100 / 3, 6), 0, round(200 / 3, 6)]
    assert helps["n"].unique().tolist() == [3]
    assert plan["estimate"].tolist() == [0, 25, 50, 25, 0]
    assert plan["n"].unique().tolist() == [4]
    assert plan.at[3, "answer"] == "Medium"
    assert (plan.at[3, "ci_low"], plan.at[3, "ci_high"]) == pytest.approx(wilson(2, 4))


def test_follow_up_table_shows_shares_to_one_decimal_and_whole_percent_intervals():
    frame = respondents([1, 1, 1, 1, 0], [5, 5, 3, NAN, 1], [4, 3, 3, 2, 1])
    table = v.follow_up_table(v.extent_distributions(frame))
    helps, plan = (f"{q} (%)" for q in v.EXTENT_QUESTIONS.values())
    assert table.columns.tolist() == [
        "Answer",
        helps,
        plan,
        *(f"{q} (95% CI)" for q in v.EXTENT_QUESTIONS.values()),
    ]
    assert table["Answer"].tolist() == [survey.EXTENT.label_of(x) for x in survey.EXTENT.values]
    assert table[helps].tolist() == ["0.0", "0.0", "33.3", "0.0", "66.7"]
    assert table[plan].tolist() == ["0.0", "25.0", "50.0", "25.0", "0.0"]
    low, high = wilson(2, 4)
    assert table.at[2, f"{v.EXTENT_QUESTIONS[v.IN_PLAN]} (95% CI)"] == f"{low:.0f}–{high:.0f}"


def test_plan_against_potential_compares_each_respondents_two_answers():
    frame = respondents([1, 1, 1, 1, 1], [5, 5, 3, 2, 4], [4, 5, 3, 3, NAN])
    table = v.plan_against_potential(frame).set_index("comparison")
    assert table["estimate"].tolist() == [25, 50, 25]
    assert table["count"].tolist() == [1, 2, 1]
    assert table["n"].unique().tolist() == [4]
    low, high = wilson(1, 4)
    assert (table.iloc[0]["ci_low"], table.iloc[0]["ci_high"]) == pytest.approx((low, high))


def test_paired_tests_hand_worked():
    frame = respondents([1, 1, 1, 1], [5, 5, 4, 3], [4, 5, 3, 3])
    mean_row, top_row = v.paired_tests(frame).to_dict("records")
    # Differences 1, 0, 1, 0: mean 0.5, sd sqrt(1/3), se sqrt(1/3)/2, t(3) quantile 3.182446.
    se = math.sqrt(1 / 3) / 2
    assert mean_row["difference"] == pytest.approx(0.5)
    assert (mean_row["ci_low"], mean_row["ci_high"]) == pytest.approx(
        (0.5 - 3.182446305284263 * se, 0.5 + 3.182446305284263 * se)
    )
    assert (mean_row["potential"], mean_row["plan"], mean_row["n"]) == (4.25, 3.75, 4)
    # Large or very large: 3 of 4 potential, 2 of 4 plan; one discordant pair, exact p = 1.
    assert (top_row["potential"], top_row["plan"], top_row["difference"]) == (75, 50, 25)
    assert top_row["p_value"] == pytest.approx(1.0)
    assert "exact binomial" in top_row["test"]


def test_crosstab_and_largest_shortfall():
    frame = respondents([1, 1, 1, 1, 1], [5, 5, 4, 3, 2], [4, 4, 3, 3, 2])
    cells = v.potential_plan_crosstab(frame)
    count = cells.set_index([v.COULD_HELP, v.IN_PLAN])["count"]
    assert count[(5, 4)] == 2 and count[(4, 3)] == 1 and count[(5, 5)] == 0
    assert count[("all", "all")] == 5
    shortfall = v.largest_shortfall(cells)
    assert (shortfall[v.COULD_HELP], shortfall[v.IN_PLAN], shortfall["count"]) == (5, 4, 2)
    assert shortfall["percent"] == pytest.approx(40)
    rows = v.potential_plan_crosstab(frame, normalize="index").set_index([v.COULD_HELP, v.IN_PLAN])
    assert rows.at[(5, 4), "percent"] == pytest.approx(100)
    assert rows.at[(5, 4), "n"] == 2


def test_largest_shortfall_breaks_ties_towards_higher_potential_and_may_be_none():
    tied = respondents([1, 1], [4, 5], [3, 4])
    assert v.largest_shortfall(v.potential_plan_crosstab(tied))[v.COULD_HELP] == 5
    level = respondents([1, 1], [4, 3], [4, 4])
    assert v.largest_shortfall(v.potential_plan_crosstab(level)) is None


# --- themes -------------------------------------------------------------------------------------


def test_theme_significance_is_ranked_by_mean_with_t_intervals():
    values = {column: [2.0, 2.0, 2.0] for column in SIG}
    values[SIG[0]] = [5.0, 4.0, 3.0]  # mean 4, sd 1
    values[SIG[3]] = [3.0, 3.0, 3.0]
    values[SIG[8]] = [1.0, 1.0, NAN]
    table = v.theme_significance(pd.DataFrame(values))
    assert table["item"].tolist()[:2] == [SIG[0], SIG[3]]
    assert table["item"].iloc[-1] == SIG[8]
    top = table.iloc[0]
    half = 4.302652729911275 / math.sqrt(3)  # t(2) quantile times sd / sqrt(n)
    # 4 + 2.48 runs past the scale: clipped to its top, and flagged.
    assert (top["mean"], top["ci_low"], top["ci_high"]) == pytest.approx((4, 4 - half, 5.0))
    assert bool(top["bounded"])
    assert top["theme"] == "Efficiency and productivity" and top["rank"] == 1
    assert bool(top["overlaps_next"])  # 4 +/- 2.48 covers 3
    assert table.iloc[-1]["n"] == 2
    # The six themes at 2 share rank 3; the last is ranked 9th, not 4th.
    assert table["rank"].tolist() == [1, 2, *[3] * 6, 9]


# --- wording ------------------------------------------------------------------------------------


def test_direction_only_claims_an_order_when_the_interval_excludes_zero():
    words = ("higher", "lower", "same")
    assert v.direction(0.1, 2, *words) == "higher"
    assert v.direction(-2, -0.1, *words) == "lower"
    assert v.direction(-0.1, 2, *words) == "same"


# --- the page's results, against the published pages (embedded synthetic data) -----------------

SUPPRESSED = (
    "\n\nNot shown, because the base is below the minimum of 10: Metropolitan council (n = 5); "
    "Combined authority (n = 6); Scottish council (n = 6); Welsh council (n = 6); Other (n = 0)."
)
WALES = "All respondents (for context: Welsh council, n = 6, is too few)"


@pytest.fixture(scope="module")
def pages():
    """The pages the tests compare: everyone, a mid-size type, a too-small one, a thin one."""
    return {name: page.load_page(name) for name in ("all", "county", "wales", "district")}


def rows(table):
    return table.frame.values.tolist()


def test_vision_share_for_everyone_a_type_and_a_type_too_small(pages):
    everyone, county, wales = (v.vision_share(pages[t]) for t in ("all", "county", "wales"))
    assert everyone.sentence == (
        "**All respondents: 79%** say their council has a strategic vision "
        "(95% CI 69–87%; n = 78)." + SUPPRESSED
    )
    assert county.sentence == (
        "**County council respondents: 85%** say their council has a strategic vision "
        "(95% CI 64–95%; n = 20), not clearly different from the 78% of all other "
        "respondents (n = 58): a difference of +7 points (95% CI -15 to +23; Fisher's exact "
        "test p = 0.75). All respondents together: 79% (n = 78)." + SUPPRESSED
    )
    assert wales.sentence == (
        "**All respondents: 79%** say their council has a strategic vision (95% CI 69–87%; "
        "n = 78). The council type of this page (Welsh council) is not shown on its own: "
        "n = 6, below the minimum base of 10." + SUPPRESSED
    )
    # A too-small page holds everyone's figure; page.headline records why it is not shown.
    assert (everyone.headline, county.headline, wales.headline) == (
        "79% (n=78)",
        "85% (n=20)",
        "79% (n=78)",
    )
    assert (
        everyone.chart.title
        == wales.chart.title
        == ("All respondents: 79% say their council has a vision")
    )
    assert county.chart.title == (
        "County council respondents: 85% have a vision, not clearly different from other "
        "respondents (78%)"
    )
    assert county.chart.n == "78 respondents, per type as labelled"
    # The page's own type is "This page" (one colour on every page), shown or not.
    groups = county.chart.frame.set_index("council_type")["group"]
    assert groups.to_dict() == {
        "all": "All respondents",
        "county": "This page",
        **{c: "Other council types" for c in survey.codes(survey.COUNCIL_TYPES) if c != "county"},
    }
    own = wales.chart.frame[wales.chart.frame["group"] == "This page"]
    assert own["row"].tolist() == ["Welsh council (n = 6), not shown"]
    assert wales.chart.frame["row"].iloc[-1] == "Other (n = 0), not shown"
    assert county.table.frame.columns.tolist() == [
        "Council type",
        "Has a vision (%)",
        "95% CI (%)",
        "Yes (count)",
        "n",
        "Not shown because",
    ]
    for result in (everyone, county, wales):
        table = rows(result.table)
        assert table[0] == ["All respondents", "79.5", "69–87", "62", "78", ""]
        assert table[1] == ["County council", "85.0", "64–95", "17", "20", ""]
        assert table[-1] == ["Other", "–", "", "–", "0", "base n = 0 is below the minimum of 10"]
    assert county.table.base == "78 respondents; per type in the n column"


def test_weighting_comparison_names_the_heaviest_and_lightest_types(pages):
    result = v.weighting_comparison(pages["all"])
    assert result.sentence == (
        "### Weighted beside unweighted\n\nThe respondents are not a miniature of the sector: "
        "district councils are 13% of respondents but 43% of councils (weight 3.37), county "
        "councils 26% of respondents but 6% of councils (weight 0.22). Weighting each "
        "respondent by their type's share of councils over its share of respondents moves the "
        "share with a vision from 79% to 74% (-5 points). The weights cost precision: Kish "
        "design effect 1.97, so the 78 respondents carry the information of about 40, and the "
        "weighted intervals are wider. Council types with no respondents cannot be "
        "represented by weighting: Other. Every other figure on this page is **unweighted** "
        "(parameter `weighting = 'none'`)."
    )
    shares, weights = result.tables
    assert rows(shares)[0] == [
        "Has a strategic vision",
        "79.5",
        "69–87",
        "74.4",
        "59–85",
        "-5.1",
        "78",
        "39.7",
    ]
    assert shares.caption.endswith("(design effect 1.97)")
    assert rows(weights)[3] == ["District council", "10", "12.8", "164", "43.2", "3.37"]
    assert rows(weights)[-1] == ["Other", "0", "0.0", "2", "0.0", "–"]
    assert weights.base == 78
    weighted = v.weighting_comparison(page.load_page(weighting="council_type")).sentence
    assert weighted.endswith(
        "Below, the theme means are **weighted**; the comparisons of potential and plan stay "
        "unweighted, as the paired tests take no weights (parameter `weighting = 'council_type'`)."
    )


def test_follow_ups_for_everyone_a_type_too_small_and_too_few_with_a_vision(pages):
    everyone, county, wales, district = (
        v.follow_ups(pages[t]) for t in ("all", "county", "wales", "district")
    )
    assert county.sentence == (
        "County council respondents with a vision: **71%** say digital could help achieve it "
        "to a large or very large extent (n = 17), and **65%** say it is part of the plan to "
        "that extent (n = 17). At the top of the scale, 'very large': 65% for potential "
        "against 35% for the plan."
    )
    assert wales.sentence == (
        f"{WALES} with a vision: **62%** say digital could help achieve it to a large or very "
        "large extent (n = 61), and **58%** say it is part of the plan to that extent "
        "(n = 62). At the top of the scale, 'very large': 48% for potential against 23% for "
        "the plan."
    )
    assert everyone.sentence == wales.sentence.replace(WALES, "All respondents")
    assert (
        everyone.chart.title
        == wales.chart.title
        == (
            "All respondents with a vision: 48% see a 'very large' potential, 23% have digital "
            "in the plan to that extent"
        )
    )
    assert county.chart.n == (
        "17 (could help), 17 (in the plan); County council respondents with a vision"
    )
    very = county.chart.frame[county.chart.frame["value"] == 5]["estimate"]
    assert very.tolist() == pytest.approx([100 * 11 / 17, 100 * 6 / 17])
    assert rows(county.table)[-1] == ["Very large", "64.7", "35.3", "41–83", "17–59"]
    assert rows(wales.table)[1] == ["A little", "4.9", "4.8", "2–13", "2–13"]
    assert wales.table.caption == f"Answers to the two follow-up questions. {WALES} with a vision"
    assert wales.table.base == "n = 61 (could help), 62 (in the plan)"
    assert not district.enough and district.chart is None and district.table is None
    assert district.sentence == (
        "District council respondents: only 7 have a vision, below the minimum base of 10: "
        "the follow-up questions are not shown for them. See the page for all respondents."
    )


def test_unrealised_potential_for_everyone_a_type_and_a_type_too_small(pages):
    everyone, county, wales = (v.unrealised_potential(pages[t]) for t in ("all", "county", "wales"))
    assert county.sentence == (
        "County council respondents with a vision who answered both: **35%** (95% CI 17–59%; "
        "n = 17) rate digital's place in the plan below its potential; 0% rate it above. The "
        "most common shortfall: 'very large' potential but digital in the plan only to a "
        "'large' extent (5 respondents, 29%).\n\nOn the 1-5 scale, potential averages 4.29 "
        "and the plan 3.94: potential is clearly higher than the plan (paired difference "
        "+0.35, 95% CI +0.10 to +0.61; paired t (Wilcoxon signed-rank p = 0.0143), p = 0.0093; "
        "n = 17). On the report's own measure, 'large or very large', the two differ by +6 "
        "points (71% against 65%; 95% CI -10 to +22; McNemar, exact binomial, p = 1): a "
        "top-two-box share does not see a move from 'very large' to 'large', which the paired "
        "comparison of each respondent's two answers does."
    )
    assert wales.sentence.startswith(
        f"{WALES} with a vision who answered both: **31%** (95% CI 21–44%; n = 61)"
    )
    assert "potential is clearly higher than the plan (paired difference +0.31" in wales.sentence
    assert everyone.sentence == wales.sentence.replace(WALES, "All respondents")
    assert (everyone.headline, county.headline, wales.headline) == (
        "31% (n=61)",
        "35% (n=17)",
        "31% (n=61)",
    )
    assert county.chart.title == (
        "County council respondents with a vision: 35% plan to use digital less than they "
        "think it could help"
    )
    cells = wales.chart.frame.set_index(["potential", "plan"])
    assert len(cells) == 25
    assert cells.at[("Very large", "Large"), "text"] == "16\n(26%)"
    assert cells.at[("Very large", "Very large"), "count"] == 13
    gap, tests, within = county.tables
    assert rows(gap) == [
        ["Plan below potential", "35.3", "17–59", "6", "17"],
        ["Plan matches potential", "64.7", "41–83", "11", "17"],
        ["Plan above potential", "0.0", "0–18", "0", "17"],
    ]
    assert rows(tests) == [
        [
            "Mean answer, 1-5 (potential minus plan)",
            "4.29",
            "3.94",
            "+0.35",
            "+0.10 to +0.61",
            "paired t (Wilcoxon signed-rank p = 0.0143)",
            "0.0093",
            "17",
        ],
        [
            "Large or very large, % (potential minus plan, points)",
            "70.59",
            "64.71",
            "+5.88",
            "-10.11 to +21.70",
            "McNemar, exact binomial",
            "1",
            "17",
        ],
    ]
    assert within.frame.columns.tolist() == [
        "Could help",
        *(f"In plan: {survey.EXTENT.label_of(x)} (%)" for x in survey.EXTENT.values),
        "n",
        "Not shown because",
    ]
    assert rows(within)[0] == ["A little", *["–"] * 5, "1", "base n = 1 is below the minimum of 10"]
    assert rows(within)[-1] == ["Very large", "0.0", "0.0", "0.0", "45.5", "54.5", "11", ""]
    assert rows(wales.tables[2])[1] == ["Medium", "0.0", "0.0", "100.0", "0.0", "0.0", "20", ""]
    assert (gap.base, tests.base, within.base) == (17, 17, "per row in the n column")
    assert (
        wales.tables[0].caption == f"Plan against potential. {WALES} with a vision answering both"
    )


PAIRS = (
    "efficiency and place making; place making and economic growth; economic growth and "
    "regeneration; regeneration and net zero; net zero and prevention; prevention and "
    "openness; openness and citizen-centred; citizen-centred and personalised"
)


def test_theme_ranking_for_everyone_a_type_and_a_type_too_small(pages):
    everyone, county, wales = (v.theme_ranking(pages[t]) for t in ("all", "county", "wales"))
    assert wales.sentence == (
        f"{WALES}: **efficiency and productivity** has the highest mean significance (mean "
        "4.55, 95% CI 4.39–4.71; n = 78) and **personalised services** the lowest (3.21, "
        f"2.97–3.44). 8 of the 8 neighbouring pairs in the ranking have overlapping intervals "
        f"({PAIRS}), so their order is not firm."
    )
    assert everyone.sentence == wales.sentence.replace(WALES, "All respondents")
    assert county.sentence.startswith(
        "County council respondents: **efficiency and productivity** has the highest mean "
        "significance (mean 4.55, 95% CI 4.23–4.87; n = 20) and **personalised services** "
        "the lowest (3.35, 2.89–3.81)."
    )
    assert "regeneration and prevention; prevention and openness; openness and net zero" in (
        county.sentence
    )
    assert county.chart.title == (
        "Efficiency and productivity has the highest mean significance, not clearly above "
        "place making and community partnerships"
    )
    assert county.chart.n == "20; County council respondents"
    assert county.chart.frame["row"].iloc[0] == "Efficiency and productivity (n = 20)"
    assert county.chart.frame["mean"].iloc[0] == pytest.approx(4.55)
    assert rows(county.table)[3] == ["3", "Regeneration", "4.25", "3.88–4.62", "0.79", "20", "yes"]
    assert rows(county.table)[-1] == [
        "8",
        "Personalised services",
        "3.35",
        "2.89–3.81",
        "0.99",
        "20",
        "",
    ]
    assert rows(everyone.table)[0] == [
        "1",
        "Efficiency and productivity",
        "4.55",
        "4.39–4.71",
        "0.70",
        "78",
        "yes",
    ]
    assert (
        wales.table.caption == f"Significance of the nine themes in the council's vision. {WALES}"
    )
    assert (county.table.base, wales.table.base) == (20, 78)


def test_theme_ranking_weighted_on_the_page_for_everyone():
    weighted = v.theme_ranking(page.load_page(weighting="council_type"))
    assert weighted.table.frame.columns.tolist() == [
        "Rank",
        "Theme",
        "Mean significance (weighted)",
        "95% CI",
        "SD",
        "n",
        "Effective n (weighted)",
        "Interval overlaps the next",
    ]
    assert rows(weighted.table)[0][6] == "39.7"
    assert "(mean 4.59 (weighted), 95% CI 4.37–4.81; n = 78)" in weighted.sentence
    assert weighted.chart.x.startswith("Mean significance (weighted), 1 = not at all")
    # A council type's page is never weighted: one weight within a type changes nothing.
    county = v.theme_ranking(page.load_page("county", weighting="council_type"))
    assert "(weighted)" not in county.sentence


def test_reproduction_and_method(pages):
    result = v.reproduction(pages["all"])
    assert result.sentence == (
        "## Reproduces the report\n\n**18 of the report's 18 figures** for this section are "
        "reproduced within their stated rounding from the data on this page."
    )
    table = rows(result.table)
    assert table[0] == [
        "LGC24-0014",
        "has_vision",
        "yes",
        "all",
        "share",
        "79",
        "79.49",
        "+0.49",
        "+/- 0.5",
        "yes",
    ]
    assert table[5][5:8] == ["66.67", "70.00", "+3.33"]
    assert result.table.base == 78
    assert "- Estimates on a base below 10 respondents are not shown" in v.method(pages["all"])


# --- the page -----------------------------------------------------------------------------------


def _headlines(notebook):
    """The figures the page records for the site's index, by label."""
    return {
        record["label"]: record["value"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if (record := output.get("data", {}).get(records.HEADLINE_MIME))
    }


def _texts(notebook):
    """Markdown the reader sees (cells and outputs) and any stream or error outputs."""
    markdown, problems = [], []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            markdown.append(cell.source)
        for output in cell.get("outputs", []):
            if output["output_type"] in {"stream", "error"}:
                problems.append(json.dumps(output)[:300])
            markdown.append(str(output.get("data", {}).get("text/markdown", "")))
    return "\n".join(markdown), problems


@pytest.mark.slow
def test_the_page_runs_for_all_a_type_and_an_empty_type(executed_site):
    out, _ = executed_site
    results = site_results(executed_site, "vision", ["all", "county", "other"])
    assert [(r.name, r.status) for r in results] == [
        ("vision/all", "ok"),
        ("vision/county", "ok"),
        ("vision/other", "ok"),
    ], [r.error for r in results]
    shares = v.vision_by_type(page.load_page().all, min_base=10).set_index("council_type")
    expected = {
        "all": ("All respondents", f"All respondents: {shares.at['all', 'estimate']:.0f}%"),
        "county": (
            "County council",
            f"County council respondents: {shares.at['county', 'estimate']:.0f}%",
        ),
        "other": ("Other", "(Other) is not shown on its own: n = 0"),
    }
    for name, (label, sentence) in expected.items():
        html = (out / "vision" / f"{name}.html").read_text(encoding="utf-8")
        assert label in html and "SYNTHETIC" in html
        notebook = nbformat.read(out / "vision" / f"{name}.ipynb", as_version=4)
        text, problems = _texts(notebook)
        assert problems == [], f"{name}: warnings or errors in the outputs"
        assert sentence in text
        headings = re.findall(r"^(#+) ", text, flags=re.MULTILINE)
        assert headings.count("#") == 1 and headings[0] == "#"
        assert all(len(b) - len(a) <= 1 for a, b in itertools.pairwise(headings))
        assert ("Reproduces the report" in text) == (name == "all")
        assert ("Weighted beside unweighted" in text) == (name == "all")
    headlines = {
        name: _headlines(nbformat.read(out / "vision" / f"{name}.ipynb", as_version=4))
        for name in expected
    }
    assert headlines["county"] == {
        "Has a strategic vision": "85% (n=20)",
        "Plan below digital's potential": "35% (n=17)",
    }
    # A type too small to show records why, not everyone's figure under its own heading.
    assert headlines["other"] == dict.fromkeys(
        headlines["all"], "not shown: n = 0, below the minimum of 10"
    )
    assert len(headlines["all"]) == 2
    county = (out / "vision" / "county.ipynb").read_text(encoding="utf-8")
    # The county page never states the all-respondents share as its own.
    assert f"County council respondents: {shares.at['all', 'estimate']:.0f}%" not in county
