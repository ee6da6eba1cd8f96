"""Digital potential versus current plans: the comparisons behind report section 02.

Per strategic theme the survey asks how much digital *could* help (potential,
1-5) and how far the council *currently plans* to use it (plan, 1-5); per theme
and type of digital it asks whether the type could help and whether it is
planned (yes/no). The same respondents answer both halves of each pair, so
every gap here is a paired comparison, and every estimate carries its base.
Descriptive figures are unweighted unless weights are passed; the paired tests
are always unweighted (see :mod:`councildigital.stats`).

The page's results (:func:`theme_profile`, :func:`gap_ranking`, :func:`overall_gap`,
:func:`cell_maps`, :func:`largest_gaps`, :func:`contradictions`, :func:`reproduction`)
hold what the notebook shows: tables with their cells as text, chart frames and
labels, and the sentences whose wording depends on the figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from html import escape

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from councildigital import stats
from councildigital.data import microdata, published, survey
from councildigital.data.microdata import CLUSTER_COLUMN, column_name
from councildigital.reconstruct import claims
from councildigital.sections import estimates, formatting
from councildigital.sections.estimates import ASSUMED, Estimate
from councildigital.sections.page import (
    Chart,
    MainPoint,
    Page,
    SurveyPage,
    Table,
    reproduces_the_report,
)

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
# Every answer column the page reads, for the summary of what the report says about a type.
ANSWER_COLUMNS = tuple(
    [column_name(q, t) for q in THEME_MEASURES for t in THEME_CODES]
    + [column_name(q, t, d) for q in TYPE_MEASURES for t in THEME_CODES for d in TYPE_CODES]
)


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
        found = (
            stats.mean_ci(
                frame[answered],
                weights=weights,
                allowed=scale,
                clusters=frame.get(CLUSTER_COLUMN),
            )
            if answered
            else None
        )
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
    found = (
        compute(
            frame,
            [a for a, _ in pairs],
            [b for _, b in pairs],
            clusters=frame.get(CLUSTER_COLUMN),
        )
        if pairs
        else None
    )
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
    exclude zero would overstate the evidence across nine tests. Only gaps the
    published figures confine (findings) are tested; ``illustrative`` counts
    the shown themes whose gap they leave free, which carry no test.
    """

    above: int
    below: int
    shown: int
    family: int
    unadjusted_above: int
    alpha: float = 0.05
    illustrative: int = 0

    @property
    def where(self) -> str:
        """'3 of the 9 themes shown', 'every theme', 'none of the 9 themes shown' or, where
        some gaps are illustrative, '3 of the 5 themes tested'."""
        if self.above == self.shown and not self.illustrative:
            return "every theme"
        count = "none" if self.above == 0 else f"{self.above}"
        return f"{count} of the {self.shown} themes {'tested' if self.illustrative else 'shown'}"

    @property
    def adjustment(self) -> str:
        return f"after the Holm adjustment for the {self.family} themes tested"

    def title(self, scope: str) -> str:
        if not self.shown:
            return f"Significance, potential and plans per theme ({scope}; illustrative)"
        return f"Digital potential is clearly above current plans for {self.where} {self.adjustment} ({scope})"

    def sentence(self) -> str:
        """The page's reading of the chart, saying why it may count fewer than the intervals show."""
        if not self.shown:
            return (
                f"No theme's gap is tested: the published figures leave all {self.illustrative} "
                f"essentially free, so the means and gaps below are {estimates.ILLUSTRATIVE}."
            )
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
        if self.illustrative:
            text += (
                f". The other {self.illustrative} themes' gaps are not tested: the published "
                "figures leave them essentially free, so they are illustrative"
            )
        return text + "."

    def headline(self) -> str:
        """The figure for the site index."""
        tested = " tested" if self.illustrative else ""
        return f"{self.above} of {self.shown} themes{tested}, {self.adjustment}"


def clear_gaps(gaps: pd.DataFrame, alpha: float = 0.05) -> ClearGaps:
    """Count the themes of :func:`theme_evidence` whose gap is clear after the Holm adjustment."""
    shown = gaps[~gaps["suppressed"]]
    illustrative = shown["evidence"] == ASSUMED
    tested = shown[~illustrative]
    clear = tested["t_p_holm"] < alpha
    return ClearGaps(
        above=int((clear & (tested["mean_diff"] > 0)).sum()),
        below=int((clear & (tested["mean_diff"] < 0)).sum()),
        shown=len(tested),
        family=int(gaps["t_p_holm"].notna().sum()),
        unadjusted_above=int((tested["ci_low"] > 0).sum()),
        alpha=alpha,
        illustrative=int(illustrative.sum()),
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
        found = (
            stats.share(
                frame[answered], 1, allowed=survey.YES_NO, clusters=frame.get(CLUSTER_COLUMN)
            )
            if answered
            else None
        )
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
    interval is over respondents (over councils, as clusters, where the data name
    them) and the weighted interval uses Kish's n_eff (or the design's, with councils).
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
        found = (
            stats.mean_ci(people[answered], weights=w, clusters=frame.get(CLUSTER_COLUMN))
            if answered
            else None
        )
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
    wide["theme"] = wide["item"].str.split(":").str[0]
    wide["digital_type"] = wide["item"].str.split(":").str[1]
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


# --------------------------------------------------------------------------- page results
# What the notebook shows, built from a page (:func:`..page.load_page`): tables whose cells
# are already text (:class:`..page.Table`), the frames and words charts need
# (:class:`..page.Chart`), and the sentences that depend on them.

