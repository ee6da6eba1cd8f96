"""Barriers to digital and councils' view of their own capability (report section 03).

Survey side: how big each barrier is (0-5 means and the full distributions),
who says their council has the knowledge, ability and confidence to deliver,
and whether barrier scores differ between those who say yes and those who say
no. Published side: the Future Councils report's barrier framework as a
lifecycle stage x challenge/barrier matrix. Every estimate carries its base n
and its evidence status (:mod:`.estimates`): what the report states or confines,
and what only the reconstruction's assumptions set, which is illustrative and
gets no test, no finding and no headline.

The page's results (:func:`ranking`, :func:`score_spread`, :func:`capability`,
:func:`capability_comparison`, :func:`weighting_comparison`, :func:`framework_map`,
:func:`reproduction`) hold what the notebook shows: tables written as text, chart
frames and titles, and the sentences whose wording depends on the figures.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests

from councildigital import disclosure, stats
from councildigital.data import survey
from councildigital.data.microdata import CLUSTER_COLUMN, column_name
from councildigital.reconstruct import claims
from councildigital.sections import estimates, formatting, plots
from councildigital.sections.estimates import Estimate
from councildigital.sections.page import Chart, MainPoint, SurveyPage, Table, withheld_types

BARRIER_COLUMNS: tuple[str, ...] = tuple(column_name("barrier", c.code) for c in survey.BARRIERS)
CAPABILITY = "has_capability"
_BARRIER_LABEL = {column_name("barrier", c.code): c.label for c in survey.BARRIERS}
# Makes the Estimate of one shown number: a page's SurveyPage.estimate (quantity, statistic,
# value; ci_low, ci_high, n, unit, weighted).
Estimator = Callable[..., Estimate]
_KIND_LABEL = {"common_challenge": "Common challenge", "systemic_barrier": "Systemic barrier"}


def _with_labels(table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    table.insert(1, "barrier", table["item"].map(_BARRIER_LABEL))
    return table


# --------------------------------------------------------------------------- survey


def barrier_means(
    frame: pd.DataFrame, *, weights: stats.Weights = None, level: float = 0.95
) -> pd.DataFrame:
    """Mean 0-5 score per barrier with a t interval (clipped to 0-5, ``bounded``), largest first.

    ``overlaps_next`` flags neighbours whose intervals overlap: an order the data
    do not settle, which the page must not read as a ranking.
    """
    table = stats.mean_ci(
        frame[list(BARRIER_COLUMNS)],
        weights=weights,
        level=level,
        allowed=survey.BARRIER,
        clusters=frame.get(CLUSTER_COLUMN),
    )
    return stats.rank_with_ties(_with_labels(table), estimate="mean")


def score_distribution(frame: pd.DataFrame) -> pd.DataFrame:
    """Percent of respondents giving each score 0-5, per barrier: the spread a mean hides.

    Long form (item, barrier, score, score_label, count, percent, n), every score
    present even when nobody gave it, so stacked bars always add up to 100.
    """
    rows = []
    for item in BARRIER_COLUMNS:
        answers = frame[item].dropna()
        counts = answers.value_counts().reindex(survey.BARRIER.values, fill_value=0)
        if answers.empty:
            raise ValueError(f"column {item!r} has no answers (empty base)")
        for score, count in counts.items():
            rows.append(
                {
                    "item": item,
                    "barrier": _BARRIER_LABEL[item],
                    "score": int(score),
                    "score_label": survey.BARRIER.label_of(int(score)),
                    "count": int(count),
                    "percent": 100 * count / len(answers),
                    "n": len(answers),
                }
            )
    return pd.DataFrame(rows)


def top_box(distribution: pd.DataFrame, scores: tuple[int, ...] = (4, 5)) -> pd.Series:
    """Percent giving one of the top ``scores`` per barrier: "a large barrier" in one number."""
    chosen = distribution[distribution["score"].isin(scores)]
    return chosen.groupby("barrier", sort=False)["percent"].sum()


def capability_by_type(
    frame: pd.DataFrame, *, min_base: int, weights: stats.Weights = None, level: float = 0.95
) -> pd.DataFrame:
    """Share saying "yes" to having the capability, for everyone and each council type.

    Every council type is kept, including those with no respondents, and any
    base below ``min_base`` is blanked with the reason (``stats.suppress``), as is a
    type hidden to protect a smaller one (:func:`page.withheld_types`).
    """
    table = stats.shares_by(
        frame,
        CAPABILITY,
        "council_type",
        values=1,
        weights=weights,
        level=level,
        allowed=survey.YES_NO,
        groups=survey.codes(survey.COUNCIL_TYPES),
        clusters=frame.get(CLUSTER_COLUMN),
    )
    labels = {c.code: c.label for c in survey.COUNCIL_TYPES} | {survey.ALL: "All respondents"}
    table.insert(2, "group", table["council_type"].map(labels))
    table = stats.suppress(table, min_base=min_base)
    return disclosure.suppress_types(
        table, withheld_types(frame, min_base), ["estimate", "ci_low", "ci_high", "count"]
    )


def compare_by_capability(
    frame: pd.DataFrame, *, min_base: int, level: float = 0.95
) -> pd.DataFrame:
    """Barrier means of respondents who say their council has the capability minus those who say not.

    Welch's t interval and test (no equal-variance assumption; the groups differ
    in size) and, because 0-5 scores are ordinal and bounded, a Mann-Whitney test
    as a check. Five barriers are tested at once, so Holm-adjusted p-values are
    given too. A comparison is blanked when either group is below ``min_base``.
    Unweighted: the weights are by council type, not by capability.
    """
    rows = []
    for item in BARRIER_COLUMNS:
        both = frame[[item, CAPABILITY]].dropna()
        yes = both.loc[both[CAPABILITY] == 1, item].to_numpy(dtype=float)
        no = both.loc[both[CAPABILITY] == 0, item].to_numpy(dtype=float)
        row = {
            "item": item,
            "mean_yes": yes.mean() if len(yes) else np.nan,
            "n_yes": len(yes),
            "mean_no": no.mean() if len(no) else np.nan,
            "n_no": len(no),
            "difference": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "welch_p": np.nan,
            "mann_whitney_p": np.nan,
        }
        # Welch needs two answers a group and some spread, or its statistic is undefined.
        if min(len(yes), len(no)) >= 2 and (np.ptp(yes) > 0 or np.ptp(no) > 0):
            with warnings.catch_warnings():
                # One constant group has exactly zero variance, which scipy flags as "precision
                # loss"; Welch's statistic is still defined because the other group varies.
                warnings.filterwarnings("ignore", "Precision loss occurred", RuntimeWarning)
                welch = sps.ttest_ind(yes, no, equal_var=False)
            interval = welch.confidence_interval(level)
            row |= {
                "difference": yes.mean() - no.mean(),
                "ci_low": interval.low,
                "ci_high": interval.high,
                "welch_p": welch.pvalue,
                "mann_whitney_p": sps.mannwhitneyu(yes, no, alternative="two-sided").pvalue,
            }
        rows.append(row)
    table = _with_labels(pd.DataFrame(rows))
    table["n_smaller_group"] = table[["n_yes", "n_no"]].min(axis=1)
    table = stats.suppress(
        table,
        n_column="n_smaller_group",
        min_base=min_base,
        columns=[
            "mean_yes",
            "mean_no",
            "difference",
            "ci_low",
            "ci_high",
            "welch_p",
            "mann_whitney_p",
        ],
    )
    table["welch_p_holm"] = holm(table["welch_p"])
    return table


def holm(p: pd.Series) -> pd.Series:
    """Holm-adjusted p-values over the tests given (NaN: no test, left out of the family)."""
    tested = p.notna()
    adjusted = pd.Series(np.nan, index=p.index)
    if tested.any():
        adjusted[tested] = multipletests(p[tested], method="holm")[1]
    return adjusted


def weighting_effect(
    frame: pd.DataFrame, weights: pd.Series, *, level: float = 0.95
) -> pd.DataFrame:
    """The headline figures unweighted and post-stratified side by side.

    Shows a reader how much the sample's mix of council types moves each figure,
    and how much wider the weighted interval is (``n_eff`` below ``n``).
    ``bounded`` marks scores whose interval (either one) was clipped to 0-5.
    """
    columns = list(BARRIER_COLUMNS)
    councils = frame.get(CLUSTER_COLUMN)
    plain = stats.mean_ci(
        frame[columns], level=level, allowed=survey.BARRIER, clusters=councils
    ).set_index("item")
    weighted = stats.mean_ci(
        frame[columns], weights=weights, level=level, allowed=survey.BARRIER, clusters=councils
    ).set_index("item")
    rows = [
        {
            "figure": f"Barrier score (0-5): {_BARRIER_LABEL[item]}",
            "unit": "score",
            "unweighted": plain.at[item, "mean"],
            "unweighted_low": plain.at[item, "ci_low"],
            "unweighted_high": plain.at[item, "ci_high"],
            "weighted": weighted.at[item, "mean"],
            "weighted_low": weighted.at[item, "ci_low"],
            "weighted_high": weighted.at[item, "ci_high"],
            "n": int(plain.at[item, "n"]),
            "n_eff": weighted.at[item, "n_eff"],
            "bounded": plain.at[item, "bounded"] or weighted.at[item, "bounded"],
        }
        for item in columns
    ]
    plain_share = stats.share(frame[CAPABILITY], 1, level=level, clusters=councils).iloc[0]
    weighted_share = stats.share(
        frame[CAPABILITY], 1, weights=weights, level=level, clusters=councils
    ).iloc[0]
    rows.append(
        {
            "figure": "Say they have the capability (%)",
            "unit": "percent",
            "unweighted": plain_share["estimate"],
            "unweighted_low": plain_share["ci_low"],
            "unweighted_high": plain_share["ci_high"],
            "weighted": weighted_share["estimate"],
            "weighted_low": weighted_share["ci_low"],
            "weighted_high": weighted_share["ci_high"],
            "n": int(plain_share["n"]),
            "n_eff": weighted_share["n_eff"],
            "bounded": False,
        }
    )
    table = pd.DataFrame(rows)
    table["difference"] = table["weighted"] - table["unweighted"]
    return table


# --------------------------------------------------------------------------- published framework


def _framework_axes(framework: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The matrix's rows (lifecycle stages) and columns (top-level challenges, then barriers)."""
    stages = framework[framework["kind"] == "lifecycle_stage"].sort_values("order")
    # A challenge with a parent is a facet of another challenge: it is never tagged itself.
    challenges = framework[
        (framework["kind"] == "common_challenge") & framework["parent_code"].isna()
    ].sort_values("order")
    systemic = framework[framework["kind"] == "systemic_barrier"].sort_values("order")
    return stages, pd.concat([challenges, systemic])


