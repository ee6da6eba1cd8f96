"""The barriers section: its statistics against hand-computed values, the framework matrix
against the CSV, and the notebook as the batch runs it."""

import math

import nbformat
import numpy as np
import pandas as pd
import pytest
from councildigital.data import published, survey
from councildigital.pipeline import batch
from councildigital.sections import barriers
from scipy import stats as sps

FUNDING, SKILLS = barriers.BARRIER_COLUMNS[0], barriers.BARRIER_COLUMNS[1]


def small_frame() -> pd.DataFrame:
    """Six respondents: funding 5,4,3 among "yes" and 2,1,0 among "no"; other barriers all 1."""
    frame = pd.DataFrame(
        {
            "council_type": ["county"] * 4 + ["district"] * 2,
            barriers.CAPABILITY: [1.0, 1.0, 1.0, 0.0, 0.0, 0.0],
        }
    )
    for column in barriers.BARRIER_COLUMNS:
        frame[column] = 1.0
    frame[FUNDING] = [5.0, 4.0, 3.0, 2.0, 1.0, 0.0]
    frame[SKILLS] = [4.0, 4.0, np.nan, 2.0, 2.0, 2.0]
    return frame


# --- survey statistics ------------------------------------------------------------------------


def test_barrier_means_are_t_intervals_ranked_largest_first():
    means = barriers.barrier_means(small_frame())
    funding = means.set_index("item").loc[FUNDING]
    # mean 2.5, sd sqrt(3.5), n 6: half-width t(0.975, 5) * sd / sqrt(6)
    half = sps.t.ppf(0.975, 5) * math.sqrt(3.5) / math.sqrt(6)
    assert funding["mean"] == pytest.approx(2.5)
    assert funding["ci_low"] == pytest.approx(2.5 - half)
    assert funding["ci_high"] == pytest.approx(2.5 + half)
    assert funding["n"] == 6
    # skills: 4, 4, 2, 2, 2 (one missing) -> 2.8 on n = 5, the largest mean
    assert means.iloc[0]["item"] == SKILLS
    assert means.iloc[0]["mean"] == pytest.approx(2.8)
    assert means.iloc[0]["n"] == 5
    assert means.iloc[0]["barrier"] == "Skills and capability of staff in digital"
    assert means["rank"].tolist() == [1, 2, 3, 3, 3]  # ties share a rank
    assert means["overlaps_next"].iloc[0]  # 2.8 and 2.5 are not separated by n = 5 and 6


def test_barrier_means_clip_an_interval_past_the_top_of_the_scale():
    frame = small_frame()
    frame[FUNDING] = [5.0, 5.0, 5.0, 4.0, 5.0, 3.0]  # mean 4.5: the t interval runs past 5
    means = barriers.barrier_means(frame).set_index("item")
    half = sps.t.ppf(0.975, 5) * frame[FUNDING].std() / math.sqrt(6)
    assert 4.5 + half > 5
    assert means.at[FUNDING, "ci_low"] == pytest.approx(4.5 - half)
    assert means.at[FUNDING, "ci_high"] == 5.0
    assert means["bounded"].to_dict() == {c: c == FUNDING for c in barriers.BARRIER_COLUMNS}


def test_score_distribution_counts_every_score_and_adds_to_100():
    spread = barriers.score_distribution(small_frame())
    funding = spread[spread["item"] == FUNDING].set_index("score")
    assert list(funding.index) == [0, 1, 2, 3, 4, 5]
    assert funding["count"].tolist() == [1, 1, 1, 1, 1, 1]
    skills = spread[spread["item"] == SKILLS].set_index("score")
    assert skills.loc[2, "percent"] == pytest.approx(60)
    assert skills.loc[4, "percent"] == pytest.approx(40)
    assert skills.loc[0, "count"] == 0
    assert (skills["n"] == 5).all()
    assert spread.groupby("item")["percent"].sum().to_numpy() == pytest.approx(100)
    assert funding.loc[5, "score_label"] == "Very large"


def test_score_distribution_refuses_an_empty_base():
    frame = small_frame()
    frame[FUNDING] = np.nan
    with pytest.raises(ValueError, match="barrier_funding"):
        barriers.score_distribution(frame)


def test_top_box_sums_the_top_scores():
    large = barriers.top_box(barriers.score_distribution(small_frame()))
    assert large["Funding"] == pytest.approx(100 * 2 / 6)
    assert large["Skills and capability of staff in digital"] == pytest.approx(40)