THEME_LEVELS = list(THEME_MEASURES.values())  # the dumbbell's levels, in the page's order
THEME_PAIR = (THEME_MEASURES["pot"], THEME_MEASURES["plan"])  # the two the dumbbell joins
THEME_ORDER = [t.chart_label for t in survey.THEMES]
TYPE_ORDER = [t.chart_label for t in survey.DIGITAL_TYPES]
REPRODUCED_QUESTIONS = (
    "theme_potential",
    "theme_plan",
    "theme_gap",
    "type_could_help",
    "type_planned",
    "type_gap",
)
PAIRED = " answering both items"  # the base of a paired comparison, after its n
NON_RESPONSE = " (varies with item non-response)"  # why a base is a range
WRAP = 80  # this page's chart titles are long: wrapped a little wider than the default


def scope(page: SurveyPage) -> str:
    """Whom the figures describe, mid-sentence: 'all respondents' (also for a too-small type)."""
    return (
        "all respondents" if page.is_all or page.too_small else f"{survey.in_sentence(page.label)}s"
    )


def cell_names(rows: pd.DataFrame, *, short: bool = True) -> str:
    """'IoT for regeneration and ...': the theme x type cells of ``rows``, for titles and text."""
    kind, theme = ("type_short", "theme_short") if short else ("type_label", "theme_label")
    return formatting.names(
        [f"{k} for {t.lower()}" for k, t in zip(rows[kind], rows[theme], strict=True)]
    )


def _whole(values: pd.Series) -> pd.Series:
    """Counts and whole percents as text, '–' where suppressed."""
    return formatting.decimals(values, 0, missing=formatting.MISSING)


def _hundredths(values: pd.Series) -> pd.Series:
    """Means and other measured values as text to two decimals, '–' where missing."""
    return formatting.decimals(values, 2, missing=formatting.MISSING)


def _with_reasons(table: pd.DataFrame, reasons: pd.Series) -> pd.DataFrame:
    """Add why a row is blank, only if one is: an empty column is noise."""
    return table.assign(**{"Not shown because": reasons}) if reasons.str.len().any() else table


# What stands behind each number (:mod:`..estimates`). Illustrative numbers carry no test:
# their p-values are blanked and each Holm adjustment runs over the findings' tests only.
NOT_TESTED = "not tested (illustrative)"
UNTESTED = (
    f"illustrative ({estimates.MARKS[ASSUMED]}) gaps carry no test ({formatting.MISSING}): "
    "the published figures leave them essentially free"
)


def _answered_condition(column: str) -> tuple[str, tuple[int, ...]]:
    """A ``given`` condition: the respondent answered ``column`` (with any of its answers)."""
    return column, microdata.column(column).question.scale.values


def pair_quantities(
    page: SurveyPage, a: str, b: str
) -> tuple[claims.Quantity, claims.Quantity, claims.Quantity]:
    """The statistics of a paired comparison of ``a`` with ``b`` as the page computes them:
    the two sides and their gap.

    Where everyone answering one column answers the other, each side is its
    column's own share or mean and the gap is their difference, as the report
    reads its gaps; otherwise each side is among those answering both and the
    gap is the paired mean difference.
    """
    first, second = (estimates.one_way(c, page.group) for c in (a, b))
    paired = claims.Quantity("paired", group=page.group, parts=(first, second))
    if len({claims.base(q, page.all) for q in (first, second, paired)}) == 1:
        return first, second, claims.Quantity("difference", parts=(first, second))
    return (
        replace(first, given=(_answered_condition(b),)),
        replace(second, given=(_answered_condition(a),)),
        paired,
    )


def _statistic(q: claims.Quantity) -> str:
    """A one-way statistic in words, saying when it is among those answering both of a pair."""
    name = estimates.statistic_name(q.column)
    return f"{name}, among those answering both" if q.given else name


def _estimate(page: SurveyPage, q: claims.Quantity, statistic: str, value: float, **how):
    """The estimate behind a shown number; None where the number is blank (suppressed)."""
    if pd.isna(value):
        return None
    return page.estimate(q, statistic, value, group=page.group, **how)


def _findings_tested(table: pd.DataFrame, p_columns: Sequence[str], holm_column: str) -> None:
    """Blank the tests of illustrative rows (in place) and Holm-adjust over the rest."""
    untested = table["evidence"] == ASSUMED
    for column in p_columns:
        table[column] = table[column].where(~untested)
    table[holm_column] = holm(table[p_columns[0]])


def theme_evidence(page: SurveyPage) -> pd.DataFrame:
    """:func:`theme_gaps` of the page with what stands behind each theme's means and gap.

    Adds ``potential``, ``plan`` and ``gap`` (:class:`Estimate`, None where
    suppressed) and ``evidence`` (the gap's status, None where suppressed). An
    illustrative gap is not tested, and ``t_p_holm`` adjusts over the findings.
    """
    gaps = theme_gaps(page.shown, min_base=page.min_base)
    found = {"potential": [], "plan": [], "gap": []}
    for row in gaps.itertuples():
        first, second, gap = pair_quantities(page, row.item_a, row.item_b)
        kind = "paired difference" if gap.stat == "paired" else "difference"
        found["potential"].append(
            _estimate(page, first, _statistic(first), row.mean_a, n=row.n, unit="")
        )
        found["plan"].append(
            _estimate(page, second, _statistic(second), row.mean_b, n=row.n, unit="")
        )
        found["gap"].append(
            _estimate(
                page,
                gap,
                f"Potential minus plan for {row.theme_label.lower()} ({kind} of means, 1-5)",
                row.mean_diff,
                ci_low=row.ci_low,
                ci_high=row.ci_high,
                n=row.n,
                unit="scale points",
            )
        )
    gaps = gaps.assign(**found)
    gaps["evidence"] = _status(gaps["gap"])
    _findings_tested(gaps, ["t_p", "wilcoxon_p"], "t_p_holm")
    return gaps


