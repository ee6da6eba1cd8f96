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

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from councildigital import stats
from councildigital.data import published, sources, survey
from councildigital.sections import barriers, formatting, plots, records
from councildigital.sections.page import load_page, reproduces_the_report
from IPython.display import Markdown, display

plots.set_theme()

page = load_page(council_type, data_path, min_base, weighting)
display(Markdown(page.notice()))

# A council type below the minimum base gets the whole sample, labelled as context.
context = page.too_small
shown = page.all if context else page.frame
scope = barriers.scope(page.label, council_type, context)
weights = page.weights
weighted = weights is not None and council_type == survey.ALL
SOURCE = page.source()
SYNTHETIC = page.synthetic
DATA_LABEL = f" {page.microdata.label}." if SYNTHETIC else ""


def show(table: pd.DataFrame, caption: str) -> None:
    """A table for reviewers: no index, with its caption (as HTML, so reruns are identical)."""
    formatting.show_table(formatting.table_style(table, caption))


def interval(low: float, high: float, digits: int = 1, unit: str = "") -> str:
    return "" if pd.isna(low) else f"{low:.{digits}f}{unit} to {high:.{digits}f}{unit}"


# %% [markdown]
# ## How large each barrier is
#
# Mean score from 0 ("not at all") to 5 ("very large") with its 95% t interval.
# Where two neighbouring intervals overlap, the data do not settle their order.

# %%
means = barriers.barrier_means(shown, weights=weights)
top = means.iloc[0]
largest = barriers.largest_barriers(means, scope, weighted=weighted)
clipped = stats.clipped_note(means, survey.BARRIER)
unsettled = [
    f"{row.barrier.lower()} and {means.iloc[i + 1].barrier.lower()}"
    for i, row in means.iterrows()
    if row.overlaps_next is True
]
order = barriers.join_words([f"{r.barrier.lower()} ({r.mean:.1f})" for r in means.itertuples()])
display(
    Markdown(
        f"{largest.sentence} From largest to smallest: {order}. "
        + (
            f"The intervals of {barriers.join_words(unsettled)} overlap, so the data do not "
            "separate those pairs."
            if unsettled
            else "No two neighbouring intervals overlap."
        )
    )
)
ax = plots.dot_interval(means, x="mean", y="barrier", low="ci_low", high="ci_high")
ax.set_xlim(0, 5)
plots.finish(
    ax,
    largest.title,
    "Mean score, 0 (not at all) to 5 (very large), with 95% interval",
    "",
    SOURCE,
    n=barriers.format_base(means["n"]),
    synthetic=SYNTHETIC,
)
plt.show()
show(
    pd.DataFrame(
        {
            "Rank": means["rank"],
            "Barrier": means["barrier"],
            "Mean (0-5)": means["mean"].map("{:.2f}".format),
            "95% CI": [
                interval(lo, hi, 2) for lo, hi in zip(means.ci_low, means.ci_high, strict=True)
            ],
            "n": means["n"],
            "Overlaps next": means["overlaps_next"].map({True: "yes", False: "no"}).fillna(""),
        }
    ),
    f"Barrier scores, {scope}{', weighted' if weighted else ''}. "
    f"Base: n = {barriers.format_base(means['n'])}.{DATA_LABEL}"
    + (f" {clipped}" if clipped else ""),
)

# %% [markdown]
# ### The full distribution of scores
#
# A mean hides how answers spread. Each bar shows the percent of respondents
# giving each score: scores 0 to 2 extend left of the centre line and scores 3
# to 5 right, so a bar further right is a barrier more respondents rate as
# large. Unweighted counts.

