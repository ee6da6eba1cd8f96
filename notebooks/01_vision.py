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
# # Strategic vision and the role of digital
#
# Does the council have a strategic vision for the organisation it wants to be
# in five years' time? Among those that do, how far could digital help achieve
# it, and how far is digital actually part of the plan? And which themes matter
# most in that vision? Every estimate below carries its 95% interval and its
# base (n); groups too small to estimate are named and left blank.

# %% tags=["parameters"]
council_type = "all"
data_path = None  # respondent microdata in the codebook's schema; None: the embedded synthetic data
min_base = 10  # smallest base (respondents) an estimate is shown for
weighting = "none"  # "none" or "council_type" (post-stratified to councils per type)
reading = "respondent"  # "respondent" or "council" (each council counts once; needs council_id)
show_free_text = False  # True: show the data's free-text answers (comments), escaped

# %%
from councildigital.sections import plots
from councildigital.sections import vision as v
from councildigital.sections.page import load_page

page = load_page(council_type, data_path, min_base, weighting, reading, show_free_text)
page.say(page.notice())
found = v.results(page)
page.main_points(v.main_points(page, found))
page.say(page.what_the_report_says(v.ANSWER_COLUMNS, found.follow_ups.hidden))
plots.set_theme()

# %% [markdown]
# ## Does the council have a strategic vision?
#
# The share answering "yes"; "don't know" stays in the base, as in the report.

# %%
vision = found.vision
page.say(vision.sentence)
page.headline("Has a strategic vision", vision.headline, vision.evidence)
ax = plots.dot_interval(
    vision.chart.frame,
    "estimate",
    "row",
    "ci_low",
    "ci_high",
    hue="group",
    palette=plots.GROUP_COLOURS,
    evidence="evidence",
)
page.chart(ax, vision.chart)
for table in vision.tables:
    page.show(table)

# %%
if found.weighting is not None:
    weighting_note = found.weighting
    page.say(weighting_note.sentence)
    for table in weighting_note.tables:
        page.show(table)

# %% [markdown]
# ## How far could digital help the vision, and how far is it in the plan?
#
# Two questions asked of respondents whose council has a vision, each on a
# 1-5 scale from "not at all" to "very large".

# %%
follow_ups = found.follow_ups
page.say(follow_ups.sentence)
if follow_ups.enough:
    chart = follow_ups.chart
    ax = plots.answer_bars(
        chart.frame, "answer", "estimate", "question", "ci_low", "ci_high", evidence="evidence"
    )
    page.chart(ax, chart)
if follow_ups.table is not None:
    page.show(follow_ups.table)

# %% [markdown]
# ### Unrealised potential
#
# The same respondents answered both questions, so each one's plan can be set
# against their own view of digital's potential. Cells below the outlined
# diagonal are respondents whose plan falls short of the potential they see.

# %%
if found.gap is not None:
    gap = found.gap
    page.say(gap.sentence)
    ax = plots.agreement_heatmap(
        gap.chart.frame, "plan", "potential", "count", annotation="text", evidence="evidence"
    )
    page.chart(ax, gap.chart)
    for table in gap.tables:
        page.show(table)
    page.headline("Plan below digital's potential", gap.headline, gap.evidence)

# %% [markdown]
# ## How significant is each theme in the vision?
#
# Mean significance on a 1-5 scale ("not at all" to "very important"), with
# t intervals. Neighbouring themes whose intervals overlap are not clearly
# ranked by the data; the same respondents rate every theme, so overlap is
# only an informal guide, not a test.

# %%
themes = found.themes
page.say(themes.sentence)
ax = plots.scale_interval(
    themes.chart.frame, "mean", "row", "ci_low", "ci_high", evidence="evidence"
)
page.chart(ax, themes.chart)
page.show(themes.table)

# %%
if found.reproduced is not None:
    reproduced = found.reproduced
    page.say(reproduced.sentence)
    page.show(reproduced.table)

# %%
free_text = page.free_text()
if free_text is not None:
    page.show(free_text)

# %%
page.say(v.method(page))

# %% [markdown]
# ## Strengths and limitations

# %%
page.say(page.strengths_and_limitations(v.COMPARABILITY))