def cell_evidence(page: SurveyPage) -> pd.DataFrame:
    """:func:`type_gaps` of the page with what stands behind each cell's two shares and gap.

    Adds ``help``, ``planned`` and ``gap`` (:class:`Estimate`, None where
    suppressed) and ``evidence`` (the gap's status); an illustrative gap is not
    tested, and ``p_holm`` adjusts over the findings.
    """
    cells = type_gaps(page.shown, min_base=page.min_base)
    found = {"help": [], "planned": [], "gap": []}
    for row in cells.itertuples():
        first, second, gap = pair_quantities(page, row.item_a, row.item_b)
        kind = "paired difference" if gap.stat == "paired" else "difference"
        found["help"].append(_estimate(page, first, _statistic(first), row.share_a, n=row.n))
        found["planned"].append(_estimate(page, second, _statistic(second), row.share_b, n=row.n))
        found["gap"].append(
            _estimate(
                page,
                gap,
                f"{row.type_label} could help minus planned for {row.theme_label.lower()} "
                f"({kind} of shares)",
                row.diff_pp,
                ci_low=row.ci_low,
                ci_high=row.ci_high,
                n=row.n,
                unit="points",
            )
        )
    cells = cells.assign(**found)
    cells["evidence"] = _status(cells["gap"])
    _findings_tested(cells, ["p_value"], "p_holm")
    cells["test"] = cells["test"].where(cells["evidence"] != ASSUMED, NOT_TESTED)
    return cells


def _in_words(found: pd.Series) -> pd.Series:
    """An Evidence column: each estimate's mark and status in words, '–' where blank."""
    return found.map(lambda e: formatting.MISSING if e is None else e.cell)


def _shown(*columns: pd.Series) -> tuple[Estimate, ...]:
    """The estimates a table or chart shows, column by column, blanks left out."""
    return tuple(e for column in columns for e in column if e is not None)


def _marked(text: pd.Series, found: pd.Series) -> pd.Series:
    """:func:`estimates.marked` for a column."""
    cells = [estimates.marked(t, e) for t, e in zip(text, found, strict=True)]
    return pd.Series(cells, index=text.index)


def _status(found: pd.Series) -> pd.Series:
    """A chart frame's evidence column: each estimate's status (None where blank)."""
    return found.map(lambda e: None if e is None else e.evidence)


def status_counts(found: Sequence[Estimate], what: str) -> str:
    """'Of the 54 cells, 34 are published, 12 bounded and 8 illustrative.', or with real data,
    how many fall outside the range the published figures allow."""
    if found and all(e.evidence == estimates.OBSERVED for e in found):
        outside = [e for e in found if e.within_bounds is False]
        return f"All {len(found)} {what} are observed" + (
            f"; {len(outside)} {'falls' if len(outside) == 1 else 'fall'} outside the range "
            "the published figures allow."
            if outside
            else ", each within the range the published figures allow."
        )
    words = {
        estimates.PUBLISHED: "published",
        estimates.BOUNDED: "bounded",
        ASSUMED: "illustrative",
    }
    counts = [
        (sum(e.evidence == status for e in found), word)
        for status, word in words.items()
        if any(e.evidence == status for e in found)
    ]
    if len(counts) == 1:
        return f"All {len(found)} {what} are {counts[0][1]}."
    verb = "is" if counts[0][0] == 1 else "are"
    listed = [
        f"{count} {verb} {word}" if i == 0 else f"{count} {word}"
        for i, (count, word) in enumerate(counts)
    ]
    return f"Of the {len(found)} {what}, {formatting.names(listed)}."


@dataclass(frozen=True, kw_only=True)
class FoldedTable(Table):
    """A long table shown folded under its summary line: there for reviewers, out of readers' way."""

    summary: str


def show_folded(page: Page, folded: FoldedTable) -> None:
    """Show ``folded`` as :meth:`Page.show` would, inside an HTML ``<details>`` element."""
    from IPython.display import HTML, display

    caption = folded.caption
    if folded.base is not None:
        base = f"n = {folded.base}" if isinstance(folded.base, int) else folded.base
        caption = f"{caption}. Base: {base}.{page.data_label}"
    styled = formatting.table_style(folded.frame, caption)
    summary = escape(folded.summary, quote=False)
    display(HTML(f"<details><summary>{summary}</summary>{styled.to_html()}</details>"))
    page.offer(folded)


@dataclass(frozen=True)
class ThemeProfile:
    """Significance, potential and plan per theme: the dumbbell chart, its reading and table.

    ``chart`` and ``table`` are None when no theme has a base to test; ``sentence`` then says so.
    ``evidence``: the gaps the headline rests on (the tested ones; all if none is).
    """

    sentence: str
    chart: Chart | None = None
    table: Table | None = None
    headline: str = ""
    evidence: tuple[Estimate, ...] = ()


def theme_mean_evidence(page: SurveyPage) -> pd.DataFrame:
    """:func:`theme_means` of the page with each mean's :class:`Estimate` (``found``) and status."""
    means = theme_means(page.shown, min_base=page.min_base)
    means["found"] = [
        _estimate(
            page,
            estimates.one_way(row.item, page.group),
            estimates.statistic_name(row.item),
            row.mean,
            ci_low=row.ci_low,
            ci_high=row.ci_high,
            n=row.n,
            unit="",
        )
        for row in means.itertuples()
    ]
    means["evidence"] = _status(means["found"])
    return means