# %%
spread = barriers.score_distribution(shown)
spread = spread.set_index("barrier").loc[means["barrier"]].reset_index()
large = barriers.top_box(spread)
smallest = means.iloc[-1].barrier
display(
    Markdown(
        f"{large[top.barrier]:.0f}% of {scope} score {top.barrier.lower()} 4 or 5, against "
        f"{large[smallest]:.0f}% for {smallest.lower()} "
        f"(n = {barriers.format_base(spread['n'])})."
    )
)
ax = plots.likert_bars(
    spread,
    y="barrier",
    level="score",
    percent="percent",
    levels=list(survey.BARRIER.values),
    labels=[
        f"{v}" if str(v) == label else f"{v} ({label.lower()})"
        for v, label in zip(survey.BARRIER.values, survey.BARRIER.labels, strict=True)
    ],
    midpoint=np.mean(survey.BARRIER.values),
)
plots.finish(
    ax,
    f"{large[top.barrier]:.0f}% rate {top.barrier.lower()} a large barrier (4 or 5), "
    f"{large[smallest]:.0f}% {smallest.lower()}",
    "Percent of respondents (scores 0-2 left of the line, 3-5 right)",
    "",
    SOURCE,
    n=barriers.format_base(spread["n"]),
    synthetic=SYNTHETIC,
)
plt.show()

# %% [markdown]
# ## Knowledge, ability and confidence
#
# "In your opinion, does your organisation have the knowledge, ability and
# confidence to design and implement digital solutions to successfully address
# its biggest challenges?" Share answering yes, with a 95% Wilson interval.

# %%
capability = barriers.capability_by_type(page.all, min_base=min_base, weights=weights)
own_group = survey.ALL if context else council_type
own = capability.set_index("council_type").loc[own_group]
if own.suppressed:
    display(Markdown(f"Not shown for {scope}: {own.suppression_reason}."))
    records.headline("Say they have the capability", f"not shown (n={int(own.n)})")
else:
    display(
        Markdown(
            f"Among {scope}{' (weighted)' if weighted else ''}, "
            f"**{barriers.format_share(own.estimate, own.ci_low, own.ci_high, int(own.n))}** "
            "say their council has the knowledge, ability and confidence to deliver digital "
            "solutions to its biggest challenges."
        )
    )
    records.headline("Say they have the capability", f"{own.estimate:.0f}% (n={int(own.n)})")
records.headline(largest.headline_label, largest.headline)

# %% [markdown]
# ### By council type
#
# The same question for each type of council. A type with fewer respondents
# than the minimum base is listed with its n but no estimate.

# %%
visible = capability[~capability["suppressed"]]
hidden = capability[capability["suppressed"]]
types_shown = visible[visible["council_type"] != survey.ALL]
lines = []
if len(types_shown) >= 2:
    low_row = types_shown.loc[types_shown["estimate"].idxmin()]
    high_row = types_shown.loc[types_shown["estimate"].idxmax()]
    overlap = types_shown["ci_low"].max() <= types_shown["ci_high"].min()
    lines.append(
        f"Shown types range from {low_row.estimate:.0f}% ({low_row.group}, "
        f"n = {int(low_row.n)}) to {high_row.estimate:.0f}% ({high_row.group}, "
        f"n = {int(high_row.n)}). "
        + (
            "All their intervals overlap: with these bases no type clearly differs."
            if overlap
            else "Not all their intervals overlap."
        )
    )
if not hidden.empty:
    lines.append(
        f"Not shown, because the base is below {min_base}: "
        + barriers.join_words([f"{r.group} (n = {int(r.n)})" for r in hidden.itertuples()])
        + "."
    )
display(Markdown("\n\n".join(lines)))
if len(types_shown) >= 2:
    ax = plots.dot_interval(visible, x="estimate", y="group", low="ci_low", high="ci_high")
    plots.finish(
        ax,
        f"Between {low_row.estimate:.0f}% and {high_row.estimate:.0f}% per council type say "
        "they have the capability",
        "Percent answering yes, with 95% Wilson interval",
        "",
        SOURCE,
        n=f"{int(visible['n'].iloc[0])} (types shown: base at least {min_base})",
        synthetic=SYNTHETIC,
    )
    plt.show()
