"""The barriers section: its statistics against hand-computed values, the framework matrix
against the CSV, and the notebook as the batch runs it."""

import math

import nbformat
import numpy as np
import pandas as pd
import pytest
from conftest import site_results
from councildigital.data import microdata, published, survey
from councildigital.pipeline import batch
from councildigital.reconstruct import claims
from councildigital.sections import barriers, estimates, formatting
from councildigital.sections.estimates import Estimate
from councildigital.sections.page import Table, load_page, reproduces_the_report
from councildigital.sections.records import ESTIMATES_MIME, HEADLINE_MIME
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


def stub(evidence: str, low: float | None = None, high: float | None = None):
    """An estimator (as SurveyPage.estimate) giving every number one status, for unit tests of
    the wording; ``observed`` with no range adds nothing to the text, as on real data."""

    def estimate(q, statistic, value, *, ci_low=None, ci_high=None, n=None, unit="%", **_):
        return Estimate(
            statistic,
            q.group,
            float(value),
            ci_low,
            ci_high,
            n,
            evidence=evidence,
            bound_low=low,
            bound_high=high,
            unit=unit,
            identification=evidence if evidence in ("bounded", "published") else "assumed",
            quantity=q,
        )

    return estimate


OBSERVED, ASSUMED = stub("observed"), stub("assumed")
ILLUSTRATIVE = estimates.ILLUSTRATIVE


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
    whole = barriers.capability_by_type(small_frame(), min_base=1).set_index("council_type")
    low, high = sps.binomtest(3, 4).proportion_ci(method="wilson")
    assert whole.loc["county", "estimate"] == pytest.approx(75)
    assert whole.loc["county", "ci_low"] == pytest.approx(100 * low)
    assert whole.loc["county", "ci_high"] == pytest.approx(100 * high)
    table = barriers.capability_by_type(small_frame(), min_base=3).set_index("council_type")
    assert table.loc["all", "estimate"] == pytest.approx(50)
    # The total less the county row would be the district row: county is hidden too.
    assert table.loc["county", "suppressed"] and np.isnan(table.loc["county", "count"])
    assert table.loc["county", "suppression_reason"].startswith("hidden although n = 4")
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


def each(means: pd.DataFrame, estimate=OBSERVED) -> list[Estimate]:
    """An estimate per row of a barrier_means-shaped table."""
    return [
        estimate(claims.Quantity("mean", f"barrier_{i}"), r.barrier, r.mean, n=r.n, unit="")
        for i, r in enumerate(means.itertuples())
    ]


def test_largest_barriers_names_every_barrier_tied_at_the_shown_precision():
    # 3.62 and 3.58 both show as 3.6, so the page calls them tied though they differ exactly.
    means = ranked([3.62, 3.58, 2.9])
    words = barriers.largest_barriers(means, "District council respondents", each(means))
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
    words = barriers.largest_barriers(means, "all respondents", each(means))
    assert words.title.startswith("Tied as the largest barriers to digital (2.8 out of 5): ")
    assert "**funding**" in words.sentence and "**skills and capability" in words.sentence


def test_largest_barriers_without_a_tie_names_one():
    # 3.66 shows as 3.7 and 3.64 as 3.6: close, but not tied as shown.
    means = ranked([3.66, 3.64])
    close = barriers.largest_barriers(means, "all respondents", each(means), weighted=True)
    assert close.sentence == (
        "Among all respondents (post-stratified by council type), **funding** has the highest "
        "mean score, 3.7 (95% CI 3.3 to 4.1; n = 10)."
    )
    assert close.title == "Funding is the largest barrier to digital (3.7 out of 5)"
    assert close.headline_label == "Largest barrier (mean score, 0-5)"
    assert close.headline == "Funding: 3.7 (n=10)"


def test_largest_barriers_resting_on_an_illustrative_mean_say_so_and_claim_no_order():
    means = ranked([3.9, 3.0])
    mixed = each(means)[:1] + each(means.iloc[1:], ASSUMED)
    words = barriers.largest_barriers(means, "all respondents", mixed)
    # Funding's own mean is a finding, but "the largest" compares it with an illustrative one.
    assert words.sentence == (
        "Among all respondents, **funding** has the highest mean score, 3.9 (95% CI 3.5 to 4.3; "
        "n = 10)."
    )
    assert words.title == "Funding has the highest mean score shown (3.9 out of 5; illustrative)"
    assert words.evidence == tuple(mixed)
    assert estimates.weakest(words.evidence).evidence == "assumed"
    tied = ranked([3.62, 3.58, 2.9])
    words = barriers.largest_barriers(tied, "District council respondents", each(tied, ASSUMED))
    assert words.sentence.endswith(
        "3.6 (95% CI 3.2 to 4.0; n = 10) and 3.6 (95% CI 3.2 to 4.0; n = 10) respectively. "
        f"These figures are {ILLUSTRATIVE}."
    )
    assert words.title == (
        "Tied for the highest mean score shown (3.6 out of 5; illustrative): funding; skills and "
        "capability of staff in digital"
    )
    bounded = barriers.largest_barriers(
        ranked([4.0]), "all respondents", each(ranked([4.0]), stub("bounded", 3.5, 4.5))
    )
    assert bounded.sentence == (
        "Among all respondents, **funding** has the highest mean score, 4.0 (95% CI 3.6 to 4.4; "
        "n = 10; the published figures put this between 3.50 and 4.50)."
    )


@pytest.mark.parametrize(
    ("council_type", "words"),
    [
        ("county", "county council"),
        ("london_borough", "London borough"),
        ("unitary", "unitary authority"),
        ("district", "district council"),
        ("metropolitan", "metropolitan council"),
        ("combined_authority", "combined authority"),
        ("scotland", "Scottish council"),
        ("wales", "Welsh council"),
        ("other", "other"),
    ],
)
def test_a_type_too_small_keeps_the_capital_of_a_proper_noun_only(council_type, words):
    label = survey.label(survey.COUNCIL_TYPES, council_type)
    assert survey.in_sentence(label) == words
    assert barriers.scope(label, council_type, too_small=True) == (
        f"all respondents (shown for context: too few {words} respondents)"
    )


