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

# %%
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from councildigital import stats
from councildigital.data import survey
from councildigital.sections import formatting, page, plots, records
from councildigital.sections import vision as v
from IPython.display import Markdown, display

plots.set_theme()
data = page.load_page(council_type, data_path, min_base, weighting)
ALL = council_type == survey.ALL
# A type too small to estimate gets the whole sample, for context, and says so everywhere.
shown = data.shown
# Scope phrases start sentences and titles, so council type labels keep their capitals.
if ALL:
    scope = "All respondents"
elif data.too_small:
    scope = f"All respondents (for context: {data.label}, n = {data.n}, is too few)"
else:
    scope = f"{data.label} respondents"
who = "All respondents" if ALL or data.too_small else f"{data.label} respondents"  # for titles
page_weights = data.weights if ALL and weighting == "council_type" else None
SYNTHETIC = f" {plots.SYNTHETIC_LABEL}." if data.synthetic else ""


def show(table: pd.DataFrame, caption: str, base: int | str, formats: dict | None = None) -> None:
    """A table for reviewers: no index, its caption with base and data label.

    Shown as HTML: a Styler's plain-text form holds a memory address, which
    would make the executed notebook differ from run to run.
    """
    base_text = f"n = {base}" if isinstance(base, int) else base
    # One format call: a second one resets the columns it does not name.
    decimals = {c: "{:.1f}" for c in table.columns if pd.api.types.is_float_dtype(table[c])}
    styled = formatting.table_style(table, f"{caption}. Base: {base_text}.{SYNTHETIC}")
    formatting.show_table(styled.format(decimals | (formats or {}), na_rep="–"))


def chart(ax, title: str, xlabel: str, ylabel: str, n: int | str) -> None:
    plots.finish(
        ax,
        textwrap.fill(title, 75),
        xlabel,
        ylabel,
        data.source(),
        n=n,
        synthetic=data.synthetic,
    )
    plt.show()


def pct(value: float) -> str:
    return f"{value:.0f}%"


def whole(values: pd.Series) -> pd.Series:
    """Counts blanked by suppression come back as floats; show them as whole numbers."""
    return values.astype("Int64")


def interval(row: pd.Series, low: str = "ci_low", high: str = "ci_high") -> str:
    return f"{row[low]:.0f}–{row[high]:.0f}"


display(Markdown(data.notice()))

# %% [markdown]
# ## Does the council have a strategic vision?
#
# The share answering "yes"; "don't know" stays in the base, as in the report.

# %%
by_type = v.vision_by_type(data.all, min_base=min_base)
everyone = by_type.iloc[0]
own = by_type.set_index("council_type").loc[council_type] if not ALL else everyone
suppressed = by_type[by_type["suppressed"]]

if ALL or data.too_small:
    lead = (
        f"**All respondents: {pct(everyone['estimate'])}** say their council has a strategic "
        f"vision (95% CI {interval(everyone)}%; n = {everyone['n']})."
    )
    chart_title = f"All respondents: {pct(everyone['estimate'])} say their council has a vision"
    if data.too_small and not ALL:
        lead += (
            f" The council type of this page ({data.label}) is not shown on its own: "
            f"n = {data.n}, below the minimum base of {min_base}."
        )
else:
    versus = v.type_vs_rest(data.all, council_type)
    word = v.direction(
        versus["ci_low"],
        versus["ci_high"],
        "higher than",
        "lower than",
        "not clearly different from",
    )
    lead = (
        f"**{scope}: {pct(own['estimate'])}** say their council has a strategic vision "
        f"(95% CI {interval(own)}%; n = {int(own['n'])}), {word} the "
        f"{pct(versus['rest_share'])} of all other respondents (n = {versus['rest_n']}): a "
        f"difference of {versus['diff_pp']:+.0f} points (95% CI {versus['ci_low']:+.0f} to "
        f"{versus['ci_high']:+.0f}; Fisher's exact test p = {versus['p_value']:.2g}). "
        f"All respondents together: {pct(everyone['estimate'])} (n = {everyone['n']})."
    )
    chart_title = (
        f"{scope}: {pct(own['estimate'])} have a vision, {word} other respondents "
        f"({pct(versus['rest_share'])})"
    )
if len(suppressed):
    lead += (
        "\n\nNot shown, because the base is below the minimum of "
        f"{min_base}: " + "; ".join(f"{r.label} (n = {r.n})" for r in suppressed.itertuples()) + "."
    )