def test_capability_by_type_gives_wilson_shares_and_suppresses_small_bases():
    table = barriers.capability_by_type(small_frame(), min_base=3).set_index("council_type")
    low, high = sps.binomtest(3, 4).proportion_ci(method="wilson")
    assert table.loc["county", "estimate"] == pytest.approx(75)
    assert table.loc["county", "ci_low"] == pytest.approx(100 * low)
    assert table.loc["county", "ci_high"] == pytest.approx(100 * high)
    assert table.loc["all", "estimate"] == pytest.approx(50)
    assert table.loc["district", "n"] == 2
    assert table.loc["district", "suppressed"]
    assert np.isnan(table.loc["district", "estimate"])
    assert table.loc["district", "suppression_reason"] == "base n = 2 is below the minimum of 3"
    assert table.loc["other", "n"] == 0  # every council type is listed, empty ones too
    assert table.loc["county", "group"] == "County council"


def test_compare_by_capability_matches_welch_by_hand():
    table = barriers.compare_by_capability(small_frame(), min_base=2).set_index("item")
    funding = table.loc[FUNDING]
    # yes 5,4,3 (mean 4, var 1); no 2,1,0 (mean 1, var 1): se sqrt(1/3 + 1/3), df 4
    se = math.sqrt(2 / 3)
    half = sps.t.ppf(0.975, 4) * se
    assert (funding["mean_yes"], funding["mean_no"]) == (pytest.approx(4), pytest.approx(1))
    assert (funding["n_yes"], funding["n_no"]) == (3, 3)
    assert funding["difference"] == pytest.approx(3)
    assert funding["ci_low"] == pytest.approx(3 - half)
    assert funding["ci_high"] == pytest.approx(3 + half)
    assert funding["welch_p"] == pytest.approx(2 * sps.t.sf(3 / se, 4))
    assert funding["mann_whitney_p"] == pytest.approx(sps.mannwhitneyu([5, 4, 3], [2, 1, 0]).pvalue)
    # Skills: yes 4, 4 and no 2, 2, 2 have no spread within either group: Welch is undefined.
    assert np.isnan(table.loc[SKILLS, "welch_p"])
    # Constant barriers (every answer 1) cannot be tested at all.
    assert np.isnan(table.loc[barriers.BARRIER_COLUMNS[2], "difference"])
    # Holm over the one tested barrier leaves its p unchanged.
    assert funding["welch_p_holm"] == pytest.approx(funding["welch_p"])


def test_compare_by_capability_blanks_groups_below_the_minimum_base():
    table = barriers.compare_by_capability(small_frame(), min_base=4).set_index("item")
    funding = table.loc[FUNDING]
    assert funding["suppressed"]
    assert np.isnan(funding["difference"]) and np.isnan(funding["mean_yes"])
    assert (funding["n_yes"], funding["n_no"]) == (3, 3)  # the bases stay visible
    assert funding["suppression_reason"] == "base n = 3 is below the minimum of 4"
    assert table["welch_p_holm"].isna().all()


def test_holm_adjusts_over_the_barriers_tested():
    frame = small_frame()
    frame[barriers.BARRIER_COLUMNS[2]] = [3.0, 2.0, 3.0, 2.0, 3.0, 2.0]
    table = barriers.compare_by_capability(frame, min_base=2).set_index("item")
    raw = table.loc[[FUNDING, barriers.BARRIER_COLUMNS[2]], "welch_p"].to_numpy()
    smaller, larger = sorted(raw)
    adjusted = table.loc[[FUNDING, barriers.BARRIER_COLUMNS[2]], "welch_p_holm"].to_numpy()
    assert sorted(adjusted) == pytest.approx([2 * smaller, max(2 * smaller, larger)])


def test_weighting_effect_is_zero_for_equal_weights_and_hand_computed_otherwise():
    frame = small_frame()
    equal = barriers.weighting_effect(frame, pd.Series(1.0, index=frame.index))
    assert equal["difference"].to_numpy() == pytest.approx(0)
    weights = pd.Series([1.0, 1.0, 1.0, 1.0, 4.0, 4.0], index=frame.index)
    effect = barriers.weighting_effect(frame, weights).set_index("figure")
    funding = effect.loc["Barrier score (0-5): Funding"]
    assert funding["weighted"] == pytest.approx((5 + 4 + 3 + 2 + 4 * 1 + 4 * 0) / 12)
    assert funding["unweighted"] == pytest.approx(2.5)
    assert funding["n_eff"] == pytest.approx(12**2 / 36)
    share = effect.loc["Say they have the capability (%)"]
    assert share["weighted"] == pytest.approx(100 * 3 / 12)
    assert share["difference"] == pytest.approx(25 - 50)
    assert share["n"] == 6


