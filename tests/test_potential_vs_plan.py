"""The potential-versus-plan analysis against hand-computed values on small frames."""

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from councildigital import stats
from councildigital.data import survey
from councildigital.data.microdata import column_name
from councildigital.pipeline import batch
from councildigital.sections import formatting, plots, potential_vs_plan

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


def gap_rows(mean_diff, ci_low, t_p_holm, suppressed=None) -> pd.DataFrame:
    """A :func:`potential_vs_plan.theme_gaps`-shaped table with just the columns the counts read."""
    return pd.DataFrame(
        {
            "mean_diff": mean_diff,
            "ci_low": ci_low,
            "t_p_holm": t_p_holm,
            "suppressed": suppressed or [False] * len(mean_diff),
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


def test_clear_gaps_from_theme_gaps_drops_gaps_only_unadjusted_p_supports():
    # Every theme: differences 1 for five respondents, 0 for five (t = 3, p about 0.015 alone);
    # Holm over the nine equal p-values multiplies them by nine, above 0.05.
    frame = respondents(
        10, **{f"pot_{t}": [4] * 5 + [3] * 5 for t in potential_vs_plan.THEME_CODES}
    )
    gaps = potential_vs_plan.theme_gaps(frame, min_base=2)
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


def test_with_interval_and_p_text():
    got = formatting.with_interval(
        pd.Series([0.5, np.nan, 2.0]), pd.Series([0.25, 1.0, np.nan]), pd.Series([0.75, 2, 3]), 2
    )
    assert got.tolist() == ["0.50 (0.25 to 0.75)", "–", "2.00"]
    signed = formatting.with_interval(
        pd.Series([3.0]), pd.Series([-1.0]), pd.Series([7.0]), 0, True
    )
    assert signed.tolist() == ["+3 (-1 to +7)"]
    assert formatting.p_values(pd.Series([0.0004, 0.01234, np.nan])).tolist() == [
        "< 0.001",
        "0.012",
        "–",
    ]


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


@pytest.mark.slow
def test_notebook_runs_for_all_a_type_and_an_empty_type(tmp_path):
    runs = batch.plan(["potential_vs_plan"], ["all", "london_borough", "other"])
    results = batch.run_batch(runs, tmp_path)
    assert [r.status for r in results] == ["ok"] * 3, [r.error for r in results]
    for council_type in ("all", "london_borough", "other"):
        html = (tmp_path / "potential_vs_plan" / f"{council_type}.html").read_text()
        label = (
            "All respondents"
            if council_type == "all"
            else survey.label(survey.COUNCIL_TYPES, council_type)
        )
        assert label in html and "SYNTHETIC" in html
        assert 'alt="Chart: ' in html and "Chart without a description" not in html
    other = (tmp_path / "potential_vs_plan" / "other.html").read_text()
    assert "n = 0, below the minimum base of 10" in other
    assert "Reproduces the report" in (tmp_path / "potential_vs_plan" / "all.html").read_text()
