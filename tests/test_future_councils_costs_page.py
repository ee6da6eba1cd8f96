"""The cost page's results as the pages show them: tables, sentences and charts' words and
frames, for the whole sector, a council type and the smallest type."""

import re
from dataclasses import replace

import pytest
from councildigital.sections import future_councils_costs, future_councils_costs_page, plots
from councildigital.sections.page import Chart, Table


@pytest.fixture(scope="module")
def figures():
    return future_councils_costs.load_figures()


SEED, DRAWS = 20240901, 200_000
CITATION = "DLUHC Local Digital, Future Councils pilot report"
SKILLS = "FTE roles that may have a digital skills deficit"
LEGACY = "IT spend on 'keeping the lights on' for legacy systems"
THIRD_PARTY = "Third-party DDaT spend that may not have been procured competitively"
FAILURE = "Direct cost of DDaT project failures a year"
MONTE_CARLO = (
    "\n\nMonte Carlo: 200,000 draws, seed 20240901. Source of every published input: "
    f"{CITATION}, references table and 'Quantifying the impact' (figure ids as in the "
    "evidence section)."
)


@pytest.fixture(scope="module")
def models():
    """The page's model for 'all', a mid-size type and the smallest, as the batch runs them."""
    return {
        council_type: future_councils_costs_page.cost_model(council_type, draws=DRAWS, seed=SEED)
        for council_type in ("all", "county", "other")
    }


def cells(table):
    return [list(row) for row in table.itertuples(index=False)]


def test_the_introduction_says_whom_the_page_covers_and_which_figures_are_its_own(models):
    assert models["all"].introduction == (
        "This page covers **the whole local government sector**, with the report's own inputs."
        + MONTE_CARLO
    )
    assert models["county"].introduction == (
        "This page covers **one average county council** (county council), every input a "
        "default. Defaults: each sector total (staff, IT spend, DDaT contracts) is shared "
        "between council types in proportion to their core spending power (2020-21, "
        "`data/reference/council_type_size.csv`): this type's 21 councils get 28.5% of it, one "
        "average council 1/21 of that. No staff numbers by type were found, so staff follow "
        "spending too. Shares and rates are the sector's." + MONTE_CARLO
    )
    no_basis = (
        "No sourced size basis for other councils: the core spending power 2020-21 basis covers "
        "county councils, district councils, unitary authorities, metropolitan councils and "
        "London boroughs only."
    )
    assert models["other"].scope == "the whole local government sector"
    assert models["other"].introduction == (
        "This page covers **the whole local government sector** (other). "
        f"{no_basis} So this page shows **the whole sector's figures only**, not a per-type "
        "figure; a council's own figures (below) give its own." + MONTE_CARLO
    )
    scotland = future_councils_costs_page.cost_model("scotland", draws=DRAWS, seed=SEED)
    assert "(an English release: no Scottish or Welsh figures)" in scotland.introduction
    own_other = future_councils_costs_page.cost_model(
        "other", {"fte_total": 300}, draws=DRAWS, seed=SEED
    )
    assert "the labelled alternative, not a sourced basis" in own_other.introduction
    own = future_councils_costs_page.cost_model(
        "county",
        {"fte_total": 5200, "it_spend": None, "legacy_share": [20, 45]},
        draws=DRAWS,
        seed=SEED,
    )
    assert own.own == ("fte_total", "legacy_share")
    assert own.scope == "an example county council"
    assert own.introduction.startswith(
        "This page covers **an example county council** (county council), with its own figures "
        "for Council staff, FTE (excluding teachers, school support staff, social workers) "
        "(5,200), IT spending on 'keeping the lights on' for legacy systems (32.5%). Defaults:"
    )
    sector = future_councils_costs_page.cost_model(
        "all", {"legacy_share": 30}, draws=DRAWS, seed=SEED
    )
    assert sector.introduction.startswith(
        "This page covers **the whole local government sector**, with the report's own inputs, "
        "except the figures given below (legacy_share).\n\n"
    )