def framework_matrix(framework: pd.DataFrame) -> pd.DataFrame:
    """Lifecycle stages (rows) x common challenges and systemic barriers (columns).

    A cell counts the report's tags linking that stage to that challenge or
    barrier, so the matrix holds exactly one mark per tag row of the CSV.
    Columns are a (kind, label) MultiIndex; untagged challenges and barriers are
    kept, since "never tagged" is itself a finding.
    """
    stages, columns = _framework_axes(framework)
    tags = framework[framework["kind"] == "tag"]
    unknown = tags[
        ~tags["parent_code"].isin(stages["code"]) | ~tags["related_code"].isin(columns["code"])
    ]
    if not unknown.empty:
        raise ValueError(
            f"tags {unknown['id'].tolist()} do not link a lifecycle stage to a top-level "
            "common challenge or systemic barrier"
        )
    counts = (
        pd.crosstab(tags["parent_code"], tags["related_code"])
        .reindex(index=stages["code"], columns=columns["code"], fill_value=0)
        .astype(int)
    )
    counts.index = pd.Index(stages["label"].tolist(), name="Lifecycle stage")
    counts.columns = pd.MultiIndex.from_arrays(
        [columns["kind"].map(_KIND_LABEL).tolist(), columns["label"].tolist()],
        names=["kind", "label"],
    )
    return counts


