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

# %%
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from councildigital import stats
from councildigital.data import published, survey
from councildigital.sections import formatting, page, plots, potential_vs_plan, records
from IPython.display import HTML, Markdown, display

plots.set_theme()
data = page.load_page(council_type, data_path, min_base, weighting)
ALL = council_type == survey.ALL
# A type too small to estimate gets the whole sample, for context, and says so everywhere.
shown = data.shown
scope = "all respondents" if ALL or data.too_small else f"{data.label.lower()}s"
SYNTHETIC = f" {plots.SYNTHETIC_LABEL}." if data.synthetic else ""
THEME_ORDER = [t.chart_label for t in survey.THEMES]
TYPE_ORDER = [t.chart_label for t in survey.DIGITAL_TYPES]


def styled(table: pd.DataFrame, caption: str, n: int | str, whole: tuple[str, ...] = ()):
    """A table for reviewers: no index, its caption with base and data label; counts as integers."""
    return (
        formatting.table_style(table, f"{caption}. Base: n = {n}.{SYNTHETIC}")
        .format(precision=2, na_rep="–")
        .format("{:.0f}", subset=list(whole), na_rep="–")
    )


def show(table: pd.DataFrame, caption: str, n: int | str, whole: tuple[str, ...] = ()) -> None:
    """Display :func:`styled` as HTML.

    A Styler's plain-text form holds a memory address, which would make the
    executed notebook differ from run to run.
    """
    formatting.show_table(styled(table, caption, n, whole))


def unexplained(table: pd.DataFrame, reasons: pd.Series) -> pd.DataFrame:
    """Add why a row is blank, only if one is: an empty column is noise."""
    return table.assign(**{"Not shown because": reasons}) if reasons.str.len().any() else table


def chart(ax, title: str, xlabel: str, ylabel: str, n: int | str) -> None:
    plots.finish(
        ax,
        textwrap.fill(title, 80),
        xlabel,
        ylabel,
        data.source(),
        n=n,
        synthetic=data.synthetic,
    )
    plt.show()


def bases(table: pd.DataFrame) -> str:
    """The base of a set of estimates: one number, or its range where item non-response varies it."""
    low, high = int(table["n"].min()), int(table["n"].max())
    return f"{high}" if low == high else f"{low} to {high} (varies with item non-response)"


def headline(label: str, value: str) -> None:
    """A figure for the site index, unless the page's own council type is too small to show."""
    if data.too_small:
        value = f"not shown: n = {data.n}, below the minimum of {min_base}"
    records.headline(label, value)


GAP_HEADLINE = "Largest gap between digital potential and plans"


