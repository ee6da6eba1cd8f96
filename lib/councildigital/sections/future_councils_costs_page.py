"""The cost page: each result of the Future Councils cost model as the page shows it.

:func:`cost_model` sets up a page's model (whom it covers, a council's own
figures, the Monte Carlo draws); each result holds its table (a
:class:`.page.Table`, values written as text), the sentences whose wording
depends on the figures, and its charts (:class:`CostChart`: what to draw, with
a :class:`.page.Chart` for the words). The model itself is
:mod:`.future_councils_costs`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from councildigital import stats
from councildigital.data import reference, sources, survey
from councildigital.pipeline.parameters import OWN_FIGURES, REPORT_SCENARIO
from councildigital.sections import formatting, plots
from councildigital.sections.future_councils_costs import (
    DISTRIBUTIONS,
    DOCUMENT,
    ESTIMATES,
    PAIRED,
    PERCENTILES,
    POINT_SPREAD_PERCENT,
    SCENARIO_CHANGES,
    Estimate,
    Parameter,
    SizeBasis,
    addressable_spend,
    allocation,
    assumptions_of,
    central_estimates,
    councils_by_type,
    estimate,
    load_figures,
    model_inputs,
    report_choices,
    reproduce,
    round_significant,
    sector_parameters,
    sensitivity,
    significant_figures,
    simulate,
    size_basis,
    sources_of,
    summarise,
    units_of,
    values_at,
)
from councildigital.sections.page import Chart, Table

PROVENANCE = (
    "Published figures (data/published/future_councils.csv), councils of each type and their "
    "size (data/reference/council_counts.csv, council_type_size.csv) and pay benchmarks "
    "(data/reference/pay_benchmarks.csv); no respondent-level data"
)


def plural(label: str) -> str:
    """A council type's label for several of them, in a sentence: 'unitary authorities'."""
    words = survey.in_sentence(label)
    if words == "other":
        return "other councils"
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


def citation() -> str:
    """The report the published inputs come from, as every chart's source line names it."""
    return sources.document(DOCUMENT).citation


@dataclass(frozen=True)
class CostModel:
    """One page's model: whom it covers, its inputs, which of them are the council's own, its draws."""

    council_type: str
    params: dict[str, Parameter]
    sector: dict[str, Parameter]
    own: tuple[str, ...]
    council_name: str | None
    draws: int
    seed: int
    figures: pd.DataFrame
    counts: pd.DataFrame
    basis: SizeBasis
    scenario: str = REPORT_SCENARIO

    @property
    def is_all(self) -> bool:
        return self.council_type == survey.ALL

    @property
    def has_basis(self) -> bool:
        """Whether this council type's figures rest on a sourced size basis."""
        return self.basis.has(self.council_type)

    @property
    def sector_only(self) -> bool:
        """A council type with no basis and no own figures: the page shows the sector."""
        return not self.is_all and not self.has_basis and not self.own

    @property
    def no_basis_note(self) -> str:
        """Why a council type has no per-type figure (empty where it has one)."""
        if self.is_all or self.has_basis:
            return ""
        nation = (
            " (an English release: no Scottish or Welsh figures)"
            if self.council_type in ("scotland", "wales")
            else ""
        )
        covered = [plural(survey.label(survey.COUNCIL_TYPES, c)) for c in self.basis.covered]
        return (
            f"No sourced size basis for {plural(self.type_label)}: the {self.basis.label} "
            f"{self.basis.year} basis covers {formatting.names(covered)} only{nation}."
        )

    @property
    def by_type(self) -> pd.Series:
        return councils_by_type(self.counts)

    @property
    def total_councils(self) -> int:
        return int(self.by_type.sum())

    @property
    def type_label(self) -> str:
        return survey.label(survey.COUNCIL_TYPES, self.council_type)

    @property
    def scope(self) -> str:
        """Whom the figures describe, for captions and axis labels (raw text: they escape it)."""
        if self.is_all or self.sector_only:
            return "the whole local government sector"
        default = f"an example {survey.in_sentence(self.type_label)}" if self.own else None
        return self.council_name or default or f"one average {survey.in_sentence(self.type_label)}"

    @property
    def introduction(self) -> str:
        """The page's first paragraph: whom it covers, which inputs are own figures, the draws."""
        if self.is_all:
            given = f", except the figures given below ({', '.join(self.own)})" if self.own else ""
            intro = f"This page covers **{self.scope}**, with the report's own inputs{given}."
        else:
            # council_name is free text: Markdown gets it escaped.
            covers = (
                f"This page covers **{formatting.escape_markdown(self.scope)}** "
                f"({survey.in_sentence(self.type_label)})"
            )
            councils = int(self.by_type[self.council_type])
            if self.has_basis:
                share = formatting.percent(100 * self.basis.shares[self.council_type], 1)
                default = (
                    "Defaults: each sector total (staff, IT spend, DDaT contracts) is shared "
                    f"between council types in proportion to their {self.basis.label} "
                    f"({self.basis.year}, `data/reference/council_type_size.csv`): this type's "
                    f"{councils} councils get {share} of it, one average council 1/{councils} "
                    "of that. No staff numbers by type were found, so staff follow spending "
                    "too. Shares and rates are the sector's."
                )
            else:
                default = (
                    f"{self.no_basis_note} Defaults the council's own figures leave: each "
                    "sector total shared equally between the "
                    f"{self.total_councils} councils of every type (the labelled alternative, "
                    "not a sourced basis). Shares and rates are the sector's."
                )
            own = ", ".join(
                f"{self.params[name].label} "
                f"({formatting.amount(self.params[name].central, self.params[name].unit)})"
                for name in self.own
            )
            if self.sector_only:
                intro = (
                    f"{covers}. {self.no_basis_note} So this page shows **the whole sector's "
                    "figures only**, not a per-type figure; a council's own figures (below) "
                    "give its own."
                )
            elif self.own:
                intro = f"{covers}, with its own figures for {own}. {default}"
            else:
                intro = f"{covers}, every input a default. {default}"
        if self.scenario != REPORT_SCENARIO:
            intro += (
                f"\n\n**Scenario `{self.scenario}`:** {SCENARIO_CHANGES[self.scenario][0]}, in "
                "place of the report's reading."
            )
        return (
            f"{intro}\n\nMonte Carlo: {self.draws:,} draws, seed {self.seed}. Source of every "
            f"published input: {citation()}, references table and 'Quantifying the impact' "
            "(figure ids as in the evidence section)."
        )