def theme_profile(page: SurveyPage, gaps: pd.DataFrame) -> ThemeProfile:
    """Mean answers per theme beside how many gaps (of :func:`theme_evidence`) survive Holm."""
    if gaps["suppressed"].all():
        return ThemeProfile(
            f"No theme has a base of at least {page.min_base} respondents here, "
            "so no means are shown."
        )
    means = theme_mean_evidence(page)
    clear = clear_gaps(gaps)
    plotted = means[~means["suppressed"]]
    themes = [t.label for t in survey.THEMES]
    table = pd.DataFrame({"Theme": themes})
    for measure, label in THEME_MEASURES.items():
        rows = means[means["measure"] == measure].set_index("theme_label").loc[themes]
        table[f"{label}, mean (95% CI)"] = formatting.with_interval(
            rows["mean"], rows["ci_low"], rows["ci_high"], decimals=2
        ).to_numpy()
        table[f"{label}, n"] = rows["n"].to_numpy()
        table[f"{label}, evidence"] = _in_words(rows["found"]).to_numpy()
    caption = f"Mean answers per theme, {scope(page)}, 1-5 scale"
    shown = gaps[~gaps["suppressed"]]
    tested = shown[shown["evidence"] != ASSUMED]
    return ThemeProfile(
        clear.sentence(),
        chart=Chart(
            plotted,
            clear.title(scope(page)),
            x="Mean answer (1 = not at all, 5 = very large / very important), with 95% CI",
            y="Theme",
            n=formatting.base_range(plotted["n"], why=NON_RESPONSE),
            wrap=WRAP,
            estimates=_shown(plotted["found"]),
        ),
        table=Table(
            table,
            stats.clipped_caption(caption, plotted, survey.EXTENT),
            f"n = {formatting.base_range(means['n'], why=NON_RESPONSE)}",
            estimates=_shown(means["found"]),
        ),
        headline=clear.headline(),
        evidence=tuple((tested if len(tested) else shown)["gap"]),
    )


@dataclass(frozen=True)
class GapRanking:
    """Potential minus plan per theme, largest first: chart, reading, headline and table.

    ``chart`` and ``table`` are None when no theme has a base to test; the sentence and
    headline say so. ``evidence``: the gaps the ranking (and headline) rests on.
    """

    sentence: str
    headline: str
    chart: Chart | None = None
    table: Table | None = None
    evidence: tuple[Estimate, ...] = ()


def _phrase(found: Estimate) -> str:
    """'; ' and what the estimate's evidence adds to a sentence's parentheses ('' if nothing)."""
    phrase = found.phrase()
    return f"; {phrase}" if phrase else ""


def gap_ranking(page: SurveyPage, gaps: pd.DataFrame) -> GapRanking:
    """The largest and smallest gaps of :func:`theme_evidence`, saying when the order is unclear.

    Which gap is largest rests on every theme's gap: where any is illustrative,
    so is the ranking, and an illustrative top gap carries no test.
    """
    tested = gaps[~gaps["suppressed"]]
    if tested.empty:
        return GapRanking(
            "No gap is tested: every theme's base is below the minimum.",
            f"not shown: every theme's base is below {page.min_base}",
        )
    top = tested[tested["rank"] == 1]
    top_names = formatting.names(top["theme_label"])
    first = top.iloc[0]
    # The reading rests on every gap (which is largest) and on the two means it quotes.
    means = (first["potential"], first["plan"])
    basis = estimates.weakest([*tested["gap"], *means])
    shared = (
        f" Its interval overlaps the next theme's ({tested.iloc[1]['theme_label']}), so the "
        "order of the top themes is not clearly supported."
        if len(tested) > 1 and first["overlaps_next"] is not pd.NA and first["overlaps_next"]
        else ""
    )
    test = (
        f"; paired t test Holm-adjusted p {formatting.p_value(first['t_p_holm'])}"
        if basis.is_finding
        else ""
    )
    evidence = _phrase(first["gap"]) if first["gap"].is_finding else ""
    lead = (
        f"**The gap is largest for {top_names}**"
        if basis.is_finding
        else f"In this synthetic data the gap is largest for {top_names}"
    )
    free = [
        (words, verb)
        for words, verb, found in (
            ("the two means", "are", means),
            ("which gap is largest", "is", tested["gap"]),
        )
        if not estimates.all_findings(found)
    ]
    caution = (
        f" {formatting.names(w for w, _ in free).capitalize()} "
        f"{'are' if len(free) > 1 else free[0][1]} {estimates.ILLUSTRATIVE}."
        if free
        else ""
    )
    smallest = tested[tested["mean_diff"] == tested["mean_diff"].min()]
    sentence = (
        f"{lead}: potential {first['mean_a']:.2f} against "
        f"plan {first['mean_b']:.2f}, a gap of {first['mean_diff']:+.2f} points (95% CI "
        f"{formatting.interval(first['ci_low'], first['ci_high'], 2, sep=' to ', sign=True)}; "
        f"n = {first['n']}{test}{evidence}).{shared} "
        f"The smallest gap is for {formatting.names(smallest['theme_label'])} "
        f"({smallest['mean_diff'].iloc[0]:+.2f}).{caution}"
    )
    table = pd.DataFrame(
        {
            "Rank": _whole(gaps["rank"]),
            "Theme": gaps["theme_label"],
            "Potential, mean": _marked(_hundredths(gaps["mean_a"]), gaps["potential"]),
            "Plan, mean": _marked(_hundredths(gaps["mean_b"]), gaps["plan"]),
            "Gap (95% CI)": formatting.with_interval(
                gaps["mean_diff"], gaps["ci_low"], gaps["ci_high"], decimals=2, sign=True
            ),
            "Evidence": _in_words(gaps["gap"]),
            "Paired t p": formatting.p_values(gaps["t_p"]),
            "Holm-adjusted p": formatting.p_values(gaps["t_p_holm"]),
            "Wilcoxon p": formatting.p_values(gaps["wilcoxon_p"]),
            "n": gaps["n"],
        }
    )
    caption = f"Potential minus plan per theme, {scope(page)}, ranked"
    if (tested["evidence"] == ASSUMED).any():
        caption += f"; {UNTESTED}"
    title = (
        "The gap between digital potential and plans is largest for "
        f"{top_names} ({first['mean_diff']:+.2f} points)"
    )
    return GapRanking(
        sentence,
        f"{top_names}: {first['mean_diff']:+.2f} points on a 1-5 scale (n = {first['n']})",
        chart=Chart(
            tested,
            title if basis.is_finding else f"{title}: an illustrative ranking",
            x="Potential minus plan (points on the 1-5 scale), with 95% CI",
            y="Theme (largest gap first)",
            n=formatting.base_range(tested["n"], why=NON_RESPONSE),
            wrap=WRAP,
            estimates=_shown(tested["gap"]),
        ),
        table=Table(
            _with_reasons(table, gaps["suppression_reason"]),
            caption,
            f"n = {formatting.base_range(gaps['n'], why=NON_RESPONSE)}",
            estimates=_shown(gaps["potential"], gaps["plan"], gaps["gap"]),
        ),
        evidence=(*tested["gap"], *means),
    )


