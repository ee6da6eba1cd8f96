"""The vision section: its statistics against hand-worked values, and its page end to end."""

import itertools
import json
import math
import re
from dataclasses import replace

import nbformat
import numpy as np
import pandas as pd
import pytest
from conftest import site_results
from councildigital.data import microdata, survey
from councildigital.reconstruct import claims
from councildigital.sections import page, records
from councildigital.sections import vision as v
from statsmodels.stats.proportion import proportion_confint

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
    whole = v.vision_by_type(six, min_base=1).set_index("council_type")
    assert whole.at["all", "estimate"] == pytest.approx(100 * 4 / 6)
    assert whole.at["all", "n"] == 6
    assert whole.at["county", "estimate"] == pytest.approx(75)
    assert (whole.at["county", "ci_low"], whole.at["county", "ci_high"]) == pytest.approx(
        wilson(3, 4)
    )
    assert whole.at["county", "label"] == "County council"
    table = v.vision_by_type(six, min_base=3).set_index("council_type")
    # Two district answers: "don't know" is in the base, and 2 < 3 blanks the estimate.
    assert table.at["district", "n"] == 2
    assert math.isnan(table.at["district", "estimate"])
    assert table.at["district", "suppression_reason"] == "base n = 2 is below the minimum of 3"
    # Every council type is a row, even with nobody in it.
    assert list(table.index) == ["all", *survey.codes(survey.COUNCIL_TYPES)]
    assert table.at["other", "n"] == 0 and table.at["other", "suppressed"]


