"""Councils as clusters on a page: what the page says, and the intervals that allow for it."""

import numpy as np
import pandas as pd
import pytest
from councildigital import stats
from councildigital.data import microdata
from councildigital.pipeline import batch
from councildigital.sections import vision as v
from councildigital.sections.page import load_page
from councildigital.sections.then_and_now import wilson


@pytest.fixture
def clustered(tmp_path):
    """The embedded respondents as real ids, two (or one) respondents per council."""
    frame = pd.read_csv(microdata.DEFAULT_PATH, dtype=str, keep_default_na=False)
    frame["respondent_id"] = [f"R{i}" for i in range(len(frame))]
    frame.insert(1, "council_id", [f"C{i // 2}" for i in range(len(frame))])
    path = tmp_path / "clustered.csv"
    frame.to_csv(path, index=False)
    return path


def test_without_council_ids_the_page_says_respondents_are_independent():
    page = load_page("all")
    assert page.councils is None
    assert "respondents are treated as independent" in page.clustering_statement()
    assert "as if the respondents were a simple random sample" in page.design_caveat()


def test_with_council_ids_the_page_counts_councils_and_the_intervals_allow_for_them(clustered):
    page = load_page("all", str(clustered))
    statement = page.clustering_statement()
    assert "39 councils answered, with 78 respondents (councils by respondents: 39 with 2)" in (
        statement
    )
    assert page.design_caveat().startswith(statement)
    table = v.vision_by_type(page.all, min_base=10).set_index("council_type")
    yes = (page.all["has_vision"] == 1).astype(float)
    _, low, high, found = stats.design_share_ci(yes, clusters=page.all["council_id"])
    assert found.clusters == 39
    assert (table.at["all", "ci_low"], table.at["all", "ci_high"]) == pytest.approx((low, high))
    plain = v.vision_by_type(load_page("all").all, min_base=10).set_index("council_type")
    assert table.at["all", "estimate"] == pytest.approx(plain.at["all", "estimate"])
    assert table.at["all", "n_eff"] != pytest.approx(plain.at["all", "n_eff"])


def test_every_interval_of_a_page_allows_for_the_councils(clustered):
    """Means, row shares of the potential-by-plan table and the paired comparisons use the
    design's variance with councils as clusters where the data name them."""
    page = load_page("all", str(clustered))
    councils = page.all["council_id"]
    themes = v.theme_significance(page.all).set_index("item")
    column = "sig_efficiency_productivity"
    _, low, high, _ = stats.design_mean_ci(page.all[column], clusters=councils)
    assert (themes.at[column, "ci_low"], themes.at[column, "ci_high"]) == pytest.approx((low, high))
    tests = v.paired_tests(page.all)
    assert tests.at[1, "test"] == "design-based t, councils as clusters"
    assert tests.at[0, "test"].startswith("paired t, councils as clusters (Wilcoxon")
    base = v.with_vision(page.all)[[v.COULD_HELP, v.IN_PLAN]].dropna()
    d = base[v.COULD_HELP] - base[v.IN_PLAN]
    _, low, high, _ = stats.design_mean_ci(d, clusters=councils.reindex(d.index))
    assert (tests.at[0, "ci_low"], tests.at[0, "ci_high"]) == pytest.approx((low, high))
    plain = v.paired_tests(load_page("all").all)
    assert plain.at[0, "ci_low"] != pytest.approx(low)
    cells = v.potential_plan_crosstab(page.all, normalize="index")
    alone = v.potential_plan_crosstab(load_page("all").all, normalize="index")
    assert not np.allclose(cells["n_eff"], alone["n_eff"])


@pytest.fixture
def uneven(tmp_path):
    """The embedded respondents as real ids: twenty councils of three, then 18 of one."""
    frame = pd.read_csv(microdata.DEFAULT_PATH, dtype=str, keep_default_na=False)
    frame["respondent_id"] = [f"R{i}" for i in range(len(frame))]
    frame.insert(1, "council_id", [f"C{i // 3}" if i < 60 else f"S{i}" for i in range(len(frame))])
    path = tmp_path / "uneven.csv"
    frame.to_csv(path, index=False)
    return path


def test_council_weights_make_each_council_count_once():
    councils = pd.Series(["a", "a", "b", "c", "c", "c"], index=[5, 6, 7, 8, 9, 10])
    weights = stats.council_weights(councils)
    assert weights.tolist() == pytest.approx([1 / 2, 1 / 2, 1, 1 / 3, 1 / 3, 1 / 3])
    assert list(weights.index) == [5, 6, 7, 8, 9, 10]
    assert weights.groupby(councils).sum().tolist() == pytest.approx([1, 1, 1])
    with pytest.raises(ValueError, match="1 respondent"):
        stats.council_weights(pd.Series(["a", None]))


