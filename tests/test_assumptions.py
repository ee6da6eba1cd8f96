"""The reconstruction's assumptions: documented beside the data, quoted from the report, kept."""

import json

import numpy as np
from councildigital.data import microdata, sources, survey
from councildigital.reconstruct import assumptions


def test_assumptions_are_documented_beside_the_data():
    table = assumptions.assumptions_table()
    stored = assumptions.ASSUMPTIONS_PATH.read_text(encoding="utf-8")
    assert stored == table.to_csv(index=False, lineterminator="\n"), (
        "assumptions.csv is stale: run `councildigital reconstruct`"
    )
    readme = (microdata.DEFAULT_PATH.parent / "README.md").read_text(encoding="utf-8")
    for name in table["name"]:
        assert f"`{name}`" in readme, f"README does not explain the assumption {name}"
    for value in table["value"]:
        json.loads(value)
    means = assumptions.assumption("theme_potential_means")
    plans = assumptions.assumption("theme_plan_means")
    assert all(means[t] > plans[t] for t in survey.codes(survey.THEMES))


def test_prose_readings_quote_the_report(seeds):
    text = sources.folded_text("lgc2024", seeds)
    for reading in assumptions.PROSE_READINGS:
        assert reading["quote"] in text, reading["id"]


def test_council_types_and_regions_fit_together(default):
    allowed = assumptions.assumption("council_regions")
    for row in default.itertuples():
        assert row.region in allowed[row.council_type], row.respondent_id
    assert np.isclose((default["region"] == "london").mean() * 100, 18, atol=0.5)
