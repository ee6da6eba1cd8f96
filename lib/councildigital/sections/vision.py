"""The vision section: who has a strategic vision, how far digital could help it versus how far
it is in the plan, and how significant each theme is in it.

Thin wrappers over :mod:`councildigital.stats` that fix the questions, answer codes and
bases the report uses, so the notebook holds narrative and the choices are tested here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.proportion import confint_proportions_2indep

from councildigital import stats
from councildigital.data import survey
from councildigital.data.microdata import column_name

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
        share=[f"{e:.1f}" for e in dist["estimate"]],
        interval=[
            f"{lo:.0f}–{hi:.0f}" for lo, hi in zip(dist["ci_low"], dist["ci_high"], strict=True)
        ],
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


def share_text(estimate: float, low: float, high: float, n: int) -> str:
    """A share as a reader wants it: estimate, 95% interval and base in one phrase."""
    return f"{estimate:.0f}% (95% CI {low:.0f}% to {high:.0f}%; n = {n})"


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