def test_a_type_too_small_to_show_is_worded_as_all_respondents_for_context():
    scope = barriers.scope("Welsh council", "wales", too_small=True)
    assert scope == "all respondents (shown for context: too few Welsh council respondents)"
    means = ranked([4.0, 3.0])
    words = barriers.largest_barriers(means, scope, each(means))
    assert words.sentence.startswith(
        "Among all respondents (shown for context: too few Welsh council respondents), "
        "**funding** has the highest mean score"
    )
    assert barriers.scope("District council", "district", too_small=False) == (
        "District council respondents"
    )
    assert barriers.scope("All respondents", survey.ALL, too_small=False) == "all respondents"


# --- the page's results, against the published pages -------------------------------------------
#
# Expected sentences and cells are the pages of the batch (embedded synthetic data, min_base 10).

DATA_LABEL = (
    " SYNTHETIC DATA: a reconstruction matching the published LGC 2024 figures, not the survey's "
    "real responses."
)
CONTEXT = "all respondents (shown for context: too few Welsh council respondents)"
# Funding's mean is published (LGC24-0050, "4" read as 3.5 to 4.5); the ranks the report
# publishes confine the others.
ALL_MEANS = [
    ["1", "Funding", "4.00", "3.80 to 4.20", "78", "no", "● published (LGC24-0050)"],
    [
        *["2", "Skills and capability of staff in digital", "3.40", "3.17 to 3.63", "78", "yes"],
        "◐ bounded: 0.01 to 4.49",
    ],
    ["3", "Legacy technology", "3.21", "2.97 to 3.44", "78", "no", "◐ bounded: 0.00 to 4.47"],
    [
        *["4", "Reluctance from staff to adopt new technologies", "2.29", "2.06 to 2.53", "78"],
        *["yes", "◐ bounded: 0.00 to 4.47"],
    ],
    [
        "5",
        "Availability of technology",
        "2.10",
        "1.86 to 2.34",
        "78",
        "",
        "◐ bounded: 0.00 to 4.47",
    ],
]
FUNDING_ALL = "4.0 (95% CI 3.8 to 4.2; n = 78; as the report states (LGC24-0050))"
ALL_ORDER = (
    "From largest to smallest: funding (4.0), skills and capability of staff in digital (3.4), "
    "legacy technology (3.2), reluctance from staff to adopt new technologies (2.3) and "
    "availability of technology (2.1). The intervals of skills and capability of staff in digital "
    "and legacy technology and reluctance from staff to adopt new technologies and availability "
    "of technology overlap, so the data do not separate those pairs."
)
# The report states the share for everyone (LGC24-0056) and none by council type: the types'
# shares are free (the seeds give district 60%, 50%, 40%, 80% and 20%).
TYPE_ASSUMED = "○ illustrative (assumed)"
BY_TYPE = [
    ["All respondents", "46", "36% to 57%", "78", "", "● published (LGC24-0056)"],
    ["County council", "35", "18% to 57%", "20", "", TYPE_ASSUMED],
    ["London borough", "38", "18% to 64%", "13", "", TYPE_ASSUMED],
    ["Unitary authority", "42", "19% to 68%", "12", "", TYPE_ASSUMED],
    ["District council", "60", "31% to 83%", "10", "", TYPE_ASSUMED],
    ["Metropolitan council", "", "", "5", "base n = 5 is below the minimum of 10", ""],
    ["Combined authority", "", "", "6", "base n = 6 is below the minimum of 10", ""],
    ["Scottish council", "", "", "6", "base n = 6 is below the minimum of 10", ""],
    ["Welsh council", "", "", "6", "base n = 6 is below the minimum of 10", ""],
    ["Other", "", "", "0", "base n = 0 is below the minimum of 10", ""],
]
NOT_SHOWN_TYPES = (
    "Not shown, because the base is below 10: Metropolitan council (n = 5), Combined authority "
    "(n = 6), Scottish council (n = 6), Welsh council (n = 6) and Other (n = 0)."
)
TYPES_SENTENCE = (
    "Shown types range from 35% (County council, n = 20) to 60% (District council, n = 10). "
    f"These figures are {ILLUSTRATIVE}. How the types compare is {ILLUSTRATIVE}.\n\n"
    f"{NOT_SHOWN_TYPES}"
)
SAYS_CAPABILITY = (
    "say their council has the knowledge, ability and confidence to deliver digital solutions to "
    "its biggest challenges."
)
# As real (observed) data would show them: every mean marked, the difference's status last.
ALL_COMPARISON = [
    [
        *["Funding", "4.06 ◆", "36", "3.95 ◆", "42", "+0.10", "-0.30 to 0.50"],
        *["0.610", "1.000", "0.812", "", "◆ observed"],
    ],
    [
        *["Skills and capability of staff in digital", "3.19 ◆", "36", "3.57 ◆", "42", "-0.38"],
        *["-0.82 to 0.07", "0.097", "0.447", "0.111", "", "◆ observed"],
    ],
    [
        *["Legacy technology", "3.42 ◆", "36", "3.02 ◆", "42", "+0.39", "-0.06 to 0.85"],
        *["0.089", "0.447", "0.117", "", "◆ observed"],
    ],
    [
        *["Reluctance from staff to adopt new technologies", "2.31 ◆", "36", "2.29 ◆", "42"],
        *["+0.02", "-0.46 to 0.50", "0.934", "1.000", "0.913", "", "◆ observed"],
    ],
    [
        *["Availability of technology", "2.03 ◆", "36", "2.17 ◆", "42", "-0.14", "-0.63 to 0.35"],
        *["0.571", "1.000", "0.395", "", "◆ observed"],
    ],
]
NO_CLEAR_LINK = (
    "After Holm adjustment no barrier differs at the 5% level: with these bases the data show no "
    "clear link between self-assessed capability and barrier scores."
)


@pytest.fixture(scope="module")
def pages():
    return {t: load_page(t) for t in ("all", "county", "district", "wales")}


def cells(table: Table) -> list[list[str]]:
    """A table's cells as the page prints them."""
    return table.frame.astype(str).to_numpy().tolist()


def scope_of(page) -> str:
    return barriers.scope(page.label, page.council_type, page.too_small)


