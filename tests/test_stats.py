"""The survey statistics against published or hand-worked reference values, not their own output."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from councildigital import stats
from councildigital.data import survey
from councildigital.data.reference import council_counts
from scipy import stats as sps
from statsmodels.stats.proportion import proportion_confint

Z95 = 1.959963984540054


def binary(name, ones, zeros, missing=0):
    """A 0/1 answer column with ``missing`` NaN answers."""
    return pd.Series([1.0] * ones + [0.0] * zeros + [np.nan] * missing, name=name)


def wilson_textbook(count, n, z=Z95):
    """Wilson (1927) score interval, written out as in Newcombe (1998a), eq. for method 3."""
    p = count / n
    centre = p + z**2 / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return (centre - spread) / (1 + z**2 / n), (centre + spread) / (1 + z**2 / n)


def paired_frame(both, a_only, b_only, neither, a="help", b="planned"):
    cells = [(1, 1)] * both + [(1, 0)] * a_only + [(0, 1)] * b_only + [(0, 0)] * neither
    return pd.DataFrame(cells, columns=[a, b])


# --------------------------------------------------------------------------- shares


@pytest.mark.parametrize(
    "count, n, low, high",
    [
        # Newcombe (1998a) Stat Med 17:857-72, Table II, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombe_1998_published_values(count, n, low, high):
    row = stats.share(binary("q", count, n - count)).iloc[0]
    assert row["estimate"] == pytest.approx(100 * count / n)
    assert row["ci_low"] == pytest.approx(100 * low, abs=0.005)
    assert row["ci_high"] == pytest.approx(100 * high, abs=0.005)
    assert (row["count"], row["n"], row["n_eff"]) == (count, n, n)


@pytest.mark.parametrize("count", [0, 10])
def test_wilson_edge_cases_0_and_10_of_10_follow_the_textbook_formula(count):
    row = stats.share(binary("q", count, 10 - count)).iloc[0]
    low, high = wilson_textbook(count, 10)
    assert row["ci_low"] == pytest.approx(100 * low)
    assert row["ci_high"] == pytest.approx(100 * high)
    # 0/10 runs from 0 to z^2 / (n + z^2); 10/10 mirrors it.
    edge = 100 * Z95**2 / (10 + Z95**2)
    expected = (0.0, edge) if count == 0 else (100 - edge, 100.0)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(expected)


def test_share_leaves_missing_answers_out_of_the_base_and_counts_several_values():
    scores = pd.Series([5, 4, 3, 1, np.nan, np.nan, 4, 2], name="pot_prevention")
    row = stats.share(scores, values=(4, 5)).iloc[0]
    assert (row["count"], row["n"]) == (3, 6)
    assert row["estimate"] == pytest.approx(50.0)
    low, high = wilson_textbook(3, 6)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((100 * low, 100 * high))


def test_share_reads_nullable_integer_columns_from_the_microdata_loader():
    answers = pd.Series([1, 0, pd.NA, 1], dtype="Int64", name="has_capability")
    row = stats.share(answers).iloc[0]
    assert (row["count"], row["n"], row["estimate"]) == (2, 3, pytest.approx(200 / 3))


def test_share_of_a_frame_gives_one_row_per_column_in_order():
    frame = pd.concat([binary("b", 2, 2), binary("a", 1, 3)], axis=1)
    table = stats.share(frame)
    assert table["item"].tolist() == ["b", "a"]
    assert table["estimate"].tolist() == pytest.approx([50.0, 25.0])
    assert list(table.columns) == ["item", "estimate", "ci_low", "ci_high", "count", "n", "n_eff"]


def test_share_level_changes_the_critical_value():
    row = stats.share(binary("q", 81, 182), level=0.90).iloc[0]
    low, high = wilson_textbook(81, 263, z=sps.norm.ppf(0.95))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((100 * low, 100 * high))


def test_weights_of_one_give_the_unweighted_share():
    answers = pd.Series([1, 0, 1, 1, np.nan, 0, 1], name="q")
    plain = stats.share(answers)
    weighted = stats.share(answers, weights=np.ones(7))
    pd.testing.assert_frame_equal(plain, weighted)


def test_weighted_share_uses_the_kish_effective_n_for_its_interval():
    answers = pd.Series([1, 1, 0, 0, 0, np.nan], name="q")
    weights = pd.Series([3.0, 1.0, 1.0, 1.0, 2.0, 5.0])
    row = stats.share(answers, weights=weights).iloc[0]
    # Respondent 6 has no answer, so only the first five weights count.
    p = 4 / 8
    n_eff = 8**2 / (9 + 1 + 1 + 1 + 4)
    assert row["estimate"] == pytest.approx(100 * p)
    assert row["n_eff"] == pytest.approx(n_eff)
    assert (row["count"], row["n"]) == (2, 5)
    low, high = wilson_textbook(p * n_eff, n_eff)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((100 * low, 100 * high))


def test_weights_may_be_a_column_of_the_frame_which_is_then_not_an_item():
    frame = pd.DataFrame({"q": [1, 0, 0], "w": [2.0, 1.0, 1.0]})
    table = stats.share(frame, weights="w")
    assert table["item"].tolist() == ["q"]
    assert table["estimate"].iloc[0] == pytest.approx(50.0)


def test_shares_by_group_with_all_row_first_and_empty_groups_kept():
    frame = pd.DataFrame(
        {
            "council_type": ["county", "county", "district", "district", "district", None],
            "has_capability": [1, 0, 1, 1, np.nan, 0],
        }
    )
    table = stats.shares_by(
        frame, "has_capability", "council_type", groups=survey.codes(survey.COUNCIL_TYPES)
    )
    assert table["council_type"].tolist() == ["all", *survey.codes(survey.COUNCIL_TYPES)]
    rows = table.set_index("council_type")
    # The respondent without a council type counts in "all" only.
    assert (rows.loc["all", "count"], rows.loc["all", "n"]) == (3, 5)
    assert rows.loc["county", "estimate"] == pytest.approx(50.0)
    assert (rows.loc["district", "estimate"], rows.loc["district", "n"]) == (100.0, 2)
    assert rows.loc["wales", "n"] == 0
    assert np.isnan(rows.loc["wales", ["estimate", "ci_low", "ci_high"]].astype(float)).all()


def test_shares_by_several_columns_keeps_their_order_and_default_sorted_groups():
    frame = pd.DataFrame({"g": ["y", "x", "y"], "b": [1, 0, 0], "a": [0, 0, 1]})
    table = stats.shares_by(frame, ["b", "a"], "g")
    assert table[["item", "g"]].values.tolist() == [
        ["b", "all"],
        ["b", "x"],
        ["b", "y"],
        ["a", "all"],
        ["a", "x"],
        ["a", "y"],
    ]


# --------------------------------------------------------------------------- means


FIXED = np.array([1, 2, 2, 3, 4, 5, 5, 4, 3, 3, 2, 4], dtype=float)


def test_mean_t_interval_matches_scipys_direct_formula():
    series = pd.Series([*FIXED, np.nan, np.nan], name="sig_prevention")
    row = stats.mean_ci(series).iloc[0]
    n = len(FIXED)
    sem = FIXED.std(ddof=1) / math.sqrt(n)
    half = sps.t.ppf(0.975, n - 1) * sem
    assert row["mean"] == pytest.approx(FIXED.mean())
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(
        (FIXED.mean() - half, FIXED.mean() + half)
    )
    assert row["sd"] == pytest.approx(FIXED.std(ddof=1))
    assert (row["n"], row["n_eff"], row["method"]) == (n, n, "t")


def test_weighted_mean_uses_kish_effective_n_for_se_and_degrees_of_freedom():
    x = np.array([1.0, 2.0, 4.0, 5.0, 5.0])
    w = np.array([2.0, 1.0, 1.0, 0.5, 0.5])
    row = stats.mean_ci(pd.Series(x, name="q"), weights=w).iloc[0]
    mean = np.sum(w * x) / np.sum(w)
    n_eff = np.sum(w) ** 2 / np.sum(w**2)
    var = np.sum(w * (x - mean) ** 2) / np.sum(w) * n_eff / (n_eff - 1)
    half = sps.t.ppf(0.975, n_eff - 1) * math.sqrt(var / n_eff)
    assert row["mean"] == pytest.approx(mean)
    assert row["n_eff"] == pytest.approx(n_eff)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((mean - half, mean + half))


@pytest.mark.parametrize("method", ["t", "bootstrap"])
def test_weights_of_one_give_the_unweighted_mean_and_interval(method):
    series = pd.Series(FIXED, name="q")
    plain = stats.mean_ci(series, method=method)
    weighted = stats.mean_ci(series, method=method, weights=np.ones(len(FIXED)))
    pd.testing.assert_frame_equal(plain, weighted)


def test_bootstrap_is_seeded_and_agrees_with_the_normal_interval_on_a_large_sample():
    values = pd.Series(np.tile(FIXED, 40), name="q")
    first = stats.mean_ci(values, method="bootstrap").iloc[0]
    again = stats.mean_ci(values, method="bootstrap").iloc[0]
    other = stats.mean_ci(values, method="bootstrap", seed=7).iloc[0]
    assert (first["ci_low"], first["ci_high"]) == (again["ci_low"], again["ci_high"])
    assert first["ci_low"] != other["ci_low"]
    sem = values.std(ddof=0) / math.sqrt(len(values))
    assert first["ci_low"] == pytest.approx(values.mean() - Z95 * sem, abs=0.02)
    assert first["ci_high"] == pytest.approx(values.mean() + Z95 * sem, abs=0.02)
    assert first["method"] == "bootstrap"


def test_bootstrap_of_identical_answers_is_the_single_value():
    row = stats.mean_ci(pd.Series([3.0] * 5, name="q"), method="bootstrap").iloc[0]
    assert (row["ci_low"], row["mean"], row["ci_high"]) == (3.0, 3.0, 3.0)


def test_a_single_answer_has_a_mean_but_no_interval():
    row = stats.mean_ci(pd.Series([4.0, np.nan], name="q")).iloc[0]
    assert row["mean"] == 4.0 and row["n"] == 1
    assert np.isnan([row["ci_low"], row["ci_high"], row["sd"]]).all()


NEAR_TOP = np.array([5, 5, 5, 5, 4, 4, 3, 5], dtype=float)


def test_an_interval_past_the_scales_top_is_clipped_to_it_and_flagged():
    frame = pd.DataFrame({"near_top": NEAR_TOP, "middle": FIXED[: len(NEAR_TOP)]})
    out = stats.mean_ci(frame, allowed=survey.SIGNIFICANCE).set_index("item")
    half = sps.t.ppf(0.975, 7) * NEAR_TOP.std(ddof=1) / math.sqrt(8)
    assert NEAR_TOP.mean() + half > 5  # the unclipped t interval runs past the top
    assert out.at["near_top", "ci_low"] == pytest.approx(NEAR_TOP.mean() - half)
    assert out.at["near_top", "ci_high"] == 5.0
    assert out["bounded"].tolist() == [True, False]
    unclipped = stats.mean_ci(frame["middle"]).iloc[0]
    assert out.at["middle", "ci_high"] == unclipped["ci_high"]
    assert stats.clipped_note(out, survey.SIGNIFICANCE) == (
        "Intervals clipped to the scale's 1-5 range."
    )
    assert stats.clipped_note(out.loc[["middle"]], survey.SIGNIFICANCE) == ""
    # A caption whose table needs the note gets it as one more sentence (no double stop).
    assert stats.clipped_caption("Means. All", out, survey.SIGNIFICANCE) == (
        "Means. All. Intervals clipped to the scale's 1-5 range"
    )
    assert stats.clipped_caption("Means. All", out.loc[["middle"]], survey.SIGNIFICANCE) == (
        "Means. All"
    )


def test_an_interval_below_the_scales_bottom_is_clipped_and_only_with_a_scale():
    low_scores = pd.Series([0, 0, 0, 1, 2], name="q", dtype=float)
    clipped = stats.mean_ci(low_scores, allowed=survey.BARRIER).iloc[0]
    plain = stats.mean_ci(low_scores).iloc[0]
    assert plain["ci_low"] < 0 and not plain["bounded"]
    assert (clipped["ci_low"], clipped["ci_high"]) == (0.0, plain["ci_high"])
    assert clipped["bounded"]


# --------------------------------------------------------------------------- paired gaps


def test_paired_gap_uses_complete_pairs_and_the_paired_t_formula():
    potential = [5, 4, 4, 3, 5, 2, 4, np.nan, 3]
    plan = [3, 4, 2, 3, 4, 1, np.nan, 2, 2]
    frame = pd.DataFrame({"pot_prevention": potential, "plan_prevention": plan})
    row = stats.paired_gap(frame, "pot_prevention", "plan_prevention").iloc[0]
    d = np.array([2, 0, 2, 0, 1, 1, 1], dtype=float)
    n = len(d)
    sem = d.std(ddof=1) / math.sqrt(n)
    half = sps.t.ppf(0.975, n - 1) * sem
    assert row["n"] == n
    assert row["mean_diff"] == pytest.approx(d.mean())
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((d.mean() - half, d.mean() + half))
    assert row["t_p"] == pytest.approx(2 * sps.t.sf(d.mean() / sem, n - 1))
    assert row["mean_a"] == pytest.approx(26 / 7) and row["mean_b"] == pytest.approx(19 / 7)


def test_wilcoxon_exact_p_for_six_distinct_positive_differences():
    # Every one of 2^6 equally likely sign patterns under H0; only all-plus and
    # all-minus are as extreme, so the two-sided p is 2 / 64.
    frame = pd.DataFrame({"a": [2, 3, 4, 5, 6, 7], "b": [1, 1, 1, 1, 1, 1]})
    row = stats.paired_gap(frame, "a", "b").iloc[0]
    assert row["wilcoxon_p"] == pytest.approx(2 / 2**6)


def test_wilcoxon_with_ties_and_a_zero_difference_is_the_exact_sign_flip_distribution():
    # Differences 0, 1, 1, -1, 2, 3: the zero is dropped (Wilcoxon's convention),
    # tied |d| share their average rank, and with n this small the p-value is the
    # exact distribution of W+ over all 2^5 sign patterns of the non-zero ranks.
    frame = pd.DataFrame({"a": [3, 4, 4, 2, 5, 5], "b": [3, 3, 3, 3, 3, 2]})
    ranks = np.array([2.0, 2.0, 2.0, 4.0, 5.0])
    observed = 2.0 + 2.0 + 4.0 + 5.0
    w_plus = np.array(
        [ranks[np.array(signs) > 0].sum() for signs in itertools.product([1, -1], repeat=5)]
    )
    expected = min(1.0, 2 * min(np.mean(w_plus <= observed), np.mean(w_plus >= observed)))
    row = stats.paired_gap(frame, "a", "b").iloc[0]
    assert row["wilcoxon_p"] == pytest.approx(expected)


def test_wilcoxon_on_a_larger_likert_sample_is_the_tie_corrected_normal_approximation():
    # 30 pairs with 6 zero differences: zeros dropped, then the textbook normal
    # approximation with the tie correction sum(t^3 - t) / 48 in the variance.
    d = np.array([0] * 6 + [1] * 10 + [2] * 5 + [3] * 2 + [-1] * 5 + [-2] * 2, dtype=float)
    frame = pd.DataFrame({"a": 3 + np.where(d > 0, d, 0), "b": 3 - np.where(d < 0, d, 0)})
    nonzero = d[d != 0]
    ranks = sps.rankdata(np.abs(nonzero))
    m = len(nonzero)
    ties = np.unique(np.abs(nonzero), return_counts=True)[1]
    var = m * (m + 1) * (2 * m + 1) / 24 - np.sum(ties**3 - ties) / 48
    z = (ranks[nonzero > 0].sum() - m * (m + 1) / 4) / math.sqrt(var)
    row = stats.paired_gap(frame, "a", "b").iloc[0]
    assert row["wilcoxon_p"] == pytest.approx(2 * sps.norm.sf(abs(z)))


@pytest.mark.parametrize("seed", range(6))
def test_fast_wilcoxon_equals_scipys_own_test_on_likert_differences(seed):
    # Small Likert samples: ties and zeros, so scipy's "auto" method is the exact
    # sign-flip permutation test that wilcoxon_p reimplements with a vectorised statistic.
    rng = np.random.default_rng(seed)
    x, y = rng.integers(1, 6, size=(2, 8 + seed))
    expected = sps.wilcoxon(x, y, zero_method="wilcox", method="auto").pvalue
    assert stats.wilcoxon_p((x - y).astype(float)) == pytest.approx(expected, rel=1e-12)


def test_paired_gap_takes_lists_of_columns_pairwise():
    frame = pd.DataFrame({"pot_x": [5, 4], "plan_x": [1, 2], "pot_y": [1, 1], "plan_y": [2, 2]})
    table = stats.paired_gap(frame, ["pot_x", "pot_y"], ["plan_x", "plan_y"])
    assert table["mean_diff"].tolist() == [3.0, -1.0]
    assert table[["item_a", "item_b"]].values.tolist() == [["pot_x", "plan_x"], ["pot_y", "plan_y"]]


def test_paired_gap_with_no_difference_at_all_has_no_tests():
    frame = pd.DataFrame({"a": [3, 4, 5], "b": [3, 4, 5]})
    row = stats.paired_gap(frame, "a", "b").iloc[0]
    assert row["mean_diff"] == 0
    assert np.isnan([row["t_p"], row["wilcoxon_p"], row["ci_low"]]).all()


# --------------------------------------------------------------------------- McNemar


def test_mcnemar_exact_p_for_b1_c8_is_the_two_sided_binomial():
    row = stats.mcnemar_gap(paired_frame(5, 1, 8, 6), "help", "planned").iloc[0]
    # 2 * P(X <= 1), X ~ Bin(9, 1/2) = 2 * (1 + 9) / 512
    assert row["p_value"] == pytest.approx(0.0390625, abs=1e-12)
    assert row["test"] == "exact binomial"
    assert (row["a_only"], row["b_only"], row["n"]) == (1, 8, 20)
    assert row["share_a"] == pytest.approx(30.0) and row["share_b"] == pytest.approx(65.0)
    assert row["diff_pp"] == pytest.approx(-35.0)


def test_mcnemar_chi_square_with_continuity_correction_from_25_discordant_pairs():
    row = stats.mcnemar_gap(paired_frame(40, 30, 15, 20), "help", "planned").iloc[0]
    chi2 = (abs(30 - 15) - 1) ** 2 / (30 + 15)
    assert row["test"] == "chi-square, continuity corrected"
    assert row["p_value"] == pytest.approx(sps.chi2.sf(chi2, df=1))


def test_mcnemar_switches_to_chi_square_at_exactly_25_discordant_pairs():
    below = stats.mcnemar_gap(paired_frame(3, 16, 8, 3), "help", "planned").iloc[0]
    at = stats.mcnemar_gap(paired_frame(3, 17, 8, 3), "help", "planned").iloc[0]
    assert below["test"] == "exact binomial"
    assert below["p_value"] == pytest.approx(2 * sps.binom.cdf(8, 24, 0.5))
    assert at["test"] == "chi-square, continuity corrected"


@pytest.mark.parametrize(
    "table, low, high",
    [
        # Newcombe (1998b) Stat Med 17:2635-50, Table II, method 10.
        ((36, 12, 2, 0), 0.0569, 0.3404),
        ((18, 12, 2, 18), 0.0562, 0.3290),
        ((53, 0, 0, 1), -0.0729, 0.0729),
        ((0, 30, 0, 0), 0.8395, 1.0000),
    ],
)
def test_paired_difference_interval_matches_newcombe_1998_table_ii(table, low, high):
    a_only, b_only = table[1], table[2]
    row = stats.mcnemar_gap(paired_frame(*table), "help", "planned").iloc[0]
    assert row["diff_pp"] == pytest.approx(100 * (a_only - b_only) / sum(table))
    assert row["ci_low"] == pytest.approx(100 * low, abs=0.005)
    assert row["ci_high"] == pytest.approx(100 * high, abs=0.005)
    assert stats.newcombe_paired_ci(*table) == pytest.approx((low, high), abs=5e-5)


def test_mcnemar_gap_leaves_out_incomplete_pairs():
    frame = paired_frame(5, 1, 8, 6)
    frame.loc[len(frame)] = [1, np.nan]
    frame.loc[len(frame)] = [np.nan, 0]
    row = stats.mcnemar_gap(frame, "help", "planned").iloc[0]
    assert row["n"] == 20 and row["share_a"] == pytest.approx(30.0)


# --------------------------------------------------------------------------- crosstab


def crosstab_frame():
    return pd.DataFrame(
        {
            "council_type": ["county"] * 4 + ["district"] * 6 + [np.nan, "county"],
            "has_vision": [1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1, np.nan],
        }
    )


def test_crosstab_row_percentages_with_margins_zero_cells_and_bases():
    table = stats.crosstab(crosstab_frame(), "council_type", "has_vision", col_order=[1, 0, 9])
    cells = table.set_index(["council_type", "has_vision"])
    assert len(table) == 3 * 4  # every combination kept, margins included
    assert cells.loc[("county", 1), ["count", "percent", "n"]].tolist() == [3, 75.0, 4]
    assert cells.loc[("district", 0), ["count", "n"]].tolist() == [4, 6]
    assert cells.loc[("district", 9), ["count", "percent"]].tolist() == [0, 0.0]
    assert cells.loc[("district", 9), "ci_low"] == 0.0
    assert table["has_vision"].tolist()[:4] == [1, 0, 9, "all"]
    assert cells.loc[("all", 1), ["count", "percent", "n"]].tolist() == [5, 50.0, 10]
    assert cells.loc[("all", "all"), "count"] == 10
    low, high = wilson_textbook(3, 4)
    assert cells.loc[("county", 1), ["ci_low", "ci_high"]].tolist() == pytest.approx(
        [100 * low, 100 * high]
    )
    # A margin that is its own base is 100% by definition and has no interval.
    assert cells.loc[("county", "all"), "percent"] == 100.0
    assert np.isnan(cells.loc[("county", "all"), "ci_low"])


@pytest.mark.parametrize(
    "normalize, expected",
    [
        # Complete pairs: county 3 yes / 1 no, district 2 yes / 4 no; 5 yes and 5 no in all.
        ("columns", {("county", 1): [60.0, 5], ("district", 0): [80.0, 5], ("all", 1): [100.0, 5]}),
        (
            "all",
            {("county", 1): [30.0, 10], ("district", 0): [40.0, 10], ("all", "all"): [100.0, 10]},
        ),
    ],
)
def test_crosstab_column_and_total_percentages(normalize, expected):
    table = stats.crosstab(crosstab_frame(), "council_type", "has_vision", normalize=normalize)
    cells = table.set_index(["council_type", "has_vision"])
    for cell, (percent, n) in expected.items():
        assert cells.loc[cell, ["percent", "n"]].tolist() == [pytest.approx(percent), n]


def test_crosstab_shows_float_answer_codes_as_integers_in_sorted_order():
    table = stats.crosstab(crosstab_frame(), "council_type", "has_vision")
    assert table["has_vision"].tolist()[:3] == [0, 1, "all"]
    assert table["council_type"].unique().tolist() == ["county", "district", "all"]


def test_crosstab_weighted_percent_keeps_unweighted_counts():
    frame = pd.DataFrame({"r": ["x", "x", "x"], "c": [1, 0, 0], "w": [2.0, 1.0, 1.0]})
    cells = stats.crosstab(frame, "r", "c", weights="w").set_index(["r", "c"])
    assert cells.loc[("x", 1), ["count", "percent", "n"]].tolist() == [1, 50.0, 3]
    assert cells.loc[("x", 1), "n_eff"] == pytest.approx(16 / 6)


# --------------------------------------------------------------------------- suppression


def test_suppress_keeps_every_row_blanks_small_bases_and_says_why():
    table = pd.DataFrame(
        {
            "group": ["all", "county", "wales"],
            "estimate": [40.0, 50.0, 25.0],
            "ci_low": [30.0, 30.0, 5.0],
            "ci_high": [50.0, 70.0, 70.0],
            "count": [40, 10, 1],
            "n": [100, 20, 4],
            "n_eff": [90.0, 20.0, 4.0],
        }
    )
    out = stats.suppress(table, min_base=10)
    assert out["group"].tolist() == ["all", "county", "wales"]
    assert out["suppressed"].tolist() == [False, False, True]
    assert out.loc[2, ["estimate", "ci_low", "ci_high", "count"]].isna().all()
    assert out.loc[2, ["n", "n_eff"]].tolist() == [4, 4.0]
    assert out.loc[1, "estimate"] == 50.0
    assert out["suppression_reason"].tolist() == ["", "", "base n = 4 is below the minimum of 10"]
    assert table.loc[2, "estimate"] == 25.0  # the input is not modified


def test_suppress_threshold_is_inclusive_and_columns_can_be_named():
    table = pd.DataFrame({"mean": [3.0, 2.0], "sd": [1.0, 1.0], "base": [10, 9]})
    out = stats.suppress(table, n_column="base", min_base=10, columns=["mean"])
    assert out["suppressed"].tolist() == [False, True]
    assert np.isnan(out.loc[1, "mean"]) and out.loc[1, "sd"] == 1.0


def test_suppress_default_minimum_base():
    out = stats.suppress(pd.DataFrame({"estimate": [1.0, 2.0], "n": [9, 10]}))
    assert stats.MIN_BASE == 10
    assert out["suppressed"].tolist() == [True, False]


# --------------------------------------------------------------------------- ranking


def test_rank_with_ties_orders_shares_ties_and_flags_overlapping_intervals():
    table = pd.DataFrame(
        {
            "item": ["a", "b", "c", "d", "e"],
            "estimate": [50.0, 80.0, 50.0, np.nan, 20.0],
            "ci_low": [40.0, 70.0, 45.0, np.nan, 10.0],
            "ci_high": [60.0, 90.0, 55.0, np.nan, 30.0],
        }
    )
    out = stats.rank_with_ties(table)
    assert out["item"].tolist() == ["b", "a", "c", "e", "d"]
    assert out["rank"].tolist() == [1, 2, 2, 4, pd.NA]
    # b [70,90] vs a [40,60]: apart; a vs c [45,55]: overlap; c vs e [10,30]: apart.
    assert out["overlaps_next"].tolist() == [False, True, False, pd.NA, pd.NA]


def test_rank_ascending_for_barriers_where_lower_is_better():
    table = pd.DataFrame({"estimate": [3.0, 1.0], "ci_low": [2.0, 0.0], "ci_high": [4.0, 2.5]})
    out = stats.rank_with_ties(table, ascending=True)
    assert out["estimate"].tolist() == [1.0, 3.0]
    assert out["overlaps_next"].tolist() == [True, pd.NA]


# --------------------------------------------------------------------------- weighting


def test_poststratification_reproduces_population_shares_exactly():
    frame = pd.DataFrame({"council_type": ["county"] * 30 + ["district"] * 10})
    result = stats.poststratification_weights(frame, population={"county": 50, "district": 50})
    # County: 0.5 / 0.75 = 2/3; district: 0.5 / 0.25 = 2.
    assert result.weights[frame["council_type"] == "county"].unique() == pytest.approx([2 / 3])
    assert result.weights[frame["council_type"] == "district"].unique() == pytest.approx([2.0])
    assert result.weights.mean() == pytest.approx(1.0)
    # Kish: n * sum w^2 / (sum w)^2 = 40 * (30 * 4/9 + 10 * 4) / 40^2 = 4/3.
    assert result.design_effect == pytest.approx(4 / 3)
    assert result.n_eff == pytest.approx(30.0)
    for cell in ("county", "district"):
        indicator = (frame["council_type"] == cell).astype(int).rename(cell)
        weighted = stats.share(indicator, weights=result.weights).iloc[0]
        assert weighted["estimate"] == pytest.approx(50.0)


def test_poststratification_against_the_reference_council_counts():
    counts = council_counts().set_index("council_type")["councils"]
    types = ["county"] * 5 + ["district"] * 20 + ["london_borough"] * 10 + ["unitary"] * 5
    frame = pd.DataFrame({"council_type": types})
    result = stats.poststratification_weights(frame, population=council_counts())
    covered = counts[["county", "district", "london_borough", "unitary"]]
    for cell, councils in covered.items():
        mask = frame["council_type"] == cell
        assert result.weights[mask].sum() / len(frame) == pytest.approx(councils / covered.sum())
    diagnostics = result.diagnostics.set_index("cell")
    assert diagnostics["population_n"].to_dict() == counts.astype(float).to_dict()
    assert diagnostics.loc["district", "sample_n"] == 20
    assert diagnostics.loc["district", "sample_pct"] == pytest.approx(50.0)
    assert diagnostics.loc["district", "population_pct"] == pytest.approx(
        100 * counts["district"] / counts.sum()
    )
    assert diagnostics["target_pct"].sum() == pytest.approx(100.0)
    assert set(result.unrepresented) == {
        "metropolitan",
        "combined_authority",
        "scotland",
        "wales",
        "other",
    }


def test_equal_weights_have_kish_effective_n_equal_to_n_and_no_design_effect():
    assert stats.effective_n(np.full(78, 0.7)) == pytest.approx(78)
    frame = pd.DataFrame({"council_type": ["county"] * 2 + ["district"] * 8})
    result = stats.poststratification_weights(frame, population={"county": 20, "district": 80})
    assert result.weights.tolist() == pytest.approx([1.0] * 10)
    assert (result.design_effect, result.n_eff) == pytest.approx((1.0, 10.0))


def test_poststratification_names_sample_cells_missing_from_the_population():
    frame = pd.DataFrame({"council_type": ["county", "parish"]})
    with pytest.raises(ValueError, match=r"\['parish'\] present in the sample but absent"):
        stats.poststratification_weights(frame, population={"county": 3})


def test_poststratification_names_cells_with_respondents_but_zero_councils():
    frame = pd.DataFrame({"council_type": ["county", "other"]})
    with pytest.raises(ValueError, match=r"\['other'\] have respondents but zero councils"):
        stats.poststratification_weights(frame, population={"county": 3, "other": 0})


def test_poststratification_refuses_respondents_without_a_cell():
    frame = pd.DataFrame({"council_type": ["county", None]})
    with pytest.raises(ValueError, match="missing for 1 respondent"):
        stats.poststratification_weights(frame, population={"county": 3})
    with pytest.raises(ValueError, match="'council_type': no respondents to weight"):
        stats.poststratification_weights(frame.iloc[:0], population={"county": 3})


# --------------------------------------------------------------------------- errors


def test_missing_column_is_named_with_a_suggestion():
    frame = pd.DataFrame({"pot_prevention": [1], "plan_prevention": [1]})
    with pytest.raises(ValueError, match=r"'pot_prevent' not found.*did you mean pot_prevention"):
        stats.paired_gap(frame, "pot_prevent", "plan_prevention")


def test_values_outside_the_allowed_set_are_named():
    with pytest.raises(ValueError, match=r"column 'q' has values outside the allowed set .*\[7\]"):
        stats.share(pd.Series([1, 7, np.nan], name="q"), values=1, allowed=survey.EXTENT)
    with pytest.raises(ValueError, match=r"values \[6\] are not in the allowed set"):
        stats.share(pd.Series([1, 2], name="q"), values=6, allowed=survey.EXTENT)


def test_mcnemar_requires_zero_one_answers():
    frame = pd.DataFrame({"help": [1, 2], "planned": [0, 1]})
    with pytest.raises(ValueError, match=r"column 'help' has values outside .*\[2\]"):
        stats.mcnemar_gap(frame, "help", "planned")


def test_empty_bases_are_errors_naming_the_column():
    with pytest.raises(ValueError, match=r"\['q'\] have no non-missing answers"):
        stats.share(pd.Series([np.nan, np.nan], name="q"))
    with pytest.raises(ValueError, match="'q' has no non-missing answers"):
        stats.mean_ci(pd.Series([np.nan], name="q"))
    with pytest.raises(ValueError, match="no respondent answering both"):
        stats.mcnemar_gap(pd.DataFrame({"a": [1, np.nan], "b": [np.nan, 0]}), "a", "b")


def test_non_numeric_answers_are_an_error():
    with pytest.raises(ValueError, match="column 'q' holds non-numeric answers"):
        stats.share(pd.Series(["yes", "no"], name="q"))


def test_group_values_outside_the_given_groups_are_named():
    frame = pd.DataFrame({"council_type": ["county", "parish"], "q": [1, 0]})
    with pytest.raises(ValueError, match=r"'council_type' has values outside .*\['parish'\]"):
        stats.shares_by(frame, "q", "council_type", groups=survey.codes(survey.COUNCIL_TYPES))


@pytest.mark.parametrize(
    "weights, message",
    [
        (np.array([1.0, np.nan]), "finite number >= 0"),
        (np.array([1.0, -1.0]), "finite number >= 0"),
        (np.array([1.0]), "expected 2 values"),
        (pd.Series([1.0], index=[0]), r"1 respondent\(s\) in the data have no weight"),
    ],
)
def test_bad_weights_are_errors(weights, message):
    with pytest.raises(ValueError, match=message):
        stats.share(pd.Series([1, 0], name="q"), weights=weights)


def test_other_argument_errors():
    frame = pd.DataFrame({"a": [1, 2], "b": [1, 2], "c": [1, 2]})
    with pytest.raises(ValueError, match="as many columns each, got 2 and 1"):
        stats.paired_gap(frame, ["a", "b"], ["c"])
    with pytest.raises(ValueError, match="confidence level must be between 0 and 1"):
        stats.share(frame["a"], level=95)
    with pytest.raises(ValueError, match="method must be 't' or 'bootstrap'"):
        stats.mean_ci(frame["a"], method="bca")
    with pytest.raises(ValueError, match="normalize must be"):
        stats.crosstab(frame, "a", "b", normalize=True)
    with pytest.raises(ValueError, match="column 'n' not found"):
        stats.suppress(frame)


def test_values_equal_but_for_rounding_noise_compare_equal_and_others_do_not():
    values = pd.Series([0.1 + 0.2, 0.3, 0.3000001, 1366.5 * 0.2, 273.3])
    cleaned = stats.without_noise(values)
    assert cleaned[0] == cleaned[1] and values[0] != values[1]
    assert cleaned[2] != cleaned[1]
    assert cleaned[3] == cleaned[4]


# --------------------------------------------------------------------------- design-based variance


def test_clustered_variance_of_identical_councils_is_that_of_the_councils():
    """Four councils of two respondents who answer alike: the respondents tell no more than
    the four councils, so the share's variance is that of four values (1, 1, 0, 0),
    s^2 / C = (1/3) / 4 = 1/12, against 1/28 if the eight were independent."""
    y = [1, 1, 1, 1, 0, 0, 0, 0]
    found = stats.design_mean(y, clusters=["a", "a", "b", "b", "c", "c", "d", "d"])
    assert found.estimate == pytest.approx(0.5)
    assert found.se == pytest.approx(math.sqrt(1 / 12))
    assert found.clusters == 4
    assert found.design_effect == pytest.approx((1 / 12) / (1 / 28))
    assert found.n_eff == pytest.approx(8 * 12 / 28)
    independent = stats.design_mean(y)
    assert independent.se == pytest.approx(math.sqrt(1 / 28))
    assert independent.design_effect == pytest.approx(1)


def test_the_design_share_interval_is_wilson_on_the_effective_n():
    y = [1, 1, 1, 1, 0, 0, 0, 0]
    estimate, low, high, found = stats.design_share_ci(y, clusters=list("aabbccdd"))
    wilson_low, wilson_high = proportion_confint(0.5 * found.n_eff, found.n_eff, method="wilson")
    assert (estimate, low, high) == pytest.approx((50, 100 * wilson_low, 100 * wilson_high))
    plain = stats.share(pd.Series(y, dtype=float))
    _, low, high, _ = stats.design_share_ci(y)
    assert (low, high) == pytest.approx((plain.at[0, "ci_low"], plain.at[0, "ci_high"]))


# R's survey package (4.4) on the same respondents, computed once:
#   library(survey)
#   d <- data.frame(
#     council = c("a","a","a","b","b","c","d","d","e","f","f","f"),
#     y = c(1,1,0, 0,0, 1, 1,0, 1, 0,1,1), x = c(4,5,3, 2,2, 5, 4,3, 5, 1,4,5),
#     w = c(1.5,1.5,1.5, 0.8,0.8, 2.0, 1.0,1.0, 0.5, 1.2,1.2,1.2))
#   clustered <- svydesign(ids = ~council, weights = ~w, data = d)
#   independent <- svydesign(ids = ~1, weights = ~w, data = d)
#   svymean(~y, clustered); svymean(~x, clustered)      # coef and SE below
#   svymean(~y, independent); svymean(~x, independent)
#   confint(svymean(~x, clustered), df = degf(clustered))
R_EXAMPLE = {
    "council": list("aaabbcddefff"),
    "y": [1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 1, 1],
    "x": [4, 5, 3, 2, 2, 5, 4, 3, 5, 1, 4, 5],
    "w": [1.5, 1.5, 1.5, 0.8, 0.8, 2.0, 1.0, 1.0, 0.5, 1.2, 1.2, 1.2],
}
R_SURVEY = {
    ("y", True): (0.626760563380, 0.101022126660),
    ("x", True): (3.711267605634, 0.329768534485),
    ("y", False): (0.626760563380, 0.149019698354),
    ("x", False): (3.711267605634, 0.399878931584),
}


@pytest.mark.parametrize(("column", "clustered"), list(R_SURVEY))
def test_design_mean_matches_r_survey(column, clustered):
    found = stats.design_mean(
        R_EXAMPLE[column],
        weights=R_EXAMPLE["w"],
        clusters=R_EXAMPLE["council"] if clustered else None,
    )
    assert (found.estimate, found.se) == pytest.approx(R_SURVEY[column, clustered], abs=1e-11)


def test_design_mean_interval_matches_r_survey_with_the_design_degrees_of_freedom():
    _, low, high, found = stats.design_mean_ci(
        R_EXAMPLE["x"], weights=R_EXAMPLE["w"], clusters=R_EXAMPLE["council"]
    )
    assert found.clusters == 6
    assert (low, high) == pytest.approx((2.86357060092, 4.55896461035), abs=1e-10)


def test_shares_by_with_councils_widen_the_interval_by_the_design_effect():
    frame = pd.DataFrame(
        {"yes": [1, 1, 1, 1, 0, 0, 0, 0.0], "kind": ["a"] * 4 + ["b"] * 4},
        index=range(10, 18),
    )
    councils = pd.Series(list("ppqqrrss"), index=frame.index)
    table = stats.shares_by(frame, "yes", "kind", clusters=councils).set_index("kind")
    _, low, high, found = stats.design_share_ci(frame["yes"], clusters=councils)
    assert table.at["all", "n_eff"] == pytest.approx(found.n_eff)
    assert (table.at["all", "ci_low"], table.at["all", "ci_high"]) == pytest.approx((low, high))
    plain = stats.shares_by(frame, "yes", "kind").set_index("kind")
    assert table.at["all", "ci_high"] - table.at["all", "ci_low"] > (
        plain.at["all", "ci_high"] - plain.at["all", "ci_low"]
    )
    # Within "a" the two councils answer alike, all yes: no variance to inflate, Kish's n.
    assert table.at["a", "n_eff"] == plain.at["a", "n_eff"]


# Six councils of three respondents who answer alike: the respondents tell no more than the
# six councils. Each council's potential and plan (1-5) and its yes/no answers.
COUNCIL_VALUES = {
    "potential": [5, 4, 4, 3, 5, 2],
    "plan": [3, 4, 2, 3, 4, 1],
    "helps": [1, 1, 0, 1, 1, 0],
    "planned": [0, 1, 0, 1, 1, 0],
}
PER_COUNCIL = 3


@pytest.fixture
def alike():
    """Each council's answers repeated by its three respondents, councils as clusters."""
    frame = pd.DataFrame(
        {k: np.repeat(np.array(v, dtype=float), PER_COUNCIL) for k, v in COUNCIL_VALUES.items()},
        index=range(100, 100 + 6 * PER_COUNCIL),
    )
    councils = pd.Series(np.repeat(list("abcdef"), PER_COUNCIL), index=frame.index)
    return frame, councils


