"""Councils as clusters on a page: what the page says, and the intervals that allow for it."""

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