def ranking_of(page, estimate=None) -> barriers.Ranking:
    """The page's ranking as its notebook makes it (``estimate``: the page's own by default)."""
    return barriers.ranking(
        page.shown,
        scope=scope_of(page),
        estimate=estimate or page.estimate,
        group=page.group,
        weights=page.estimate_weights,
        weighted=page.weighted,
        data_label=DATA_LABEL,
    )


def capability_of(page, min_base: int = 10, estimate=None) -> barriers.Capability:
    return barriers.capability(
        page.all,
        group=page.group,
        scope=scope_of(page),
        min_base=min_base,
        estimate=estimate or page.estimate,
        weights=page.estimate_weights,
        weighted=page.weighted,
        data_label=DATA_LABEL,
    )


def comparison_of(page, estimate, min_base: int = 10) -> barriers.CapabilityComparison:
    return barriers.capability_comparison(
        page.shown,
        scope=scope_of(page),
        min_base=min_base,
        estimate=estimate,
        group=page.group,
        data_label=DATA_LABEL,
    )


def statuses(shown) -> list[str]:
    return [e.evidence for e in shown.estimates]


def test_score_axis_labels_name_the_ends_of_the_scale():
    assert barriers.SCORES == [0, 1, 2, 3, 4, 5]
    assert barriers.SCORE_LABELS == ["0 (not at all)", "1", "2", "3", "4", "5 (very large)"]
    assert barriers.SCORE_MIDPOINT == 2.5


def test_ranking_for_all_respondents(pages):
    ranking = ranking_of(pages["all"])
    assert ranking.sentence == (
        f"Among all respondents, **funding** has the highest mean score, {FUNDING_ALL}. {ALL_ORDER}"
    )
    assert cells(ranking.table) == ALL_MEANS
    # Each mean shown is attached to the table and the chart once, its status in the chart's frame.
    assert ranking.table.estimates == ranking.chart.estimates
    assert [e.statistic for e in ranking.table.estimates] == [
        f"{row[1]} as a barrier (mean, 0-5)" for row in ALL_MEANS
    ]
    assert ranking.means["evidence"].tolist() == statuses(ranking.table)
    assert statuses(ranking.table) == ["published"] + ["bounded"] * 4
    assert ranking.table.caption == f"Barrier scores, all respondents. Base: n = 78.{DATA_LABEL}"
    assert ranking.table.base is None
    assert ranking.chart.title == "Funding is the largest barrier to digital (4.0 out of 5)"
    assert (ranking.chart.x, ranking.chart.y) == (
        "Mean score, 0 (not at all) to 5 (very large), with 95% interval",
        "",
    )
    assert (ranking.chart.n, ranking.chart.wrap, ranking.chart.source) == ("78", None, None)
    assert (ranking.largest.headline_label, ranking.largest.headline) == (
        "Largest barrier (mean score, 0-5)",
        "Funding: 4.0 (n=78)",
    )
    assert ranking.means["mean"].iloc[0] == pytest.approx(4.0, abs=0.005)
    assert ranking.means["barrier"].tolist() == [row[1] for row in ALL_MEANS]


COUNTY_ORDER = (
    "From largest to smallest: funding (4.0), skills and capability of staff in digital (3.8), "
    "legacy technology (3.3), reluctance from staff to adopt new technologies (2.1) and "
    "availability of technology (2.1)."
)


def test_ranking_for_county_is_illustrative(pages):
    # The report publishes no barrier figure by council type: county's means are free.
    ranking = ranking_of(pages["county"])
    assert statuses(ranking.table) == ["assumed"] * 5
    assert ranking.sentence == (
        "Among County council respondents, **funding** has the highest mean score, 4.0 (95% CI "
        f"3.5 to 4.4; n = 20). This figure is {ILLUSTRATIVE}. {COUNTY_ORDER} This order is "
        f"{ILLUSTRATIVE}."
    )
    assert "overlap" not in ranking.sentence
    assert ranking.chart.title == (
        "Funding has the highest mean score shown (4.0 out of 5; illustrative)"
    )
    assert cells(ranking.table)[0] == [
        *["1", "Funding", "3.95", "3.48 to 4.42", "20", "yes"],
        "○ illustrative (assumed)",
    ]
    assert [row[5] for row in cells(ranking.table)] == ["yes", "yes", "no", "yes", ""]
    # Observed means (real data) name every overlapping pair instead.
    observed = ranking_of(pages["county"], OBSERVED)
    assert observed.sentence == (
        "Among County council respondents, **funding** has the highest mean score, 4.0 (95% CI "
        f"3.5 to 4.4; n = 20). {COUNTY_ORDER} The intervals of funding and skills and capability "
        "of staff in digital, skills and capability of staff in digital and legacy technology and "
        "reluctance from staff to adopt new technologies and availability of technology overlap, "
        "so the data do not separate those pairs."
    )
    assert observed.chart.title == "Funding is the largest barrier to digital (4.0 out of 5)"
    assert ranking.table.caption == (
        f"Barrier scores, County council respondents. Base: n = 20.{DATA_LABEL}"
    )


def test_ranking_for_district_is_an_illustrative_tie(pages):
    ranking = ranking_of(pages["district"])
    assert ranking.sentence.startswith(
        "Among District council respondents, **funding** and **skills and capability of staff in "
        "digital** are tied for the highest mean score: 3.6 (95% CI 3.0 to 4.2; n = 10) and 3.6 "
        f"(95% CI 3.1 to 4.1; n = 10) respectively. These figures are {ILLUSTRATIVE}. From "
        "largest to smallest: funding (3.6), "
    )
    assert ranking.sentence.endswith(f"This order is {ILLUSTRATIVE}.")
    assert [row[0] for row in cells(ranking.table)] == ["1", "1", "3", "4", "5"]
    assert ranking.chart.title == (
        "Tied for the highest mean score shown (3.6 out of 5; illustrative): funding; skills and "
        "capability of staff in digital"
    )
    assert statuses(ranking.table) == ["assumed"] * 5


