"""Barriers to digital and councils' view of their own capability (report section 03).

Survey side: how big each barrier is (0-5 means and the full distributions),
who says their council has the knowledge, ability and confidence to deliver,
and whether barrier scores differ between those who say yes and those who say
no. Published side: the Future Councils report's barrier framework as a
lifecycle stage x challenge/barrier matrix. Every estimate carries its base n.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests

from councildigital import stats
from councildigital.data import survey
from councildigital.data.microdata import column_name

BARRIER_COLUMNS: tuple[str, ...] = tuple(column_name("barrier", c.code) for c in survey.BARRIERS)
CAPABILITY = "has_capability"
_BARRIER_LABEL = {column_name("barrier", c.code): c.label for c in survey.BARRIERS}
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
        frame[list(BARRIER_COLUMNS)], weights=weights, level=level, allowed=survey.BARRIER
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
    base below ``min_base`` is blanked with the reason (``stats.suppress``).
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
    )
    labels = {c.code: c.label for c in survey.COUNCIL_TYPES} | {survey.ALL: "All respondents"}
    table.insert(2, "group", table["council_type"].map(labels))
    return stats.suppress(table, min_base=min_base)


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
    tested = table["welch_p"].notna()
    table["welch_p_holm"] = np.nan
    if tested.any():
        table.loc[tested, "welch_p_holm"] = multipletests(
            table.loc[tested, "welch_p"], method="holm"
        )[1]
    return table


def weighting_effect(
    frame: pd.DataFrame, weights: pd.Series, *, level: float = 0.95
) -> pd.DataFrame:
    """The headline figures unweighted and post-stratified side by side.

    Shows a reader how much the sample's mix of council types moves each figure,
    and how much wider the weighted interval is (``n_eff`` below ``n``).
    ``bounded`` marks scores whose interval (either one) was clipped to 0-5.
    """
    columns = list(BARRIER_COLUMNS)
    plain = stats.mean_ci(frame[columns], level=level, allowed=survey.BARRIER).set_index("item")
    weighted = stats.mean_ci(
        frame[columns], weights=weights, level=level, allowed=survey.BARRIER
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
    plain_share = stats.share(frame[CAPABILITY], 1, level=level).iloc[0]
    weighted_share = stats.share(frame[CAPABILITY], 1, weights=weights, level=level).iloc[0]
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


def scope(label: str, council_type: str, too_small: bool) -> str:
    """Whom the page's figures describe: a type too small to show gets everyone, and says so."""
    if too_small:
        return f"all respondents (shown for context: too few {label.lower()} respondents)"
    return f"{label} respondents" if council_type != survey.ALL else "all respondents"


@dataclass(frozen=True)
class Largest:
    """The page's words for the largest barrier: its sentence, chart title and headline."""

    sentence: str
    title: str
    headline_label: str
    headline: str


def largest_barriers(means: pd.DataFrame, scope: str, *, weighted: bool = False) -> Largest:
    """Name the largest barrier of :func:`barrier_means`, or every barrier tied for the top.

    A tie is decided on the means as the page shows them (one decimal), not on
    exact values: a page printing "funding (3.6), skills (3.6)" cannot call
    funding the largest without contradicting itself, and an exact tie is one
    case of it.
    """
    shown = means["mean"].map("{:.1f}".format)
    tied = means[shown == shown.iloc[0]]
    top = tied.iloc[0]
    among = f"Among {scope}{' (post-stratified by council type)' if weighted else ''}, "
    if len(tied) == 1:
        return Largest(
            sentence=f"{among}**{top.barrier.lower()}** has the highest mean score, "
            f"{format_mean(top['mean'], top.ci_low, top.ci_high, top.n)}.",
            title=f"{top.barrier} is the largest barrier to digital ({top['mean']:.1f} out of 5)",
            headline_label="Largest barrier (mean score, 0-5)",
            headline=f"{top.barrier}: {top['mean']:.1f} (n={int(top.n)})",
        )
    names = [top.barrier, *tied["barrier"].iloc[1:].str.lower()]
    figures = [format_mean(r.mean, r.ci_low, r.ci_high, r.n) for r in tied.itertuples()]
    return Largest(
        sentence=f"{among}{join_words([f'**{name.lower()}**' for name in names])} are tied for "
        f"the highest mean score: {join_words(figures)} respectively.",
        # Barrier names hold "and" themselves: a list of them is separated by semicolons.
        title=f"Tied as the largest barriers to digital ({shown.iloc[0]} out of 5): "
        f"{'; '.join(name.lower() for name in names)}",
        headline_label="Largest barriers (mean score, 0-5)",
        headline=f"{'; '.join(names)} (tied): {shown.iloc[0]} (n={format_base(tied['n'])})",
    )


def format_mean(mean: float, low: float, high: float, n: int) -> str:
    """A mean as a reader sees it in the text: estimate, 95% interval and base."""
    return f"{mean:.1f} (95% CI {low:.1f} to {high:.1f}; n = {n})"


def format_share(estimate: float, low: float, high: float, n: int) -> str:
    """A percentage with its Wilson interval and base, for the text."""
    return f"{estimate:.0f}% (95% CI {low:.0f}% to {high:.0f}%; n = {n})"


def format_base(ns: pd.Series) -> str:
    """The base of a chart whose items were answered by different numbers: "78" or "75 to 78"."""
    low, high = int(ns.min()), int(ns.max())
    return str(low) if low == high else f"{low} to {high}"


def join_words(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c': lists of names inside a sentence."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
