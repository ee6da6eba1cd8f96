"""The synthetic reconstruction: faithful to every published figure, regenerable, documented."""

import json
from itertools import product

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from councildigital.cli import main
from councildigital.data import microdata, sources, survey
from councildigital.data.microdata import column_name
from councildigital.reconstruct import assumptions, claims, solver


@pytest.fixture(scope="module")
def default():
    return microdata.load_microdata().frame


@pytest.fixture(scope="module")
def by_id():
    return {c.id: c for c in claims.claims()}


def outside(table):
    return table.loc[table["checkable"] & ~table["within"], "id"].tolist()


def test_every_published_figure_is_within_tolerance(default):
    table = claims.fidelity(default)
    figures = table[table["source"] == "figure"]
    assert len(figures) == 165
    assert figures["checkable"].all(), figures.loc[~figures["checkable"], ["id", "note"]]
    assert outside(table) == []
    values = figures[figures["kind"] == "value"]
    exact = values[~values["approximate"]]
    assert exact["difference"].abs().max() <= 0.5
    assert (figures["kind"] == "ordering").sum() >= 50


def test_fidelity_catches_a_dataset_that_does_not_match(default):
    wrong = default.copy()
    wrong["has_capability"] = 1.0
    funding, skills = column_name("barrier", "funding"), column_name("barrier", "staff_skills")
    wrong[[funding, skills]] = wrong[[skills, funding]].to_numpy()
    wrong.loc[wrong.index[:3], "council_type"] = "wales"
    failed = set(outside(claims.fidelity(wrong)))
    assert {"LGC24-0001", "LGC24-0056"} <= failed  # 46% yes / 54% no
    assert {"LGC24-0050", "LGC24-0051", "LGC24-0052"} <= failed  # funding's mean and the ranks
    assert failed & {f"LGC24-{i:04d}" for i in range(5, 9)}  # council type shares


def test_regenerating_the_default_is_byte_identical(tmp_path):
    path = solver.regenerate(solver.DEFAULT_SEED, tmp_path / "again.csv")
    assert path.read_bytes() == microdata.DEFAULT_PATH.read_bytes()
    assert not (tmp_path / "codebook.csv").exists(), "documentation only beside the default"


def test_another_seed_gives_different_but_equally_faithful_data(default):
    other = solver.build(seed=7)
    answers = [c for c in microdata.COLUMNS if c != microdata.ID_COLUMN]
    assert not other[answers].equals(default[answers])
    assert outside(claims.fidelity(other)) == []
    # The seed moves answers between respondents; the counts stay those of the figures.
    for col in ("region", "has_vision"):
        assert pd.crosstab(other["council_type"], other[col]).equals(
            pd.crosstab(default["council_type"], default[col])
        )
    for col in ("vision_could_help", "plan_prevention", "help_prevention__iot"):
        counts = other[col].value_counts(dropna=False).sort_index()
        assert counts.equals(default[col].value_counts(dropna=False).sort_index())


def test_readings_of_figures(by_id):
    two_thirds = by_id["LGC24-0019"]
    assert (two_thirds.lo, two_thirds.hi) == (62.0, 71.0)
    under_a_third = by_id["LGC24-0093"]
    assert under_a_third.hi_strict and under_a_third.hi == pytest.approx(100 / 3)
    less_than_a_quarter = by_id["LGC24-0130"]
    assert (less_than_a_quarter.hi, less_than_a_quarter.hi_strict) == (25.0, True)
    at_least_ten = by_id["LGC24-0161"]  # 'at least 10 points', inclusive, on rounded figures
    assert (at_least_ten.lo, at_least_ten.lo_strict) == (9.5, False)
    all_nine_themes = by_id["LGC24-0039"]  # a gap above 0, exclusive
    assert (all_nine_themes.lo, all_nine_themes.lo_strict) == (0.0, True)
    across_themes = by_id["LGC24-0061"]  # generative AI's rank across the nine themes
    assert {q.column for q in across_themes.siblings} == {
        column_name("help", t, "generative_ai") for t in survey.codes(survey.THEMES)
    }
    london = by_id["LGC24-0016"]
    assert {q.group for q in london.siblings} == set(survey.codes(survey.COUNCIL_TYPES))
    assert by_id["LGC24-0003"].tolerance == "exact"


