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
# # Barriers and capability
#
# What stands between councils and their digital ambitions. The 2024 survey
# asked how significant five barriers are (0 "not at all" to 5 "very large")
# and whether the council has "the knowledge, ability and confidence to design
# and implement digital solutions" for its biggest challenges. This section
# shows how large each barrier is, who says their council has that capability,
# and whether the two go together. It ends with the barrier framework of the
# DLUHC Future Councils report, which maps challenges and systemic barriers to
# the stages of a transformation.

# %% tags=["parameters"]
council_type = "all"
data_path = None  # respondent microdata in the codebook's schema; None: the embedded data
min_base = 10  # smallest base (respondents) an estimate is shown for
weighting = "none"  # "none" or "council_type" (post-stratified to councils per type)
reading = "respondent"  # "respondent" or "council" (each council counts once; needs council_id)

# %%
from councildigital.data import published, sources
from councildigital.sections import barriers, plots
from councildigital.sections.page import load_page

plots.set_theme()

page = load_page(council_type, data_path, min_base, weighting, reading)
page.say(page.notice())
found = barriers.results(
    page, published.load_framework(), sources.document("future_councils").citation
)
page.main_points(barriers.main_points(page, found))
page.say(page.what_the_report_says(barriers.ANSWER_COLUMNS))

# %% [markdown]
# ## How large each barrier is
#
# Mean score from 0 ("not at all") to 5 ("very large") with its 95% t interval.
# Where two neighbouring intervals overlap, the data do not settle their order.

# %%
ranking = found.ranking
page.say(ranking.sentence)
ax = plots.dot_interval(
    ranking.means, x="mean", y="barrier", low="ci_low", high="ci_high", evidence="evidence"
)
ax.set_xlim(0, 5)
page.chart(ax, ranking.chart)
page.show(ranking.table)

# %% [markdown]
# ### The full distribution of scores
#
# A mean hides how answers spread. Each bar shows the percent of respondents
# giving each score: scores 0 to 2 extend left of the centre line and scores 3
# to 5 right, so a bar further right is a barrier more respondents rate as
# large. Unweighted counts.

# %%
spread = found.spread
page.say(spread.sentence)
ax = plots.likert_bars(
    spread.distribution,
    y="barrier",
    level="score",
    percent="percent",
    levels=barriers.SCORES,
    labels=barriers.SCORE_LABELS,
    midpoint=barriers.SCORE_MIDPOINT,
    evidence="evidence",
)
page.chart(ax, spread.chart)

# %% [markdown]
# ## Knowledge, ability and confidence
#
# "In your opinion, does your organisation have the knowledge, ability and
# confidence to design and implement digital solutions to successfully address
# its biggest challenges?" Share answering yes, with a 95% Wilson interval.

# %%
capability = found.capability
page.say(capability.sentence)
page.headline(capability.headline_label, capability.headline, capability.evidence)
page.headline(ranking.largest.headline_label, ranking.largest.headline, ranking.largest.evidence)

# %% [markdown]
# ### By council type
#
# The same question for each type of council. A type with fewer respondents
# than the minimum base is listed with its n but no estimate.

# %%
page.say(capability.types_sentence)
if capability.chart is not None:
    ax = plots.dot_interval(
        capability.chart.frame,
        x="estimate",
        y="group",
        low="ci_low",
        high="ci_high",
        hue="whom",
        palette=plots.GROUP_COLOURS,
        evidence="evidence",
    )
    page.chart(ax, capability.chart)
page.show(capability.table)

# %% [markdown]
# ## Barriers and self-assessed capability
#
# Do respondents who say their council has the capability rate the barriers
# differently from those who say it does not? The difference in mean score
# (yes minus no) with Welch's 95% interval and test, a Mann-Whitney test as a
# check for ordinal scores, and Holm-adjusted p-values for testing several
# barriers at once. A difference the report's figures leave free is
# illustrative on synthetic data and is not tested. Unweighted. This is a
# cross-sectional survey: a difference is an association, not evidence that
# capability lowers barriers or the reverse.

# %%
comparison = found.comparison
page.say(comparison.sentence)
if comparison.chart is not None:
    ax = plots.dot_interval(
        comparison.chart.frame,
        x="difference",
        y="barrier",
        low="ci_low",
        high="ci_high",
        evidence="evidence",
    )
    ax.set_xlim(comparison.xlim)
    ax.axvline(0, color="0.2", linewidth=1)
    page.chart(ax, comparison.chart)
page.show(comparison.table)

# %% [markdown]
# ## Weighting
#
# The survey's respondents are not spread over council types as councils are.
# Post-stratification reweights each type to its share of councils; the Kish
# design effect says how much precision that costs.

# %%
reweighting = found.weighting
page.say(reweighting.sentence)
if reweighting.table is not None:
    page.show(reweighting.table)

# %% [markdown]
# ## The Future Councils barrier framework
#
# The DLUHC Future Councils report traces root-cause issues through six stages
# of a transformation and tags each stage with the common challenges and
# systemic barriers behind them. This is published text, not survey data: it
# is the same for every council type and is not synthetic.

# %%
framework = found.framework
page.say(framework.sentence)
ax = plots.tag_matrix(framework.chart.frame)
page.chart(ax, framework.chart)
page.show(framework.table)

# %% [markdown]
# ## Reproduces the report
#
# The published 2024 figures on barriers and capability beside the same
# figures computed from the data on this page.

# %%
reproduction = found.reproduction
page.say(reproduction.sentence)
if reproduction.table is not None:
    page.show(reproduction.table)

# %% [markdown]
# ## Strengths and limitations

# %%
page.say(page.strengths_and_limitations(barriers.COMPARABILITY))