def test_a_council_name_is_escaped_in_markdown_but_raw_where_tables_and_charts_escape_it():
    named = future_councils_costs_page.cost_model(
        "district", council_name="<b>Bad_*name*</b>", draws=DRAWS, seed=SEED
    )
    assert named.introduction.startswith(
        r"This page covers **&lt;b&gt;Bad\_\*name\*&lt;/b&gt;** (district council), every input "
        "a default."
    )
    assert future_councils_costs_page.input_ranges(named).table.caption == (
        "Model inputs for <b>Bad_*name*</b>"
    )


def test_input_ranges_list_each_input_with_its_source_and_assumption(models):
    sector = future_councils_costs_page.input_ranges(models["all"])
    assert sector.table.caption == "Model inputs for the whole local government sector"
    assert list(sector.table.frame.columns) == [
        "Parameter",
        "What it is",
        "Low",
        "Central",
        "High",
        "Unit",
        "Distribution",
        "Source (figure id)",
        "Assumed",
    ]
    rows = cells(sector.table.frame)
    assert len(rows) == len(future_councils_costs.INPUTS)
    assert rows[0] == [
        "fte_total",
        "Council staff, FTE (excluding teachers, school support staff, social workers)",
        "469,800",
        "522,000",
        "574,200",
        "fte",
        "triangular",
        "FC-0059",
        "range ±10% around the published value; triangular shape assumed",
    ]
    assert rows[3][2:] == [
        "£1bn",
        "£2bn",
        "£2bn",
        "gbp",
        "triangular",
        "FC-0017, FC-0060, FC-0018",
        "triangular shape assumed",
    ]
    assert rows[4][2:] == [
        "15%",
        "32.5%",
        "50%",
        "percent",
        "uniform",
        "FC-0061, FC-0062",
        "central is the midpoint of the stated range; uniform shape assumed",
    ]
    assert all(row[8] != "nothing" for row in rows)  # every drawn shape is an assumption
    council = future_councils_costs_page.input_ranges(models["county"])
    rows = cells(council.table.frame)
    assert rows[10][2:5] == ["27.73", "30.81", "33.9"]  # 2,270 × 28.5% / 21 county councils
    assert rows[10][8] == (
        "range ±10% around the published value; sector total × this type's share of English "
        "core spending power 2020-21 (28.5%), ÷ its 21 councils; triangular shape assumed"
    )
    assert rows[1] == cells(sector.table.frame)[1]  # shares are the sector's
    assert cells(future_councils_costs_page.input_ranges(models["other"]).table.frame) == cells(
        sector.table.frame
    )  # no basis: the sector's inputs
    assert sector.distributions == (
        "Distributions, and why:\n\n- **uniform**: only the two ends of a range are known (the "
        "report's two sources, or a council's own low and high) and no preferred value, so every "
        "value between them is equally likely.\n- **triangular**: a most likely value is known "
        "(the published figure, or the council's own) and the range bounds it: peaks there and "
        "falls to zero at the ends, with no tails the evidence does not support.\n- **fixed**: a "
        "council's own single figure, taken as known.\n\nWhere the report gives a single value, "
        "the range is **assumed**: ±10% of it. The report states no distribution, so every "
        "shape is this model's choice and marked assumed. Inputs that come in pairs from one "
        "source are drawn together (one random number drives both, so their low ends coincide "
        "as in the report's low figure): complete_failure_share and challenged_share. The "
        "others are drawn independently."
    )