def test_read_per_council_each_council_counts_once_with_clustered_intervals(uneven):
    page = load_page("all", str(uneven), reading="council")
    assert page.per_council
    assert "read per council (38 councils)" in page.notice()
    assert page.reading_statement().startswith(
        "**Read per council:** each of the 38 councils counts once"
    )
    table = v.vision_by_type(page.all, min_base=10, weights=page.council_weights)
    everyone = table.set_index("council_type").loc["all"]
    answered = page.all[page.all["has_vision"].notna()]
    per_council = (answered["has_vision"] == 1).groupby(answered["council_id"]).mean()
    assert everyone["estimate"] == pytest.approx(100 * per_council.mean())
    by_respondent = v.vision_by_type(page.all, min_base=10).set_index("council_type").loc["all"]
    assert everyone["estimate"] != pytest.approx(by_respondent["estimate"])
    yes = (answered["has_vision"] == 1).astype(float)
    _, low, high, _ = stats.design_share_ci(
        yes, weights=page.council_weights[answered.index], clusters=answered["council_id"]
    )
    assert (everyone["ci_low"], everyone["ci_high"]) == pytest.approx((low, high))
    # The page's own results read per council, and say what they have no range for.
    share = v.vision_share(page)
    assert share.evidence.value == pytest.approx(100 * per_council.mean())
    assert share.evidence.bound_low is None
    themes = v.theme_ranking(page)
    assert "(per council)" in themes.sentence


def test_reading_per_council_without_council_ids_is_refused_naming_the_column():
    with pytest.raises(ValueError, match=r"needs the column 'council_id'.*has no 'council_id'"):
        load_page("all", reading="council")
    with pytest.raises(ValueError, match="unknown reading 'councils'"):
        load_page("all", reading="councils")


def test_reading_per_council_is_not_combined_with_weighting_by_type(uneven):
    with pytest.raises(ValueError, match="not combined with weighting 'council_type'"):
        load_page("all", str(uneven), reading="council", weighting="council_type")


def test_a_batch_refuses_reading_per_council_before_any_kernel_starts(
    uneven, tmp_path, monkeypatch
):
    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(batch, "_check_kernel", no_kernel)
    council = {"reading": "council"}
    with pytest.raises(batch.BatchInputError, match=r"lgc2024_synthetic\.csv has no 'council_id'"):
        batch.plan(["vision"], ["all"], parameters=council, out_dir=tmp_path / "a")
    both = {**council, "weighting": "council_type"}
    with pytest.raises(batch.BatchInputError, match="not combined with weighting 'council_type'"):
        batch.plan(["vision"], ["all"], uneven, both, out_dir=tmp_path / "b")
    runs = batch.plan(["vision"], ["all"], uneven, council, out_dir=tmp_path / "c")
    assert runs[0].parameters["reading"] == "council"


def test_a_type_against_the_rest_allows_for_councils_in_newcombes_interval():
    """One respondent per council gives statsmodels' Newcombe interval; three identical
    respondents per council give Newcombe's interval from Wilson intervals on each group's
    effective n, mC(C-1)/(mC-1) for C councils of m (here 4 and 2 councils of 3)."""
    answers = [1, 1, 1, 0, 1, 0]
    types = ["county"] * 4 + ["district"] * 2
    single = pd.DataFrame({"has_vision": answers, "council_type": types})
    alone = v.type_vs_rest(single, "county")
    single["council_id"] = [f"C{i}" for i in range(6)]
    assert v.type_vs_rest(single, "county")["ci_low"] == pytest.approx(alone["ci_low"])
    assert v.type_vs_rest(single, "county")["ci_high"] == pytest.approx(alone["ci_high"])
    triples = pd.DataFrame(
        {
            "has_vision": np.repeat(answers, 3),
            "council_type": np.repeat(types, 3),
            "council_id": np.repeat([f"C{i}" for i in range(6)], 3),
        }
    )
    found = v.type_vs_rest(triples, "county")
    county, rest = (75.0, *wilson(75, 3 * 4 * 3 / 11)), (50.0, *wilson(50, 3 * 2 / 5))
    below = np.hypot(county[0] - county[1], rest[2] - rest[0])
    above = np.hypot(county[2] - county[0], rest[0] - rest[1])
    assert (found["ci_low"], found["ci_high"]) == pytest.approx((25 - below, 25 + above))
    plain = v.type_vs_rest(triples.drop(columns="council_id"), "county")
    assert found["ci_high"] - found["ci_low"] > plain["ci_high"] - plain["ci_low"]
    assert found["p_value"] == plain["p_value"]