display(Markdown(lead))
records.headline(
    "Has a strategic vision",
    f"not shown (n = {data.n}, below {min_base})"
    if data.too_small
    else f"{pct(own['estimate'])} (n={int(own['n'])})",
)

plotted = by_type.assign(
    row=[
        f"{r.label} (n = {r.n})" + (", not shown" if r.suppressed else "")
        for r in by_type.itertuples()
    ],
    group=v.chart_groups(by_type["council_type"], council_type),
)
ax = plots.dot_interval(
    plotted,
    "estimate",
    "row",
    "ci_low",
    "ci_high",
    hue="group",
    palette=plots.fixed_palette(v.CHART_GROUPS),
)
chart(
    ax,
    chart_title,
    "Has a strategic vision (%, with 95% Wilson interval)",
    "",
    f"{everyone['n']} respondents, per type as labelled",
)
show(
    by_type.assign(
        interval=[interval(r) if not r.suppressed else "" for _, r in by_type.iterrows()],
        count=whole(by_type["count"]),
    )[["label", "estimate", "interval", "count", "n", "suppression_reason"]].rename(
        columns={
            "label": "Council type",
            "estimate": "Has a vision (%)",
            "interval": "95% CI (%)",
            "count": "Yes (count)",
            "suppression_reason": "Not shown because",
        }
    ),
    "Share of respondents whose council has a strategic vision, by council type",
    f"{everyone['n']} respondents; per type in the n column",
)

# %%
if ALL:
    post = data.poststratification or page.council_type_weights(data.all)
    compared = v.headline_shares(data.all, post.weights)
    diag = post.diagnostics
    present = diag[diag["sample_n"] > 0]
    heavy = present.loc[present["weight"].idxmax()]
    light = present.loc[present["weight"].idxmin()]
    label_of = {c.code: c.label for c in survey.COUNCIL_TYPES}
    first = compared.iloc[0]
    display(
        Markdown(
            "### Weighted beside unweighted\n\n"
            f"The respondents are not a miniature of the sector: "
            f"{label_of[heavy['cell']].lower()}s are {heavy['sample_pct']:.0f}% of respondents "
            f"but {heavy['target_pct']:.0f}% of councils (weight {heavy['weight']:.2f}), "
            f"{label_of[light['cell']].lower()}s {light['sample_pct']:.0f}% of respondents but "
            f"{light['target_pct']:.0f}% of councils (weight {light['weight']:.2f}). "
            "Weighting each respondent by their type's share of councils over its share of "
            f"respondents moves the share with a vision from {pct(first['estimate'])} to "
            f"{pct(first['weighted'])} ({first['difference_pp']:+.0f} points). The weights "
            f"cost precision: Kish design effect {post.design_effect:.2f}, so the "
            f"{len(data.all)} respondents carry the information of about {post.n_eff:.0f}, "
            "and the weighted intervals are wider. "
            + (
                "Council types with no respondents cannot be represented by weighting: "
                + ", ".join(label_of[c] for c in post.unrepresented)
                + ". "
                if post.unrepresented
                else ""
            )
            + (
                "Below, the theme means are **weighted**; the comparisons of potential and plan "
                "stay unweighted, as the paired tests take no weights"
                if page_weights is not None
                else "Every other figure on this page is **unweighted**"
            )
            + f" (parameter `weighting = {weighting!r}`)."
        )
    )
    show(
        compared.assign(
            unweighted_ci=[interval(r) for _, r in compared.iterrows()],
            weighted_ci=[
                interval(r, "weighted_ci_low", "weighted_ci_high") for _, r in compared.iterrows()
            ],
        )[
            [
                "measure",
                "estimate",
                "unweighted_ci",
                "weighted",
                "weighted_ci",
                "difference_pp",
                "n",
                "n_eff",
            ]
        ].rename(
            columns={
                "measure": "Measure",
                "estimate": "Unweighted (%)",
                "unweighted_ci": "95% CI",
                "weighted": "Weighted (%)",
                "weighted_ci": "95% CI (weighted)",
                "difference_pp": "Weighted minus unweighted (points)",
                "n_eff": "Effective n (weighted)",
            }
        ),
        "Headline shares, unweighted and post-stratified to councils per type "
        f"(design effect {post.design_effect:.2f})",
        "in the n column (everyone for the vision; those with a vision who answered, for "
        "the others)",
    )
    show(
        diag.assign(cell=diag["cell"].map(label_of), population_n=whole(diag["population_n"]))[
            ["cell", "sample_n", "sample_pct", "population_n", "target_pct", "weight"]
        ].rename(
            columns={
                "cell": "Council type",
                "sample_n": "Respondents",
                "sample_pct": "Respondents (%)",
                "population_n": "Councils",
                "target_pct": "Target (% of represented councils)",
                "weight": "Weight",
            }
        ),
        "Post-stratification weights by council type (councils in Great Britain, reference data)",
        len(data.all),
        {"Weight": "{:.2f}"},
    )