def test_central_figures_give_each_formula_its_numbers_and_one_types_total(models):
    sector = future_councils_costs_page.central_figures(models["all"])
    assert sector.table.caption == (
        "The four estimates for the whole local government sector, every input at its central value"
    )
    assert cells(sector.table.frame) == [
        [
            SKILLS,
            "fte_total × skills_gap_share × vacancies_digital_share",
            "522,000 × 58% × 82%",
            "248,263",
        ],
        [LEGACY, "it_spend × legacy_share", "£2bn × 32.5%", "£650m"],
        [
            THIRD_PARTY,
            "ddat_contract_value × (cg_framework_share − la_framework_share)",
            "£1.59bn × (72% − 25%)",
            "£747.3m",
        ],
        [
            FAILURE,
            "ddat_contract_count × ddat_project_median_value × (complete_failure_share + "
            "challenged_share × challenged_budget_variance)",
            "2,270 × £61,000 × (6% + 67% × 18%)",
            "£25.01m",
        ],
    ]
    never_below_zero = (
        "The third-party estimate counts no shortfall for a council that uses frameworks more "
        "than central government does (the bracket is never below zero)."
    )
    assert sector.note == never_below_zero
    county = future_councils_costs_page.central_figures(models["county"])
    assert list(county.table.frame.columns)[-1] == "All 21 of this type"
    assert [row[2:] for row in cells(county.table.frame)] == [
        ["7,086 × 58% × 82%", "3,370", "70,771"],
        ["£27.15m × 32.5%", "£8.823m", "£185.3m"],
        ["£21.58m × (72% − 25%)", "£10.14m", "£213m"],
        ["30.81 × £61,000 × (6% + 67% × 18%)", "£339,468", "£7.129m"],
    ]
    assert county.note == (
        f"{never_below_zero} The reproduction of the report's figures, the choices its "
        "arithmetic makes and the 'over £8 billion' claim are about the whole sector: see the "
        "all-sector page."
    )
    other = future_councils_costs_page.central_figures(models["other"])
    assert cells(other.table.frame) == cells(sector.table.frame)  # no basis: the sector only
    own = future_councils_costs_page.cost_model(
        "county", {"fte_total": 5200}, draws=DRAWS, seed=SEED
    )
    # A council's own figures are not one average council: no total for its type.
    assert list(future_councils_costs_page.central_figures(own).table.frame.columns) == [
        "Estimate",
        "Formula",
        "With central inputs",
        "Central estimate",
    ]


def test_the_reproduction_counts_the_matches_and_shows_each_figure(models, figures):
    shown = future_councils_costs_page.reproduction(models["all"])
    assert shown.heading == (
        "## Reproducing the report\n\nThe report's figures recomputed from its own inputs, each "
        "rounded to the significant figures the report shows."
    )
    assert shown.sentence == (
        "**8 of the report's 8 figures are reproduced exactly** to the report's rounding from "
        "the inputs it states."
    )
    rows = cells(shown.table.frame)
    assert rows[0] == [
        SKILLS,
        "value",
        "522,000 × 58% × 82%",
        "248,263",
        "248,000",
        "248,000",
        "up to 248,000 FTE roles in local government may have a deficit in digital skills",
        "FC-0016",
        "yes",
    ]
    assert rows[4][:6] == [
        FAILURE,
        "low",
        "2,270 × £61,000 × (3% + 59% × 18%)",
        "£18.86m",
        "£19m",
        "£19m",
    ]
    assert [row[-2] for row in rows] == [
        "FC-0016",
        "FC-0019",
        "FC-0020",
        "FC-0024",
        "FC-0031",
        "FC-0032",
        "FC-0066",
        "FC-0067",
    ]
    wrong = figures.copy()
    wrong.loc[wrong["id"] == "FC-0024", "value"] = 760_000_000
    wrong_model = future_councils_costs_page.cost_model(
        "all", figures=wrong, draws=DRAWS, seed=SEED
    )
    wrong_shown = future_councils_costs_page.reproduction(wrong_model)
    assert wrong_shown.sentence.startswith("**7 of the report's 8 figures are reproduced")
    assert cells(wrong_shown.table.frame)[3][3:6] + cells(wrong_shown.table.frame)[3][-1:] == [
        "£747.3m",
        "£750m",
        "£760m",
        "NO",
    ]