show(
    pd.DataFrame(
        {
            "Council type": capability["group"],
            "Yes (%)": capability["estimate"].map(lambda v: "" if pd.isna(v) else f"{v:.0f}"),
            "95% CI": [
                interval(lo, hi, 0, "%")
                for lo, hi in zip(capability.ci_low, capability.ci_high, strict=True)
            ],
            "n": capability["n"],
            "Note": capability["suppression_reason"],
        }
    ),
    f"Say their council has the capability, by council type"
    f"{' (all respondents weighted)' if weighted else ''}. "
    f"Base: n = {int(capability['n'].iloc[0])}.{DATA_LABEL}",
)

# %% [markdown]
# ## Barriers and self-assessed capability
#
# Do respondents who say their council has the capability rate the barriers
# differently from those who say it does not? The difference in mean score
# (yes minus no) with Welch's 95% interval and test, a Mann-Whitney test as a
# check for ordinal scores, and Holm-adjusted p-values for testing five
# barriers at once. Unweighted. This is a cross-sectional survey: a difference
# is an association, not evidence that capability lowers barriers or the reverse.

# %%
compare = barriers.compare_by_capability(shown, min_base=min_base)
n_yes, n_no = int(compare["n_yes"].max()), int(compare["n_no"].max())
tested = compare[~compare["suppressed"]]
if tested.empty:
    display(
        Markdown(
            f"Among {scope}, {n_yes} say yes and {n_no} say no. A comparison needs at least "
            f"{min_base} respondents in each group, so none is shown."
        )
    )
else:
    clear = tested[tested["welch_p_holm"] < 0.05]
    largest = tested.loc[tested["difference"].abs().idxmax()]
    display(
        Markdown(
            f"Among {scope}, {n_yes} say yes and {n_no} say no. The largest difference is for "
            f"{largest.barrier.lower()}: {largest.difference:+.2f} points "
            f"(95% CI {interval(largest.ci_low, largest.ci_high, 2)}; Welch p = "
            f"{largest.welch_p:.2f}). "
            + (
                f"After Holm adjustment, {barriers.join_words(clear['barrier'].str.lower().tolist())} "
                "differ at the 5% level."
                if not clear.empty
                else "After Holm adjustment no barrier differs at the 5% level: with these bases "
                "the data show no clear link between self-assessed capability and barrier scores."
            )
        )
    )
    ax = plots.dot_interval(tested, x="difference", y="barrier", low="ci_low", high="ci_high")
    reach = float(np.nanmax(np.abs(tested[["ci_low", "ci_high"]].to_numpy()))) * 1.15
    ax.set_xlim(-reach, reach)
    ax.axvline(0, color="0.2", linewidth=1)
    plots.finish(
        ax,
        (
            "No barrier differs clearly by self-assessed capability"
            if clear.empty
            else f"{barriers.join_words(clear['barrier'].tolist())} differ by self-assessed capability"
        ),
        "Difference in mean score (has capability minus does not), with 95% Welch interval",
        "",
        SOURCE,
        n=f"{n_yes} yes, {n_no} no",
        synthetic=SYNTHETIC,
    )
    plt.show()
show(
    pd.DataFrame(
        {
            "Barrier": compare["barrier"],
            "Mean, yes": compare["mean_yes"].map(lambda v: "" if pd.isna(v) else f"{v:.2f}"),
            "n yes": compare["n_yes"],
            "Mean, no": compare["mean_no"].map(lambda v: "" if pd.isna(v) else f"{v:.2f}"),
            "n no": compare["n_no"],
            "Difference": compare["difference"].map(lambda v: "" if pd.isna(v) else f"{v:+.2f}"),
            "95% CI": [
                interval(lo, hi, 2) for lo, hi in zip(compare.ci_low, compare.ci_high, strict=True)
            ],
            "Welch p": compare["welch_p"].map(lambda v: "" if pd.isna(v) else f"{v:.3f}"),
            "Holm p": compare["welch_p_holm"].map(lambda v: "" if pd.isna(v) else f"{v:.3f}"),
            "Mann-Whitney p": compare["mann_whitney_p"].map(
                lambda v: "" if pd.isna(v) else f"{v:.3f}"
            ),
            "Note": compare["suppression_reason"],
        }
    ),
    f"Barrier scores by self-assessed capability, {scope}. "
    f"Base: n = {n_yes} yes, {n_no} no.{DATA_LABEL}",
)

