"""The potential-versus-plan analysis against hand-computed values on small frames."""

import math
from types import SimpleNamespace

import matplotlib
import numpy as np
import pandas as pd
import pytest
from conftest import site_results
from councildigital import stats
from councildigital.data import survey
from councildigital.data.microdata import column_name
from councildigital.sections import estimates, plots, potential_vs_plan
from councildigital.sections.page import load_page
from councildigital.sections.potential_vs_plan import FoldedTable
from councildigital.sections.records import DATA_MIME

matplotlib.use("Agg")
T_975_DF3 = 3.1824463  # Student's t, 97.5th percentile, 3 degrees of freedom (tables)


def respondents(n: int, **columns) -> pd.DataFrame:
    """``n`` respondents answering 3 to every 1-5 item and no to every yes/no item, but ``columns``."""
    frame = {}
    for theme in potential_vs_plan.THEME_CODES:
        for question in potential_vs_plan.THEME_MEASURES:
            frame[column_name(question, theme)] = [3.0] * n
        for kind in potential_vs_plan.TYPE_CODES:
            for question in potential_vs_plan.TYPE_MEASURES:
                frame[column_name(question, theme, kind)] = [0.0] * n
    frame.update({name: [float(v) for v in values] for name, values in columns.items()})
    return pd.DataFrame(frame, index=pd.RangeIndex(100, 100 + n))


def test_holm_adjusts_the_tests_done_and_keeps_missing_ones_missing():
    # Sorted 0.01, 0.03, 0.04 times 3, 2, 1 = 0.03, 0.06, 0.04; made monotone: 0.06 for both.
    got = potential_vs_plan.holm([0.01, 0.04, 0.03, np.nan])
    np.testing.assert_allclose(got, [0.03, 0.06, 0.06, np.nan])


def test_theme_means_per_measure_with_t_interval_and_suppression():
    frame = respondents(4, pot_prevention=[5, 4, 3, 2])
    table = potential_vs_plan.theme_means(frame, min_base=4)
    row = table[(table["theme"] == "prevention") & (table["measure"] == "pot")].iloc[0]
    half = T_975_DF3 * math.sqrt(5 / 3) / 2  # sd of 5,4,3,2 is sqrt(5/3); se = sd / sqrt(4)
    assert row["mean"] == pytest.approx(3.5)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((3.5 - half, 5.0))  # 3.5 + 2.05 clipped
    assert row["n"] == 4 and row["measure_label"] == "Digital potential"
    assert len(table) == 27
    small = potential_vs_plan.theme_means(frame, min_base=5)
    assert small["suppressed"].all() and small["mean"].isna().all()
    assert small["suppression_reason"].iloc[0] == "base n = 4 is below the minimum of 5"


def test_theme_means_clip_intervals_to_the_scale_and_say_so():
    frame = respondents(4, pot_prevention=[5, 5, 5, 4])  # mean 4.75: the t interval passes 5
    table = potential_vs_plan.theme_means(frame, min_base=4)
    row = table[(table["theme"] == "prevention") & (table["measure"] == "pot")].iloc[0]
    assert row["ci_high"] == 5.0 and bool(row["bounded"])
    assert stats.clipped_note(table, survey.EXTENT) == "Intervals clipped to the scale's 1-5 range."


def test_theme_means_weighted():
    frame = respondents(4, sig_prevention=[1, 2, 3, 4])
    weights = pd.Series([1, 1, 1, 3], index=frame.index)
    table = potential_vs_plan.theme_means(frame, weights=weights, min_base=1)
    row = table[(table["theme"] == "prevention") & (table["measure"] == "sig")].iloc[0]
    assert row["mean"] == pytest.approx(3.0)  # (1 + 2 + 3 + 3 * 4) / 6
    assert row["n_eff"] == pytest.approx(3.0)  # 6^2 / 12


def test_theme_gaps_paired_and_ranked_largest_first():
    frame = respondents(
        4,
        pot_prevention=[5, 4, 3, 2],  # differences 2, 1, 0, -1
        pot_regeneration=[4, 4, 4, 3],  # differences 1, 1, 1, 0
    )
    table = potential_vs_plan.theme_gaps(frame, min_base=2)
    assert table["theme"].iloc[:2].tolist() == ["regeneration", "prevention"]
    regen, prev = table.iloc[0], table.iloc[1]
    assert regen["mean_diff"] == pytest.approx(0.75) and prev["mean_diff"] == pytest.approx(0.5)
    half = T_975_DF3 * math.sqrt(5 / 3) / 2
    assert (prev["ci_low"], prev["ci_high"]) == pytest.approx((0.5 - half, 0.5 + half))
    assert regen["rank"] == 1 and prev["rank"] == 2
    # The other seven themes have no difference at all: no test, so nothing to adjust.
    assert table["t_p"].iloc[2:].isna().all()
    ordered = np.sort(table["t_p"].iloc[:2].to_numpy())
    assert table["t_p_holm"].iloc[:2].min() == pytest.approx(2 * ordered[0])
    assert (table["n"] == 4).all()


def test_theme_gaps_of_nobody_is_a_table_of_empty_bases_not_an_error():
    table = potential_vs_plan.theme_gaps(respondents(0))
    assert len(table) == 9 and (table["n"] == 0).all() and table["suppressed"].all()
    assert table["mean_diff"].isna().all() and table["t_p_holm"].isna().all()


def gap_rows(mean_diff, ci_low, t_p_holm, suppressed=None, evidence=None) -> pd.DataFrame:
    """A :func:`potential_vs_plan.theme_evidence`-shaped table with the columns the counts read."""
    return pd.DataFrame(
        {
            "mean_diff": mean_diff,
            "ci_low": ci_low,
            "t_p_holm": t_p_holm,
            "suppressed": suppressed or [False] * len(mean_diff),
            "evidence": evidence or ["bounded"] * len(mean_diff),
        }
    )


