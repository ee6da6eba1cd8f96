"""The vision section: who has a strategic vision, how far digital could help it versus how far
it is in the plan, and how significant each theme is in it.

Wrappers over :mod:`councildigital.stats` fix the questions, answer codes and bases the
report uses; the page's results (:func:`vision_share`, :func:`weighting_comparison`,
:func:`follow_ups`, :func:`unrealised_potential`, :func:`theme_ranking`,
:func:`reproduction`) hold its finished tables, chart frames and sentences, so the
notebook holds narrative and calls, and the wording is tested here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.proportion import confint_proportions_2indep

from councildigital import stats
from councildigital.data import survey
from councildigital.data.microdata import column_name
from councildigital.sections.formatting import (
    MISSING,
    as_published,
    decimals,
    interval,
    intervals,
    percent,
    signed,
    yes_no,
)
from councildigital.sections.page import (
    Chart,
    SurveyPage,
    Table,
    council_type_weights,
    reproduces_the_report,
)

HAS_VISION = "has_vision"
COULD_HELP = "vision_could_help"
IN_PLAN = "vision_in_plan"
# The report's "large or very large" (top two boxes of the 1-5 extent scale).
LARGE = (4, 5)
EXTENT_QUESTIONS = {
    COULD_HELP: "Digital could help achieve the vision",
    IN_PLAN: "Digital is part of the plan to realise it",
}
HEADLINES = (
    ("Has a strategic vision", HAS_VISION, (1,), survey.YES_NO_DONT_KNOW),
    ("Digital could help the vision to a large or very large extent", COULD_HELP, LARGE, None),
    ("Digital is in the plan to a large or very large extent", IN_PLAN, LARGE, None),
)
# The vision chart's dot groups; their order fixes each one's colour on every page.
CHART_GROUPS = ("All respondents", "Other council types", "This page")
# The published figures of this section, for the reproduction table.
REPORT_QUESTIONS = (
    "has_vision",
    "vision_digital_could_help",
    "vision_digital_in_plan",
    "theme_significance",
)
GAP_CATEGORIES = (
    (-1, "Plan below potential"),
    (0, "Plan matches potential"),
    (1, "Plan above potential"),
)


def with_vision(frame: pd.DataFrame) -> pd.DataFrame:
    """Respondents whose council has a vision: the routing base of the two follow-ups."""
    return frame[frame[HAS_VISION] == 1]


def vision_by_type(frame: pd.DataFrame, *, min_base: int, level: float = 0.95) -> pd.DataFrame:
    """Share saying yes, for everyone and each council type, small bases blanked.

    "Don't know" stays in the base, as in the report (79% is 62 of all 78).
    Every council type is a row, even with no respondents, so the page can say
    which types it cannot show.
    """
    table = stats.shares_by(
        frame,
        HAS_VISION,
        "council_type",
        values=1,
        allowed=survey.YES_NO_DONT_KNOW,
        groups=survey.codes(survey.COUNCIL_TYPES),
        level=level,
    )
    table = stats.suppress(table, min_base=min_base)
    labels = {c.code: c.label for c in survey.COUNCIL_TYPES} | {survey.ALL: "All respondents"}
    table.insert(1, "label", table["council_type"].map(labels))
    return table.drop(columns=["item"])


def chart_groups(codes: pd.Series, council_type: str) -> list[str]:
    """Which of :data:`CHART_GROUPS` each row of :func:`vision_by_type` (by code) is in."""
    everyone, others, own = CHART_GROUPS
    return [
        everyone if code == survey.ALL else own if code == council_type else others
        for code in codes
    ]


def type_vs_rest(frame: pd.DataFrame, council_type: str, level: float = 0.95) -> dict:
    """Has-vision share of one council type against all other respondents.

    Against the rest, not against "all": the type is part of "all", so the two
    are not independent samples. Newcombe's hybrid score interval for the
    difference (statsmodels) and Fisher's exact test, because the bases are small.
    """
    answered = frame[frame[HAS_VISION].notna()]
    inside = answered["council_type"] == council_type
    yes = answered[HAS_VISION] == 1
    k1, n1 = int((yes & inside).sum()), int(inside.sum())
    k2, n2 = int((yes & ~inside).sum()), int((~inside).sum())
    if n1 == 0 or n2 == 0:
        raise ValueError(
            f"type_vs_rest: {council_type!r} has {n1} and the rest {n2} respondents; "
            "both need at least one"
        )
    low, high = confint_proportions_2indep(
        k1, n1, k2, n2, method="newcomb", compare="diff", alpha=1 - level
    )
    p_value = sps.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue
    return {
        "share": 100 * k1 / n1,
        "n": n1,
        "rest_share": 100 * k2 / n2,
        "rest_n": n2,
        "diff_pp": 100 * (k1 / n1 - k2 / n2),
        "ci_low": 100 * float(low),
        "ci_high": 100 * float(high),
        "p_value": float(p_value),
    }


def headline_shares(
    frame: pd.DataFrame, weights: pd.Series | None = None, level: float = 0.95
) -> pd.DataFrame:
    """The section's three headline shares, unweighted and (with ``weights``) weighted beside.

    Bases as in the report: everyone for the vision, those with a vision who
    answered for the two follow-ups.
    """
    rows = []
    for label, column, values, allowed in HEADLINES:
        base = frame if column == HAS_VISION else with_vision(frame)
        plain = stats.share(base[column], values, allowed=allowed, level=level).iloc[0]
        row = {
            "measure": label,
            "estimate": plain["estimate"],
            "ci_low": plain["ci_low"],
            "ci_high": plain["ci_high"],
            "n": int(plain["n"]),
        }
        if weights is not None:
            weighted = stats.share(
                base[column], values, weights=weights, allowed=allowed, level=level
            ).iloc[0]
            row |= {
                "weighted": weighted["estimate"],
                "weighted_ci_low": weighted["ci_low"],
                "weighted_ci_high": weighted["ci_high"],
                "n_eff": weighted["n_eff"],
                "difference_pp": weighted["estimate"] - plain["estimate"],
            }
        rows.append(row)
    return pd.DataFrame(rows)


def extent_distributions(frame: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Percent giving each answer 1-5 to the two follow-ups, among those with a vision.

    One row per question and answer, with Wilson intervals and the question's base.
    """
    base = with_vision(frame)
    parts = []
    for column, question in EXTENT_QUESTIONS.items():
        for value in survey.EXTENT.values:
            row = stats.share(base[column], value, allowed=survey.EXTENT, level=level)
            row.insert(0, "question", question)
            row.insert(1, "value", value)
            row.insert(2, "answer", survey.EXTENT.label_of(value))
            parts.append(row.drop(columns=["item"]))
    return pd.concat(parts, ignore_index=True)