def test_unstated_choices_give_the_reports_reading_and_the_alternative(models):
    shown = future_councils_costs_page.unstated_choices(models["all"])
    assert shown.heading.startswith(
        "### Choices the report's arithmetic makes without saying so\n\n"
    )
    assert cells(shown.table.frame) == [
        [
            SKILLS,
            "Which share of jobs needing digital skills",
            "82% of UK online vacancies (FC-0058)",
            "248,263",
            "67% of UK occupations (FC-0057), quoted beside it",
            "202,849",
        ],
        [
            LEGACY,
            "A point inside the stated IT-spend range",
            "£2bn (references table, FC-0060) at both ends",
            "£300m to £1bn",
            "£1bn, the low end of the text's £1bn-£2bn (FC-0017)",
            "£150m to £500m",
        ],
        [
            THIRD_PARTY,
            "A share by number of contracts applied to their value",
            "25% of contracts by number (FC-0064) taken as a share of value",
            "£747.3m",
            "the share by value is not published; from 72% or more (no gap) to 0%; each "
            "percentage point moves the estimate by £15.9m",
            "£0 to £1.145bn",
        ],
        [
            FAILURE,
            "Median contract value applied to every contract",
            "2,270 contracts × £61,000 median (FC-0072, FC-0073)",
            "£18.86m to £31.16m",
            "the total value of the contracts, £1.59bn (FC-0063), i.e. the mean contract",
            "£216.6m to £357.8m",
        ],
        [
            FAILURE,
            "What the failure shares are shares of",
            "shares of all projects (references table, FC-0068 to FC-0071): 3% + 59% = 62%",
            "£18.86m to £31.16m",
            "shares of the failed projects, as the text's 'Of these projects' can be read",
            "£11.69m to £26.17m",
        ],
    ]
    assert shown.note == (
        "Two further choices have no published alternative to compute: the skills estimate "
        "applies a share of *councils* with a gap (58%) to *staff*, and a share of UK job "
        "*vacancies* to council *employees*; the legacy range's high end (50%) is a central "
        "government figure applied to councils."
    )


def test_the_8bn_claim_check_says_what_the_inputs_reach_and_what_is_missing(models):
    shown = future_councils_costs_page.claim_check(models["all"])
    assert shown.heading == '## The "over £8 billion" claim'
    assert shown.text == (
        'The report says: *"represent over £8 billion in annual local government spending"* '
        '(FC-0011), of the areas "staff, IT and procurement of DDaT work". It shows no sum.\n\n'
        "- **What its inputs add up to.** The only money inputs for those areas are IT spend of "
        "£2bn a year (FC-0060; the text says £1bn-£2bn) and DDaT contracts of £1.59bn (FC-0063): "
        "£3.59bn together, or £2bn if the contracts are part of the IT spend, which the report "
        "does not say.\n- **What is missing.** For staff the report gives a head count, 522,000 "
        "FTE (FC-0059), but no pay or staff cost. To pass £8bn, staff spend would have to be "
        "more than £4.41bn to £6bn, that is £8,448 to £11,494 per FTE. The report states no "
        "such figure.\n- **Against pay from outside the report** "
        "(`data/reference/pay_benchmarks.csv`): the LGA's average full-time council salary is "
        '£28,900 (2019-20, "Average full\\-time salary\\: £28,900"); a full-time year at the '
        "National Living Wage is £22,308 (2024-25).\n- **Not the sum of the estimates.** The "
        "four money estimates add up to £1.066bn to £1.778bn: the £8bn is the spending the "
        "problems sit in, not their cost.\n\n**Finding:** the report's inputs reach £3.59bn at "
        "most; the 'over £8bn' rests on a staff-spend figure the report does not give, and is "
        "not reproduced here.\n\n**Verdict:** the 'over £8bn' cannot be reproduced from the "
        "report's inputs. It is plausible only if its staff-cost input is about £4.4bn to £6bn, "
        "that is £8,400 to £11,000 per FTE: 29% to 40% of the LGA's average full-time council "
        "salary (£28,900, 2019-20) and below a full-time year at the National Living Wage "
        "(£22,308, 2024-25). So the claim counts a fraction of staff pay (some share of staff "
        "time), not all of it: the 522,000 FTE at the average salary alone cost about £15bn a "
        "year."
    )