def names(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def cells(rows: pd.DataFrame, short: bool = True) -> str:
    """'IoT for regeneration and ...': the theme x type cells of ``rows``, for titles and text."""
    kind, theme = ("type_short", "theme_short") if short else ("type_label", "theme_label")
    return names([f"{r[kind]} for {r[theme].lower()}" for _, r in rows.iterrows()])


display(Markdown(data.notice()))

# %% [markdown]
# ## Significance, potential and plans, theme by theme
#
# Mean answer per theme on the 1-5 scale, with its 95% t interval. The grey
# bar joins digital potential and current plans: its length is the gap the
# next section tests.

# %%
means = potential_vs_plan.theme_means(shown, min_base=min_base)
gaps = potential_vs_plan.theme_gaps(shown, min_base=min_base)
tested = gaps[~gaps["suppressed"]]
labels = potential_vs_plan.THEME_MEASURES
if tested.empty:
    display(
        Markdown(
            f"No theme has a base of at least {min_base} respondents here, so no means are shown."
        )
    )
else:
    clear = potential_vs_plan.clear_gaps(gaps)
    plotted = means[~means["suppressed"]]
    ax = plots.dumbbell(
        plotted,
        "mean",
        "theme_short",
        "measure_label",
        "ci_low",
        "ci_high",
        hue_order=list(labels.values()),
        connect=(labels["pot"], labels["plan"]),
    )
    chart(
        ax,
        clear.title(scope),
        "Mean answer (1 = not at all, 5 = very large / very important), with 95% CI",
        "Theme",
        bases(plotted),
    )
    display(Markdown(clear.sentence()))
    themes = [t.label for t in survey.THEMES]
    wide = pd.DataFrame({"Theme": themes})
    for measure, label in labels.items():
        rows = means[means["measure"] == measure].set_index("theme_label").loc[themes]
        wide[f"{label}, mean (95% CI)"] = formatting.with_interval(
            rows["mean"], rows["ci_low"], rows["ci_high"], decimals=2
        ).to_numpy()
        wide[f"{label}, n"] = rows["n"].to_numpy()
    caption = f"Mean answers per theme, {scope}, 1-5 scale"
    show(wide, stats.clipped_caption(caption, plotted, survey.EXTENT), bases(means))
    headline("Themes where digital potential is clearly above plans", clear.headline())

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
if tested.empty:
    display(Markdown("No gap is tested: every theme's base is below the minimum."))
    headline(GAP_HEADLINE, f"not shown: every theme's base is below {min_base}")
else:
    top = tested[tested["rank"] == 1]
    top_names = names(top["theme_label"].tolist())
    first = top.iloc[0]
    ax = plots.gap_dots(tested, "mean_diff", "theme_short", "ci_low", "ci_high")
    chart(
        ax,
        f"The gap between digital potential and plans is largest for {top_names} "
        f"({first['mean_diff']:+.2f} points)",
        "Potential minus plan (points on the 1-5 scale), with 95% CI",
        "Theme (largest gap first)",
        bases(tested),
    )
    shared = (
        f" Its interval overlaps the next theme's ({tested.iloc[1]['theme_label']}), so the "
        "order of the top themes is not clearly supported."
        if len(tested) > 1 and bool(first["overlaps_next"])
        else ""
    )
    smallest = tested[tested["mean_diff"] == tested["mean_diff"].min()]
    display(
        Markdown(
            f"**The gap is largest for {top_names}**: potential {first['mean_a']:.2f} against "
            f"plan {first['mean_b']:.2f}, a gap of {first['mean_diff']:+.2f} points (95% CI "
            f"{first['ci_low']:+.2f} to {first['ci_high']:+.2f}; n = {first['n']}; paired t "
            f"test Holm-adjusted p {formatting.p_values(top['t_p_holm']).iloc[0]}).{shared} "
            f"The smallest gap is for {names(smallest['theme_label'].tolist())} "
            f"({smallest['mean_diff'].iloc[0]:+.2f})."
        )
    )
    headline(
        GAP_HEADLINE,
        f"{top_names}: {first['mean_diff']:+.2f} points on a 1-5 scale (n = {first['n']})",
    )
    table = pd.DataFrame(
        {
            "Rank": gaps["rank"],
            "Theme": gaps["theme_label"],
            "Potential, mean": gaps["mean_a"],
            "Plan, mean": gaps["mean_b"],
            "Gap (95% CI)": formatting.with_interval(
                gaps["mean_diff"], gaps["ci_low"], gaps["ci_high"], decimals=2, sign=True
            ),
            "Paired t p": formatting.p_values(gaps["t_p"]),
            "Holm-adjusted p": formatting.p_values(gaps["t_p_holm"]),
            "Wilcoxon p": formatting.p_values(gaps["wilcoxon_p"]),
            "n": gaps["n"],
        }
    )
    table = unexplained(table, gaps["suppression_reason"])
    show(table, f"Potential minus plan per theme, {scope}, ranked", bases(gaps))

# %%
overall = potential_vs_plan.overall_means(shown, data.weights if ALL else None, min_base=min_base)
unweighted = overall[overall["weighting"] == "unweighted"].set_index("measure")
if ALL and weighting == "council_type":
    display(
        Markdown(
            "### Weighted and unweighted\n\n"
            "The sample's mix of council types is not the mix of councils in Great Britain. "
            "Weighted to that mix (post-stratification by council type), each respondent's "
            "mean over the nine themes averages as below; the interval of a weighted mean uses "
            "the effective sample size (n_eff). Everything else on this page, and every paired "
            "test, is unweighted, as the published report is."
        )
    )
    table = overall.pivot(index="measure_label", columns="weighting", values="mean").reindex(
        unweighted["measure_label"]
    )
    side = pd.DataFrame({"Measure (mean over the nine themes)": table.index})
    for scheme in ("unweighted", "weighted"):
        rows = overall[overall["weighting"] == scheme]
        side[f"{scheme.capitalize()} mean (95% CI)"] = formatting.with_interval(
            rows["mean"], rows["ci_low"], rows["ci_high"], decimals=2
        ).to_numpy()
    side["n"] = unweighted["n"].to_numpy()
    side["n_eff (weighted)"] = overall.loc[overall["weighting"] == "weighted", "n_eff"].to_numpy()
    show(side, "Mean over the nine themes, unweighted and weighted by council type", data.n)
    weighted = overall[overall["weighting"] == "weighted"].set_index("measure")
    inside = weighted["mean"].between(unweighted["ci_low"], unweighted["ci_high"])
    moved = weighted.loc["gap", "mean"] - unweighted.loc["gap", "mean"]
    display(
        Markdown(
            f"Weighting moves the mean gap by {moved:+.2f} points. "
            + (
                "Every weighted mean lies inside the unweighted 95% interval: the picture "
                "does not rest on the sample's mix of council types."
                if inside.all()
                else "Weighted means outside the unweighted 95% interval: "
                + names(weighted.loc[~inside, "measure_label"].tolist())
                + ". The sample's mix of council types matters for these figures."
            )
        )
    )
elif not unweighted["suppressed"].all():
    gap = unweighted.loc["gap"]
    display(
        Markdown(
            f"Averaged over the nine themes, potential exceeds plans by {gap['mean']:+.2f} "
            f"points per respondent (95% CI {gap['ci_low']:+.2f} to {gap['ci_high']:+.2f}; "
            f"n = {gap['n']}). All figures on this page are unweighted"
            + (
                "; run the 'all' page with `weighting = \"council_type\"` for weighted figures."
                if ALL
                else "."
            )
        )
    )

# %% [markdown]
# ## Types of digital, theme by theme
#
# For each theme and type of digital: the percent of respondents saying the
# type could help achieve the theme, and the percent whose council currently
# plans to use it. Each share is on the respondents who answered that item;
# a cell whose base is below the full base shows it. Both maps use the same
# colour scale.

# %%
shares = potential_vs_plan.type_shares(shown, min_base=min_base)
shares["text"] = potential_vs_plan.cell_text(shares["estimate"], shares["n"])
gap_cells = potential_vs_plan.type_gaps(shown, min_base=min_base)
done = gap_cells[~gap_cells["suppressed"]]
for measure, label in potential_vs_plan.TYPE_MEASURES.items():
    own = shares[shares["measure"] == measure]
    if own["suppressed"].all():
        display(Markdown(f"*{label}*: every cell's base is below {min_base}; not shown."))
        continue
    best = own[own["estimate"] == own["estimate"].max()]
    ax = plots.cell_heatmap(
        own,
        "type_short",
        "theme_short",
        "estimate",
        text="text",
        x_order=TYPE_ORDER,
        y_order=THEME_ORDER,
        vmin=0,
        vmax=100,
        colorbar=f"{label} (% of respondents)",
    )
    chart(
        ax,
        f"{label}: highest for {cells(best)} ({best['estimate'].iloc[0]:.0f}%)",
        "Type of digital",
        "Theme",
        bases(own),
    )

# %%
if done.empty:
    display(Markdown(f"No gap between could help and planned is tested: bases below {min_base}."))
else:
    gap_cells["text"] = potential_vs_plan.cell_text(gap_cells["diff_pp"], gap_cells["n"])
    positive = int((done["diff_pp"] > 0).sum())
    negative = int((done["diff_pp"] < 0).sum())
    limit = float(done["diff_pp"].abs().max())
    ax = plots.cell_heatmap(
        gap_cells,
        "type_short",
        "theme_short",
        "diff_pp",
        text="text",
        x_order=TYPE_ORDER,
        y_order=THEME_ORDER,
        cmap="vlag_r",
        vmin=-limit,
        vmax=limit,
        center=0,
        colorbar="Could help minus planned (percentage points)",
    )
    chart(
        ax,
        f"In {positive} of {len(done)} cells more say a type could help than plan it; "
        f"in {negative} fewer",
        "Type of digital",
        "Theme",
        bases(done) + " answering both items",
    )
    display(
        Markdown(
            f"Blue cells: more respondents say the type could help than say it is planned "
            f"(unrealised potential); red cells: more plan it than say it could help. "
            f"{negative} of the {len(done)} cells are negative and are shown as such, not "
            "set to zero."
        )
    )

# %% [markdown]
# ## The largest unrealised potential
#
# Each cell's gap is the share saying the type could help minus the share
# planning it, among respondents who answered both, with Newcombe's interval
# for paired proportions and McNemar's test (exact binomial below 25
# discordant answers). The two shares here are on that paired base, so they
# can differ slightly from the maps above where one item has more answers.

# %%
if not done.empty:
    raw = int((done["p_value"] < 0.05).sum())
    holm = int((done["p_holm"] < 0.05).sum())
    expected = 0.05 * len(done)
    display(
        Markdown(
            f"**Multiple comparisons.** This page tests {len(done)} theme x type cells. At "
            f"p < 0.05, about {expected:.1f} would come out 'significant' by chance even if no "
            f"gap were real. {raw} cells have p < 0.05 on their own; after Holm's adjustment "
            f"over all {len(done)} tests, {holm} remain. Read the unadjusted p-values as "
            "descriptive and the Holm-adjusted ones as the evidence."
        )
    )
    top = done.head(10)
    best = done[done["rank"] == 1]
    lead = best.iloc[0]
    ax = plots.gap_dots(
        top.assign(cell=top["type_short"] + " for " + top["theme_short"].str.lower()),
        "diff_pp",
        "cell",
        "ci_low",
        "ci_high",
    )
    chart(
        ax,
        f"Largest unrealised potential: {cells(best)}, {lead['diff_pp']:+.0f} points",
        "Could help minus planned (percentage points), with 95% Newcombe CI",
        "Theme x type (largest gap first)",
        bases(top) + " answering both items",
    )
    headline(
        "Largest unrealised potential (type of digital x theme)",
        f"{cells(best, short=False)}: {lead['diff_pp']:+.0f} points (n = {lead['n']})",
    )


def gap_table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Rank": rows["rank"],
            "Theme": rows["theme_label"],
            "Type of digital": rows["type_label"],
            "Could help %": rows["share_a"],
            "Planned %": rows["share_b"],
            "Gap, points (95% CI)": formatting.with_interval(
                rows["diff_pp"], rows["ci_low"], rows["ci_high"], decimals=0, sign=True
            ),
            "Help, not planned": rows["a_only"],
            "Planned, not help": rows["b_only"],
            "Test": rows["test"],
            "p": formatting.p_values(rows["p_value"]),
            "Holm-adjusted p": formatting.p_values(rows["p_holm"]),
            "n": rows["n"],
        }
    )