def test_a_type_the_total_would_give_back_is_protected_by_hiding_another(six):
    """County 3 of 4, district (2, below the minimum) 1 of 2: the total, 4 of 6, less the
    county row would be the district row, so the county row is hidden too."""
    table = v.vision_by_type(six, min_base=3).set_index("council_type")
    assert table.at["all", "count"] == 4
    assert table.at["county", "suppressed"] and math.isnan(table.at["county", "count"])
    assert table.at["county", "suppression_reason"].startswith("hidden although n = 4")
    assert "District council" in table.at["county", "suppression_reason"]


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
    assert table.at[vision, "kish_n_eff"] == pytest.approx(36 / 12)
    # Taylor: residuals w (y - 0.5) / 6 square to 1/12 in all, times n / (n - 1): variance
    # 1/9, against 1/16 for the unweighted share of four: n_eff = 4 / (16/9) = 2.25.
    assert table.at[vision, "n_eff"] == pytest.approx(2.25)
    low, high = proportion_confint(0.5 * 2.25, 2.25, method="wilson")
    assert (table.at[vision, "weighted_ci_low"], table.at[vision, "weighted_ci_high"]) == (
        pytest.approx((100 * low, 100 * high))
    )
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
    dist = v.extent_distributions(frame)
    table = v.follow_up_table(dist)
    helps, plan = v.EXTENT_QUESTIONS.values()
    assert table.columns.tolist() == [
        "Answer",
        f"{helps} (%)",
        f"{helps} (95% CI)",
        f"{plan} (%)",
        f"{plan} (95% CI)",
    ]
    assert table["Answer"].tolist() == [survey.EXTENT.label_of(x) for x in survey.EXTENT.values]
    assert table[f"{helps} (%)"].tolist() == ["0.0", "0.0", "33.3", "0.0", "66.7"]
    assert table[f"{plan} (%)"].tolist() == ["0.0", "25.0", "50.0", "25.0", "0.0"]
    low, high = wilson(2, 4)
    assert table.at[2, f"{plan} (95% CI)"] == f"{low:.0f}–{high:.0f}"
    # With the rows' evidence cells, each question gets its Evidence column beside its share.
    marked = v.follow_up_table(dist.assign(cell=[f"cell {i}" for i in range(len(dist))]))
    assert marked.columns.tolist()[3] == f"{helps}: evidence"
    assert marked[f"{plan}: evidence"].tolist() == [f"cell {i}" for i in range(5, 10)]


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
ILLUSTRATIVE = "illustrative: set by the reconstruction's assumptions, not by the report"
PUBLISHED_ALL = "● published (LGC24-0014)"
PUBLISHED_COUNTY = "● published (LGC24-0017)"
NOT_COUNTY = tuple(c for c in survey.codes(survey.COUNCIL_TYPES) if c != "county")


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
        "(95% CI 69–87%; n = 78; as the report states (LGC24-0014))." + SUPPRESSED
    )
    _, rest, difference = county.tables[1].estimates
    assert county.sentence == (
        "**County council respondents: 85%** say their council has a strategic vision "
        "(95% CI 64–95%; n = 20; as the report states (LGC24-0017)), not clearly different "
        f"from the 78% of all other respondents (n = 58; {rest.phrase()}): a difference of "
        "+7 points (95% CI -15 to +23; Fisher's exact test p = 0.75; "
        f"{difference.phrase()}). All respondents together: 79% (n = 78)." + SUPPRESSED
    )
    assert wales.sentence == (
        "**All respondents: 79%** say their council has a strategic vision (95% CI 69–87%; "
        "n = 78; as the report states (LGC24-0014)). The council type of this page (Welsh "
        "council) is not shown on its own: n = 6, below the minimum base of 10." + SUPPRESSED
    )
    # A too-small page holds everyone's figure; page.headline records why it is not shown.
    assert (everyone.headline, county.headline, wales.headline) == (
        "79% (n=78)",
        "85% (n=20)",
        "79% (n=78)",
    )
    assert (everyone.evidence.figure_id, county.evidence.figure_id) == ("LGC24-0014", "LGC24-0017")
    assert wales.evidence == everyone.evidence
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
    # The page's own type is "This page" (one colour on every page) where it is shown.
    groups = county.chart.frame.set_index("council_type")["group"]
    assert groups.to_dict() == {
        "all": "All respondents",
        "county": "This page",
        **{c: "Other council types" for c in survey.codes(survey.COUNCIL_TYPES) if c != "county"},
    }
    # A too-small type's page shows everyone: its own type is one of the others, not coloured
    # as the page's.
    assert "This page" not in wales.chart.frame["group"].tolist()
    welsh = wales.chart.frame.set_index("council_type").loc["wales"]
    assert (welsh["row"], welsh["group"]) == (
        "Welsh council (n = 6), not shown",
        "Other council types",
    )
    assert wales.chart.frame["row"].iloc[-1] == "Other (n = 0), not shown"
    by_type = county.tables[0]
    assert by_type.frame.columns.tolist() == [
        "Council type",
        "Has a vision (%)",
        "95% CI (%)",
        "Yes (count)",
        "n",
        "Not shown because",
        "Evidence",
    ]
    for result in (everyone, county, wales):
        table = rows(result.tables[0])
        assert table[0] == ["All respondents", "79.5", "69–87", "62", "78", "", PUBLISHED_ALL]
        assert table[1] == ["County council", "85.0", "64–95", "17", "20", "", PUBLISHED_COUNTY]
        assert table[-1] == [
            "Other",
            "–",
            "",
            "–",
            "0",
            "base n = 0 is below the minimum of 10",
            "",
        ]
    assert by_type.base == "78 respondents; per type in the n column"
    # Only the page for a type shown on its own compares it with the rest.
    assert (len(everyone.tables), len(county.tables), len(wales.tables)) == (1, 2, 1)


def test_county_against_the_rest_is_bounded_so_it_keeps_its_test(pages):
    comparison = v.vision_share(pages["county"]).tables[1]
    own, rest, difference = comparison.estimates
    assert (own.evidence, own.figure_id, own.value) == ("published", "LGC24-0017", 85.0)
    # The report's 85% of 20 and 79% of 78 fix the other 58 respondents at 45 with a vision.
    assert (rest.evidence, rest.group) == ("bounded", "all")
    assert rest.bound_low == pytest.approx(100 * 45 / 58) == rest.bound_high
    assert (difference.evidence, difference.group, difference.unit) == (
        "bounded",
        "county",
        "points",
    )
    assert difference.bound_low == pytest.approx(85 - 100 * 45 / 58)
    assert difference.quantity.parts == (
        claims.Quantity("share", "has_vision", (1,), "county"),
        claims.Quantity("share", "has_vision", (1,), given=(("council_type", NOT_COUNTY),)),
    )
    assert rows(comparison) == [
        ["County council", "85.0", "64–95", "20", "–", own.cell],
        ["All other respondents", "77.6", "65–86", "58", "–", rest.cell],
        ["Difference (points)", "+7.4", "-15 to +23", "78", "0.75", difference.cell],
    ]
    assert comparison.caption == (
        "County council respondents against all other respondents: has a strategic vision"
    )


