"""Identification bounds: what the published figures pin down, with known answers."""

import math

import pandas as pd
import pytest
from councildigital.data import microdata
from councildigital.data.microdata import column_name
from councildigital.reconstruct import bounds, claims, solver
from councildigital.reconstruct.claims import Claim, Quantity

YES = (1,)


def small_frame(types: dict[str, int]) -> pd.DataFrame:
    kinds = [t for t, k in types.items() for _ in range(k)]
    return pd.DataFrame(
        {
            microdata.ID_COLUMN: [f"R{i}" for i in range(len(kinds))],
            "council_type": kinds,
            "has_capability": [float(i % 2) for i in range(len(kinds))],
        }
    )


def stated_share(column: str, share: float) -> Claim:
    """A claim that the overall share of yes is exactly ``share`` (to 0.01 points)."""
    return Claim(
        id="TEST-1",
        question=column,
        item="yes",
        group="all",
        measure="share",
        published=share,
        quantity=Quantity("share", column, YES),
        lo=share - 0.01,
        hi=share + 0.01,
    )


@pytest.mark.parametrize("yes", [0, 3, 4, 9, 12])
def test_a_type_share_from_the_overall_share_has_frechet_bounds(yes):
    b, rest = 5, 7
    frame = small_frame({"county": b, "district": rest})
    given = [stated_share("has_capability", 100 * yes / (b + rest))]
    got = bounds.identify(Quantity("share", "has_capability", YES, "county"), frame, given)
    assert got.low == pytest.approx(100 * max(0, yes - rest) / b)
    assert got.high == pytest.approx(100 * min(b, yes) / b)
    assert (got.free_low, got.free_high) == (0.0, 100.0)


def test_without_claims_the_bounds_are_the_bases_only():
    frame = small_frame({"county": 5, "district": 7})
    got = bounds.identify(Quantity("share", "has_capability", YES, "county"), frame, [])
    assert (got.low, got.high, got.coverage) == (0.0, 100.0, 1.0)
    assert bounds.status_of(got) == "assumed"


def test_a_group_nobody_is_in_has_no_bounds():
    frame = small_frame({"county": 5, "district": 7})
    assert bounds.identify(Quantity("share", "has_capability", YES, "unitary"), frame, []) is None


def test_a_published_type_share_collapses_onto_its_rounding(default):
    got = bounds.identify(Quantity("share", "has_vision", YES, "county"), default)
    assert (got.low, got.high) == (85.0, 85.0)  # 17 of 20: the only count within 84.5 to 85.5
    assert bounds.status_of(got) == "bounded"


def test_the_routing_is_a_basis(default):
    # 17 county respondents answered the vision follow-ups, so at least 17 of 20 have a vision.
    got = bounds.identify(Quantity("share", "has_vision", YES, "county"), default)
    assert (got.free_low, got.free_high) == (85.0, 100.0)


def test_district_capability_is_left_free(default):
    got = bounds.identify(Quantity("share", "has_capability", YES, "district"), default)
    assert got.coverage >= bounds.ASSUMED_COVERAGE
    assert bounds.status_of(got) == "assumed"


def test_a_stated_could_help_share_is_its_rounding_interval(default, by_id):
    claim = by_id["LGC24-0140"]  # prevention: cloud could help, 37%
    got = bounds.identify(claim.quantity, default)
    assert claim.lo <= got.low <= got.high <= claim.hi
    assert got.coverage < 0.02


def test_an_unstated_could_help_share_is_wide(default):
    q = Quantity("share", column_name("help", "prevention", "digital_front_door"), YES)
    assert q not in {c.quantity for c in claims.claims()}
    got = bounds.identify(q, default)
    assert got.high - got.low > 30


def test_no_figure_means_no_information_below_the_group(default):
    # The report's could-help figures are for everyone: one type's share is left free.
    q = Quantity("share", column_name("help", "prevention", "cloud"), YES, "county")
    assert bounds.status_of(bounds.identify(q, default)) == "assumed"