WEIGHTING_NOTE = (
    "### Weighted and unweighted\n\n"
    "The sample's mix of council types is not the mix of councils in Great Britain. "
    "Weighted to that mix (post-stratification by council type), each respondent's "
    "mean over the nine themes averages as below; the interval of a weighted mean uses "
    "the effective sample size (n_eff). Everything else on this page, and every paired "
    "test, is unweighted, as the published report is."
)


@dataclass(frozen=True)
class OverallGap:
    """The gap averaged over the nine themes; weighted beside unweighted on a weighted page.

    ``table`` (with ``note`` above it) only where the page is weighted; ``sentence``
    is empty where every mean is suppressed on an unweighted page.
    """

    sentence: str
    table: Table | None = None
    note: str = WEIGHTING_NOTE


def overall_quantity(page: SurveyPage, measure: str, *, weighted: bool = False) -> claims.Quantity:
    """A measure of :func:`overall_means` as a statistic: the nine themes' means averaged.

    Each respondent's average over the themes, averaged, is that where everyone
    answers every theme. ``weighted``: each theme's mean is the page's weighted
    one (:meth:`..page.SurveyPage.as_estimated`). The gap is potential minus plan.
    """
    signs = (("pot", 1.0), ("plan", -1.0)) if measure == "gap" else ((measure, 1.0),)
    parts, coefficients = [], []
    for question, sign in signs:
        for theme in THEME_CODES:
            q = estimates.one_way(column_name(question, theme), page.group)
            q = page.as_estimated(q) if weighted else q
            inner = (
                zip(q.parts, q.coefficients, strict=True) if q.stat == "combination" else [(q, 1.0)]
            )
            for part, share in inner:
                parts.append(part)
                coefficients.append(sign * share / len(THEME_CODES))
    return claims.Quantity("combination", parts=tuple(parts), coefficients=tuple(coefficients))


def _overall_estimates(page: SurveyPage, rows: pd.DataFrame, weighted: bool) -> pd.Series:
    """The estimate behind each measure's mean over the themes (rows of :func:`overall_means`)."""
    kind = "weighted mean" if weighted else "mean"
    return pd.Series(
        [
            _estimate(
                page,
                overall_quantity(page, measure, weighted=weighted),
                f"{row['measure_label']}, {kind} over the nine themes (1-5)",
                row["mean"],
                ci_low=row["ci_low"],
                ci_high=row["ci_high"],
                n=row["n"],
                unit="scale points" if measure == "gap" else "",
            )
            for measure, row in rows.iterrows()
        ],
        index=rows.index,
    )