def cost_model(
    council_type: str,
    own: Mapping[str, object] | None = None,
    *,
    draws: int,
    seed: int,
    council_name: str | None = None,
    figures: pd.DataFrame | None = None,
    counts: pd.DataFrame | None = None,
    scenario: str = REPORT_SCENARIO,
) -> CostModel:
    """The page's model: the sector for 'all', one average council of a type otherwise.

    ``own`` figures (None keeps the default) replace the defaults; a bad one is
    refused with a :class:`.future_councils_costs.CostInputError` naming it, before anything is drawn.
    """
    figures = load_figures() if figures is None else figures
    counts = reference.council_counts() if counts is None else counts
    basis = size_basis(counts)
    own = {name: value for name, value in (own or {}).items() if value is not None}
    return CostModel(
        council_type,
        model_inputs(
            council_type, own, figures=figures, counts=counts, basis=basis, scenario=scenario
        ),
        sector_parameters(figures),
        tuple(own),
        council_name,
        draws,
        seed,
        figures,
        counts,
        basis,
        scenario,
    )


@dataclass(frozen=True)
class InputRanges:
    """The model inputs as the page lists them, and why each distribution."""

    table: Table
    distributions: str


def input_ranges(model: CostModel) -> InputRanges:
    """Each input's low, central and high value, its source and what is assumed."""
    table = pd.DataFrame(
        [
            {
                "Parameter": name,
                "What it is": p.label,
                "Low": formatting.amount(p.low, p.unit),
                "Central": formatting.amount(p.central, p.unit),
                "High": formatting.amount(p.high, p.unit),
                "Unit": p.unit,
                "Distribution": p.distribution,
                "Source (figure id)": p.source,
                "Assumed": p.assumptions or "nothing",
            }
            for name, p in model.params.items()
        ]
    )
    reasons = "\n".join(f"- **{name}**: {reason}." for name, reason in DISTRIBUTIONS.items())
    return InputRanges(
        Table(table, f"Model inputs for {model.scope}"),
        f"Distributions, and why:\n\n{reasons}\n\nWhere the report gives a single value, the "
        f"range is **assumed**: ±{POINT_SPREAD_PERCENT:g}% of it. The report states no "
        "distribution, so every shape is this model's choice and marked assumed. Inputs that "
        "come in pairs from one source are drawn together (one random number drives both, so "
        "their low ends coincide as in the report's low figure): "
        + "; ".join(" and ".join(group) for group in PAIRED)
        + ". The others are drawn independently.",
    )


@dataclass(frozen=True)
class CentralEstimates:
    """The four estimates at central inputs: the table and the note under it (headlines:
    :func:`headlines`)."""

    table: Table
    note: str