def test_clear_gaps_counts_holm_adjusted_tests_not_unadjusted_intervals():
    # Seven intervals exclude zero, but only four of those gaps have Holm p < 0.05;
    # the last theme is clearly below (negative gap, Holm p 0.04).
    gaps = gap_rows(
        [0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0, -0.3],
        [0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, -0.2, -0.6],
        [0.001, 0.004, 0.01, 0.049, 0.05, 0.2, 0.3, 1.0, 0.04],
    )
    clear = potential_vs_plan.clear_gaps(gaps)
    assert (clear.above, clear.below, clear.shown, clear.family) == (4, 1, 9, 9)
    assert clear.title("county councils") == (
        "Digital potential is clearly above current plans for 4 of the 9 themes shown "
        "after the Holm adjustment for the 9 themes tested (county councils)"
    )
    assert clear.sentence() == (
        "For 4 of the 9 themes shown, the mean potential is above the mean plan with a paired "
        "t test Holm-adjusted p below 0.05 over the 9 themes tested; for 1 theme(s) it is "
        "below. The 95% intervals shown are not adjusted: 7 of them exclude zero."
    )
    assert clear.headline() == "4 of 9 themes, after the Holm adjustment for the 9 themes tested"


def test_clear_gaps_every_none_and_suppressed_themes():
    every = potential_vs_plan.clear_gaps(gap_rows([0.5, 0.4], [0.2, 0.1], [0.001, 0.01]))
    assert every.title("all respondents").startswith(
        "Digital potential is clearly above current plans for every theme after the Holm "
        "adjustment for the 2 themes tested"
    )
    assert every.sentence().endswith("over the 2 themes tested.")
    # A suppressed theme is neither shown nor in the Holm family.
    none = potential_vs_plan.clear_gaps(
        gap_rows(
            [0.5, 0.1, np.nan], [0.01, -0.1, np.nan], [0.06, 0.5, np.nan], [False, False, True]
        )
    )
    assert (none.above, none.shown, none.family, none.unadjusted_above) == (0, 2, 2, 1)
    assert none.where == "none of the 2 themes shown"


def test_clear_gaps_count_only_the_gaps_the_published_figures_confine():
    # The illustrative theme is not tested (no Holm p): it is neither shown nor in the family.
    some = potential_vs_plan.clear_gaps(
        gap_rows([0.5, 0.4], [0.2, 0.1], [0.001, np.nan], evidence=["bounded", "assumed"])
    )
    assert (some.above, some.shown, some.family, some.illustrative) == (1, 1, 1, 1)
    assert some.where == "1 of the 1 themes tested"
    assert some.sentence().endswith(
        "over the 1 themes tested. The other 1 themes' gaps are not tested: the published "
        "figures leave them essentially free, so they are illustrative."
    )
    assert (
        some.headline() == "1 of 1 themes tested, after the Holm adjustment for the 1 themes tested"
    )
    free = potential_vs_plan.clear_gaps(gap_rows([0.5], [0.2], [np.nan], evidence=["assumed"]))
    assert free.title("county councils") == (
        "Significance, potential and plans per theme (county councils; illustrative)"
    )
    assert "clearly" not in free.sentence() and "Holm" not in free.sentence()
    assert free.sentence() == (
        "No theme's gap is tested: the published figures leave all 1 essentially free, so the "
        "means and gaps below are illustrative: set by the reconstruction's assumptions, not by "
        "the report."
    )


def test_clear_gaps_from_theme_gaps_drops_gaps_only_unadjusted_p_supports():
    # Every theme: differences 1 for five respondents, 0 for five (t = 3, p about 0.015 alone);
    # Holm over the nine equal p-values multiplies them by nine, above 0.05.
    frame = respondents(
        10, **{f"pot_{t}": [4] * 5 + [3] * 5 for t in potential_vs_plan.THEME_CODES}
    )
    gaps = potential_vs_plan.theme_gaps(frame, min_base=2).assign(evidence="bounded")
    assert (gaps["t_p"] < 0.05).all() and (gaps["t_p_holm"] > 0.05).all()
    clear = potential_vs_plan.clear_gaps(gaps)
    assert (clear.above, clear.unadjusted_above, clear.family) == (0, 9, 9)
    assert clear.where == "none of the 9 themes shown"


def test_type_shares_on_their_own_base_with_wilson_interval():
    frame = respondents(5, help_prevention__cloud=[1, 1, 1, 1, 0])
    frame.loc[frame.index[0], "planned_prevention__cloud"] = np.nan
    table = potential_vs_plan.type_shares(frame, min_base=5)
    assert len(table) == 108
    cell = table[(table["theme"] == "prevention") & (table["digital_type"] == "cloud")]
    could = cell[cell["measure"] == "help"].iloc[0]
    assert could["estimate"] == pytest.approx(80)
    # Wilson, z = 1.96, 4 of 5: centre 0.66965, half-width 0.29412.
    assert (could["ci_low"], could["ci_high"]) == pytest.approx((37.55, 96.38), abs=0.01)
    planned = cell[cell["measure"] == "planned"].iloc[0]
    assert planned["n"] == 4 and planned["suppressed"] and np.isnan(planned["estimate"])


def test_type_gaps_mcnemar_on_complete_pairs_ranked_with_negative_gaps_last():
    frame = respondents(
        6,
        help_prevention__cloud=[1, 1, 1, 0, 1, 1],
        planned_prevention__cloud=[0, 0, 1, 0, 1, 1],
        planned_regeneration__iot=[1, 1, 1, 1, 1, 1],  # planned by all, could help for none
    )
    frame.loc[frame.index[5], "help_prevention__cloud"] = np.nan
    table = potential_vs_plan.type_gaps(frame, min_base=5)
    top, last = table.iloc[0], table.iloc[-1]
    assert (top["theme"], top["digital_type"]) == ("prevention", "cloud")
    # Complete pairs: 5; both 2, help only 2, planned only 0, neither 1.
    assert top["n"] == 5 and (top["a_only"], top["b_only"]) == (2, 0)
    assert (top["share_a"], top["share_b"], top["diff_pp"]) == pytest.approx((80, 40, 40))
    assert top["test"] == "exact binomial"
    assert top["p_value"] == pytest.approx(0.5)  # two discordant pairs, both one way: 2 * 0.5^2
    assert top["ci_low"] < 40 < top["ci_high"]
    assert (last["theme"], last["digital_type"], last["diff_pp"]) == ("regeneration", "iot", -100)
    assert last["rank"] == 54
    assert table["p_holm"].notna().sum() == 54


