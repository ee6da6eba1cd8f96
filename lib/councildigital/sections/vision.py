"""The vision section: who has a strategic vision, how far digital could help it versus how far
it is in the plan, and how significant each theme is in it.

Wrappers over :mod:`councildigital.stats` fix the questions, answer codes and bases the
report uses; the page's results (:func:`vision_share`, :func:`weighting_comparison`,
:func:`follow_ups`, :func:`unrealised_potential`, :func:`theme_ranking`,
:func:`reproduction`) hold its finished tables, chart frames and sentences, so the
notebook holds narrative and calls, and the wording is tested here.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.proportion import confint_proportions_2indep

from councildigital import disclosure, stats
from councildigital.data import survey
from councildigital.data.microdata import CLUSTER_COLUMN, column_name
from councildigital.reconstruct.claims import Quantity
from councildigital.sections import estimates, plots
from councildigital.sections.estimates import Estimate
from councildigital.sections.formatting import (
    MISSING,
    as_published,
    decimals,
    interval,
    intervals,
    p_value,
    percent,
    signed,
    yes_no,
)
from councildigital.sections.page import (
    Chart,
    MainPoint,
    SurveyPage,
    Table,
    council_type_weights,
    reproduces_the_report,
    withheld_types,
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
CHART_GROUPS = plots.GROUPS
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
# The section's answer columns, for the opening summary of what the report says about a type.
ANSWER_COLUMNS = (
    HAS_VISION,
    COULD_HELP,
    IN_PLAN,
    *(column_name("sig", theme.code) for theme in survey.THEMES),
)
ANSWERED = tuple(survey.EXTENT.values)  # any answer to a follow-up question
NO_TEST = (
    "no test for an illustrative difference: the published figures leave it free, so a test "
    "would only test the reconstruction's assumptions"
)


def with_vision(frame: pd.DataFrame) -> pd.DataFrame:
    """Respondents whose council has a vision: the routing base of the two follow-ups."""
    return frame[frame[HAS_VISION] == 1]


def vision_by_type(
    frame: pd.DataFrame,
    *,
    min_base: int,
    level: float = 0.95,
    weights: pd.Series | None = None,
) -> pd.DataFrame:
    """Share saying yes, for everyone and each council type, small bases blanked.

    "Don't know" stays in the base, as in the report (79% is 62 of all 78).
    Every council type is a row, even with no respondents, so the page can say
    which types it cannot show; a type hidden to protect a smaller one
    (:func:`page.withheld_types`) is blanked with its reason. ``weights``: each
    respondent's weight (the council reading's 1/m); counts and bases stay respondents.
    """
    table = stats.shares_by(
        frame,
        HAS_VISION,
        "council_type",
        values=1,
        allowed=survey.YES_NO_DONT_KNOW,
        groups=survey.codes(survey.COUNCIL_TYPES),
        clusters=frame.get(CLUSTER_COLUMN),
        level=level,
        weights=weights,
    )
    table = stats.suppress(table, min_base=min_base)
    table = disclosure.suppress_types(
        table, withheld_types(frame, min_base), ["estimate", "ci_low", "ci_high", "count"]
    )
    labels = {c.code: c.label for c in survey.COUNCIL_TYPES} | {survey.ALL: "All respondents"}
    table.insert(1, "label", table["council_type"].map(labels))
    return table.drop(columns=["item"])


def type_vs_rest(frame: pd.DataFrame, council_type: str, level: float = 0.95) -> dict:
    """Has-vision share of one council type against all other respondents.

    Against the rest, not against "all": the type is part of "all", so the two
    are not independent samples. Newcombe's hybrid score interval for the
    difference (statsmodels) and Fisher's exact test, because the bases are small.
    Where the data name each respondent's council, Newcombe's interval is built from
    the two groups' Wilson intervals on their design effective n (:func:`stats.share`
    with councils as clusters; a council is of one type, so the groups share none),
    which with one respondent per council is statsmodels' interval; Fisher's test
    still treats respondents as independent.
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
    councils = answered.get(CLUSTER_COLUMN)

    def group(rows: pd.Series) -> pd.Series:
        return stats.share(
            answered.loc[rows, HAS_VISION],
            1,
            allowed=survey.YES_NO_DONT_KNOW,
            level=level,
            clusters=councils,
        ).iloc[0]

    rest = group(~inside)
    if councils is None:
        low, high = confint_proportions_2indep(
            k1, n1, k2, n2, method="newcomb", compare="diff", alpha=1 - level
        )
        low, high = 100 * float(low), 100 * float(high)
    else:
        low, high = newcombe_from_intervals(group(inside), rest)
    p_value = sps.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue
    return {
        "share": 100 * k1 / n1,
        "n": n1,
        "rest_share": 100 * k2 / n2,
        "rest_ci_low": float(rest["ci_low"]),
        "rest_ci_high": float(rest["ci_high"]),
        "rest_n": n2,
        "diff_pp": 100 * (k1 / n1 - k2 / n2),
        "ci_low": low,
        "ci_high": high,
        "p_value": float(p_value),
    }


def newcombe_from_intervals(first: pd.Series, second: pd.Series) -> tuple[float, float]:
    """Newcombe's hybrid interval for ``first - second`` (points) from each share's own
    interval (``estimate``, ``ci_low``, ``ci_high`` in percent), the groups independent:
    the difference less or plus the square root of the two relevant half-widths squared.
    """
    d = first["estimate"] - second["estimate"]
    below = np.hypot(first["estimate"] - first["ci_low"], second["ci_high"] - second["estimate"])
    above = np.hypot(first["ci_high"] - first["estimate"], second["estimate"] - second["ci_low"])
    return float(d - below), float(d + above)