def central_figures(model: CostModel) -> CentralEstimates:
    """Each estimate's formula, with central numbers, and (one average council) its type's total."""
    values = values_at(model.params, "central")
    units = units_of(model.params)
    central = central_estimates(model.params)
    councils = (
        None
        if model.is_all or model.own or model.sector_only
        else int(model.by_type[model.council_type])
    )
    rows = []
    for est in ESTIMATES:
        row = {
            "Estimate": est.label,
            "Formula": est.formula.format(**{name: name for name in est.inputs}),
            "With central inputs": est.formula_with(values, units),
            "Central estimate": formatting.amount(central[est.name], est.unit),
        }
        if councils is not None:
            row[f"All {councils} of this type"] = formatting.amount(
                councils * central[est.name], est.unit
            )
        rows.append(row)
    sector_only = (
        ""
        if model.is_all
        else " The reproduction of the report's figures, the choices its arithmetic makes "
        "and the 'over £8 billion' claim are about the whole sector: see the all-sector page."
    )
    return CentralEstimates(
        Table(
            pd.DataFrame(rows),
            f"The four estimates for {model.scope}, every input at its central value",
        ),
        "The third-party estimate counts no shortfall for a council that uses frameworks more "
        f"than central government does (the bracket is never below zero).{sector_only}",
    )


# Central values are shown to no more significant figures than the report's own figures
# carry, and at least two (the shares behind them carry two).
HEADLINE_FIGURES = 2


def rounded(value: float, unit: str, figures: int = HEADLINE_FIGURES) -> str:
    """A value as a headline shows it: rounded to ``figures`` significant figures."""
    return formatting.amount(round_significant(value, figures), unit)


def report_range(model: CostModel, est: Estimate) -> str:
    """The report's figure(s) for an estimate in its own words: '£300m to £1bn', '£750m'."""
    rows = model.figures.set_index("id")
    values = [formatting.amount(float(rows.loc[fid, "value"]), est.unit) for fid in est.figures]
    return " to ".join(values)


def _figures_of(model: CostModel, est: Estimate) -> int:
    rows = model.figures.set_index("id")
    shown = max(significant_figures(float(rows.loc[fid, "value"])) for fid in est.figures)
    return max(shown, HEADLINE_FIGURES)


def headlines(model: CostModel) -> dict[str, str]:
    """Each estimate's headline for the index, saying what stands behind it.

    The sector (and a council type without a basis): the report's figures as it states
    them, with any central value labelled as this model's assumption. A council type with a
    basis: its average council's central value, whose basis :func:`headline_basis` names
    (the index says it once for the four).
    """
    central = central_estimates(model.params)
    out = {}
    for est in ESTIMATES:
        stated = report_range(model, est)
        figure = rounded(central[est.name], est.unit, _figures_of(model, est))
        ids = ", ".join(est.figures)
        if model.own:
            text = (
                f"{figure} for {model.scope} (this model's central value from the council's "
                "own figures)"
            )
        elif model.is_all or model.sector_only:
            text = f"{stated} (the report states it, {ids})"
            if len(est.figures) > 1:
                text += f"; central {figure} is this model's assumption"
            if model.sector_only:
                text += f"; whole sector only: no sourced basis for {plural(model.type_label)}"
        else:
            text = rounded(central[est.name], est.unit)
        if model.scenario != REPORT_SCENARIO:
            text += f"; scenario {model.scenario}, not the report's reading"
        out[est.label] = text
    return out


def headline_basis(model: CostModel) -> str:
    """What a council type's headlines are for and rest on, or "" where each says it itself
    (the sector, a type without a basis, a council's own figures)."""
    if model.own or model.is_all or model.sector_only:
        return ""
    return (
        f"For an average {survey.in_sentence(model.type_label)} (this model's central "
        f"assumption; {model.basis.named(model.council_type)})"
    )


@dataclass(frozen=True)
class Reproduction:
    """The report's figures recomputed from its own inputs: how many match, and the table."""

    heading: str
    sentence: str
    table: Table


def reproduction(model: CostModel) -> Reproduction:
    """Each headline figure of the report beside the model's, at the report's rounding."""
    reproduced = reproduce(model.sector, model.figures)
    table = formatting.amounts(reproduced, ["model", "model_rounded", "report"])
    table["matches"] = table["matches"].map({True: "yes", False: "NO"})
    table["report_quote"] = table["report_quote"].str.replace("**", "", regex=False)
    table = table[
        [
            "label",
            "end",
            "formula",
            "model",
            "model_rounded",
            "report",
            "report_quote",
            "figure_id",
            "matches",
        ]
    ]
    table.columns = [
        "Estimate",
        "End",
        "Formula with the report's inputs",
        "Model",
        "Model, report's rounding",
        "Report",
        "Report's words",
        "Figure id",
        "Reproduced",
    ]
    return Reproduction(
        "## Reproducing the report\n\nThe report's figures recomputed from its own inputs, "
        "each rounded to the significant figures the report shows.",
        f"**{int(reproduced['matches'].sum())} of the report's {len(reproduced)} figures are "
        "reproduced exactly** to the report's rounding from the inputs it states.",
        Table(table, "The report's figures, reproduced"),
    )