def test_type_gaps_suppresses_and_does_not_test_small_bases():
    table = potential_vs_plan.type_gaps(respondents(3), min_base=5)
    assert table["suppressed"].all() and table["p_holm"].isna().all()
    assert set(table["test"]) == {"not tested (small base)"}


def test_overall_means_per_respondent_over_themes_weighted_beside_unweighted():
    frame = respondents(4, pot_prevention=[3, 3, 3, 12])  # person 4's mean potential: 4
    weights = pd.Series([1, 1, 1, 3], index=frame.index)
    table = potential_vs_plan.overall_means(frame, weights, min_base=2).set_index(
        ["measure", "weighting"]
    )
    assert table.loc[("pot", "unweighted"), "mean"] == pytest.approx(3.25)
    assert table.loc[("pot", "weighted"), "mean"] == pytest.approx((3 + 3 + 3 + 3 * 4) / 6)
    assert table.loc[("gap", "weighted"), "mean"] == pytest.approx(0.5)
    assert table.loc[("pot", "weighted"), "n_eff"] == pytest.approx(3.0)
    assert table.loc[("plan", "unweighted"), "n"] == 4
    assert potential_vs_plan.overall_means(frame, min_base=5)["suppressed"].all()


def test_published_inconsistencies_finds_cells_planned_more_than_could_help():
    figures = pd.DataFrame(
        {
            "question": ["type_could_help", "type_planned", "type_could_help", "type_planned"],
            "item": [
                "place_making:iot",
                "place_making:iot",
                "prevention:cloud",
                "prevention:cloud",
            ],
            "group": "all",
            "measure": "share",
            "value": [61.0, 63.0, 50.0, 40.0],
        }
    )
    gaps = potential_vs_plan.type_gaps(respondents(3), min_base=1)
    found = potential_vs_plan.published_inconsistencies(figures, gaps)
    assert found[["theme", "digital_type"]].values.tolist() == [["place_making", "iot"]]
    row = found.iloc[0]
    assert (row["published_could_help"], row["published_planned"], row["published_gap"]) == (
        61,
        63,
        -2,
    )
    assert row["diff_pp"] == 0 and row["n"] == 3


def test_cell_text_shows_small_bases_and_why_a_cell_is_blank():
    got = potential_vs_plan.cell_text(pd.Series([61.4, 50.0, np.nan]), pd.Series([77, 78, 5]))
    assert got.tolist() == ["61\nn=77", "50", "n=5\nsuppressed"]


def test_charts_draw_what_they_are_given():
    plots.set_theme()
    long = pd.DataFrame(
        {
            "row": ["a", "a", "b", "b"],
            "level": ["pot", "plan", "pot", "plan"],
            "x": [4.0, 3.0, 2.0, 2.5],
            "lo": [3.5, 2.5, 1.5, 2.0],
            "hi": [4.5, 3.5, 2.5, 3.0],
        }
    )
    ax = plots.dumbbell(
        long, "x", "row", "level", "lo", "hi", hue_order=["pot", "plan"], connect=("pot", "plan")
    )
    bar = ax.collections[0].get_segments()[0]
    assert (bar[0][0], bar[1][0]) == (3.0, 4.0)  # the bar spans plan to potential for row a
    gaps = pd.DataFrame({"row": ["a", "b"], "d": [1.0, -0.2], "lo": [0.5, -0.6], "hi": [1.5, 0.2]})
    ax = plots.gap_dots(gaps, "d", "row", "lo", "hi")
    filled, hollow = ax.collections[1], ax.collections[2]
    assert filled.get_offsets().tolist() == [[1.0, 0.0]]  # only a's interval excludes zero
    assert hollow.get_offsets().tolist() == [[-0.2, 1.0]]
    grid = pd.DataFrame(
        {"t": ["x", "x", "y", "y"], "k": ["p", "q", "p", "q"], "v": [10.0, np.nan, 30, 40]}
    )
    grid["text"] = potential_vs_plan.cell_text(grid["v"], pd.Series([9, 9, 9, 9]))
    ax = plots.cell_heatmap(
        grid, "k", "t", "v", text="text", x_order=["p", "q"], y_order=["x", "y"]
    )
    assert [t.get_text() for t in ax.texts] == ["10", "n=9\nsuppressed", "30", "40"]
    matplotlib.pyplot.close("all")


# --- the page's results, against the published pages (synthetic data, default parameters) ---

SCOPES = {"all": "all respondents", "county": "county councils", "wales": "all respondents"}


@pytest.fixture(scope="module")
def pages():
    """The page, its theme gaps and its theme x type gaps for all, county and a too-small type."""
    found = {}
    for council_type in SCOPES:
        page = load_page(council_type)
        found[council_type] = (
            page,
            potential_vs_plan.theme_evidence(page),
            potential_vs_plan.cell_evidence(page),
        )
    return found


@pytest.fixture(scope="module")
def unshown():
    """A page whose minimum base (100) is above everyone's (78): nothing can be tested."""
    page = load_page("all", min_base=100)
    return page, potential_vs_plan.theme_evidence(page), potential_vs_plan.cell_evidence(page)


def test_scope_and_cell_names(pages):
    assert {c: potential_vs_plan.scope(pages[c][0]) for c in SCOPES} == SCOPES
    _, _, cells = pages["county"]
    assert potential_vs_plan.cell_names(cells.head(2)) == (
        "IoT for regeneration and Gen AI for citizen-centred"
    )
    assert potential_vs_plan.cell_names(cells.head(1), short=False) == (
        "Internet of things (IoT) for regeneration"
    )


THEME_SENTENCES = {
    "all": "For every theme, the mean potential is above the mean plan with a paired t test "
    "Holm-adjusted p below 0.05 over the 9 themes tested.",
    # The report says nothing of county councils' gaps: none is tested.
    "county": "No theme's gap is tested: the published figures leave all 9 essentially free, so "
    "the means and gaps below are illustrative: set by the reconstruction's assumptions, not by "
    "the report.",
}
THEME_SENTENCES["wales"] = THEME_SENTENCES["all"]
ILLUSTRATIVE = "○ illustrative (assumed)"