def framework_sources(framework: pd.DataFrame) -> pd.DataFrame:
    """Each row and column of the matrix with the report's own words and how often it is tagged."""
    stages, columns = _framework_axes(framework)
    tags = framework[framework["kind"] == "tag"]
    by_stage = tags.groupby("parent_code").size()
    by_related = tags.groupby("related_code").size()
    kinds = {"lifecycle_stage": "Lifecycle stage", **_KIND_LABEL}
    table = pd.concat([stages, columns])
    tagged = np.where(
        table["kind"] == "lifecycle_stage",
        table["code"].map(by_stage).fillna(0),
        table["code"].map(by_related).fillna(0),
    )
    return pd.DataFrame(
        {
            "id": table["id"].to_numpy(),
            "kind": table["kind"].map(kinds).to_numpy(),
            "label": table["label"].to_numpy(),
            "tags": tagged.astype(int),
            "quote": table["quote"].to_numpy(),
        }
    )


def framework_caveats(framework: pd.DataFrame) -> pd.DataFrame:
    """The transcription notes that say links drawn only in the report's graphics were lost.

    The matrix shows the tags the extracted text states; these notes are why it
    may show fewer links than the report's diagrams.
    """
    lost = framework["note"].fillna("").str.contains("graphic", case=False)
    return framework.loc[lost, ["id", "label", "note"]].reset_index(drop=True)


# --------------------------------------------------------------------------- words


# Council type labels that start with a proper noun keep its capital mid-sentence.


def scope(label: str, council_type: str, too_small: bool) -> str:
    """Whom the page's figures describe: a type too small to show gets everyone, and says so."""
    if too_small:
        return (
            f"all respondents (shown for context: too few {survey.in_sentence(label)} respondents)"
        )
    return f"{label} respondents" if council_type != survey.ALL else "all respondents"


def notes(items: Sequence[Estimate]) -> tuple[list[str], str]:
    """What stands behind the numbers of one sentence: a note for each (its bound, figure or
    flag), or, when every one is illustrative, no note each and one sentence for them all."""
    if items and not any(e.is_finding for e in items):
        which = "This figure is" if len(items) == 1 else "These figures are"
        return [""] * len(items), f" {which} {estimates.ILLUSTRATIVE}."
    return [e.phrase() for e in items], ""


def noted(text: str, note: str) -> str:
    """Text followed by its note in brackets (nothing added when there is no note)."""
    return f"{text} ({note})" if note else text


@dataclass(frozen=True)
class Largest:
    """The page's words for the largest barrier: its sentence, chart title and headline.

    ``evidence``: what "the largest" rests on: the top mean where the report ranks
    that very statistic first, else every barrier's mean, since it compares them all.
    """

    sentence: str
    title: str
    headline_label: str
    headline: str
    evidence: tuple[Estimate, ...]


def largest_barriers(
    means: pd.DataFrame, scope: str, evidence: Sequence[Estimate], *, weighted: bool = False
) -> Largest:
    """Name the largest barrier of :func:`barrier_means`, or every barrier tied for the top.

    ``evidence`` holds each row's estimate. A tie is decided on the means as the
    page shows them (one decimal), not on exact values: a page printing "funding
    (3.6), skills (3.6)" cannot call funding the largest without contradicting
    itself, and an exact tie is one case of it. Where any mean is illustrative,
    so is the order, and the title names the highest mean shown rather than
    calling it the largest barrier.
    """
    shown = means["mean"].map("{:.1f}".format)
    is_tied = (shown == shown.iloc[0]).to_numpy()
    tied = means[is_tied]
    behind = [e for e, t in zip(evidence, is_tied, strict=True) if t]
    each, shared = notes(behind)
    top = tied.iloc[0]
    among = f"Among {scope}{' (post-stratified by council type)' if weighted else ''}, "
    if len(tied) == 1:
        basis = tuple(behind) if _ranked_first(behind[0].quantity) else tuple(evidence)
        return Largest(
            sentence=f"{among}**{top.barrier.lower()}** has the highest mean score, "
            f"{format_mean(top['mean'], top.ci_low, top.ci_high, top.n, each[0])}.{shared}",
            title=f"{top.barrier} is the largest barrier to digital ({top['mean']:.1f} out of 5)"
            if estimates.all_findings(basis)
            else f"{top.barrier} has the highest mean score shown ({top['mean']:.1f} out of 5; "
            "illustrative)",
            headline_label="Largest barrier (mean score, 0-5)",
            headline=f"{top.barrier}: {top['mean']:.1f} (n={int(top.n)})",
            evidence=basis,
        )
    names = [top.barrier, *tied["barrier"].iloc[1:].str.lower()]
    base = formatting.base_range(tied["n"])
    figures = [
        format_mean(r.mean, r.ci_low, r.ci_high, r.n, note)
        for r, note in zip(tied.itertuples(), each, strict=True)
    ]
    # Barrier names hold "and" themselves: a list of them is separated by semicolons.
    listed = "; ".join(name.lower() for name in names)
    return Largest(
        sentence=f"{among}{formatting.names([f'**{name.lower()}**' for name in names])} are "
        f"tied for the highest mean score: {formatting.names(figures)} respectively.{shared}",
        title=f"Tied as the largest barriers to digital ({shown.iloc[0]} out of 5): {listed}"
        if estimates.all_findings(evidence)
        else f"Tied for the highest mean score shown ({shown.iloc[0]} out of 5; illustrative): "
        f"{listed}",
        headline_label="Largest barriers (mean score, 0-5)",
        headline=f"{'; '.join(names)} (tied): {shown.iloc[0]} (n={base})",
        evidence=tuple(evidence),
    )


def _ranked_first(q: claims.Quantity | None) -> bool:
    """Whether the report ranks this very statistic first (LGC24-0051: funding, for everyone)."""
    return any(c.order == "rank" and c.n == 1 and c.quantity == q for c in claims.claims())


def format_mean(mean: float, low: float, high: float, n: int, note: str = "") -> str:
    """A mean as a reader sees it in the text: estimate, 95% interval, base and its note."""
    return f"{mean:.1f} (95% CI {low:.1f} to {high:.1f}; n = {n}{f'; {note}' if note else ''})"


def format_share(estimate: float, low: float, high: float, n: int, note: str = "") -> str:
    """A percentage with its Wilson interval, base and note, for the text."""
    return (
        f"{estimate:.0f}% (95% CI {low:.0f}% to {high:.0f}%; n = {n}{f'; {note}' if note else ''})"
    )


def _who(row, note: str) -> str:
    """'County council, n = 20' and the estimate's note, inside a share's brackets."""
    return f"{row.group}, n = {int(row.n)}" + (f"; {note}" if note else "")