def test_uncertainty_reports_the_middle_of_the_draws_and_why_one_is_lopsided(models):
    sector = future_councils_costs_page.uncertainty(models["all"])
    assert sector.table.caption == (
        "Monte Carlo percentiles for the whole local government sector (200,000 draws, seed "
        "20240901)"
    )
    assert list(sector.table.frame.columns) == [
        "Estimate",
        "Central",
        "Mean",
        "P5",
        "P25",
        "P50",
        "P75",
        "P95",
    ]
    assert cells(sector.table.frame)[1] == [
        LEGACY,
        "£650m",
        "£541.7m",
        "£268.4m",
        "£387.6m",
        "£529.7m",
        "£683m",
        "£863.8m",
    ]
    assert sector.sentence == (
        f"- **{SKILLS}**: 90% of draws between 220,081 and 278,089, median 247,856; the report: "
        f"248,000.\n- **{LEGACY}**: 90% of draws between £268.4m and £863.8m, median £529.7m; "
        f"the report: £300m to £1bn.\n- **{THIRD_PARTY}**: 90% of draws between £653.4m and "
        f"£845.3m, median £746.6m; the report: £750m.\n- **{FAILURE}**: 90% of draws between "
        f"£19m and £31.41m, median £24.91m; the report: £19m to £31m.\n- The draws of "
        f"*{LEGACY}* sit below its central estimate (median £529.7m, central £650m) because an "
        "input's range is lopsided around its central value (Council IT spending a year: from "
        "£1bn to £2bn, most likely £2bn)."
    )
    assert sector.percentiles == (5, 50, 95)
    legacy = sector.charts[1]
    assert legacy.marks == {
        "central estimate": 650e6,
        "report (low), FC-0019": 300e6,
        "report (high), FC-0020": 1e9,
    }
    assert legacy.frame[legacy.estimate].median() == pytest.approx(529.7e6, rel=1e-3)
    assert legacy.frame is legacy.chart.frame
    assert list(legacy.frame.columns) == [est.name for est in future_councils_costs.ESTIMATES]
    assert len(legacy.frame) == DRAWS
    assert legacy.formatter(650e6) == "£650m"
    assert replace(legacy.chart, frame=None) == Chart(
        None,
        f"{LEGACY}: 90% of draws £268.4m to £863.8m",
        "Estimate for the whole local government sector",
        "Share of draws (%)",
        "200,000 draws (seed 20240901)",
        f"{CITATION}; inputs FC-0017, FC-0060, FC-0018, FC-0061, FC-0062; model "
        "councildigital.sections.future_councils_costs",
        "triangular shape assumed (it_spend); central is the midpoint of the stated range "
        "(legacy_share); uniform shape assumed (legacy_share)",
        wrap=None,  # titles on one line
    )
    council = future_councils_costs_page.uncertainty(models["county"])
    assert cells(council.table.frame)[3] == [
        FAILURE,
        "£339,468",
        "£339,352",
        "£257,883",
        "£296,595",
        "£338,124",
        "£380,113",
        "£426,318",
    ]
    assert council.sentence.splitlines()[0] == (
        f"- **{SKILLS}**: 90% of draws between 2,988 and 3,775, median 3,365."
    )
    assert council.sentence.splitlines()[-1].endswith(
        "(Council IT spending a year: from £13.57m to £27.15m, most likely £27.15m)."
    )
    share = future_councils_costs.size_basis().shares["county"]
    assert [chart.marks for chart in council.charts][1] == {
        "central estimate": pytest.approx(650e6 * share / 21)
    }
    assert council.charts[0].chart.assumed == (
        "range ±10% around the published value (fte_total, skills_gap_share, "
        "vacancies_digital_share); sector total × this type's share of English core spending "
        "power 2020-21 (28.5%), ÷ its 21 councils (fte_total); no staff numbers by council type "
        "were found, so staff are taken in proportion to it (fte_total); triangular shape "
        "assumed (fte_total, skills_gap_share, vacancies_digital_share)"
    )
    assert future_councils_costs_page.uncertainty(models["other"]).charts[0].chart.x == (
        "Estimate for the whole local government sector"
    )


# The skills estimate's three inputs have the same assumed ±10% range, so they move it
# equally; their computed swings differ by rounding noise only, in a different order on the
# sector's page than on a council's, so the sentence names them in the model's input order.
SKILLS_TIE = (
    "Council staff, FTE (excluding teachers, school support staff, social workers) (range "
    "assumed); Councils reporting a digital skills gap (range assumed) and UK online job "
    "vacancies requiring digital skills (range assumed) move it equally most"
)