@pytest.mark.parametrize("council_type", SCOPES)
def test_theme_profile_as_the_page_shows_it(pages, council_type):
    page, gaps, _ = pages[council_type]
    got = potential_vs_plan.theme_profile(page, gaps)
    county = council_type == "county"
    assert got.sentence == THEME_SENTENCES[council_type]
    assert got.chart.title == (
        "Significance, potential and plans per theme (county councils; illustrative)"
        if county
        else "Digital potential is clearly above current plans for every theme after the Holm "
        f"adjustment for the 9 themes tested ({SCOPES[council_type]})"
    )
    assert (got.chart.x, got.chart.y, got.chart.wrap) == (
        "Mean answer (1 = not at all, 5 = very large / very important), with 95% CI",
        "Theme",
        80,
    )
    # The count rests on the gaps tested: bounded by the report's 'every gap above zero' for
    # everyone; for county councils none is tested, so the headline rests on illustrative gaps.
    statuses = {e.evidence for e in got.evidence}
    assert statuses == ({"assumed"} if county else {"bounded"}) and len(got.evidence) == 9
    n = 20 if county else 78
    assert (got.chart.n, got.table.base) == (str(n), f"n = {n}")
    assert got.table.caption == f"Mean answers per theme, {SCOPES[council_type]}, 1-5 scale"
    assert len(got.chart.frame) == 27 and (got.chart.frame["n"] == n).all()
    # The report publishes no theme mean, only orderings: every mean is illustrative.
    assert set(got.chart.frame["evidence"]) == {"assumed"}
    assert len(got.chart.estimates) == len(got.table.estimates) == 27
    assert got.table.frame.columns.tolist() == [
        "Theme",
        "Significance in the vision, mean (95% CI)",
        "Significance in the vision, n",
        "Significance in the vision, evidence",
        "Digital potential, mean (95% CI)",
        "Digital potential, n",
        "Digital potential, evidence",
        "Current plans, mean (95% CI)",
        "Current plans, n",
        "Current plans, evidence",
    ]
    first = (
        ["4.55 (4.23 to 4.87)", 20, "4.30 (3.84 to 4.76)", 20, "3.95 (3.41 to 4.49)", 20]
        if county
        else ["4.55 (4.39 to 4.71)", 78, "4.40 (4.23 to 4.57)", 78, "3.90 (3.68 to 4.11)", 78]
    )
    marked = [
        x for pair in zip(first[::2], first[1::2], strict=True) for x in (*pair, ILLUSTRATIVE)
    ]
    assert got.table.frame.iloc[0].tolist() == ["Efficiency and productivity", *marked]


def test_theme_profile_without_a_testable_theme_says_so(unshown):
    page, gaps, _ = unshown
    got = potential_vs_plan.theme_profile(page, gaps)
    assert got.chart is None and got.table is None
    assert got.sentence == (
        "No theme has a base of at least 100 respondents here, so no means are shown."
    )


GAP_SENTENCES = {
    # Issue 14's named case: the largest gap is the difference of two illustrative means, so
    # the reading is illustrative: no test, no bold finding (and no headline).
    "all": "In this synthetic data the gap is largest for Citizen-centred decision making: "
    "potential 4.00 against plan 3.00, a gap of +1.00 points (95% CI +0.83 to +1.17; n = 78; "
    "the published figures put this between +0.01 and +4.00). Its interval overlaps the next "
    "theme's (Personalised services), so the order of the top themes is not clearly supported. "
    "The smallest gap is for Place making and community partnerships, Economic growth and "
    "Regeneration (+0.40). The two means are illustrative: set by the reconstruction's "
    "assumptions, not by the report.",
    "county": "In this synthetic data the gap is largest for Citizen-centred decision making: "
    "potential 4.10 against plan 3.00, a gap of +1.10 points (95% CI +0.80 to +1.40; n = 20). "
    "Its interval overlaps the next theme's (Openness and transparency), so the order of the "
    "top themes is not clearly supported. The smallest gap is for Regeneration (+0.15). The two "
    "means and which gap is largest are illustrative: set by the reconstruction's assumptions, "
    "not by the report.",
}
GAP_SENTENCES["wales"] = GAP_SENTENCES["all"]
BOUNDED_GAP = "◐ bounded: +0.01 to +4.00"


@pytest.mark.parametrize("council_type", SCOPES)
def test_gap_ranking_as_the_page_shows_it(pages, council_type):
    page, gaps, _ = pages[council_type]
    got = potential_vs_plan.gap_ranking(page, gaps)
    county = council_type == "county"
    assert got.sentence == GAP_SENTENCES[council_type]
    assert "Holm" not in got.sentence and "**" not in got.sentence
    gap, n = ("+1.10", 20) if county else ("+1.00", 78)
    assert got.headline == f"Citizen-centred decision making: {gap} points on a 1-5 scale (n = {n})"
    assert estimates.weakest(got.evidence).evidence == "assumed"
    assert got.chart.title == (
        "The gap between digital potential and plans is largest for Citizen-centred decision "
        f"making ({gap} points): an illustrative ranking"
    )
    assert (got.chart.x, got.chart.y, got.chart.wrap) == (
        "Potential minus plan (points on the 1-5 scale), with 95% CI",
        "Theme (largest gap first)",
        80,
    )
    assert (got.chart.n, got.table.base) == (str(n), f"n = {n}")
    assert (
        got.table.caption
        == f"Potential minus plan per theme, {SCOPES[council_type]}, ranked"
        + (
            "; illustrative (○) gaps carry no test (–): the published figures leave them essentially "
            "free"
            if county
            else ""
        )
    )
    frame = got.chart.frame
    assert frame["theme"].iloc[0] == "citizen_centred_decisions" and len(frame) == 9
    assert set(frame["evidence"]) == {"assumed" if county else "bounded"}
    assert len(got.chart.estimates) == 9 and len(got.table.estimates) == 27
    assert "Not shown because" not in got.table.frame.columns
    # An illustrative gap carries no test; a bounded one keeps its tests and shows its range.
    rows = (
        [
            [
                "1",
                "Citizen-centred decision making",
                "4.10 ○",
                "3.00 ○",
                "+1.10 (+0.80 to +1.40)",
                ILLUSTRATIVE,
                "–",
                "–",
                "–",
                20,
            ],
            [
                "9",
                "Regeneration",
                "2.75 ○",
                "2.60 ○",
                "+0.15 (-0.12 to +0.42)",
                ILLUSTRATIVE,
                "–",
                "–",
                "–",
                20,
            ],
        ]
        if county
        else [
            [
                "1",
                "Citizen-centred decision making",
                "4.00 ○",
                "3.00 ○",
                "+1.00 (+0.83 to +1.17)",
                BOUNDED_GAP,
                "< 0.001",
                "< 0.001",
                "< 0.001",
                78,
            ],
            [
                "7",
                "Regeneration",
                "2.90 ○",
                "2.50 ○",
                "+0.40 (+0.23 to +0.56)",
                BOUNDED_GAP,
                "< 0.001",
                "< 0.001",
                "< 0.001",
                78,
            ],
        ]
    )
    table = got.table.frame
    assert [table.iloc[0].tolist(), table.iloc[-1].tolist()] == rows