# %% [markdown]
# ## Weighting
#
# The survey's respondents are not spread over council types as councils are.
# Post-stratification reweights each type to its share of councils; the Kish
# design effect says how much precision that costs.

# %%
if weighted:
    post = page.poststratification
    effect = barriers.weighting_effect(page.all, weights)
    effect_clipped = stats.clipped_note(effect, survey.BARRIER)
    mix = post.diagnostics.assign(gap=lambda d: d["sample_pct"] - d["population_pct"])
    mix = mix[mix["population_n"] > 0]
    over, under = mix.loc[mix["gap"].idxmax()], mix.loc[mix["gap"].idxmin()]
    share = effect[effect["unit"] == "percent"].iloc[0]
    scores = effect[effect["unit"] == "score"]
    moved = scores.loc[scores["difference"].abs().idxmax()]
    overlapping = (
        (effect["weighted_low"] <= effect["unweighted_high"])
        & (effect["unweighted_low"] <= effect["weighted_high"])
    ).all()
    label_of = {c.code: c.label.lower() for c in survey.COUNCIL_TYPES}
    display(
        Markdown(
            f"Design effect {post.design_effect:.2f}: the {len(page.all)} respondents carry the "
            f"precision of about {post.n_eff:.0f}, so weighted intervals are wider. "
            f"{label_of[over.cell].capitalize()}s are {over.sample_pct:.0f}% of respondents but "
            f"{over.population_pct:.0f}% of councils; {label_of[under.cell]}s "
            f"{under.sample_pct:.0f}% against {under.population_pct:.0f}%. Weighting moves the "
            f"share saying they have the capability from {share.unweighted:.0f}% to "
            f"{share.weighted:.0f}% ({share.weighted - share.unweighted:+.0f} points), and the "
            f"barrier means by at most {abs(moved.difference):.2f} on the 0-5 scale "
            f"({moved.figure.split(': ', 1)[1].lower()}), because under- and over-represented "
            "council types answer differently. "
            + (
                "Every weighted interval overlaps its unweighted one."
                if overlapping
                else "Not every weighted interval overlaps its unweighted one."
            )
            + (
                " Council types with councils but no respondents cannot be represented: "
                f"{barriers.join_words([label_of[c] for c in post.unrepresented])}."
                if post.unrepresented
                else ""
            )
        )
    )
    digits = effect["unit"].map({"score": 2, "percent": 0})
    show(
        pd.DataFrame(
            {
                "Figure": effect["figure"],
                "Unweighted": [
                    f"{v:.{d}f}" for v, d in zip(effect.unweighted, digits, strict=True)
                ],
                "95% CI (unweighted)": [
                    interval(lo, hi, d)
                    for lo, hi, d in zip(
                        effect.unweighted_low, effect.unweighted_high, digits, strict=True
                    )
                ],
                "Weighted": [f"{v:.{d}f}" for v, d in zip(effect.weighted, digits, strict=True)],
                "95% CI (weighted)": [
                    interval(lo, hi, d)
                    for lo, hi, d in zip(
                        effect.weighted_low, effect.weighted_high, digits, strict=True
                    )
                ],
                "Difference": [
                    f"{round(v, d) + 0:+.{d}f}"  # + 0 turns a rounded -0.00 into +0.00
                    for v, d in zip(effect.difference, digits, strict=True)
                ],
                "n": effect["n"],
                "Effective n": effect["n_eff"].map("{:.0f}".format),
            }
        ),
        f"Headline figures unweighted and post-stratified by council type. "
        f"Base: n = {len(page.all)}, design effect {post.design_effect:.2f}.{DATA_LABEL}"
        + (f" {effect_clipped}" if effect_clipped else ""),
    )