def test_ranking_for_a_type_too_small_shows_everyone_for_context(pages):
    ranking = ranking_of(pages["wales"])
    assert ranking.sentence == (
        f"Among {CONTEXT}, **funding** has the highest mean score, {FUNDING_ALL}. {ALL_ORDER}"
    )
    assert cells(ranking.table) == ALL_MEANS
    assert {e.group for e in ranking.table.estimates} == {"all"}
    assert ranking.table.caption == f"Barrier scores, {CONTEXT}. Base: n = 78.{DATA_LABEL}"


def test_weighted_ranking_says_so():
    page = load_page("all", weighting="council_type")
    ranking = ranking_of(page)
    # Weighted means combine the council types' own, which the report leaves nearly free.
    assert ranking.sentence.startswith(
        "Among all respondents (post-stratified by council type), **funding** has the highest mean "
        "score, 3.9 (95% CI 3.6 to 4.2; n = 78; the published figures put this between 1.78 and "
        "4.89)."
    )
    assert ranking.sentence.endswith(f"This order is {ILLUSTRATIVE}.")
    assert statuses(ranking.table) == ["bounded"] + ["assumed"] * 4
    assert ranking.table.estimates[0].quantity.stat == "combination"
    # The report ranks the unweighted mean, not this one: "the largest" compares all five.
    assert ranking.largest.evidence == ranking.table.estimates
    assert cells(ranking.table)[0] == [
        *["1", "Funding", "3.90", "3.62 to 4.18", "78", "yes"],
        "◐ bounded: 1.78 to 4.89",
    ]
    assert ranking.table.caption == (
        f"Barrier scores, all respondents, weighted. Base: n = 78.{DATA_LABEL}"
    )


def test_ranking_caption_says_where_an_interval_was_clipped():
    frame = small_frame()
    frame[FUNDING] = [5.0, 5.0, 5.0, 4.0, 5.0, 3.0]
    ranking = barriers.ranking(frame, scope="all respondents", estimate=ASSUMED, group="all")
    assert ranking.table.caption == (
        "Barrier scores, all respondents. Base: n = 5 to 6. Intervals clipped to the scale's 0-5 "
        "range."
    )
    assert cells(ranking.table)[0][3] == "3.62 to 5.00"  # 4.5 - t(0.975, 5) * 0.837 / sqrt(6)


@pytest.mark.parametrize(
    ("council_type", "sentence", "title"),
    [
        (
            "all",
            "71% of all respondents score funding 4 or 5 (the published figures put this between "
            "26% and 100%), against 9% for availability of technology "
            f"({ILLUSTRATIVE}; n = 78).",
            "71% rate funding a large barrier (4 or 5), 9% availability of technology "
            "(illustrative)",
        ),
        (
            "county",
            "70% of County council respondents score funding 4 or 5, against 5% for availability "
            f"of technology (n = 20). These figures are {ILLUSTRATIVE}.",
            "70% rate funding a large barrier (4 or 5), 5% availability of technology "
            "(illustrative)",
        ),
        (
            "wales",
            f"71% of {CONTEXT} score funding 4 or 5 (the published figures put this between 26% "
            "and 100%), against 9% for availability of technology "
            f"({ILLUSTRATIVE}; n = 78).",
            "71% rate funding a large barrier (4 or 5), 9% availability of technology "
            "(illustrative)",
        ),
        (
            "district",
            "40% of District council respondents score funding 4 or 5, against 10% for reluctance "
            f"from staff to adopt new technologies (n = 10). These figures are {ILLUSTRATIVE}.",
            "40% rate funding a large barrier (4 or 5), 10% reluctance from staff to adopt new "
            "technologies (illustrative)",
        ),
    ],
)
def test_score_spread_compares_the_largest_and_smallest_barrier(
    pages, council_type, sentence, title
):
    page = pages[council_type]
    means = ranking_of(page).means
    spread = barriers.score_spread(
        page.shown, means=means, scope=scope_of(page), estimate=page.estimate, group=page.group
    )
    assert spread.sentence == sentence
    assert spread.chart.title == title
    assert spread.chart.x == "Percent of respondents (scores 0-2 left of the line, 3-5 right)"
    assert spread.chart.wrap is None
    # The bars follow the ranking, each barrier with all six scores adding up to 100.
    distribution = spread.distribution
    assert distribution is spread.chart.frame
    assert distribution["barrier"].drop_duplicates().tolist() == means["barrier"].tolist()
    assert (distribution.groupby("barrier").size() == 6).all()
    assert distribution.groupby("barrier")["percent"].sum().to_numpy() == pytest.approx(100)
    # Every score's share is an estimate with its status in the frame, then the title's two.
    shown = spread.chart.estimates
    assert len(shown) == len(distribution) + 2
    assert distribution["evidence"].tolist() == [e.evidence for e in shown[:-2]]
    top = claims.Quantity("share", means["item"].iloc[0], (4, 5), page.group)
    assert shown[-2].quantity == top
    assert f"{shown[-2].value:.0f}% rate" in spread.chart.title


def test_capability_for_all_respondents(pages):
    capability = capability_of(pages["all"])
    assert capability.sentence == (
        "Among all respondents, **46% (95% CI 36% to 57%; n = 78; as the report states "
        f"(LGC24-0056))** {SAYS_CAPABILITY}"
    )
    assert capability.evidence.figure_id == "LGC24-0056"
    assert (capability.headline_label, capability.headline) == (
        "Say they have the capability",
        "46% (n=78)",
    )
    assert capability.types_sentence == TYPES_SENTENCE
    assert cells(capability.table) == BY_TYPE
    assert capability.table.caption == (
        f"Say their council has the capability, by council type. Base: n = 78.{DATA_LABEL}"
    )
    chart = capability.chart
    assert chart.frame["group"].tolist() == [row[0] for row in BY_TYPE[:5]]
    assert chart.frame["estimate"].iloc[0] == pytest.approx(100 * 36 / 78)
    assert chart.title == (
        "Between 35% and 60% per council type say they have the capability (illustrative)"
    )
    assert chart.frame["evidence"].tolist() == ["published"] + ["assumed"] * 4
    # The five shares shown, each once, on the chart and the table alike.
    assert chart.estimates == capability.table.estimates
    groups = ["all", "county", "london_borough", "unitary", "district"]
    assert [e.group for e in chart.estimates] == groups
    assert chart.x == "Percent answering yes, with 95% Wilson interval"
    assert (chart.n, chart.wrap) == ("78 (types shown: base at least 10)", None)