def follow_up_table(dist: pd.DataFrame) -> pd.DataFrame:
    """:func:`extent_distributions` as readers see it: an answer per row, each question's
    share (one decimal, like the page's other shares) and 95% interval (whole percent).

    Formatted here because pivoting shares beside interval text leaves them as objects,
    which the page's table formatting would show as raw floats.
    """
    table = dist.assign(
        share=decimals(dist["estimate"], 1),
        interval=intervals(dist["ci_low"], dist["ci_high"]),
    ).pivot(index=["value", "answer"], columns="question", values=["share", "interval"])
    table.columns = [f"{q} ({'%' if what == 'share' else '95% CI'})" for what, q in table.columns]
    return table.reset_index().drop(columns="value").rename(columns={"answer": "Answer"})


def plan_against_potential(frame: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Share whose plan is below, equal to or above how far digital could help, per respondent.

    Among those with a vision who answered both. "Below" is unrealised potential
    as each respondent sees it; shares carry Wilson intervals.
    """
    base = with_vision(frame)
    both = base[[COULD_HELP, IN_PLAN]].dropna()
    if both.empty:
        raise ValueError("plan_against_potential: nobody answered both follow-up questions")
    sign = np.sign(both[IN_PLAN] - both[COULD_HELP]).rename("comparison")
    parts = []
    for code, label in GAP_CATEGORIES:
        row = stats.share(sign, code, allowed=(-1, 0, 1), level=level)
        row.insert(0, "comparison", label)
        parts.append(row.drop(columns=["item"]))
    return pd.concat(parts, ignore_index=True)


def paired_tests(frame: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Potential against plan as paired comparisons on the same respondents.

    The mean gap on the 1-5 scale (paired t interval, Wilcoxon check) and the
    report's top-two-box shares (McNemar, Newcombe interval), each on those
    with a vision who answered both.
    """
    base = with_vision(frame)[[COULD_HELP, IN_PLAN]].dropna()
    mean_gap = stats.paired_gap(base, COULD_HELP, IN_PLAN, level=level, allowed=survey.EXTENT)
    large = base.isin(LARGE).astype(float)
    top_two = stats.mcnemar_gap(large, COULD_HELP, IN_PLAN, level=level)
    return pd.DataFrame(
        [
            {
                "comparison": "Mean answer, 1-5 (potential minus plan)",
                "potential": mean_gap.at[0, "mean_a"],
                "plan": mean_gap.at[0, "mean_b"],
                "difference": mean_gap.at[0, "mean_diff"],
                "ci_low": mean_gap.at[0, "ci_low"],
                "ci_high": mean_gap.at[0, "ci_high"],
                "test": f"paired t (Wilcoxon signed-rank p = {mean_gap.at[0, 'wilcoxon_p']:.3g})",
                "p_value": mean_gap.at[0, "t_p"],
                "n": int(mean_gap.at[0, "n"]),
            },
            {
                "comparison": "Large or very large, % (potential minus plan, points)",
                "potential": top_two.at[0, "share_a"],
                "plan": top_two.at[0, "share_b"],
                "difference": top_two.at[0, "diff_pp"],
                "ci_low": top_two.at[0, "ci_low"],
                "ci_high": top_two.at[0, "ci_high"],
                "test": f"McNemar, {top_two.at[0, 'test']}",
                "p_value": top_two.at[0, "p_value"],
                "n": int(top_two.at[0, "n"]),
            },
        ]
    )


def potential_plan_crosstab(frame: pd.DataFrame, normalize: str = "all") -> pd.DataFrame:
    """Could-help (rows) by in-plan (columns), 1-5 each, among those with a vision.

    ``normalize="all"`` gives each cell as a percent of everyone answering both
    (one base, for the heatmap); ``"index"`` gives the plan answers within each
    level of potential (the report's "of those who saw a very large potential").
    """
    levels = list(survey.EXTENT.values)
    return stats.crosstab(
        with_vision(frame),
        COULD_HELP,
        IN_PLAN,
        normalize=normalize,
        row_order=levels,
        col_order=levels,
    )


def theme_significance(
    frame: pd.DataFrame, weights: pd.Series | None = None, level: float = 0.95
) -> pd.DataFrame:
    """Mean significance (1-5) of each theme with a t interval, ranked, overlaps flagged.

    Ranked with :func:`stats.rank_with_ties`, whose ``overlaps_next`` marks
    neighbours whose order the data do not clearly support.
    """
    columns = [column_name("sig", theme.code) for theme in survey.THEMES]
    means = stats.mean_ci(frame[columns], weights=weights, level=level, allowed=survey.SIGNIFICANCE)
    by_column = {column_name("sig", t.code): t for t in survey.THEMES}
    means.insert(1, "theme", [by_column[c].label for c in means["item"]])
    means.insert(2, "short", [by_column[c].chart_label for c in means["item"]])
    return stats.rank_with_ties(means, estimate="mean")


def direction(low: float, high: float, above: str, below: str, same: str) -> str:
    """Which word fits a difference whose interval is ``low`` to ``high``.

    Only an interval that excludes zero earns "higher"/"lower"; otherwise the
    data cannot tell the two apart, and the text must not claim an order.
    """
    if low > 0:
        return above
    if high < 0:
        return below
    return same


def largest_shortfall(crosstab: pd.DataFrame) -> pd.Series | None:
    """The most common cell with the plan below the potential, or None if there is none.

    Takes :func:`potential_plan_crosstab`; ties go to the higher potential, the
    end of the scale the report is about.
    """
    cells = crosstab[(crosstab[COULD_HELP] != stats.ALL) & (crosstab[IN_PLAN] != stats.ALL)].astype(
        {COULD_HELP: float, IN_PLAN: float}
    )
    below = cells[(cells[IN_PLAN] < cells[COULD_HELP]) & (cells["count"] > 0)]
    if below.empty:
        return None
    best = below.sort_values(["count", COULD_HELP], ascending=False, kind="stable").iloc[0]
    return best


# --------------------------------------------------------------------------- the page's results


@dataclass(frozen=True)
class VisionShare:
    """Who has a vision: the page's lead sentence, the chart by type and the table.

    ``headline`` is the shown group's share (everyone's on a too-small page, which
    ``page.headline`` replaces with why it is not shown).
    """

    sentence: str
    headline: str
    chart: Chart
    table: Table


@dataclass(frozen=True)
class WeightingComparison:
    """Weighted beside unweighted (the page for everyone): the sentence and two tables."""

    sentence: str
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class FollowUps:
    """The two follow-up questions; ``enough`` is False when too few have a vision to show them."""

    enough: bool
    sentence: str
    chart: Chart | None = None
    table: Table | None = None


@dataclass(frozen=True)
class UnrealisedPotential:
    """Each respondent's plan against the potential they see: sentence, heatmap, three tables.

    ``headline`` is the shown group's share below potential, for ``page.headline``.
    """

    sentence: str
    headline: str
    chart: Chart
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class ThemeRanking:
    """The nine themes by mean significance: sentence, chart and table."""

    sentence: str
    chart: Chart
    table: Table


@dataclass(frozen=True)
class Reproduction:
    """The report's figures for this section beside the same figures computed from the data."""

    sentence: str
    table: Table


def vision_share(page: SurveyPage) -> VisionShare:
    """Share with a vision, the page's type against the rest, and every type beside it.

    A type too small to show gets everyone's share, and says why; the types
    below the minimum base are named with their n.
    """
    by_type = vision_by_type(page.all, min_base=page.min_base)
    everyone = by_type.iloc[0]
    if page.is_all or page.too_small:
        shown = everyone
        sentence = (
            f"**All respondents: {percent(everyone['estimate'])}** say their council has a "
            f"strategic vision (95% CI {interval(everyone['ci_low'], everyone['ci_high'])}%; "
            f"n = {everyone['n']})."
        )
        title = f"All respondents: {percent(everyone['estimate'])} say their council has a vision"
        if page.too_small and not page.is_all:
            sentence += (
                f" The council type of this page ({page.label}) is not shown on its own: "
                f"n = {page.n}, below the minimum base of {page.min_base}."
            )
    else:
        shown = by_type.set_index("council_type").loc[page.council_type]
        versus = type_vs_rest(page.all, page.council_type)
        word = direction(
            versus["ci_low"],
            versus["ci_high"],
            "higher than",
            "lower than",
            "not clearly different from",
        )
        sentence = (
            f"**{page.scope}: {percent(shown['estimate'])}** say their council has a strategic "
            f"vision (95% CI {interval(shown['ci_low'], shown['ci_high'])}%; "
            f"n = {int(shown['n'])}), "
            f"{word} the {percent(versus['rest_share'])} of all other respondents "
            f"(n = {versus['rest_n']}): a difference of {signed(versus['diff_pp'])} points "
            f"(95% CI {interval(versus['ci_low'], versus['ci_high'], sep=' to ', sign=True)}; "
            f"Fisher's exact test p = {versus['p_value']:.2g}). "
            f"All respondents together: {percent(everyone['estimate'])} (n = {everyone['n']})."
        )
        title = (
            f"{page.scope}: {percent(shown['estimate'])} have a vision, {word} other respondents "
            f"({percent(versus['rest_share'])})"
        )
    suppressed = by_type[by_type["suppressed"]]
    if len(suppressed):
        sentence += (
            f"\n\nNot shown, because the base is below the minimum of {page.min_base}: "
            + "; ".join(f"{r.label} (n = {r.n})" for r in suppressed.itertuples())
            + "."
        )
    plotted = by_type.assign(
        row=[
            f"{r.label} (n = {r.n})" + (", not shown" if r.suppressed else "")
            for r in by_type.itertuples()
        ],
        group=chart_groups(by_type["council_type"], page.council_type),
    )
    table = pd.DataFrame(
        {
            "Council type": by_type["label"],
            "Has a vision (%)": decimals(by_type["estimate"], 1, missing=MISSING),
            "95% CI (%)": intervals(by_type["ci_low"], by_type["ci_high"]),
            "Yes (count)": decimals(by_type["count"], 0, missing=MISSING),
            "n": by_type["n"].astype(str),
            "Not shown because": by_type["suppression_reason"],
        }
    )
    return VisionShare(
        sentence=sentence,
        headline=f"{percent(shown['estimate'])} (n={int(shown['n'])})",
        chart=Chart(
            plotted,
            title,
            "Has a strategic vision (%, with 95% Wilson interval)",
            "",
            f"{everyone['n']} respondents, per type as labelled",
        ),
        table=Table(
            table,
            "Share of respondents whose council has a strategic vision, by council type",
            f"{everyone['n']} respondents; per type in the n column",
        ),
    )


def weighting_comparison(page: SurveyPage) -> WeightingComparison:
    """What post-stratifying to councils per type would change, and what it costs in precision.

    Shown on the page for everyone whatever the ``weighting`` parameter, so a
    reader sees how far the sample's mix of council types moves the headlines.
    """
    post = page.poststratification or council_type_weights(page.all)
    compared = headline_shares(page.all, post.weights)
    diag = post.diagnostics
    present = diag[diag["sample_n"] > 0]
    heavy = present.loc[present["weight"].idxmax()]
    light = present.loc[present["weight"].idxmin()]
    label_of = {c.code: c.label for c in survey.COUNCIL_TYPES}
    first = compared.iloc[0]
    unrepresented = (
        "Council types with no respondents cannot be represented by weighting: "
        + ", ".join(label_of[c] for c in post.unrepresented)
        + ". "
        if post.unrepresented
        else ""
    )
    weighted = (
        "Below, the theme means are **weighted**; the comparisons of potential and plan "
        "stay unweighted, as the paired tests take no weights"
        if page.weighted
        else "Every other figure on this page is **unweighted**"
    )
    sentence = (
        "### Weighted beside unweighted\n\n"
        "The respondents are not a miniature of the sector: "
        f"{survey.in_sentence(label_of[heavy['cell']])}s are {heavy['sample_pct']:.0f}% of respondents "
        f"but {heavy['target_pct']:.0f}% of councils (weight {heavy['weight']:.2f}), "
        f"{survey.in_sentence(label_of[light['cell']])}s {light['sample_pct']:.0f}% of respondents but "
        f"{light['target_pct']:.0f}% of councils (weight {light['weight']:.2f}). "
        "Weighting each respondent by their type's share of councils over its share of "
        f"respondents moves the share with a vision from {percent(first['estimate'])} to "
        f"{percent(first['weighted'])} ({signed(first['difference_pp'])} points). The weights "
        f"cost precision: Kish design effect {post.design_effect:.2f}, so the "
        f"{len(page.all)} respondents carry the information of about {post.n_eff:.0f}, "
        f"and the weighted intervals are wider. {unrepresented}{weighted}"
        f" (parameter `weighting = {page.weighting!r}`)."
    )
    shares = pd.DataFrame(
        {
            "Measure": compared["measure"],
            "Unweighted (%)": decimals(compared["estimate"], 1, missing=MISSING),
            "95% CI": intervals(compared["ci_low"], compared["ci_high"]),
            "Weighted (%)": decimals(compared["weighted"], 1, missing=MISSING),
            "95% CI (weighted)": intervals(
                compared["weighted_ci_low"], compared["weighted_ci_high"]
            ),
            "Weighted minus unweighted (points)": decimals(
                compared["difference_pp"], 1, missing=MISSING
            ),
            "n": compared["n"].astype(str),
            "Effective n (weighted)": decimals(compared["n_eff"], 1, missing=MISSING),
        }
    )
    weights = pd.DataFrame(
        {
            "Council type": diag["cell"].map(label_of),
            "Respondents": diag["sample_n"].astype(str),
            "Respondents (%)": decimals(diag["sample_pct"], 1, missing=MISSING),
            "Councils": decimals(diag["population_n"], 0, missing=MISSING),
            "Target (% of represented councils)": decimals(diag["target_pct"], 1, missing=MISSING),
            "Weight": decimals(diag["weight"], 2, missing=MISSING),
        }
    )
    return WeightingComparison(
        sentence,
        (
            Table(
                shares,
                "Headline shares, unweighted and post-stratified to councils per type "
                f"(design effect {post.design_effect:.2f})",
                "in the n column (everyone for the vision; those with a vision who answered, "
                "for the others)",
            ),
            Table(
                weights,
                "Post-stratification weights by council type (councils in Great Britain, "
                "reference data)",
                len(page.all),
            ),
        ),
    )


def follow_ups(page: SurveyPage) -> FollowUps:
    """How far digital could help the vision and how far it is in the plan, answer by answer.

    Asked only of those with a vision: a type with a vision base below the
    minimum gets a sentence saying so, and no chart or table.
    """
    vision_base = len(with_vision(page.shown))
    if vision_base < page.min_base:
        return FollowUps(
            enough=False,
            sentence=(
                f"{page.scope}: only {vision_base} have a vision, below the minimum base of "
                f"{page.min_base}: the follow-up questions are not shown for them. See the page "
                "for all respondents."
            ),
        )
    dist = extent_distributions(page.shown)
    helps, planned = EXTENT_QUESTIONS.values()
    n_help, n_plan = (int(dist.loc[dist["question"] == q, "n"].iloc[0]) for q in (helps, planned))
    top = dist[dist["value"].isin(LARGE)].groupby("question", sort=False)["estimate"].sum()
    very = dist[dist["value"] == max(LARGE)].set_index("question")["estimate"]
    return FollowUps(
        enough=True,
        sentence=(
            f"{page.scope} with a vision: **{percent(top[helps])}** say digital could help "
            f"achieve it to a large or very large extent (n = {n_help}), and "
            f"**{percent(top[planned])}** say it is part of the plan to that extent "
            f"(n = {n_plan}). At the top of the scale, 'very large': {percent(very[helps])} "
            f"for potential against {percent(very[planned])} for the plan."
        ),
        chart=Chart(
            dist,
            f"{page.who} with a vision: {percent(very[helps])} see a 'very large' potential, "
            f"{percent(very[planned])} have digital in the plan to that extent",
            "Answer",
            "Respondents (%, with 95% Wilson interval)",
            f"{n_help} (could help), {n_plan} (in the plan); {page.scope} with a vision",
        ),
        table=Table(
            follow_up_table(dist),
            f"Answers to the two follow-up questions. {page.scope} with a vision",
            f"n = {n_help} (could help), {n_plan} (in the plan)",
        ),
    )


def _shortfall_sentence(cells: pd.DataFrame) -> str:
    """Where plans fall furthest short most often, from :func:`potential_plan_crosstab`."""
    shortfall = largest_shortfall(cells)
    if shortfall is None:
        return "Nobody's plan falls short of the potential they see."
    return (
        f"The most common shortfall: '{survey.EXTENT.label_of(shortfall[COULD_HELP]).lower()}' "
        "potential but digital in the plan only to a "
        f"'{survey.EXTENT.label_of(shortfall[IN_PLAN]).lower()}' extent "
        f"({int(shortfall['count'])} respondents, {percent(shortfall['percent'])})."
    )


def _plan_within_potential(frame: pd.DataFrame, min_base: int) -> pd.DataFrame:
    """The in-plan answers within each level of potential (row percentages), small rows blanked."""
    rows = stats.suppress(
        potential_plan_crosstab(frame, normalize="index"),
        min_base=min_base,
        columns=["count", "percent", "ci_low", "ci_high"],
    )
    rows = rows[(rows[COULD_HELP] != stats.ALL) & (rows["n"] > 0)]
    wide = rows.pivot(index=COULD_HELP, columns=IN_PLAN, values="percent").drop(columns=stats.ALL)
    first = rows.groupby(COULD_HELP).first().reindex(wide.index)
    table = pd.DataFrame({"Could help": [survey.EXTENT.label_of(c) for c in wide.index]})
    for code in wide.columns:
        table[f"In plan: {survey.EXTENT.label_of(code)} (%)"] = decimals(
            wide[code], 1, missing=MISSING
        ).to_numpy()
    table["n"] = first["n"].astype(str).to_numpy()
    table["Not shown because"] = first["suppression_reason"].to_numpy()
    return table


def unrealised_potential(page: SurveyPage) -> UnrealisedPotential:
    """Each respondent's plan set against their own view of digital's potential.

    The share whose plan falls short, the most common shortfall, and paired
    tests: the mean gap on the 1-5 scale sees a move from 'very large' to
    'large' that the report's top-two-box shares do not.
    """
    shown = page.shown
    gap = plan_against_potential(shown)
    below, above = gap.iloc[0], gap.iloc[2]
    tests = paired_tests(shown)
    mean_row, top_row = tests.iloc[0], tests.iloc[1]
    significant = direction(
        mean_row["ci_low"],
        mean_row["ci_high"],
        "clearly higher than",
        "clearly lower than",
        "not clearly different from",
    )
    crosstab = potential_plan_crosstab(shown)
    sentence = (
        f"{page.scope} with a vision who answered both: **{percent(below['estimate'])}** "
        f"(95% CI {interval(below['ci_low'], below['ci_high'])}%; n = {below['n']}) rate "
        f"digital's place in the plan below its potential; {percent(above['estimate'])} rate "
        f"it above. {_shortfall_sentence(crosstab)}\n\n"
        f"On the 1-5 scale, potential averages {mean_row['potential']:.2f} and the plan "
        f"{mean_row['plan']:.2f}: potential is {significant} the plan (paired difference "
        f"{signed(mean_row['difference'], 2)}, 95% CI "
        f"{interval(mean_row['ci_low'], mean_row['ci_high'], 2, sep=' to ', sign=True)}; "
        f"{mean_row['test']}, p = {mean_row['p_value']:.2g}; n = {mean_row['n']}). On the "
        "report's own measure, 'large or very large', the two differ by "
        f"{signed(top_row['difference'])} points ({percent(top_row['potential'])} against "
        f"{percent(top_row['plan'])}; 95% CI "
        f"{interval(top_row['ci_low'], top_row['ci_high'], sep=' to ', sign=True)}; "
        f"{top_row['test']}, p = {top_row['p_value']:.2g}): a top-two-box share does not see "
        "a move from 'very large' to 'large', which the paired comparison of each "
        "respondent's two answers does."
    )
    cells = crosstab[(crosstab[COULD_HELP] != stats.ALL) & (crosstab[IN_PLAN] != stats.ALL)]
    cells = cells.assign(
        text=[f"{r['count']}\n({r['percent']:.0f}%)" for _, r in cells.iterrows()],
        potential=cells[COULD_HELP].map(survey.EXTENT.label_of),
        plan=cells[IN_PLAN].map(survey.EXTENT.label_of),
    )
    gap_table = pd.DataFrame(
        {
            "Each respondent's plan against their view of the potential": gap["comparison"],
            "Respondents (%)": decimals(gap["estimate"], 1, missing=MISSING),
            "95% CI (%)": intervals(gap["ci_low"], gap["ci_high"]),
            "Respondents": decimals(gap["count"], 0, missing=MISSING),
            "n": gap["n"].astype(str),
        }
    )
    tests_table = pd.DataFrame(
        {
            "Comparison": tests["comparison"],
            "Could help": decimals(tests["potential"], 2),
            "In the plan": decimals(tests["plan"], 2),
            "Difference": decimals(tests["difference"], 2, sign=True),
            "95% CI of the difference": intervals(
                tests["ci_low"], tests["ci_high"], 2, sep=" to ", sign=True
            ),
            "Test": tests["test"],
            "p": [f"{p:.2g}" for p in tests["p_value"]],
            "n": tests["n"].astype(str),
        }
    )
    return UnrealisedPotential(
        sentence=sentence,
        headline=f"{percent(below['estimate'])} (n={below['n']})",
        chart=Chart(
            cells,
            f"{page.who} with a vision: {percent(below['estimate'])} plan to use digital less "
            "than they think it could help",
            "Digital is part of the plan to realise the vision",
            "Digital could help achieve the vision",
            f"{below['n']}; {page.scope} with a vision answering both",
        ),
        tables=(
            Table(
                gap_table,
                f"Plan against potential. {page.scope} with a vision answering both",
                int(below["n"]),
            ),
            Table(
                tests_table,
                f"Paired comparisons of potential and plan. {page.scope} with a vision",
                int(mean_row["n"]),
            ),
            Table(
                _plan_within_potential(shown, page.min_base),
                "How far digital is in the plan, within each level of potential (row "
                f"percentages; rows with a base below {page.min_base} not shown)",
                "per row in the n column",
            ),
        ),
    )


def theme_ranking(page: SurveyPage) -> ThemeRanking:
    """The themes ranked by mean significance, saying which neighbours the data do not order.

    Weighted on the page for everyone when the page is weighted.
    """
    weights = page.estimate_weights
    themes = theme_significance(page.shown, weights=weights)
    first, last = themes.iloc[0], themes.iloc[-1]
    ties = themes[themes["overlaps_next"].fillna(False).astype(bool)]
    pairs = [
        f"{themes.at[i, 'short'].lower()} and {themes.at[i + 1, 'short'].lower()}"
        for i in ties.index
    ]
    weighted = " (weighted)" if weights is not None else ""
    if themes.at[0, "overlaps_next"]:
        title = (
            f"{first['theme']} has the highest mean significance, not clearly above "
            f"{themes.at[1, 'theme'].lower()}"
        )
    else:
        title = f"{first['theme']} is rated the most significant theme"
    order = (
        f"{len(pairs)} of the {len(themes) - 1} neighbouring pairs in the ranking have "
        f"overlapping intervals ({'; '.join(pairs)}), so their order is not firm."
        if pairs
        else "No neighbouring intervals overlap."
    )
    sentence = (
        f"{page.scope}: **{first['theme'].lower()}** has the highest mean significance "
        f"(mean {first['mean']:.2f}{weighted}, 95% CI "
        f"{interval(first['ci_low'], first['ci_high'], 2)}; n = {first['n']}) and "
        f"**{last['theme'].lower()}** the lowest ({last['mean']:.2f}, "
        f"{interval(last['ci_low'], last['ci_high'], 2)}). {order}"
    )
    one_base = themes["n"].nunique() == 1
    table = pd.DataFrame(
        {
            "Rank": themes["rank"].astype(str),
            "Theme": themes["theme"],
            f"Mean significance{weighted}": decimals(themes["mean"], 2),
            "95% CI": intervals(themes["ci_low"], themes["ci_high"], 2),
            "SD": decimals(themes["sd"], 2, missing=MISSING),
            "n": themes["n"].astype(str),
        }
    )
    if weights is not None:
        table["Effective n (weighted)"] = decimals(themes["n_eff"], 1, missing=MISSING)
    table["Interval overlaps the next"] = (
        themes["overlaps_next"].map({True: "yes", False: "no"}).fillna("")
    )
    return ThemeRanking(
        sentence=sentence,
        chart=Chart(
            themes.assign(row=[f"{r.theme} (n = {r.n})" for r in themes.itertuples()]),
            title,
            f"Mean significance{weighted}, 1 = not at all, 5 = very important (95% t interval)",
            "",
            f"{themes['n'].iloc[0]}; {page.scope}"
            if one_base
            else f"{themes['n'].min()}–{themes['n'].max()}; {page.scope}",
        ),
        table=Table(
            table,
            stats.clipped_caption(
                f"Significance of the nine themes in the council's vision. {page.scope}",
                themes,
                survey.SIGNIFICANCE,
            ),
            int(themes["n"].min()) if one_base else "per theme in the n column",
        ),
    )


def reproduction(page: SurveyPage) -> Reproduction:
    """How many of the report's figures for this section the page's data reproduce."""
    reproduced = reproduces_the_report(page, REPORT_QUESTIONS)
    within = int(reproduced["within tolerance"].sum())
    table = yes_no(reproduced).assign(
        published=[as_published(p) for p in reproduced["published"]],
        difference=decimals(reproduced["difference"], 2, sign=True, missing=MISSING),
    )
    table["computed from data"] = decimals(reproduced["computed from data"], 2, missing=MISSING)
    return Reproduction(
        sentence=(
            "## Reproduces the report\n\n"
            f"**{within} of the report's {len(reproduced)} figures** for this section are "
            "reproduced within their stated rounding from the data on this page."
        ),
        table=Table(
            table,
            "Published LGC 2024 figures beside the same figures computed from the data",
            len(page.all),
        ),
    )


def method(page: SurveyPage) -> str:
    """The page's closing note on methods, with its minimum base."""
    return (
        "## Method\n\n"
        "- Shares: Wilson score intervals (small bases, shares near 0 or 100%). Means: t "
        "intervals. Potential against plan: paired t test with a Wilcoxon signed-rank check, "
        "and McNemar's test with Newcombe's interval for the 'large or very large' shares. "
        "A council type against the rest: Newcombe's interval and Fisher's exact test.\n"
        f"- Estimates on a base below {page.min_base} respondents are not shown "
        "(parameter `min_base`); the group and its n still are.\n"
        "- The two follow-up questions were asked only of respondents whose council has a "
        "vision; unanswered questions are left out of each base.\n"
        "- Weighting (parameter `weighting`): post-stratification to the number of councils "
        "of each type, with intervals on the Kish effective sample size."
    )