def test_the_largest_theme_gap_is_no_headline(pages, displayed):
    from councildigital.sections import records

    page, gaps, _ = pages["all"]
    ranking = potential_vs_plan.gap_ranking(page, gaps)
    page.headline(
        "Largest gap between digital potential and plans", ranking.headline, ranking.evidence
    )
    themes = potential_vs_plan.theme_profile(page, gaps)
    page.headline(
        "Themes where digital potential is clearly above plans", themes.headline, themes.evidence
    )
    recorded = [o[records.HEADLINE_MIME] for o, _ in displayed if records.HEADLINE_MIME in o]
    # Only the count of clear gaps is a headline: every gap above zero is what the report says.
    assert [(r["label"], r["evidence"]) for r in recorded] == [
        ("Themes where digital potential is clearly above plans", "bounded")
    ]


def test_gap_ranking_without_a_testable_theme_says_so(unshown):
    page, gaps, _ = unshown
    got = potential_vs_plan.gap_ranking(page, gaps)
    assert got.chart is None and got.table is None
    assert got.sentence == "No gap is tested: every theme's base is below the minimum."
    assert got.headline == "not shown: every theme's base is below 100"


UNWEIGHTED = (
    "Averaged over the nine themes, {reading} {gap} points per respondent "
    "(95% CI {ci}; n = {n}; {evidence}). All figures on this page are unweighted{end}"
)
EXCEEDS, FREE = "potential exceeds plans by", "the gap between potential and plans is"
BOUNDS = "the published figures put this between +0.01 and +4.00"
ASSUMED = "illustrative: set by the reconstruction's assumptions, not by the report"


def test_overall_gap_unweighted(pages, unshown):
    # Everyone's gap is bounded (every theme's gap is above zero in the report), and shows its
    # range; county councils' is illustrative, so it 'is', rather than 'exceeds'.
    hint = "; run the 'all' page with `weighting = \"council_type\"` for weighted figures."
    everyone = {"reading": EXCEEDS, "gap": "+0.57", "ci": "+0.51 to +0.63", "n": 78}
    expected = {
        "all": UNWEIGHTED.format(**everyone, evidence=BOUNDS, end=hint),
        "county": UNWEIGHTED.format(
            reading=FREE, gap="+0.56", ci="+0.46 to +0.65", n=20, evidence=ASSUMED, end="."
        ),
        "wales": UNWEIGHTED.format(**everyone, evidence=BOUNDS, end="."),
    }
    for council_type, sentence in expected.items():
        got = potential_vs_plan.overall_gap(pages[council_type][0])
        assert got.sentence == sentence and got.table is None
    assert potential_vs_plan.overall_gap(unshown[0]).sentence == ""


def test_overall_gap_weighted_beside_unweighted():
    got = potential_vs_plan.overall_gap(load_page("all", weighting="council_type"))
    assert got.sentence == (
        "Weighting moves the mean gap by -0.01 points. Every weighted mean lies inside the "
        "unweighted 95% interval: the picture does not rest on the sample's mix of council types. "
        "These means are illustrative: set by the reconstruction's assumptions, not by the report."
    )
    assert got.note.startswith("### Weighted and unweighted\n\n")
    assert (got.table.caption, got.table.base) == (
        "Mean over the nine themes, unweighted and weighted by council type",
        78,
    )
    assert got.table.frame.to_dict("list") == {
        "Measure (mean over the nine themes)": [
            "Significance in the vision",
            "Digital potential",
            "Current plans",
            "Potential minus plan",
        ],
        "Unweighted mean (95% CI)": [
            "3.85 (3.78 to 3.92)",
            "3.62 (3.49 to 3.75)",
            "3.05 (2.93 to 3.17)",
            "0.57 (0.51 to 0.63)",
        ],
        "Unweighted: evidence": [ILLUSTRATIVE] * 3 + [BOUNDED_GAP],
        "Weighted mean (95% CI)": [
            "3.83 (3.73 to 3.92)",
            "3.62 (3.46 to 3.79)",
            "3.06 (2.90 to 3.21)",
            "0.56 (0.48 to 0.65)",
        ],
        # Weighted, the gap's range is that of the types' gaps combined in their weights.
        "Weighted: evidence": [ILLUSTRATIVE] * 3 + ["◐ bounded: -2.64 to +4.00"],
        "n": [78, 78, 78, 78],
        "n_eff (weighted)": ["39.65"] * 4,
    }
    assert len(got.table.estimates) == 8
    # County weights are all equal: weighting is only shown beside the 'all' page's figures.
    assert (
        potential_vs_plan.overall_gap(load_page("county", weighting="council_type")).table is None
    )


RANKED = ": an illustrative ranking"
ALL_MAPS = (
    # One could-help share (front door for efficiency) is illustrative: so is the ranking.
    ("Could help: highest for Automation for efficiency (77%)" + RANKED, ["62", "64", "64"]),
    ("Currently planned: highest for Data platform for openness (68%)", ["52\nn=77", "49", "50"]),
    ("In 44 of 54 cells more say a type could help than plan it; in 7 fewer", ["27", "18\nn=77"]),
)
COUNTY_MAPS = (
    (
        "Could help: highest for Data platform for economic growth (75%)" + RANKED,
        ["65", "60", "60"],
    ),
    (
        "Currently planned: highest for Data platform for citizen-centred and Front door for "
        "personalised (70%)" + RANKED,
        ["40", "55", "60"],
    ),
    (
        "In 42 of 54 cells more say a type could help than plan it; in 5 fewer: illustrative counts",
        ["35", "30"],
    ),
)