def test_capability_for_county_and_for_a_type_too_small(pages):
    county = capability_of(pages["county"])
    assert county.sentence == (
        f"Among County council respondents, **35% (95% CI 18% to 57%; n = 20)** {SAYS_CAPABILITY}"
        f" This figure is {ILLUSTRATIVE}."
    )
    assert county.evidence.evidence == "assumed"
    assert county.headline == "35% (n=20)"
    assert cells(county.table) == BY_TYPE  # every page lists every council type
    wales = capability_of(pages["wales"])
    assert wales.sentence == (
        f"Among {CONTEXT}, **46% (95% CI 36% to 57%; n = 78; as the report states (LGC24-0056))** "
        f"{SAYS_CAPABILITY}"
    )
    assert wales.headline == "46% (n=78)"
    assert wales.types_sentence == TYPES_SENTENCE


def test_weighted_capability_says_so():
    capability = capability_of(load_page("all", weighting="council_type"))
    assert capability.sentence == (
        "Among all respondents (weighted), **53% (95% CI 38% to 67%; n = 78; the published figures "
        f"put this between 15% and 80%)** {SAYS_CAPABILITY}"
    )
    assert cells(capability.table)[0] == [
        *["All respondents", "53", "38% to 67%", "78", ""],
        "◐ bounded: 15% to 80%",
    ]
    assert capability.table.caption == (
        "Say their council has the capability, by council type (all respondents weighted). "
        f"Base: n = 78.{DATA_LABEL}"
    )


def test_capability_below_the_minimum_base_is_not_shown(pages):
    capability = capability_of(pages["all"], min_base=100)
    assert capability.sentence == (
        "Not shown for all respondents: base n = 78 is below the minimum of 100."
    )
    assert capability.headline == "not shown (n=78)"
    assert capability.evidence is None and capability.table.estimates == ()
    assert capability.chart is None
    assert capability.types_sentence.startswith(
        "Not shown, because the base is below 100: All respondents (n = 78), County council "
        "(n = 20), "
    )
    assert {row[1] for row in cells(capability.table)} == {""}


def test_capability_comparison_of_observed_differences_is_tested(pages):
    comparison = comparison_of(pages["all"], OBSERVED)
    assert comparison.sentence == (
        "Among all respondents, 36 say yes and 42 say no. The largest difference is for legacy "
        "technology: +0.39 points (95% CI -0.06 to 0.85; Welch p = 0.09). " + NO_CLEAR_LINK
    )
    assert cells(comparison.table) == ALL_COMPARISON
    assert comparison.table.caption == (
        "Barrier scores by self-assessed capability, all respondents. Base: n = 36 yes, 42 no."
        f"{DATA_LABEL} The Evidence column is the difference's; each mean carries its own mark."
    )
    # Each barrier's two means and their difference, attached once.
    assert len(comparison.table.estimates) == 15
    assert comparison.chart.estimates == comparison.table.estimates[2::3]
    chart = comparison.chart
    assert chart.title == "No barrier differs clearly by self-assessed capability"
    assert chart.x == (
        "Difference in mean score (has capability minus does not), with 95% Welch interval"
    )
    assert (chart.n, chart.wrap) == ("36 yes, 42 no", None)
    assert len(chart.frame) == 5
    # The axis is symmetric about 0 and 15% wider than the widest interval end (0.85).
    low, high = comparison.xlim
    assert high == -low
    assert high == pytest.approx(1.15 * chart.frame["ci_high"].max())


def test_capability_comparison_for_county_is_blank_below_the_minimum_base(pages):
    comparison = comparison_of(pages["county"], OBSERVED)
    assert comparison.sentence == (
        "Among County council respondents, 7 say yes and 13 say no. A comparison needs at least "
        "10 respondents in each group, so none is shown."
    )
    assert comparison.chart is None and comparison.xlim is None
    assert cells(comparison.table)[0] == [
        "Funding",
        *["", "7", "", "13", "", "", "", "", ""],
        *["base n = 7 is below the minimum of 10", ""],
    ]
    assert comparison.table.estimates == ()
    assert comparison.table.caption == (
        "Barrier scores by self-assessed capability, County council respondents. "
        f"Base: n = 7 yes, 13 no.{DATA_LABEL}"
    )
    # With a minimum base of 3 (the batch's -p min_base 3) county is compared.
    three = comparison_of(pages["county"], OBSERVED, min_base=3)
    assert three.sentence == (
        "Among County council respondents, 7 say yes and 13 say no. The largest difference is for "
        "reluctance from staff to adopt new technologies: -0.45 points (95% CI -1.20 to 0.30; "
        "Welch p = 0.22). " + NO_CLEAR_LINK
    )
    assert cells(three.table)[3][5:10] == ["-0.45", "-1.20 to 0.30", "0.221", "1.000", "0.265"]
    assert cells(three.table)[3][1] == "1.86 ◆"


def test_capability_comparison_for_a_type_too_small_compares_everyone(pages):
    comparison = comparison_of(pages["wales"], OBSERVED)
    assert comparison.sentence.startswith(f"Among {CONTEXT}, 36 say yes and 42 say no. ")
    assert cells(comparison.table) == ALL_COMPARISON
    assert {e.group for e in comparison.table.estimates} == {"all"}


def test_capability_comparison_names_the_barriers_holm_leaves_clear():
    comparison = barriers.capability_comparison(
        small_frame(), scope="all", min_base=2, estimate=OBSERVED, group="all"
    )
    assert comparison.sentence.endswith(
        "The largest difference is for funding: +3.00 points (95% CI 0.73 to 5.27; Welch p = "
        "0.02). After Holm adjustment, funding differs at the 5% level."
    )
    assert comparison.chart.title == "Funding differs by self-assessed capability"
    two = small_frame()
    two[barriers.BARRIER_COLUMNS[2]] = two[FUNDING]  # legacy technology as funding
    comparison = barriers.capability_comparison(
        two, scope="all", min_base=2, estimate=OBSERVED, group="all"
    )
    assert comparison.sentence.endswith(
        "After Holm adjustment, funding and legacy technology differ at the 5% level."
    )
    assert (
        comparison.chart.title == "Funding and legacy technology differ by self-assessed capability"
    )


