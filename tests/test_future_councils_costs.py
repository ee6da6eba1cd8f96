"""The Future Councils cost model: the report reproduced, its uncertainty, councils, bad
input, and the notebook run by the batch (its results: test_future_councils_costs_page)."""

import re

import nbformat
import numpy as np
import pytest
from councildigital.data import reference, survey
from councildigital.pipeline import batch
from councildigital.sections import future_councils_costs


@pytest.fixture(scope="module")
def figures():
    return future_councils_costs.load_figures()


@pytest.fixture(scope="module")
def sector(figures):
    return future_councils_costs.sector_parameters(figures)


def published(figures, figure_id):
    return future_councils_costs.figure_value(figures, figure_id)


# --- the formulas, by hand, against the report's figures -------------------------------------


def test_skills_deficit_is_fte_times_skills_gap_times_digital_vacancies(figures):
    fte = future_councils_costs.skills_deficit_fte(522_000, 58, 82)
    assert fte == pytest.approx(248_263.2)
    assert round(fte, -3) == published(figures, "FC-0016")  # "up to 248,000"


def test_legacy_spend_is_it_spend_times_legacy_share_at_each_end(figures):
    assert future_councils_costs.legacy_spend(2e9, 15) == pytest.approx(
        published(figures, "FC-0019")
    )
    assert future_councils_costs.legacy_spend(2e9, 50) == pytest.approx(
        published(figures, "FC-0020")
    )


def test_third_party_is_contract_value_times_the_framework_gap(figures):
    value = future_councils_costs.uncompetitive_third_party_spend(1.59e9, 72, 25)
    assert value == pytest.approx(747.3e6)
    assert value < published(figures, "FC-0024") == round(value, -7)  # "nearly £750m"


def test_third_party_is_zero_not_negative_for_a_council_above_central_government():
    assert future_councils_costs.uncompetitive_third_party_spend(1e6, 72, 80) == 0
    draws = future_councils_costs.uncompetitive_third_party_spend(
        np.array([1e6, 1e6]), 72, np.array([70, 90])
    )
    assert draws.tolist() == pytest.approx([20_000, 0])


def test_failure_cost_is_contracts_times_median_times_lost_share(figures):
    low = future_councils_costs.project_failure_direct_cost(2270, 61_000, 3, 59, 18)
    high = future_councils_costs.project_failure_direct_cost(2270, 61_000, 9, 75, 18)
    assert (low, high) == pytest.approx((18_859_614, 31_155_750))
    assert (round(low, -6), round(high, -6)) == (
        published(figures, "FC-0031"),
        published(figures, "FC-0032"),
    )


def test_failure_share_is_complete_plus_challenged(figures):
    assert future_councils_costs.project_failure_share(3, 59) == published(figures, "FC-0066")
    assert future_councils_costs.project_failure_share(9, 75) == published(figures, "FC-0067")


# --- reproduction from the published inputs --------------------------------------------------


@pytest.mark.parametrize(
    "figure_id",
    ["FC-0016", "FC-0019", "FC-0020", "FC-0024", "FC-0031", "FC-0032", "FC-0066", "FC-0067"],
)
def test_every_headline_figure_is_reproduced_to_the_reports_rounding(sector, figures, figure_id):
    row = future_councils_costs.reproduce(sector, figures).set_index("figure_id").loc[figure_id]
    assert row["matches"], f"{figure_id}: model {row['model']:,.0f} vs report {row['report']:,.0f}"
    assert row["report"] == published(figures, figure_id)


def test_reproduction_shows_each_formula_with_the_reports_numbers(sector, figures):
    formulas = future_councils_costs.reproduce(sector, figures).set_index("figure_id")["formula"]
    assert formulas["FC-0016"] == "522,000 × 58% × 82%"
    assert formulas["FC-0019"] == "£2bn × 15%"
    assert formulas["FC-0024"] == "£1.59bn × (72% − 25%)"
    assert formulas["FC-0032"] == "2,270 × £61,000 × (9% + 75% × 18%)"


