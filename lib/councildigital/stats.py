"""Survey statistics for the report notebooks: shares, means, paired gaps, weights, suppression,
and the design-based (Taylor-linearised, clustered) variance of weighted means and shares.

Every function takes respondent microdata (one row per respondent, integer answer
codes, NaN for item non-response), leaves missing answers out of the base, and
returns a tidy DataFrame in which every estimate carries its unweighted base
``n``, so a notebook can show the table as it is and pass it to :func:`suppress`.
Shares are in percent, differences of shares in percentage points, means in the
units of the answer scale.

Inference comes from statsmodels and scipy. The one interval written out here is
Newcombe's interval for a difference of paired proportions, which neither
library provides (statsmodels has intervals only for independent proportions).

Weighted estimates use the Kish effective sample size ``(sum w)^2 / sum w^2`` of
the respondents in the base as the sample size of the interval: the usual
approximation for unequal weights, which widens the interval by the loss of
precision the weights cause, and reduces to the unweighted interval when all
weights are equal. :func:`design_mean` is the design-based alternative: the
Taylor-linearised variance of a weighted mean or share with respondents
clustered in councils (what R's ``survey`` package computes), of which Kish's
effective n is the comparison.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from councildigital.data import survey

ALL = survey.ALL
# Below ten answers one respondent moves a percentage by more than ten points,
# so such bases are suppressed by default.
MIN_BASE = 10
# McNemar's chi-square approximation is trusted from 25 discordant pairs up;
# below that the exact binomial test is used.
MCNEMAR_EXACT_BELOW = 25
BOOTSTRAP_SEED = 20240601
BOOTSTRAP_RESAMPLES = 9999

Allowed = survey.Scale | Iterable[float] | None
Weights = pd.Series | np.ndarray | str | None


# --------------------------------------------------------------------------- checks


def _check_level(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"confidence level must be between 0 and 1, got {level!r}")
    return 1 - level


def _check_columns(frame: pd.DataFrame, names: Iterable[str]) -> None:
    for name in names:
        if name not in frame.columns:
            near = difflib.get_close_matches(str(name), [str(c) for c in frame.columns], n=3)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise ValueError(f"column {name!r} not found in the data{hint}")


def _allowed_values(allowed: Allowed) -> set[float] | None:
    if allowed is None:
        return None
    return set(allowed.values if isinstance(allowed, survey.Scale) else allowed)


def _answers(series: pd.Series, allowed: set[float] | None) -> np.ndarray:
    """The answers of one column as floats with NaN for no answer, after checking them."""
    name = series.name
    if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)):
        raise ValueError(
            f"column {name!r} holds non-numeric answers (dtype {series.dtype}); "
            "expected integer answer codes with NaN for no answer"
        )
    values = series.to_numpy(dtype=float, na_value=np.nan)
    if allowed is not None:
        outside = sorted(set(values[~np.isnan(values)]) - allowed)
        if outside:
            raise ValueError(
                f"column {name!r} has values outside the allowed set "
                f"{sorted(allowed)}: {[_plain(v) for v in outside]}"
            )
    return values


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _as_list(names: str | Sequence[str]) -> list[str]:
    return [names] if isinstance(names, str) else list(names)


def _weights(weights: Weights, frame: pd.DataFrame) -> np.ndarray | None:
    """Weights aligned to the rows of ``frame``: a column name, an indexed Series or an array."""
    if weights is None:
        return None
    if isinstance(weights, str):
        _check_columns(frame, [weights])
        weights = frame[weights]
    if isinstance(weights, pd.Series):
        aligned = weights.reindex(frame.index)
        if aligned.isna().any():
            raise ValueError(
                f"weights: {int(aligned.isna().sum())} respondent(s) in the data have no weight "
                "(NaN, or their index is not in the weights)"
            )
        values = aligned.to_numpy(dtype=float, na_value=np.nan)
    else:
        values = np.asarray(weights, dtype=float)
        if values.shape != (len(frame),):
            raise ValueError(f"weights: expected {len(frame)} values, got shape {values.shape}")
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError("weights: every weight must be a finite number >= 0 (no NaN)")
    return values


def _items(data: pd.Series | pd.DataFrame, weights: Weights) -> pd.DataFrame:
    """A Series as a one-column frame; a weights column named by string is not an item."""
    if isinstance(data, pd.Series):
        return data.to_frame(data.name if data.name is not None else "value")
    if isinstance(weights, str):
        _check_columns(data, [weights])
        return data.drop(columns=weights)
    return data


def _weighted_source(data: pd.Series | pd.DataFrame) -> pd.DataFrame:
    return data.to_frame() if isinstance(data, pd.Series) else data


# --------------------------------------------------------------------------- building blocks


def effective_n(weights: Sequence[float] | np.ndarray | pd.Series) -> float:
    """Kish's effective sample size ``(sum w)^2 / sum w^2``: n for equal weights, less otherwise."""
    w = np.asarray(weights, dtype=float)
    total = np.sum(w**2)
    return float(np.sum(w) ** 2 / total) if total > 0 else 0.0


