"""Digital potential versus current plans: the comparisons behind report section 02.

Per strategic theme the survey asks how much digital *could* help (potential,
1-5) and how far the council *currently plans* to use it (plan, 1-5); per theme
and type of digital it asks whether the type could help and whether it is
planned (yes/no). The same respondents answer both halves of each pair, so
every gap here is a paired comparison, and every estimate carries its base.
Descriptive figures are unweighted unless weights are passed; the paired tests
are always unweighted (see :mod:`councildigital.stats`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from councildigital import stats
from councildigital.data import survey
from councildigital.data.microdata import column_name

# The 1-5 theme questions, in the order a reader meets them on the page.
THEME_MEASURES: dict[str, str] = {
    "sig": "Significance in the vision",
    "pot": "Digital potential",
    "plan": "Current plans",
}
# The yes/no theme x type questions.
TYPE_MEASURES: dict[str, str] = {"help": "Could help", "planned": "Currently planned"}
GAP_LABEL = "Potential minus plan"
THEME_CODES = survey.codes(survey.THEMES)
TYPE_CODES = survey.codes(survey.DIGITAL_TYPES)


def _themes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "theme": THEME_CODES,
            "theme_label": [t.label for t in survey.THEMES],
            "theme_short": [t.chart_label for t in survey.THEMES],
        }
    )


def _cells() -> pd.DataFrame:
    """Every theme x type cell, themes outer, in the questionnaire's order."""
    types = pd.DataFrame(
        {
            "digital_type": TYPE_CODES,
            "type_label": [t.label for t in survey.DIGITAL_TYPES],
            "type_short": [t.chart_label for t in survey.DIGITAL_TYPES],
        }
    )
    return _themes().merge(types, how="cross")


def _answered(frame: pd.DataFrame, *columns: str) -> bool:
    """Whether anyone answered all of ``columns``: the stats functions reject an empty base."""
    return bool(frame[list(columns)].notna().all(axis=1).any())


def _fill_empty(
    keys: pd.DataFrame,
    table: pd.DataFrame | None,
    on: Sequence[str],
    numbers: Sequence[str],
    text: Sequence[str] = (),
) -> pd.DataFrame:
    """``table`` on every row of ``keys``; a row nobody answered is kept with n = 0 and NaN.

    ``table`` is None when nobody answered anything (e.g. a council type with no
    respondents): the page still gets every row, with its base of 0.
    """
    columns = [*on, *numbers, *text, "n"]
    table = pd.DataFrame(columns=columns) if table is None else table[columns]
    out = keys.merge(table, how="left", on=list(on))
    out[list(numbers)] = out[list(numbers)].astype(float)
    out["n"] = out["n"].fillna(0).astype(int)
    return out


def holm(p_values: Sequence[float] | pd.Series) -> np.ndarray:
    """Holm-adjusted p-values over the tests actually done (NaN = not done, stays NaN).

    Holm rather than Bonferroni: it controls the same familywise error rate and
    is never less powerful.
    """
    p = np.asarray(p_values, dtype=float)
    adjusted = np.full(p.shape, np.nan)
    done = ~np.isnan(p)
    if done.any():
        adjusted[done] = multipletests(p[done], method="holm")[1]
    return adjusted


def theme_means(
    frame: pd.DataFrame, *, weights: stats.Weights = None, min_base: int = stats.MIN_BASE
) -> pd.DataFrame:
    """Mean significance, potential and plan (1-5) per theme with t intervals, small bases blanked.

    Returns theme, theme_label, theme_short, item, mean, ci_low, ci_high, n,
    n_eff, bounded (the interval was clipped to the 1-5 scale), measure,
    measure_label, suppressed, suppression_reason.
    """
    numbers = ["mean", "ci_low", "ci_high", "n_eff"]
    parts = []
    for question, label in THEME_MEASURES.items():
        keys = _themes().assign(item=[column_name(question, t) for t in THEME_CODES])
        answered = [c for c in keys["item"] if _answered(frame, c)]
        scale = next(q.scale for q in survey.QUESTIONS if q.code == question)
        found = stats.mean_ci(frame[answered], weights=weights, allowed=scale) if answered else None
        part = _fill_empty(keys, found, ["item"], numbers, text=["bounded"])
        parts.append(part.assign(measure=question, measure_label=label))
    table = pd.concat(parts, ignore_index=True)
    return stats.suppress(table, min_base=min_base, columns=numbers[:3])


def _paired(
    frame: pd.DataFrame,
    keys: pd.DataFrame,
    compute,
    numbers: list[str],
    text: Sequence[str] = (),
) -> pd.DataFrame:
    """``compute(frame, a, b)`` over the pairs of ``keys`` that someone answered, every pair kept."""
    pairs = [
        (a, b)
        for a, b in zip(keys["item_a"], keys["item_b"], strict=True)
        if _answered(frame, a, b)
    ]
    found = compute(frame, [a for a, _ in pairs], [b for _, b in pairs]) if pairs else None
    return _fill_empty(keys, found, ["item_a", "item_b"], numbers, text)