def test_rounding_follows_the_significant_figures_the_report_shows():
    assert [
        future_councils_costs.significant_figures(v) for v in (248_000, 750e6, 19e6, 3e8, 62)
    ] == [
        3,
        2,
        2,
        1,
        2,
    ]
    assert future_councils_costs.round_significant(747.3e6, 2) == 750e6
    assert future_councils_costs.round_significant(18_859_614, 2) == 19e6
    assert future_councils_costs.round_significant(248_263.2, 3) == 248_000


def test_a_wrong_model_value_is_not_reported_as_a_match(sector, figures):
    changed = {
        **sector,
        "vacancies_digital_share": sector["vacancies_digital_share"].replaced_by(67),
    }
    row = future_councils_costs.reproduce(changed, figures).set_index("figure_id").loc["FC-0016"]
    assert not row["matches"]


def test_parameters_are_read_from_the_published_figures_by_id(figures):
    changed = figures.copy()
    changed.loc[changed["id"] == "FC-0059", "value"] = 600_000
    params = future_councils_costs.sector_parameters(changed)
    assert params["fte_total"].central == 600_000
    assert params["fte_total"].sources == ("FC-0059",)


def test_every_parameter_names_its_published_source_and_unit(sector, figures):
    ids = set(figures["id"])
    for name, p in sector.items():
        assert p.sources and set(p.sources) <= ids, name
        assert p.unit in future_councils_costs.UNIT_MEANING, name
        assert p.low <= p.central <= p.high, name


def test_a_figure_id_pointing_at_another_question_is_refused(figures):
    swapped = figures.copy()
    swapped.loc[swapped["id"] == "FC-0059", "question"] = "ref_la_it_spend"
    with pytest.raises(
        ValueError, match=r"FC-0059 is 'ref_la_it_spend'.*expects 'ref_la_fte_total'"
    ):
        future_councils_costs.sector_parameters(swapped)


def test_point_values_get_an_assumed_range_and_range_only_inputs_an_assumed_centre(sector):
    fte = sector["fte_total"]
    assert (fte.low, fte.high) == pytest.approx((469_800, 574_200))
    assert fte.range_assumed and fte.assumed == "range ±10% around the published value"
    legacy = sector["legacy_share"]
    assert (legacy.low, legacy.central, legacy.high) == (15, 32.5, 50)
    assert legacy.distribution == "uniform" and "midpoint" in legacy.assumed
    it = sector["it_spend"]
    assert (it.low, it.central, it.high) == (1e9, 2e9, 2e9)  # text's £1-2bn, table's ~£2bn
    assert it.distribution == "triangular" and not it.range_assumed


# --- unstated choices and the £8bn -----------------------------------------------------------


def test_unstated_choices_show_what_the_alternative_gives(sector, figures):
    choices = future_councils_costs.report_choices(sector, figures).set_index("choice")
    share = choices.loc["Which share of jobs needing digital skills"]
    assert share["alternative_low"] == pytest.approx(522_000 * 0.58 * 0.67)
    it = choices.loc["A point inside the stated IT-spend range"]
    assert (it["alternative_low"], it["alternative_high"]) == pytest.approx((150e6, 500e6))
    by_value = choices.loc["A share by number of contracts applied to their value"]
    assert (by_value["alternative_low"], by_value["alternative_high"]) == pytest.approx(
        (0, 1.59e9 * 0.72)
    )
    mean = choices.loc["Median contract value applied to every contract"]
    assert (mean["alternative_low"], mean["alternative_high"]) == pytest.approx(
        (1.59e9 * (0.03 + 0.59 * 0.18), 1.59e9 * (0.09 + 0.75 * 0.18))
    )
    of_failed = choices.loc["What the failure shares are shares of"]
    assert of_failed["alternative_low"] == pytest.approx(
        2270 * 61_000 * (0.62 * 0.03 + 0.62 * 0.59 * 0.18)
    )
    assert (choices["report_low"] != choices["alternative_low"]).all()


