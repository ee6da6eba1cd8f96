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
scenario = "report"  # the report's reading, or an alternative one from its unstated choices
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
from councildigital.sections import future_councils_costs_page as costs
from councildigital.sections import plots
from councildigital.sections.page import published_page

plots.set_theme()
page = published_page(council_type, description=costs.PROVENANCE, citation=costs.citation())
model = costs.cost_model(
    council_type,
    dict(
        fte_total=fte_total,
        it_spend=it_spend,
        ddat_contract_value=ddat_contract_value,
        ddat_contract_count=ddat_contract_count,
        la_framework_share=la_framework_share,
        legacy_share=legacy_share,
        ddat_project_median_value=ddat_project_median_value,
    ),
    draws=draws,
    seed=seed,
    council_name=council_name,
    scenario=scenario,
)
page.say(model.introduction)
uncertainty = costs.uncertainty(model)
page.main_points(costs.main_points(model, uncertainty))

# %% [markdown]
# ## The inputs
#
# Each input has a low, central and high value and the id of the published
# figure it comes from. Where the report gives no range, or no central value,
# the value used is an assumption and the table says so.

# %%
inputs = costs.input_ranges(model)
page.show(inputs.table)
page.say(inputs.distributions)

# %% [markdown]
# ## The four estimates

# %%
estimates = costs.central_figures(model)
page.show(estimates.table)
for label, value in costs.headlines(model).items():
    page.headline(label, value, basis=costs.headline_basis(model))
page.say(estimates.note)

# %%
if page.is_all:
    reproduced = costs.reproduction(model)
    page.say(reproduced.heading)
    page.say(reproduced.sentence)
    page.show(reproduced.table)

# %%
if page.is_all:
    choices = costs.unstated_choices(model)
    page.say(choices.heading)
    page.show(choices.table)
    page.say(choices.note)

# %%
if page.is_all:
    claim = costs.claim_check(model)
    page.say(claim.heading)
    page.say(claim.text)

# %% [markdown]
# ## Uncertainty
#
# Every input is drawn from its range (distributions above) and the four
# estimates computed for each draw. The percentiles say where the estimates
# fall if the inputs are anywhere in their ranges; they are only as good as the
# ranges, several of which are assumed.

# %%
page.show(uncertainty.table)
page.say(uncertainty.sentence)
page.show(uncertainty.pairing)
page.say(uncertainty.pairing_sentence)

# %%
for cost in uncertainty.charts:
    ax = plots.distribution(
        cost.frame,
        cost.estimate,
        percentiles=uncertainty.percentiles,
        marks=cost.marks,
        formatter=cost.formatter,
    )
    page.chart(ax, cost.chart)

# %% [markdown]
# ## Which input matters most
#
# One at a time, each input is set to its low and then its high value, the
# others held at their central values. The widest bar is the input that moves
# the estimate most. Inputs marked "(range assumed)" have the assumed spread
# around a single published value, so their bars show the assumption, not evidence.

# %%
sensitivity = costs.which_input_matters(model)
page.say(sensitivity.sentence)

# %%
for cost in sensitivity.charts:
    ax = plots.tornado(
        cost.frame, "label", "at_low", "at_high", cost.baseline, formatter=cost.formatter
    )
    page.chart(ax, cost.chart)

# %% [markdown]
# ## By council type

# %%
allocation = costs.by_council_type(model)
page.say(allocation.rule)
page.show(allocation.table)
page.show(allocation.alternative)

# %%
page.say(costs.own_figures_help())

# %% [markdown]
# ## Strengths and limitations

# %%
page.say(page.strengths_and_limitations(costs.COMPARABILITY))
