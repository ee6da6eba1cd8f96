"""The solver: synthetic 2024 microdata faithful to every published figure, regenerable."""

from itertools import product

import pandas as pd
import pytest
from conftest import outside
from councildigital.data import microdata, survey
from councildigital.data.microdata import column_name
from councildigital.reconstruct import claims, solver


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