def _mean_name(item: str, *, weighted: bool = False) -> str:
    return f"{_BARRIER_LABEL[item]} as a barrier ({'weighted ' if weighted else ''}mean, 0-5)"


# --------------------------------------------------------------------------- page results
#
# What each part of the page shows: the frame its chart draws, the chart's words, its
# table with every cell written as text, and the sentences whose wording depends on
# the figures. Captions end with the data's own label (``Microdata.label``).
#
# Every number shown from respondent data is an Estimate made by ``estimate`` (a
# page's :meth:`~councildigital.sections.page.SurveyPage.estimate`) for ``group``
# (the page's group: its council type, or everyone). Charts' frames carry each
# row's status in an ``evidence`` column; tables carry an Evidence column.

SCORES = list(survey.BARRIER.values)
SCORE_LABELS = [
    f"{v}" if str(v) == label else f"{v} ({label.lower()})"
    for v, label in zip(survey.BARRIER.values, survey.BARRIER.labels, strict=True)
]
SCORE_MIDPOINT = np.mean(survey.BARRIER.values)
REPORTED_QUESTIONS = ("barrier_score", "has_capability")
# The page's answer columns, for what the report says about a council type.
ANSWER_COLUMNS = (*BARRIER_COLUMNS, CAPABILITY)
TOP_BOX = (4, 5)


@dataclass(frozen=True)
class Ranking:
    """How large each barrier is: the means chart and table, and the order they settle."""

    largest: Largest
    sentence: str
    chart: Chart
    table: Table

    @property
    def means(self) -> pd.DataFrame:
        """The chart's frame: :func:`barrier_means`, which the score spread follows."""
        return self.chart.frame


def ranking(
    frame: pd.DataFrame,
    *,
    scope: str,
    estimate: Estimator,
    group: str,
    weights: stats.Weights = None,
    weighted: bool = False,
    data_label: str = "",
) -> Ranking:
    """The barriers largest first, naming the neighbours whose intervals overlap.

    Overlapping neighbours are an order the data do not settle, so the sentence
    says so instead of letting the reader take the list as a ranking. An order
    resting on an illustrative mean is called illustrative instead.
    """
    means = barrier_means(frame, weights=weights)
    shown = tuple(
        estimate(
            claims.Quantity("mean", r.item, group=group),
            _mean_name(r.item, weighted=weighted),
            r.mean,
            ci_low=r.ci_low,
            ci_high=r.ci_high,
            n=r.n,
            unit="",
            weighted=weighted,
        )
        for r in means.itertuples()
    )
    means = means.assign(evidence=[e.evidence for e in shown])
    largest = largest_barriers(means, scope, shown, weighted=weighted)
    unsettled = [
        f"{row.barrier.lower()} and {means.iloc[i + 1].barrier.lower()}"
        for i, row in means.iterrows()
        if row.overlaps_next is True
    ]
    order = formatting.names([f"{r.barrier.lower()} ({r.mean:.1f})" for r in means.itertuples()])
    if not estimates.all_findings(shown):
        separated = f"This order is {estimates.ILLUSTRATIVE}."
    elif unsettled:
        separated = (
            f"The intervals of {formatting.names(unsettled)} overlap, so the data do not "
            "separate those pairs."
        )
    else:
        separated = "No two neighbouring intervals overlap."
    base = formatting.base_range(means["n"])
    clipped = stats.clipped_note(means, survey.BARRIER)
    return Ranking(
        largest=largest,
        sentence=f"{largest.sentence} From largest to smallest: {order}. {separated}",
        chart=Chart(
            means,
            largest.title,
            "Mean score, 0 (not at all) to 5 (very large), with 95% interval",
            "",
            n=base,
            wrap=None,
            estimates=shown,
        ),
        table=Table(
            pd.DataFrame(
                {
                    "Rank": means["rank"],
                    "Barrier": means["barrier"],
                    "Mean (0-5)": formatting.decimals(means["mean"], 2),
                    "95% CI": formatting.intervals(
                        means["ci_low"], means["ci_high"], 2, sep=" to "
                    ),
                    "n": means["n"],
                    "Overlaps next": means["overlaps_next"]
                    .map({True: "yes", False: "no"})
                    .fillna(""),
                    "Evidence": [e.cell for e in shown],
                }
            ),
            f"Barrier scores, {scope}{', weighted' if weighted else ''}. "
            f"Base: n = {base}.{data_label}" + (f" {clipped}" if clipped else ""),
            estimates=shown,
        ),
    )


@dataclass(frozen=True)
class Spread:
    """The full distribution of scores per barrier, in the ranking's order, and its sentence."""

    sentence: str
    chart: Chart

    @property
    def distribution(self) -> pd.DataFrame:
        """The chart's frame: :func:`score_distribution`'s long form, which the bars stack."""
        return self.chart.frame


def score_spread(
    frame: pd.DataFrame, *, means: pd.DataFrame, scope: str, estimate: Estimator, group: str
) -> Spread:
    """How many rate the largest and the smallest barrier (by mean) 4 or 5: the spread a mean hides.

    Unweighted counts, in the order of ``means`` (:func:`barrier_means`). The chart
    shows every score's share and its title the two top-box shares: all are estimates.
    """
    spread = score_distribution(frame)
    spread = spread.set_index("barrier").loc[means["barrier"]].reset_index()
    scores = [
        estimate(
            claims.Quantity("share", r.item, (r.score,), group),
            f"{r.barrier} as a barrier (% scoring {r.score_label.lower()})",
            r.percent,
            n=r.n,
        )
        for r in spread.itertuples()
    ]
    spread = spread.assign(evidence=[e.evidence for e in scores])
    large = top_box(spread)
    ends = means.iloc[[0, -1]]
    boxes = [
        estimate(
            claims.Quantity("share", r.item, TOP_BOX, group),
            f"{r.barrier} as a large barrier (% scoring 4 or 5)",
            large[r.barrier],
            n=int(spread.loc[spread["item"] == r.item, "n"].iloc[0]),
        )
        for r in ends.itertuples()
    ]
    (top_note, small_note), shared = notes(boxes)
    top, smallest = ends["barrier"]
    base = formatting.base_range(spread["n"])
    illustrative = "" if estimates.all_findings(boxes) else " (illustrative)"
    return Spread(
        sentence=f"{large[top]:.0f}% of {scope} score {top.lower()} 4 or 5"
        f"{noted('', top_note)}, against {large[smallest]:.0f}% for {smallest.lower()} "
        f"({f'{small_note}; ' if small_note else ''}n = {base}).{shared}",
        chart=Chart(
            spread,
            f"{large[top]:.0f}% rate {top.lower()} a large barrier (4 or 5), "
            f"{large[smallest]:.0f}% {smallest.lower()}{illustrative}",
            "Percent of respondents (scores 0-2 left of the line, 3-5 right)",
            "",
            n=base,
            wrap=None,
            estimates=(*scores, *boxes),
        ),
    )