def test_illustrative_differences_get_no_test_and_no_finding(pages):
    comparison = comparison_of(pages["all"], ASSUMED)
    assert comparison.sentence == (
        "Among all respondents, 36 say yes and 42 say no. The largest difference shown is for "
        "legacy technology: +0.39 points (95% CI -0.06 to 0.85). How barrier scores go with "
        f"self-assessed capability is {ILLUSTRATIVE}, so no test is given and the page draws no "
        "conclusion about a link."
    )
    for words in ("p =", "clear", "differs", "significant", "higher", "lower"):
        assert words not in comparison.sentence
        assert words not in comparison.chart.title
    assert comparison.chart.title == "Barrier scores by self-assessed capability (illustrative)"
    assert comparison.chart.frame["evidence"].tolist() == ["assumed"] * 5
    rows = cells(comparison.table)
    assert rows[0][1:6] == ["4.06 ○", "36", "3.95 ○", "42", "+0.10"]
    assert {cell for row in rows for cell in row[7:10]} == {formatting.MISSING}
    assert comparison.table.caption.endswith(
        f"No test is given ({formatting.MISSING}) for an illustrative difference: the report's "
        "figures leave it free, so it is set by the reconstruction's assumptions."
    )


def test_only_the_differences_the_report_confines_are_tested_and_holm_is_over_them(pages):
    def funding_bounded(q, statistic, value, **how):
        confined = q.stat == "difference" and q.parts[0].column == FUNDING
        return (stub("bounded", -3.25, 2.79) if confined else ASSUMED)(q, statistic, value, **how)

    comparison = comparison_of(pages["all"], funding_bounded)
    rows = cells(comparison.table)
    # Funding alone is tested, so Holm leaves its p as it is.
    assert rows[0][7:10] == ["0.610", "0.610", "0.812"]
    assert rows[0][11] == "◐ bounded: -3.25 to +2.79"
    assert all(row[7:10] == [formatting.MISSING] * 3 for row in rows[1:])
    # The statement about every barrier rests on the weakest: illustrative, untested.
    assert "no test is given" in comparison.sentence and "p =" not in comparison.sentence


def test_named_cases_on_the_page_for_everyone(pages):
    """Issue 14's cases: what the report states, confines and leaves free on this page."""
    page = pages["all"]
    legacy = barriers.BARRIER_COLUMNS[2]
    yes, no = (barriers._by_capability(legacy, "all", answer) for answer in (1, 0))
    gap = claims.Quantity("difference", parts=(yes, no))
    found = page.estimate(gap, "gap", claims.evaluate(gap, page.all), unit="scale points")
    # Barrier scores are drawn independently of capability: the report says nothing on it.
    assert (found.evidence, found.bound_low, found.bound_high) == ("assumed", -5.0, 5.0)
    top = page.estimate(claims.Quantity("share", FUNDING, (4, 5)), "top box", 71.8)
    assert (top.evidence, round(top.bound_low), top.bound_high) == ("bounded", 26, 100.0)
    share = page.estimate(claims.Quantity("share", barriers.CAPABILITY, (1,)), "share", 46.2)
    assert (share.evidence, share.figure_id) == ("published", "LGC24-0056")


def test_a_shown_table_records_its_estimates_for_the_page_file(pages, displayed):
    page = pages["all"]
    ranking = ranking_of(page)
    page.show(ranking.table)
    recorded = [
        o[ESTIMATES_MIME]["rows"]
        for o, _ in displayed
        if isinstance(o, dict) and ESTIMATES_MIME in o
    ]
    assert len(recorded) == 1
    assert [r["statistic"] for r in recorded[0]] == [e.statistic for e in ranking.table.estimates]
    assert recorded[0][0]["figure_id"] == "LGC24-0050"


def test_named_cases_district_has_no_headline(pages, displayed):
    """District's capability share (60% on the embedded seed) and its barrier means are free:
    its page records no headline for the index."""
    page = pages["district"]
    capability = capability_of(page)
    assert capability.evidence.evidence == "assumed"
    assert (capability.evidence.bound_low, capability.evidence.bound_high) == (0.0, 100.0)
    largest = ranking_of(page).largest
    page.headline(capability.headline_label, capability.headline, capability.evidence)
    page.headline(largest.headline_label, largest.headline, largest.evidence)
    assert [o for o, _ in displayed if isinstance(o, dict) and HEADLINE_MIME in o] == []
    # On the page for everyone both are findings, and say what stands behind them.
    page = pages["all"]
    capability, largest = capability_of(page), ranking_of(page).largest
    page.headline(capability.headline_label, capability.headline, capability.evidence)
    page.headline(largest.headline_label, largest.headline, largest.evidence)
    recorded = [
        o[HEADLINE_MIME] for o, _ in displayed if isinstance(o, dict) and HEADLINE_MIME in o
    ]
    assert [(r["value"], r["evidence"], r.get("figure_id")) for r in recorded] == [
        ("46% (n=78)", "published", "LGC24-0056"),
        # The report ranks funding's mean first (LGC24-0051) and states it (LGC24-0050).
        ("Funding: 4.0 (n=78)", "published", "LGC24-0050"),
    ]