def theme_gaps(frame: pd.DataFrame, *, min_base: int = stats.MIN_BASE) -> pd.DataFrame:
    """Potential minus plan per theme (paired t and Wilcoxon), Holm-adjusted, ranked largest first.

    Returns the :func:`stats.paired_gap` columns with theme labels, ``t_p_holm``
    (over the themes tested), suppression flags, ``rank`` and ``overlaps_next``.
    """
    keys = _themes()
    keys["item_a"] = [column_name("pot", t) for t in THEME_CODES]
    keys["item_b"] = [column_name("plan", t) for t in THEME_CODES]
    numbers = ["mean_a", "mean_b", "mean_diff", "ci_low", "ci_high", "t_p", "wilcoxon_p"]
    table = _paired(frame, keys, stats.paired_gap, numbers)
    table = stats.suppress(table, min_base=min_base, columns=numbers)
    table["t_p_holm"] = holm(table["t_p"])
    return stats.rank_with_ties(table, estimate="mean_diff")


@dataclass(frozen=True)
class ClearGaps:
    """How many themes' gaps survive the Holm adjustment the page shows, and how to say it.

    A theme counts as clearly above (or below) only when its paired t test's
    Holm-adjusted p is below ``alpha``: counting unadjusted intervals that
    exclude zero would overstate the evidence across nine tests.
    """

    above: int
    below: int
    shown: int
    family: int
    unadjusted_above: int
    alpha: float = 0.05

    @property
    def where(self) -> str:
        """'3 of the 9 themes shown', 'every theme' or 'none of the 9 themes shown'."""
        if self.above == self.shown:
            return "every theme"
        count = "none" if self.above == 0 else f"{self.above}"
        return f"{count} of the {self.shown} themes shown"

    @property
    def adjustment(self) -> str:
        return f"after the Holm adjustment for the {self.family} themes tested"

    def title(self, scope: str) -> str:
        return f"Digital potential is clearly above current plans for {self.where} {self.adjustment} ({scope})"

    def sentence(self) -> str:
        """The page's reading of the chart, saying why it may count fewer than the intervals show."""
        text = (
            f"For {self.where}, the mean potential is above the mean plan with a paired t test "
            f"Holm-adjusted p below {self.alpha:g} over the {self.family} themes tested"
        )
        if self.below:
            text += f"; for {self.below} theme(s) it is below"
        if self.unadjusted_above != self.above:
            text += (
                f". The 95% intervals shown are not adjusted: {self.unadjusted_above} of them "
                "exclude zero"
            )
        return text + "."

    def headline(self) -> str:
        """The figure for the site index."""
        return f"{self.above} of {self.shown} themes, {self.adjustment}"


def clear_gaps(gaps: pd.DataFrame, alpha: float = 0.05) -> ClearGaps:
    """Count the themes of :func:`theme_gaps` whose gap is clear after the Holm adjustment."""
    shown = gaps[~gaps["suppressed"]]
    clear = shown["t_p_holm"] < alpha
    return ClearGaps(
        above=int((clear & (shown["mean_diff"] > 0)).sum()),
        below=int((clear & (shown["mean_diff"] < 0)).sum()),
        shown=len(shown),
        family=int(gaps["t_p_holm"].notna().sum()),
        unadjusted_above=int((shown["ci_low"] > 0).sum()),
        alpha=alpha,
    )


def type_shares(frame: pd.DataFrame, *, min_base: int = stats.MIN_BASE) -> pd.DataFrame:
    """Percent saying each type could help / is planned, per theme, with Wilson intervals.

    Each share is on its own base (respondents who answered that item), as the
    report's shares are. Returns theme and type codes and labels, item,
    estimate, ci_low, ci_high, count, n, measure, measure_label, suppressed,
    suppression_reason.
    """
    numbers = ["estimate", "ci_low", "ci_high", "count"]
    parts = []
    for question, label in TYPE_MEASURES.items():
        keys = _cells()
        keys["item"] = [
            column_name(question, t, d)
            for t, d in zip(keys["theme"], keys["digital_type"], strict=True)
        ]
        answered = [c for c in keys["item"] if _answered(frame, c)]
        found = stats.share(frame[answered], 1, allowed=survey.YES_NO) if answered else None
        part = _fill_empty(keys, found, ["item"], numbers)
        parts.append(part.assign(measure=question, measure_label=label))
    table = pd.concat(parts, ignore_index=True)
    return stats.suppress(table, min_base=min_base, columns=numbers)