WHOLE = ("Could help %", "Planned %", "Help, not planned", "Planned, not help")
if not done.empty:
    show(
        gap_table(done.head(10)),
        f"The ten largest gaps between could help and planned, {scope}",
        bases(done.head(10)),
        WHOLE,
    )
    full = unexplained(gap_table(gap_cells), gap_cells["suppression_reason"])
    every = styled(full, f"All theme x type cells, {scope}, ranked", bases(gap_cells), WHOLE)
    display(
        HTML(
            f"<details><summary>All {len(gap_cells)} theme x type cells, ranked "
            f"(negative gaps last)</summary>{every.to_html()}</details>"
        )
    )

# %%
if ALL:
    contradictions = potential_vs_plan.published_inconsistencies(
        published.load_figures(), gap_cells
    )
    display(Markdown("### Where the published report contradicts itself"))
    if contradictions.empty:
        display(
            Markdown("The report prints no cell where more plan a type than say it could help.")
        )
    else:
        cells = [f"{r.type_label} for {r.theme_label.lower()}" for r in contradictions.itertuples()]
        display(
            Markdown(
                f"For {len(contradictions)} cells the report's own figures have more councils "
                f"planning a type of digital than saying it could help ({names(cells)}). That "
                "sits oddly with 'untapped potential', but it is what the report prints; the "
                "data reproduce it, so these gaps are negative here and are shown as such."
            )
        )
        show(
            pd.DataFrame(
                {
                    "Theme": contradictions["theme_label"],
                    "Type of digital": contradictions["type_label"],
                    "Report: could help %": contradictions["published_could_help"],
                    "Report: planned %": contradictions["published_planned"],
                    "Report: gap, points": contradictions["published_gap"],
                    "Data: gap, points (95% CI)": formatting.with_interval(
                        contradictions["diff_pp"],
                        contradictions["ci_low"],
                        contradictions["ci_high"],
                        decimals=0,
                        sign=True,
                    ),
                    "n": contradictions["n"],
                }
            ),
            "Cells where the published report has more planning a type than saying it could help",
            bases(contradictions),
            ("Report: could help %", "Report: planned %", "Report: gap, points"),
        )

# %%
if ALL:
    display(
        Markdown(
            "## Reproduces the report\n\nEvery published 2024 figure on these questions beside "
            "the value computed from the data, within the report's rounding."
        )
    )
    reproduced = page.reproduces_the_report(
        data,
        (
            "theme_potential",
            "theme_plan",
            "theme_gap",
            "type_could_help",
            "type_planned",
            "type_gap",
        ),
    )
    within = int(reproduced["within tolerance"].sum())
    display(
        Markdown(
            f"**{within} of {len(reproduced)} published figures are reproduced** within their "
            "stated rounding."
        )
    )
    shown_table = reproduced.assign(
        published=reproduced["published"].map("{:g}".format),
        **{"within tolerance": reproduced["within tolerance"].map({True: "yes", False: "NO"})},
    )
    missed = shown_table[~reproduced["within tolerance"]]
    caption = "Published figures and the same figures computed from the data"
    if len(missed):
        show(missed, f"{caption}: not reproduced", len(data.all))
    every = styled(shown_table, caption, len(data.all))
    display(
        HTML(
            f"<details><summary>All {len(reproduced)} published figures on these questions"
            f"</summary>{every.to_html()}</details>"
        )
    )
