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

import pandas as pd

from councildigital import stats
from councildigital.data import reference, sources, survey
from councildigital.sections import formatting
from councildigital.sections.future_councils_costs import (
    DISTRIBUTIONS,
    DOCUMENT,
    ESTIMATES,
    PERCENTILES,
    POINT_SPREAD_PERCENT,
    Estimate,
    Parameter,
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
    sector_parameters,
    sensitivity,
    simulate,
    sources_of,
    summarise,
    units_of,
    values_at,
)
from councildigital.sections.page import Chart, Table

PROVENANCE = (
    "Published figures (data/published/future_councils.csv) and councils of each type "
    "(data/reference/council_counts.csv); no respondent-level data"
)


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

    @property
    def is_all(self) -> bool:
        return self.council_type == survey.ALL

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
        if self.is_all:
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
            default = (
                "Defaults: each sector total (staff, IT spend, DDaT contracts) is shared equally "
                f"between the {self.total_councils} councils of every type, so one council gets "
                f"1/{self.total_councils} of it; there are {int(self.by_type[self.council_type])} "
                "of this type. Shares and rates are the sector's."
            )
            own = ", ".join(
                f"{self.params[name].label} "
                f"({formatting.amount(self.params[name].central, self.params[name].unit)})"
                for name in self.own
            )
            intro = (
                f"{covers}, with its own figures for {own}. {default}"
                if self.own
                else f"{covers}, every input a default. {default}"
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
) -> CostModel:
    """The page's model: the sector for 'all', one average council of a type otherwise.

    ``own`` figures (None keeps the default) replace the defaults; a bad one is
    refused with a :class:`.future_councils_costs.CostInputError` naming it, before anything is drawn.
    """
    figures = load_figures() if figures is None else figures
    counts = reference.council_counts() if counts is None else counts
    own = {name: value for name, value in (own or {}).items() if value is not None}
    return CostModel(
        council_type,
        model_inputs(council_type, own, figures=figures, counts=counts),
        sector_parameters(figures),
        tuple(own),
        council_name,
        draws,
        seed,
        figures,
        counts,
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
                "Assumed": p.assumed or "nothing",
            }
            for name, p in model.params.items()
        ]
    )
    reasons = "\n".join(f"- **{name}**: {reason}." for name, reason in DISTRIBUTIONS.items())
    return InputRanges(
        Table(table, f"Model inputs for {model.scope}"),
        f"Distributions, and why:\n\n{reasons}\n\nWhere the report gives a single value, the "
        f"range is **assumed**: ±{POINT_SPREAD_PERCENT:g}% of it. Inputs are drawn "
        "independently of each other.",
    )


@dataclass(frozen=True)
class CentralEstimates:
    """The four estimates at central inputs: table, headline figures and the note under them."""

    table: Table
    headlines: dict[str, str]
    note: str


def central_figures(model: CostModel) -> CentralEstimates:
    """Each estimate's formula, with central numbers, and (one average council) its type's total."""
    values = values_at(model.params, "central")
    units = units_of(model.params)
    central = central_estimates(model.params)
    councils = None if model.is_all or model.own else int(model.by_type[model.council_type])
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
        {row["Estimate"]: row["Central estimate"] for row in rows},
        "The third-party estimate counts no shortfall for a council that uses frameworks more "
        f"than central government does (the bracket is never below zero).{sector_only}",
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
        "states no such figure, so this part cannot be checked.\n"
        f"- **Not the sum of the estimates.** The four money estimates add up to "
        f"{gbp(claim.estimates_low)} to {gbp(claim.estimates_high)}: the {gbp(claim.claim)} is "
        "the spending the problems sit in, not their cost.\n\n"
        f"**Finding:** the report's inputs reach {gbp(claim.stated_if_separate)} at most; "
        f"the 'over {gbp(claim.claim)}' rests on a staff-spend figure the report does not "
        "give, and is not reproduced here.",
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
    """The Monte Carlo: the percentile table, what the draws say, a chart of each estimate's draws."""

    table: Table
    sentence: str
    charts: tuple[CostChart, ...]
    percentiles: tuple[int, int, int] = (OUTER[0], 50, OUTER[1])


def uncertainty(model: CostModel) -> Uncertainty:
    """Where the estimates fall when the inputs are drawn from their ranges, and why lopsided."""
    params = model.params
    simulation = simulate(params, model.draws, model.seed)
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
                    f"{est.label}: Monte Carlo",
                    f"Estimate for {model.scope}",
                    "Share of draws (%)",
                    f"{model.draws:,} draws (seed {model.seed})",
                    _chart_source(params, est.inputs),
                    assumptions_of(params, est.inputs),
                    wrap=None,
                ),
            )
        )
    lines += _lopsided(params, summary, central)
    return Uncertainty(
        Table(
            table,
            f"Monte Carlo percentiles for {model.scope} ({model.draws:,} draws, seed {model.seed})",
        ),
        "\n".join(lines),
        tuple(charts),
    )


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
                    f"{est.label}: one input at a time",
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
    """The allocation rule and each council type's central estimates under it."""

    rule: str
    table: Table


def by_council_type(model: CostModel) -> Allocation:
    """Each council type's share of the sector (this type and the total on a council's page)."""
    frame = allocation(model.sector, model.counts)
    if not model.is_all:
        frame = frame[frame["council_type"].isin([model.council_type, "total"])]
    table = frame.copy()
    for est in ESTIMATES:
        table[est.name] = [formatting.amount(v, est.unit) for v in frame[est.name]]
    table["share_of_councils"] = [formatting.percent(v, 1) for v in frame["share_of_councils"]]
    table = table.drop(columns="council_type")
    table.columns = [
        "Council type",
        "Councils",
        "Share of councils",
        *[est.label for est in ESTIMATES],
    ]
    return Allocation(
        "**Allocation rule:** the report gives sector totals only, and the project's only "
        f"size information is the number of councils of each type ({model.total_councils} in "
        "Great Britain, `data/reference/council_counts.csv`). So each council type gets the "
        "sector total times its share of councils, and every council the same default, "
        "whatever its type. Real councils differ greatly in size (a county employs far more "
        "than a district): a council's own figures replace these defaults. The types add up "
        "to the sector.",
        Table(table, "Central estimates by council type (defaults: equal shares per council)"),
    )