def test_a_mean_of_identical_respondents_has_the_councils_t_interval(alike):
    frame, councils = alike
    found = stats.mean_ci(frame["potential"], clusters=councils).iloc[0]
    own = np.array(COUNCIL_VALUES["potential"], dtype=float)
    low, high = sps.t.interval(0.95, len(own) - 1, own.mean(), sps.sem(own))
    assert (found["mean"], found["ci_low"], found["ci_high"]) == pytest.approx(
        (own.mean(), low, high)
    )
    # n = mC respondents, design effect (mC - 1) / (C - 1): about one respondent per council.
    m, c = PER_COUNCIL, len(own)
    assert found["n_eff"] == pytest.approx(m * c * (c - 1) / (m * c - 1))
    plain = stats.mean_ci(frame["potential"]).iloc[0]
    assert plain["ci_high"] - plain["ci_low"] < found["ci_high"] - found["ci_low"]
    with pytest.raises(ValueError, match="with clusters use 't'"):
        stats.mean_ci(frame["potential"], clusters=councils, method="bootstrap")


def test_a_paired_gap_of_identical_respondents_is_the_councils_paired_t(alike):
    frame, councils = alike
    found = stats.paired_gap(frame, "potential", "plan", clusters=councils).iloc[0]
    t = sps.ttest_rel(COUNCIL_VALUES["potential"], COUNCIL_VALUES["plan"])
    assert (found["ci_low"], found["ci_high"]) == pytest.approx(t.confidence_interval())
    assert found["t_p"] == pytest.approx(t.pvalue)
    assert found["n"] == 18