def type_gaps(frame: pd.DataFrame, *, min_base: int = stats.MIN_BASE) -> pd.DataFrame:
    """Could help minus planned per theme x type (McNemar, Newcombe CI), Holm-adjusted, ranked.

    The largest positive gap is the largest unrealised potential; a negative
    gap (more plan a type than say it could help) is kept and ranked low.
    Base: respondents who answered both items. Holm adjusts over every cell
    tested on the page (cells suppressed for a small base are not tested).
    """
    keys = _cells()
    cells = list(zip(keys["theme"], keys["digital_type"], strict=True))
    keys["item_a"] = [column_name("help", t, d) for t, d in cells]
    keys["item_b"] = [column_name("planned", t, d) for t, d in cells]
    numbers = ["share_a", "share_b", "diff_pp", "ci_low", "ci_high", "a_only", "b_only", "p_value"]
    table = _paired(frame, keys, stats.mcnemar_gap, numbers, ["test"])
    table = stats.suppress(table, min_base=min_base, columns=numbers)
    table["test"] = table["test"].where(~table["suppressed"], "not tested (small base)")
    table["p_holm"] = holm(table["p_value"])
    return stats.rank_with_ties(table, estimate="diff_pp")


def overall_means(
    frame: pd.DataFrame,
    weights: pd.Series | None = None,
    *,
    min_base: int = stats.MIN_BASE,
) -> pd.DataFrame:
    """Each respondent's mean over the nine themes, averaged: unweighted, and weighted if given.

    A respondent's average over themes is one number per person, so the t
    interval is over respondents and the weighted interval uses Kish's n_eff.
    Returns measure, measure_label, weighting, mean, ci_low, ci_high, n, n_eff,
    suppressed, suppression_reason.
    """
    per_person = {
        question: frame[[column_name(question, t) for t in THEME_CODES]].mean(axis=1)
        for question in THEME_MEASURES
    }
    per_person["gap"] = per_person["pot"] - per_person["plan"]
    people = pd.DataFrame(per_person, index=frame.index)
    labels = {**THEME_MEASURES, "gap": GAP_LABEL}
    keys = pd.DataFrame({"item": list(labels), "measure_label": list(labels.values())})
    answered = [c for c in people.columns if _answered(people, c)]
    schemes = {"unweighted": None} if weights is None else {"unweighted": None, "weighted": weights}
    numbers = ["mean", "ci_low", "ci_high", "n_eff"]
    parts = []
    for scheme, w in schemes.items():
        found = stats.mean_ci(people[answered], weights=w) if answered else None
        parts.append(_fill_empty(keys, found, ["item"], numbers).assign(weighting=scheme))
    table = pd.concat(parts, ignore_index=True).rename(columns={"item": "measure"})
    table = table[["measure", "measure_label", "weighting", *numbers[:3], "n", "n_eff"]]
    return stats.suppress(table, min_base=min_base, columns=numbers[:3])


def published_inconsistencies(figures: pd.DataFrame, gaps: pd.DataFrame) -> pd.DataFrame:
    """Cells where the report's own planned share exceeds its could-help share, beside the data.

    The report prints both shares for a few cells; where more plan a type than
    say it could help, the published figures contradict the idea of
    "unrealised potential". The data reproduce them, so the gap there is negative.
    """
    shares = figures[
        figures["question"].isin(["type_could_help", "type_planned"])
        & (figures["group"] == survey.ALL)
        & (figures["measure"] == "share")
    ]
    wide = shares.pivot_table(index="item", columns="question", values="value", aggfunc="first")
    wide = wide.dropna(subset=["type_could_help", "type_planned"])
    wide = wide[wide["type_planned"] > wide["type_could_help"]].reset_index()
    wide[["theme", "digital_type"]] = wide["item"].str.split(":", expand=True)
    wide["published_gap"] = wide["type_could_help"] - wide["type_planned"]
    found = wide.rename(
        columns={"type_could_help": "published_could_help", "type_planned": "published_planned"}
    ).drop(columns="item")
    data = gaps[
        ["theme", "digital_type", "theme_label", "type_label", "diff_pp", "ci_low", "ci_high", "n"]
    ]
    return found.merge(data, on=["theme", "digital_type"], how="left")


def cell_text(estimate: pd.Series, n: pd.Series, decimals: int = 0) -> pd.Series:
    """Heatmap labels: the value, with its base when below the largest base, or why it is blank.

    Item non-response gives some cells a smaller base than the rest; writing it
    in the cell keeps it beside the estimate.
    """
    full = n.max()
    text = []
    for value, base in zip(estimate, n, strict=True):
        if np.isnan(value):
            text.append(f"n={base}\nsuppressed")
        elif base < full:
            text.append(f"{value:.{decimals}f}\nn={base}")
        else:
            text.append(f"{value:.{decimals}f}")
    return pd.Series(text, index=estimate.index)