@pytest.mark.parametrize("council_type", SCOPES)
def test_cell_maps_titles_cells_and_scales(pages, council_type):
    page, _, cells = pages[council_type]
    could, planned, gap = potential_vs_plan.cell_maps(page, cells)
    county = council_type == "county"
    for got, (title, text) in zip(
        (could, planned, gap), COUNTY_MAPS if county else ALL_MAPS, strict=True
    ):
        assert got.chart.title == title
        assert (got.chart.x, got.chart.y, got.chart.wrap) == ("Type of digital", "Theme", 80)
        assert got.chart.frame["text"].tolist()[: len(text)] == text
        assert len(got.chart.frame) == 54
    varies = "19 to 20" if county else "77 to 78"
    assert could.chart.n == f"{varies} (varies with item non-response)"
    assert planned.chart.n == ("20" if county else could.chart.n)
    assert gap.chart.n == f"{varies} (varies with item non-response) answering both items"
    assert (could.vmin, could.vmax, could.value, could.cmap) == (0, 100, "estimate", "viridis")
    assert could.colorbar == "Could help (% of respondents)"
    limit = 35 if county else 100 * 7 / 26  # IoT for regeneration: 7 of 20; 21 of 78 = 7/26
    assert (gap.vmin, gap.vmax, gap.center) == pytest.approx((-limit, limit, 0))
    assert (gap.value, gap.cmap) == ("diff_pp", "vlag_r")
    assert gap.sentence == (
        "Blue cells: more respondents say the type could help than say it is planned "
        "(unrealised potential); red cells: more plan it than say it could help. "
        f"{5 if county else 7} of the 54 cells are negative and are shown as such, not set to "
        "zero. "
        + (
            "Of the 54 gaps, 1 is bounded and 53 illustrative."
            if county
            else "Of the 54 gaps, 2 are published and 52 bounded."
        )
    )


def test_heat_maps_mark_every_cell_with_what_the_report_says(pages):
    # Issue 14: the report states 34 of the 54 could-help shares and 21 of the 54 planned ones.
    page, _, cells = pages["all"]
    could, planned, gap = potential_vs_plan.cell_maps(page, cells)
    assert (
        could.sentence
        == "*Could help*: Of the 54 cells shown, 34 are published, 19 bounded and 1 illustrative."
    )
    assert (
        planned.sentence
        == "*Currently planned*: Of the 54 cells shown, 21 are published and 33 bounded."
    )
    for heatmap in (could, planned, gap):
        assert heatmap.chart.frame["evidence"].notna().all()
        assert len(heatmap.chart.estimates) == 54
    frame = could.chart.frame.set_index(["theme", "digital_type"])
    # A cell the report states, one its figures confine, and one they leave free.
    stated = frame.loc[("efficiency_productivity", "automation"), "found"]
    assert (stated.evidence, stated.figure_id, stated.value) == (
        "published",
        "LGC24-0058",
        pytest.approx(76.92, abs=0.01),
    )
    assert stated.cell == "● published (LGC24-0058)"
    confined = frame.loc[("efficiency_productivity", "cloud"), "found"]
    assert confined.cell == "◐ bounded: 62% to 68%"
    free = frame.loc[("efficiency_productivity", "digital_front_door"), "found"]
    assert (free.evidence, free.figure_id) == ("assumed", "")
    assert potential_vs_plan.status_counts([free, free], "cells") == "All 2 cells are illustrative."
    counts = planned.chart.frame["evidence"].value_counts().to_dict()
    assert counts == {"bounded": 33, "published": 21}


def test_cell_maps_without_a_base_say_so_instead(unshown):
    page, _, cells = unshown
    got = potential_vs_plan.cell_maps(page, cells)
    assert [m.chart for m in got] == [None, None, None]
    assert [m.sentence for m in got] == [
        "*Could help*: every cell's base is below 100; not shown.",
        "*Currently planned*: every cell's base is below 100; not shown.",
        "No gap between could help and planned is tested: bases below 100.",
    ]


def multiple_comparisons(raw: int, holm: int) -> str:
    return (
        "**Multiple comparisons.** This page tests 54 theme x type cells. At p < 0.05, about "
        "2.7 would come out 'significant' by chance even if no gap were real. "
        f"{raw} cells have p < 0.05 on their own; after Holm's adjustment over all 54 tests, "
        f"{holm} remain. Read the unadjusted p-values as descriptive and the Holm-adjusted ones "
        "as the evidence."
    )


