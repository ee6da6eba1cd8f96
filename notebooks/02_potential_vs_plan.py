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
# # Digital potential versus current plans
#
# For each of nine strategic themes, respondents said how significant the
# theme is in their council's vision, how much digital *could* help achieve
# it, and how far their council *currently plans* to use digital for it (each
# on a 1-5 scale). For each theme and each of six types of digital they also
# said whether the type could help and whether it is planned (yes/no). The gap
# between what could help and what is planned is the report's "untapped
# potential". The same respondents answer both sides of every gap, so every gap
# below is tested as a paired comparison, and every estimate carries its 95%
# interval and its base (n).

# %% tags=["parameters"]
council_type = "all"
data_path = None  # respondent microdata in the codebook's schema; None: the embedded synthetic data
min_base = 10  # smallest base (respondents) an estimate is shown for
weighting = "none"  # "none" or "council_type" (post-stratified to councils per type)
reading = "respondent"  # "respondent" or "council" (each council counts once; needs council_id)

# %%
from councildigital.sections import plots, potential_vs_plan
from councildigital.sections.page import load_page

plots.set_theme()
page = load_page(council_type, data_path, min_base, weighting, reading)
page.say(page.notice())
found = potential_vs_plan.results(page)
page.main_points(potential_vs_plan.main_points(page, found))
page.say(page.what_the_report_says(potential_vs_plan.ANSWER_COLUMNS))

# %% [markdown]
# ## Significance, potential and plans, theme by theme
#
# Mean answer per theme on the 1-5 scale, with its 95% t interval. The grey
# bar joins digital potential and current plans: its length is the gap the
# next section tests.

# %%
themes = found.themes
if themes.chart is not None:
    ax = plots.dumbbell(
        themes.chart.frame,
        "mean",
        "theme_short",
        "measure_label",
        "ci_low",
        "ci_high",
        hue_order=potential_vs_plan.THEME_LEVELS,
        connect=potential_vs_plan.THEME_PAIR,
        evidence="evidence",
    )
    page.chart(ax, themes.chart)
page.say(themes.sentence)
if themes.table is not None:
    page.show(themes.table)
    page.headline(
        "Themes where digital potential is clearly above plans", themes.headline, themes.evidence
    )

# %% [markdown]
# ## The gap between potential and plans
#
# Potential minus plan for each respondent, averaged; ranked largest first.
# The interval and the paired t test use the within-respondent differences;
# the Wilcoxon signed-rank test checks the result without assuming normal
# differences on a five-point scale. With nine themes tested, the Holm-adjusted
# p-value keeps the chance of any false positive among them at 5%. The tests
# are unweighted.

# %%
ranking = found.ranking
if ranking.chart is not None:
    ax = plots.gap_dots(
        ranking.chart.frame,
        "mean_diff",
        "theme_short",
        "ci_low",
        "ci_high",
        evidence="evidence",
    )
    page.chart(ax, ranking.chart)
page.say(ranking.sentence)
page.headline("Largest gap between digital potential and plans", ranking.headline, ranking.evidence)
if ranking.table is not None:
    page.show(ranking.table)

# %%
overall = found.overall
if overall.table is not None:
    page.say(overall.note)
    page.show(overall.table)
if overall.sentence:
    page.say(overall.sentence)

# %% [markdown]
# ## Types of digital, theme by theme
#
# For each theme and type of digital: the percent of respondents saying the
# type could help achieve the theme, and the percent whose council currently
# plans to use it. Each share is on the respondents who answered that item;
# a cell whose base is below the full base shows it. Both maps use the same
# colour scale.

# %%
for heatmap in found.maps:
    if heatmap.chart is not None:
        ax = plots.cell_heatmap(
            heatmap.chart.frame,
            "type_short",
            "theme_short",
            heatmap.value,
            text="text",
            x_order=potential_vs_plan.TYPE_ORDER,
            y_order=potential_vs_plan.THEME_ORDER,
            cmap=heatmap.cmap,
            vmin=heatmap.vmin,
            vmax=heatmap.vmax,
            center=heatmap.center,
            colorbar=heatmap.colorbar,
            evidence="evidence",
        )
        page.chart(ax, heatmap.chart)
    if heatmap.sentence:
        page.say(heatmap.sentence)

# %% [markdown]
# ## The largest unrealised potential
#
# Each cell's gap is the share saying the type could help minus the share
# planning it, among respondents who answered both, with Newcombe's interval
# for paired proportions and McNemar's test (exact binomial below 25
# discordant answers). The two shares here are on that paired base, so they
# can differ slightly from the maps above where one item has more answers.

# %%
largest = found.largest
if largest is not None:
    page.say(largest.sentence)
    ax = plots.gap_dots(
        largest.chart.frame, "diff_pp", "cell", "ci_low", "ci_high", evidence="evidence"
    )
    page.chart(ax, largest.chart)
    page.headline(
        "Largest unrealised potential (type of digital x theme)",
        largest.headline,
        largest.evidence,
    )
    page.show(largest.table)
    potential_vs_plan.show_folded(page, largest.every)

# %%
if found.contradictions is not None:
    page.say("### Where the published report contradicts itself")
    page.say(found.contradictions.sentence)
    if found.contradictions.table is not None:
        page.show(found.contradictions.table)

# %%
if found.reproduction is not None:
    reproduction = found.reproduction
    page.say(reproduction.heading)
    page.say(reproduction.sentence)
    if reproduction.missed is not None:
        page.show(reproduction.missed)
    potential_vs_plan.show_folded(page, reproduction.every)

# %% [markdown]
# ## Strengths and limitations

# %%
page.say(page.strengths_and_limitations(potential_vs_plan.COMPARABILITY))
