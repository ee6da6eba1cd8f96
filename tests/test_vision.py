"""The vision section: its statistics against hand-worked values, and its page end to end."""

import itertools
import json
import math
import re

import nbformat
import numpy as np
import pandas as pd
import pytest
from councildigital.data import microdata, survey
from councildigital.pipeline import batch
from councildigital.sections import page
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


def test_yes_no_shows_readers_yes_and_no_and_leaves_the_frames_booleans_to_code():
    frame = pd.DataFrame({"id": ["a", "b"], "within tolerance": [True, False], "n": [1, 0]})
    shown = page.yes_no(frame)
    assert shown["within tolerance"].tolist() == ["yes", "no"]
    assert shown[["id", "n"]].equals(frame[["id", "n"]])
    assert frame["within tolerance"].tolist() == [True, False]


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


# --- the page -----------------------------------------------------------------------------------


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
def test_the_page_runs_for_all_a_type_and_an_empty_type(tmp_path):
    results = batch.run_batch(batch.plan(["vision"], ["all", "county", "other"]), tmp_path, jobs=3)
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
        html = (tmp_path / "vision" / f"{name}.html").read_text(encoding="utf-8")
        assert label in html and "SYNTHETIC" in html
        notebook = nbformat.read(tmp_path / "vision" / f"{name}.ipynb", as_version=4)
        text, problems = _texts(notebook)
        assert problems == [], f"{name}: warnings or errors in the outputs"
        assert sentence in text
        headings = re.findall(r"^(#+) ", text, flags=re.MULTILINE)
        assert headings.count("#") == 1 and headings[0] == "#"
        assert all(len(b) - len(a) <= 1 for a, b in itertools.pairwise(headings))
        assert ("Reproduces the report" in text) == (name == "all")
        assert ("Weighted beside unweighted" in text) == (name == "all")
    county = (tmp_path / "vision" / "county.ipynb").read_text(encoding="utf-8")
    # The county page never states the all-respondents share as its own.
    assert f"County council respondents: {shares.at['all', 'estimate']:.0f}%" not in county