def test_the_8bn_is_not_reached_by_the_reports_inputs(sector, figures):
    spend = future_councils_costs.addressable_spend(sector, figures)
    assert spend.claim == published(figures, "FC-0011") == 8e9
    assert spend.stated_if_separate == pytest.approx(3.59e9)
    assert spend.stated_if_nested == pytest.approx(2e9)
    assert (spend.missing_low, spend.missing_high) == pytest.approx((4.41e9, 6e9))
    assert spend.per_fte_low == pytest.approx(4.41e9 / 522_000)
    low = 3e8 + 747.3e6 + 18_859_614
    high = 1e9 + 747.3e6 + 31_155_750
    assert (spend.estimates_low, spend.estimates_high) == pytest.approx((low, high))
    assert spend.stated_if_separate < spend.claim


# --- Monte Carlo and sensitivity --------------------------------------------------------------


def test_monte_carlo_repeats_with_its_seed_and_differs_without(sector):
    first = future_councils_costs.simulate(sector, 5_000, seed=7)
    assert first.equals(future_councils_costs.simulate(sector, 5_000, seed=7))
    assert not first.equals(future_councils_costs.simulate(sector, 5_000, seed=8))
    assert list(first.columns) == [e.name for e in future_councils_costs.ESTIMATES]


def test_draws_do_not_depend_on_the_block_size_and_own_figures_keep_other_draws(
    sector, monkeypatch
):
    whole = future_councils_costs.simulate(sector, 3_000, seed=5)
    monkeypatch.setattr(future_councils_costs, "_BLOCK", 1_000)
    assert whole.equals(future_councils_costs.simulate(sector, 3_000, seed=5))
    own = {**sector, "it_spend": sector["it_spend"].replaced_by(1.5e9)}
    changed = future_councils_costs.simulate(own, 3_000, seed=5)
    assert changed["skills_deficit_fte"].equals(whole["skills_deficit_fte"])
    assert not changed["legacy_spend"].equals(whole["legacy_spend"])


def test_percentiles_bracket_the_central_estimates(sector):
    summary = future_councils_costs.summarise(
        future_councils_costs.simulate(sector, 100_000, seed=1), sector
    )
    for est in future_councils_costs.ESTIMATES:
        row = summary.loc[est.name]
        assert row["p5"] < row["central"] < row["p95"], est.name
        assert row["p5"] <= row["p25"] <= row["p50"] <= row["p75"] <= row["p95"], est.name


def test_monte_carlo_means_match_the_distributions(sector):
    sim = future_councils_costs.simulate(sector, 400_000, seed=3)
    # Symmetric triangular inputs: the mean is the central estimate.
    assert sim["skills_deficit_fte"].mean() == pytest.approx(248_263.2, rel=0.003)
    # IT spend triangular(1, 2, 2) has mean 5/3 bn; the legacy share uniform(15, 50) mean 32.5%.
    assert sim["legacy_spend"].mean() == pytest.approx(5e9 / 3 * 0.325, rel=0.005)
    assert sim["legacy_spend"].min() >= 1e9 * 0.15
    assert sim["legacy_spend"].max() <= 2e9 * 0.50


def test_fixed_inputs_give_a_single_value(sector):
    fixed = {name: p.replaced_by(p.central) for name, p in sector.items()}
    sim = future_councils_costs.simulate(fixed, 1_000, seed=0)
    central = future_councils_costs.central_estimates(sector)
    for est in future_councils_costs.ESTIMATES:
        assert sim[est.name].min() == sim[est.name].max() == pytest.approx(central[est.name])