def test_weighting_effect_flags_a_score_whose_interval_was_clipped():
    frame = small_frame()
    frame[FUNDING] = [5.0, 5.0, 5.0, 4.0, 5.0, 3.0]
    effect = barriers.weighting_effect(frame, pd.Series(1.0, index=frame.index))
    effect = effect.set_index("figure")
    assert effect.at["Barrier score (0-5): Funding", "unweighted_high"] == 5.0
    assert effect["bounded"].tolist() == [True, False, False, False, False, False]


# --- the published framework ------------------------------------------------------------------


@pytest.fixture(scope="module")
def framework():
    return published.load_framework()


def test_framework_matrix_has_one_mark_per_tag_row(framework):
    matrix = barriers.framework_matrix(framework)
    tags = framework[framework["kind"] == "tag"]
    assert int(matrix.to_numpy().sum()) == len(tags)
    stages = framework[framework["kind"] == "lifecycle_stage"].sort_values("order")
    assert list(matrix.index) == stages["label"].tolist()
    assert matrix.loc["Setting a direction", ("Common challenge", "Siloes")] == 1
    assert matrix.loc["Procuring", ("Systemic barrier", "Challenging market")] == 1
    assert matrix.loc["Setting a direction", ("Systemic barrier", "Challenging market")] == 0
    # Facets of a challenge are not columns; untagged challenges and barriers are.
    assert "Governance process is effective" not in matrix.columns.get_level_values(1)
    assert matrix[("Common challenge", "Governance")].sum() == 0


def test_framework_matrix_refuses_a_tag_to_a_facet(framework):
    broken = framework.copy()
    row = broken.index[broken["kind"] == "tag"][0]
    broken.loc[row, "related_code"] = "silos_digital_integration"
    with pytest.raises(ValueError, match=broken.loc[row, "id"]):
        barriers.framework_matrix(broken)


def test_framework_sources_count_tags_per_stage_and_per_challenge(framework):
    table = barriers.framework_sources(framework).set_index("label")
    tags = framework[framework["kind"] == "tag"]
    assert table.loc["Delivering", "tags"] == (tags["parent_code"] == "deliver").sum()
    assert table.loc["Risk", "tags"] == (tags["related_code"] == "risk").sum()
    assert table.loc["Culture", "tags"] == 0
    assert table.loc["Risk", "kind"] == "Systemic barrier"
    assert table.loc["Risk", "quote"].startswith("Risk Councils")


def test_framework_caveats_are_the_notes_about_graphics(framework):
    caveats = barriers.framework_caveats(framework)
    assert not caveats.empty
    assert caveats["note"].str.contains("graphic").all()
    assert "FW-0001" in caveats["id"].tolist()


# --- words ------------------------------------------------------------------------------------


def test_words():
    assert barriers.format_mean(4.0, 3.79, 4.21, 78) == "4.0 (95% CI 3.8 to 4.2; n = 78)"
    assert barriers.format_share(46.15, 35.5, 57.1, 78) == "46% (95% CI 36% to 57%; n = 78)"
    assert barriers.format_base(pd.Series([78, 78])) == "78"
    assert barriers.format_base(pd.Series([78, 75])) == "75 to 78"
    assert barriers.join_words([]) == ""
    assert barriers.join_words(["a"]) == "a"
    assert barriers.join_words(["a", "b", "c"]) == "a, b and c"


def ranked(means: list[float]) -> pd.DataFrame:
    """A barrier_means-shaped table of the first len(means) barriers, intervals 0.4 either side."""
    labels = [c.label for c in survey.BARRIERS][: len(means)]
    return pd.DataFrame(
        {
            "barrier": labels,
            "mean": means,
            "ci_low": [m - 0.4 for m in means],
            "ci_high": [m + 0.4 for m in means],
            "n": [10] * len(means),
        }
    )


def test_largest_barriers_names_every_barrier_tied_at_the_shown_precision():
    # 3.62 and 3.58 both show as 3.6, so the page calls them tied though they differ exactly.
    words = barriers.largest_barriers(ranked([3.62, 3.58, 2.9]), "District council respondents")
    assert words.sentence == (
        "Among District council respondents, **funding** and **skills and capability of staff "
        "in digital** are tied for the highest mean score: 3.6 (95% CI 3.2 to 4.0; n = 10) and "
        "3.6 (95% CI 3.2 to 4.0; n = 10) respectively."
    )
    assert words.title == (
        "Tied as the largest barriers to digital (3.6 out of 5): funding; skills and capability "
        "of staff in digital"
    )
    assert words.headline_label == "Largest barriers (mean score, 0-5)"
    assert words.headline == "Funding; skills and capability of staff in digital (tied): 3.6 (n=10)"