def test_an_illustrative_difference_from_the_rest_has_no_test_and_no_order(pages, monkeypatch):
    """With the rest's share left free (as for a type the report says nothing about), the
    page gives the difference as illustrative: no Fisher test, no 'higher' or 'lower'."""
    real = page.SurveyPage.estimate

    def free_rest(self, q, *args, **kwargs):
        found = real(self, q, *args, **kwargs)
        if q.stat == "difference":
            return replace(found, evidence="assumed", bound_low=-100.0, bound_high=100.0)
        return found

    monkeypatch.setattr(page.SurveyPage, "estimate", free_rest)
    county = v.vision_share(pages["county"])
    rest = county.tables[1].estimates[1]
    assert county.sentence.startswith(
        "**County council respondents: 85%** say their council has a strategic vision "
        "(95% CI 64–95%; n = 20; as the report states (LGC24-0017)); all other respondents: "
        f"78% (n = 58; {rest.phrase()}), a difference of +7 points (95% CI -15 to +23; "
        "illustrative: set by the reconstruction's assumptions, not by the report). All "
        "respondents together: 79% (n = 78)."
    )
    assert "Fisher" not in county.sentence and "different" not in county.sentence
    assert county.chart.title == (
        "County council respondents: 85% have a vision; other respondents 78%"
    )
    comparison = county.tables[1]
    assert comparison.frame["Fisher's exact p"].tolist() == ["–"] * 3
    assert comparison.caption.endswith(f"has a strategic vision ({v.NO_TEST})")


def test_vision_shares_by_type_are_published_for_four_types_and_bounded_for_the_rest():
    everyone = page.load_page(min_base=1)
    shown = {e.group: e for e in v.vision_share(everyone).tables[0].estimates}
    assert {g: e.figure_id for g, e in shown.items() if e.evidence == "published"} == {
        "all": "LGC24-0014",
        "county": "LGC24-0017",
        "london_borough": "LGC24-0015",
        "unitary": "LGC24-0020",
        "district": "LGC24-0019",
    }
    # The other types' shares are not stated, but the published ones, the 79% for everyone
    # and the types' order confine them; "Other" has nobody, so no estimate.
    bounded = {g: e for g, e in shown.items() if e.evidence != "published"}
    assert sorted(bounded) == ["combined_authority", "metropolitan", "scotland", "wales"]
    for e in bounded.values():
        assert e.evidence == "bounded" and e.within_bounds
        assert e.quantity == claims.Quantity("share", "has_vision", (1,), e.group)
    chart = v.vision_share(everyone).chart
    statuses = chart.frame["evidence"]
    assert statuses.iloc[:-1].tolist() == [e.evidence for e in shown.values()]
    assert pd.isna(statuses.iloc[-1])  # nobody, nothing drawn
    assert chart.estimates == tuple(shown.values())