@dataclass(frozen=True)
class UnstatedChoices:
    """The choices behind the reproduction, what the alternatives give, and the two left over."""

    heading: str
    table: Table
    note: str


def _low_to_high(low: pd.Series, high: pd.Series, values: pd.Series) -> pd.Series:
    """'£300m to £1bn', or the low end alone where the choice gives a single value."""
    return low.where(values.isna(), low + " to " + high)


def unstated_choices(model: CostModel) -> UnstatedChoices:
    """Each unstated choice of the report's arithmetic, its reading and the alternative's result."""
    choices = report_choices(model.sector, model.figures)
    ends = ["report_low", "report_high", "alternative_low", "alternative_high"]
    shown = formatting.amounts(choices, ends)
    table = pd.DataFrame(
        {
            "Estimate": [estimate(name).label for name in choices["estimate"]],
            "Unstated choice": shown["choice"],
            "The report's reading": shown["report_reading"],
            "Gives": _low_to_high(
                shown["report_low"], shown["report_high"], choices["report_high"]
            ),
            "The alternative": shown["alternative_reading"],
            "Alternative gives": _low_to_high(
                shown["alternative_low"], shown["alternative_high"], choices["alternative_high"]
            ),
        }
    )
    sector = model.sector
    return UnstatedChoices(
        "### Choices the report's arithmetic makes without saying so\n\n"
        "Each reproduction above rests on a choice the report does not state. The table "
        "gives the reading that reproduces the report and what the alternative gives.",
        Table(table, "Unstated choices and their alternatives"),
        "Two further choices have no published alternative to compute: the skills estimate "
        "applies a share of *councils* with a gap "
        f"({formatting.amount(sector['skills_gap_share'].central, 'percent')}) to *staff*, "
        "and a share of UK job *vacancies* to council *employees*; the legacy range's high "
        f"end ({formatting.amount(sector['legacy_share'].high, 'percent')}) is a central "
        "government figure applied to councils.",
    )


@dataclass(frozen=True)
class ClaimCheck:
    """The 'over £8 billion' claim, what the report's inputs reach, and the finding."""

    heading: str
    text: str


