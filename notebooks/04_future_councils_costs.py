# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python (councildigital)
#     language: python
#     name: councildigital
# ---

# %% [markdown]
# # Future Councils cost estimates
#
# The DLUHC Future Councils pilot report estimates what four systemic problems
# cost local government: productivity lost to digital skills gaps, "keeping the
# lights on" spend on legacy systems, third-party spend not procured
# competitively, and digital project failures. It gives its inputs in a
# references table but shows no arithmetic. This section turns the inputs into
# a model: it reproduces the report's figures, shows how uncertain they are,
# and lets a council put in its own numbers.

# %% tags=["parameters"]
council_type = "all"
data_path = None  # respondent microdata; this section uses only published figures
seed = 20240901
draws = 200_000
council_name = None
# A council's own figures (None keeps the default). Money in pounds, shares in
# percent (0-100); a number, or [low, high], or [low, central, high].
fte_total = None
it_spend = None
ddat_contract_value = None
ddat_contract_count = None
la_framework_share = None
legacy_share = None
ddat_project_median_value = None

# %%
import matplotlib.pyplot as plt
import pandas as pd
from councildigital.data import reference, sources, survey
from councildigital.sections import formatting, future_councils_costs, plots, records
from IPython.display import Markdown, display

plots.set_theme()


def show(table: pd.DataFrame, caption: str) -> None:
    """A table for reviewers: no index, left-aligned, with its caption.

    Shown as HTML: a Styler's plain-text form holds a memory address, which
    would make the executed notebook differ from run to run.
    """
    formatting.show_table(formatting.table_style(table, caption))


figures = future_councils_costs.load_figures()
counts = reference.council_counts()
records.provenance(
    "Published figures (data/published/future_councils.csv) and councils of each type "
    "(data/reference/council_counts.csv); no respondent-level data",
    synthetic=False,
)
overrides = {
    name: value
    for name, value in {
        "fte_total": fte_total,
        "it_spend": it_spend,
        "ddat_contract_value": ddat_contract_value,
        "ddat_contract_count": ddat_contract_count,
        "la_framework_share": la_framework_share,
        "legacy_share": legacy_share,
        "ddat_project_median_value": ddat_project_median_value,
    }.items()
    if value is not None
}
params = future_councils_costs.model_inputs(council_type, overrides, figures=figures, counts=counts)
sector = future_councils_costs.sector_parameters(figures)
by_type = future_councils_costs.councils_by_type(counts)
total_councils = int(by_type.sum())
all_sector = council_type == survey.ALL
CITATION = sources.document("future_councils").citation

# council_name is free text: Markdown gets it escaped; tables and charts escape their own text.
md = formatting.escape_markdown
if all_sector:
    scope = "the whole local government sector"
    intro = (
        f"This page covers **{scope}**, with the report's own inputs"
        + (f", except the figures given below ({', '.join(overrides)})" if overrides else "")
        + "."
    )
else:
    type_label = survey.label(survey.COUNCIL_TYPES, council_type)
    councils_of_type = int(by_type[council_type])
    default = (
        f"Defaults: each sector total (staff, IT spend, DDaT contracts) is shared equally between "
        f"the {total_councils} councils of every type, so one council gets 1/{total_councils} of "
        f"it; there are {councils_of_type} of this type. Shares and rates are the sector's."
    )
    if overrides:
        scope = council_name or f"an example {type_label.lower()}"
        own = ", ".join(
            f"{params[name].label} ({formatting.amount(params[name].central, params[name].unit)})"
            for name in overrides
        )
        intro = (
            f"This page covers **{md(scope)}** ({type_label.lower()}), with its own figures "
            f"for {own}. {default}"
        )
    else:
        scope = council_name or f"one average {type_label.lower()}"
        intro = (
            f"This page covers **{md(scope)}** ({type_label.lower()}), every input a default. "
            f"{default}"
        )