def test_which_input_matters_names_the_widest_swing_and_ties(models):
    sector = future_councils_costs_page.which_input_matters(models["all"])
    assert sector.sentence == (
        f"- **{SKILLS}**: {SKILLS_TIE}, from 223,437 to 273,090.\n"
        f"- **{LEGACY}**: IT spending on 'keeping the lights on' for legacy systems moves most, "
        "from £300m to £1bn.\n"
        f"- **{THIRD_PARTY}**: Central government third-party contracts through a framework "
        "(range assumed) moves most, from £632.8m to £861.8m.\n"
        f"- **{FAILURE}**: Public-sector projects that fail completely moves most, from £20.85m "
        "to £29.16m."
    )
    legacy = sector.charts[1]
    assert list(legacy.frame["parameter"]) == ["legacy_share", "it_spend"]
    assert list(legacy.frame["at_low"]) == [300e6, 325e6]
    assert legacy.baseline == 650e6
    assert legacy.marks == {}
    assert replace(legacy.chart, frame=None) == Chart(
        None,
        f"{LEGACY}: legacy_share moves it most",
        "Estimate for the whole local government sector (line: central estimate)",
        "",
        "2 inputs varied one at a time",
        f"{CITATION}; inputs FC-0061, FC-0062, FC-0017, FC-0060, FC-0018; model "
        "councildigital.sections.future_councils_costs",
        "central is the midpoint of the stated range (legacy_share); uniform shape assumed "
        "(legacy_share); triangular shape assumed (it_spend)",
        wrap=None,
    )
    assert sector.charts[0].chart.title == (
        f"{SKILLS}: fte_total, skills_gap_share and vacancies_digital_share move it most"
    )
    county = future_councils_costs_page.which_input_matters(models["county"])
    assert county.sentence == (
        f"- **{SKILLS}**: {SKILLS_TIE}, from 3,033 to 3,707.\n"
        f"- **{LEGACY}**: IT spending on 'keeping the lights on' for legacy systems moves most, "
        "from £4.072m to £13.57m.\n"
        f"- **{THIRD_PARTY}**: Central government third-party contracts through a framework "
        "(range assumed) moves most, from £8.59m to £11.7m.\n"
        f"- **{FAILURE}**: Public-sector projects that fail completely moves most, from £283,078 "
        "to £395,858."
    )
    assert len(county.charts) == 4
    assert county.charts[0].chart.x == (
        "Estimate for one average county council (line: central estimate)"
    )
    other = future_councils_costs_page.which_input_matters(models["other"])
    assert other.sentence == sector.sentence  # no basis: the sector's figures
    fixed = future_councils_costs_page.cost_model(
        "county", {"it_spend": 5e6, "legacy_share": 30}, draws=DRAWS, seed=SEED
    )
    shown = future_councils_costs_page.which_input_matters(fixed)
    assert shown.sentence.splitlines()[1] == (
        f"- **{LEGACY}**: every input is a fixed figure; nothing to vary."
    )
    assert [chart.estimate for chart in shown.charts] == [
        "skills_deficit_fte",
        "uncompetitive_third_party_spend",
        "project_failure_direct_cost",
    ]


def test_swings_equal_but_for_rounding_noise_tie_and_differences_do_not(models):
    # Both own ranges are 30% of the central value: equal swings, at different places.
    tied = future_councils_costs_page.cost_model(
        "county",
        {"vacancies_digital_share": [45, 60, 63], "fte_total": [80, 100, 110]},
        draws=DRAWS,
        seed=SEED,
    )
    swings = future_councils_costs.sensitivity(tied.params).set_index("parameter")["swing"]
    assert swings["fte_total"] == pytest.approx(swings["vacancies_digital_share"], rel=1e-12)
    assert future_councils_costs_page.which_input_matters(tied).sentence.splitlines()[0] == (
        f"- **{SKILLS}**: Council staff, FTE (excluding teachers, school support staff, social "
        "workers) and UK online job vacancies requiring digital skills move it equally most, "
        "from 27.84 to 38.28 and from 26.1 to 36.54 respectively."
    )
    # A range under 1% wider than the others' (±10% of 1,366.5) is the one that moves most.
    wider = future_councils_costs_page.cost_model(
        "county", {"fte_total": [1229, 1366.5, 1504]}, draws=DRAWS, seed=SEED
    )
    assert future_councils_costs_page.which_input_matters(wider).sentence.splitlines()[0] == (
        f"- **{SKILLS}**: Council staff, FTE (excluding teachers, school support staff, social "
        "workers) moves most, from 584.5 to 715.3."
    )