def overall_gap(page: SurveyPage) -> OverallGap:
    """Each respondent's mean over the themes (:func:`overall_means`), and whether weights move it."""
    weights = page.estimate_weights
    overall = overall_means(page.shown, weights, min_base=page.min_base)
    unweighted = overall[overall["weighting"] == "unweighted"].set_index("measure")
    if weights is None:
        if unweighted["suppressed"].all():
            return OverallGap("")
        gap = unweighted.loc["gap"]
        found = _overall_estimates(page, unweighted.loc[["gap"]], weighted=False).iloc[0]
        hint = (
            "; run the 'all' page with `weighting = \"council_type\"` for weighted figures."
            if page.is_all
            else "."
        )
        reading = (
            "potential exceeds plans by"
            if found.is_finding
            else "the gap between potential and plans is"
        )
        return OverallGap(
            f"Averaged over the nine themes, {reading} {gap['mean']:+.2f} points per respondent "
            "(95% CI "
            f"{formatting.interval(gap['ci_low'], gap['ci_high'], 2, sep=' to ', sign=True)}; "
            f"n = {gap['n']}{_phrase(found)}). All figures on this page are unweighted{hint}"
        )
    weighted = overall[overall["weighting"] == "weighted"].set_index("measure")
    found = {
        "Unweighted": _overall_estimates(page, unweighted, weighted=False),
        "Weighted": _overall_estimates(page, weighted, weighted=True),
    }
    table = pd.DataFrame({"Measure (mean over the nine themes)": unweighted["measure_label"]})
    for scheme, rows in (("Unweighted", unweighted), ("Weighted", weighted)):
        table[f"{scheme} mean (95% CI)"] = formatting.with_interval(
            rows["mean"], rows["ci_low"], rows["ci_high"], decimals=2
        )
        table[f"{scheme}: evidence"] = _in_words(found[scheme])
    table["n"] = unweighted["n"]
    table["n_eff (weighted)"] = _hundredths(weighted["n_eff"])
    inside = weighted["mean"].between(unweighted["ci_low"], unweighted["ci_high"])
    moved = weighted.loc["gap", "mean"] - unweighted.loc["gap", "mean"]
    reading = (
        "Every weighted mean lies inside the unweighted 95% interval: the picture "
        "does not rest on the sample's mix of council types."
        if inside.all()
        else "Weighted means outside the unweighted 95% interval: "
        + formatting.names(weighted.loc[~inside, "measure_label"])
        + ". The sample's mix of council types matters for these figures."
    )
    basis = estimates.weakest([*found["Unweighted"], *found["Weighted"]])
    illustrative = "" if basis.is_finding else f" These means are {estimates.ILLUSTRATIVE}."
    return OverallGap(
        f"Weighting moves the mean gap by {moved:+.2f} points. {reading}{illustrative}",
        table=Table(
            table.reset_index(drop=True),
            "Mean over the nine themes, unweighted and weighted by council type",
            page.n,
            estimates=_shown(found["Unweighted"], found["Weighted"]),
        ),
    )


@dataclass(frozen=True)
class CellMap:
    """A theme x type heatmap (its words in ``chart``, its colour scale here) and what to say.

    ``chart`` is None when every cell's base is below the minimum; ``sentence`` then says so.
    The chart frame's ``evidence`` column gives each cell's status.
    """

    sentence: str
    chart: Chart | None = None
    value: str = ""
    colorbar: str = ""
    cmap: str = "viridis"
    vmin: float | None = None
    vmax: float | None = None
    center: float | None = None


def _cell_chart(frame: pd.DataFrame, title: str, n: str, found: pd.Series) -> Chart:
    """A heatmap's words: types across, themes down; ``found``: the estimates it shows."""
    return Chart(
        frame, title, x="Type of digital", y="Theme", n=n, wrap=WRAP, estimates=_shown(found)
    )


def share_evidence(page: SurveyPage) -> pd.DataFrame:
    """:func:`type_shares` of the page with each share's :class:`Estimate` (``found``),
    its status (``evidence``) and its heatmap label (``text``)."""
    shares = type_shares(page.shown, min_base=page.min_base)
    shares["text"] = cell_text(shares["estimate"], shares["n"])
    shares["found"] = [
        _estimate(
            page,
            estimates.one_way(row.item, page.group),
            estimates.statistic_name(row.item),
            row.estimate,
            ci_low=row.ci_low,
            ci_high=row.ci_high,
            n=row.n,
        )
        for row in shares.itertuples()
    ]
    shares["evidence"] = _status(shares["found"])
    return shares


def _ranking(title: str, found: Sequence[Estimate], what: str = "an illustrative ranking") -> str:
    """A title naming the top or counting cells, marked illustrative where any cell is."""
    return title if estimates.all_findings(found) else f"{title}: {what}"


def cell_maps(page: SurveyPage, cells: pd.DataFrame) -> list[CellMap]:
    """Could help, planned (on one 0-100 scale) and their gap (:func:`cell_evidence`), cell by cell.

    Each map says how many of its cells the report states, confines or leaves free.
    """
    shares = share_evidence(page)
    maps = []
    for measure, label in TYPE_MEASURES.items():
        own = shares[shares["measure"] == measure]
        if own["suppressed"].all():
            maps.append(
                CellMap(f"*{label}*: every cell's base is below {page.min_base}; not shown.")
            )
            continue
        best = own[own["estimate"] == own["estimate"].max()]
        found = _shown(own["found"])
        title = f"{label}: highest for {cell_names(best)} ({best['estimate'].iloc[0]:.0f}%)"
        maps.append(
            CellMap(
                f"*{label}*: " + status_counts(found, "cells shown"),
                chart=_cell_chart(
                    own,
                    _ranking(title, found),
                    formatting.base_range(own["n"], why=NON_RESPONSE),
                    own["found"],
                ),
                value="estimate",
                colorbar=f"{label} (% of respondents)",
                vmin=0,
                vmax=100,
            )
        )
    done = cells[~cells["suppressed"]]
    if done.empty:
        maps.append(
            CellMap(
                f"No gap between could help and planned is tested: bases below {page.min_base}."
            )
        )
        return maps
    positive = int((done["diff_pp"] > 0).sum())
    negative = int((done["diff_pp"] < 0).sum())
    limit = float(done["diff_pp"].abs().max())
    found = _shown(done["gap"])
    maps.append(
        CellMap(
            "Blue cells: more respondents say the type could help than say it is planned "
            "(unrealised potential); red cells: more plan it than say it could help. "
            f"{negative} of the {len(done)} cells are negative and are shown as such, not "
            f"set to zero. {status_counts(found, 'gaps')}",
            chart=_cell_chart(
                cells.assign(text=cell_text(cells["diff_pp"], cells["n"])),
                _ranking(
                    f"In {positive} of {len(done)} cells more say a type could help than plan "
                    f"it; in {negative} fewer",
                    found,
                    "illustrative counts",
                ),
                formatting.base_range(done["n"], why=NON_RESPONSE) + PAIRED,
                cells["gap"],
            ),
            value="diff_pp",
            colorbar="Could help minus planned (percentage points)",
            cmap="vlag_r",
            vmin=-limit,
            vmax=limit,
            center=0,
        )
    )
    return maps