def test_an_exact_tie_from_the_data_is_named_as_a_tie():
    frame = small_frame()
    frame[FUNDING] = [4.0, 4.0, 2.0, 2.0, 2.0, np.nan]  # 2.8 on n = 5, exactly as skills
    means = barriers.barrier_means(frame)
    assert means["rank"].tolist()[:2] == [1, 1]
    words = barriers.largest_barriers(means, "all respondents")
    assert words.title.startswith("Tied as the largest barriers to digital (2.8 out of 5): ")
    assert "**funding**" in words.sentence and "**skills and capability" in words.sentence


def test_largest_barriers_without_a_tie_names_one():
    # 3.66 shows as 3.7 and 3.64 as 3.6: close, but not tied as shown.
    close = barriers.largest_barriers(ranked([3.66, 3.64]), "all respondents", weighted=True)
    assert close.sentence == (
        "Among all respondents (post-stratified by council type), **funding** has the highest "
        "mean score, 3.7 (95% CI 3.3 to 4.1; n = 10)."
    )
    assert close.title == "Funding is the largest barrier to digital (3.7 out of 5)"
    assert close.headline_label == "Largest barrier (mean score, 0-5)"
    assert close.headline == "Funding: 3.7 (n=10)"


def test_a_type_too_small_to_show_is_worded_as_all_respondents_for_context():
    scope = barriers.scope("Welsh council", "wales", too_small=True)
    assert scope == "all respondents (shown for context: too few welsh council respondents)"
    words = barriers.largest_barriers(ranked([4.0, 3.0]), scope)
    assert words.sentence.startswith(
        "Among all respondents (shown for context: too few welsh council respondents), "
        "**funding** has the highest mean score"
    )
    assert barriers.scope("District council", "district", too_small=False) == (
        "District council respondents"
    )
    assert barriers.scope("All respondents", survey.ALL, too_small=False) == "all respondents"


# --- the notebook -----------------------------------------------------------------------------


@pytest.mark.slow
def test_notebook_runs_for_all_a_council_type_and_an_empty_one(tmp_path):
    results = batch.run_batch(batch.plan(["barriers"], ["all", "district", "other"]), tmp_path)
    assert {r.name: r.status for r in results} == {
        "barriers/all": "ok",
        "barriers/district": "ok",
        "barriers/other": "ok",
    }, [r.error for r in results]
    pages = {t: tmp_path / "barriers" / f"{t}.html" for t in ("all", "district", "other")}
    for council_type, page in pages.items():
        html = page.read_text()
        assert "SYNTHETIC" in html
        named = (
            "All respondents"
            if council_type == "all"
            else survey.label(survey.COUNCIL_TYPES, council_type)
        )
        assert f"Respondents on this page:</strong> {named}" in html
        notebook = nbformat.read(page.with_suffix(".ipynb"), as_version=4)
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                assert output["output_type"] != "error"
                assert output.get("name") != "stderr", output.get("text")
    assert "District council respondents" in pages["district"].read_text()
    # The synthetic district sample ties funding and skills at 3.6.
    assert (
        "Tied as the largest barriers to digital (3.6 out of 5): funding; skills"
        in pages["district"].read_text()
    )
    assert "too few respondents" in pages["other"].read_text().lower()
    assert "Other, n = 0 of" in pages["other"].read_text()
    all_page = pages["all"].read_text()
    assert "Reproduces the report" in all_page and "within their stated rounding" in all_page
    assert "within their stated rounding" not in pages["district"].read_text()


@pytest.mark.slow
def test_notebook_shows_weighted_beside_unweighted_in_the_all_run(tmp_path):
    runs = batch.plan(["barriers"], ["all"], parameters={"weighting": "council_type"})
    [result] = batch.run_batch(runs, tmp_path)
    assert result.status == "ok", result.error
    html = (tmp_path / "barriers" / "all.html").read_text()
    assert "Headline figures unweighted and post-stratified" in html
    assert "Design effect" in html


def test_welch_comparison_with_one_constant_group_gives_a_result_without_warnings():
    import warnings

    frame = pd.DataFrame(
        {
            "has_capability": [1, 1, 1, 0, 0, 0],
            **{f"barrier_{code}": [3, 3, 3, 1, 2, 4] for code in survey.codes(survey.BARRIERS)},
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = barriers.compare_by_capability(frame, min_base=2)
    assert table["difference"].tolist() == pytest.approx([3 - 7 / 3] * len(survey.BARRIERS))