@pytest.mark.parametrize("council_type", SCOPES)
def test_largest_gaps_as_the_page_shows_them(pages, council_type):
    page, _, cells = pages[council_type]
    got = potential_vs_plan.largest_gaps(page, cells)
    county, scope = council_type == "county", SCOPES[council_type]
    # For county councils the report confines one cell's gap only: the others carry no test.
    assert got.sentence == (
        (
            "**Multiple comparisons.** This page tests 1 theme x type cell. At p < 0.05, about "
            "0.1 would come out 'significant' by chance even if no gap were real. 1 cell has "
            "p < 0.05 on its own; after Holm's adjustment over the one test, 1 remains. Read the "
            "unadjusted p-values as descriptive and the Holm-adjusted ones as the evidence. The "
            "other 53 cells' gaps are illustrative (the published figures leave them essentially "
            "free) and carry no test."
        )
        if county
        else multiple_comparisons(17, 3)
    )
    points, n, varies = ("+35", 20, "19 to 20") if county else ("+27", 78, "77 to 78")
    assert got.chart.title == (
        f"Largest unrealised potential: IoT for regeneration, {points} points"
        + (RANKED if county else "")
    )
    assert {e.evidence for e in got.evidence} == (
        {"assumed", "bounded"} if county else {"bounded", "published"}
    )
    assert (got.chart.x, got.chart.y, got.chart.wrap) == (
        "Could help minus planned (percentage points), with 95% Newcombe CI",
        "Theme x type (largest gap first)",
        80,
    )
    assert got.headline == f"Internet of things (IoT) for regeneration: {points} points (n = {n})"
    assert got.chart.n == f"{varies} (varies with item non-response) answering both items"
    assert got.table.base == got.every.base == f"n = {varies} (varies with item non-response)"
    frame = got.chart.frame
    assert frame["cell"].iloc[0] == "IoT for regeneration" and len(frame) == 10
    untested = "; " + potential_vs_plan.UNTESTED if county else ""
    assert got.table.caption == (
        f"The ten largest gaps between could help and planned, {scope}{untested}"
    )
    assert got.every.caption == f"All theme x type cells, {scope}, ranked{untested}"
    assert len(got.table.estimates) == 30 and len(got.every.estimates) == 162
    assert got.every.summary == "All 54 theme x type cells, ranked (negative gaps last)"
    assert len(got.table.frame) == 10 and len(got.every.frame) == 54
    assert "Not shown because" not in got.every.frame.columns
    # Shares marked by their evidence; an illustrative gap is not tested. Everyone's IoT for
    # regeneration gap is the difference of two published shares: the report pins it.
    rows = (
        [
            [
                "1",
                "Regeneration",
                "Internet of things (IoT)",
                "50 ○",
                "15 ◐",
                "+35 (+10 to +55)",
                "◐ bounded: -70 to +100 points",
                "7",
                "0",
                "exact binomial",
                "0.016",
                "0.016",
                20,
            ],
            [
                "54",
                "Personalised services",
                "Data platform",
                "30 ○",
                "60 ○",
                "-30 (-48 to -7)",
                ILLUSTRATIVE,
                "0",
                "6",
                "not tested (illustrative)",
                "–",
                "–",
                20,
            ],
        ]
        if county
        else [
            [
                "1",
                "Regeneration",
                "Internet of things (IoT)",
                "45 ●",
                "18 ●",
                "+27 (+16 to +37)",
                "◐ bounded: exactly +27 points",
                "22",
                "1",
                "exact binomial",
                "< 0.001",
                "< 0.001",
                78,
            ],
            [
                "54",
                "Personalised services",
                "Data platform",
                "35 ●",
                "55 ●",
                "-21 (-31 to -9)",
                "◐ bounded: exactly -21 points",
                "3",
                "19",
                "exact binomial",
                "< 0.001",
                "0.045",
                78,
            ],
        ]
    )
    every = got.every.frame
    assert [every.iloc[0].tolist(), every.iloc[-1].tolist()] == rows
    assert got.table.frame.iloc[0].tolist() == rows[0]


def test_largest_gaps_of_untested_cells_is_none(unshown):
    page, _, cells = unshown
    assert potential_vs_plan.largest_gaps(page, cells) is None


def test_gap_ranking_says_why_a_theme_is_blank():
    frame = respondents(4, pot_prevention=[5, 4, np.nan, np.nan], pot_regeneration=[4, 4, 4, 3])
    gaps = potential_vs_plan.theme_gaps(frame, min_base=3)
    page = SimpleNamespace(min_base=3, is_all=True, too_small=False)
    found = [
        None if pd.isna(d) else estimates.Estimate("gap", "all", d, evidence="bounded", unit="")
        for d in gaps["mean_diff"]
    ]
    gaps = gaps.assign(potential=found, plan=found, gap=found, evidence="bounded")
    got = potential_vs_plan.gap_ranking(page, gaps)
    table = got.table.frame
    blank = table[table["Theme"] == "Prevention"].iloc[0]
    assert blank["Not shown because"] == "base n = 2 is below the minimum of 3"
    assert (blank["Rank"], blank["Potential, mean"], blank["Gap (95% CI)"]) == ("–", "–", "–")
    assert table["Not shown because"].iloc[0] == ""
    assert got.table.base == "n = 2 to 4 (varies with item non-response)" and got.chart.n == "4"
    # The next theme has no interval (no variation), so nothing is said about the order.
    assert "overlaps" not in got.sentence


def test_contradictions_with_the_published_figures(pages):
    got = potential_vs_plan.contradictions(pages["all"][2])
    assert got.sentence == (
        "For 4 cells the report's own figures have more councils planning a type of digital than "
        "saying it could help (Data platform for citizen-centred decision making, Data platform "
        "for economic growth, Data platform for personalised services and Data platform for "
        "place making and community partnerships). That sits oddly with 'untapped potential', "
        "but it is what the report prints; the data reproduce it, so these gaps are negative "
        "here and are shown as such."
    )
    assert got.table.caption == (
        "Cells where the published report has more planning a type than saying it could help"
    )
    assert got.table.base == "n = 77 to 78 (varies with item non-response)"
    assert got.table.frame.iloc[0].tolist() == [
        "Citizen-centred decision making",
        "Data platform",
        "46",
        "55",
        "-9",
        "-9 (-18 to +0)",
        "◐ bounded: exactly -9 points",
        78,
    ]
    # The report's shares are its figures, not estimates; the data's gaps beside them are.
    assert got.table.frame.iloc[-1].tolist()[2:] == [
        "61",
        "63",
        "-2",
        "-3 (-13 to +8)",
        "◐ bounded: -3 to -1 points",
        77,
    ]
    assert got.table.estimates[0].statistic == (
        "Data platform could help minus planned for citizen-centred decision making "
        "(difference of shares)"
    )
    assert len(got.table.estimates) == 4


def test_contradictions_none_when_the_report_is_consistent(pages):
    figures = pd.DataFrame(
        {
            "question": ["type_could_help", "type_planned"],
            "item": ["prevention:cloud", "prevention:cloud"],
            "group": "all",
            "measure": "share",
            "value": [50.0, 40.0],
        }
    )
    got = potential_vs_plan.contradictions(pages["all"][2], figures)
    assert got.table is None
    assert got.sentence == (
        "The report prints no cell where more plan a type than say it could help."
    )


def test_reproduction_of_the_published_figures(pages):
    got = potential_vs_plan.reproduction(pages["all"][0])
    assert got.sentence == (
        "**148 of 148 published figures are reproduced** within their stated rounding."
    )
    assert got.missed is None and got.every.base == 78
    assert got.every.caption == "Published figures and the same figures computed from the data"
    assert got.every.summary == "All 148 published figures on these questions"
    table = got.every.frame
    assert len(table) == 148 and table.iloc[0].tolist() == [
        "LGC24-0032",
        "theme_potential",
        "economic_growth",
        "all",
        "in_bottom_n",
        "2",
        "1.00",
        "0.00",
        "among the 2 lowest",
        "yes",
    ]
    assert table.iloc[-1].tolist()[5:] == ["10", "8.97", "0.00", "< 10", "yes"]