def claim_check(model: CostModel) -> ClaimCheck:
    """What the report's inputs add up to beside its 'over £8 billion', and what is missing."""
    claim = addressable_spend(model.sector, model.figures)
    gbp = formatting.amount_formatter("gbp")
    it_spend = model.sector["it_spend"]
    quote = model.figures.set_index("id").loc["FC-0011", "quote"].replace("**", "")
    pay = reference.pay_benchmarks()
    average = float(pay.loc["lga_average_fulltime_salary", "value"])
    floor = float(pay.loc["nlw_fulltime_annual", "value"])
    low_fte, high_fte = sorted((claim.per_fte_low, claim.per_fte_high))
    at_average = claim.fte_total * average
    verdict = (
        f"**Verdict:** the 'over {gbp(claim.claim)}' cannot be reproduced from the report's "
        f"inputs. It is plausible only if its staff-cost input is about "
        f"{gbp(round_significant(min(claim.missing_low, claim.missing_high), 2))} to "
        f"{gbp(round_significant(max(claim.missing_low, claim.missing_high), 2))}, that is "
        f"{gbp(round_significant(low_fte, 2))} to {gbp(round_significant(high_fte, 2))} per "
        f"FTE: {formatting.percent(100 * low_fte / average, 0)} to "
        f"{formatting.percent(100 * high_fte / average, 0)} of the LGA's average full-time "
        f"council salary ({gbp(average)}, {pay.loc['lga_average_fulltime_salary', 'as_of']}) "
        f"and below a full-time year at the National Living Wage ({gbp(floor)}, "
        f"{pay.loc['nlw_fulltime_annual', 'as_of']}). So the claim counts a fraction of staff "
        f"pay (some share of staff time), not all of it: the {formatting.amount(claim.fte_total, 'fte')} "
        f"FTE at the average salary alone cost about {gbp(round_significant(at_average, 2))} "
        "a year."
        if high_fte < floor
        else f"**Verdict:** the claim implies {gbp(round_significant(low_fte, 2))} to "
        f"{gbp(round_significant(high_fte, 2))} per FTE against an average full-time salary "
        f"of {gbp(average)}."
    )
    return ClaimCheck(
        '## The "over £8 billion" claim',
        f'The report says: *"{formatting.escape_markdown(quote)}"* (FC-0011), of '
        'the areas "staff, IT and procurement of DDaT work". It shows no sum.\n\n'
        f"- **What its inputs add up to.** The only money inputs for those areas are IT "
        f"spend of {gbp(claim.it_spend)} a year (FC-0060; the text says "
        f"{gbp(it_spend.low)}-{gbp(it_spend.high)}) and DDaT contracts "
        f"of {gbp(claim.ddat_contract_value)} (FC-0063): {gbp(claim.stated_if_separate)} "
        f"together, or {gbp(claim.stated_if_nested)} if the contracts are part of the IT "
        "spend, which the report does not say.\n"
        f"- **What is missing.** For staff the report gives a head count, "
        f"{formatting.amount(claim.fte_total, 'fte')} FTE (FC-0059), but no pay or staff "
        f"cost. To pass {gbp(claim.claim)}, staff spend would have to be more than "
        f"{gbp(claim.missing_low)} to {gbp(claim.missing_high)}, that is "
        f"{gbp(claim.per_fte_low)} to {gbp(claim.per_fte_high)} per FTE. The report "
        "states no such figure.\n"
        f"- **Against pay from outside the report** (`data/reference/pay_benchmarks.csv`): "
        f"the LGA's average full-time council salary is {gbp(average)} "
        f"({pay.loc['lga_average_fulltime_salary', 'as_of']}, "
        f'"{formatting.escape_markdown(pay.loc["lga_average_fulltime_salary", "quote"])}"); a '
        f"full-time year at the National Living Wage is {gbp(floor)} "
        f"({pay.loc['nlw_fulltime_annual', 'as_of']}).\n"
        f"- **Not the sum of the estimates.** The four money estimates add up to "
        f"{gbp(claim.estimates_low)} to {gbp(claim.estimates_high)}: the {gbp(claim.claim)} is "
        "the spending the problems sit in, not their cost.\n\n"
        f"**Finding:** the report's inputs reach {gbp(claim.stated_if_separate)} at most; "
        f"the 'over {gbp(claim.claim)}' rests on a staff-spend figure the report does not "
        f"give, and is not reproduced here.\n\n{verdict}",
    )


@dataclass(frozen=True)
class CostChart:
    """One estimate's chart: what :mod:`.plots` draws, and its words (``chart``, for ``page.chart``).

    Titles stay on one line ("...procured competitively: one input at a time" is 90 characters).
    """

    estimate: str
    baseline: float
    marks: dict[str, float]
    unit: str
    chart: Chart

    @property
    def frame(self) -> pd.DataFrame:
        return self.chart.frame

    @property
    def formatter(self) -> Callable[[float], str]:
        return formatting.amount_formatter(self.unit)


def _chart_source(params: Mapping[str, Parameter], names: Iterable[str]) -> str:
    return (
        f"{citation()}; inputs {sources_of(params, names)}; "
        "model councildigital.sections.future_councils_costs"
    )


def _report_marks(model: CostModel, est: Estimate) -> dict[str, float]:
    """The report's own figures for an estimate (all-sector page only), to mark on its chart."""
    if not model.is_all:
        return {}
    rows = model.figures.set_index("id")
    marks = {}
    for figure_id in est.figures:
        row = rows.loc[figure_id]
        end = "" if row["item"] == "value" else f" ({row['item']})"
        marks[f"report{end}, {figure_id}"] = row["value"]
    return marks


# The middle of the draws the page reports: between the outer percentiles.
OUTER: tuple[int, int] = (PERCENTILES[0], PERCENTILES[-1])


@dataclass(frozen=True)
class Uncertainty:
    """The Monte Carlo: the percentile table, what the draws say, a chart of each estimate's
    draws, and the bands with paired inputs drawn together against independently."""

    table: Table
    sentence: str
    charts: tuple[CostChart, ...]
    pairing: Table
    pairing_sentence: str
    bands: dict[str, dict[str, tuple[float, float]]]
    percentiles: tuple[int, int, int] = (OUTER[0], 50, OUTER[1])


