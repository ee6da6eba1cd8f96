"""Then and now: every 2013 value shown is its published row, the crosswalk is whole, the page runs."""

import json
import math

import nbformat
import pytest
from councildigital.data import published, survey
from councildigital.pipeline import batch
from councildigital.sections import then_and_now as tn


@pytest.fixture(scope="module")
def figures():
    return tn.load_figures()


@pytest.fixture(scope="module")
def crosswalk():
    return published.load_crosswalk()


@pytest.fixture(scope="module")
def tables(figures, crosswalk):
    """Every comparison table the page shows, for every council type."""
    barriers = tn.barriers_2013(figures, crosswalk)
    shown = {
        "barriers": barriers,
        "pairs": tn.barrier_pairs(barriers, tn.barrier_ranks_2024(figures)),
        "strategy": tn.strategy_table(figures),
        "gaps": tn.perception_gaps(figures),
    }
    for code in survey.codes(survey.COUNCIL_TYPES):
        shown[f"type {code}"] = tn.type_comparison(figures, code)
    return shown


# --- every value is the row it cites ---------------------------------------------------------


def test_every_value_a_table_carries_equals_the_published_row_it_cites(figures, tables):
    published = figures.set_index("id")["value"]
    wrong = [
        (name, row.column, row.id, row.value, published[row.id])
        for name, table in tables.items()
        for row in tn.cited_values(table).itertuples()
        if row.value != published[row.id]
    ]
    assert wrong == []


def test_every_share_shown_cites_a_row(tables):
    """A share column without its id twin would be a number nobody can trace."""
    share_columns = ("share_2013", "share", "councils", "suppliers", "type_share", "all_share")
    for name, table in tables.items():
        for column in set(share_columns) & set(table.columns):
            untraced = table[table[column].notna() & table[f"{column}_id"].isna()]
            assert untraced.empty, (name, column)


def test_the_2013_figures_shown_match_the_report_tables(figures, tables):
    checked = tn.reproduction(figures, list(tables.values()))
    assert len(checked) >= 100
    assert (checked["shown"] == checked["published"]).all()
    assert "differs from the table" not in set(checked["verdict"])
    councils = checked[checked["figure"].str.endswith("(councils)")]
    assert "no table in the report" not in set(councils["verdict"])  # councils: always a table


def test_a_figure_that_disagrees_with_its_table_cells_is_caught(figures):
    """60.2 is agree 42.0 + strongly agree 18.2; change it and the check must say so."""
    altered = figures.copy()
    altered.loc[altered["id"] == "LDT13-0384", "value"] = 61.0
    assert tn.table_check(figures, "LDT13-0384")["verdict"] == "matches the table"
    verdict = tn.table_check(altered, "LDT13-0384")
    assert verdict == {
        "cells": "LDT13-0371 + LDT13-0372",
        "table_value": pytest.approx(60.2),
        "verdict": "differs from the table",
    }


def test_a_figure_stated_twice_shows_the_table_cell_and_the_other_statement(figures):
    legacy = tn.cite(figures, tn.THEN, tn.BARRIERS_2013, "legacy_systems:yes", tn.COUNCILS)
    assert (legacy.id, legacy.value) == ("LDT13-0416", 72.7)
    assert ("LDT13-0009", 72.0, "Highlights") in legacy.differs
    unwilling = tn.cite(
        figures, tn.THEN, tn.BARRIERS_2013, "unwillingness_to_change:yes", tn.COUNCILS
    )
    stated = {figure_id for figure_id, _, _ in unwilling.differs}
    assert "LDT13-0011" in stated  # the Highlights' 49%
    assert "LDT13-0002" not in stated  # the verbal 'Half' is a restatement, not a conflict


# --- the crosswalk ---------------------------------------------------------------------------


def test_crosswalk_covers_every_2013_barrier_item_exactly_once(figures, crosswalk):
    cells = figures[
        (figures["question"] == tn.BARRIERS_2013)
        & (figures["group"] == tn.COUNCILS)
        & tn.is_table_cell(figures)
    ]
    items_2013 = set(cells["item"].str.split(":").str[0])
    assert len(items_2013) == 15
    assert not crosswalk["item_2013"].duplicated().any()
    assert set(crosswalk["item_2013"]) == items_2013


def test_crosswalk_names_only_2024_barrier_codes_and_says_why(crosswalk):
    matched = crosswalk[crosswalk["match"] != "none"]
    unmatched = crosswalk[crosswalk["match"] == "none"]
    assert set(matched["barrier_2024"]) <= set(survey.codes(survey.BARRIERS))
    assert unmatched["barrier_2024"].isna().all()
    assert set(crosswalk["match"]) <= set(published.MATCHES)
    assert crosswalk["reason"].str.len().min() > 20


def test_crosswalk_wording_is_the_2013_table_wording(figures, crosswalk):
    for entry in crosswalk.itertuples():
        assert tn.wording(figures, tn.BARRIERS_2013, entry.item_2013) == entry.wording_2013