def test_weighting_comparison_on_the_weighted_all_page():
    page = load_page("all", weighting="council_type")
    weighting = barriers.weighting_comparison(
        page.all,
        poststratification=page.poststratification,
        council_type="all",
        estimate=page.estimate,
        data_label=DATA_LABEL,
    )
    assert weighting.sentence == (
        "Design effect 1.97: the 78 respondents carry the precision of about 40, so weighted "
        "intervals are wider. County councils are 26% of respondents but 5% of councils; "
        "district councils 13% against 43%. Weighting moves the share saying they have the "
        "capability from 46% (as the report states (LGC24-0056)) to 53% (the published figures "
        "put this between 15% and 80%), a change of +6 points, and the barrier means by at most "
        "0.17 on the 0-5 scale (availability of technology). How far weighting moves a figure "
        "depends on how council types answer, which the report does not publish: these "
        f"movements are {ILLUSTRATIVE}. Council types with councils but no respondents cannot be "
        "represented: other."
    )
    for words in ("because", "overlaps"):
        assert words not in weighting.sentence
    rows = cells(weighting.table)
    assert rows[0] == [
        "Barrier score (0-5): Funding",
        *["4.00 ●", "3.80 to 4.20", "3.90 ◐", "3.62 to 4.18", "-0.10 ◐", "78", "40"],
        *["● published (LGC24-0050)", "◐ bounded: 1.78 to 4.89"],
    ]
    assert rows[3][5] == "+0.00 ○"  # a rounded -0.00 keeps a plus sign
    assert rows[5] == [
        "Say they have the capability (%)",
        *["46 ●", "36 to 57", "53 ◐", "38 to 67", "+6 ◐", "78", "40"],
        *["● published (LGC24-0056)", "◐ bounded: 15% to 80%"],
    ]
    # Each figure's two estimates, the weighted one of the weighted combination.
    shown = weighting.table.estimates
    assert len(shown) == 12
    assert [e.quantity.stat for e in shown[:2]] == ["mean", "combination"]
    # On real data the movements are findings, and the page says why they move.
    observed = barriers.weighting_comparison(
        page.all,
        poststratification=page.poststratification,
        council_type="all",
        estimate=OBSERVED,
    )
    assert (
        "from 46% to 53%, a change of +6 points, and the barrier means by at most 0.17 on the 0-5 "
        "scale (availability of technology), because under- and over-represented council types "
        "answer differently. Every weighted interval overlaps its unweighted one."
    ) in observed.sentence
    assert weighting.table.caption == (
        "Headline figures unweighted and post-stratified by council type; a difference is marked "
        f"as the weaker of its two figures. Base: n = 78, design effect 1.97.{DATA_LABEL}"
    )


def test_weighting_comparison_elsewhere_says_where_to_look(pages):
    unweighted = barriers.weighting_comparison(
        pages["all"].all, poststratification=None, council_type="all", estimate=ASSUMED
    )
    assert unweighted.sentence == (
        'Figures on this page are unweighted. Run it with `weighting = "council_type"` to see the '
        "headline figures post-stratified beside the unweighted ones."
    )
    assert unweighted.table is None
    within = (
        "Within one council type every respondent would carry the same weight, so weighting "
        "changes nothing here; the weighted comparison is on the all-respondents page."
    )
    county = barriers.weighting_comparison(
        pages["county"].all, poststratification=None, council_type="county", estimate=ASSUMED
    )
    assert (county.sentence, county.table) == (within, None)
    wales = load_page("wales", weighting="council_type")
    too_small = barriers.weighting_comparison(
        wales.all,
        poststratification=wales.poststratification,
        council_type="wales",
        estimate=ASSUMED,
    )
    assert (too_small.sentence, too_small.table) == (within, None)


def test_framework_map(framework):
    citation = "DLUHC Local Digital, Future Councils pilot report"
    result = barriers.framework_map(framework, citation=citation)
    assert result.sentence.startswith(
        "The report's text gives 36 tags linking a stage to a challenge or barrier. Siloes and "
        "Data are tagged at every one of the 6 stages; 8 of the 16 challenges and barriers are "
        "never tagged (governance, culture, time, space and resources, "
    )
    assert "and sector\\-wide skills gap).\n\n**What the matrix cannot show.**" in result.sentence
    assert "\n- FW\\-0001 (Setting a direction): Also " in result.sentence
    assert "\n- FW\\-0024 (Risk): " in result.sentence
    chart = result.chart
    assert chart.title == "Siloes and Data are tagged at all 6 stages of a transformation"
    assert (chart.x, chart.y) == ("Common challenge or systemic barrier", "Lifecycle stage")
    assert (chart.n, chart.wrap) == ("36 tags", None)
    assert chart.source == (
        f"{citation}; tags as transcribed with quotes in data/published/future_councils_framework.csv"
    )
    assert chart.frame.shape == (6, 16)
    assert int(chart.frame.to_numpy().sum()) == 36
    assert list(result.table.frame.columns) == ["Id", "Kind", "Name", "Tags", "Quote"]
    assert cells(result.table)[0][:4] == ["FW-0001", "Lifecycle stage", "Setting a direction", "6"]
    assert result.table.caption == (
        f"The framework's stages, challenges and barriers in the report's words. Source: "
        f"{citation}. Published text, not survey data; 36 tags."
    )


def test_reproduction_on_the_all_page_and_elsewhere(pages):
    fidelity = reproduces_the_report(pages["all"], barriers.REPORTED_QUESTIONS)
    result = barriers.reproduction(fidelity, n=78, data_label=DATA_LABEL)
    assert result.sentence == (
        "**8 of the report's 8 figures on these questions are reproduced within their stated "
        "rounding.**"
    )
    rows = cells(result.table)
    assert rows[0] == [
        *["LGC24-0001", "has_capability", "no", "all", "share"],
        *["54", "53.85", "-0.15", "+/- 0.5", "yes"],
    ]
    assert rows[2][5:] == ["1", "1.00", "+0.00", "rank 1 (ties share a rank)", "yes"]
    assert result.table.caption == (
        "Published figures on barriers and capability and the same figures from the data. "
        f"Base: n = 78.{DATA_LABEL}"
    )
    elsewhere = barriers.reproduction(None, n=20)
    assert elsewhere.sentence == (
        "The report publishes these figures for all respondents only; the check is on the "
        "all-respondents page."
    )
    assert elsewhere.table is None


# --- real data ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """The embedded data as a researcher's own file (ids without the synthetic prefix), with every
    funding score 1: far below the 3.5 to 4.5 the report's mean of 4 allows."""
    table = pd.read_csv(microdata.DEFAULT_PATH, dtype=str, keep_default_na=False)
    table["respondent_id"] = table["respondent_id"].str.replace(microdata.SYNTHETIC_PREFIX, "R-")
    table[FUNDING] = table[FUNDING].where(table[FUNDING] == "", "1")
    path = tmp_path_factory.mktemp("real") / "mine.csv"
    table.to_csv(path, index=False)
    return {t: load_page(t, str(path)) for t in ("all", "district")}