def uncertainty(model: CostModel) -> Uncertainty:
    """Where the estimates fall when the inputs are drawn from their ranges, and why lopsided."""
    params = model.params
    simulation = simulate(params, model.draws, model.seed)
    independent = simulate(params, model.draws, model.seed, paired=False)
    summary = summarise(simulation, params)
    central = central_estimates(params)
    table = formatting.amounts(
        summary.reset_index(names="estimate"), ["central", "mean", *[f"p{q}" for q in PERCENTILES]]
    ).drop(columns=["estimate", "unit"])
    table.columns = ["Estimate", "Central", "Mean", *[f"P{q}" for q in PERCENTILES]]
    lines = []
    charts = []
    for est in ESTIMATES:
        fmt = formatting.amount_formatter(est.unit)
        row = summary.loc[est.name]
        marks = _report_marks(model, est)
        line = (
            f"- **{est.label}**: {OUTER[1] - OUTER[0]}% of draws between "
            f"{fmt(row[f'p{OUTER[0]}'])} and {fmt(row[f'p{OUTER[1]}'])}, median {fmt(row['p50'])}"
        )
        if marks:
            line += "; the report: " + " to ".join(fmt(v) for v in marks.values())
        lines.append(line + ".")
        charts.append(
            CostChart(
                est.name,
                central[est.name],
                {"central estimate": central[est.name], **marks},
                est.unit,
                Chart(
                    simulation,
                    f"{est.label}: {OUTER[1] - OUTER[0]}% of draws {fmt(row[f'p{OUTER[0]}'])} "
                    f"to {fmt(row[f'p{OUTER[1]}'])}",
                    f"Estimate for {model.scope}",
                    "Share of draws (%)",
                    f"{model.draws:,} draws (seed {model.seed})",
                    _chart_source(params, est.inputs),
                    assumptions_of(params, est.inputs),
                    wrap=None,
                    numbers=plots.histogram_table(simulation[est.name], est.label),
                ),
            )
        )
    lines += _lopsided(params, summary, central)
    pairing, pairing_sentence, bands = _pairing(simulation, independent)
    return Uncertainty(
        Table(
            table,
            f"Monte Carlo percentiles for {model.scope} ({model.draws:,} draws, seed {model.seed})",
        ),
        "\n".join(lines),
        tuple(charts),
        Table(pairing, f"Paired against independent draws, {model.scope}"),
        pairing_sentence,
        bands,
    )


def _pairing(
    paired: pd.DataFrame, independent: pd.DataFrame
) -> tuple[pd.DataFrame, str, dict[str, dict[str, tuple[float, float]]]]:
    """The band of each estimate with a pair of inputs, drawn together and independently:
    the table, the sentence, and each band's ends (estimate -> 'paired'/'independent')."""
    rows, lines, ends = [], [], {}
    for est in ESTIMATES:
        pairs = [g for g in PAIRED if set(g) <= set(est.inputs)]
        if not pairs:
            continue
        fmt = formatting.amount_formatter(est.unit)
        bands = {
            how: np.percentile(frame[est.name].to_numpy(), [0, *OUTER, 100])
            for how, frame in (("paired", paired), ("independent", independent))
        }
        for how, (least, low, high, most) in bands.items():
            rows.append(
                {
                    "Estimate": est.label,
                    "Inputs drawn": how,
                    "Pair": "; ".join(" and ".join(g) for g in pairs),
                    f"{OUTER[1] - OUTER[0]}% band": f"{fmt(low)} to {fmt(high)}",
                    "Lowest to highest draw": f"{fmt(least)} to {fmt(most)}",
                }
            )
        ends[est.name] = {how: (float(b[1]), float(b[2])) for how, b in bands.items()}
        p_low, p_high = bands["paired"][1:3]
        i_low, i_high = bands["independent"][1:3]
        lines.append(
            f"- **{est.label}**: drawn together, as one source gives them, the "
            f"{OUTER[1] - OUTER[0]}% band is {fmt(p_low)} to {fmt(p_high)}; drawn independently "
            f"it would narrow to {fmt(i_low)} to {fmt(i_high)}, because independent draws "
            "rarely put both at the same end."
        )
    return pd.DataFrame(rows), "\n".join(lines), ends


def _lopsided(
    params: Mapping[str, Parameter], summary: pd.DataFrame, central: Mapping[str, float]
) -> list[str]:
    """Why an estimate's draws centre away from its central value: an input's lopsided range."""
    lines = []
    for est in ESTIMATES:
        lopsided = [params[n] for n in est.inputs if params[n].is_lopsided]
        if not lopsided:
            continue
        fmt = formatting.amount_formatter(est.unit)
        median = summary.loc[est.name, "p50"]
        where = "below" if median < central[est.name] else "above"
        ranges = "; ".join(
            f"{p.label}: from {formatting.amount(p.low, p.unit)} to "
            f"{formatting.amount(p.high, p.unit)}, most likely {formatting.amount(p.central, p.unit)}"
            for p in lopsided
        )
        lines.append(
            f"- The draws of *{est.label}* sit {where} its central estimate (median "
            f"{fmt(median)}, central {fmt(central[est.name])}) because an input's range is "
            f"lopsided around its central value ({ranges})."
        )
    return lines