@dataclass(frozen=True)
class Capability:
    """Who says their council has the capability: the page's own group, then every council type.

    ``chart`` is None when fewer than two council types have a base to show;
    ``evidence`` (the headline's estimate) is None where the page's own share is
    not shown, which only a page too small to show has.
    """

    sentence: str
    headline: str
    evidence: Estimate | None
    types_sentence: str
    chart: Chart | None
    table: Table
    headline_label: str = "Say they have the capability"


def capability(
    frame: pd.DataFrame,
    *,
    group: str,
    scope: str,
    min_base: int,
    estimate: Estimator,
    weights: stats.Weights = None,
    weighted: bool = False,
    data_label: str = "",
) -> Capability:
    """The capability share for the page's group (everyone when its type is too small) and by type.

    ``frame`` is every respondent: the by-type table lists each council type,
    those below ``min_base`` with their n and no estimate. Only the row for
    everyone is weighted (``weights``).
    """
    table = capability_by_type(frame, min_base=min_base, weights=weights)
    shown = {
        r.council_type: estimate(
            claims.Quantity("share", CAPABILITY, (1,), r.council_type),
            f"Say they have the capability (% yes{', weighted' if weighted else ''}), "
            f"{r.group.lower() if r.council_type == survey.ALL else r.group}",
            r.estimate,
            ci_low=r.ci_low,
            ci_high=r.ci_high,
            n=r.n,
            weighted=weighted and r.council_type == survey.ALL,
        )
        for r in table.itertuples()
        if not r.suppressed
    }
    own = table.set_index("council_type").loc[group]
    evidence = shown.get(group)
    if evidence is None:
        sentence = f"Not shown for {scope}: {own.suppression_reason}."
        headline = f"not shown (n={int(own.n)})"
    else:
        (note,), shared = notes([evidence])
        share = format_share(own.estimate, own.ci_low, own.ci_high, int(own.n), note)
        sentence = (
            f"Among {scope}{' (weighted)' if weighted else ''}, **{share}** say their council "
            "has the knowledge, ability and confidence to deliver digital solutions to its "
            f"biggest challenges.{shared}"
        )
        headline = f"{own.estimate:.0f}% (n={int(own.n)})"
    visible, hidden = table[~table["suppressed"]], table[table["suppressed"]]
    visible = visible.assign(
        evidence=[shown[c].evidence for c in visible["council_type"]],
        whom=plots.chart_groups(visible["council_type"], group, survey.ALL),
    )
    types = visible[visible["council_type"] != survey.ALL]
    lines, chart = [], None
    if len(types) >= 2:
        low, high = types.loc[types["estimate"].idxmin()], types.loc[types["estimate"].idxmax()]
        (low_note, high_note), shared = notes([shown[low.council_type], shown[high.council_type]])
        compared = [shown[c] for c in types["council_type"]]
        overlap = types["ci_low"].max() <= types["ci_high"].min()
        if not estimates.all_findings(compared):
            comparison = f"How the types compare is {estimates.ILLUSTRATIVE}."
        elif overlap:
            comparison = "All their intervals overlap: with these bases no type clearly differs."
        else:
            comparison = "Not all their intervals overlap."
        lines.append(
            f"Shown types range from {low.estimate:.0f}% ({_who(low, low_note)}) to "
            f"{high.estimate:.0f}% ({_who(high, high_note)}).{shared} {comparison}"
        )
        chart = Chart(
            visible,
            f"Between {low.estimate:.0f}% and {high.estimate:.0f}% per council type say they "
            "have the capability" + ("" if estimates.all_findings(compared) else " (illustrative)"),
            "Percent answering yes, with 95% Wilson interval",
            "",
            n=f"{int(visible['n'].iloc[0])} (types shown: base at least {min_base})",
            wrap=None,
            estimates=tuple(shown.values()),
        )
    if not hidden.empty:
        lines.append(
            f"Not shown, because the base is below {min_base}: "
            + formatting.names([f"{r.group} (n = {int(r.n)})" for r in hidden.itertuples()])
            + "."
        )
    return Capability(
        sentence=sentence,
        headline=headline,
        evidence=evidence,
        types_sentence="\n\n".join(lines),
        chart=chart,
        table=Table(
            pd.DataFrame(
                {
                    "Council type": table["group"],
                    "Yes (%)": formatting.decimals(table["estimate"], 0),
                    "95% CI": formatting.intervals(
                        table["ci_low"], table["ci_high"], 0, sep=" to ", unit="%"
                    ),
                    "n": table["n"],
                    "Note": table["suppression_reason"],
                    "Evidence": [
                        shown[c].cell if c in shown else "" for c in table["council_type"]
                    ],
                }
            ),
            "Say their council has the capability, by council type"
            f"{' (all respondents weighted)' if weighted else ''}. "
            f"Base: n = {int(table['n'].iloc[0])}.{data_label}",
            estimates=tuple(shown.values()),
        ),
    )


@dataclass(frozen=True)
class CapabilityComparison:
    """Barrier scores of those who say their council has the capability against those who do not.

    ``chart`` (the compared barriers) and ``xlim`` are None when no group is large enough.
    """

    sentence: str
    chart: Chart | None
    xlim: tuple[float, float] | None
    table: Table


def _by_capability(item: str, group: str, answer: int) -> claims.Quantity:
    return claims.Quantity("mean", item, group=group, given=((CAPABILITY, (answer,)),))