def headline_shares(
    frame: pd.DataFrame, weights: pd.Series | None = None, level: float = 0.95
) -> pd.DataFrame:
    """The section's three headline shares, unweighted and (with ``weights``) weighted beside.

    Bases as in the report: everyone for the vision, those with a vision who
    answered for the two follow-ups. A weighted share's interval is the Wilson
    interval on the design's effective n from its Taylor-linearised variance
    (:func:`stats.design_share_ci`, the weights taken as fixed, councils as
    clusters where the data name them); Kish's effective-n interval is kept beside
    it, for comparison only (``kish_ci_low``, ``kish_ci_high``).
    """
    rows = []
    for label, column, values, allowed in HEADLINES:
        base = frame if column == HAS_VISION else with_vision(frame)
        plain = stats.share(
            base[column], values, allowed=allowed, level=level, clusters=base.get(CLUSTER_COLUMN)
        ).iloc[0]
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
            answered = base[column].dropna()
            _, low, high, design = stats.design_share_ci(
                answered.isin(values).astype(float),
                weights=weights.reindex(answered.index),
                clusters=base[CLUSTER_COLUMN].reindex(answered.index)
                if CLUSTER_COLUMN in base
                else None,
                level=level,
            )
            row |= {
                "weighted": weighted["estimate"],
                "weighted_ci_low": low,
                "weighted_ci_high": high,
                "kish_ci_low": weighted["ci_low"],
                "kish_ci_high": weighted["ci_high"],
                "n_eff": design.n_eff,
                "kish_n_eff": weighted["n_eff"],
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
            row = stats.share(
                base[column],
                value,
                allowed=survey.EXTENT,
                level=level,
                clusters=base.get(CLUSTER_COLUMN),
            )
            row.insert(0, "question", question)
            row.insert(1, "value", value)
            row.insert(2, "answer", survey.EXTENT.label_of(value))
            parts.append(row.drop(columns=["item"]))
    return pd.concat(parts, ignore_index=True)


NOT_ANSWERED = "not answered"
FOLLOW_UPS_CAPTION = "Answers to the two follow-up questions"


def follow_up_patterns(frame: pd.DataFrame) -> pd.DataFrame:
    """Respondents with a vision per council type (rows) and pair of follow-up answers
    (columns: "could help / in the plan", either one possibly not answered), among those answering
    at least one; only pairs someone gave. Every page's follow-up answers, and the
    potential-by-plan table, are sums of these counts."""
    base = with_vision(frame)
    base = base[base[COULD_HELP].notna() | base[IN_PLAN].notna()]

    def answer(column: str) -> pd.Series:
        return base[column].map(lambda x: NOT_ANSWERED if pd.isna(x) else str(int(x)))

    pairs = (answer(COULD_HELP) + " / " + answer(IN_PLAN)).rename("answers")
    counts = pd.crosstab(base["council_type"], pairs)
    order = [c for c in survey.codes(survey.COUNCIL_TYPES) if c in counts.index]
    return counts.reindex(order)


def follow_up_base(frame: pd.DataFrame) -> int:
    """The smaller of the two follow-up questions' bases (those with a vision who answered)."""
    base = with_vision(frame)
    return int(min(base[COULD_HELP].notna().sum(), base[IN_PLAN].notna().sum()))


def withheld_follow_ups(frame: pd.DataFrame, min_base: int) -> disclosure.HiddenRows:
    """The council types whose follow-up answers no page of ``frame`` shows, and why.

    A type not shown on its own (:func:`page.withheld_types`) shows everyone instead;
    a type whose follow-up base is below ``min_base`` is hidden (primary). The page for
    everyone shows the follow-up answers of all, and each shown type's page its own, so
    a hidden type's answers are everyone's less the shown types': while any hidden
    type's answer counts can be recovered so (checked exactly, by integer programming,
    with each type's base taken as known), the shown type with the smallest base is
    hidden too (secondary).
    """
    counts = follow_up_patterns(frame)
    withheld = withheld_types(frame, min_base)
    hidden = {}
    for code in counts.index:
        own = frame[frame["council_type"] == code]
        if code in withheld:
            hidden[code] = (withheld.rule(code), withheld.reason(code))
        elif (k := follow_up_base(own)) < min_base:
            hidden[code] = (disclosure.PRIMARY, f"base n = {k} is below the minimum of {min_base}")
    return disclosure.withheld_rows(
        counts,
        min_base,
        hidden=hidden,
        why="as with the answers of all respondents it would give back those of the types hidden",
    )


def follow_up_table(dist: pd.DataFrame) -> pd.DataFrame:
    """:func:`extent_distributions` as readers see it: an answer per row and, per question,
    its share (one decimal, like the page's other shares) and 95% interval (whole percent),
    with an Evidence column where ``dist`` has the rows' evidence cells (column ``cell``).

    Rows keep their order in ``dist`` (the same answers for each question).
    """
    parts = dict(tuple(dist.groupby("question", sort=False)))
    table = pd.DataFrame({"Answer": next(iter(parts.values()))["answer"].to_numpy()})
    for question, part in parts.items():
        table[f"{question} (%)"] = decimals(part["estimate"], 1).to_numpy()
        table[f"{question} (95% CI)"] = intervals(part["ci_low"], part["ci_high"])
        if "cell" in part:
            table[f"{question}: evidence"] = part["cell"].to_numpy()
    return table


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
        row = stats.share(
            sign, code, allowed=(-1, 0, 1), level=level, clusters=base.get(CLUSTER_COLUMN)
        )
        row.insert(0, "comparison", label)
        parts.append(row.drop(columns=["item"]))
    return pd.concat(parts, ignore_index=True)


def paired_tests(frame: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Potential against plan as paired comparisons on the same respondents.

    The mean gap on the 1-5 scale (paired t interval, Wilcoxon check) and the
    report's top-two-box shares (McNemar, Newcombe interval), each on those
    with a vision who answered both.
    """
    councils = frame.get(CLUSTER_COLUMN)
    base = with_vision(frame)[[COULD_HELP, IN_PLAN]].dropna()
    mean_gap = stats.paired_gap(
        base, COULD_HELP, IN_PLAN, level=level, allowed=survey.EXTENT, clusters=councils
    )
    large = base.isin(LARGE).astype(float)
    top_two = stats.mcnemar_gap(large, COULD_HELP, IN_PLAN, level=level, clusters=councils)
    clustered = ", councils as clusters" if top_two.at[0, "test"] == stats.CLUSTERED_TEST else ""
    return pd.DataFrame(
        [
            {
                "comparison": "Mean answer, 1-5 (potential minus plan)",
                "potential": mean_gap.at[0, "mean_a"],
                "plan": mean_gap.at[0, "mean_b"],
                "difference": mean_gap.at[0, "mean_diff"],
                "ci_low": mean_gap.at[0, "ci_low"],
                "ci_high": mean_gap.at[0, "ci_high"],
                "test": f"paired t{clustered} (Wilcoxon signed-rank p = "
                f"{mean_gap.at[0, 'wilcoxon_p']:.3g})",
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
                "test": top_two.at[0, "test"]
                if top_two.at[0, "test"] == stats.CLUSTERED_TEST
                else f"McNemar, {top_two.at[0, 'test']}",
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
        clusters=frame.get(CLUSTER_COLUMN),
    )


def theme_significance(
    frame: pd.DataFrame, weights: pd.Series | None = None, level: float = 0.95
) -> pd.DataFrame:
    """Mean significance (1-5) of each theme with a t interval, ranked, overlaps flagged.

    Ranked with :func:`stats.rank_with_ties`, whose ``overlaps_next`` marks
    neighbours whose order the data do not clearly support.
    """
    columns = [column_name("sig", theme.code) for theme in survey.THEMES]
    means = stats.mean_ci(
        frame[columns],
        weights=weights,
        level=level,
        allowed=survey.SIGNIFICANCE,
        clusters=frame.get(CLUSTER_COLUMN),
    )
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


# ------------------------------------------------------------- what each shown number estimates


def _asked(page: SurveyPage, stat: str, column: str, answers: tuple = (), given: tuple = ()):
    """A follow-up's statistic among the shown group's respondents with a vision.

    For everyone, the group is those with a vision, as the report states its
    figures ("62% of those with a vision"); for a type, its respondents with one.
    """
    if page.group == survey.ALL:
        return Quantity(stat, column, answers, "has_vision", given=given)
    return Quantity(stat, column, answers, page.group, given=((HAS_VISION, (1,)), *given))


def _pair(stat: str, answers: tuple = ()) -> tuple[Quantity, Quantity]:
    """Potential and plan as the two parts of a statistic comparing each respondent's answers."""
    return Quantity(stat, COULD_HELP, answers), Quantity(stat, IN_PLAN, answers)


def _others(council_type: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The condition 'every council type but this one'."""
    return (
        ("council_type", tuple(c for c in survey.codes(survey.COUNCIL_TYPES) if c != council_type)),
    )


def _with(e: Estimate) -> str:
    """'; <phrase>' to close a number's parentheses: its figure, its bounds or 'illustrative'."""
    phrase = e.phrase()
    return f"; {phrase}" if phrase else ""


def _aside(e: Estimate) -> str:
    """' (<phrase>)' after a number given without parentheses, or nothing."""
    phrase = e.phrase()
    return f" ({phrase})" if phrase else ""


def _two(first: str, a: Estimate, joiner: str, second: str, b: Estimate) -> str:
    """Two numbers in a sentence, each with its phrase (one phrase for both when they agree)."""
    if a.phrase() == b.phrase():
        return f"{first}{joiner}{second}{_aside(a)}"
    return f"{first}{_aside(a)}{joiner}{second}{_aside(b)}"


# --------------------------------------------------------------------------- the page's results


@dataclass(frozen=True)
class VisionShare:
    """Who has a vision: the page's lead sentence, the chart by type and the tables.

    ``headline`` is the shown group's share (everyone's on a too-small page, which
    ``page.headline`` replaces with why it is not shown), ``evidence`` its estimate.
    """

    sentence: str
    headline: str
    evidence: Estimate
    chart: Chart
    tables: tuple[Table, ...]


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
    large: tuple[Estimate, ...] = ()  # could help, in the plan: large or very large
    # The follow-up columns, with their rule and reason, when this type's answers are hidden.
    hidden: Mapping[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class UnrealisedPotential:
    """Each respondent's plan against the potential they see: sentence, heatmap, three tables.

    ``headline`` is the shown group's share below potential, for ``page.headline``,
    and ``evidence`` its estimate.
    """

    sentence: str
    headline: str
    evidence: Estimate
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


def _vision_estimates(page: SurveyPage, by_type: pd.DataFrame) -> dict[str, Estimate]:
    """Everyone's and each shown council type's share with a vision, by code."""
    return {
        r.council_type: page.estimate(
            Quantity("share", HAS_VISION, (1,), r.council_type),
            estimates.statistic_name(HAS_VISION),
            r.estimate,
            ci_low=r.ci_low,
            ci_high=r.ci_high,
            n=r.n,
            weighted=page.per_council,
        )
        for r in by_type.itertuples()
        if not r.suppressed
    }


def _against_the_rest(page: SurveyPage, own: Estimate) -> tuple[dict, Estimate, Estimate, Table]:
    """The page's type against all other respondents: the test, the rest's share, the
    difference (as estimates) and the table that shows them."""
    versus = type_vs_rest(page.all, page.council_type)
    rest_q = Quantity("share", HAS_VISION, (1,), given=_others(page.council_type))
    rest = page.estimate(
        rest_q,
        f"{estimates.statistic_name(HAS_VISION)}, all council types but {page.label}",
        versus["rest_share"],
        ci_low=versus["rest_ci_low"],
        ci_high=versus["rest_ci_high"],
        n=versus["rest_n"],
        group=survey.ALL,
    )
    difference = page.estimate(
        Quantity("difference", parts=(own.quantity, rest_q)),
        f"Has a strategic vision: {page.label} minus all other respondents (points)",
        versus["diff_pp"],
        ci_low=versus["ci_low"],
        ci_high=versus["ci_high"],
        n=versus["n"] + versus["rest_n"],
        unit="points",
        group=page.group,
    )
    shown = (own, rest, difference)
    table = pd.DataFrame(
        {
            "Respondents": [page.label, "All other respondents", "Difference (points)"],
            "Has a vision (%)": [
                f"{versus['share']:.1f}",
                f"{versus['rest_share']:.1f}",
                signed(versus["diff_pp"], 1),
            ],
            "95% CI": [
                interval(own.ci_low, own.ci_high),
                interval(versus["rest_ci_low"], versus["rest_ci_high"]),
                interval(versus["ci_low"], versus["ci_high"], sep=" to ", sign=True),
            ],
            "n": [str(e.n) for e in shown],
            "Fisher's exact p": [
                MISSING,
                MISSING,
                p_value(versus["p_value"]) if difference.is_finding else MISSING,
            ],
            "Evidence": [e.cell for e in shown],
        }
    )
    caption = f"{page.label} respondents against all other respondents: has a strategic vision"
    if not difference.is_finding:
        caption += f" ({NO_TEST})"
    return versus, rest, difference, Table(table, caption, versus["n"] + versus["rest_n"], shown)


def vision_share(page: SurveyPage) -> VisionShare:
    """Share with a vision, the page's type against the rest, and every type beside it.

    A type too small to show gets everyone's share, and says why; the types
    below the minimum base are named with their n. The type's order against the
    rest ('higher than') and its test are given only where the published figures
    pin the difference down.
    """
    by_type = vision_by_type(page.all, min_base=page.min_base, weights=page.council_weights)
    shares = _vision_estimates(page, by_type)
    everyone = by_type.iloc[0]
    tables = []
    if page.is_all or page.too_small:
        shown = everyone
        evidence = shares[survey.ALL]
        sentence = (
            f"**All respondents: {percent(everyone['estimate'])}** say their council has a "
            f"strategic vision (95% CI {interval(everyone['ci_low'], everyone['ci_high'])}%; "
            f"n = {everyone['n']}{_with(evidence)})."
        )
        title = f"All respondents: {percent(everyone['estimate'])} say their council has a vision"
        if page.too_small and not page.is_all:
            sentence += (
                f" The council type of this page ({page.label}) is not shown on its own: "
                f"{page.too_small_reason()}."
            )
    else:
        shown = by_type.set_index("council_type").loc[page.council_type]
        evidence = shares[page.council_type]
        versus, rest, difference, comparison = _against_the_rest(page, evidence)
        tables.append(comparison)
        opening = (
            f"**{page.scope}: {percent(shown['estimate'])}** say their council has a strategic "
            f"vision (95% CI {interval(shown['ci_low'], shown['ci_high'])}%; "
            f"n = {int(shown['n'])}{_with(evidence)})"
        )
        gap = (
            f"{signed(versus['diff_pp'])} points "
            f"(95% CI {interval(versus['ci_low'], versus['ci_high'], sep=' to ', sign=True)}"
        )
        if difference.is_finding:
            word = direction(
                versus["ci_low"],
                versus["ci_high"],
                "higher than",
                "lower than",
                "not clearly different from",
            )
            sentence = (
                f"{opening}, {word} the {percent(versus['rest_share'])} of all other "
                f"respondents (n = {versus['rest_n']}{_with(rest)}): a difference of {gap}; "
                f"Fisher's exact test p = {versus['p_value']:.2g}{_with(difference)})."
            )
            title = (
                f"{page.scope}: {percent(shown['estimate'])} have a vision, {word} other "
                f"respondents ({percent(versus['rest_share'])})"
            )
        else:
            sentence = (
                f"{opening}; all other respondents: {percent(versus['rest_share'])} "
                f"(n = {versus['rest_n']}{_with(rest)}), a difference of {gap}"
                f"{_with(difference)})."
            )
            title = (
                f"{page.scope}: {percent(shown['estimate'])} have a vision; other respondents "
                f"{percent(versus['rest_share'])}"
            )
        sentence += (
            f" All respondents together: {percent(everyone['estimate'])} (n = {everyone['n']})."
        )
    suppressed = by_type[by_type["suppressed"]]
    small = suppressed[suppressed["n"] < page.min_base]
    if len(small):
        sentence += (
            f"\n\nNot shown, because the base is below the minimum of {page.min_base}: "
            + "; ".join(f"{r.label} (n = {r.n})" for r in small.itertuples())
            + "."
        )
    protecting = suppressed[suppressed["n"] >= page.min_base]
    if len(protecting):
        sentence += (
            " Not shown either, because with the figures for all respondents they would give "
            "those back (secondary suppression): "
            + "; ".join(f"{r.label} (n = {r.n})" for r in protecting.itertuples())
            + "."
        )
    cells = [shares[c].cell if c in shares else "" for c in by_type["council_type"]]
    plotted = by_type.assign(
        row=[
            f"{r.label} (n = {r.n})" + (", not shown" if r.suppressed else "")
            for r in by_type.itertuples()
        ],
        group=plots.chart_groups(by_type["council_type"], page.group, survey.ALL),
        evidence=[shares[c].evidence if c in shares else None for c in by_type["council_type"]],
    )
    table = pd.DataFrame(
        {
            "Council type": by_type["label"],
            "Has a vision (%)": decimals(by_type["estimate"], 1, missing=MISSING),
            "95% CI (%)": intervals(by_type["ci_low"], by_type["ci_high"]),
            "Yes (count)": decimals(by_type["count"], 0, missing=MISSING),
            "n": by_type["n"].astype(str),
            "Not shown because": by_type["suppression_reason"],
            "Evidence": cells,
        }
    )
    shown_shares = tuple(shares.values())
    return VisionShare(
        sentence=sentence,
        headline=f"{percent(shown['estimate'])} (n={int(shown['n'])})",
        evidence=evidence,
        chart=Chart(
            plotted,
            title,
            "Has a strategic vision (%, with 95% Wilson interval)",
            "",
            f"{everyone['n']} respondents, per type as labelled",
            estimates=shown_shares,
        ),
        tables=(
            Table(
                table,
                "Share of respondents whose council has a strategic vision, by council type",
                f"{everyone['n']} respondents; per type in the n column",
                shown_shares,
            ),
            *tables,
        ),
    )


def _weighting_base(column: str, values: tuple) -> tuple[Quantity, Quantity]:
    """A headline share as the report states it, and as weighting combines the types' own
    values (everyone, narrowed to those with a vision for a follow-up)."""
    if column == HAS_VISION:
        q = Quantity("share", column, values)
        return q, q
    return (
        Quantity("share", column, values, "has_vision"),
        Quantity("share", column, values, given=((HAS_VISION, (1,)),)),
    )


def _weighted_estimates(
    page: SurveyPage, compared: pd.DataFrame, post
) -> list[tuple[Estimate, ...]]:
    """Per headline share: the unweighted, the weighted and their difference, as estimates.

    The weighted share is the council types' own shares combined in proportion to
    their weight, whatever the page's ``weighting``: the comparison always weights.
    """
    weighted_page = (
        page
        if page.weighted
        else replace(page, weighting="council_type", weights=post.weights, poststratification=post)
    )
    found = []
    for (label, column, values, _), row in zip(HEADLINES, compared.itertuples(), strict=True):
        stated, combined = _weighting_base(column, values)
        plain = page.estimate(
            stated,
            f"{label} (%)",
            row.estimate,
            ci_low=row.ci_low,
            ci_high=row.ci_high,
            n=row.n,
            group=page.group,
        )
        weighted = weighted_page.estimate(
            combined,
            f"{label} (%, weighted)",
            row.weighted,
            ci_low=row.weighted_ci_low,
            ci_high=row.weighted_ci_high,
            n=row.n,
            weighted=True,
        )
        difference = page.estimate(
            Quantity("difference", parts=(weighted.quantity, stated)),
            f"{label}: weighted minus unweighted (points)",
            row.difference_pp,
            n=row.n,
            unit="points",
        )
        found.append((plain, weighted, difference))
    return found


# What a share weighted to councils per type estimates, and how its interval is computed.
ESTIMAND = (
    "Weighted, a share is a claim about **councils, not respondents**: the share of Great "
    "Britain's councils, each type counted by its number of councils, if each type's "
    "respondents speak for its councils. Its 95% interval comes from the Taylor-linearised "
    "variance of the weighted share (the weights taken as fixed, so it does not credit the "
    "weighting with the precision it gains from the known council counts); the interval on "
    "Kish's effective n is shown beside it for comparison only."
)


def weighting_comparison(page: SurveyPage) -> WeightingComparison:
    """What post-stratifying to councils per type would change, and what it costs in precision.

    Shown on the page for everyone whatever the ``weighting`` parameter, so a
    reader sees how far the sample's mix of council types moves the headlines.
    """
    post = page.poststratification or council_type_weights(page.all)
    compared = headline_shares(page.all, post.weights)
    found = _weighted_estimates(page, compared, post)
    diag = post.diagnostics
    present = diag[diag["sample_n"] > 0]
    heavy = present.loc[present["weight"].idxmax()]
    light = present.loc[present["weight"].idxmin()]
    label_of = {c.code: c.label for c in survey.COUNCIL_TYPES}
    first = compared.iloc[0]
    plain, weighted_share, moved = found[0]
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
        f"respondents moves the share with a vision from {percent(first['estimate'])}"
        f"{_aside(plain)} to {percent(first['weighted'])}{_aside(weighted_share)}: "
        f"{signed(first['difference_pp'])} points{_aside(moved)}. The weights "
        f"cost precision: Kish design effect {post.design_effect:.2f}, so the "
        f"{len(page.all)} respondents carry the information of about {post.n_eff:.0f}, "
        f"and the weighted intervals are wider. {ESTIMAND} {unrepresented}{weighted}"
        f" (parameter `weighting = {page.weighting!r}`)."
    )
    shares = pd.DataFrame(
        {
            "Measure": compared["measure"],
            "Unweighted (%)": decimals(compared["estimate"], 1, missing=MISSING),
            "95% CI": intervals(compared["ci_low"], compared["ci_high"]),
            "Evidence": [row[0].cell for row in found],
            "Weighted (%)": decimals(compared["weighted"], 1, missing=MISSING),
            "95% CI (weighted, Taylor)": intervals(
                compared["weighted_ci_low"], compared["weighted_ci_high"]
            ),
            "95% CI (weighted, Kish n: comparison)": intervals(
                compared["kish_ci_low"], compared["kish_ci_high"]
            ),
            "Evidence (weighted)": [row[1].cell for row in found],
            "Weighted minus unweighted (points)": decimals(
                compared["difference_pp"], 1, missing=MISSING
            ),
            "Evidence (difference)": [row[2].cell for row in found],
            "n": compared["n"].astype(str),
            "Effective n (weighted, Taylor)": decimals(compared["n_eff"], 1, missing=MISSING),
            "Effective n (Kish)": decimals(compared["kish_n_eff"], 1, missing=MISSING),
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
                tuple(e for row in found for e in row),
            ),
            Table(
                weights,
                "Post-stratification weights by council type (councils in Great Britain, "
                "reference data)",
                len(page.all),
            ),
        ),
    )


def _follow_up_estimates(page: SurveyPage, rows: pd.DataFrame) -> list[Estimate]:
    """Each row of answer shares (``value`` a tuple of answers) among those with a vision."""
    column_of = {question: column for column, question in EXTENT_QUESTIONS.items()}
    return [
        page.estimate(
            _asked(page, "share", column_of[r.question], r.value),
            f"{r.question}: {r.answer.lower()} (% of those with a vision)",
            r.estimate,
            ci_low=r.ci_low,
            ci_high=r.ci_high,
            n=r.n,
            group=page.group,
        )
        for r in rows.itertuples()
    ]


def follow_ups(page: SurveyPage) -> FollowUps:
    """How far digital could help the vision and how far it is in the plan, answer by answer.

    Asked only of those with a vision: a type whose follow-up answers no page shows
    (:func:`withheld_follow_ups`: a base below the minimum, or hidden because with the
    answers of all respondents its own would give back another type's) gets a sentence
    saying so and a one-row table of why, for the audit file, and no chart.
    """
    vision_base = len(with_vision(page.shown))
    hidden = withheld_follow_ups(page.all, page.min_base)
    if not page.too_small and page.council_type in hidden:
        rule, reason = hidden.rules[page.council_type]
        answered = follow_up_base(page.frame)
        if rule == disclosure.SECONDARY:
            why = f"{vision_base} have a vision, but their answers are not shown: {reason}"
        elif answered < vision_base:
            why = (
                f"only {answered} of the {vision_base} with a vision answered both, below the "
                f"minimum base of {page.min_base}: the follow-up questions are not shown for them"
            )
        else:
            why = (
                f"only {vision_base} have a vision, below the minimum base of "
                f"{page.min_base}: the follow-up questions are not shown for them"
            )
        table = pd.DataFrame(
            {
                "Respondents": [f"{page.label} respondents with a vision"],
                "n": [str(answered)],
                "Not shown because": [reason],
            }
        )
        return FollowUps(
            enough=False,
            sentence=f"{page.scope}: {why}. See the page for all respondents.",
            table=Table(table, f"{FOLLOW_UPS_CAPTION}: not shown", answered),
            hidden=dict.fromkeys(EXTENT_QUESTIONS, (rule, reason)),
        )
    if vision_base < page.min_base:
        return FollowUps(
            enough=False,
            sentence=(
                f"{page.scope}: only {vision_base} have a vision, below the minimum base of "
                f"{page.min_base}: the follow-up questions are not shown for them."
            ),
        )
    dist = extent_distributions(page.shown)
    answers = dist.assign(value=[(int(x),) for x in dist["value"]])
    shown = _follow_up_estimates(page, answers)
    large = headline_shares(page.shown).iloc[1:]
    large = pd.DataFrame(
        {
            "question": list(EXTENT_QUESTIONS.values()),
            "value": [LARGE] * len(EXTENT_QUESTIONS),
            "answer": "Large or very large",
            "estimate": large["estimate"].to_numpy(),
            "ci_low": large["ci_low"].to_numpy(),
            "ci_high": large["ci_high"].to_numpy(),
            "n": large["n"].to_numpy(),
        }
    )
    top = _follow_up_estimates(page, large)
    helps, planned = EXTENT_QUESTIONS.values()
    n_help, n_plan = (int(n) for n in large["n"])
    very = {e.statistic.partition(":")[0]: e for e in shown if e.quantity.answers == (5,)}
    table_rows = pd.concat([answers, large], ignore_index=True).assign(
        cell=[e.cell for e in (*shown, *top)]
    )
    return FollowUps(
        enough=True,
        sentence=(
            f"{page.scope} with a vision: **{percent(top[0].value)}** say digital could help "
            f"achieve it to a large or very large extent (n = {n_help}{_with(top[0])}), and "
            f"**{percent(top[1].value)}** say it is part of the plan to that extent "
            f"(n = {n_plan}{_with(top[1])}). At the top of the scale, 'very large': "
            + _two(
                f"{percent(very[helps].value)} for potential",
                very[helps],
                " against ",
                f"{percent(very[planned].value)} for the plan",
                very[planned],
            )
            + "."
        ),
        chart=Chart(
            dist.assign(evidence=[e.evidence for e in shown]),
            f"{page.who} with a vision: {percent(very[helps].value)} see a 'very large' "
            f"potential, {percent(very[planned].value)} have digital in the plan to that extent",
            "Answer",
            "Respondents (%, with 95% Wilson interval)",
            f"{n_help} (could help), {n_plan} (in the plan); {page.scope} with a vision",
            estimates=tuple(shown),
        ),
        table=Table(
            follow_up_table(table_rows),
            f"{FOLLOW_UPS_CAPTION}. {page.scope} with a vision",
            f"n = {n_help} (could help), {n_plan} (in the plan)",
            (*shown, *top),
        ),
        large=tuple(top),
    )


def _cell_estimates(page: SurveyPage, cells: pd.DataFrame) -> list[Estimate]:
    """Each cell of :func:`potential_plan_crosstab` (share of everyone answering both)."""
    return [
        page.estimate(
            Quantity(
                "joint",
                parts=(
                    Quantity("share", COULD_HELP, (int(r[COULD_HELP]),)),
                    Quantity("share", IN_PLAN, (int(r[IN_PLAN]),)),
                ),
                group=page.group,
            ),
            f"Could help '{survey.EXTENT.label_of(r[COULD_HELP]).lower()}' and in the plan "
            f"'{survey.EXTENT.label_of(r[IN_PLAN]).lower()}' (% of those answering both)",
            r["percent"],
            ci_low=r["ci_low"],
            ci_high=r["ci_high"],
            n=r["n"],
        )
        for _, r in cells.iterrows()
    ]


def _shortfall_sentence(cells: pd.DataFrame, found: list[Estimate], partial: bool = False) -> str:
    """Where plans fall furthest short most often, from :func:`potential_plan_crosstab`'s cells
    and their estimates; which cell is most common is as firm as the weakest cell below the
    diagonal. ``partial``: some levels of potential are not shown, so the sentence is about
    the levels shown."""
    shortfall = largest_shortfall(cells)
    if shortfall is None:
        if partial:
            return "In the levels of potential shown, nobody's plan falls short of it."
        return "Nobody's plan falls short of the potential they see."
    by_cell = dict(zip(zip(cells[COULD_HELP], cells[IN_PLAN], strict=True), found, strict=True))
    below = [e for (helps, plan), e in by_cell.items() if plan < helps]
    cell = by_cell[(shortfall[COULD_HELP], shortfall[IN_PLAN])]
    basis = estimates.weakest([cell, *below])
    among = " in the levels of potential shown" if partial else ""
    return (
        f"The most common shortfall{among}: "
        f"'{survey.EXTENT.label_of(shortfall[COULD_HELP]).lower()}' "
        "potential but digital in the plan only to a "
        f"'{survey.EXTENT.label_of(shortfall[IN_PLAN]).lower()}' extent "
        f"({int(shortfall['count'])} respondents, {percent(shortfall['percent'])}"
        f"{_with(cell if basis.is_finding else basis)})."
    )


def _plan_within_potential(page: SurveyPage, hidden: disclosure.HiddenRows) -> Table:
    """The in-plan answers within each level of potential (row percentages, each cell marked
    with its evidence), small rows blanked and the rows that would give them back too."""
    rows = stats.suppress(
        potential_plan_crosstab(page.shown, normalize="index"),
        min_base=page.min_base,
        columns=["count", "percent", "ci_low", "ci_high"],
    )
    rows = _also_withheld(rows, hidden, ["count", "percent", "ci_low", "ci_high"])
    rows = rows[(rows[COULD_HELP] != stats.ALL) & (rows["n"] > 0)]
    cells = rows[(rows[IN_PLAN] != stats.ALL) & ~rows["suppressed"]]
    found = {
        (r[COULD_HELP], r[IN_PLAN]): page.estimate(
            Quantity(
                "share",
                IN_PLAN,
                (int(r[IN_PLAN]),),
                page.group,
                given=((COULD_HELP, (int(r[COULD_HELP]),)),),
            ),
            f"In the plan '{survey.EXTENT.label_of(r[IN_PLAN]).lower()}', of those seeing a "
            f"'{survey.EXTENT.label_of(r[COULD_HELP]).lower()}' potential (%)",
            r["percent"],
            ci_low=r["ci_low"],
            ci_high=r["ci_high"],
            n=r["n"],
        )
        for _, r in cells.iterrows()
    }
    wide = rows.pivot(index=COULD_HELP, columns=IN_PLAN, values="percent").drop(columns=stats.ALL)
    first = rows.groupby(COULD_HELP).first().reindex(wide.index)
    table = pd.DataFrame({"Could help": [survey.EXTENT.label_of(c) for c in wide.index]})
    for code in wide.columns:
        written = decimals(wide[code], 1, missing=MISSING)
        table[f"In plan: {survey.EXTENT.label_of(code)} (%)"] = [
            estimates.marked(text, found.get((helps, code))) for helps, text in written.items()
        ]
    table["n"] = first["n"].astype(str).to_numpy()
    table["Not shown because"] = first["suppression_reason"].to_numpy()
    return Table(
        table,
        "How far digital is in the plan, within each level of potential (row "
        f"percentages, each with its evidence mark; rows with a base below {page.min_base} "
        "not shown)",
        "per row in the n column",
        tuple(found.values()),
    )


# Where each cell of the potential-by-plan table lies against the diagonal; the page shows
# how many respondents are in each part (the plan-against-potential table).
_SIDES = (np.less, np.equal, np.greater)
# The potential-by-plan heatmap, in the audit file (the row table is recorded as shown).
HEATMAP = "Heatmap: could help by in the plan"


def hidden_rows(
    cells: pd.DataFrame, min_base: int, also: dict | None = None
) -> disclosure.HiddenRows:
    """The levels of potential whose cells neither the heatmap nor the row table shows.

    ``cells``: :func:`potential_plan_crosstab`'s cells (no margins). Audited against
    what else the page shows of them: each level's base, each plan answer's total and
    the respondents whose plan is below, at or above their potential. ``also``: levels
    hidden already, with their rule and reason (:func:`across_pages`).
    """
    counts = cells.pivot(index=COULD_HELP, columns=IN_PLAN, values="count").astype(int)
    helps = np.asarray(counts.index, dtype=float)[:, None]
    plans = np.asarray(counts.columns, dtype=float)[None, :]
    facts = []
    for side, words in zip(_SIDES, ("below", "on", "above"), strict=True):
        where = side(plans, helps).astype(float)
        total = float((where * counts.to_numpy()).sum())
        label = f"the respondents {words} the diagonal ({int(total)})"
        facts.append(disclosure.Fact(where.ravel(), total, total, label))
    return disclosure.withheld_rows(
        counts,
        min_base,
        facts=facts,
        hidden=also,
        row_name=lambda r: f"Could help: {survey.EXTENT.label_of(r)}",
        column_name=lambda c: f"In plan: {survey.EXTENT.label_of(c)}",
    )


def _answered_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`potential_plan_crosstab`'s cells (no margins) of ``frame``."""
    crosstab = potential_plan_crosstab(frame)
    return crosstab[(crosstab[COULD_HELP] != stats.ALL) & (crosstab[IN_PLAN] != stats.ALL)]


def across_pages(frame: pd.DataFrame, min_base: int) -> dict[str, dict]:
    """Per council type, the levels of potential its page hides so that no level hidden on
    another type's page is the page for all respondents less the other types' pages.

    For each level the page for everyone shows, the types' plan answers at that level
    form a table (types by plan answer) whose column totals are everyone's row and whose
    row bases each type's page shows; a level hidden on a type's page (for its base, or
    to protect its own table) or a type whose follow-ups are hidden is a hidden row of
    it, and :func:`disclosure.withheld_rows` hides that level on more types' pages
    (secondary) until no hidden cell can be recovered. Returns {type: {level: rule}}.
    """
    everyone = hidden_rows(_answered_cells(frame), min_base)
    follow_ups = withheld_follow_ups(frame, min_base)
    both = with_vision(frame)[["council_type", COULD_HELP, IN_PLAN]].dropna()
    types = [c for c in survey.codes(survey.COUNCIL_TYPES) if (both["council_type"] == c).any()]
    own = {
        t: set(hidden_rows(_answered_cells(frame[frame["council_type"] == t]), min_base).rules)
        for t in types
        if t not in follow_ups
    }
    extra: dict[str, dict] = {t: {} for t in types}
    for level in survey.EXTENT.values:
        if level in everyone:
            continue
        at = both[both[COULD_HELP] == level]
        counts = pd.crosstab(at["council_type"], at[IN_PLAN]).reindex(types, fill_value=0)
        already = {
            t: (disclosure.PRIMARY, "hidden on its own page")
            for t in types
            if t in follow_ups or level in own[t]
        }
        if not already:
            continue
        found = disclosure.withheld_rows(
            counts,
            min_base,
            hidden=already,
            why="as with the page for all respondents and the other council types' pages "
            "it would give back the same level of potential of a type that hides it",
        )
        for t, rule in found.rules.items():
            if t not in already and rule[0] == disclosure.SECONDARY:
                extra[t][level] = rule
    return extra


def _row_bases(cells: pd.DataFrame) -> pd.Series:
    """Respondents at each level of potential, from :func:`potential_plan_crosstab`'s cells."""
    return cells.groupby(COULD_HELP)["count"].sum()


def _withheld_audit(hidden: disclosure.HiddenRows) -> list[dict]:
    """The audit file's rows for the heatmap's hidden cells."""
    rows = disclosure.audit_rows(
        HEATMAP,
        {f"Could help: {survey.EXTENT.label_of(r)}": rule for r, rule in hidden.rules.items()},
    )
    return rows + [
        {
            "table": HEATMAP,
            "row": f"Could help: {survey.EXTENT.label_of(r)}",
            "column": f"In plan: {survey.EXTENT.label_of(c)}",
            "rule": disclosure.UNPROTECTABLE,
            "reason": f"{disclosure.UNPROTECTABLE_REASON}: {how}",
        }
        for (r, c, _), how in zip(hidden.unprotectable, hidden.derivations, strict=True)
    ]


def _also_withheld(
    rows: pd.DataFrame, hidden: disclosure.HiddenRows, columns: list[str]
) -> pd.DataFrame:
    """:func:`stats.suppress`'s rows with the secondary suppressions of ``hidden`` added."""
    secondary = (
        rows[COULD_HELP]
        .map(lambda r: r in hidden and hidden.rules[r][0] == disclosure.SECONDARY)
        .to_numpy(dtype=bool)
    )
    rows = rows.copy()
    for column in columns:
        rows[column] = rows[column].astype(float).mask(secondary)
    rows["suppressed"] = rows["suppressed"] | secondary
    reasons = rows[COULD_HELP].map(lambda r: hidden.rules[r][1] if r in hidden else "")
    rows["suppression_reason"] = rows["suppression_reason"].where(~secondary, reasons)
    return rows


def _paired_estimates(page: SurveyPage, tests: pd.DataFrame) -> list[tuple[Estimate, ...]]:
    """Per row of :func:`paired_tests`: potential, plan (among those answering both) and the
    paired difference, as estimates."""
    answered_both = {COULD_HELP: ((IN_PLAN, ANSWERED),), IN_PLAN: ((COULD_HELP, ANSWERED),)}
    measures = (
        ("mean", (), "mean, 1-5", "", "scale points"),
        ("share", LARGE, "% large or very large", "%", "points"),
    )
    found = []
    for (stat, answers, what, unit, gap_unit), row in zip(
        measures, tests.itertuples(), strict=True
    ):
        sides = [
            page.estimate(
                Quantity(stat, column, answers, page.group, given=answered_both[column]),
                f"{EXTENT_QUESTIONS[column]} ({what}, of those answering both)",
                value,
                n=row.n,
                unit=unit,
            )
            for column, value in ((COULD_HELP, row.potential), (IN_PLAN, row.plan))
        ]
        gap = page.estimate(
            Quantity("paired", parts=_pair(stat, answers), group=page.group),
            f"Potential minus plan ({what}, paired)",
            row.difference,
            ci_low=row.ci_low,
            ci_high=row.ci_high,
            n=row.n,
            unit=gap_unit,
        )
        found.append((*sides, gap))
    return found


def _paired_sentence(tests: pd.DataFrame, found: list[tuple[Estimate, ...]]) -> str:
    """The mean gap and the top-two-box gap in words: tests and order only for findings."""
    mean_row, top_row = tests.iloc[0], tests.iloc[1]
    (potential, plan, mean_gap), (top_potential, top_plan, top_gap) = found
    means = _two(
        f"potential averages {mean_row['potential']:.2f}",
        potential,
        " and ",
        f"the plan {mean_row['plan']:.2f}",
        plan,
    )
    mean_ci = interval(mean_row["ci_low"], mean_row["ci_high"], 2, sep=" to ", sign=True)
    if mean_gap.is_finding:
        significant = direction(
            mean_row["ci_low"],
            mean_row["ci_high"],
            "clearly higher than",
            "clearly lower than",
            "not clearly different from",
        )
        mean_text = (
            f"On the 1-5 scale, {means}: potential is {significant} the plan (paired difference "
            f"{signed(mean_row['difference'], 2)}, 95% CI {mean_ci}; {mean_row['test']}, "
            f"p = {mean_row['p_value']:.2g}; n = {mean_row['n']}{_with(mean_gap)})."
        )
    else:
        mean_text = (
            f"On the 1-5 scale, {means}; the paired difference is "
            f"{signed(mean_row['difference'], 2)} (95% CI {mean_ci}; n = {mean_row['n']}"
            f"{_with(mean_gap)})."
        )
    shares = _two(
        percent(top_row["potential"]),
        top_potential,
        " against ",
        percent(top_row["plan"]),
        top_plan,
    )
    top_ci = interval(top_row["ci_low"], top_row["ci_high"], sep=" to ", sign=True)
    test = f"; {top_row['test']}, p = {top_row['p_value']:.2g}" if top_gap.is_finding else ""
    return (
        f"{mean_text} On the report's own measure, 'large or very large', the two differ by "
        f"{signed(top_row['difference'])} points ({shares}; 95% CI {top_ci}{test}"
        f"{_with(top_gap)}): a top-two-box share does not see a move from 'very large' to "
        "'large', which the paired comparison of each respondent's two answers does."
    )


def unrealised_potential(page: SurveyPage) -> UnrealisedPotential:
    """Each respondent's plan set against their own view of digital's potential.

    The share whose plan falls short, the most common shortfall, and paired
    tests: the mean gap on the 1-5 scale sees a move from 'very large' to
    'large' that the report's top-two-box shares do not. A test and an order
    ('clearly higher') are given only for a difference the published figures confine.
    """
    shown = page.shown
    gap = plan_against_potential(shown)
    sides = [
        page.estimate(
            Quantity("sign", parts=_pair("mean"), group=page.group, threshold=code),
            f"{label} (% of those with a vision answering both)",
            row.estimate,
            ci_low=row.ci_low,
            ci_high=row.ci_high,
            n=row.n,
        )
        for (code, label), row in zip(GAP_CATEGORIES, gap.itertuples(), strict=True)
    ]
    below, above = gap.iloc[0], gap.iloc[2]
    tests = paired_tests(shown)
    paired = _paired_estimates(page, tests)
    crosstab = potential_plan_crosstab(shown)
    cells = crosstab[(crosstab[COULD_HELP] != stats.ALL) & (crosstab[IN_PLAN] != stats.ALL)]
    also = {} if page.is_all or page.too_small else across_pages(page.all, page.min_base)
    hidden = hidden_rows(cells, page.min_base, also.get(page.council_type))
    withheld = cells[COULD_HELP].isin(list(hidden.rules)).to_numpy()
    joint = _cell_estimates(page, cells[~withheld])
    sentence = (
        f"{page.scope} with a vision who answered both: **{percent(below['estimate'])}** "
        f"(95% CI {interval(below['ci_low'], below['ci_high'])}%; n = {below['n']}"
        f"{_with(sides[0])}) rate digital's place in the plan below its potential; "
        f"{percent(above['estimate'])}{_aside(sides[2])} rate it above. "
        f"{_shortfall_sentence(cells[~withheld], joint, bool(withheld.any()))}\n\n{_paired_sentence(tests, paired)}"
    )
    status = iter([e.evidence for e in joint])
    cells = cells.assign(
        text=[
            "not\nshown" if hide else f"{r['count']}\n({r['percent']:.0f}%)"
            for hide, (_, r) in zip(withheld, cells.iterrows(), strict=True)
        ],
        count=cells["count"].astype(float).mask(withheld),
        potential=[
            f"{survey.EXTENT.label_of(r)} (not shown, n = {int(n)})"
            if r in hidden
            else survey.EXTENT.label_of(r)
            for r, n in zip(
                cells[COULD_HELP], cells[COULD_HELP].map(_row_bases(cells)), strict=True
            )
        ],
        plan=cells[IN_PLAN].map(survey.EXTENT.label_of),
        evidence=[None if hide else next(status) for hide in withheld],
    )
    gap_table = pd.DataFrame(
        {
            "Each respondent's plan against their view of the potential": gap["comparison"],
            "Respondents (%)": decimals(gap["estimate"], 1, missing=MISSING),
            "95% CI (%)": intervals(gap["ci_low"], gap["ci_high"]),
            "Respondents": decimals(gap["count"], 0, missing=MISSING),
            "n": gap["n"].astype(str),
            "Evidence": [e.cell for e in sides],
        }
    )
    tested = [row[2].is_finding for row in paired]
    tests_table = pd.DataFrame(
        {
            "Comparison": tests["comparison"],
            "Could help": [
                estimates.marked(text, row[0])
                for text, row in zip(decimals(tests["potential"], 2), paired, strict=True)
            ],
            "In the plan": [
                estimates.marked(text, row[1])
                for text, row in zip(decimals(tests["plan"], 2), paired, strict=True)
            ],
            "Difference": decimals(tests["difference"], 2, sign=True),
            "95% CI of the difference": intervals(
                tests["ci_low"], tests["ci_high"], 2, sep=" to ", sign=True
            ),
            "Test": [
                text if ok else MISSING for text, ok in zip(tests["test"], tested, strict=True)
            ],
            "p": [
                f"{p:.2g}" if ok else MISSING
                for p, ok in zip(tests["p_value"], tested, strict=True)
            ],
            "n": tests["n"].astype(str),
            "Evidence (difference)": [row[2].cell for row in paired],
        }
    )
    tests_caption = f"Paired comparisons of potential and plan. {page.scope} with a vision"
    if not all(tested):
        tests_caption += f" ({NO_TEST})"
    return UnrealisedPotential(
        sentence=sentence,
        headline=f"{percent(below['estimate'])} (n={below['n']})",
        evidence=sides[0],
        chart=Chart(
            cells,
            f"{page.who} with a vision: {percent(below['estimate'])} plan to use digital less "
            "than they think it could help",
            "Digital is part of the plan to realise the vision",
            "Digital could help achieve the vision",
            f"{below['n']}; {page.scope} with a vision answering both",
            estimates=tuple(joint),
            withheld=tuple(_withheld_audit(hidden)),
        ),
        tables=(
            Table(
                gap_table,
                f"Plan against potential. {page.scope} with a vision answering both",
                int(below["n"]),
                tuple(sides),
            ),
            Table(
                tests_table,
                tests_caption,
                int(tests.iloc[0]["n"]),
                tuple(e for row in paired for e in row),
            ),
            _plan_within_potential(page, hidden),
        ),
    )


def theme_ranking(page: SurveyPage) -> ThemeRanking:
    """The themes ranked by mean significance, saying which neighbours the data do not order.

    Weighted on the page for everyone when the page is weighted. The ranking is
    stated as a finding only where every mean is one; otherwise it is illustrative.
    """
    weights = page.estimate_weights
    themes = theme_significance(page.shown, weights=weights)
    weighted = (
        " (per council)" if page.per_council else " (weighted)" if weights is not None else ""
    )
    found = [
        page.estimate(
            Quantity("mean", r.item, group=page.group),
            estimates.statistic_name(r.item) + weighted,
            r.mean,
            ci_low=r.ci_low,
            ci_high=r.ci_high,
            n=r.n,
            unit="",
            weighted=weights is not None,
        )
        for r in themes.itertuples()
    ]
    basis = estimates.weakest(found)
    first, last = themes.iloc[0], themes.iloc[-1]
    # An overlap is judged only between two means that are findings (the last has no next).
    firm = [a.is_finding and b.is_finding for a, b in itertools.pairwise(found)] + [True]
    overlaps = themes["overlaps_next"].where(firm)
    ties = themes[overlaps.fillna(False).astype(bool)]
    pairs = [
        f"{themes.at[i, 'short'].lower()} and {themes.at[i + 1, 'short'].lower()}"
        for i in ties.index
    ]
    if not basis.is_finding:
        title = f"{first['theme']} has the highest mean significance (illustrative)"
        order = f"These means and their order are {basis.phrase()}."
    elif themes.at[0, "overlaps_next"]:
        title = (
            f"{first['theme']} has the highest mean significance, not clearly above "
            f"{themes.at[1, 'theme'].lower()}"
        )
    else:
        title = f"{first['theme']} is rated the most significant theme"
    if basis.is_finding:
        order = (
            f"{len(pairs)} of the {len(themes) - 1} neighbouring pairs in the ranking have "
            f"overlapping intervals ({'; '.join(pairs)}), so their order is not firm."
            if pairs
            else "No neighbouring intervals overlap."
        )
    sentence = (
        f"{page.scope}: **{first['theme'].lower()}** has the highest mean significance "
        f"(mean {first['mean']:.2f}{weighted}, 95% CI "
        f"{interval(first['ci_low'], first['ci_high'], 2)}; n = {first['n']}"
        f"{_with(found[0]) if basis.is_finding else ''}) and "
        f"**{last['theme'].lower()}** the lowest ({last['mean']:.2f}, "
        f"{interval(last['ci_low'], last['ci_high'], 2)}"
        f"{_with(found[-1]) if basis.is_finding else ''}). {order}"
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
    table["Interval overlaps the next"] = overlaps.map({True: "yes", False: "no"}).fillna("")
    table["Evidence"] = [e.cell for e in found]
    caption = f"Significance of the nine themes in the council's vision. {page.scope}"
    if not all(firm[:-1]):
        caption += (
            "; no overlap is judged beside an illustrative mean, which the published figures "
            "leave free"
        )
    return ThemeRanking(
        sentence=sentence,
        chart=Chart(
            themes.assign(
                row=[f"{r.theme} (n = {r.n})" for r in themes.itertuples()],
                evidence=[e.evidence for e in found],
            ),
            title,
            f"Mean significance{weighted}, 1 = not at all, 5 = very important (95% t interval)",
            "",
            f"{themes['n'].iloc[0]}; {page.scope}"
            if one_base
            else f"{themes['n'].min()}–{themes['n'].max()}; {page.scope}",
            estimates=tuple(found),
        ),
        table=Table(
            table,
            stats.clipped_caption(caption, themes, survey.SIGNIFICANCE),
            int(themes["n"].min()) if one_base else "per theme in the n column",
            tuple(found),
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
        "of each type; the headline shares' intervals come from the Taylor-linearised "
        "variance (Kish's effective-n interval beside them, for comparison), the weighted "
        "theme means' from Kish's effective sample size.\n"
        "- Where the data name each respondent's council (`council_id`), the intervals of "
        "shares and means, the paired comparisons and Newcombe's interval of a type against "
        "the rest treat councils as clusters (Taylor-linearised variance, councils - 1 "
        "degrees of freedom for t intervals; Wilson intervals on the design effective n); "
        "the Wilcoxon checks and Fisher's exact test do not."
    )


@dataclass(frozen=True)
class Results:
    """Everything the page shows, computed before it shows any (its main points lead)."""

    vision: VisionShare
    follow_ups: FollowUps
    themes: ThemeRanking
    gap: UnrealisedPotential | None = None  # when enough have a vision
    weighting: WeightingComparison | None = None  # the page for everyone
    reproduced: Reproduction | None = None  # the page for everyone


def results(page: SurveyPage) -> Results:
    ups = follow_ups(page)
    return Results(
        vision=vision_share(page),
        follow_ups=ups,
        themes=theme_ranking(page),
        gap=unrealised_potential(page) if ups.enough else None,
        weighting=weighting_comparison(page) if page.is_all else None,
        reproduced=reproduction(page) if page.is_all else None,
    )


def _point(e: Estimate, sentence: str) -> MainPoint:
    """A main point: its sentence, the base and what stands behind the number."""
    behind = e.phrase()
    return MainPoint(f"{sentence} (n = {e.n}{'; ' + behind if behind else ''}).", (e,))


def main_points(page: SurveyPage, found: Results) -> list[MainPoint]:
    """The page's main points, most important first (illustrative ones are left out)."""
    who = page.who
    share = found.vision.evidence
    points = [
        _point(share, f"{who}: {percent(share.value)} say their council has a strategic vision")
    ]
    if found.follow_ups.enough:
        helps, planned = found.follow_ups.large
        points += [
            _point(
                helps,
                f"Of those with a vision, {percent(helps.value)} say digital could help achieve "
                "it to a large or very large extent",
            ),
            _point(
                planned,
                f"Of those with a vision, {percent(planned.value)} say digital is part of the "
                "plan to that extent",
            ),
        ]
    if found.gap is not None:
        points.append(
            _point(
                found.gap.evidence,
                f"For {percent(found.gap.evidence.value)} of those answering both, the plan "
                "falls short of the potential they see",
            )
        )
    return page.with_report_findings(points, ANSWER_COLUMNS, found.follow_ups.hidden)


COMPARABILITY = (
    "The questions and bases are the 2024 report's, so the page for all respondents can be "
    "set against its published figures (the last table checks them). A council type's page "
    "compares that type with all other respondents; types below the minimum base are named, "
    "not estimated. Respondents are individuals, not councils, so shares are of respondents."
)