def test_a_paired_share_gap_of_identical_respondents_is_the_councils_t(alike):
    frame, councils = alike
    found = stats.mcnemar_gap(frame, "helps", "planned", clusters=councils).iloc[0]
    d = np.array(COUNCIL_VALUES["helps"], float) - np.array(COUNCIL_VALUES["planned"], float)
    t = sps.ttest_1samp(d, 0)
    low, high = t.confidence_interval()
    assert (found["ci_low"], found["ci_high"]) == pytest.approx((100 * low, 100 * high))
    assert found["p_value"] == pytest.approx(t.pvalue)
    assert found["test"] == "design-based t, councils as clusters"
    assert stats.mcnemar_gap(frame, "helps", "planned").at[0, "test"] == "exact binomial"


def test_a_crosstab_cell_of_identical_respondents_has_the_design_effective_n(alike):
    frame, councils = alike
    table = stats.crosstab(frame, "helps", "planned", normalize="all", clusters=councils)
    cell = table[(table["helps"] == 1) & (table["planned"] == 1)].iloc[0]
    # Three of six councils say yes to both; the design effect of identical respondents is
    # (mC - 1) / (C - 1) whatever the share, so n_eff is mC(C - 1) / (mC - 1).
    m, c = PER_COUNCIL, 6
    assert cell["n_eff"] == pytest.approx(m * c * (c - 1) / (m * c - 1))
    low, high = proportion_confint(0.5 * cell["n_eff"], cell["n_eff"], method="wilson")
    assert (cell["ci_low"], cell["ci_high"]) == pytest.approx((100 * low, 100 * high))
    plain = stats.crosstab(frame, "helps", "planned", normalize="all")
    assert plain.loc[cell.name, "n_eff"] == 18