@dataclass(frozen=True)
class Sensitivity:
    """One input at a time: which input moves each estimate most, and a tornado per estimate."""

    sentence: str
    charts: tuple[CostChart, ...]


def _largest(rows: pd.DataFrame, params: Mapping[str, Parameter]) -> pd.DataFrame:
    """The inputs with the widest swing, equal swings tied, in the model's input order.

    Inputs with the same relative spread (the assumed ±10%) move a product by the same
    amount, but each swing comes from its own multiplications: compared as computed,
    rounding noise would pick the "largest" and flip the order from page to page.
    """
    swing = stats.without_noise(rows["swing"])
    order = list(params)
    return rows[swing == swing.max()].sort_values(
        "parameter", key=lambda names: names.map(order.index)
    )


def moves_short(tied: pd.DataFrame) -> str:
    """The input (or tied inputs) with the widest swing, by parameter name, for a title."""
    return formatting.names(list(tied["parameter"])) + (
        " moves it" if len(tied) == 1 else " move it"
    )


def which_input_matters(model: CostModel) -> Sensitivity:
    """The widest swing per estimate (inputs tied for it named together), and the charts."""
    params = model.params
    swings = sensitivity(params)
    central = central_estimates(params)
    lines = []
    charts = []
    for est in ESTIMATES:
        rows = swings[swings["estimate"] == est.name]
        if rows.empty:
            lines.append(f"- **{est.label}**: every input is a fixed figure; nothing to vary.")
            continue
        fmt = formatting.amount_formatter(est.unit)
        tied = _largest(rows, params)
        ranges = [
            f"from {fmt(min(low, high))} to {fmt(max(low, high))}"
            for low, high in zip(tied["at_low"], tied["at_high"], strict=True)
        ]
        moves = (
            f"{tied['label'].iloc[0]} moves most"
            if len(tied) == 1
            else f"{formatting.names(tied['label'], sep='; ')} move it equally most"
        )
        spans = ranges[0] if len(set(ranges)) == 1 else f"{formatting.names(ranges)} respectively"
        lines.append(f"- **{est.label}**: {moves}, {spans}.")
        charts.append(
            CostChart(
                est.name,
                central[est.name],
                {},
                est.unit,
                Chart(
                    rows,
                    f"{est.label}: {moves_short(tied)} most",
                    f"Estimate for {model.scope} (line: central estimate)",
                    "",
                    f"{len(rows)} inputs varied one at a time",
                    _chart_source(params, rows["parameter"]),
                    assumptions_of(params, rows["parameter"]),
                    wrap=None,
                ),
            )
        )
    return Sensitivity("\n".join(lines), tuple(charts))


@dataclass(frozen=True)
class Allocation:
    """Each council type's share of the sector under the sourced basis, and the equal split."""

    rule: str
    table: Table
    alternative: Table


def _allocation_table(model: CostModel, frame: pd.DataFrame) -> pd.DataFrame:
    if not model.is_all:
        frame = frame[frame["council_type"].isin([model.council_type, "total"])]
    table = pd.DataFrame(
        {
            "Council type": frame["label"],
            "Councils": frame["councils"].astype(int).astype(str),
            "Share of the sector": [
                "no basis" if pd.isna(v) else formatting.percent(v, 1) for v in frame["share"]
            ],
        }
    )
    for est in ESTIMATES:
        for column, what in (
            (est.name, "all of the type"),
            (f"{est.name}_per_council", "one average council"),
        ):
            table[f"{est.label}: {what}"] = [
                "—" if pd.isna(v) else formatting.amount(v, est.unit) for v in frame[column]
            ]
    return table


def by_council_type(model: CostModel) -> Allocation:
    """Each council type's central estimates on the sourced basis (this type and the total on
    a council type's page), and the equal split per council as the labelled alternative."""
    sourced = allocation(model.sector, model.counts, model.basis)
    equal = allocation(model.sector, model.counts)
    covered = int(model.basis.councils.sum())
    return Allocation(
        f"**How the sector is split:** in proportion to each council type's {model.basis.label} "
        f"({model.basis.year}; `data/reference/council_type_size.csv`, summed from MHCLG's "
        "table per authority): a type's share is its number of councils today times its "
        "average council's spending power, over all types with a basis. The measure is "
        "money, so it fits the three money estimates; no staff numbers by type were found, "
        "so the skills estimate (staff) is split the same way, as an assumption. The basis "
        f"covers {covered} English councils; combined authorities, the City of London and "
        "the Isles of Scilly, and Scottish and Welsh councils have none, so they get no "
        "per-type figure (their pages show the sector's). The report does not say which "
        "councils its totals cover: here the types with a basis share the whole of each "
        "sector total, so they add up to it, and would be too high if the others hold part "
        "of it. The equal split per council is shown after, as the alternative.",
        Table(
            _allocation_table(model, sourced),
            f"Central estimates by council type, in proportion to {model.basis.label} "
            f"{model.basis.year}",
        ),
        Table(
            _allocation_table(model, equal),
            "Alternative (not a sourced basis): every council the same share, whatever its type",
        ),
    )