def capability_comparison(
    frame: pd.DataFrame,
    *,
    scope: str,
    min_base: int,
    estimate: Estimator,
    group: str,
    data_label: str = "",
) -> CapabilityComparison:
    """Name the largest difference, and which barriers differ after Holm's adjustment, if any.

    Without a clear difference the sentence says the data show no clear link,
    rather than leaving the largest difference to read as one. A difference the
    published figures leave free is illustrative: it gets no test, and the page
    draws no conclusion about a link from it.
    """
    compare = compare_by_capability(frame, min_base=min_base)
    n_yes, n_no = int(compare["n_yes"].max()), int(compare["n_no"].max())
    tested = compare[~compare["suppressed"]]
    shown: dict[str, tuple[Estimate, Estimate, Estimate]] = {}
    for r in tested.itertuples():
        yes, no = _by_capability(r.item, group, 1), _by_capability(r.item, group, 0)
        shown[r.item] = (
            estimate(
                yes,
                f"{r.barrier} as a barrier, among those saying they have the capability "
                "(mean, 0-5)",
                r.mean_yes,
                n=r.n_yes,
                unit="",
            ),
            estimate(
                no,
                f"{r.barrier} as a barrier, among those saying they do not (mean, 0-5)",
                r.mean_no,
                n=r.n_no,
                unit="",
            ),
            estimate(
                claims.Quantity("difference", parts=(yes, no)),
                f"{r.barrier} as a barrier: has the capability minus does not (difference of "
                "means)",
                r.difference,
                ci_low=r.ci_low,
                ci_high=r.ci_high,
                n=r.n_yes + r.n_no,
                unit="scale points",
            ),
        )
    # A test is shown only for a difference the published figures speak to, and Holm's
    # adjustment is over the tests shown.
    testable = compare["item"].map(lambda item: item in shown and shown[item][2].is_finding)
    compare["welch_p_holm"] = holm(compare["welch_p"].where(testable))
    tested = compare[~compare["suppressed"]]
    differences = [three[2] for three in shown.values()]
    tests = estimates.all_findings(differences)
    among = f"Among {scope}, {n_yes} say yes and {n_no} say no."
    chart, xlim = None, None
    if tested.empty:
        sentence = (
            f"{among} A comparison needs at least {min_base} respondents in each group, so none "
            "is shown."
        )
    else:
        clear = tested[tested["welch_p_holm"] < 0.05]
        differ = "differs" if len(clear) == 1 else "differ"
        clear_names = clear["barrier"].str.lower().tolist()
        largest = tested.loc[tested["difference"].abs().idxmax()]
        ci = formatting.interval(largest.ci_low, largest.ci_high, 2, sep=" to ")
        if tests:
            note = shown[largest["item"]][2].phrase()
            sentence = (
                f"{among} The largest difference is for {largest.barrier.lower()}: "
                f"{largest.difference:+.2f} points (95% CI {ci}; Welch p = "
                f"{largest.welch_p:.2f}{f'; {note}' if note else ''}). "
                + (
                    f"After Holm adjustment, {formatting.names(clear_names)} {differ} at the 5% "
                    "level."
                    if not clear.empty
                    else "After Holm adjustment no barrier differs at the 5% level: with these "
                    "bases the data show no clear link between self-assessed capability and "
                    "barrier scores."
                )
            )
            title = (
                "No barrier differs clearly by self-assessed capability"
                if clear.empty
                else f"{formatting.names(clear_names).capitalize()} {differ} by self-assessed "
                "capability"
            )
        else:
            sentence = (
                f"{among} The largest difference shown is for {largest.barrier.lower()}: "
                f"{largest.difference:+.2f} points (95% CI {ci}). How barrier scores go with "
                f"self-assessed capability is {estimates.ILLUSTRATIVE}, so no test is given and "
                "the page draws no conclusion about a link."
            )
            title = "Barrier scores by self-assessed capability (illustrative)"
        reach = float(np.nanmax(np.abs(tested[["ci_low", "ci_high"]].to_numpy()))) * 1.15
        xlim = (-reach, reach)
        chart = Chart(
            tested.assign(evidence=[e.evidence for e in differences]),
            title,
            "Difference in mean score (has capability minus does not), with 95% Welch interval",
            "",
            n=f"{n_yes} yes, {n_no} no",
            wrap=None,
            estimates=tuple(differences),
        )

    untestable = compare["item"].map(lambda item: item in shown) & ~testable

    def p_column(name: str) -> pd.Series:
        return formatting.decimals(compare[name], 3).mask(untestable, formatting.MISSING)

    def mean_column(name: str, which: int) -> list[str]:
        written = formatting.decimals(compare[name], 2)
        return [
            estimates.marked(text, shown[item][which]) if item in shown else text
            for text, item in zip(written, compare["item"], strict=True)
        ]

    untested = bool(untestable.any())
    return CapabilityComparison(
        sentence=sentence,
        chart=chart,
        xlim=xlim,
        table=Table(
            pd.DataFrame(
                {
                    "Barrier": compare["barrier"],
                    "Mean, yes": mean_column("mean_yes", 0),
                    "n yes": compare["n_yes"],
                    "Mean, no": mean_column("mean_no", 1),
                    "n no": compare["n_no"],
                    "Difference": formatting.decimals(compare["difference"], 2, sign=True),
                    "95% CI": formatting.intervals(
                        compare["ci_low"], compare["ci_high"], 2, sep=" to "
                    ),
                    "Welch p": p_column("welch_p"),
                    "Holm p": p_column("welch_p_holm"),
                    "Mann-Whitney p": p_column("mann_whitney_p"),
                    "Note": compare["suppression_reason"],
                    "Evidence": [
                        shown[item][2].cell if item in shown else "" for item in compare["item"]
                    ],
                }
            ),
            f"Barrier scores by self-assessed capability, {scope}. "
            f"Base: n = {n_yes} yes, {n_no} no.{data_label}"
            + (
                " The Evidence column is the difference's; each mean carries its own mark."
                if shown
                else ""
            )
            + (
                f" No test is given ({formatting.MISSING}) for an illustrative difference: the "
                "report's figures leave it free, so it is set by the reconstruction's "
                "assumptions."
                if untested
                else ""
            ),
            estimates=tuple(e for three in shown.values() for e in three),
        ),
    )


@dataclass(frozen=True)
class Weighting:
    """What post-stratification does to the page's figures; a table only on a weighted page."""

    sentence: str
    table: Table | None = None