def gap_table(cells: pd.DataFrame) -> pd.DataFrame:
    """The reader's table of :func:`cell_evidence` rows: shares, gap, discordant answers, tests.

    Each share is marked with its evidence; the gap's is in words.
    """
    return pd.DataFrame(
        {
            "Rank": _whole(cells["rank"]),
            "Theme": cells["theme_label"],
            "Type of digital": cells["type_label"],
            "Could help %": _marked(_whole(cells["share_a"]), cells["help"]),
            "Planned %": _marked(_whole(cells["share_b"]), cells["planned"]),
            "Gap, points (95% CI)": formatting.with_interval(
                cells["diff_pp"], cells["ci_low"], cells["ci_high"], decimals=0, sign=True
            ),
            "Evidence": _in_words(cells["gap"]),
            "Help, not planned": _whole(cells["a_only"]),
            "Planned, not help": _whole(cells["b_only"]),
            "Test": cells["test"],
            "p": formatting.p_values(cells["p_value"]),
            "Holm-adjusted p": formatting.p_values(cells["p_holm"]),
            "n": cells["n"],
        }
    )


def _gap_caption(caption: str, cells: pd.DataFrame) -> str:
    """A gap table's caption, saying why illustrative gaps have no test where it shows any."""
    return f"{caption}; {UNTESTED}" if (cells["evidence"] == ASSUMED).any() else caption


@dataclass(frozen=True)
class LargestGaps:
    """The largest unrealised potential: the multiple-testing warning, the top ten, every cell.

    ``evidence``: every cell's gap, which the ranking (and headline) rests on.
    """

    sentence: str
    chart: Chart
    headline: str
    table: Table
    every: FoldedTable
    evidence: tuple[Estimate, ...] = ()


def largest_gaps(page: SurveyPage, cells: pd.DataFrame, *, top: int = 10) -> LargestGaps | None:
    """The ``top`` cells of :func:`cell_evidence`, with how many gaps survive Holm; None if none
    tested. Only findings are tested; which gap is largest rests on every cell's."""
    done = cells[~cells["suppressed"]]
    if done.empty:
        return None
    tested = done[done["evidence"] != ASSUMED]
    untested = len(done) - len(tested)
    raw = int((tested["p_value"] < 0.05).sum())
    holm_count = int((tested["p_holm"] < 0.05).sum())
    head = done.head(top)
    best = done[done["rank"] == 1]
    lead = best.iloc[0]
    found = _shown(done["gap"])
    aside = (
        f" The other {untested} cells' gaps are illustrative (the published figures leave "
        "them essentially free) and carry no test."
        if untested
        else ""
    )
    warning = (
        f"**Multiple comparisons.** This page tests {len(tested)} theme x type "
        f"{'cell' if len(tested) == 1 else 'cells'}. At "
        f"p < 0.05, about {0.05 * len(tested):.1f} would come out 'significant' by chance even "
        f"if no gap were real. {raw} {'cell has' if raw == 1 else 'cells have'} p < 0.05 "
        f"{'on its own' if raw == 1 else 'on their own'}; "
        "after Holm's adjustment over "
        f"{'the one test' if len(tested) == 1 else f'all {len(tested)} tests'}, {holm_count} "
        f"{'remains' if holm_count == 1 else 'remain'}. Read the unadjusted p-values as "
        f"descriptive and the Holm-adjusted ones as the evidence.{aside}"
        if len(tested)
        else f"No theme x type gap is tested: the published figures leave all {len(done)} "
        f"essentially free, so they are {estimates.ILLUSTRATIVE}."
    )
    return LargestGaps(
        warning,
        chart=Chart(
            head.assign(cell=head["type_short"] + " for " + head["theme_short"].str.lower()),
            _ranking(
                f"Largest unrealised potential: {cell_names(best)}, {lead['diff_pp']:+.0f} points",
                found,
            ),
            x="Could help minus planned (percentage points), with 95% Newcombe CI",
            y="Theme x type (largest gap first)",
            n=formatting.base_range(head["n"], why=NON_RESPONSE) + PAIRED,
            wrap=WRAP,
            estimates=_shown(head["gap"]),
        ),
        headline=(
            f"{cell_names(best, short=False)}: {lead['diff_pp']:+.0f} points (n = {lead['n']})"
        ),
        table=Table(
            gap_table(head),
            _gap_caption(
                f"The ten largest gaps between could help and planned, {scope(page)}", head
            ),
            f"n = {formatting.base_range(head['n'], why=NON_RESPONSE)}",
            estimates=_shown(head["help"], head["planned"], head["gap"]),
        ),
        every=FoldedTable(
            _with_reasons(gap_table(cells), cells["suppression_reason"]),
            _gap_caption(f"All theme x type cells, {scope(page)}, ranked", cells),
            f"n = {formatting.base_range(cells['n'], why=NON_RESPONSE)}",
            estimates=_shown(cells["help"], cells["planned"], cells["gap"]),
            summary=f"All {len(cells)} theme x type cells, ranked (negative gaps last)",
        ),
        evidence=found,
    )


@dataclass(frozen=True)
class Contradictions:
    """Cells where the published report has more planning a type than saying it could help.

    ``table`` is None where the report prints no such cell. The report's shares in
    it are published figures, not estimates; the data's gap beside them is one.
    """

    sentence: str
    table: Table | None = None