def main_points(model: CostModel, uncertain: Uncertainty) -> list[str]:
    """Up to six ranked one-sentence main points for the page, each saying what stands behind it.

    ``uncertain``: the page's :func:`uncertainty` result (its paired and independent bands).
    """
    points = []
    if model.scenario != REPORT_SCENARIO:
        points.append(
            f"This page runs scenario {model.scenario}: {SCENARIO_CHANGES[model.scenario][0]}, "
            "an alternative reading of the report, not what the report states."
        )
    if model.is_all:
        reproduced = reproduce(model.sector, model.figures)
        points.append(
            f"The report states {int(reproduced['matches'].sum())} of its {len(reproduced)} "
            "headline cost figures in a way this model reproduces exactly from the inputs it "
            "gives, but shows none of the arithmetic."
        )
        for est in ESTIMATES[1:2] + ESTIMATES[3:]:
            central = central_estimates(model.params)[est.name]
            points.append(
                f"{est.label}: the report states {report_range(model, est)}; the middle, "
                f"{rounded(central, est.unit)}, is this model's assumption, not the report's."
            )
        claim = addressable_spend(model.sector, model.figures)
        low, high = sorted((claim.per_fte_low, claim.per_fte_high))
        points.append(
            f"The report's 'over {formatting.amount(claim.claim, 'gbp')}' cannot be reproduced "
            "from its inputs: it needs a staff cost of "
            f"{formatting.amount(round_significant(low, 2), 'gbp')} to "
            f"{formatting.amount(round_significant(high, 2), 'gbp')} per FTE, which the report "
            "does not state and which is below a full-time year at the National Living Wage."
        )
    elif model.sector_only:
        points.append(
            f"{model.no_basis_note} This page shows the sector's figures as the report states "
            "them, not a per-type figure."
        )
    else:
        central = central_estimates(model.params)
        share = formatting.percent(100 * model.basis.shares[model.council_type], 1)
        if model.has_basis and not model.own:
            points.append(
                f"This model assumes {plural(model.type_label)} hold {share} of "
                f"each sector total, their share of English {model.basis.label} "
                f"{model.basis.year}; the report gives sector totals only."
            )
        for est in ESTIMATES[1:2] + ESTIMATES[2:3]:
            points.append(
                f"{est.label}: {rounded(central[est.name], est.unit)} for {model.scope}, this "
                "model's central value, not a figure the report states."
            )
    p_band = uncertain.bands["project_failure_direct_cost"]["paired"]
    i_band = uncertain.bands["project_failure_direct_cost"]["independent"]
    paired, independent = (" to ".join(rounded(v, "gbp") for v in b) for b in (p_band, i_band))
    points.append(
        f"Drawing the two failure shares together, as one source gives them, this model's 90% "
        f"band for the failure cost is {paired}, wider than the {independent} independent "
        "draws would give; every distribution shape is this model's assumption."
    )
    return points[:6]


COMPARABILITY = (
    "The report's figures are for the whole sector and it does not say which councils its "
    "totals cover; it states no distributions, so every band on this page rests on this "
    "model's assumed shapes. A council type's figures share the sector totals out by core "
    "spending power in England in 2020-21 (`data/reference/council_type_size.csv`), a "
    "different year and a narrower coverage than the report's inputs; they are the model's "
    "allocation, not figures the report states, and types outside that basis show the sector "
    "only."
)


def own_figures_help() -> str:
    """What a council can put in of its own, how, and what is refused (Markdown)."""
    listed = "\n".join(f"- `{name}`" for name in OWN_FIGURES)
    return (
        "### A council's own figures\n\nThese inputs can be replaced by a council's own "
        "(money in pounds, shares in percent 0-100; a number, `[low, high]` or "
        f"`[low, central, high]`):\n\n{listed}\n\nFor example:\n\n"
        "```sh\n.venv/bin/councildigital run future_councils_costs --council-type district "
        '-p council_name "Anytown DC" -p fte_total 450 -p it_spend "[900000, 1200000]" '
        "-p ddat_contract_value 600000 -p ddat_contract_count 12\n```\n\n"
        "A value out of range (a negative amount, a share above 100, low above high) is "
        "refused with its name before any notebook runs."
    )
