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
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from councildigital.data import published, sources, survey
from councildigital.sections import formatting, plots, records
from councildigital.sections import then_and_now as tn
from IPython.display import Markdown, display

plots.set_theme()
survey.check_council_type(council_type)
ALL = council_type == survey.ALL
LEVEL = f"{tn.CONFIDENCE:.0%}"


def show(table: pd.DataFrame, caption: str) -> None:
    """A table for reviewers: no index, left-aligned, with its caption."""
    display(formatting.table_style(table, caption))


def title(text: str) -> str:
    return textwrap.fill(text, 72)


def pct(value: float) -> str:
    return f"{value:g}%"


def lower_first(text: str) -> str:
    """Mid-sentence wording: a lower-case first letter, acronyms (ICT, CIO) left alone."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


# Wordings, codes and quotes come from the data files: Markdown gets them escaped.
md = formatting.escape_markdown


figures = tn.load_figures()
crosswalk = published.load_crosswalk()
barriers = tn.barriers_2013(figures, crosswalk)
ranks = tn.barrier_ranks_2024(figures)
pairs = tn.barrier_pairs(barriers, ranks)
moves = tn.rank_moves(pairs)
strategy = tn.strategy_table(figures)
gaps = tn.perception_gaps(figures)

councils_2013 = tn.cite(figures, tn.THEN, "response", "council_respondents", "councils", "count")
suppliers_2013 = tn.cite(figures, tn.THEN, "response", "supplier_respondents", "suppliers", "count")
organisations_2013 = tn.cite(
    figures, tn.THEN, "response", "unique_organisations", "councils", "count"
)
respondents_2024 = tn.cite(figures, tn.NOW, "respondents", "valid_responses", survey.ALL, "count")
N13, S13, N24 = int(councils_2013.value), int(suppliers_2013.value), int(respondents_2024.value)
THEN_SOURCE = sources.document(tn.THEN).citation
NOW_SOURCE = sources.document(tn.NOW).citation
BOTH_SOURCES = f"{THEN_SOURCE}; {NOW_SOURCE}"

records.provenance(
    "Published figures of the 2013 and 2024 surveys (data/published/ldt2013.csv, lgc2024.csv) "
    "and the analyst's barrier crosswalk (data/published/barrier_crosswalk.csv); "
    "no respondent-level data",
    synthetic=False,
)
if ALL:
    scope = "This page covers **all respondents** of both surveys."
else:
    type_label = survey.label(survey.COUNCIL_TYPES, council_type)
    scope = (
        f"This page is for **{type_label}** respondents ({council_type}). The 2013 report gives no "
        f"answer by council type, so every 2013 figure on this page is for all {N13} council "
        "respondents. What the 2024 report gives for this type is listed in the next section; "
        "every other 2024 figure is for all respondents."
    )
display(
    Markdown(
        f"{scope}\n\nEvery figure is a published one, shown with the id of its row in "
        "`data/published/` (see the evidence section) so it can be traced to the report's words. "
        "The `data_path` parameter is not used here: respondent-level data exists for neither "
        "survey (the 2024 data elsewhere in this report is a synthetic reconstruction), so this "
        "section reads published aggregates only"
        + (" (the data file given was ignored)." if data_path else ".")
    )
)

# %%
if not ALL:
    own = tn.figures_for_type(figures, council_type)
    comparison = tn.type_comparison(figures, council_type)
    display(Markdown(f"## What the two surveys publish for {type_label} respondents"))
    if own.empty:
        display(Markdown(f"Neither report publishes any figure for {type_label} respondents."))
    else:
        listing = own.assign(
            survey=own["document"].map({tn.THEN: "2013", tn.NOW: "2024"}),
            what=own["question"] + ": " + own["item"] + " (" + own["group"] + ")",
            value=own["value"].map("{:g}".format) + " " + own["unit"],
        )[["survey", "id", "what", "measure", "value", "quote"]]
        listing.columns = ["Survey", "Figure id", "What", "Measure", "Value", "The report's words"]
        show(
            listing,
            f"Every published figure about {type_label} respondents in either survey "
            "(2013: who responded, never how they answered)",
        )
    if comparison.empty:
        display(
            Markdown(
                f"The 2024 report publishes **no answer** for {type_label} respondents separately, "
                "and the 2013 report none by council type at all: every figure below is for all "
                "respondents."
            )
        )
    else:
        shown = pd.DataFrame(
            {
                "2024 figure": comparison["label"],
                f"2024, {type_label} (%)": comparison["type_share"].map("{:g}".format)
                + comparison["type_verbal"].map({True: " (verbal)", False: ""}),
                "Figure id": comparison["type_share_id"],
                f"{LEVEL} interval": [
                    formatting.interval(lo, hi, 1, sep=" to ")
                    for lo, hi in zip(comparison["type_low"], comparison["type_high"], strict=True)
                ],
                "Base (approximate)": comparison["type_base"].map("{:.0f}".format)
                + " ("
                + comparison["type_base_from"]
                + ")",
                "2024, all (%)": comparison["all_share"].map("{:g}".format),
                "Figure id, all": comparison["all_share_id"],
                "2013 counterpart (all councils)": comparison["label_2013"],
                "2013 (%)": comparison["share_2013"].map("{:g}".format),
                "Figure id, 2013": comparison["share_2013_id"],
            }
        )
        show(
            shown,
            f"2024 figures for {type_label} respondents beside all 2024 respondents (n = {N24}) and "
            f"all 2013 council respondents (n = {N13}). The type's base is not published: it is "
            "approximated from its (rounded) share of respondents.",
        )
        row = comparison.iloc[0]
        display(
            Markdown(
                f"{row['type_share']:g}% of {type_label} respondents said their council "
                f"has a strategic vision, against {row['all_share']:g}% of all 2024 respondents; "
                f"with only about {row['type_base']:.0f} {type_label} respondents the {LEVEL} "
                f"interval runs from {row['type_low']:.0f}% to {row['type_high']:.0f}%. "
                f"The 2013 figure beside it ({row['share_2013']:g}% had a digital strategy) is for "
                "all council types and answers a different question (see 'Strategy and vision')."
            )
        )

# %% [markdown]
# ## How far the two surveys can be compared

# %%
ordered = int((ranks["rank_2024_low"] == ranks["rank_2024_high"]).sum())
half_13 = (barriers["high_2013"] - barriers["low_2013"]) / 2
half_suppliers = (gaps["suppliers_high"] - gaps["suppliers_low"]) / 2
conflicted = barriers[barriers["share_2013_also"] != ""]
display(
    Markdown(
        "\n".join(
            [
                f"- **Different samples.** 2013: {N13} council respondents from "
                f"{int(organisations_2013.value)} organisations ({councils_2013.id}, "
                f"{organisations_2013.id}) and {S13} supplier respondents ({suppliers_2013.id}). "
                f"2024: {N24} council respondents ({respondents_2024.id}). Both are self-selected, "
                "neither is weighted, and the mix of council types and job roles differs.",
                '- **Different questions and scales.** 2013 asked, for each barrier, "What do you '
                "think is holding back 'Digital' development in your organisation today?\" "
                f'(yes / no / don\'t know). 2024 asked "{survey.BARRIER.question}" on a '
                f"{survey.BARRIER.values[0]} to {survey.BARRIER.values[-1]} scale, and its report "
                "publishes only ranks and one mean score, no shares.",
                "- **Rank-based only.** The barrier comparison is of rank order, never of levels: "
                "a share saying 'yes' and a mean score are not on one scale. The 2024 report names "
                f"{len(survey.BARRIERS)} barriers and orders only its top {ordered}; its bottom "
                f"{len(ranks) - ordered} are a set. The strategy and vision figures are not comparable at all (different "
                "questions); they are shown side by side with the difference stated.",
                f"- **Uncertainty.** {LEVEL} Wilson intervals on the 2013 base of {N13}: half-widths "
                f"from {half_13.min():.1f} to {half_13.max():.1f} percentage points for the "
                f"barrier shares. On the {S13} suppliers they reach {half_suppliers.max():.1f} "
                "points. The transcriber's notes show that not everyone answered every row (the "
                "printed percentages are whole counts of somewhat fewer respondents), so "
                "intervals on the stated base are, if anything, a little narrow.",
                "- **2024 bases are not published per question.** All-respondent shares are "
                f"taken on the {N24} valid responses; bases of subgroups (those with a vision, a "
                "council type) are approximated from the report's rounded shares and marked so.",
                f"- **Figures stated twice.** {len(conflicted)} of the 2013 barrier figures are "
                "stated with a different value elsewhere in the report (the Highlights truncate "
                "rather than round). The table cell is used; the other statement is shown beside "
                "it under 'Also stated as'.",
            ]
        )
    )
)

# %% [markdown]
# ## Barriers then and now

# %%
top = barriers.iloc[0]
second = barriers.iloc[1]
first_2024 = ranks.loc[ranks["rank_2024_high"] == 1].iloc[0]
display(
    Markdown(
        f"In 2013 councils most often said **{md(lower_first(top['wording_2013']))}** held "
        "digital back "
        f"({pct(top['share_2013'])}, {top['share_2013_id']}; {LEVEL} interval "
        f"{formatting.interval(top['low_2013'], top['high_2013'], 1, sep=' to ')}), then "
        f"{md(lower_first(second['wording_2013']))} ({pct(second['share_2013'])}, "
        f"{second['share_2013_id']}). In 2024 **{lower_first(first_2024['label_2024'])}** ranked "
        f"first ({first_2024['rank_2024_from']}), with a mean score of "
        f"{first_2024['score_2024']:g} out of {survey.BARRIER.values[-1]} "
        f"({first_2024['score_2024_id']})."
    )
)
match_label = {
    "exact": "exact match in 2024",
    "close": "close match in 2024",
    "loose": "loose match in 2024",
    "none": "no 2024 counterpart",
}
chart = barriers.assign(matched=barriers["match"].map(match_label))
ax = plots.dot_interval(
    chart,
    x="share_2013",
    y="wording_2013",
    low="low_2013",
    high="high_2013",
    hue="matched",
    hue_order=[match_label[m] for m in published.MATCHES if m in set(barriers["match"])],
)
plots.finish(
    ax,
    title(
        f"In 2013, {lower_first(top['wording_2013'])} ({top['share_2013']:g}%) and "
        f"{lower_first(second['wording_2013'])} ({second['share_2013']:g}%) held councils back most"
    ),
    f"% of council respondents saying it holds digital back (dot), with {LEVEL} interval (line)",
    "",
    f"{THEN_SOURCE}, section 5.6 table (figure ids in the table below)",
    n=f"{N13} council respondents",
)
plt.show()

# %% [markdown]
# ### How the items were matched
#
# The two surveys list different barriers in different words. The matching below
# is **the analyst's judgement**, not either report's. It is kept in one file
# (`data/published/barrier_crosswalk.csv`) with a reason for every decision.

# %%
display(Markdown("\n".join(f"- **{m}**: {meaning}" for m, meaning in tn.MATCH_MEANINGS.items())))
labels_2024 = {code.code: code.label for code in survey.BARRIERS}
matched = pd.DataFrame(
    {
        "2013 item (the report's table wording)": barriers["wording_2013"],
        "2024 barrier": barriers["barrier_2024"].map(labels_2024).fillna("none"),
        "Match": barriers["match"],
        "Reason": barriers["reason"],
    }
)
show(
    matched,
    f"How each of the {len(barriers)} 2013 barrier items was matched to the "
    f"{len(survey.BARRIERS)} barriers the 2024 report names (analyst's judgement)",
)

# %%
table = pd.DataFrame(
    {
        "2013 item": pairs["wording_2013"],
        "2013 % yes": pairs["share_2013"].map("{:.1f}".format),
        "Figure id": pairs["share_2013_id"],
        f"{LEVEL} interval": [
            formatting.interval(lo, hi, 1, sep=" to ")
            for lo, hi in zip(pairs["low_2013"], pairs["high_2013"], strict=True)
        ],
        f"2013 rank of {len(barriers)}": pairs["rank_2013"],
        "2013 rank among the pairs": pairs["rank_2013_among_pairs"].map(
            lambda r: "" if pd.isna(r) else f"{r:.0f}"
        ),
        "2024 barrier": pairs["label_2024"],
        f"2024 rank of {len(survey.BARRIERS)}": pairs["rank_2024"],
        "Rank from": pairs["rank_2024_from"],
        "2024 mean score (0-5)": pairs["score_2024"].map(
            lambda s: "not published" if pd.isna(s) else f"{s:g}"
        ),
        "Score id": pairs["score_2024_id"].fillna(""),
        "Match": pairs["match"],
        "Also stated as": pairs["share_2013_also"],
    }
)
show(
    table,
    f"2013 barrier items with a 2024 counterpart, side by side. 2013: share of {N13} council "
    f"respondents saying 'yes'; 2024: rank among the {len(survey.BARRIERS)} named barriers "
    f"({N24} respondents). Ranks among the pairs use only the strongest match for each 2024 "
    "barrier, so both columns rank the same concepts.",
)

# %%
moves = moves.assign(
    short=moves["barrier_2024"].map({c.code: c.chart_label for c in survey.BARRIERS})
)
up = moves[moves["moved"] == "up"]
down = moves[moves["moved"] == "down"]
first_then = moves.loc[moves["rank_2013_among_pairs"] == 1].iloc[0]
ax = plots.rank_slope(
    moves,
    left="rank_2013_among_pairs",
    right="rank_2024_low",
    right_end="rank_2024_high",
    left_label="wording_2013",
    right_label="short",
    titles=("2013", "2024"),
)
plots.finish(
    ax,
    title(
        f"{first_2024['label_2024']} now ranks first; in 2013 "
        f"{lower_first(first_then['wording_2013'])} did"
    ),
    "Survey",
    "Rank (1 = the most cited)",
    BOTH_SOURCES,
    n=f"{N13} council respondents (2013), {N24} respondents (2024)",
)
plt.show()


def move_line(row: pd.Series) -> str:
    then = f"{row['rank_2013_among_pairs']:.0f}"
    return (
        f"- **{row['label_2024']}** (2013: '{md(row['wording_2013'])}', {row['match']} match): "
        f"rank {then} in 2013, {row['rank_2024']} in 2024 ({row['moved']})."
    )


display(
    Markdown(
        f"Ranked among the {len(moves)} matched concepts, {len(up)} moved up and {len(down)} "
        f"moved down between the surveys; {len(moves) - len(up) - len(down)} cannot be placed "
        f"because the 2024 report does not order its bottom {len(ranks) - ordered}:\n\n"
        + "\n".join(move_line(row) for _, row in moves.iterrows())
        + "\n\nThese are movements of rank order between two different samples answering "
        "differently worded questions on different scales: they say which concerns lead, not "
        "how much any concern has grown or shrunk."
    )
)

# %%
unmatched = barriers[barriers["match"] == "none"]
missing_2024 = tn.no_counterpart_2024(crosswalk)
display(
    Markdown(
        f"**2013 items with no 2024 counterpart** ({len(unmatched)} of {len(barriers)}): "
        + "; ".join(
            f"{md(row['wording_2013'])} ({row['share_2013']:g}%, {row['share_2013_id']})"
            for _, row in unmatched.iterrows()
        )
        + ". The 2024 report may have asked about some of these: it names only "
        f"{len(survey.BARRIERS)} barriers, and a respondent's comment mentions 'another barrier "
        "that was not among the options listed'.\n\n**2024 barriers with no 2013 counterpart**: "
        + (
            ", ".join(labels_2024[c] for c in missing_2024)
            if missing_2024
            else "none; every barrier the 2024 report names has at least one 2013 match"
        )
        + "."
    )
)
records.headline(
    "Top barrier, 2013 then 2024",
    f"{top['wording_2013']} ({top['share_2013']:g}%), then {first_2024['label_2024']}",
)

# %% [markdown]
# ## Strategy and vision

# %%
by_figure = strategy.set_index(["question", "item"])
has_strategy = by_figure.loc[("has_digital_strategy", "yes")]
intend = by_figure.loc[("has_digital_strategy", "no_but_intend")]
has_vision = by_figure.loc[("has_vision", "yes")]
in_plan_2013 = by_figure.loc[
    ("digital_strategy_statements", "key_part_of_management_strategy:agree_or_strongly_agree")
]
in_plan_2024 = by_figure.loc[("vision_digital_in_plan", "large_or_very_large")]
display(
    Markdown(
        f'**What was asked differs.** 2013 asked: *"{has_strategy["asked"]}"* '
        f"{pct(has_strategy['share'])} said yes ({has_strategy['share_id']}) and a further "
        f"{pct(intend['share'])} intended to create one ({intend['share_id']}). 2024 asked: "
        f'*"{has_vision["asked"]}"* {pct(has_vision["share"])} said yes '
        f"({has_vision['share_id']}). A strategic vision is a corporate plan for the kind of "
        "council it wants to be, not a plan for digital: the 2024 figure says nothing about "
        "how many councils now have a digital strategy, and the rise from "
        f"{has_strategy['share']:g}% to {has_vision['share']:g}% is **not** a measure of "
        "progress.\n\n"
        "The nearest like-for-like pair is about digital's place in the council's plans: in "
        f"2013 {pct(in_plan_2013['share'])} of councils agreed that digital developments form a "
        f"key part of their management strategy ({in_plan_2013['share_id']}); in 2024 "
        f"{pct(in_plan_2024['share'])} of those with a vision said digital is part of the plan "
        f"to realise it to a large or very large extent ({in_plan_2024['share_id']}), which is "
        f"about {has_vision['share'] * in_plan_2024['share'] / 100:.0f}% of all respondents "
        "(derived). Even this pair differs in scale (agree / disagree then, extent now) and in "
        "whom it is of."
    )
)
strategy_shown = pd.DataFrame(
    {
        "Survey": strategy["survey"],
        "Figure": strategy["label"],
        "Question asked": strategy["asked"],
        "Of whom": strategy["group"].map(
            {
                "councils": "council respondents",
                "all": "all respondents",
                "has_vision": "respondents whose council has a vision",
            }
        ),
        "%": strategy["share"].map("{:g}".format)
        + strategy["verbal"].map({True: " (verbal)", False: ""}),
        "Figure id": strategy["share_id"],
        f"{LEVEL} interval": [
            formatting.interval(lo, hi, 1, sep=" to ")
            for lo, hi in zip(strategy["low"], strategy["high"], strict=True)
        ],
        "Base": [
            f"about {b:.0f} ({src})" if approx else f"{b:.0f}"
            for b, approx, src in zip(
                strategy["base"], strategy["base_approximate"], strategy["base_from"], strict=True
            )
        ],
        "Also stated as": strategy["share_also"],
    }
)
show(
    strategy_shown,
    f"2013 digital strategy and 2024 strategic vision: different questions, side by side. "
    f"Bases: {N13} council respondents (2013); {N24} respondents, or about "
    f"{in_plan_2024['base']:.0f} with a vision (2024).",
)
ax = plots.dot_interval(
    strategy.assign(row=strategy["survey"] + ": " + strategy["label"]),
    x="share",
    y="row",
    low="low",
    high="high",
    hue="survey",
)
plots.finish(
    ax,
    title(
        f"{has_vision['share']:g}% of 2024 respondents report a strategic vision; "
        f"{has_strategy['share']:g}% of 2013 councils had a digital strategy: different questions"
    ),
    f"% of respondents (dot), with {LEVEL} interval (line)",
    "",
    BOTH_SOURCES,
    n=f"{N13} council respondents (2013); {N24} respondents, about "
    f"{in_plan_2024['base']:.0f} with a vision (2024)",
)
plt.show()

# %% [markdown]
# ## Councils and suppliers in 2013: the perception gap
#
# The 2013 survey also asked suppliers the same questions about councils, and its
# report compares the two. Suppliers' answers are about "front line organisations" in
# general, councils' about their own organisation. The charts show both, each with its
# Wilson interval; a gap is "clear" below when the two intervals do not overlap.

# %%
separated = gaps[gaps["separated"]]
widest = gaps.loc[gaps["gap"].abs().idxmax()]
display(
    Markdown(
        f"Of {len(gaps)} statements the report gives for both groups, suppliers gave the "
        f"higher share on {int((gaps['gap'] > 0).sum())} and the lower on "
        f"{int((gaps['gap'] < 0).sum())}. The gap is clear (intervals apart) on "
        f"{len(separated)}: {int((separated['gap'] > 0).sum())} with suppliers higher, "
        f"{int((separated['gap'] < 0).sum())} with councils higher. The widest is under "
        f"'{widest['topic'].lower()}': '{md(widest['wording'])}' ({widest['answer']}), "
        f"{widest['suppliers']:g}% of suppliers ({widest['suppliers_id']}) against "
        f"{widest['councils']:g}% of councils ({widest['councils_id']})."
    )
)
CHARTS = {
    "Barriers": ["Barriers"],
    "Who leads digital": ["Who leads digital"],
    "Success factors": ["Success factors"],
    "Benefits of digital, and readiness": ["Benefits of digital", "Readiness"],
}
for name, topics in CHARTS.items():
    part = gaps[gaps["topic"].isin(topics)]
    label = (
        part["wording"]
        + part["answer"].map(lambda a: "" if a == "yes" else f" ({a})")
        + part["pairing"].map(lambda p: " [suppliers asked differently]" if p else "")
    )
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "row": label,
                    "group": group.capitalize(),
                    "share": part[group],
                    "low": part[f"{group}_low"],
                    "high": part[f"{group}_high"],
                }
            )
            for group in (tn.COUNCILS, tn.SUPPLIERS)
        ]
    )
    top_gap = part.loc[part["gap"].abs().idxmax()]
    ax = plots.dot_interval(
        long, x="share", y="row", low="low", high="high", hue="group", connect=True
    )
    plots.finish(
        ax,
        title(
            f"{name}: suppliers higher on {int((part['gap'] > 0).sum())} of {len(part)}; widest "
            f"gap '{top_gap['wording']}': suppliers {top_gap['suppliers']:g}%, "
            f"councils {top_gap['councils']:g}%"
        ),
        f"% giving the answer (dot), with {LEVEL} interval (line)",
        "",
        f"{THEN_SOURCE}; councils from the report's tables, suppliers from its text "
        "(no supplier table is printed); figure ids in the table below",
        n=f"{N13} council respondents, {S13} supplier respondents",
    )
    plt.show()

# %%
gap_shown = pd.DataFrame(
    {
        "Topic": gaps["topic"],
        "Statement (council wording)": gaps["wording"],
        "Answer": gaps["answer"],
        "Councils %": gaps["councils"].map("{:g}".format),
        "Councils id": gaps["councils_id"],
        "Suppliers %": gaps["suppliers"].map("{:g}".format)
        + gaps["suppliers_verbal"].map({True: " (verbal)", False: ""}),
        "Suppliers id": gaps["suppliers_id"],
        "Gap (points)": gaps["gap"].map("{:+.1f}".format),
        "Clear gap": gaps["separated"].map({True: "yes", False: "no"}),
        "Councils' figure also stated as": gaps["councils_also"],
        "Suppliers' figure also stated as": gaps["suppliers_also"],
        "Pairing": gaps["pairing"],
    }
)
show(
    gap_shown,
    f"Councils ({N13}) and suppliers ({S13}) on the same statements in 2013; gap = suppliers "
    f"minus councils. Supplier intervals use the stated base of {S13}; the transcriber's notes show "
    "some items were answered by fewer.",
)
alone = tn.supplier_only(figures)
display(
    Markdown(
        "Not compared, because the report gives no council figure for the same answer: "
        + "; ".join(
            f"{md(row.question)}: {md(row.item)} ({row.value:g}%, {row.id})"
            for row in alone.itertuples()
        )
        + "."
    )
)

# %%
if ALL:
    checked = tn.reproduction(figures, [barriers, pairs, strategy, gaps])
    counts = checked["verdict"].value_counts()
    display(
        Markdown(
            "## Reproduces the published tables\n\n"
            f"Every 2013 figure on this page ({len(checked)}) is checked against the 2013 "
            "report's printed tables: either it is a table cell, or it is the sum of the cells "
            "it combines (e.g. 'agree' + 'strongly agree'). Supplier figures have no printed "
            "table. Verdicts: "
            + ", ".join(f"{verdict} {count}" for verdict, count in counts.items())
            + "."
        )
    )
    for column in ("shown", "published", "table_value"):
        checked[column] = checked[column].map(lambda v: "" if pd.isna(v) else f"{v:g}")
    show(
        checked.rename(
            columns={
                "id": "Figure id",
                "figure": "Figure (question: item, group)",
                "shown": "Shown",
                "published": "Published row",
                "cells": "Report table cell(s)",
                "table_value": "Table value",
                "verdict": "Verdict",
                "also": "Also stated as (not used)",
            }
        ),
        f"Every 2013 figure shown on this page against the report's tables (base {N13} "
        f"councils, {S13} suppliers)",
    )