def contradictions(cells: pd.DataFrame, figures: pd.DataFrame | None = None) -> Contradictions:
    """:func:`published_inconsistencies` of the published figures (by default the report's),
    beside the data's gaps of :func:`cell_evidence`."""
    found = published_inconsistencies(
        published.load_figures() if figures is None else figures, cells
    )
    if found.empty:
        return Contradictions(
            "The report prints no cell where more plan a type than say it could help."
        )
    gaps = found.merge(cells[["theme", "digital_type", "gap"]], on=["theme", "digital_type"])
    table = pd.DataFrame(
        {
            "Theme": found["theme_label"],
            "Type of digital": found["type_label"],
            "Report: could help %": _whole(found["published_could_help"]),
            "Report: planned %": _whole(found["published_planned"]),
            "Report: gap, points": _whole(found["published_gap"]),
            "Data: gap, points (95% CI)": formatting.with_interval(
                found["diff_pp"], found["ci_low"], found["ci_high"], decimals=0, sign=True
            ),
            "Data: evidence": _in_words(gaps["gap"]),
            "n": found["n"],
        }
    )
    reproduce = (
        "the data reproduce it, so these gaps are negative here and are shown as such"
        if estimates.all_findings(_shown(gaps["gap"]))
        else "these gaps are negative in this synthetic data and are shown as such, but the "
        "data's gaps are illustrative where marked"
    )
    return Contradictions(
        f"For {len(found)} cells the report's own figures have more councils planning a type "
        f"of digital than saying it could help ({cell_names(found, short=False)}). That sits "
        f"oddly with 'untapped potential', but it is what the report prints; {reproduce}.",
        table=Table(
            table,
            "Cells where the published report has more planning a type than saying it could help",
            f"n = {formatting.base_range(found['n'], why=NON_RESPONSE)}",
            estimates=_shown(gaps["gap"]),
        ),
    )


REPRODUCTION_CAPTION = "Published figures and the same figures computed from the data"


@dataclass(frozen=True)
class Reproduction:
    """The report's published figures on these questions beside the data's: all, and any missed.

    ``missed`` is None where every figure is reproduced.
    """

    sentence: str
    missed: Table | None
    every: FoldedTable
    heading: str = (
        "## Reproduces the report\n\nEvery published 2024 figure on these questions beside "
        "the value computed from the data, within the report's rounding."
    )


def reproduction(page: SurveyPage) -> Reproduction:
    """Whether the data reproduce every published figure of :data:`REPRODUCED_QUESTIONS`."""
    reproduced = reproduces_the_report(page, REPRODUCED_QUESTIONS)
    within = reproduced["within tolerance"]
    table = reproduced.assign(
        published=reproduced["published"].map(formatting.as_published),
        **{
            "computed from data": _hundredths(reproduced["computed from data"]),
            "difference": _hundredths(reproduced["difference"]),
            "within tolerance": within.map({True: "yes", False: "NO"}),
        },
    )
    base = len(page.all)
    return Reproduction(
        f"**{int(within.sum())} of {len(reproduced)} published figures are reproduced** "
        "within their stated rounding.",
        missed=(
            None
            if within.all()
            else Table(table[~within], f"{REPRODUCTION_CAPTION}: not reproduced", base)
        ),
        every=FoldedTable(
            table,
            REPRODUCTION_CAPTION,
            base,
            summary=f"All {len(reproduced)} published figures on these questions",
        ),
    )


@dataclass(frozen=True)
class Results:
    """Everything the page shows, computed before it shows any (its main points lead)."""

    themes: ThemeProfile
    ranking: GapRanking
    overall: OverallGap
    maps: list[CellMap]
    largest: LargestGaps | None
    contradictions: Contradictions | None = None  # the page for everyone
    reproduction: Reproduction | None = None  # the page for everyone


def results(page: SurveyPage) -> Results:
    gaps = theme_evidence(page)
    cells = cell_evidence(page)
    return Results(
        themes=theme_profile(page, gaps),
        ranking=gap_ranking(page, gaps),
        overall=overall_gap(page),
        maps=cell_maps(page, cells),
        largest=largest_gaps(page, cells),
        contradictions=contradictions(cells) if page.is_all else None,
        reproduction=reproduction(page) if page.is_all else None,
    )


def main_points(page: SurveyPage, found: Results) -> list[MainPoint]:
    """The page's main points, most important first (illustrative ones are left out)."""
    points = []
    if found.themes.table is not None:
        points.append(
            MainPoint(
                f"{page.who}: digital's potential is clearly above current plans for "
                f"{found.themes.headline}.",
                found.themes.evidence,
            )
        )
    if found.ranking.evidence:
        points.append(
            MainPoint(
                f"{page.who}: the gap between digital's potential and plans is largest for "
                f"{found.ranking.headline}.",
                found.ranking.evidence,
            )
        )
    if found.largest is not None:
        points.append(
            MainPoint(
                f"{page.who}: the largest unrealised potential (could help minus planned) is "
                f"{found.largest.headline}.",
                found.largest.evidence,
            )
        )
    return page.with_report_findings(points, ANSWER_COLUMNS)


COMPARABILITY = (
    "Potential and plans are asked of the same respondents, so every gap is a paired "
    "comparison within this page; the scales (1-5, and yes/no per type of digital) are the "
    "2024 report's, so the page for all respondents can be checked against its published "
    "figures. The report's own figures are not always consistent with each other (see where "
    "it contradicts itself); gaps on a council type's page are for that type only."
)