def test_by_council_type_shows_every_type_for_the_sector_and_one_type_beside_the_total(models):
    sector = future_councils_costs_page.by_council_type(models["all"])
    assert sector.rule.startswith(
        "**How the sector is split:** in proportion to each council type's core spending "
        "power (2020-21; `data/reference/council_type_size.csv`"
    )
    assert "no staff numbers by type were found" in sector.rule
    assert "The basis covers 315 English councils" in sector.rule
    assert sector.table.caption == (
        "Central estimates by council type, in proportion to core spending power 2020-21"
    )
    columns = ["Council type", "Councils", "Share of the sector"]
    for label in (SKILLS, LEGACY, THIRD_PARTY, FAILURE):
        columns += [f"{label}: all of the type", f"{label}: one average council"]
    assert list(sector.table.frame.columns) == columns
    rows = cells(sector.table.frame)
    assert len(rows) == 10
    county = ["County council", "21", "28.5%", "70,771", "3,370", "£185.3m", "£8.823m"]
    district = ["District council", "164", "4.7%", "11,723", "71.48", "£30.69m", "£187,159"]
    assert rows[0][:7] == county and rows[3][:7] == district
    assert rows[5] == ["Combined authority", "11", "no basis"] + ["—"] * 8
    total = ["Types with a basis", "315", "100.0%", "248,263", "—", "£650m", "—"]
    assert rows[-1][:7] == total
    alternative = cells(sector.alternative.frame)
    assert alternative[3][:7] == [
        "District council",
        "164",
        "42.9%",
        "106,584",
        "649.9",
        "£279.1m",
        "£1.702m",
    ]
    assert alternative[-1][:3] == ["All council types", "382", "100.0%"]
    assert sector.alternative.caption.startswith("Alternative (not a sourced basis)")
    shown = cells(future_councils_costs_page.by_council_type(models["county"]).table.frame)
    assert [row[:7] for row in shown] == [county, total]
    other = cells(future_councils_costs_page.by_council_type(models["other"]).table.frame)
    assert other[0] == ["Other", "2", "no basis"] + ["—"] * 8


def test_every_table_is_a_page_table_with_its_caption_and_no_respondent_base(models):
    """Published figures only: no table has a base of respondents."""
    sector, county = models["all"], models["county"]
    tables = {
        "Model inputs for the whole local government sector": (
            future_councils_costs_page.input_ranges(sector).table
        ),
        "The report's figures, reproduced": future_councils_costs_page.reproduction(sector).table,
        "Unstated choices and their alternatives": (
            future_councils_costs_page.unstated_choices(sector).table
        ),
        "Monte Carlo percentiles for one average county council (200,000 draws, seed 20240901)": (
            future_councils_costs_page.uncertainty(county).table
        ),
        "Central estimates by council type, in proportion to core spending power 2020-21": (
            future_councils_costs_page.by_council_type(county).table
        ),
        "Paired against independent draws, one average county council": (
            future_councils_costs_page.uncertainty(county).pairing
        ),
    }
    for caption, table in tables.items():
        assert isinstance(table, Table)
        assert (table.caption, table.base) == (caption, None)


def test_headlines_state_the_reports_ranges_and_label_central_values_as_assumed(models):
    assert future_councils_costs_page.headlines(models["all"]) == {
        SKILLS: "248,000 (the report states it, FC-0016)",
        LEGACY: "£300m to £1bn (the report states it, FC-0019, FC-0020); central £650m is this "
        "model's assumption",
        THIRD_PARTY: "£750m (the report states it, FC-0024)",
        FAILURE: "£19m to £31m (the report states it, FC-0031, FC-0032); central £25m is this "
        "model's assumption",
    }