def weighting_comparison(
    frame: pd.DataFrame,
    *,
    poststratification: stats.PostStratification | None,
    council_type: str,
    estimate: Estimator,
    data_label: str = "",
) -> Weighting:
    """The headline figures unweighted beside post-stratified, and why they move.

    Only the all-respondents page is weighted (within one council type every
    weight is the same); the other pages say where to look instead. How far
    weighting moves a figure depends on how council types differ: where the
    published figures leave that free, the movement is illustrative.
    """
    if poststratification is None or council_type != survey.ALL:
        return Weighting(
            'Figures on this page are unweighted. Run it with `weighting = "council_type"` to '
            "see the headline figures post-stratified beside the unweighted ones."
            if council_type == survey.ALL
            else "Within one council type every respondent would carry the same weight, so "
            "weighting changes nothing here; the weighted comparison is on the all-respondents "
            "page."
        )
    post = poststratification
    effect = weighting_effect(frame, post.weights)
    quantities = [claims.Quantity("mean", item) for item in BARRIER_COLUMNS]
    quantities.append(claims.Quantity("share", CAPABILITY, (1,)))
    pairs = [
        tuple(
            estimate(
                q,
                _mean_name(q.column, weighted=weighted)
                if q.stat == "mean"
                else f"Say they have the capability (% yes{', weighted' if weighted else ''})",
                getattr(r, "weighted" if weighted else "unweighted"),
                ci_low=getattr(r, "weighted_low" if weighted else "unweighted_low"),
                ci_high=getattr(r, "weighted_high" if weighted else "unweighted_high"),
                n=r.n,
                unit="" if r.unit == "score" else "%",
                weighted=weighted,
            )
            for weighted in (False, True)
        )
        for q, r in zip(quantities, effect.itertuples(), strict=True)
    ]
    clipped = stats.clipped_note(effect, survey.BARRIER)
    mix = post.diagnostics
    mix = mix.assign(gap=mix["sample_pct"] - mix["population_pct"])
    mix = mix[mix["population_n"] > 0]
    over, under = mix.loc[mix["gap"].idxmax()], mix.loc[mix["gap"].idxmin()]
    share = effect[effect["unit"] == "percent"].iloc[0]
    plain_note, weighted_note = notes(pairs[-1])[0]
    scores = effect[effect["unit"] == "score"]
    moved = scores.loc[scores["difference"].abs().idxmax()]
    overlapping = (
        (effect["weighted_low"] <= effect["unweighted_high"])
        & (effect["unweighted_low"] <= effect["weighted_high"])
    ).all()
    findings = estimates.all_findings(e for pair in pairs for e in pair)
    label_of = {c.code: survey.in_sentence(c.label) for c in survey.COUNCIL_TYPES}
    if findings:
        why = ", because under- and over-represented council types answer differently. " + (
            "Every weighted interval overlaps its unweighted one."
            if overlapping
            else "Not every weighted interval overlaps its unweighted one."
        )
    else:
        why = (
            ". How far weighting moves a figure depends on how council types answer, which the "
            f"report does not publish: these movements are {estimates.ILLUSTRATIVE}."
        )
    sentence = (
        f"Design effect {post.design_effect:.2f}: the {len(frame)} respondents carry the "
        f"precision of about {post.n_eff:.0f}, so weighted intervals are wider. "
        f"{label_of[over.cell].capitalize()}s are {over.sample_pct:.0f}% of respondents but "
        f"{over.population_pct:.0f}% of councils; {label_of[under.cell]}s "
        f"{under.sample_pct:.0f}% against {under.population_pct:.0f}%. Weighting moves the "
        "share saying they have the capability from "
        f"{noted(f'{share.unweighted:.0f}%', plain_note)} to "
        f"{noted(f'{share.weighted:.0f}%', weighted_note)}, a change of "
        f"{share.weighted - share.unweighted:+.0f} points, and the barrier means by at most "
        f"{abs(moved.difference):.2f} on the 0-5 scale "
        f"({moved.figure.split(': ', 1)[1].lower()}){why}"
        + (
            " Council types with councils but no respondents cannot be represented: "
            f"{formatting.names([label_of[c] for c in post.unrepresented])}."
            if post.unrepresented
            else ""
        )
    )
    # Scores get two decimals, the capability share none: each row in its own unit.
    digits = effect["unit"].map({"score": 2, "percent": 0}).tolist()
    rows = list(zip(digits, effect.itertuples(), pairs, strict=True))
    table = pd.DataFrame(
        {
            "Figure": effect["figure"],
            "Unweighted": [estimates.marked(f"{r.unweighted:.{d}f}", p[0]) for d, r, p in rows],
            "95% CI (unweighted)": [
                formatting.interval(r.unweighted_low, r.unweighted_high, d, sep=" to ")
                for d, r, _ in rows
            ],
            "Weighted": [estimates.marked(f"{r.weighted:.{d}f}", p[1]) for d, r, p in rows],
            "95% CI (weighted)": [
                formatting.interval(r.weighted_low, r.weighted_high, d, sep=" to ")
                for d, r, _ in rows
            ],
            # + 0 turns a rounded -0.00 into +0.00; a difference is as strong as its weaker figure
            "Difference": [
                estimates.marked(
                    formatting.signed(round(r.difference, d) + 0, d), estimates.weakest(p)
                )
                for d, r, p in rows
            ],
            "n": effect["n"],
            "Effective n": formatting.decimals(effect["n_eff"], 0),
            "Evidence (unweighted)": [p[0].cell for p in pairs],
            "Evidence (weighted)": [p[1].cell for p in pairs],
        }
    )
    return Weighting(
        sentence,
        Table(
            table,
            "Headline figures unweighted and post-stratified by council type; a difference is "
            "marked as the weaker of its two figures. "
            f"Base: n = {len(frame)}, design effect {post.design_effect:.2f}.{data_label}"
            + (f" {clipped}" if clipped else ""),
            estimates=tuple(e for pair in pairs for e in pair),
        ),
    )


@dataclass(frozen=True)
class FrameworkMap:
    """The Future Councils framework as a stage x challenge matrix, with what it cannot show.

    The chart's frame is :func:`framework_matrix`; it is published text, not survey
    data, so its chart carries the report's citation as its source and no data label.
    """

    sentence: str
    chart: Chart
    table: Table