# %% [markdown]
# ## How far could digital help the vision, and how far is it in the plan?
#
# Two questions asked of respondents whose council has a vision, each on a
# 1-5 scale from "not at all" to "very large".

# %%
vision_base = len(v.with_vision(shown))
enough_for_follow_ups = vision_base >= min_base
if not enough_for_follow_ups:
    display(
        Markdown(
            f"{scope}: only {vision_base} have a vision, below the minimum base of "
            f"{min_base}: the follow-up questions are not shown for them. See the page for all "
            "respondents."
        )
    )
else:
    dist = v.extent_distributions(shown)
    questions = list(v.EXTENT_QUESTIONS.values())
    n_help, n_plan = (int(dist.loc[dist["question"] == q, "n"].iloc[0]) for q in questions)
    top = dist[dist["value"].isin(v.LARGE)].groupby("question", sort=False)["estimate"].sum()
    very = dist[dist["value"] == max(v.LARGE)].set_index("question")["estimate"]
    display(
        Markdown(
            f"{scope} with a vision: **{pct(top[questions[0]])}** say digital could "
            f"help achieve it to a large or very large extent (n = {n_help}), and "
            f"**{pct(top[questions[1]])}** say it is part of the plan to that extent "
            f"(n = {n_plan}). At the top of the scale, 'very large': "
            f"{pct(very[questions[0]])} for potential against {pct(very[questions[1]])} for "
            "the plan."
        )
    )
    ax = plots.answer_bars(dist, "answer", "estimate", "question", "ci_low", "ci_high")
    chart(
        ax,
        f"{who} with a vision: {pct(very[questions[0]])} see a 'very large' potential, "
        f"{pct(very[questions[1]])} have digital in the plan to that extent",
        "Answer",
        "Respondents (%, with 95% Wilson interval)",
        f"{n_help} (could help), {n_plan} (in the plan); {scope} with a vision",
    )
    show(
        v.follow_up_table(dist),
        f"Answers to the two follow-up questions. {scope} with a vision",
        f"n = {n_help} (could help), {n_plan} (in the plan)",
    )

# %% [markdown]
# ### Unrealised potential
#
# The same respondents answered both questions, so each one's plan can be set
# against their own view of digital's potential. Cells below the outlined
# diagonal are respondents whose plan falls short of the potential they see.

