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
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from councildigital import stats
from councildigital.data import published, survey
from councildigital.data.microdata import column_name
from councildigital.sections import formatting
from councildigital.sections.page import Chart, Page, SurveyPage, Table, reproduces_the_report

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


@dataclass(frozen=True)
class ThemeProfile:
    """Significance, potential and plan per theme: the dumbbell chart, its reading and table.

    ``chart`` and ``table`` are None when no theme has a base to test; ``sentence`` then says so.
    """

    sentence: str
    chart: Chart | None = None
    table: Table | None = None
    headline: str = ""


def theme_profile(page: SurveyPage, gaps: pd.DataFrame) -> ThemeProfile:
    """Mean answers per theme beside how many gaps (of :func:`theme_gaps`) survive Holm."""
    if gaps["suppressed"].all():
        return ThemeProfile(
            f"No theme has a base of at least {page.min_base} respondents here, "
            "so no means are shown."
        )
    means = theme_means(page.shown, min_base=page.min_base)
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
    caption = f"Mean answers per theme, {scope(page)}, 1-5 scale"
    return ThemeProfile(
        clear.sentence(),
        chart=Chart(
            plotted,
            clear.title(scope(page)),
            x="Mean answer (1 = not at all, 5 = very large / very important), with 95% CI",
            y="Theme",
            n=formatting.base_range(plotted["n"], why=NON_RESPONSE),
            wrap=WRAP,
        ),
        table=Table(
            table,
            stats.clipped_caption(caption, plotted, survey.EXTENT),
            f"n = {formatting.base_range(means['n'], why=NON_RESPONSE)}",
        ),
        headline=clear.headline(),
    )


@dataclass(frozen=True)
class GapRanking:
    """Potential minus plan per theme, largest first: chart, reading, headline and table.

    ``chart`` and ``table`` are None when no theme has a base to test; the sentence and
    headline say so.
    """

    sentence: str
    headline: str
    chart: Chart | None = None
    table: Table | None = None