def test_sensitivity_ranks_the_input_that_moves_each_estimate_most(sector):
    frame = future_councils_costs.sensitivity(sector)
    legacy = frame[frame["estimate"] == "legacy_spend"].set_index("parameter")
    assert list(legacy.index) == ["legacy_share", "it_spend"]
    assert (legacy.loc["legacy_share", "at_low"], legacy.loc["legacy_share", "at_high"]) == (
        pytest.approx(3e8),
        pytest.approx(1e9),
    )
    assert legacy.loc["it_spend", "at_high"] == pytest.approx(legacy.loc["it_spend", "central"])
    third = frame[frame["estimate"] == "uncompetitive_third_party_spend"].set_index("parameter")
    assert third.loc["la_framework_share", "at_low"] > third.loc["la_framework_share", "at_high"]
    for est in future_councils_costs.ESTIMATES:
        assert set(frame.loc[frame["estimate"] == est.name, "parameter"]) <= set(est.inputs)
    assert "(range assumed)" in third.loc["ddat_contract_value", "label"]


# --- council types and a council's own figures ------------------------------------------------


def test_council_types_add_up_to_the_sector(sector):
    table = future_councils_costs.allocation(sector).set_index("council_type")
    counts = reference.council_counts()
    assert table.loc["total", "councils"] == counts["councils"].sum()
    types = table.drop(index="total")
    assert list(types.index) == list(survey.codes(survey.COUNCIL_TYPES))
    for name, value in future_councils_costs.central_estimates(sector).items():
        assert types[name].sum() == pytest.approx(value)
        assert table.loc["total", name] == pytest.approx(value)


def test_a_council_gets_its_types_sourced_share_of_sector_totals_and_the_sectors_rates(sector):
    basis = future_councils_costs.size_basis()
    sizes = reference.council_type_size().set_index("council_type")
    counts = future_councils_costs.councils_by_type()
    weight = sizes["total"] / sizes["authorities"] * counts.loc[sizes.index]
    share = weight["district"] / weight.sum()
    district = future_councils_costs.model_inputs("district", basis=basis)
    assert district["fte_total"].central == pytest.approx(522_000 * share / 164)
    assert district["it_spend"].high == pytest.approx(2e9 * share / 164)
    assert district["legacy_share"] == sector["legacy_share"]
    assert "core spending power 2020-21 (4.7%)" in district["fte_total"].assumed
    assert "no staff numbers by council type" in district["fte_total"].assumed


def test_per_type_figures_differ_with_their_basis_and_sum_to_the_sector(sector):
    basis = future_councils_costs.size_basis()
    table = future_councils_costs.allocation(sector, basis=basis).set_index("council_type")
    covered = table.loc[list(basis.covered)]
    for name, value in future_councils_costs.central_estimates(sector).items():
        assert covered[name].sum() == pytest.approx(value)
        assert table.loc["total", name] == pytest.approx(value)
    county = future_councils_costs.central_estimates(future_councils_costs.model_inputs("county"))
    district = future_councils_costs.central_estimates(
        future_councils_costs.model_inputs("district")
    )
    assert county["legacy_spend"] > 40 * district["legacy_spend"]
    assert county["legacy_spend"] * 21 == pytest.approx(table.loc["county", "legacy_spend"])


def test_a_type_without_a_basis_shows_no_per_type_figure_but_the_sector(sector):
    basis = future_councils_costs.size_basis()
    assert not basis.has("scotland") and not basis.has("combined_authority")
    table = future_councils_costs.allocation(sector, basis=basis).set_index("council_type")
    assert (
        table.loc[["scotland", "wales", "combined_authority", "other"], "legacy_spend"].isna().all()
    )
    assert future_councils_costs.model_inputs("scotland") == sector


def test_the_equal_split_is_kept_as_the_alternative(sector):
    table = future_councils_costs.allocation(sector).set_index("council_type")
    total = int(reference.council_counts()["councils"].sum())
    assert table.loc["total", "councils"] == total
    assert table.loc["district", "skills_deficit_fte_per_council"] == pytest.approx(
        522_000 * 0.58 * 0.82 / total
    )
    equal = future_councils_costs.per_council(sector, total)
    assert "shared equally" in equal["fte_total"].assumed