def test_real_data_is_observed_and_a_value_outside_the_published_range_is_flagged(real):
    page = real["all"]
    assert not page.synthetic
    ranking = ranking_of(page)
    assert set(statuses(ranking.table)) == {"observed"}
    funding = ranking.table.estimates[-1]  # 1.0: the smallest mean now
    assert (funding.statistic, funding.value, funding.within_bounds) == (
        "Funding as a barrier (mean, 0-5)",
        1.0,
        False,
    )
    assert cells(ranking.table)[-1][-1] == f"◆ {funding.label}"
    assert "outside the published range" in funding.label and "3.50 to 4.50" in funding.label
    skills = ranking.table.estimates[0]
    assert cells(ranking.table)[0][-1] == f"◆ {skills.label}"
    assert skills.within_bounds and "0.01 to 4.49" in skills.label
    # Today's wording, tests included: nothing is illustrative on real data.
    assert ILLUSTRATIVE not in ranking.sentence
    assert "overlap" in ranking.sentence
    capability = capability_of(real["district"])
    assert capability.evidence.evidence == "observed"
    assert capability.sentence == (
        f"Among District council respondents, **60% (95% CI 31% to 83%; n = 10)** {SAYS_CAPABILITY}"
    )


def test_real_data_flags_an_out_of_range_number_in_the_text(real):
    page = real["all"]
    spread = barriers.score_spread(
        page.shown,
        means=ranking_of(page).means,
        scope="all respondents",
        estimate=page.estimate,
        group=page.group,
    )
    # Nobody scores funding 4 or 5 now, which its published mean of 4 does not allow.
    assert spread.sentence.startswith(
        "47% of all respondents score skills and capability of staff in digital 4 or 5, against "
        "0% for funding (outside the range the published figures allow (26% to 100%); n = 78)."
    )


# --- the notebook -----------------------------------------------------------------------------


def headlines(notebook_path) -> dict[str, str]:
    """The figures a page records for the site's index, by label."""
    notebook = nbformat.read(notebook_path, as_version=4)
    return {
        output["data"][HEADLINE_MIME]["label"]: output["data"][HEADLINE_MIME]["value"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if HEADLINE_MIME in output.get("data", {})
    }


@pytest.mark.slow
def test_notebook_runs_for_all_a_council_type_and_an_empty_one(executed_site):
    out, _ = executed_site
    results = site_results(executed_site, "barriers", ["all", "district", "other"])
    assert {r.name: r.status for r in results} == {
        "barriers/all": "ok",
        "barriers/district": "ok",
        "barriers/other": "ok",
    }, [r.error for r in results]
    pages = {t: out / "barriers" / f"{t}.html" for t in ("all", "district", "other")}
    for council_type, page in pages.items():
        html = page.read_text()
        assert "SYNTHETIC" in html
        named = (
            "All respondents"
            if council_type == "all"
            else survey.label(survey.COUNCIL_TYPES, council_type)
        )
        assert "<strong>On this page:</strong>" in html and named in html
        notebook = nbformat.read(page.with_suffix(".ipynb"), as_version=4)
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                assert output["output_type"] != "error"
                assert output.get("name") != "stderr", output.get("text")
    assert "District council respondents" in pages["district"].read_text()
    # The synthetic district sample ties funding and skills at 3.6.
    assert (
        "Tied for the highest mean score shown (3.6 out of 5; illustrative): funding; skills"
        in pages["district"].read_text()
    )
    assert (
        "respondents for context: too few other respondents (n = 0, below 10)"
        in pages["other"].read_text().lower()
    )
    # The index shows no all-respondents figure under the heading of a type too small to show.
    assert headlines(pages["other"].with_suffix(".ipynb")) == {
        "Say they have the capability": "not shown: n = 0, below the minimum of 10",
        "Largest barrier (mean score, 0-5)": "not shown: n = 0, below the minimum of 10",
    }
    # District's capability share and barrier means are illustrative: no headline (issue 14).
    assert headlines(pages["district"].with_suffix(".ipynb")) == {}
    assert "What the published evidence says about district council respondents" in (
        pages["district"].read_text()
    )
    assert (
        "Other: n = 0 of 78 respondents. That is below the minimum base of 10"
        in pages["other"].read_text()
    )
    all_page = pages["all"].read_text()
    assert "Reproduces the report" in all_page and "within their stated rounding" in all_page
    assert "within their stated rounding" not in pages["district"].read_text()


@pytest.mark.slow
def test_notebook_shows_weighted_beside_unweighted_in_the_all_run(tmp_path):
    runs = batch.plan(["barriers"], ["all", "wales"], parameters={"weighting": "council_type"})
    results = batch.run_batch(runs, tmp_path)
    assert [r.status for r in results] == ["ok", "ok"], [r.error for r in results]
    html = (tmp_path / "barriers" / "all.html").read_text()
    assert "Headline figures unweighted and post-stratified" in html
    assert "Design effect" in html
    # A type too small to show gives everyone's figures for context, unweighted as its notice says.
    wales = (tmp_path / "barriers" / "wales.html").read_text()
    assert "the figures for all respondents shown here for context are unweighted" in wales
    assert (
        "highest mean score, 4.0 (95% CI 3.8 to 4.2; n = 78; as the report states (LGC24-0050))"
        in wales
    )


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


def test_results_and_main_points_are_the_pages_own_figures():
    from councildigital.data import sources

    framework = published.load_framework()
    citation = sources.document("future_councils").citation
    everyone = load_page("all")
    found = barriers.results(everyone, framework, citation)
    points = barriers.main_points(everyone, found)
    assert [p.sentence for p in points] == [
        f"All respondents: the largest barrier (mean score, 0-5) is {found.ranking.largest.headline}.",
        f"All respondents: {found.capability.headline} say their council has the knowledge, "
        "ability and confidence to deliver digital solutions to its biggest challenges.",
    ]
    assert points[1].estimates == (found.capability.evidence,)
    assert found.reproduction.table is not None
    # On a type's page whose own figures are illustrative, what the report confines leads.
    county = load_page("county")
    typed = barriers.main_points(county, barriers.results(county, framework, citation))
    findings = [p for p in typed if p.basis.is_finding]
    assert all(p.sentence.startswith("County council respondents, ") for p in findings)
    assert barriers.results(county, framework, citation).reproduction.table is None