def gap_ranking(page: SurveyPage, gaps: pd.DataFrame) -> GapRanking:
    """The largest and smallest gaps of :func:`theme_gaps`, saying when the order is unclear."""
    tested = gaps[~gaps["suppressed"]]
    if tested.empty:
        return GapRanking(
            "No gap is tested: every theme's base is below the minimum.",
            f"not shown: every theme's base is below {page.min_base}",
        )
    top = tested[tested["rank"] == 1]
    top_names = formatting.names(top["theme_label"])
    first = top.iloc[0]
    shared = (
        f" Its interval overlaps the next theme's ({tested.iloc[1]['theme_label']}), so the "
        "order of the top themes is not clearly supported."
        if len(tested) > 1 and first["overlaps_next"] is not pd.NA and first["overlaps_next"]
        else ""
    )
    smallest = tested[tested["mean_diff"] == tested["mean_diff"].min()]
    sentence = (
        f"**The gap is largest for {top_names}**: potential {first['mean_a']:.2f} against "
        f"plan {first['mean_b']:.2f}, a gap of {first['mean_diff']:+.2f} points (95% CI "
        f"{formatting.interval(first['ci_low'], first['ci_high'], 2, sep=' to ', sign=True)}; "
        f"n = {first['n']}; paired t test Holm-adjusted p "
        f"{formatting.p_value(first['t_p_holm'])}).{shared} "
        f"The smallest gap is for {formatting.names(smallest['theme_label'])} "
        f"({smallest['mean_diff'].iloc[0]:+.2f})."
    )
    table = pd.DataFrame(
        {
            "Rank": _whole(gaps["rank"]),
            "Theme": gaps["theme_label"],
            "Potential, mean": _hundredths(gaps["mean_a"]),
            "Plan, mean": _hundredths(gaps["mean_b"]),
            "Gap (95% CI)": formatting.with_interval(
                gaps["mean_diff"], gaps["ci_low"], gaps["ci_high"], decimals=2, sign=True
            ),
            "Paired t p": formatting.p_values(gaps["t_p"]),
            "Holm-adjusted p": formatting.p_values(gaps["t_p_holm"]),
            "Wilcoxon p": formatting.p_values(gaps["wilcoxon_p"]),
            "n": gaps["n"],
        }
    )
    return GapRanking(
        sentence,
        f"{top_names}: {first['mean_diff']:+.2f} points on a 1-5 scale (n = {first['n']})",
        chart=Chart(
            tested,
            f"The gap between digital potential and plans is largest for {top_names} "
            f"({first['mean_diff']:+.2f} points)",
            x="Potential minus plan (points on the 1-5 scale), with 95% CI",
            y="Theme (largest gap first)",
            n=formatting.base_range(tested["n"], why=NON_RESPONSE),
            wrap=WRAP,
        ),
        table=Table(
            _with_reasons(table, gaps["suppression_reason"]),
            f"Potential minus plan per theme, {scope(page)}, ranked",
            f"n = {formatting.base_range(gaps['n'], why=NON_RESPONSE)}",
        ),
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


def overall_gap(page: SurveyPage) -> OverallGap:
    """Each respondent's mean over the themes (:func:`overall_means`), and whether weights move it."""
    weights = page.estimate_weights
    overall = overall_means(page.shown, weights, min_base=page.min_base)
    unweighted = overall[overall["weighting"] == "unweighted"].set_index("measure")
    if weights is None:
        if unweighted["suppressed"].all():
            return OverallGap("")
        gap = unweighted.loc["gap"]
        hint = (
            "; run the 'all' page with `weighting = \"council_type\"` for weighted figures."
            if page.is_all
            else "."
        )
        return OverallGap(
            f"Averaged over the nine themes, potential exceeds plans by {gap['mean']:+.2f} "
            "points per respondent (95% CI "
            f"{formatting.interval(gap['ci_low'], gap['ci_high'], 2, sep=' to ', sign=True)}; "
            f"n = {gap['n']}). All figures on this page are unweighted{hint}"
        )
    weighted = overall[overall["weighting"] == "weighted"].set_index("measure")
    table = pd.DataFrame({"Measure (mean over the nine themes)": unweighted["measure_label"]})
    for scheme, rows in (("Unweighted", unweighted), ("Weighted", weighted)):
        table[f"{scheme} mean (95% CI)"] = formatting.with_interval(
            rows["mean"], rows["ci_low"], rows["ci_high"], decimals=2
        )
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
    return OverallGap(
        f"Weighting moves the mean gap by {moved:+.2f} points. {reading}",
        table=Table(
            table.reset_index(drop=True),
            "Mean over the nine themes, unweighted and weighted by council type",
            page.n,
        ),
    )


@dataclass(frozen=True)
class CellMap:
    """A theme x type heatmap (its words in ``chart``, its colour scale here) and what to say.

    ``chart`` is None when every cell's base is below the minimum; ``sentence`` then says so.
    """

    sentence: str
    chart: Chart | None = None
    value: str = ""
    colorbar: str = ""
    cmap: str = "viridis"
    vmin: float | None = None
    vmax: float | None = None
    center: float | None = None


def _cell_chart(frame: pd.DataFrame, title: str, n: str) -> Chart:
    """A heatmap's words: types across, themes down."""
    return Chart(frame, title, x="Type of digital", y="Theme", n=n, wrap=WRAP)


def cell_maps(page: SurveyPage, cells: pd.DataFrame) -> list[CellMap]:
    """Could help, planned (on one 0-100 scale) and their gap (:func:`type_gaps`), cell by cell."""
    shares = type_shares(page.shown, min_base=page.min_base)
    shares["text"] = cell_text(shares["estimate"], shares["n"])
    maps = []
    for measure, label in TYPE_MEASURES.items():
        own = shares[shares["measure"] == measure]
        if own["suppressed"].all():
            maps.append(
                CellMap(f"*{label}*: every cell's base is below {page.min_base}; not shown.")
            )
            continue
        best = own[own["estimate"] == own["estimate"].max()]
        title = f"{label}: highest for {cell_names(best)} ({best['estimate'].iloc[0]:.0f}%)"
        maps.append(
            CellMap(
                "",
                chart=_cell_chart(own, title, formatting.base_range(own["n"], why=NON_RESPONSE)),
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
    maps.append(
        CellMap(
            "Blue cells: more respondents say the type could help than say it is planned "
            "(unrealised potential); red cells: more plan it than say it could help. "
            f"{negative} of the {len(done)} cells are negative and are shown as such, not "
            "set to zero.",
            chart=_cell_chart(
                cells.assign(text=cell_text(cells["diff_pp"], cells["n"])),
                f"In {positive} of {len(done)} cells more say a type could help than plan it; "
                f"in {negative} fewer",
                formatting.base_range(done["n"], why=NON_RESPONSE) + PAIRED,
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
    """The reader's table of :func:`type_gaps` rows: shares, gap, discordant answers, tests."""
    return pd.DataFrame(
        {
            "Rank": _whole(cells["rank"]),
            "Theme": cells["theme_label"],
            "Type of digital": cells["type_label"],
            "Could help %": _whole(cells["share_a"]),
            "Planned %": _whole(cells["share_b"]),
            "Gap, points (95% CI)": formatting.with_interval(
                cells["diff_pp"], cells["ci_low"], cells["ci_high"], decimals=0, sign=True
            ),
            "Help, not planned": _whole(cells["a_only"]),
            "Planned, not help": _whole(cells["b_only"]),
            "Test": cells["test"],
            "p": formatting.p_values(cells["p_value"]),
            "Holm-adjusted p": formatting.p_values(cells["p_holm"]),
            "n": cells["n"],
        }
    )


@dataclass(frozen=True)
class LargestGaps:
    """The largest unrealised potential: the multiple-testing warning, the top ten, every cell."""

    sentence: str
    chart: Chart
    headline: str
    table: Table
    every: FoldedTable


def largest_gaps(page: SurveyPage, cells: pd.DataFrame, *, top: int = 10) -> LargestGaps | None:
    """The ``top`` cells of :func:`type_gaps`, with how many gaps survive Holm; None if none tested."""
    done = cells[~cells["suppressed"]]
    if done.empty:
        return None
    raw = int((done["p_value"] < 0.05).sum())
    holm_count = int((done["p_holm"] < 0.05).sum())
    head = done.head(top)
    best = done[done["rank"] == 1]
    lead = best.iloc[0]
    return LargestGaps(
        f"**Multiple comparisons.** This page tests {len(done)} theme x type cells. At "
        f"p < 0.05, about {0.05 * len(done):.1f} would come out 'significant' by chance even "
        f"if no gap were real. {raw} cells have p < 0.05 on their own; after Holm's adjustment "
        f"over all {len(done)} tests, {holm_count} remain. Read the unadjusted p-values as "
        "descriptive and the Holm-adjusted ones as the evidence.",
        chart=Chart(
            head.assign(cell=head["type_short"] + " for " + head["theme_short"].str.lower()),
            f"Largest unrealised potential: {cell_names(best)}, {lead['diff_pp']:+.0f} points",
            x="Could help minus planned (percentage points), with 95% Newcombe CI",
            y="Theme x type (largest gap first)",
            n=formatting.base_range(head["n"], why=NON_RESPONSE) + PAIRED,
            wrap=WRAP,
        ),
        headline=(
            f"{cell_names(best, short=False)}: {lead['diff_pp']:+.0f} points (n = {lead['n']})"
        ),
        table=Table(
            gap_table(head),
            f"The ten largest gaps between could help and planned, {scope(page)}",
            f"n = {formatting.base_range(head['n'], why=NON_RESPONSE)}",
        ),
        every=FoldedTable(
            _with_reasons(gap_table(cells), cells["suppression_reason"]),
            f"All theme x type cells, {scope(page)}, ranked",
            f"n = {formatting.base_range(cells['n'], why=NON_RESPONSE)}",
            summary=f"All {len(cells)} theme x type cells, ranked (negative gaps last)",
        ),
    )


@dataclass(frozen=True)
class Contradictions:
    """Cells where the published report has more planning a type than saying it could help.

    ``table`` is None where the report prints no such cell.
    """

    sentence: str
    table: Table | None = None


def contradictions(cells: pd.DataFrame, figures: pd.DataFrame | None = None) -> Contradictions:
    """:func:`published_inconsistencies` of the published figures (by default the report's)."""
    found = published_inconsistencies(
        published.load_figures() if figures is None else figures, cells
    )
    if found.empty:
        return Contradictions(
            "The report prints no cell where more plan a type than say it could help."
        )
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
            "n": found["n"],
        }
    )
    return Contradictions(
        f"For {len(found)} cells the report's own figures have more councils planning a type "
        f"of digital than saying it could help ({cell_names(found, short=False)}). That sits "
        "oddly with 'untapped potential', but it is what the report prints; the data "
        "reproduce it, so these gaps are negative here and are shown as such.",
        table=Table(
            table,
            "Cells where the published report has more planning a type than saying it could help",
            f"n = {formatting.base_range(found['n'], why=NON_RESPONSE)}",
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