def test_paired_failure_shares_reproduce_the_reports_ends_at_the_extremes(sector, figures):
    stated = {
        name: p
        if name in ("complete_failure_share", "challenged_share")
        else p.replaced_by(p.central)
        for name, p in sector.items()
    }
    cost = "project_failure_direct_cost"
    paired = future_councils_costs.simulate(stated, 100_000, 7)[cost]
    low, high = np.percentile(paired, [0, 100])
    assert future_councils_costs.round_significant(low, 2) == published(figures, "FC-0031")
    assert future_councils_costs.round_significant(high, 2) == published(figures, "FC-0032")
    # drawn together, the band is wider than independent draws give
    independent = future_councils_costs.simulate(stated, 100_000, 7, paired=False)[cost]
    assert np.ptp(np.percentile(paired, [5, 95])) > 1.1 * np.ptp(
        np.percentile(independent, [5, 95])
    )


def test_every_drawn_shape_is_marked_assumed(sector):
    for name, p in sector.items():
        assert p.distribution in ("uniform", "triangular")
        assert f"{p.distribution} shape assumed" in p.assumptions, name
    assert "triangular shape assumed" in sector["it_spend"].assumptions
    fixed = sector["fte_total"].replaced_by(5000)
    assert "shape" not in fixed.assumptions


def test_the_reports_alternative_readings_run_as_scenarios(sector, figures):
    report = future_councils_costs.central_estimates(sector)
    occupations = future_councils_costs.central_estimates(
        future_councils_costs.with_scenario(sector, "occupations", figures)
    )
    assert occupations["skills_deficit_fte"] == pytest.approx(522_000 * 0.58 * 0.67)
    assert occupations["legacy_spend"] == report["legacy_spend"]
    low = future_councils_costs.with_scenario(sector, "it_spend_low", figures)
    assert low["it_spend"].central == 1e9
    with pytest.raises(future_councils_costs.CostInputError, match="scenario must be one of"):
        future_councils_costs.model_inputs("all", scenario="optimistic")


def test_a_bad_scenario_is_refused_before_any_kernel(tmp_path):
    with pytest.raises(batch.BatchInputError, match="'scenario' must be one of report"):
        batch.plan(
            ["future_councils_costs"], ["all"], parameters={"scenario": "rosy"}, out_dir=tmp_path
        )


def test_a_councils_own_figures_replace_the_defaults():
    params = future_councils_costs.model_inputs(
        "county",
        {
            "fte_total": 5200,
            "it_spend": None,
            "ddat_contract_value": (9e6, 14e6),
            "legacy_share": [20, 30, 45],
        },
    )
    assert (params["fte_total"].low, params["fte_total"].high) == (5200, 5200)
    assert params["fte_total"].distribution == "fixed"
    assert params["fte_total"].source == "council's own figure"
    assert params["ddat_contract_value"].distribution == "uniform"
    assert params["ddat_contract_value"].central == 11.5e6
    assert params["legacy_share"].distribution == "triangular"
    assert params["it_spend"] == future_councils_costs.model_inputs("county")["it_spend"]
    central = future_councils_costs.central_estimates(params)
    assert central["skills_deficit_fte"] == pytest.approx(5200 * 0.58 * 0.82)


def test_chart_footers_list_each_assumption_once_with_the_inputs_it_applies_to(sector):
    total = int(reference.council_counts()["councils"].sum())
    district = future_councils_costs.per_council(sector, total)
    assert future_councils_costs.assumptions_of(district, ["it_spend", "legacy_share"]) == (
        f"sector total shared equally between the {total} councils of every type (it_spend); "
        "triangular shape assumed (it_spend); "
        "central is the midpoint of the stated range (legacy_share); "
        "uniform shape assumed (legacy_share)"
    )
    assert future_councils_costs.assumptions_of(sector, ["it_spend"]) == (
        "triangular shape assumed (it_spend)"
    )
    assert future_councils_costs.sources_of(district, ["it_spend", "fte_total"]) == (
        "FC-0017, FC-0060, FC-0018, FC-0059"
    )