def test_county_and_district_headlines_differ_and_name_their_basis(models):
    county = future_councils_costs_page.headlines(models["county"])
    district = future_councils_costs_page.headlines(
        future_councils_costs_page.cost_model("district", draws=1000, seed=SEED)
    )
    assert (county[LEGACY], district[LEGACY]) == ("£8.8m", "£190,000")
    assert all(county[label] != district[label] for label in county)
    basis = "share of English core spending power, 2020-21)"
    assert future_councils_costs_page.headline_basis(models["county"]) == (
        "For an average county council (this model's central assumption; county council " + basis
    )
    other = future_councils_costs_page.headlines(models["other"])
    assert other[LEGACY].endswith("whole sector only: no sourced basis for other councils")
    assert other[LEGACY].startswith("£300m to £1bn (the report states it")
    assert future_councils_costs_page.headline_basis(models["other"]) == ""
    assert future_councils_costs_page.headline_basis(models["all"]) == ""


def test_main_points_are_ranked_sentences_saying_what_stands_behind_them(models):
    points = future_councils_costs_page.main_points(
        models["all"], future_councils_costs_page.uncertainty(models["all"])
    )
    assert 1 <= len(points) <= 6
    assert points[0] == (
        "The report states 8 of its 8 headline cost figures in a way this model reproduces "
        "exactly from the inputs it gives, but shows none of the arithmetic."
    )
    assert points[1] == (
        f"{LEGACY}: the report states £300m to £1bn; the middle, £650m, is this model's "
        "assumption, not the report's."
    )
    assert any("cannot be reproduced" in p and "£8,400 to £11,000 per FTE" in p for p in points)
    county = future_councils_costs_page.main_points(
        models["county"], future_councils_costs_page.uncertainty(models["county"])
    )
    assert county[0].startswith("This model assumes county councils hold 28.5% of each sector")
    band = county[-1]
    assert "failure cost is £" in band
    amounts = re.findall(r"£([\d,.]+)(m|bn)?", band)
    assert all(len(v.replace(",", "").replace(".", "").rstrip("0")) <= 2 for v, _ in amounts)
    other = future_councils_costs_page.main_points(
        models["other"], future_councils_costs_page.uncertainty(models["other"])
    )
    assert other[0].startswith("No sourced size basis for other councils")


def test_a_distribution_chart_offers_its_bars_not_its_draws(models):
    result = future_councils_costs_page.uncertainty(models["all"])
    for cost in result.charts:
        numbers = cost.chart.numbers
        assert len(numbers) == plots.DISTRIBUTION_BINS < len(cost.chart.frame)
        assert numbers["Share of draws (%)"].sum() == pytest.approx(100)
        draws = cost.chart.frame[cost.estimate]
        assert numbers.iloc[0, 0] == draws.min() and numbers.iloc[-1, 1] == draws.max()


def test_the_pairing_table_compares_paired_and_independent_bands(models):
    result = future_councils_costs_page.uncertainty(models["all"])
    rows = cells(result.pairing.frame)
    assert [row[:2] for row in rows] == [[FAILURE, "paired"], [FAILURE, "independent"]]
    bands = result.bands["project_failure_direct_cost"]
    assert bands["paired"][0] < bands["independent"][0] < bands["independent"][1]
    assert bands["independent"][1] < bands["paired"][1]
    assert bands["paired"][0] == pytest.approx(19.0e6, rel=0.01)  # the issue's £19.0m-£31.4m
    assert bands["paired"][1] == pytest.approx(31.4e6, rel=0.01)
    assert result.pairing_sentence.startswith(
        f"- **{FAILURE}**: drawn together, as one source gives them, the 90% band is £19"
    )


def test_own_figures_help_names_every_override_and_an_example_command():
    text = future_councils_costs_page.own_figures_help()
    for name in ("fte_total", "it_spend", "ddat_contract_value", "ddat_contract_count"):
        assert f"- `{name}`" in text
    assert "-p fte_total 450" in text and "refused" in text


def test_a_scenario_is_named_in_the_headlines_and_first_main_point():
    model = future_councils_costs_page.cost_model(
        "all", draws=2000, seed=SEED, scenario="shares_of_failed"
    )
    assert future_councils_costs_page.headlines(model)[FAILURE].endswith(
        "; scenario shares_of_failed, not the report's reading"
    )
    assert future_councils_costs_page.main_points(
        model, future_councils_costs_page.uncertainty(model)
    )[0].startswith(
        "This page runs scenario shares_of_failed: the failure shares read as shares of the "
        "failed projects"
    )
    assert "**Scenario `shares_of_failed`:**" in model.introduction