def framework_map(framework: pd.DataFrame, *, citation: str) -> FrameworkMap:
    """Which challenges are tagged at every stage and which never, and the links the text lost.

    Labels and notes come from a data file, so they are escaped where they reach Markdown.
    """
    matrix = framework_matrix(framework)
    caveats = framework_caveats(framework)
    linked = matrix.gt(0)
    everywhere = [label for (_, label), col in linked.items() if col.all()]
    never = [label for (_, label), col in linked.items() if not col.any()]
    n_tags = int(matrix.to_numpy().sum())
    md = formatting.escape_markdown
    sentence = (
        f"The report's text gives {n_tags} tags linking a stage to a challenge or barrier. "
        f"{md(formatting.names(everywhere))} are tagged at every one of the {len(matrix)} "
        f"stages; {len(never)} of the {matrix.shape[1]} challenges and barriers are never "
        f"tagged ({md(formatting.names([label.lower() for label in never]))}).\n\n"
        "**What the matrix cannot show.** The report also draws links in its graphics, and "
        "those did not survive text extraction, so the matrix holds only the tags the text "
        "states. The transcription notes say so:\n\n"
        + "\n".join(
            f"- {md(row.id)} ({md(row.label)}): {md(row.note)}" for row in caveats.itertuples()
        )
    )
    return FrameworkMap(
        sentence=sentence,
        chart=Chart(
            matrix,
            f"{formatting.names(everywhere)} are tagged at all {len(matrix)} stages of a "
            "transformation",
            "Common challenge or systemic barrier",
            "Lifecycle stage",
            n=f"{n_tags} tags",
            source=f"{citation}; tags as transcribed with quotes in "
            "data/published/future_councils_framework.csv",
            wrap=None,
            synthetic=False,  # published text, not survey data: no data label
        ),
        table=Table(
            framework_sources(framework).rename(
                columns={
                    "id": "Id",
                    "kind": "Kind",
                    "label": "Name",
                    "tags": "Tags",
                    "quote": "Quote",
                }
            ),
            "The framework's stages, challenges and barriers in the report's words. "
            f"Source: {citation}. Published text, not survey data; {n_tags} tags.",
        ),
    )


@dataclass(frozen=True)
class Reproduction:
    """How many of the report's figures the data reproduce; the table only where they apply."""

    sentence: str
    table: Table | None = None


def reproduction(fidelity: pd.DataFrame | None, *, n: int, data_label: str = "") -> Reproduction:
    """The report's figures on barriers and capability beside the data's (``fidelity``).

    The report publishes them for all respondents only: ``fidelity`` is None on
    every other page, which says where the check is.
    """
    if fidelity is None:
        return Reproduction(
            "The report publishes these figures for all respondents only; the check is on the "
            "all-respondents page."
        )
    within = int(fidelity["within tolerance"].sum())
    return Reproduction(
        f"**{within} of the report's {len(fidelity)} figures on these questions are "
        "reproduced within their stated rounding.**",
        Table(
            formatting.yes_no(
                fidelity.assign(
                    published=fidelity["published"].map(formatting.as_published),
                    difference=formatting.decimals(fidelity["difference"], 2, sign=True),
                    **{
                        "computed from data": formatting.decimals(fidelity["computed from data"], 2)
                    },
                )
            ),
            "Published figures on barriers and capability and the same figures from the data. "
            f"Base: n = {n}.{data_label}",
        ),
    )


@dataclass(frozen=True)
class Results:
    """Everything the page shows, computed before it shows any (its main points lead)."""

    scope: str
    ranking: Ranking
    spread: Spread
    capability: Capability
    comparison: CapabilityComparison
    weighting: Weighting
    framework: FrameworkMap
    reproduction: Reproduction


def results(page: SurveyPage, framework: pd.DataFrame, citation: str) -> Results:
    """The page's results; ``framework`` and ``citation``: the Future Councils framework."""
    from councildigital.sections.page import reproduces_the_report

    shown_scope = scope(page.label, page.council_type, page.too_small)
    data_label = f" {page.microdata.label}." if page.synthetic else ""
    common = {"scope": shown_scope, "estimate": page.estimate}
    ranked = ranking(
        page.shown,
        group=page.group,
        weights=page.estimate_weights,
        weighted=page.weighted,
        data_label=data_label,
        **common,
    )
    fidelity = reproduces_the_report(page, REPORTED_QUESTIONS) if page.is_all else None
    return Results(
        scope=shown_scope,
        ranking=ranked,
        spread=score_spread(page.shown, means=ranked.means, group=page.group, **common),
        capability=capability(
            page.all,
            group=page.group,
            min_base=page.min_base,
            weights=page.estimate_weights,
            weighted=page.weighted,
            data_label=data_label,
            **common,
        ),
        comparison=capability_comparison(
            page.shown,
            min_base=page.min_base,
            group=page.group,
            data_label=data_label,
            **common,
        ),
        weighting=weighting_comparison(
            page.all,
            poststratification=page.poststratification,
            council_type=page.council_type,
            estimate=page.estimate,
            data_label=data_label,
        ),
        framework=framework_map(framework, citation=citation),
        reproduction=reproduction(fidelity, n=len(page.all), data_label=data_label),
    )


def main_points(page: SurveyPage, found: Results) -> list[MainPoint]:
    """The page's main points, most important first (illustrative ones are left out)."""
    largest = found.ranking.largest
    points = [
        MainPoint(
            f"{page.who}: the largest barrier (mean score, 0-5) is {largest.headline}.",
            tuple(largest.evidence),
        )
    ]
    held = found.capability
    if held.evidence is not None:
        points.append(
            MainPoint(
                f"{page.who}: {held.headline} say their council has the knowledge, ability and "
                "confidence to deliver digital solutions to its biggest challenges.",
                (held.evidence,),
            )
        )
    return page.with_report_findings(points, ANSWER_COLUMNS)


COMPARABILITY = (
    "Barrier scores use the 2024 report's 0-5 scale and bases, so the page for all "
    "respondents can be checked against its published figures (see the last section). The "
    "Future Councils framework is published text from a different study (a pilot of a few "
    "councils), not survey data: it sits beside the scores, not on the same scale. Comparing "
    "those with and without capability is an association in one survey, not a cause."
)