def test_weighting_comparison_names_the_heaviest_and_lightest_types(pages):
    result = v.weighting_comparison(pages["all"])
    _, weighted, moved = result.tables[0].estimates[:3]
    assert result.sentence == (
        "### Weighted beside unweighted\n\nThe respondents are not a miniature of the sector: "
        "district councils are 13% of respondents but 43% of councils (weight 3.37), county "
        "councils 26% of respondents but 6% of councils (weight 0.22). Weighting each "
        "respondent by their type's share of councils over its share of respondents moves the "
        "share with a vision from 79% (as the report states (LGC24-0014)) to 74% "
        f"({weighted.phrase()}): -5 points ({moved.phrase()}). The weights cost precision: Kish "
        "design effect 1.97, so the 78 respondents carry the information of about 40, and the "
        f"weighted intervals are wider. {v.ESTIMAND} Council types with no respondents cannot be "
        "represented by weighting: Other. Every other figure on this page is **unweighted** "
        "(parameter `weighting = 'none'`)."
    )
    shares, weights = result.tables
    assert rows(shares)[0] == [
        "Has a strategic vision",
        "79.5",
        "69–87",
        PUBLISHED_ALL,
        "74.4",
        "57–86",  # Taylor-linearised: wider than Kish's effective n gives
        "59–85",
        weighted.cell,
        "-5.1",
        moved.cell,
        "78",
        "31.7",
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


def test_the_weighted_shares_are_the_types_own_shares_combined_and_bounded_as_such(pages):
    shown = v.weighting_comparison(pages["all"]).tables[0].estimates
    assert [e.evidence for e in shown] == ["published", "bounded", "bounded"] * 3
    assert [e.figure_id for e in shown[::3]] == ["LGC24-0014", "LGC24-0021", "LGC24-0023"]
    vision, weighted, moved = shown[:3]
    # The weighted share is a combination of the types' shares; published for the four
    # largest types and confined for the others, it is pinned down.
    assert weighted.quantity.stat == "combination"
    assert {p.group for p in weighted.quantity.parts} == set(survey.codes(survey.COUNCIL_TYPES)) - {
        "other"
    }
    assert sum(weighted.quantity.coefficients) == pytest.approx(1)
    assert weighted.value == pytest.approx(claims.evaluate(weighted.quantity, pages["all"].all))
    assert weighted.bound_low == pytest.approx(weighted.value) == weighted.bound_high
    assert moved.quantity.parts == (weighted.quantity, vision.quantity)
    assert moved.unit == "points"
    # The follow-ups' weighted shares: their types' shares among those with a vision.
    helps = shown[4]
    assert all(p.given == (("has_vision", (1,)),) for p in helps.quantity.parts)
    assert helps.bound_low < helps.value < helps.bound_high
    # Weighted whatever the page's weighting, with the same quantity.
    weighted_page = v.weighting_comparison(page.load_page(weighting="council_type"))
    assert weighted_page.tables[0].estimates[1].quantity == weighted.quantity


def test_follow_ups_for_everyone_a_type_too_small_and_too_few_with_a_vision(pages):
    everyone, county, wales, district = (
        v.follow_ups(pages[t]) for t in ("all", "county", "wales", "district")
    )
    assert county.sentence == (
        "County council respondents with a vision: **71%** say digital could help achieve it "
        f"to a large or very large extent (n = 17; {ILLUSTRATIVE}), and **65%** say it is part "
        f"of the plan to that extent (n = 17; {ILLUSTRATIVE}). At the top of the scale, 'very "
        f"large': 65% for potential against 35% for the plan ({ILLUSTRATIVE})."
    )
    very_help, very_plan = (e for e in wales.chart.estimates if e.quantity.answers == (5,))
    assert wales.sentence == (
        f"{WALES} with a vision: **62%** say digital could help achieve it to a large or very "
        "large extent (n = 61; as the report states (LGC24-0021)), and **58%** say it is part "
        "of the plan to that extent (n = 62; as the report states (LGC24-0023)). At the top "
        f"of the scale, 'very large': 48% for potential ({very_help.phrase()}) against 23% for "
        f"the plan ({very_plan.phrase()})."
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
    assert rows(county.table)[4] == [
        "Very large",
        "64.7",
        "41–83",
        "○ illustrative (assumed)",
        "35.3",
        "17–59",
        "○ illustrative (assumed)",
    ]
    assert rows(wales.table)[1][:3] == ["A little", "4.9", "2–13"]
    assert rows(wales.table)[1][4:6] == ["4.8", "2–13"]
    # The report's own measure closes the table: its published shares, marked as such.
    assert rows(wales.table)[-1] == [
        "Large or very large",
        "62.3",
        "50–73",
        "● published (LGC24-0021)",
        "58.1",
        "46–70",
        "● published (LGC24-0023)",
    ]
    assert wales.table.caption == f"Answers to the two follow-up questions. {WALES} with a vision"
    assert wales.table.base == "n = 61 (could help), 62 (in the plan)"
    assert not district.enough and district.chart is None
    assert rows(district.table) == [
        ["District council respondents with a vision", "7", "base n = 7 is below the minimum of 10"]
    ]
    assert district.sentence == (
        "District council respondents: only 7 have a vision, below the minimum base of 10: "
        "the follow-up questions are not shown for them. See the page for all respondents."
    )


def test_unrealised_potential_for_everyone_a_type_and_a_type_too_small(pages):
    everyone, county, wales = (v.unrealised_potential(pages[t]) for t in ("all", "county", "wales"))
    potential, _, mean_gap = county.tables[1].estimates[:3]
    # The mean gap is confined by the report's figures, so it keeps its test; the
    # top-two-box gap and the shares below potential are free: illustrative, untested.
    assert county.sentence == (
        "County council respondents with a vision who answered both: **35%** (95% CI 17–59%; "
        f"n = 17; {ILLUSTRATIVE}) rate digital's place in the plan below its potential; 0% "
        f"({ILLUSTRATIVE}) rate it above. The most common shortfall in the levels of potential "
        "shown: 'very large' potential "
        "but digital in the plan only to a 'large' extent (5 respondents, 29%; "
        f"{ILLUSTRATIVE}).\n\nOn the 1-5 scale, potential averages 4.29 ({potential.phrase()}) "
        f"and the plan 3.94 ({ILLUSTRATIVE}): potential is clearly higher than the plan (paired "
        "difference +0.35, 95% CI +0.10 to +0.61; paired t (Wilcoxon signed-rank p = 0.0143), "
        f"p = 0.0093; n = 17; {mean_gap.phrase()}). On the report's own measure, 'large or very "
        f"large', the two differ by +6 points (71% against 65% ({ILLUSTRATIVE}); 95% CI -10 to "
        f"+22; {ILLUSTRATIVE}): a top-two-box share does not see a move from 'very large' to "
        "'large', which the paired comparison of each respondent's two answers does."
    )
    assert "McNemar" not in county.sentence
    below = wales.tables[0].estimates[0]
    assert below.evidence == "bounded"
    assert wales.sentence.startswith(
        f"{WALES} with a vision who answered both: **31%** (95% CI 21–44%; n = 61; "
        f"the published figures put this between {below.range_text.replace(' to ', ' and ')})"
    )
    assert "McNemar, exact binomial, p = 0.25" in wales.sentence
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
    assumed = "○ illustrative (assumed)"
    assert rows(gap) == [
        ["Plan below potential", "35.3", "17–59", "6", "17", assumed],
        ["Plan matches potential", "64.7", "41–83", "11", "17", assumed],
        ["Plan above potential", "0.0", "0–18", "0", "17", assumed],
    ]
    assert rows(tests) == [
        [
            "Mean answer, 1-5 (potential minus plan)",
            "4.29 ◐",
            "3.94 ○",
            "+0.35",
            "+0.10 to +0.61",
            "paired t (Wilcoxon signed-rank p = 0.0143)",
            "0.0093",
            "17",
            mean_gap.cell,
        ],
        [
            "Large or very large, % (potential minus plan, points)",
            "70.59 ○",
            "64.71 ○",
            "+5.88",
            "-10.11 to +21.70",
            "–",
            "–",
            "17",
            assumed,
        ],
    ]
    assert tests.caption.endswith(f"with a vision ({v.NO_TEST})")
    assert (
        wales.tables[1].caption
        == f"Paired comparisons of potential and plan. {WALES} with a vision"
    )
    assert within.frame.columns.tolist() == [
        "Could help",
        *(f"In plan: {survey.EXTENT.label_of(x)} (%)" for x in survey.EXTENT.values),
        "n",
        "Not shown because",
    ]
    assert rows(within)[0] == ["A little", *["–"] * 5, "1", "base n = 1 is below the minimum of 10"]
    assert rows(within)[-1] == [
        "Very large",
        *("0.0 ○", "0.0 ○", "0.0 ○", "45.5 ○", "54.5 ○"),
        "11",
        "",
    ]
    assert rows(wales.tables[2])[1][:4] == ["Medium", "0.0 ○", "0.0 ○", "100.0 ○"]
    assert len(within.estimates) == 5 and len(wales.tables[2].estimates) == 10
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
    # The report gives only the themes' order, which leaves every mean free: the ranking is
    # illustrative, with no judgement of which neighbours the data order.
    assert wales.sentence == (
        f"{WALES}: **efficiency and productivity** has the highest mean significance (mean "
        "4.55, 95% CI 4.39–4.71; n = 78) and **personalised services** the lowest (3.21, "
        f"2.97–3.44). These means and their order are {ILLUSTRATIVE}."
    )
    assert everyone.sentence == wales.sentence.replace(WALES, "All respondents")
    assert county.sentence.startswith(
        "County council respondents: **efficiency and productivity** has the highest mean "
        "significance (mean 4.55, 95% CI 4.23–4.87; n = 20) and **personalised services** "
        "the lowest (3.35, 2.89–3.81). These means and their order are illustrative"
    )
    for result in (everyone, county, wales):
        assert "overlap" not in result.sentence and "clearly" not in result.sentence
        assert [e.evidence for e in result.table.estimates] == ["assumed"] * 9
        assert result.chart.estimates == result.table.estimates
        assert result.chart.frame["evidence"].tolist() == ["assumed"] * 9
    assert [e.group for e in county.table.estimates] == ["county"] * 9
    assert [e.group for e in wales.table.estimates] == ["all"] * 9
    assert (
        county.chart.title
        == "Efficiency and productivity has the highest mean significance (illustrative)"
    )
    assert county.chart.n == "20; County council respondents"
    assert county.chart.frame["row"].iloc[0] == "Efficiency and productivity (n = 20)"
    assert county.chart.frame["mean"].iloc[0] == pytest.approx(4.55)
    assumed = "○ illustrative (assumed)"
    assert rows(county.table)[3] == [
        "3",
        "Regeneration",
        "4.25",
        "3.88–4.62",
        "0.79",
        "20",
        "",
        assumed,
    ]
    assert rows(everyone.table)[0] == [
        "1",
        "Efficiency and productivity",
        "4.55",
        "4.39–4.71",
        "0.70",
        "78",
        "",
        assumed,
    ]
    assert wales.table.caption == (
        f"Significance of the nine themes in the council's vision. {WALES}; no overlap is "
        "judged beside an illustrative mean, which the published figures leave free"
    )
    assert (county.table.base, wales.table.base) == (20, 78)


def test_theme_ranking_judges_overlaps_where_the_means_are_findings(pages, monkeypatch):
    real = page.SurveyPage.estimate
    monkeypatch.setattr(
        page.SurveyPage,
        "estimate",
        lambda self, *a, **k: replace(real(self, *a, **k), evidence="bounded", bound_low=1.0),
    )
    wales = v.theme_ranking(pages["wales"])
    assert wales.sentence.endswith(
        f"8 of the 8 neighbouring pairs in the ranking have overlapping intervals ({PAIRS}), "
        "so their order is not firm."
    )
    assert "(mean 4.55, 95% CI 4.39–4.71; n = 78; the published figures put this between " in (
        wales.sentence
    )
    county = v.theme_ranking(pages["county"])
    assert "regeneration and prevention; prevention and openness; openness and net zero" in (
        county.sentence
    )
    assert county.chart.title == (
        "Efficiency and productivity has the highest mean significance, not clearly above "
        "place making and community partnerships"
    )
    assert rows(county.table)[3][6] == "yes"
    assert rows(county.table)[-1][6] == ""
    assert county.table.caption == (
        "Significance of the nine themes in the council's vision. County council respondents"
    )


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
        "Evidence",
    ]
    assert rows(weighted.table)[0][6] == "39.7"
    assert "(mean 4.59 (weighted), 95% CI 4.37–4.81; n = 78)" in weighted.sentence
    assert weighted.chart.x.startswith("Mean significance (weighted), 1 = not at all")
    top = weighted.table.estimates[0]
    assert top.quantity.stat == "combination"  # the types' own means, weighted
    assert top.value == pytest.approx(4.59, abs=0.005)
    # A council type's page is never weighted: one weight within a type changes nothing.
    county = v.theme_ranking(page.load_page("county", weighting="council_type"))
    assert "(weighted)" not in county.sentence
    assert county.table.estimates[0].quantity == claims.Quantity("mean", SIG[0], group="county")


# --- what stands behind each number ------------------------------------------------------------


def _shown(result) -> list:
    """The tables and charts of a section result."""
    parts = [getattr(result, name, None) for name in ("chart", "table")]
    return [p for p in [*parts, *getattr(result, "tables", ())] if p is not None]


def test_every_shown_estimate_is_attached_to_its_table_or_chart(pages):
    for name in ("all", "county", "wales"):
        p = pages[name]
        results = [
            v.vision_share(p),
            v.follow_ups(p),
            v.unrealised_potential(p),
            v.theme_ranking(p),
        ]
        if p.is_all:
            results.append(v.weighting_comparison(p))
        for result in results:
            for shown in _shown(result):
                if getattr(shown, "caption", "").startswith("Post-stratification weights"):
                    assert shown.estimates == ()  # the bases and reference counts only
                    continue
                assert shown.estimates, f"{name}: {shown.frame.columns} attaches no estimate"
                assert len(set(shown.estimates)) == len(shown.estimates)  # each once
                assert {e.group for e in shown.estimates} <= {p.group, survey.ALL} | set(
                    survey.codes(survey.COUNCIL_TYPES)
                )
                frame = shown.frame
                evidence = [c for c in frame.columns if str(c).lower().startswith("evidence")]
                if isinstance(shown, page.Chart):
                    statuses = frame["evidence"].dropna().tolist()
                    assert statuses == [e.evidence for e in shown.estimates]
                elif evidence:
                    cells = [c for col in evidence for c in frame[col] if c]
                    assert set(cells) <= {e.cell for e in shown.estimates}
                    assert len(cells) <= len(shown.estimates)
    # The follow-up table's Evidence columns carry every one of its twelve estimates: each
    # question's five answers, then its 'large or very large'.
    table = v.follow_ups(pages["all"]).table
    cells = [c for col in table.frame.columns if "evidence" in col for c in table.frame[col]]
    found = table.estimates
    assert cells == [e.cell for e in (*found[:5], found[10], *found[5:10], found[11])]


def test_an_illustrative_figure_is_no_headline_and_a_bounded_one_says_its_range(pages, displayed):
    county, everyone = (v.unrealised_potential(pages[t]) for t in ("county", "all"))
    assert county.evidence.evidence == "assumed"
    pages["county"].headline("Plan below digital's potential", county.headline, county.evidence)
    assert displayed == []
    everyone_below = everyone.evidence
    assert everyone_below.evidence == "bounded"
    assert everyone_below.quantity == claims.Quantity(
        "sign",
        parts=(claims.Quantity("mean", v.COULD_HELP), claims.Quantity("mean", v.IN_PLAN)),
        threshold=-1,
    )
    pages["all"].headline("Plan below digital's potential", everyone.headline, everyone_below)
    [(record, _)] = displayed
    assert record[records.HEADLINE_MIME]["evidence"] == "bounded"
    assert record[records.HEADLINE_MIME]["bound_low"] == everyone_below.bound_low


def test_crosstab_cells_are_joint_shares_of_those_answering_both(pages):
    everyone = v.unrealised_potential(pages["all"])
    cells = everyone.chart.estimates
    # 'A little' (n = 3) and 'large' (n = 9) potential are below the minimum base: their
    # cells are no estimates of the heatmap, which leaves them blank.
    assert len(cells) == 15
    assert not any("could help 'a little'" in e.statistic.lower() for e in cells)
    frame = everyone.chart.frame
    assert frame.loc[frame[v.COULD_HELP] == 4, "count"].isna().all()
    assert frame.loc[frame[v.COULD_HELP] == 5, "count"].notna().all()
    top = cells[-1]
    assert top.quantity == claims.Quantity(
        "joint",
        parts=(
            claims.Quantity("share", v.COULD_HELP, (5,)),
            claims.Quantity("share", v.IN_PLAN, (5,)),
        ),
    )
    assert top.value == pytest.approx(100 * 13 / 61) and top.n == 61
    assert {e.evidence for e in cells} == {"bounded"}
    county = v.unrealised_potential(pages["county"]).chart.estimates
    assert {e.group for e in county} == {"county"}
    assert {e.evidence for e in county} == {"bounded", "assumed"}
    assert county[-1].quantity.group == "county"


def test_follow_up_shares_are_of_those_with_a_vision_as_the_report_states_them(pages):
    everyone = v.follow_ups(pages["all"]).table.estimates
    top_help, top_plan = everyone[10:]
    assert top_help.quantity == claims.Quantity("share", v.COULD_HELP, (4, 5), "has_vision")
    assert (top_help.figure_id, top_plan.figure_id) == ("LGC24-0021", "LGC24-0023")
    assert {e.evidence for e in everyone[:10]} == {"bounded"}
    assert {e.group for e in everyone} == {"all"}
    county = v.follow_ups(pages["county"]).table.estimates
    assert county[10].quantity == claims.Quantity(
        "share", v.COULD_HELP, (4, 5), "county", given=(("has_vision", (1,)),)
    )
    assert (county[10].evidence, county[11].evidence) == ("assumed", "assumed")


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """The embedded data as a researcher's own file (no synthetic prefix), with one county
    respondent's 'no' vision made 'yes': 18 of 20, outside the report's 85%."""
    frame = pd.read_csv(microdata.DEFAULT_PATH, dtype=str, keep_default_na=False)
    frame["respondent_id"] = frame["respondent_id"].str.replace(
        microdata.SYNTHETIC_PREFIX, "R-", regex=False
    )
    first_no = frame.index[(frame["council_type"] == "county") & (frame["has_vision"] == "0")][0]
    frame.loc[first_no, "has_vision"] = "1"
    path = tmp_path_factory.mktemp("real") / "mine.csv"
    frame.to_csv(path, index=False)
    return {t: page.load_page(t, str(path)) for t in ("county", "all")}


def test_on_real_data_every_estimate_is_observed_and_a_value_outside_its_range_is_flagged(real):
    county = real["county"]
    assert not county.synthetic
    share = v.vision_share(county)
    own = share.evidence
    assert (own.evidence, own.identification, own.figure_id) == (
        "observed",
        "published",
        "LGC24-0017",
    )
    assert own.value == pytest.approx(90) and own.within_bounds is False
    assert share.sentence.startswith(
        "**County council respondents: 90%** say their council has a strategic vision "
        f"(95% CI 70–97%; n = 20; {own.phrase()}), not clearly different from"
    )
    assert "outside the range the published figures allow" in own.phrase()
    assert rows(share.tables[0])[1][-1] == own.cell
    assert own.cell.startswith("◆ observed; outside the published range")
    # Findings everywhere: tests, order words and overlaps as on real data before.
    gap = v.unrealised_potential(county)
    assert "McNemar, exact binomial, p = " in gap.sentence
    assert rows(gap.tables[1])[1][6] != "–"
    themes = v.theme_ranking(county)
    assert "neighbouring pairs in the ranking have overlapping intervals" in themes.sentence
    results = [share, v.follow_ups(county), gap, themes, v.weighting_comparison(real["all"])]
    found = [e for result in results for shown in _shown(result) for e in shown.estimates]
    assert {e.evidence for e in found} == {"observed"}
    assert {e.identification for e in found} == {"published", "bounded", "assumed"}


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
        assert ("What the published evidence says about" in text) == (name != "all")
    headlines = {
        name: _headlines(nbformat.read(out / "vision" / f"{name}.ipynb", as_version=4))
        for name in expected
    }
    # The county's share below potential is illustrative: no headline.
    assert headlines["county"] == {"Has a strategic vision": "85% (n=20)"}
    # A type too small to show records why, not everyone's figure under its own heading.
    assert headlines["other"] == dict.fromkeys(
        headlines["all"], "not shown: n = 0, below the minimum of 10"
    )
    assert len(headlines["all"]) == 2
    county = (out / "vision" / "county.ipynb").read_text(encoding="utf-8")
    # The county page never states the all-respondents share as its own.
    assert f"County council respondents: {shares.at['all', 'estimate']:.0f}%" not in county


# --- main points -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def found():
    pages = {c: page.load_page(c) for c in ("all", "county", "wales")}
    return {c: (p, v.results(p)) for c, p in pages.items()}


def test_the_main_points_for_everyone_lead_with_the_reports_figures(found):
    p, results = found["all"]
    points = v.main_points(p, results)
    assert [pt.sentence for pt in points] == [
        "All respondents: 79% say their council has a strategic vision (n = 78; as the report "
        "states (LGC24-0014)).",
        "Of those with a vision, 62% say digital could help achieve it to a large or very large "
        "extent (n = 61; as the report states (LGC24-0021)).",
        "Of those with a vision, 58% say digital is part of the plan to that extent (n = 62; as "
        "the report states (LGC24-0023)).",
        "For 31% of those answering both, the plan falls short of the potential they see "
        "(n = 61; the published figures put this between 25% and 69%).",
    ]
    assert [pt.basis.evidence for pt in points] == ["published"] * 3 + ["bounded"]
    # The numbers are the page's own: the same estimates its sections show.
    assert points[0].estimates == (results.vision.evidence,)


def test_a_types_main_points_add_what_the_report_confines_and_leave_out_the_illustrative(
    found, monkeypatch
):
    p, results = found["county"]
    points = v.main_points(p, results)
    statuses = [pt.basis.evidence for pt in points]
    assert statuses[0] == "published" and "assumed" in statuses
    added = points[-1]
    assert added.sentence.startswith(
        "County council respondents, how far digital could help the vision (mean, 1-5): "
    )
    assert added.basis.evidence == "bounded" and added.basis.group == "county"
    # Each estimate stands behind one point only: the vision share is not repeated.
    quantities = [e.quantity for pt in points for e in pt.estimates]
    assert len(quantities) == len(set(quantities))
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **_: shown.extend(objs))
    p.main_points(points)
    items = re.findall(r"<li>(.*?)</li>", shown[0].data)
    assert len(items) == statuses.count("published") + statuses.count("bounded")
    assert not any("illustrative" in item for item in items)


def test_a_too_small_types_main_points_are_everyones_and_say_so(found):
    p, results = found["wales"]
    points = v.main_points(p, results)
    assert [pt.sentence for pt in points] == [pt.sentence for pt in v.main_points(*found["all"])]
    assert all(e.group == "all" for pt in points for e in pt.estimates)