# %%
if enough_for_follow_ups:
    gap = v.plan_against_potential(shown)
    below, above = gap.iloc[0], gap.iloc[2]
    tests = v.paired_tests(shown)
    mean_row, top_row = tests.iloc[0], tests.iloc[1]
    significant = v.direction(
        mean_row["ci_low"],
        mean_row["ci_high"],
        "clearly higher than",
        "clearly lower than",
        "not clearly different from",
    )
    cells = v.potential_plan_crosstab(shown)
    shortfall = v.largest_shortfall(cells)
    if shortfall is None:
        where = "Nobody's plan falls short of the potential they see."
    else:
        where = (
            f"The most common shortfall: '{survey.EXTENT.label_of(shortfall[v.COULD_HELP]).lower()}' "
            f"potential but digital in the plan only to a "
            f"'{survey.EXTENT.label_of(shortfall[v.IN_PLAN]).lower()}' extent "
            f"({int(shortfall['count'])} respondents, {pct(shortfall['percent'])})."
        )
    display(
        Markdown(
            f"{scope} with a vision who answered both: **{pct(below['estimate'])}** "
            f"(95% CI {interval(below)}%; n = {below['n']}) rate digital's place in the plan "
            f"below its potential; {pct(above['estimate'])} rate it above. {where}\n\n"
            f"On the 1-5 scale, potential averages {mean_row['potential']:.2f} and the plan "
            f"{mean_row['plan']:.2f}: potential is {significant} the plan "
            f"(paired difference {mean_row['difference']:+.2f}, 95% CI "
            f"{mean_row['ci_low']:+.2f} to {mean_row['ci_high']:+.2f}; {mean_row['test']}, "
            f"p = {mean_row['p_value']:.2g}; n = {mean_row['n']}). On the report's own measure, "
            f"'large or very large', the two differ by {top_row['difference']:+.0f} points "
            f"({pct(top_row['potential'])} against {pct(top_row['plan'])}; 95% CI "
            f"{top_row['ci_low']:+.0f} to {top_row['ci_high']:+.0f}; {top_row['test']}, "
            f"p = {top_row['p_value']:.2g}): a top-two-box share does not see a move from "
            "'very large' to 'large', which the paired comparison of each respondent's two "
            "answers does."
        )
    )
    cells = cells[(cells[v.COULD_HELP] != stats.ALL) & (cells[v.IN_PLAN] != stats.ALL)]
    cells = cells.assign(
        text=[f"{r['count']}\n({r['percent']:.0f}%)" for _, r in cells.iterrows()],
        potential=cells[v.COULD_HELP].map(survey.EXTENT.label_of),
        plan=cells[v.IN_PLAN].map(survey.EXTENT.label_of),
    )
    ax = plots.agreement_heatmap(cells, "plan", "potential", "count", annotation="text")
    chart(
        ax,
        f"{who} with a vision: {pct(below['estimate'])} plan to use digital less than they "
        "think it could help",
        "Digital is part of the plan to realise the vision",
        "Digital could help achieve the vision",
        f"{below['n']}; {scope} with a vision answering both",
    )
    show(
        gap.assign(interval=[interval(r) for _, r in gap.iterrows()], count=whole(gap["count"]))[
            ["comparison", "estimate", "interval", "count", "n"]
        ].rename(
            columns={
                "comparison": "Each respondent's plan against their view of the potential",
                "estimate": "Respondents (%)",
                "interval": "95% CI (%)",
                "count": "Respondents",
            }
        ),
        f"Plan against potential. {scope} with a vision answering both",
        int(below["n"]),
    )
    show(
        tests.assign(
            interval=[f"{r['ci_low']:+.2f} to {r['ci_high']:+.2f}" for _, r in tests.iterrows()],
            p=[f"{p:.2g}" for p in tests["p_value"]],
        )[["comparison", "potential", "plan", "difference", "interval", "test", "p", "n"]].rename(
            columns={
                "comparison": "Comparison",
                "potential": "Could help",
                "plan": "In the plan",
                "difference": "Difference",
                "interval": "95% CI of the difference",
                "test": "Test",
                "p": "p",
            }
        ),
        f"Paired comparisons of potential and plan. {scope} with a vision",
        int(mean_row["n"]),
        {"Could help": "{:.2f}", "In the plan": "{:.2f}", "Difference": "{:+.2f}"},
    )
    rows = stats.suppress(
        v.potential_plan_crosstab(shown, normalize="index"),
        min_base=min_base,
        columns=["count", "percent", "ci_low", "ci_high"],
    )
    rows = rows[(rows[v.COULD_HELP] != stats.ALL) & (rows["n"] > 0)]
    wide = rows.pivot(index=v.COULD_HELP, columns=v.IN_PLAN, values="percent")
    wide.columns = [
        f"In plan: {survey.EXTENT.label_of(c)} (%)" if c != stats.ALL else "All (%)"
        for c in wide.columns
    ]
    wide = wide.drop(columns="All (%)")
    bases = rows.groupby(v.COULD_HELP)["n"].first()
    wide.insert(0, "Could help", [survey.EXTENT.label_of(c) for c in wide.index])
    wide["n"] = bases.reindex(wide.index).to_numpy()
    wide["Not shown because"] = (
        rows.groupby(v.COULD_HELP)["suppression_reason"].first().reindex(wide.index).to_numpy()
    )
    show(
        wide,
        "How far digital is in the plan, within each level of potential (row percentages; "
        f"rows with a base below {min_base} not shown)",
        "per row in the n column",
        {"n": "{:d}"},
    )
    records.headline("Plan below digital's potential", f"{pct(below['estimate'])} (n={below['n']})")

# %% [markdown]
# ## How significant is each theme in the vision?
#
# Mean significance on a 1-5 scale ("not at all" to "very important"), with
# t intervals. Neighbouring themes whose intervals overlap are not clearly
# ranked by the data; the same respondents rate every theme, so overlap is
# only an informal guide, not a test.

