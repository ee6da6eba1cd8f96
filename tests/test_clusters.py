"""Councils as clusters on a page: what the page says, and the intervals that allow for it."""

import numpy as np
import pandas as pd
import pytest
from councildigital import stats
from councildigital.data import microdata
from councildigital.sections import vision as v
from councildigital.sections.page import load_page


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
