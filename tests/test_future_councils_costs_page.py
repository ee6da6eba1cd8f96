"""The cost page's results as the pages show them: tables, sentences and charts' words and
frames, for the whole sector, a council type and the smallest type."""

from dataclasses import replace

import pytest
from councildigital.sections import future_councils_costs, future_councils_costs_page
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
    defaults = (
        "Defaults: each sector total (staff, IT spend, DDaT contracts) is shared equally between "
        "the 382 councils of every type, so one council gets 1/382 of it; there are {} of this "
        "type. Shares and rates are the sector's."
    )
    assert models["county"].introduction == (
        "This page covers **one average county council** (county council), every input a "
        f"default. {defaults.format(21)}" + MONTE_CARLO
    )
    assert models["other"].introduction == (
        f"This page covers **one average other** (other), every input a default. "
        f"{defaults.format(2)}" + MONTE_CARLO
    )
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
        "range ±10% around the published value",
    ]
    assert rows[3][2:] == [
        "£1bn",
        "£2bn",
        "£2bn",
        "gbp",
        "triangular",
        "FC-0017, FC-0060, FC-0018",
        "nothing",
    ]
    assert rows[4][2:] == [
        "15%",
        "32.5%",
        "50%",
        "percent",
        "uniform",
        "FC-0061, FC-0062",
        "central is the midpoint of the stated range",
    ]
    for council_type in ("county", "other"):
        council = future_councils_costs_page.input_ranges(models[council_type])
        rows = cells(council.table.frame)
        assert rows[10][2:5] == ["5.348", "5.942", "6.537"]  # 2,270 contracts / 382 councils
        assert rows[10][8] == (
            "range ±10% around the published value; sector total shared equally between the "
            "382 councils of every type"
        )
        assert rows[1] == cells(sector.table.frame)[1]  # shares are the sector's
    assert future_councils_costs_page.input_ranges(models["other"]).table.caption == (
        "Model inputs for one average other"
    )
    assert sector.distributions == (
        "Distributions, and why:\n\n- **uniform**: only the two ends of a range are known (the "
        "report's two sources, or a council's own low and high) and no preferred value, so every "
        "value between them is equally likely.\n- **triangular**: a most likely value is known "
        "(the published figure, or the council's own) and the range bounds it: peaks there and "
        "falls to zero at the ends, with no tails the evidence does not support.\n- **fixed**: a "
        "council's own single figure, taken as known.\n\nWhere the report gives a single value, "
        "the range is **assumed**: ±10% of it. Inputs are drawn independently of each other."
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
    assert sector.headlines == {
        SKILLS: "248,263",
        LEGACY: "£650m",
        THIRD_PARTY: "£747.3m",
        FAILURE: "£25.01m",
    }
    never_below_zero = (
        "The third-party estimate counts no shortfall for a council that uses frameworks more "
        "than central government does (the bracket is never below zero)."
    )
    assert sector.note == never_below_zero
    county = future_councils_costs_page.central_figures(models["county"])
    assert list(county.table.frame.columns)[-1] == "All 21 of this type"
    assert [row[2:] for row in cells(county.table.frame)] == [
        ["1,366 × 58% × 82%", "649.9", "13,648"],
        ["£5.236m × 32.5%", "£1.702m", "£35.73m"],
        ["£4.162m × (72% − 25%)", "£1.956m", "£41.08m"],
        ["5.942 × £61,000 × (6% + 67% × 18%)", "£65,465", "£1.375m"],
    ]
    assert county.note == (
        f"{never_below_zero} The reproduction of the report's figures, the choices its "
        "arithmetic makes and the 'over £8 billion' claim are about the whole sector: see the "
        "all-sector page."
    )
    other = future_councils_costs_page.central_figures(models["other"])
    assert list(other.table.frame.columns)[-1] == "All 2 of this type"
    assert [row[-1] for row in cells(other.table.frame)] == [
        "1,300",
        "£3.403m",
        "£3.913m",
        "£130,930",
    ]
    assert other.headlines == county.headlines
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
        "such figure, so this part cannot be checked.\n- **Not the sum of the estimates.** The "
        "four money estimates add up to £1.066bn to £1.778bn: the £8bn is the spending the "
        "problems sit in, not their cost.\n\n**Finding:** the report's inputs reach £3.59bn at "
        "most; the 'over £8bn' rests on a staff-spend figure the report does not give, and is "
        "not reproduced here."
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
        f"£20.07m and £30.21m, median £24.92m; the report: £19m to £31m.\n- The draws of "
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
        f"{LEGACY}: Monte Carlo",
        "Estimate for the whole local government sector",
        "Share of draws (%)",
        "200,000 draws (seed 20240901)",
        f"{CITATION}; inputs FC-0017, FC-0060, FC-0018, FC-0061, FC-0062; model "
        "councildigital.sections.future_councils_costs",
        "central is the midpoint of the stated range (legacy_share)",
        wrap=None,  # titles on one line
    )
    for council_type in ("county", "other"):
        council = future_councils_costs_page.uncertainty(models[council_type])
        assert cells(council.table.frame)[3] == [
            FAILURE,
            "£65,465",
            "£65,437",
            "£52,542",
            "£59,432",
            "£65,229",
            "£71,191",
            "£79,082",
        ]
        assert council.sentence.splitlines()[0] == (
            f"- **{SKILLS}**: 90% of draws between 576.1 and 728, median 648.8."
        )
        assert council.sentence.splitlines()[-1].endswith(
            "(Council IT spending a year: from £2.618m to £5.236m, most likely £5.236m)."
        )
        assert [chart.marks for chart in council.charts][1] == {
            "central estimate": pytest.approx(650e6 / 382)
        }
        assert council.charts[0].chart.assumed == (
            "range ±10% around the published value (fte_total, skills_gap_share, "
            "vacancies_digital_share); sector total shared equally between the 382 councils of "
            "every type (fte_total)"
        )
    assert future_councils_costs_page.uncertainty(models["other"]).charts[0].chart.x == (
        "Estimate for one average other"
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
        f"{LEGACY}: one input at a time",
        "Estimate for the whole local government sector (line: central estimate)",
        "",
        "2 inputs varied one at a time",
        f"{CITATION}; inputs FC-0061, FC-0062, FC-0017, FC-0060, FC-0018; model "
        "councildigital.sections.future_councils_costs",
        "central is the midpoint of the stated range (legacy_share)",
        wrap=None,
    )
    council_sentence = (
        f"- **{SKILLS}**: {SKILLS_TIE}, from 584.9 to 714.9.\n"
        f"- **{LEGACY}**: IT spending on 'keeping the lights on' for legacy systems moves most, "
        "from £785,340 to £2.618m.\n"
        f"- **{THIRD_PARTY}**: Central government third-party contracts through a framework "
        "(range assumed) moves most, from £1.657m to £2.256m.\n"
        f"- **{FAILURE}**: Public-sector projects that fail completely moves most, from £54,591 "
        "to £76,340."
    )
    for council_type in ("county", "other"):
        council = future_councils_costs_page.which_input_matters(models[council_type])
        assert council.sentence == council_sentence
        assert len(council.charts) == 4
        assert council.charts[0].chart.x == (
            f"Estimate for one average {council_type} council (line: central estimate)"
            if council_type == "county"
            else "Estimate for one average other (line: central estimate)"
        )
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
    rule = (
        "**Allocation rule:** the report gives sector totals only, and the project's only size "
        "information is the number of councils of each type (382 in Great Britain, "
        "`data/reference/council_counts.csv`). So each council type gets the sector total times "
        "its share of councils, and every council the same default, whatever its type. Real "
        "councils differ greatly in size (a county employs far more than a district): a "
        "council's own figures replace these defaults. The types add up to the sector."
    )
    total = ["All council types", 382, "100.0%", "248,263", "£650m", "£747.3m", "£25.01m"]
    sector = future_councils_costs_page.by_council_type(models["all"])
    assert sector.rule == rule
    assert sector.table.caption == (
        "Central estimates by council type (defaults: equal shares per council)"
    )
    assert list(sector.table.frame.columns) == [
        "Council type",
        "Councils",
        "Share of councils",
        SKILLS,
        LEGACY,
        THIRD_PARTY,
        FAILURE,
    ]
    rows = cells(sector.table.frame)
    assert len(rows) == 10
    assert rows[3] == ["District council", 164, "42.9%", "106,584", "£279.1m", "£320.8m", "£10.74m"]
    assert rows[-1] == total
    county = ["County council", 21, "5.5%", "13,648", "£35.73m", "£41.08m", "£1.375m"]
    assert cells(future_councils_costs_page.by_council_type(models["county"]).table.frame) == [
        county,
        total,
    ]
    other = ["Other", 2, "0.5%", "1,300", "£3.403m", "£3.913m", "£130,930"]
    shown = future_councils_costs_page.by_council_type(models["other"])
    assert cells(shown.table.frame) == [other, total]
    assert shown.rule == rule


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
        "Central estimates by council type (defaults: equal shares per council)": (
            future_councils_costs_page.by_council_type(county).table
        ),
    }
    for caption, table in tables.items():
        assert isinstance(table, Table)
        assert (table.caption, table.base) == (caption, None)