# %%
themes = v.theme_significance(shown, weights=page_weights)
first_theme, last_theme = themes.iloc[0], themes.iloc[-1]
ties = themes[themes["overlaps_next"].fillna(False).astype(bool)]
pairs = [
    f"{themes.at[i, 'short'].lower()} and {themes.at[i + 1, 'short'].lower()}" for i in ties.index
]
weighted_word = " (weighted)" if page_weights is not None else ""
lead_is_clear = not themes.at[0, "overlaps_next"]
if lead_is_clear:
    theme_title = f"{first_theme['theme']} is rated the most significant theme"
else:
    theme_title = (
        f"{first_theme['theme']} has the highest mean significance, not clearly above "
        f"{themes.at[1, 'theme'].lower()}"
    )
display(
    Markdown(
        f"{scope}: **{first_theme['theme'].lower()}** has the highest mean significance "
        f"(mean {first_theme['mean']:.2f}{weighted_word}, 95% CI "
        f"{first_theme['ci_low']:.2f}–{first_theme['ci_high']:.2f}; n = {first_theme['n']}) "
        f"and **{last_theme['theme'].lower()}** the lowest ({last_theme['mean']:.2f}, "
        f"{last_theme['ci_low']:.2f}–{last_theme['ci_high']:.2f}). "
        + (
            f"{len(pairs)} of the {len(themes) - 1} neighbouring pairs in the ranking have "
            f"overlapping intervals ({'; '.join(pairs)}), so their order is not firm."
            if pairs
            else "No neighbouring intervals overlap."
        )
    )
)
ax = plots.scale_interval(
    themes.assign(row=[f"{r.theme} (n = {r.n})" for r in themes.itertuples()]),
    "mean",
    "row",
    "ci_low",
    "ci_high",
)
chart(
    ax,
    theme_title,
    f"Mean significance{weighted_word}, 1 = not at all, 5 = very important (95% t interval)",
    "",
    f"{themes['n'].min()}–{themes['n'].max()}; {scope}"
    if themes["n"].nunique() > 1
    else f"{themes['n'].iloc[0]}; {scope}",
)
show(
    themes.assign(
        interval=[f"{r.ci_low:.2f}–{r.ci_high:.2f}" for r in themes.itertuples()],
        overlaps=themes["overlaps_next"].map({True: "yes", False: "no"}).fillna(""),
    )[
        ["rank", "theme", "mean", "interval", "sd", "n"]
        + (["n_eff"] if page_weights is not None else [])
        + ["overlaps"]
    ].rename(
        columns={
            "rank": "Rank",
            "theme": "Theme",
            "mean": f"Mean significance{weighted_word}",
            "interval": "95% CI",
            "sd": "SD",
            "overlaps": "Interval overlaps the next",
            "n_eff": "Effective n (weighted)",
        }
    ),
    stats.clipped_caption(
        f"Significance of the nine themes in the council's vision. {scope}",
        themes,
        survey.SIGNIFICANCE,
    ),
    int(themes["n"].min()) if themes["n"].nunique() == 1 else "per theme in the n column",
    {f"Mean significance{weighted_word}": "{:.2f}", "SD": "{:.2f}"},
)

# %%
if ALL:
    reproduced = page.reproduces_the_report(
        data,
        ("has_vision", "vision_digital_could_help", "vision_digital_in_plan", "theme_significance"),
    )
    within = int(reproduced["within tolerance"].sum())
    display(
        Markdown(
            "## Reproduces the report\n\n"
            f"**{within} of the report's {len(reproduced)} figures** for this section are "
            "reproduced within their stated rounding from the data on this page."
        )
    )
    show(
        page.yes_no(reproduced),
        "Published LGC 2024 figures beside the same figures computed from the data",
        len(data.all),
        {"published": "{:g}", "computed from data": "{:.2f}", "difference": "{:+.2f}"},
    )

# %%
display(
    Markdown(
        "## Method\n\n"
        "- Shares: Wilson score intervals (small bases, shares near 0 or 100%). Means: t "
        "intervals. Potential against plan: paired t test with a Wilcoxon signed-rank check, "
        "and McNemar's test with Newcombe's interval for the 'large or very large' shares. "
        "A council type against the rest: Newcombe's interval and Fisher's exact test.\n"
        f"- Estimates on a base below {min_base} respondents are not shown "
        "(parameter `min_base`); the group and its n still are.\n"
        "- The two follow-up questions were asked only of respondents whose council has a "
        "vision; unanswered questions are left out of each base.\n"
        "- Weighting (parameter `weighting`): post-stratification to the number of councils "
        "of each type, with intervals on the Kish effective sample size."
    )
)