def test_reproduction_shows_the_figures_it_misses(pages, monkeypatch):
    reproduced = potential_vs_plan.reproduces_the_report(
        pages["all"][0], potential_vs_plan.REPRODUCED_QUESTIONS
    )
    missed = reproduced.assign(**{"within tolerance": reproduced.index == reproduced.index[0]})
    monkeypatch.setattr(potential_vs_plan, "reproduces_the_report", lambda *_: missed)
    got = potential_vs_plan.reproduction(pages["all"][0])
    assert got.sentence == (
        "**1 of 148 published figures are reproduced** within their stated rounding."
    )
    assert got.missed.caption == (
        "Published figures and the same figures computed from the data: not reproduced"
    )
    assert got.missed.base == 78 and len(got.missed.frame) == 147
    assert set(got.missed.frame["within tolerance"]) == {"NO"}
    assert got.every.frame["within tolerance"].iloc[0] == "yes"


def test_show_folded_puts_the_captioned_table_under_its_summary(pages, monkeypatch):
    import IPython.display

    shown, data = [], []

    def display(*objs, raw=False):
        (data if raw else shown).extend(objs)

    monkeypatch.setattr(IPython.display, "display", display)
    table = pd.DataFrame({"Theme": ["Prevention <b>"], "n": [78]})
    folded = FoldedTable(table, "Every cell", "n = 19 to 20", summary="All 1 cell")
    potential_vs_plan.show_folded(pages["county"][0], folded)
    # The folded table offers its data as every table does.
    [record] = [d[DATA_MIME] for d in data]
    assert (record["title"], record["rows"], record["base"]) == (
        "Every cell",
        [["Prevention <b>", 78]],
        "n = 19 to 20",
    )
    html = shown[0].data
    assert html.startswith("<details><summary>All 1 cell</summary><style")
    assert html.endswith("</table>\n</details>")
    assert "<caption>Every cell. Base: n = 19 to 20. SYNTHETIC DATA" in html
    assert "Prevention &lt;b&gt;" in html
    potential_vs_plan.show_folded(
        pages["county"][0], FoldedTable(table, "Every cell", 78, summary="All")
    )
    assert "<caption>Every cell. Base: n = 78. SYNTHETIC DATA" in shown[1].data
    potential_vs_plan.show_folded(pages["county"][0], FoldedTable(table, "No base", summary="All"))
    assert "<caption>No base</caption>" in shown[2].data


@pytest.mark.slow
def test_notebook_runs_for_all_a_type_and_an_empty_type(executed_site):
    out, _ = executed_site
    results = site_results(executed_site, "potential_vs_plan", ["all", "london_borough", "other"])
    assert [r.status for r in results] == ["ok"] * 3, [r.error for r in results]
    for council_type in ("all", "london_borough", "other"):
        html = (out / "potential_vs_plan" / f"{council_type}.html").read_text()
        label = (
            "All respondents"
            if council_type == "all"
            else survey.label(survey.COUNCIL_TYPES, council_type)
        )
        assert label in html and "SYNTHETIC" in html
        assert 'alt="Chart: ' in html and "Chart without a description" not in html
    other = (out / "potential_vs_plan" / "other.html").read_text()
    assert "too few Other respondents (n = 0, below 10)" in other
    assert "Reproduces the report" in (out / "potential_vs_plan" / "all.html").read_text()


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """A page of the embedded data labelled as real, with nobody saying automation could help
    efficiency (the report: 77%)."""
    from councildigital.data import microdata

    frame = pd.read_csv(microdata.DEFAULT_PATH, dtype=str, keep_default_na=False)
    frame[column_name("help", "efficiency_productivity", "automation")] = "0"
    ids = frame[microdata.ID_COLUMN].str.replace(microdata.SYNTHETIC_PREFIX, "R-", regex=False)
    path = tmp_path_factory.mktemp("real") / "mine.csv"
    frame.assign(**{microdata.ID_COLUMN: ids}).to_csv(path, index=False)
    return load_page("all", str(path))


def test_real_data_estimates_are_observed_and_flag_a_value_outside_the_report(real):
    assert not real.synthetic
    cells = potential_vs_plan.cell_evidence(real)
    could, *_ = potential_vs_plan.cell_maps(real, cells)
    found = could.chart.frame.set_index(["theme", "digital_type"])["found"]
    assert {e.evidence for e in found} == {"observed"}
    outside = found[("efficiency_productivity", "automation")]
    assert outside.value == 0 and outside.within_bounds is False
    assert outside.cell == "◆ observed; outside the published range (exactly 77%)"
    assert could.sentence == (
        "*Could help*: All 54 cells shown are observed; 1 falls outside the range the published "
        "figures allow."
    )
    # Real data keep their tests and findings' wording: no gap is 'illustrative'.
    gaps = potential_vs_plan.theme_evidence(real)
    ranking = potential_vs_plan.gap_ranking(real, gaps)
    assert ranking.sentence.startswith("**The gap is largest for Citizen-centred decision making**")
    assert "paired t test Holm-adjusted p < 0.001" in ranking.sentence
    assert "illustrative" not in ranking.sentence
    assert not ranking.chart.title.endswith(RANKED)
    assert cells["p_holm"].notna().all()


def test_main_points_rest_on_the_pages_own_results(pages):
    everyone = pages["all"][0]
    found = potential_vs_plan.results(everyone)
    points = potential_vs_plan.main_points(everyone, found)
    assert points[0].sentence == (
        "All respondents: digital's potential is clearly above current plans for "
        f"{found.themes.headline}."
    )
    assert points[0].estimates == found.themes.evidence
    assert points[-1].estimates == found.largest.evidence
    assert found.contradictions is not None and found.reproduction is not None
    county = pages["county"][0]
    typed = potential_vs_plan.results(county)
    assert typed.contradictions is None and typed.reproduction is None
    findings = [p for p in potential_vs_plan.main_points(county, typed) if p.basis.is_finding]
    assert findings and all(p.basis.group == "county" for p in findings)