def _wilson(p: np.ndarray, n_eff: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson interval for share ``p`` on (effective) sample size ``n_eff``; NaN where it is 0."""
    p, n_eff = np.broadcast_arrays(np.asarray(p, float), np.asarray(n_eff, float))
    low = np.full(p.shape, np.nan)
    high = np.full(p.shape, np.nan)
    ok = (n_eff > 0) & np.isfinite(p)
    if ok.any():
        low[ok], high[ok] = proportion_confint(
            p[ok] * n_eff[ok], n_eff[ok], alpha=alpha, method="wilson"
        )
    # At 0% and 100% the Wilson limit is exactly the bound; remove rounding noise.
    low[ok & (p == 0)] = 0.0
    high[ok & (p == 1)] = 1.0
    return low, high


def _clustered_n(y: np.ndarray, w: np.ndarray | None, clusters: np.ndarray, kish: float) -> float:
    """The effective n of a share whose respondents are clustered (:func:`design_mean`);
    Kish's where fewer than two councils answered, as no cluster variance exists then."""
    answered = ~np.isnan(y)
    if len(set(clusters[answered].tolist())) < 2:
        return kish
    found = design_mean(y, weights=w, clusters=clusters)
    return found.n_eff if np.isfinite(found.design_effect) else kish


def _cluster_labels(clusters: pd.Series | None, frame: pd.DataFrame) -> np.ndarray | None:
    """Each respondent's council (aligned to ``frame``'s rows), or None."""
    if clusters is None:
        return None
    aligned = clusters.reindex(frame.index)
    if aligned.isna().any():
        raise ValueError(f"clusters: {int(aligned.isna().sum())} respondent(s) have no council")
    return aligned.astype(str).to_numpy()


def _share_table(
    items: pd.DataFrame,
    values: set[float],
    w: np.ndarray | None,
    alpha: float,
    allowed: set[float] | None,
    clusters: np.ndarray | None = None,
) -> pd.DataFrame:
    """Vectorised shares of every column of ``items``; empty bases give NaN estimates.

    ``clusters``: each row's council; the interval's n is then the design's effective n.
    """
    x = np.column_stack([_answers(items[c], allowed) for c in items.columns])
    valid = ~np.isnan(x)
    hit = np.isin(x, list(values)) & valid
    weight = (np.ones(len(items)) if w is None else w)[:, None] * valid
    total = weight.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(total > 0, (weight * hit).sum(axis=0) / total, np.nan)
        n_eff = np.where(total > 0, total**2 / (weight**2).sum(axis=0), 0.0)
    if clusters is not None:
        n_eff = np.array(
            [
                _clustered_n(np.where(valid[:, j], hit[:, j], np.nan), w, clusters, n_eff[j])
                for j in range(x.shape[1])
            ]
        )
    low, high = _wilson(p, n_eff, alpha)
    return pd.DataFrame(
        {
            "item": list(items.columns),
            "estimate": 100 * p,
            "ci_low": 100 * low,
            "ci_high": 100 * high,
            "count": hit.sum(axis=0),
            "n": valid.sum(axis=0),
            "n_eff": n_eff,
        }
    )


def _targets(values: float | Iterable[float], allowed: set[float] | None, where: str) -> set:
    targets = {values} if np.isscalar(values) else set(values)
    if not targets:
        raise ValueError(f"{where}: `values` names no answer to count")
    if allowed is not None and not targets <= allowed:
        raise ValueError(
            f"{where}: values {sorted(targets - allowed)} are not in the allowed set "
            f"{sorted(allowed)}"
        )
    return targets


def _raise_if_empty(table: pd.DataFrame) -> None:
    empty = table.loc[table["n"] == 0, "item"].tolist()
    if empty:
        raise ValueError(f"column(s) {empty} have no non-missing answers (empty base)")


# --------------------------------------------------------------------------- shares


def share(
    data: pd.Series | pd.DataFrame,
    values: float | Iterable[float] = 1,
    *,
    weights: Weights = None,
    level: float = 0.95,
    allowed: Allowed = None,
    clusters: pd.Series | None = None,
) -> pd.DataFrame:
    """Percent of respondents giving any of ``values``, with a Wilson interval, per column.

    Wilson rather than Wald because the bases here are small and shares near 0 or
    100% are common; Wald intervals then undercover or collapse to zero width.
    NaN answers are left out of the base. With weights the estimate is weighted,
    ``count`` and ``n`` stay unweighted, and the interval uses ``n_eff``.
    ``allowed`` (a :class:`survey.Scale` or values) turns unexpected codes into errors.
    ``clusters`` (each respondent's council, by index): ``n_eff`` is then the design's
    effective n, n over the Taylor-linearised design effect (:func:`design_mean`), so
    the interval allows for respondents clustered in councils.

    Returns one row per column: item, estimate, ci_low, ci_high, count, n, n_eff.
    """
    alpha = _check_level(level)
    allowed_set = _allowed_values(allowed)
    items = _items(data, weights)
    targets = _targets(values, allowed_set, "share")
    w = _weights(weights, _weighted_source(data))
    groups = _cluster_labels(clusters, items)
    table = _share_table(items, targets, w, alpha, allowed_set, groups)
    _raise_if_empty(table)
    return table


def shares_by(
    frame: pd.DataFrame,
    column: str | Sequence[str],
    by: str,
    values: float | Iterable[float] = 1,
    *,
    weights: Weights = None,
    level: float = 0.95,
    allowed: Allowed = None,
    groups: Sequence | None = None,
    clusters: pd.Series | None = None,
) -> pd.DataFrame:
    """:func:`share` of each column for everyone ("all") and for each group of ``by``.

    ``groups`` fixes the groups and their order (e.g. ``survey.codes(survey.COUNCIL_TYPES)``);
    a group with no respondents is kept with n = 0 and NaN estimates rather than
    dropped, and a value of ``by`` not in ``groups`` is an error. Without it the
    groups are the categories of a categorical ``by``, else its sorted values.
    Respondents with no ``by`` value count in "all" only. ``clusters`` as in :func:`share`.

    Returns item, <by>, estimate, ci_low, ci_high, count, n, n_eff; "all" first per item.
    """
    alpha = _check_level(level)
    columns = _as_list(column)
    _check_columns(frame, [*columns, by])
    allowed_set = _allowed_values(allowed)
    targets = _targets(values, allowed_set, "shares_by")
    w = _weights(weights, frame)
    councils = _cluster_labels(clusters, frame)
    key = frame[by]
    levels = _levels(key, groups, by)
    if ALL in levels:
        raise ValueError(f"column {by!r} has a group named {ALL!r}, which is the whole-sample row")
    parts = []
    for group in [ALL, *levels]:
        mask = np.ones(len(frame), bool) if group == ALL else (key == group).to_numpy()
        part = _share_table(
            frame.loc[mask, columns],
            targets,
            None if w is None else w[mask],
            alpha,
            allowed_set,
            None if councils is None else councils[mask],
        )
        if group == ALL:
            _raise_if_empty(part)
        part.insert(1, by, group)
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    order = {name: i for i, name in enumerate(columns)}
    return table.sort_values("item", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )


def _levels(series: pd.Series, order: Sequence | None, name: str) -> list:
    present = series.dropna().unique()
    if order is None:
        if isinstance(series.dtype, pd.CategoricalDtype):
            return list(series.cat.categories)
        # Answer codes read as floats (because of NaN) are shown as the integers they are.
        return [_plain(v) if isinstance(v, float | np.floating) else v for v in sorted(present)]
    unknown = sorted(set(present) - set(order), key=str)
    if unknown:
        raise ValueError(
            f"column {name!r} has values outside the allowed set {list(order)}: {unknown}"
        )
    return list(order)


# --------------------------------------------------------------------------- means


def mean_ci(
    data: pd.Series | pd.DataFrame,
    *,
    weights: Weights = None,
    level: float = 0.95,
    method: str = "t",
    n_resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    allowed: Allowed = None,
    clusters: pd.Series | None = None,
) -> pd.DataFrame:
    """Mean answer per column with a t interval, or a seeded percentile bootstrap interval.

    The t interval (statsmodels ``DescrStatsW``) is the default; the bootstrap
    (scipy, resampling respondents with their weights) is there for checking it
    on skewed or bounded scales with small n. Weighted: weights are rescaled to
    sum to ``n_eff``, so the standard error and degrees of freedom use the
    effective sample size. Intervals need n >= 2 and are NaN otherwise.

    With an ``allowed`` scale, an interval running past the scale's lowest or
    highest answer is clipped to it and flagged ``bounded``: no mean can lie
    outside the scale, so the clipped part holds no plausible value, and clipping
    keeps the t interval everywhere else (a transformed interval would move every
    row's limits). A clipped interval is no longer symmetric about the mean, and
    its coverage stays the t interval's; the page says which intervals were
    clipped (:func:`clipped_note`). Without ``allowed`` nothing is clipped.

    ``clusters`` (each respondent's council, by index): the t interval is then the
    design's, on the Taylor-linearised standard error with councils as clusters and
    ``councils - 1`` degrees of freedom (:func:`design_mean_ci`), and ``n_eff`` the
    design's effective n; where fewer than two councils answered, as without. The
    bootstrap resamples respondents, so it does not take clusters.

    Returns item, mean, ci_low, ci_high, bounded, sd, n, n_eff, method.
    """
    alpha = _check_level(level)
    if method not in ("t", "bootstrap"):
        raise ValueError(f"mean_ci: method must be 't' or 'bootstrap', got {method!r}")
    allowed_set = _allowed_values(allowed)
    ends = (min(allowed_set), max(allowed_set)) if allowed_set else (-np.inf, np.inf)
    if clusters is not None and method == "bootstrap":
        raise ValueError("mean_ci: the bootstrap resamples respondents; with clusters use 't'")
    items = _items(data, weights)
    w_all = _weights(weights, _weighted_source(data))
    councils = _cluster_labels(clusters, items)
    rows = []
    for name in items.columns:
        x = _answers(items[name], allowed_set)
        keep = ~np.isnan(x)
        x = x[keep]
        w = np.ones(len(x)) if w_all is None else w_all[keep]
        if len(x) == 0 or w.sum() == 0:
            raise ValueError(
                f"column {name!r} has no non-missing answers with a positive weight (empty base)"
            )
        n_eff = effective_n(w)
        described = DescrStatsW(x, weights=w * n_eff / w.sum(), ddof=1)
        low = high = sd = np.nan
        if len(x) >= 2:
            sd = described.std
            if councils is not None and len(set(councils[keep].tolist())) >= 2:
                _, low, high, found = design_mean_ci(
                    x, weights=w, clusters=councils[keep], level=level
                )
                n_eff = found.n_eff
            elif method == "t":
                low, high = described.tconfint_mean(alpha=alpha)
            else:
                low, high = _bootstrap_mean(x, w, level, n_resamples, seed)
        bounded = bool(low < ends[0] or high > ends[1])
        rows.append(
            {
                "item": name,
                "mean": described.mean,
                "ci_low": max(low, ends[0]) if bounded else low,
                "ci_high": min(high, ends[1]) if bounded else high,
                "bounded": bounded,
                "sd": sd,
                "n": len(x),
                "n_eff": n_eff,
                "method": method,
            }
        )
    return pd.DataFrame(rows)


def clipped_note(table: pd.DataFrame, allowed: Allowed) -> str:
    """The sentence a table or chart of :func:`mean_ci` results needs when any interval was clipped.

    Empty when none was, so a page can always append it.
    """
    if not table["bounded"].any():
        return ""
    values = _allowed_values(allowed)
    return f"Intervals clipped to the scale's {_plain(min(values))}-{_plain(max(values))} range."


def clipped_caption(caption: str, table: pd.DataFrame, allowed: Allowed) -> str:
    """A caption without its final full stop, with :func:`clipped_note` joined on where it applies."""
    note = clipped_note(table, allowed)
    return f"{caption}. {note.rstrip('.')}" if note else caption


def _bootstrap_mean(
    x: np.ndarray, w: np.ndarray, level: float, n_resamples: int, seed: int
) -> tuple[float, float]:
    if np.ptp(x) == 0:  # every resample has the same mean
        return float(x[0]), float(x[0])
    result = sps.bootstrap(
        (x, w),
        lambda x, w, axis: np.sum(x * w, axis=axis) / np.sum(w, axis=axis),
        paired=True,
        vectorized=True,
        n_resamples=n_resamples,
        confidence_level=level,
        method="percentile",
        rng=np.random.default_rng(seed),
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


# --------------------------------------------------------------------------- paired comparisons


def _pairs(
    frame: pd.DataFrame, a: str | Sequence[str], b: str | Sequence[str]
) -> list[tuple[str, str]]:
    first, second = _as_list(a), _as_list(b)
    if len(first) != len(second):
        raise ValueError(
            f"a and b must name as many columns each, got {len(first)} and {len(second)}"
        )
    _check_columns(frame, [*first, *second])
    return list(zip(first, second, strict=True))


def _complete(
    frame: pd.DataFrame, a: str, b: str, allowed
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Both answers of those answering both, and which rows they are."""
    x, y = _answers(frame[a], allowed), _answers(frame[b], allowed)
    both = ~(np.isnan(x) | np.isnan(y))
    if not both.any():
        raise ValueError(f"columns {a!r} and {b!r} have no respondent answering both (empty base)")
    return x[both], y[both], both


# How a paired comparison says its test when councils are clusters.
CLUSTERED_TEST = "design-based t, councils as clusters"


def _clustered_gap(
    d: np.ndarray, councils: np.ndarray | None, level: float
) -> tuple[float, float, float] | None:
    """The mean of paired differences ``d`` with the design's t interval and p-value, councils
    as clusters (:func:`design_mean_ci`); None without councils or with fewer than two."""
    if councils is None or len(set(councils.tolist())) < 2:
        return None
    mean, low, high, found = design_mean_ci(d, clusters=councils, level=level)
    if not found.se > 0:
        return None
    p = 2 * sps.t.sf(abs(mean / found.se), found.clusters - 1)
    return low, high, float(p)


def paired_gap(
    frame: pd.DataFrame,
    a: str | Sequence[str],
    b: str | Sequence[str],
    *,
    level: float = 0.95,
    allowed: Allowed = None,
    clusters: pd.Series | None = None,
) -> pd.DataFrame:
    """Mean of ``a - b`` over respondents who answered both (e.g. potential minus plan).

    Paired, because the same respondents answer both: the paired t test and
    interval (scipy ``ttest_rel``) use the within-respondent differences, and the
    Wilcoxon signed-rank test (scipy, zero differences dropped as in Wilcoxon's
    original; exact without ties, otherwise a permutation or normal approximation
    chosen by scipy) checks the result without assuming normal differences on a
    1-5 scale. ``a`` and ``b`` may be lists, paired in order. Unweighted.
    Tests are NaN when undefined (n < 2, or every difference the same).
    ``clusters`` (each respondent's council, by index): the interval and the t test
    are then the design's, on the mean difference's linearised standard error with
    councils as clusters (``councils - 1`` degrees of freedom); the Wilcoxon check
    stays the respondents'.

    Returns item_a, item_b, mean_a, mean_b, mean_diff, ci_low, ci_high, t_p, wilcoxon_p, n.
    """
    _check_level(level)
    allowed_set = _allowed_values(allowed)
    councils = _cluster_labels(clusters, frame)
    rows = []
    for col_a, col_b in _pairs(frame, a, b):
        x, y, both = _complete(frame, col_a, col_b, allowed_set)
        d = x - y
        low = high = t_p = w_p = np.nan
        if len(d) >= 2 and np.ptp(d) > 0:
            clustered = _clustered_gap(d, None if councils is None else councils[both], level)
            if clustered is None:
                t = sps.ttest_rel(x, y)
                low, high = t.confidence_interval(confidence_level=level)
                t_p = t.pvalue
            else:
                low, high, t_p = clustered
        if np.any(d != 0) and len(d) >= 2:
            w_p = wilcoxon_p(d)
        rows.append(
            {
                "item_a": col_a,
                "item_b": col_b,
                "mean_a": x.mean(),
                "mean_b": y.mean(),
                "mean_diff": d.mean(),
                "ci_low": low,
                "ci_high": high,
                "t_p": t_p,
                "wilcoxon_p": w_p,
                "n": len(d),
            }
        )
    return pd.DataFrame(rows)


# scipy's "auto" method runs an exact sign-flip test when there are ties or zeros and at
# most this many differences (2**13 flips fit in its 9,999 resamples).
_EXACT_FLIPS_UP_TO = 13


def wilcoxon_p(d: np.ndarray) -> float:
    """Two-sided Wilcoxon signed-rank p-value of paired differences ``d``, zeros dropped.

    The same value as ``scipy.stats.wilcoxon(d, zero_method="wilcox", method="auto")``.
    With ties or zeros among at most 13 differences that method enumerates all 2**n
    sign flips through :func:`scipy.stats.permutation_test`, computing the statistic one
    flip at a time (about a second per test on Likert answers); here the same
    permutation test gets a vectorised statistic: the ranks of ``|d|`` do not change
    when signs flip, so the sum of positive ranks is one product per flip.
    """
    d = np.asarray(d, dtype=float)
    nonzero = d != 0
    magnitudes = np.abs(d[nonzero])
    ties_or_zeros = not nonzero.all() or len(np.unique(magnitudes)) < len(magnitudes)
    if not ties_or_zeros or len(d) > _EXACT_FLIPS_UP_TO:
        return float(sps.wilcoxon(d, zero_method="wilcox", method="auto").pvalue)
    ranks = np.zeros_like(d)
    ranks[nonzero] = sps.rankdata(magnitudes)

    def positive_rank_sum(flipped: np.ndarray, axis: int) -> np.ndarray:
        return np.sum((np.moveaxis(flipped, axis, -1) > 0) * ranks, axis=-1)

    return float(
        sps.permutation_test(
            (d,),
            positive_rank_sum,
            permutation_type="samples",
            vectorized=True,
            alternative="two-sided",
        ).pvalue
    )


def newcombe_paired_ci(
    both: int, a_only: int, b_only: int, neither: int, level: float = 0.95
) -> tuple[float, float]:
    """Newcombe's (1998) method 10 interval for ``P(a) - P(b)`` from a paired 2x2 table.

    Newcombe RG, "Improved confidence intervals for the difference between
    binomial proportions based on paired data", Stat Med 1998;17:2635-50. It
    combines the Wilson intervals of the two marginal shares, corrected for their
    correlation (phi, with Newcombe's continuity adjustment). Chosen over
    Wald-with-continuity because it stays inside [-1, 1], keeps a sensible width
    when b = c = 0 and has close to nominal coverage at the small n of these
    surveys, where Wald intervals are erratic. Returned as proportions.
    """
    alpha = _check_level(level)
    n = both + a_only + b_only + neither
    if n == 0:
        raise ValueError("paired table is empty (no complete pairs)")
    p_a, p_b = (both + a_only) / n, (both + b_only) / n
    (low_a, low_b), (high_a, high_b) = proportion_confint(
        np.array([both + a_only, both + b_only]), n, alpha=alpha, method="wilson"
    )
    margins = float(both + a_only) * (b_only + neither) * (both + b_only) * (a_only + neither)
    cross = float(both) * neither - float(a_only) * b_only
    if margins == 0 or 0 <= cross <= n / 2:
        phi = 0.0
    else:
        phi = (cross - n / 2 if cross > 0 else cross) / np.sqrt(margins)
    diff = p_a - p_b
    down = np.sqrt(
        (p_a - low_a) ** 2 - 2 * phi * (p_a - low_a) * (high_b - p_b) + (high_b - p_b) ** 2
    )
    up = np.sqrt(
        (high_a - p_a) ** 2 - 2 * phi * (high_a - p_a) * (p_b - low_b) + (p_b - low_b) ** 2
    )
    return float(diff - down), float(diff + up)


def mcnemar_gap(
    frame: pd.DataFrame,
    a: str | Sequence[str],
    b: str | Sequence[str],
    *,
    level: float = 0.95,
    exact_below: int = MCNEMAR_EXACT_BELOW,
    clusters: pd.Series | None = None,
) -> pd.DataFrame:
    """Difference between two yes/no shares from the same respondents (e.g. could help vs planned).

    Only respondents answering both count; answers must be 0 or 1. The interval
    is Newcombe's method 10 (:func:`newcombe_paired_ci`). The test is McNemar's
    (statsmodels): exact binomial on the discordant pairs when there are fewer
    than ``exact_below``, else chi-square with continuity correction. ``a_only``
    and ``b_only`` are McNemar's b (yes to a, no to b) and c. Unweighted.
    ``clusters`` (each respondent's council, by index): McNemar's test and Newcombe's
    interval assume independent respondents, so the interval and test are then the
    design's t on the difference of the two answers (linearised, councils as clusters,
    ``councils - 1`` degrees of freedom), which is McNemar's comparison made robust to
    clustering.

    Returns item_a, item_b, share_a, share_b, diff_pp, ci_low, ci_high,
    a_only, b_only, test, p_value, n.
    """
    _check_level(level)
    councils = _cluster_labels(clusters, frame)
    rows = []
    for col_a, col_b in _pairs(frame, a, b):
        x, y, answered = _complete(frame, col_a, col_b, {0, 1})
        both, a_only = int(np.sum((x == 1) & (y == 1))), int(np.sum((x == 1) & (y == 0)))
        b_only, neither = int(np.sum((x == 0) & (y == 1))), int(np.sum((x == 0) & (y == 0)))
        clustered = _clustered_gap(x - y, None if councils is None else councils[answered], level)
        if clustered is None:
            exact = a_only + b_only < exact_below
            result = mcnemar([[both, a_only], [b_only, neither]], exact=exact, correction=True)
            low, high = newcombe_paired_ci(both, a_only, b_only, neither, level)
            test = "exact binomial" if exact else "chi-square, continuity corrected"
            p_value = float(result.pvalue)
        else:
            low, high, p_value = clustered
            test = CLUSTERED_TEST
        rows.append(
            {
                "item_a": col_a,
                "item_b": col_b,
                "share_a": 100 * x.mean(),
                "share_b": 100 * y.mean(),
                "diff_pp": 100 * (x.mean() - y.mean()),
                "ci_low": 100 * low,
                "ci_high": 100 * high,
                "a_only": a_only,
                "b_only": b_only,
                "test": test,
                "p_value": p_value,
                "n": len(x),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- tables


def crosstab(
    frame: pd.DataFrame,
    row: str,
    col: str,
    *,
    normalize: str = "index",
    weights: Weights = None,
    level: float = 0.95,
    row_order: Sequence | None = None,
    col_order: Sequence | None = None,
    clusters: pd.Series | None = None,
) -> pd.DataFrame:
    """Cross-tabulation in long form, with "all" margins, percents, Wilson intervals and bases.

    ``normalize`` says what a percent is of: "index" (its row), "columns" (its
    column) or "all" (everyone). ``n`` is that base, unweighted; respondents
    missing either answer are left out. Every combination of levels is a row,
    zero counts included. Pivot for display:
    ``table.pivot(index=row, columns=col, values="percent")``. ``clusters`` as in
    :func:`share`: each percent's ``n_eff`` is then the design's, councils as clusters.

    Returns <row>, <col>, count, percent, ci_low, ci_high, n, n_eff.
    """
    alpha = _check_level(level)
    if normalize not in ("index", "columns", "all"):
        raise ValueError(
            f"crosstab: normalize must be 'index', 'columns' or 'all', got {normalize!r}"
        )
    if row == col:
        raise ValueError(f"crosstab: row and col are both {row!r}")
    _check_columns(frame, [row, col])
    w_all = _weights(weights, frame)
    keep = (frame[row].notna() & frame[col].notna()).to_numpy()
    if not keep.any():
        raise ValueError(
            f"columns {row!r} and {col!r} have no respondent answering both (empty base)"
        )
    rows, cols = frame.loc[keep, row], frame.loc[keep, col]
    levels = {row: _levels(rows, row_order, row), col: _levels(cols, col_order, col)}
    for name, found in levels.items():
        if ALL in found:
            raise ValueError(f"column {name!r} has a level named {ALL!r}, which is the margin")
    w = pd.Series(np.ones(keep.sum()) if w_all is None else w_all[keep], index=rows.index)

    def table(values: pd.Series) -> np.ndarray:
        cells = values.groupby([rows, cols], observed=True).sum().unstack(fill_value=0)
        cells = cells.reindex(index=levels[row], columns=levels[col], fill_value=0)
        cells[ALL] = cells.sum(axis=1)
        cells.loc[ALL] = cells.sum(axis=0)
        return cells.to_numpy(dtype=float)

    count, total, squares = table(pd.Series(1.0, index=w.index)), table(w), table(w**2)
    base = {"index": np.s_[:, -1:], "columns": np.s_[-1:, :], "all": np.s_[-1:, -1:]}[normalize]
    n, base_w, base_sq = count[base], total[base], squares[base]
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.broadcast_to(np.where(base_w > 0, total / base_w, np.nan), count.shape)
        n_eff = np.broadcast_to(np.where(base_sq > 0, base_w**2 / base_sq, 0.0), count.shape)
    councils = _cluster_labels(clusters, frame)
    if councils is not None:
        n_eff = _clustered_cells(
            rows, cols, levels[row], levels[col], w, councils[keep], normalize, n_eff
        )
    low, high = _wilson(p, n_eff, alpha)
    # A cell that is its own base is 100% by definition: no interval.
    whole = np.zeros(count.shape, bool)
    whole[base] = True
    low[whole] = high[whole] = np.nan
    index = pd.MultiIndex.from_product([[*levels[row], ALL], [*levels[col], ALL]], names=[row, col])
    return pd.DataFrame(
        {
            "count": count.ravel().astype(int),
            "percent": 100 * p.ravel(),
            "ci_low": 100 * low.ravel(),
            "ci_high": 100 * high.ravel(),
            "n": np.broadcast_to(n, count.shape).ravel().astype(int),
            "n_eff": n_eff.ravel(),
        },
        index=index,
    ).reset_index()


def _clustered_cells(
    rows: pd.Series,
    cols: pd.Series,
    row_levels: list,
    col_levels: list,
    w: pd.Series,
    councils: np.ndarray,
    normalize: str,
    kish: np.ndarray,
) -> np.ndarray:
    """:func:`crosstab`'s effective n per cell (margins last) with councils as clusters: each
    cell's share of its base as the mean of an indicator over that base (:func:`_clustered_n`)."""
    found = np.array(kish, dtype=float)
    r = rows.to_numpy(dtype=object)
    c = cols.to_numpy(dtype=object)
    weights = w.to_numpy(dtype=float)
    everyone = np.ones(len(r), bool)
    for i, rv in enumerate([*row_levels, ALL]):
        in_row = everyone if rv == ALL else r == rv
        for j, cv in enumerate([*col_levels, ALL]):
            in_col = everyone if cv == ALL else c == cv
            base = {"index": in_row, "columns": in_col, "all": everyone}[normalize]
            if base.any():
                y = np.where(base, (in_row & in_col).astype(float), np.nan)
                found[i, j] = _clustered_n(y, weights, councils, found[i, j])
    return found


def suppress(
    table: pd.DataFrame,
    *,
    n_column: str = "n",
    min_base: int = MIN_BASE,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Blank the estimates of rows whose base is below ``min_base``; keep and flag every row.

    A small base gives an estimate too unstable to print, but dropping the row
    would hide that the group exists, so the row stays with its n, a boolean
    ``suppressed`` and a ``suppression_reason`` a reader can be shown. By default
    every numeric column except ``n_column`` and ``n_eff`` is blanked (counts too,
    since a count over its base gives the hidden percent back).
    """
    _check_columns(table, [n_column])
    if columns is None:
        columns = [
            c
            for c in table.columns
            if c not in (n_column, "n_eff")
            and pd.api.types.is_numeric_dtype(table[c])
            and not pd.api.types.is_bool_dtype(table[c])
        ]
    else:
        _check_columns(table, columns)
    out = table.copy()
    small = (out[n_column] < min_base).to_numpy()
    for c in columns:
        out[c] = out[c].astype(float).mask(small)
    out["suppressed"] = small
    out["suppression_reason"] = [
        f"base n = {n} is below the minimum of {min_base}" if s else ""
        for n, s in zip(out[n_column], small, strict=True)
    ]
    return out


def rank_with_ties(
    table: pd.DataFrame,
    *,
    estimate: str = "estimate",
    low: str = "ci_low",
    high: str = "ci_high",
    ascending: bool = False,
) -> pd.DataFrame:
    """Sort by ``estimate``, rank (equal estimates share a rank) and flag CIs overlapping the next.

    ``overlaps_next`` warns that the order of this row and the next is not
    clearly supported by the data. Overlap of two intervals is a conservative,
    informal check (not a test of the difference, and items answered by the same
    respondents are correlated): use :func:`paired_gap` or :func:`mcnemar_gap`
    for a specific pair. Rows without an estimate (e.g. suppressed) go last,
    unranked; the flag is NA where an interval is missing.
    """
    _check_columns(table, [estimate, low, high])
    ordered = table.sort_values(estimate, ascending=ascending, na_position="last", kind="stable")
    ordered = ordered.reset_index(drop=True)
    ordered["rank"] = ordered[estimate].rank(method="min", ascending=ascending).astype("Int64")
    ranked = ordered[ordered[estimate].notna()]
    next_low, next_high = ranked[low].shift(-1), ranked[high].shift(-1)
    overlap = ((ranked[low] <= next_high) & (next_low <= ranked[high])).astype("boolean")
    unknown = ranked[[low, high]].isna().any(axis=1) | next_low.isna() | next_high.isna()
    ordered["overlaps_next"] = overlap.mask(unknown).reindex(ordered.index)
    return ordered


# --------------------------------------------------------------------------- weighting


@dataclass(frozen=True)
class PostStratification:
    """Post-stratification weights and what a reader needs to judge them.

    ``unrepresented`` lists population cells with no respondents: the weighted
    estimate cannot speak for them, and the targets are the population shares
    among the represented cells only (``target_pct`` in ``diagnostics``).
    """

    weights: pd.Series
    diagnostics: pd.DataFrame
    design_effect: float
    n_eff: float
    unrepresented: tuple[str, ...]


def poststratification_weights(
    frame: pd.DataFrame,
    column: str = "council_type",
    *,
    population: pd.DataFrame | pd.Series | Mapping[str, float],
) -> PostStratification:
    """Weights that make the sample's mix over ``column`` match the population's.

    weight = population share / sample share of the respondent's cell, which
    makes the mean weight 1 over respondents. ``population`` is the caller's (the
    pages use councils per council type, :func:`councildigital.sections.page.council_type_weights`),
    so statistics do not depend on the data loaders. A frame needs ``column`` and
    ``councils`` columns; a Series or mapping goes from cell to count. One margin,
    so no raking is needed.

    ``design_effect`` is Kish's ``n * sum w^2 / (sum w)^2``; ``n_eff = n / design_effect``.
    Errors name a sample cell absent from the population, or present with zero councils.
    """
    _check_columns(frame, [column])
    counts = _population(population, column)
    cells = frame[column]
    if cells.empty:
        raise ValueError(f"column {column!r}: no respondents to weight")
    if cells.isna().any():
        raise ValueError(
            f"column {column!r} is missing for {int(cells.isna().sum())} respondent(s); "
            "they cannot be weighted"
        )
    sample_n = cells.value_counts()
    sample_n = sample_n[sample_n > 0]
    absent = sorted(set(sample_n.index) - set(counts.index), key=str)
    if absent:
        raise ValueError(
            f"column {column!r}: {absent} present in the sample but absent from the "
            "population table"
        )
    zero = sorted((c for c in sample_n.index if counts[c] == 0), key=str)
    if zero:
        raise ValueError(
            f"column {column!r}: {zero} have respondents but zero councils in the population table"
        )
    sample_n = sample_n.reindex(counts.index, fill_value=0)
    represented = sample_n > 0
    target = counts.where(represented, 0) / counts[represented].sum()
    sample_share = sample_n / sample_n.sum()
    cell_weight = (target / sample_share).where(represented)
    weights = cells.map(cell_weight).astype(float).rename("weight")
    diagnostics = pd.DataFrame(
        {
            "cell": counts.index,
            "sample_n": sample_n.to_numpy(),
            "sample_pct": 100 * sample_share.to_numpy(),
            "population_n": counts.to_numpy(),
            "population_pct": 100 * (counts / counts.sum()).to_numpy(),
            "target_pct": 100 * target.to_numpy(),
            "weight": cell_weight.to_numpy(),
        }
    )
    n_eff = effective_n(weights.to_numpy())
    return PostStratification(
        weights=weights,
        diagnostics=diagnostics,
        design_effect=len(weights) / n_eff,
        n_eff=n_eff,
        unrepresented=tuple(c for c in counts.index[~represented] if counts[c] > 0),
    )


def _population(population, column: str) -> pd.Series:
    if isinstance(population, pd.DataFrame):
        _check_columns(population, [column, "councils"])
        population = population.set_index(column)["councils"]
    counts = pd.Series(population, dtype=float)
    if counts.index.has_duplicates:
        raise ValueError(
            f"population table: duplicate cells {sorted(counts.index[counts.index.duplicated()])}"
        )
    if counts.isna().any() or (counts < 0).any():
        raise ValueError("population table: every count must be a number >= 0")
    if counts.sum() == 0:
        raise ValueError("population table: all counts are zero")
    return counts


def council_weights(councils: pd.Series) -> pd.Series:
    """Weights that make each council count once: 1/m for each of a council's m respondents.

    So a council's respondents weigh 1 together, the weights sum to the number of
    councils, and a weighted share is the mean over councils of each council's own share.
    """
    if councils.isna().any():
        raise ValueError(
            f"council weights: {int(councils.isna().sum())} respondent(s) have no council"
        )
    sizes = councils.map(councils.value_counts())
    return (1.0 / sizes).astype(float).rename("weight")


# --------------------------------------------------------------------------- design-based variance


@dataclass(frozen=True)
class DesignMean:
    """A weighted mean (a share is the mean of 0/1) with its design-based standard error.

    ``clusters``: the number of clusters (councils) in the base, or of respondents when
    each is its own; ``design_effect``: the variance against that of a simple random
    sample of the same respondents, unweighted; ``n_eff`` = n / design_effect.
    """

    estimate: float
    se: float
    n: int
    clusters: int
    design_effect: float
    n_eff: float


def design_mean(
    values: Sequence[float] | np.ndarray | pd.Series,
    *,
    weights: Sequence[float] | np.ndarray | pd.Series | None = None,
    clusters: Sequence | np.ndarray | pd.Series | None = None,
) -> DesignMean:
    """Weighted mean of ``values`` (NaN left out) with its Taylor-linearised standard error.

    The estimator is the ratio ``sum w y / sum w``; its linearised residuals
    ``w (y - mean) / sum w`` are summed within each cluster and the variance is
    ``C / (C - 1)`` times the sum of squares of those totals over the ``C``
    clusters: the with-replacement ("ultimate cluster") estimator of Wolter
    (2007, ch. 6) and of R's ``survey::svymean`` on ``svydesign(ids = ~council_id,
    weights = ~w)``. Chosen because it needs nothing but the clusters and the
    weights, allows any correlation between respondents of one council, and is
    the standard a reader can check in R or Stata (``svy: mean``). Without
    ``clusters`` each respondent is a cluster; without ``weights`` all weigh 1.
    """
    y = np.asarray(values, dtype=float)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    groups = np.arange(len(y)) if clusters is None else np.asarray(clusters, dtype=object)
    if not (len(w) == len(groups) == len(y)):
        raise ValueError(
            f"design_mean: {len(y)} values, {len(w)} weights and {len(groups)} clusters; "
            "expected one of each per respondent"
        )
    keep = ~np.isnan(y)
    y, w, groups = y[keep], w[keep], groups[keep]
    if len(y) == 0 or w.sum() <= 0:
        raise ValueError("design_mean: no answers with a positive weight (empty base)")
    mean = float(np.sum(w * y) / np.sum(w))
    residual = w * (y - mean) / np.sum(w)
    totals = pd.Series(residual).groupby(pd.Series(groups).astype(str).to_numpy()).sum()
    count = len(totals)
    variance = count / (count - 1) * float(np.sum(totals**2)) if count > 1 else np.nan
    n = len(y)
    simple = n / (n - 1) * float(np.sum(((y - y.mean()) / n) ** 2)) if n > 1 else np.nan
    effect = variance / simple if simple and simple > 0 else np.nan
    return DesignMean(
        estimate=mean,
        se=float(np.sqrt(variance)),
        n=n,
        clusters=count,
        design_effect=float(effect),
        n_eff=float(n / effect) if effect and effect > 0 else float(n),
    )


def design_share_ci(
    values, *, weights=None, clusters=None, level: float = 0.95
) -> tuple[float, float, float, DesignMean]:
    """A share (percent) of 0/1 ``values`` with a Wilson interval on the design's effective n.

    The Wilson interval of :func:`share`, on ``n_eff`` = n / design effect from
    :func:`design_mean` instead of Kish's n: so clustering in councils widens
    it as much as it inflates the variance, and it reduces to the plain Wilson
    interval for independent, unweighted respondents. Returns estimate, ci_low,
    ci_high (percent) and the :class:`DesignMean`.
    """
    alpha = _check_level(level)
    found = design_mean(values, weights=weights, clusters=clusters)
    low, high = _wilson(np.array([found.estimate]), np.array([found.n_eff]), alpha)
    return 100 * found.estimate, 100 * float(low[0]), 100 * float(high[0]), found


def design_mean_ci(
    values, *, weights=None, clusters=None, level: float = 0.95
) -> tuple[float, float, float, DesignMean]:
    """A mean with a t interval on its linearised standard error, ``clusters - 1`` degrees
    of freedom (the design's, as ``confint(svymean(...), df = degf(design))`` in R)."""
    alpha = _check_level(level)
    found = design_mean(values, weights=weights, clusters=clusters)
    half = sps.t.ppf(1 - alpha / 2, found.clusters - 1) * found.se
    return found.estimate, found.estimate - half, found.estimate + half, found


# Figures at which two computed values count as equal. The same quantity reached by
# different sequences of floating-point operations differs by rounding noise (about 1e-15
# of its size); ten significant figures is far above that noise and far finer than any
# page writes, so only values equal in the arithmetic compare equal.
NOISE_FIGURES = 10


def without_noise(values: pd.Series) -> pd.Series:
    """``values`` at :data:`NOISE_FIGURES` significant figures, so ties by arithmetic tie here."""
    return values.map(lambda value: float(f"{value:.{NOISE_FIGURES}g}"))