display(
    Markdown(
        f"{intro}\n\nMonte Carlo: {draws:,} draws, seed {seed}. Source of every published input: "
        f"{CITATION}, references table and 'Quantifying the impact' (figure ids as in "
        "the evidence section)."
    )
)

# %% [markdown]
# ## The inputs
#
# Each input has a low, central and high value and the id of the published
# figure it comes from. Where the report gives no range, or no central value,
# the value used is an assumption and the table says so.

# %%
inputs = future_councils_costs.inputs_table(params)
inputs.columns = [
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
show(inputs, f"Model inputs for {scope}")
display(
    Markdown(
        "Distributions, and why:\n\n"
        + "\n".join(
            f"- **{name}**: {reason}."
            for name, reason in future_councils_costs.DISTRIBUTIONS.items()
        )
        + f"\n\nWhere the report gives a single value, the range is **assumed**: "
        f"±{future_councils_costs.POINT_SPREAD_PERCENT:g}% of it. Inputs are drawn independently of each other."
    )
)

# %% [markdown]
# ## The four estimates

# %%
central_values = future_councils_costs.values_at(params, "central")
units = future_councils_costs.units_of(params)
central = future_councils_costs.central_estimates(params)
rows = []
for est in future_councils_costs.ESTIMATES:
    row = {
        "Estimate": est.label,
        "Formula": est.formula.format(**{name: name for name in est.inputs}),
        "With central inputs": est.formula_with(central_values, units),
        "Central estimate": formatting.amount(central[est.name], est.unit),
    }
    if not all_sector and not overrides:
        row[f"All {councils_of_type} of this type"] = formatting.amount(
            councils_of_type * central[est.name], est.unit
        )
    rows.append(row)
show(pd.DataFrame(rows), f"The four estimates for {scope}, every input at its central value")
for est in future_councils_costs.ESTIMATES:
    records.headline(est.label, formatting.amount(central[est.name], est.unit))
display(
    Markdown(
        "The third-party estimate counts no shortfall for a council that uses frameworks more "
        "than central government does (the bracket is never below zero)."
        + (
            ""
            if all_sector
            else " The reproduction of the report's figures, the choices its arithmetic makes "
            "and the 'over £8 billion' claim are about the whole sector: see the all-sector page."
        )
    )
)

# %%
if all_sector:
    display(
        Markdown(
            "## Reproducing the report\n\nThe report's figures recomputed from its own inputs, "
            "each rounded to the significant figures the report shows."
        )
    )
    reproduced = future_councils_costs.reproduce(sector, figures)
    matched = int(reproduced["matches"].sum())
    display(
        Markdown(
            f"**{matched} of the report's {len(reproduced)} figures are reproduced exactly** "
            "to the report's rounding from the inputs it states."
        )
    )
    table = formatting.amounts(reproduced, ["model", "model_rounded", "report"])
    table["matches"] = table["matches"].map({True: "yes", False: "NO"})
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
    table["report_quote"] = table["report_quote"].str.replace("**", "", regex=False)
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
    show(table, "The report's figures, reproduced")

# %%
if all_sector:
    display(
        Markdown(
            "### Choices the report's arithmetic makes without saying so\n\n"
            "Each reproduction above rests on a choice the report does not state. The table "
            "gives the reading that reproduces the report and what the alternative gives."
        )
    )
    choices = future_councils_costs.report_choices(sector, figures)
    shown = formatting.amounts(
        choices, ["report_low", "report_high", "alternative_low", "alternative_high"]
    )
    shown["estimate"] = choices["estimate"].map(
        lambda name: future_councils_costs.estimate(name).label
    )
    shown["report gives"] = shown["report_low"].where(
        choices["report_high"].isna(), shown["report_low"] + " to " + shown["report_high"]
    )
    shown["alternative gives"] = shown["alternative_low"].where(
        choices["alternative_high"].isna(),
        shown["alternative_low"] + " to " + shown["alternative_high"],
    )
    shown = shown[
        [
            "estimate",
            "choice",
            "report_reading",
            "report gives",
            "alternative_reading",
            "alternative gives",
        ]
    ]
    shown.columns = [
        "Estimate",
        "Unstated choice",
        "The report's reading",
        "Gives",
        "The alternative",
        "Alternative gives",
    ]
    show(shown, "Unstated choices and their alternatives")
    display(
        Markdown(
            "Two further choices have no published alternative to compute: the skills estimate "
            f"applies a share of *councils* with a gap "
            f"({formatting.amount(sector['skills_gap_share'].central, 'percent')}) to *staff*, "
            "and a share of UK job *vacancies* to council *employees*; the legacy range's high "
            f"end ({formatting.amount(sector['legacy_share'].high, 'percent')}) is a central "
            "government figure applied to councils."
        )
    )

# %%
if all_sector:
    display(Markdown('## The "over £8 billion" claim'))
    claim = future_councils_costs.addressable_spend(sector, figures)
    gbp = formatting.amount_formatter("gbp")
    claim_row = figures.set_index("id").loc["FC-0011"]
    display(
        Markdown(
            f'The report says: *"{md(claim_row["quote"].replace("**", ""))}"* (FC-0011), of '
            'the areas "staff, IT and procurement of DDaT work". It shows no sum.\n\n'
            f"- **What its inputs add up to.** The only money inputs for those areas are IT "
            f"spend of {gbp(claim.it_spend)} a year (FC-0060; the text says "
            f"{gbp(sector['it_spend'].low)}-{gbp(sector['it_spend'].high)}) and DDaT contracts "
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
            f"{gbp(claim.estimates_low)} to {gbp(claim.estimates_high)}: the {gbp(claim.claim)} is the "
            "spending the problems sit in, not their cost.\n\n"
            f"**Finding:** the report's inputs reach {gbp(claim.stated_if_separate)} at most; "
            f"the 'over {gbp(claim.claim)}' rests on a staff-spend figure the report does not "
            "give, and is not reproduced here."
        )
    )

# %% [markdown]
# ## Uncertainty
#
# Every input is drawn from its range (distributions above) and the four
# estimates computed for each draw. The percentiles say where the estimates
# fall if the inputs are anywhere in their ranges; they are only as good as the
# ranges, several of which are assumed.

# %%
simulation = future_councils_costs.simulate(params, draws, seed)
summary = future_councils_costs.summarise(simulation, params)
report_marks = {}
if all_sector:
    for est in future_councils_costs.ESTIMATES:
        for figure_id in est.figures:
            row = figures.set_index("id").loc[figure_id]
            end = "" if row["item"] == "value" else f" ({row['item']})"
            report_marks.setdefault(est.name, {})[f"report{end}, {figure_id}"] = row["value"]
table = formatting.amounts(
    summary.reset_index(names="estimate"),
    ["central", "mean", *[f"p{q}" for q in future_councils_costs.PERCENTILES]],
)
table = table.drop(columns=["estimate", "unit"])
table.columns = [
    "Estimate",
    "Central",
    "Mean",
    *[f"P{q}" for q in future_councils_costs.PERCENTILES],
]
show(table, f"Monte Carlo percentiles for {scope} ({draws:,} draws, seed {seed})")
outer = (future_councils_costs.PERCENTILES[0], future_councils_costs.PERCENTILES[-1])
middle = outer[1] - outer[0]
lines = []
for est in future_councils_costs.ESTIMATES:
    fmt = formatting.amount_formatter(est.unit)
    row = summary.loc[est.name]
    line = (
        f"- **{est.label}**: {middle}% of draws between {fmt(row[f'p{outer[0]}'])} and "
        f"{fmt(row[f'p{outer[1]}'])}, median {fmt(row['p50'])}"
    )
    if est.name in report_marks:
        line += "; the report: " + " to ".join(fmt(v) for v in report_marks[est.name].values())
    lines.append(line + ".")
for est in future_councils_costs.ESTIMATES:
    lopsided = [params[n] for n in est.inputs if params[n].is_lopsided]
    if lopsided:
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
display(Markdown("\n".join(lines)))

# %%
for est in future_councils_costs.ESTIMATES:
    ax = plots.distribution(
        simulation,
        est.name,
        percentiles=(outer[0], 50, outer[1]),
        marks={"central estimate": central[est.name], **report_marks.get(est.name, {})},
        formatter=formatting.amount_formatter(est.unit),
    )
    plots.finish(
        ax,
        f"{est.label}: Monte Carlo",
        f"Estimate for {scope}",
        "Share of draws (%)",
        source=f"{CITATION}; inputs {future_councils_costs.sources_of(params, est.inputs)}; "
        "model councildigital.sections.future_councils_costs",
        n=f"{draws:,} draws (seed {seed})",
        assumed=future_councils_costs.assumptions_of(params, est.inputs),
    )
    plt.show()

# %% [markdown]
# ## Which input matters most
#
# One at a time, each input is set to its low and then its high value, the
# others held at their central values. The widest bar is the input that moves
# the estimate most. Inputs marked "(range assumed)" have the assumed spread
# around a single published value, so their bars show the assumption, not evidence.

# %%
sensitivity = future_councils_costs.sensitivity(params)
lines = []
for est in future_councils_costs.ESTIMATES:
    rows = sensitivity[sensitivity["estimate"] == est.name]
    if rows.empty:
        lines.append(f"- **{est.label}**: every input is a fixed figure; nothing to vary.")
        continue
    top = rows.iloc[0]
    fmt = formatting.amount_formatter(est.unit)
    tied = rows[rows["swing"] >= top["swing"] * (1 - 1e-9)]
    who = " and ".join(tied["label"])
    lines.append(
        f"- **{est.label}**: {who} move{'s' if len(tied) == 1 else ' it equally'} "
        f"most, from {fmt(min(top['at_low'], top['at_high']))} to "
        f"{fmt(max(top['at_low'], top['at_high']))}."
    )
display(Markdown("\n".join(lines)))

# %%
for est in future_councils_costs.ESTIMATES:
    rows = sensitivity[sensitivity["estimate"] == est.name]
    if rows.empty:
        continue
    ax = plots.tornado(
        rows,
        y="label",
        low="at_low",
        high="at_high",
        baseline=central[est.name],
        formatter=formatting.amount_formatter(est.unit),
    )
    plots.finish(
        ax,
        f"{est.label}: one input at a time",
        f"Estimate for {scope} (line: central estimate)",
        "",
        source=f"{CITATION}; inputs {future_councils_costs.sources_of(params, rows['parameter'])}; "
        "model councildigital.sections.future_councils_costs",
        n=f"{len(rows)} inputs varied one at a time",
        assumed=future_councils_costs.assumptions_of(params, rows["parameter"]),
    )
    plt.show()

# %% [markdown]
# ## By council type

# %%
allocation = future_councils_costs.allocation(sector, counts)
display(
    Markdown(
        f"**Allocation rule:** the report gives sector totals only, and the project's only "
        f"size information is the number of councils of each type ({total_councils} in Great "
        "Britain, `data/reference/council_counts.csv`). So each council type gets the sector "
        "total times its share of councils, and every council the same default, whatever "
        "its type. Real councils differ greatly in size (a county employs far more than a "
        "district): a council's own figures replace these defaults. The types add up to the "
        "sector."
    )
)
shown = (
    allocation
    if all_sector
    else allocation[allocation["council_type"].isin([council_type, "total"])]
)
table = shown.copy()
for est in future_councils_costs.ESTIMATES:
    table[est.name] = [formatting.amount(v, est.unit) for v in shown[est.name]]
table["share_of_councils"] = [f"{v:.1f}%" for v in shown["share_of_councils"]]
table = table.drop(columns="council_type")
table.columns = [
    "Council type",
    "Councils",
    "Share of councils",
    *[est.label for est in future_councils_costs.ESTIMATES],
]
show(table, "Central estimates by council type (defaults: equal shares per council)")