def test_a_figure_the_microdata_cannot_speak_to_is_listed_with_its_reason():
    figures = pd.DataFrame(
        [
            {
                "id": "LGC24-0999",
                "document": "lgc2024",
                "question": "has_vision",
                "item": "maybe",
                "group": "all",
                "measure": "share",
                "value": 5.0,
                "approximate": False,
                "quote": "",
                "note": None,
            }
        ]
    )
    table = claims.fidelity(microdata.load_microdata().frame, figures)
    row = table.set_index("id").loc["LGC24-0999"]
    assert not row["checkable"]
    assert row["note"] == "no answer codes for the item 'maybe'"


def attainable_on(bases, shares):
    """Brute force: some counts on these bases give shares meeting every interval."""
    counts = [range(b + 1) for b in bases]
    return any(
        all(ok(*(100 * k / b for k, b in zip(ks, bases, strict=True))) for ok in shares)
        for ks in product(*counts)
    )


def test_bases_below_78_are_the_ones_the_figures_force(default, by_id):
    bases = solver.type_bases(list(by_id.values()), 78)
    reduced = {col: b for col, b in bases.items() if b < 78}
    assert len(reduced) == 10
    for col, b in bases.items():
        assert default[col].notna().sum() == b, col
    for col in reduced:
        own = [
            c.holds
            for c in by_id.values()
            if c.point and c.quantity is not None and c.quantity.column == col
        ]
        if own:
            assert not attainable_on([78], own), col
            continue
        gap = next(
            c
            for c in by_id.values()
            if c.question == "type_gap" and col in {p.column for p in c.quantity.parts}
        )
        assert not attainable_on([78, 78], [lambda a, b, g=gap: g.holds(a - b)]), col
    vision = default[default["has_vision"] == 1]
    assert (vision["vision_could_help"].notna().sum(), vision["vision_in_plan"].notna().sum()) == (
        61,
        62,
    )


def test_the_reports_inconsistencies_are_reproduced(default):
    def share(col):
        return default[col].mean() * 100

    for theme in ("place_making", "economic_growth", "personalised_services"):
        planned = share(column_name("planned", theme, "data_platform"))
        assert planned > share(column_name("help", theme, "data_platform"))


def test_plan_is_mostly_but_not_always_at_or_below_potential(default):
    above = pd.DataFrame(
        {
            t: default[column_name("plan", t)] > default[column_name("pot", t)]
            for t in survey.codes(survey.THEMES)
        }
    )
    assert 0 < above.to_numpy().mean() < 0.1
    assert (above.mean() < 0.15).all()


@pytest.mark.parametrize("mean", [1.3, 2.4, 3.0, 4.0, 4.55])
def test_likert_counts_hit_the_mean(mean):
    counts = solver.likert_counts(mean, survey.EXTENT.values, 78)
    assert sum(counts.values()) == 78
    assert set(counts) == set(survey.EXTENT.values)
    assert sum(v * k for v, k in counts.items()) == round(mean * 78)
    assert sum(k > 0 for k in counts.values()) >= 3, "a spread, not one answer"


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


def test_fidelity_command(tmp_path):
    table = tmp_path / "fidelity.csv"
    result = CliRunner().invoke(main, ["fidelity", "--table", str(table)])
    assert result.exit_code == 0, result.output
    assert "SYNTHETIC DATA" in result.output
    assert "2024 figures: 165 published, 165 checked, 165 within tolerance" in result.output
    assert "largest difference, stated number: +0.49" in result.output
    assert len(pd.read_csv(table)) == len(claims.claims())


def test_reconstruct_command_writes_a_synthetic_file(tmp_path):
    out = tmp_path / "seed7.csv"
    result = CliRunner().invoke(main, ["reconstruct", "--seed", "7", "--out", str(out)])
    assert result.exit_code == 0, result.output
    loaded = microdata.load_microdata(out)
    assert loaded.synthetic
    assert loaded.sha256 != microdata.load_microdata().sha256
