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
# # Then and now: 2013 and 2024
#
# In 2013 the "Local Digital Today" survey (UKAuthority for DCLG) asked councils
# what held digital back, who led it, whether they had a digital strategy and
# what it had saved. In 2024 the LGC and Hitachi Solutions survey asked a
# different set of councils some of the same things. Neither report compares
# itself with the other. This page does, from the figures both reports publish,
# and says where the comparison is fair and where it is not.

# %% tags=["parameters"]
council_type = "all"
data_path = None  # not used: this section reads published aggregates only

# %%
from councildigital.data import published
from councildigital.sections import plots
from councildigital.sections import then_and_now as tn
from councildigital.sections.page import published_page

plots.set_theme()
figures, crosswalk = tn.load_figures(), published.load_crosswalk()
both = tn.surveys(figures)
page = published_page(council_type, description=tn.PROVENANCE, citation=both.sources)
barriers = tn.compare_barriers(figures, crosswalk, both)
strategy = tn.compare_strategy(figures, both)
gaps = tn.compare_perceptions(figures, both)
page.say(tn.scope(both, council_type=council_type, data_path=data_path))
page.main_points(tn.main_points(barriers, gaps))

# %%
if not page.is_all:
    own = tn.type_figures(figures, both, council_type=council_type)
    page.say(own.heading)
    if own.listing is None:
        page.say(own.nothing_listed)
    else:
        page.show(own.listing)
    if own.comparison is None:
        page.say(own.no_answer)
    else:
        page.show(own.comparison)
        page.say(own.vision)

# %% [markdown]
# ## How far the two surveys can be compared

# %%
page.say(tn.comparability(both, barriers, gaps))

# %% [markdown]
# ## Barriers then and now

# %%
page.say(barriers.leaders)
ax = plots.dot_interval(
    barriers.chart.frame, "share", "row", "low", "high", hue="group", hue_order=barriers.hue_order
)
page.chart(ax, barriers.chart)

# %% [markdown]
# ### How the items were matched
#
# The two surveys list different barriers in different words. The matching below
# is **the analyst's judgement**, not either report's. It is kept in one file
# (`data/published/barrier_crosswalk.csv`) with a reason for every decision.

# %%
page.say(barriers.match_meanings)
page.show(barriers.matching)

# %%
page.show(barriers.side_by_side)

# %%
ax = plots.rank_slope(
    barriers.slope.frame,
    left="rank_2013_among_pairs",
    right="rank_2024_low",
    right_end="rank_2024_high",
    left_label="wording_2013",
    right_label="short",
    titles=("2013", "2024"),
)
page.chart(ax, barriers.slope)
page.say(barriers.moved)

# %%
page.say(barriers.unmatched)
page.headline("Top barrier, 2013 then 2024", barriers.headline)

# %% [markdown]
# ## Strategy and vision

# %%
page.say(strategy.difference)
page.show(strategy.table)
ax = plots.dot_interval(
    strategy.chart.frame, "share", "row", "low", "high", hue="group", hue_order=strategy.hue_order
)
page.chart(ax, strategy.chart)

# %% [markdown]
# ## Councils and suppliers in 2013: the perception gap
#
# The 2013 survey also asked suppliers the same questions about councils, and its
# report compares the two. Suppliers' answers are about "front line organisations" in
# general, councils' about their own organisation. The charts show both, each with its
# Wilson interval; a gap is "clear" below when the two intervals do not overlap.

# %%
page.say(gaps.summary)
for chart in gaps.charts:
    ax = plots.dot_interval(chart.frame, "share", "row", "low", "high", hue="group", connect=True)
    page.chart(ax, chart)

# %%
page.show(gaps.table)
page.say(gaps.not_compared)

# %%
if page.is_all:
    check = tn.check_reproduction(figures, both, barriers, strategy, gaps)
    page.say(check.summary)
    page.show(check.table)

# %% [markdown]
# ## Strengths and limitations

# %%
page.say(page.strengths_and_limitations(tn.COMPARABILITY))