def test_a_broken_crosswalk_is_refused_with_every_problem_named(tmp_path, crosswalk):
    broken = crosswalk.copy()
    broken.loc[0, "barrier_2024"] = "broadband_speed"
    broken.loc[1, "match"] = "none"
    broken.loc[2, "item_2013"] = broken.loc[3, "item_2013"]
    path = tmp_path / "crosswalk.csv"
    broken.to_csv(path, index=False)
    with pytest.raises(published.DataValidationError) as raised:
        published.load_crosswalk(path)
    problems = "\n".join(raised.value.problems)
    assert "line 2: barrier_2024 'broadband_speed' is not a 2024 barrier code" in problems
    assert "line 3: barrier_2024 must be empty exactly when match is 'none'" in problems
    assert f"item_2013 {broken.loc[3, 'item_2013']!r} appears more than once" in problems


# --- ranks and intervals ---------------------------------------------------------------------


def test_2024_ranks_are_exact_for_the_top_three_and_a_range_for_the_bottom_two(figures):
    ranks = tn.barrier_ranks_2024(figures).set_index("barrier_2024")
    assert ranks.loc["funding", ["rank_2024_low", "rank_2024_high"]].tolist() == [1, 1]
    assert ranks.loc["legacy_technology", "rank_2024"] == "3"
    assert ranks.loc["staff_reluctance", "rank_2024"] == "4–5"
    assert ranks.loc["technology_availability", "rank_2024"] == "4–5"


def test_the_strongest_match_stands_for_a_2024_barrier(figures, crosswalk):
    """Culture (loose) has the higher 2013 share, but unwillingness (close) is the better match."""
    pairs = tn.barrier_pairs(tn.barriers_2013(figures, crosswalk), tn.barrier_ranks_2024(figures))
    reluctance = pairs[pairs["barrier_2024"] == "staff_reluctance"].set_index("item_2013")
    assert reluctance.loc["unwillingness_to_change", "primary"]
    assert not reluctance.loc["culture", "primary"]
    primary = pairs[pairs["primary"]]
    assert sorted(primary["rank_2013_among_pairs"]) == [1, 2, 3, 4, 5]
    moves = tn.rank_moves(pairs).set_index("item_2013")["moved"]
    assert moves["funding"] == "up"
    assert moves["legacy_systems"] == "down"
    assert moves["broadband"] == "up or level"  # 5th then, '4th-5th' now


def test_wilson_interval_matches_hand_computation():
    # 50 of 100: the textbook 95% Wilson interval is 40.38% to 59.62%.
    low, high = tn.wilson(50, 100)
    assert (round(low, 2), round(high, 2)) == (40.38, 59.62)
    # 35.5% of 178, by the formula: centre (p + z^2/2n) / (1 + z^2/n),
    # half-width z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2), z = 1.959964.
    p, n, z = 0.355, 178, 1.959964
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    low, high = tn.wilson(35.5, 178)
    assert low == pytest.approx(100 * (centre - half), abs=1e-3)
    assert high == pytest.approx(100 * (centre + half), abs=1e-3)
    assert (round(low, 1), round(high, 1)) == (28.8, 42.8)


# --- council types ---------------------------------------------------------------------------


def test_a_type_with_2024_figures_is_shown_beside_all_respondents_and_2013(figures):
    london = tn.type_comparison(figures, "london_borough").iloc[0]
    assert (london["type_share"], london["all_share"], london["share_2013"]) == (92, 79, 35.5)
    assert london["type_base"] == round(78 * 17 / 100)  # 17% of the 78 respondents
    assert london["type_low"] < london["type_share"] < london["type_high"]


def test_a_type_without_2024_answers_has_no_comparison_only_who_responded(figures):
    assert tn.type_comparison(figures, "metropolitan").empty
    listed = tn.figures_for_type(figures, "metropolitan")
    assert listed["id"].tolist() == ["LDT13-0101"]  # the 2013 response rate, not an answer


# --- the notebook ----------------------------------------------------------------------------


@pytest.mark.slow
def test_the_page_runs_for_all_and_for_a_council_type(tmp_path):
    runs = batch.plan(["then_and_now"], ["all", "london_borough"])
    results = batch.run_batch(runs, tmp_path, jobs=2)
    assert [(r.name, r.status) for r in results] == [
        ("then_and_now/all", "ok"),
        ("then_and_now/london_borough", "ok"),
    ], [r.error for r in results]
    everyone = (tmp_path / "then_and_now" / "all.html").read_text(encoding="utf-8")
    london = (tmp_path / "then_and_now" / "london_borough.html").read_text(encoding="utf-8")
    assert "all respondents" in everyone
    assert "Reproduces the published tables" in everyone
    assert "London borough" in london
    assert "Reproduces the published tables" not in london
    for name in ("all", "london_borough"):
        notebook = nbformat.read(tmp_path / "then_and_now" / f"{name}.ipynb", as_version=4)
        streams = [
            json.dumps(output)
            for cell in notebook.cells
            for output in cell.get("outputs", [])
            if output["output_type"] in {"stream", "error"}
        ]
        assert streams == [], f"{name}: warnings or errors in the outputs"