def test_numeric_text_is_accepted_as_an_override_because_the_command_line_sends_text():
    params = future_councils_costs.model_inputs("wales", {"ddat_contract_count": "45"})
    assert params["ddat_contract_count"].central == 45


# --- bad input: each error names the parameter and what it must be ----------------------------


@pytest.mark.parametrize(
    "council_type, overrides, message",
    [
        (
            "all",
            {"it_spend": -5},
            "it_spend must be an amount of money in pounds, 0 or more; got -5",
        ),
        (
            "district",
            {"ddat_contract_value": (1e6, -2)},
            "ddat_contract_value must be an amount of money in pounds, 0 or more; got -2",
        ),
        (
            "all",
            {"la_framework_share": 120},
            "la_framework_share must be a share in percent, between 0 and 100; got 120",
        ),
        (
            "county",
            {"legacy_share": -0.5},
            "legacy_share must be a share in percent, between 0 and 100; got -0.5",
        ),
        (
            "county",
            {"legacy_share": (50, 15)},
            "legacy_share: low must not be above high; got low 50, high 15",
        ),
        (
            "all",
            {"fte_total": "many"},
            "fte_total must be a number of full-time equivalent staff, 0 or more; "
            "got 'many', which is not a number",
        ),
        (
            "all",
            {"ddat_contract_count": True},
            "ddat_contract_count must be a count, 0 or more; got True, which is not a number",
        ),
        ("all", {"it_spend": float("nan")}, "it_spend must be an amount of money in pounds"),
        (
            "all",
            {"it_spend": (1, 2, 3, 4)},
            "it_spend must be a number, (low, high) or (low, central, high); got 4 values",
        ),
        ("all", {"staff": 10}, "unknown override 'staff'; expected one of fte_total, "),
        (
            "parish",
            {},
            "council_type: unknown council type 'parish'; expected one of all, county,",
        ),
    ],
)
def test_bad_input_is_a_clear_error(council_type, overrides, message):
    with pytest.raises(future_councils_costs.CostInputError, match=re.escape(message)):
        future_councils_costs.model_inputs(council_type, overrides)


def test_a_parameter_with_low_above_high_or_centre_outside_is_refused():
    with pytest.raises(
        future_councils_costs.CostInputError, match=r"legacy_share: low must not be above high"
    ):
        future_councils_costs.Parameter("legacy_share", "Legacy", "percent", 50, 30, 15, "uniform")
    with pytest.raises(
        future_councils_costs.CostInputError, match=r"x: central must lie between low and high"
    ):
        future_councils_costs.Parameter("x", "X", "gbp", 1, 5, 3, "triangular")


@pytest.mark.parametrize(
    "draws, seed, message",
    [
        (0, 1, "draws must be a whole number, 1 or more; got 0"),
        (1.5, 1, "draws must be a whole number, 1 or more; got 1.5"),
        (10, -1, "seed must be a whole number, 0 or more; got -1"),
    ],
)
def test_bad_monte_carlo_settings_are_refused(sector, draws, seed, message):
    with pytest.raises(future_councils_costs.CostInputError, match=re.escape(message)):
        future_councils_costs.simulate(sector, draws, seed)


# --- the notebook ---------------------------------------------------------------------------

EXAMPLE_COUNCIL = {
    "council_name": "Example County Council (made-up figures)",
    "fte_total": 5200,
    "it_spend": 18_000_000,
    "ddat_contract_value": [9_000_000, 14_000_000],
    "ddat_contract_count": 45,
    "la_framework_share": 40,
}