elif council_type == survey.ALL:
    display(
        Markdown(
            'Figures on this page are unweighted. Run it with `weighting = "council_type"` to '
            "see the headline figures post-stratified beside the unweighted ones."
        )
    )
else:
    display(
        Markdown(
            "Within one council type every respondent would carry the same weight, so weighting "
            "changes nothing here; the weighted comparison is on the all-respondents page."
        )
    )

# %% [markdown]
# ## The Future Councils barrier framework
#
# The DLUHC Future Councils report traces root-cause issues through six stages
# of a transformation and tags each stage with the common challenges and
# systemic barriers behind them. This is published text, not survey data: it
# is the same for every council type and is not synthetic.

# %%
framework = published.load_framework()
matrix = barriers.framework_matrix(framework)
framework_table = barriers.framework_sources(framework)
caveats = barriers.framework_caveats(framework)
CITATION = sources.document("future_councils").citation
linked = matrix.gt(0)
everywhere = [label for (_, label), col in linked.items() if col.all()]
never = [label for (_, label), col in linked.items() if not col.any()]
n_tags = int(matrix.to_numpy().sum())
md = formatting.escape_markdown  # the framework's labels and notes are text from a data file
display(
    Markdown(
        f"The report's text gives {n_tags} tags linking a stage to a challenge or barrier. "
        f"{md(barriers.join_words(everywhere))} are tagged at every one of the {len(matrix)} "
        f"stages; {len(never)} of the {matrix.shape[1]} challenges and barriers are never "
        f"tagged ({md(barriers.join_words([label.lower() for label in never]))}).\n\n"
        "**What the matrix cannot show.** The report also draws links in its graphics, and "
        "those did not survive text extraction, so the matrix holds only the tags the text "
        "states. The transcription notes say so:\n\n"
        + "\n".join(
            f"- {md(row.id)} ({md(row.label)}): {md(row.note)}" for row in caveats.itertuples()
        )
    )
)
ax = plots.tag_matrix(matrix)
plots.finish(
    ax,
    f"{barriers.join_words(everywhere)} are tagged at all {len(matrix)} stages of a transformation",
    "Common challenge or systemic barrier",
    "Lifecycle stage",
    f"{CITATION}; tags as transcribed with quotes in data/published/future_councils_framework.csv",
    n=f"{n_tags} tags",
)
plt.show()
show(
    framework_table.rename(
        columns={"id": "Id", "kind": "Kind", "label": "Name", "tags": "Tags", "quote": "Quote"}
    ),
    f"The framework's stages, challenges and barriers in the report's words. "
    f"Source: {CITATION}. Published text, not survey data; {n_tags} tags.",
)

# %% [markdown]
# ## Reproduces the report
#
# The published 2024 figures on barriers and capability beside the same
# figures computed from the data on this page.

# %%
if council_type == survey.ALL:
    fidelity = reproduces_the_report(page, ("barrier_score", "has_capability"))
    within = int(fidelity["within tolerance"].sum())
    display(
        Markdown(
            f"**{within} of the report's {len(fidelity)} figures on these questions are "
            "reproduced within their stated rounding.**"
        )
    )
    show(
        fidelity.assign(
            published=fidelity["published"].map("{:g}".format),
            difference=fidelity["difference"].map("{:+.2f}".format),
            **{
                "computed from data": fidelity["computed from data"].map("{:.2f}".format),
                "within tolerance": fidelity["within tolerance"].map({True: "yes", False: "no"}),
            },
        ),
        f"Published figures on barriers and capability and the same figures from the data. "
        f"Base: n = {len(page.all)}.{DATA_LABEL}",
    )
else:
    display(
        Markdown(
            "The report publishes these figures for all respondents only; the check is on the "
            "all-respondents page."
        )
    )