def test_the_disk_cache_answers_without_solving(default, tmp_path, monkeypatch):
    q = Quantity("mean", column_name("barrier", "staff_skills"), group="county")
    monkeypatch.setenv(bounds.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(bounds, "_MEMORY", {})  # earlier tests may have solved it in memory
    first = bounds.identify(q, default)
    assert len(list(tmp_path.glob("*.json"))) == 1
    monkeypatch.setattr(bounds, "_MEMORY", {})

    def unsolvable(*args, **kwargs):
        raise AssertionError("solved again")

    monkeypatch.setattr(bounds._Context, "identify", unsolvable)
    assert bounds.identify(q, default) == first


THEMES = ("prevention", "citizen_centred_decisions", "economic_growth")


def varied_statistics() -> list[Quantity]:
    """Shares per type, means, differences, crosstab cells and paired gaps."""
    help_, planned = (column_name(p, "prevention", "iot") for p in ("help", "planned"))
    rest = (("council_type", ("london_borough", "unitary", "district")),)
    out = [
        Quantity("share", "has_vision", YES, "district"),
        Quantity("share", "has_vision", YES, "london_borough"),
        Quantity("share", "has_vision", YES),
        Quantity("share", "has_capability", YES, "county"),
        Quantity("share", "vision_could_help", (4, 5), "unitary"),
        Quantity("share", "vision_in_plan", (4, 5), given=(("vision_could_help", (4,)),)),
        Quantity(
            "joint",
            parts=(
                Quantity("share", "vision_could_help", (5,)),
                Quantity("share", "vision_in_plan", (5,)),
            ),
        ),
        Quantity("share", help_, YES, "county"),
        Quantity(
            "difference", parts=(Quantity("share", help_, YES), Quantity("share", planned, YES))
        ),
        Quantity("mean", column_name("barrier", "funding"), given=(("has_capability", (0,)),)),
        Quantity("mean", column_name("barrier", "legacy_technology"), group="district"),
    ]
    for theme in THEMES:
        pot, plan = (column_name(p, theme) for p in ("pot", "plan"))
        out += [
            Quantity("mean", pot, group="county"),
            Quantity("mean", plan),
            Quantity("difference", parts=(Quantity("mean", pot), Quantity("mean", plan))),
            Quantity("paired", parts=(Quantity("mean", pot), Quantity("mean", plan))),
            Quantity("sign", parts=(Quantity("mean", pot), Quantity("mean", plan)), threshold=-1),
            Quantity(
                "difference",
                parts=(Quantity("mean", pot, group="county"), Quantity("mean", pot, given=rest)),
            ),
            Quantity("mean", column_name("sig", theme), group="unitary"),
        ]
    return out


def test_every_seed_lies_within_its_bounds(default):
    statistics = varied_statistics()
    found = bounds.identify_many(statistics, default)
    for seed in range(1, 6):
        frame = solver.build(seed)
        for q in statistics:
            value, got = claims.evaluate(q, frame), found[q]
            assert not math.isnan(value)
            assert got.free_low <= got.low and got.high <= got.free_high
            assert got.contains(value), (seed, q, value, got)


def test_the_largest_theme_gap_is_bounded_below_by_zero_not_assumed(default):
    # The report says every theme's plan is below its potential and ranks this gap in the top
    # two: that rules out the whole negative half of what the bases allow, but nothing above.
    pot, plan = (
        Quantity("mean", column_name(p, "citizen_centred_decisions")) for p in ("pot", "plan")
    )
    got = bounds.identify(Quantity("difference", parts=(pot, plan)), default)
    assert (got.free_low, got.free_high) == (-4.0, 4.0)
    assert 0 < got.low < 0.02 and got.high == 4.0
    assert bounds.status_of(got) == "bounded"


def exact(q: Quantity, frame: pd.DataFrame) -> tuple[float, float]:
    """The bounds over the statistic's whole component at once: every claim, every column."""
    context = bounds._Context(frame, claims.claims())
    own = bounds._answers(q)
    connected = {
        c for col in own if col in context.component_of for c in context.component_of[col][1]
    }
    atoms = [*bounds._atoms(q)]
    atoms += [a for c in connected for cq in bounds._claim_quantities(c) for a in bounds._atoms(cq)]
    programme = context.programme(bounds._blocks(atoms))
    for claim in connected:
        programme.claim(claim)
    form = programme.form(q)
    return programme.extreme(form, -1.0), programme.extreme(form, 1.0)


@pytest.mark.parametrize(
    "q",
    [
        Quantity("share", column_name("help", "prevention", "iot"), YES, "county"),
        Quantity("share", column_name("planned", "economic_growth", "cloud"), YES),
        Quantity("mean", column_name("pot", "economic_growth"), group="district"),
        Quantity("mean", column_name("barrier", "staff_skills")),
        Quantity("share", "has_vision", YES, "unitary"),
        Quantity("share", "vision_in_plan", (2, 3), given=(("vision_could_help", (4,)),)),
    ],
    ids=lambda q: f"{q.stat}-{q.column}-{q.group}",
)
def test_the_carrier_and_its_ranges_give_the_whole_components_bounds(default, q):
    got = bounds.identify(q, default)
    low, high = exact(q, default)
    assert got.low == pytest.approx(low, abs=1e-9) and got.high == pytest.approx(high, abs=1e-9)


@pytest.mark.parametrize(
    "q",
    [
        Quantity("share", column_name("help", "prevention", "iot"), YES, "county"),
        Quantity("mean", column_name("pot", "prevention"), group="london_borough"),
        Quantity("share", column_name("plan", "regeneration"), (5,), "district"),
        Quantity("share", "has_capability", (0,), "county"),
        Quantity(
            "difference",
            parts=tuple(
                Quantity("share", column_name(p, "economic_growth", "iot"), YES, "county")
                for p in ("help", "planned")
            ),
        ),
    ],
    ids=lambda q: f"{q.stat}-{q.column or q.parts[0].column}-{q.group}",
)
def test_the_dynamic_programme_agrees_with_the_integer_programme(default, q):
    context = bounds._Context(default, claims.claims())
    free, bounded = context.programmes(context.carrier(q))
    totals = bounded.table_totals
    assert totals is not None, "tables bounded through one total each"
    form = bounded.form(q)
    for sense in (-1.0, 1.0):
        assert bounded.by_totals(form.linear, sense, totals) == pytest.approx(
            bounded.extreme(form, sense), abs=1e-9
        )
        assert free.unconstrained(form.linear, sense) == pytest.approx(
            free.extreme(form, sense), abs=1e-9
        )


def test_bases_the_figures_cannot_fit_have_no_interval():
    # 46% of 12 is no whole number of respondents (5 is 41.7%, 6 is 50%).
    frame = small_frame({"county": 5, "district": 7})
    got = bounds.identify(Quantity("share", "has_capability", YES, "county"), frame)
    assert math.isnan(got.low) and math.isnan(got.high) and math.isnan(got.coverage)
    assert (got.free_low, got.free_high) == (0.0, 100.0)
    assert not got.contains(40.0)


def _by_capability(barrier: str, group: str) -> Quantity:
    parts = tuple(
        Quantity("mean", column_name("barrier", barrier), group=group, given=given)
        for given in ((("has_capability", (1,)),), (("has_capability", (0,)),))
    )
    return Quantity("difference", parts=parts)


def test_a_difference_between_complementary_groups_enumerates_one_base(default, monkeypatch):
    # Values found by enumerating every pair of bases (capable, not capable), the
    # method before this one: the last base is what the first leaves, so one range suffices.
    q = _by_capability("funding", "all")
    found = bounds.identify(q, default)
    assert (found.low, found.high) == pytest.approx((-3.25, 2.7857142857))
    assert (found.free_low, found.free_high) == (-5.0, 5.0)
    calls = []
    real = bounds._Programme._fixed_total
    monkeypatch.setattr(
        bounds._Programme, "_fixed_total", lambda *a: calls.append(real(*a)) or calls[-1]
    )
    county = bounds.identify(_by_capability("staff_skills", "county"), default)
    assert calls and all(total == 20 for total in calls)
    assert (county.low, county.high) == (-5.0, 5.0)


def test_the_bases_of_a_frame_are_hashed_once_and_a_copy_with_other_bases_again(
    default, monkeypatch
):
    calls = []
    real = bounds._signature
    monkeypatch.setattr(bounds, "_signature", lambda frame: calls.append(1) or real(frame))
    monkeypatch.setattr(bounds, "_SIGNATURES", {})
    first = bounds.bases_signature(default)
    assert bounds.bases_signature(default) == first and len(calls) == 1
    fewer = default.copy()
    fewer.loc[fewer.index[0], "has_capability"] = None
    assert bounds.bases_signature(fewer) != first and len(calls) == 2


def test_a_kernel_reads_the_component_ranges_another_solved_and_gets_the_same_bounds(
    default, tmp_path, monkeypatch
):
    """Ranges over a component depend on the bases and claims only: a batch's kernels share
    them, so a page for another council type solves no component again."""
    county, district = (
        Quantity("share", column_name("help", "prevention", "iot"), YES, group)
        for group in ("county", "district")
    )
    monkeypatch.setenv(bounds.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(bounds, "_MEMORY", {})
    monkeypatch.setattr(bounds, "_CONTEXTS", {})
    bounds.identify(county, default)
    assert list((tmp_path / bounds.RANGES).glob("*.json"))
    alone = bounds._Context(default, claims.claims()).identify(district)

    def unsolvable(*args, **kwargs):
        raise AssertionError("a component solved again")

    monkeypatch.setattr(bounds, "_MEMORY", {})  # as a new kernel starts
    monkeypatch.setattr(bounds, "_CONTEXTS", {})
    monkeypatch.setattr(bounds._Context, "solved", unsolvable)
    assert bounds.identify(district, default) == alone