def executed(tmp_path, council_type, parameters=None):
    [run] = batch.plan(["future_councils_costs"], [council_type], parameters=parameters)
    result = batch.execute_run(run, tmp_path)
    return result, tmp_path / "future_councils_costs" / f"{council_type}"


def outputs_text(notebook_path):
    notebook = nbformat.read(notebook_path.with_suffix(".ipynb"), as_version=4)
    texts, problems = [], []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("name") == "stderr" or output["output_type"] == "error":
                problems.append(output)
            texts.append(str(output.get("data", {}).get("text/markdown", "")))
    return "\n".join(texts), problems


@pytest.mark.slow
def test_notebook_reproduces_the_report_for_the_whole_sector(tmp_path):
    result, page = executed(tmp_path, "all")
    assert result.status == "ok", result.error
    text, problems = outputs_text(page)
    assert problems == []  # no warnings or errors in the outputs
    assert "**8 of the report's 8 figures are reproduced exactly**" in text
    assert "over £8 billion" in text
    html = page.with_suffix(".html").read_text()
    assert html.count("<img") == 2 * len(future_councils_costs.ESTIMATES)


@pytest.mark.slow
def test_notebook_runs_for_a_council_type(tmp_path):
    result, page = executed(tmp_path, "district")
    assert result.status == "ok", result.error
    text, problems = outputs_text(page)
    assert problems == []
    assert "one average district council" in text
    assert "reproduced exactly" not in text
    assert "in proportion to their core spending power" in text
    html = page.with_suffix(".html").read_text()
    assert html.index('class="cd-main-points"') < html.index('id="The-inputs"')
    assert "Strengths and limitations" in html and "core spending power in England" in html


@pytest.mark.slow
def test_notebook_shows_the_sector_for_a_type_without_a_basis(tmp_path):
    result, page = executed(tmp_path, "scotland")
    assert result.status == "ok", result.error
    text, problems = outputs_text(page)
    assert problems == []
    assert "No sourced size basis for Scottish councils" in text
    assert "the whole sector's figures only" in text


@pytest.mark.slow
def test_notebook_runs_with_a_councils_own_figures(tmp_path):
    result, page = executed(tmp_path, "county", EXAMPLE_COUNCIL)
    assert result.status == "ok", result.error
    _, problems = outputs_text(page)
    assert problems == []
    html = page.with_suffix(".html").read_text()
    assert "This page covers <strong>Example County Council (made-up figures)</strong>" in html
    assert "5,200 × 58% × 82%" in html


def test_a_bad_override_is_refused_before_any_kernel_naming_the_parameter(tmp_path):
    with pytest.raises(batch.BatchInputError) as caught:
        batch.plan(
            ["future_councils_costs"],
            ["county"],
            parameters={"la_framework_share": 120},
            out_dir=tmp_path,
        )
    assert "la_framework_share must be a share in percent, between 0 and 100" in str(caught.value)


def test_the_documented_own_figures_example_is_accepted_and_a_bad_one_refused(tmp_path):
    runs = batch.plan(
        ["future_councils_costs"],
        ["district"],
        parameters={
            "fte_total": "450",
            "it_spend": "[900000, 1200000]",
            "ddat_contract_value": "600000",
            "ddat_contract_count": "12",
        },
        out_dir=tmp_path,
    )
    assert len(runs) == 1
    with pytest.raises(batch.BatchInputError, match="it_spend: low must not be above high"):
        batch.plan(
            ["future_councils_costs"],
            ["district"],
            parameters={"it_spend": "[1200000, 900000]"},
            out_dir=tmp_path,
        )


def test_every_scenario_the_command_line_accepts_has_a_change_in_the_model():
    from councildigital.pipeline import parameters

    assert set(future_councils_costs.SCENARIO_CHANGES) == set(parameters.SCENARIOS) - {"report"}
