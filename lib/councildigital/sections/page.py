"""The page object: what every section notebook does, in one place.

:func:`load_page` (survey sections) and :func:`published_page` (sections that read
published figures only) check the parameters, record the page's provenance and
return a :class:`Page`. The page knows whom it describes (``scope``, the
too-small fallback) and how a page shows things: ``say`` Markdown, ``show`` a
table with its caption and base, ``chart`` with title, axes, base and source,
``headline`` a figure for the site's index. Every page shows them the same way,
so executed notebooks are byte-stable.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import pandas as pd

from councildigital import disclosure, stats
from councildigital.data import reference, survey
from councildigital.data.microdata import CLUSTER_COLUMN, Microdata, load_microdata
from councildigital.pipeline import snapshot
from councildigital.pipeline.parameters import WEIGHTINGS
from councildigital.reconstruct import claims
from councildigital.sections import estimates, formatting, plots, records
from councildigital.sections.estimates import Estimate

SURVEY_SOURCE = "LGC and Hitachi Solutions (2024) survey of 78 UK council respondents"


@dataclass(frozen=True)
class Table:
    """A table as a page shows it: cells already written as text, its caption and its base.

    ``estimates``: the numbers it shows from respondent data, for the page's estimates file.
    """

    frame: pd.DataFrame
    caption: str
    base: int | str | None = None
    estimates: tuple[Estimate, ...] = ()


@dataclass(frozen=True)
class Chart:
    """What a chart says beside what it draws: the frame to draw, title, axes, base and source.

    ``wrap`` is the title's line length (None: one line); ``source`` replaces the
    page's source line, ``assumed`` names what the chart's inputs assume;
    ``synthetic=False`` marks a chart of published figures only on a page of
    synthetic data (None: the page's own label); ``estimates``: the numbers it
    shows from respondent data, for the page's estimates file; ``withheld``: the cells it
    hides (:data:`records.WITHHELD_COLUMNS`), for the run's disclosure audit file.
    """

    frame: pd.DataFrame | None
    title: str
    x: str
    y: str
    n: int | str | None = None
    source: str | None = None
    assumed: str | None = None
    wrap: int | None = 75
    synthetic: bool | None = None
    estimates: tuple[Estimate, ...] = ()
    withheld: tuple[dict, ...] = ()


@dataclass(frozen=True)
class Page:
    """A report page: its council type, its source line, and how it shows text, tables, charts."""

    council_type: str
    citation: str
    synthetic: bool

    @property
    def is_all(self) -> bool:
        return self.council_type == survey.ALL

    @property
    def label(self) -> str:
        return (
            "All respondents"
            if self.is_all
            else survey.label(survey.COUNCIL_TYPES, self.council_type)
        )

    @property
    def too_small(self) -> bool:
        return False

    @property
    def data_label(self) -> str:
        """What a caption ends with: the synthetic-data label, where the data are synthetic."""
        return f" {plots.SYNTHETIC_LABEL}." if self.synthetic else ""

    def source(self) -> str:
        """The source line for charts."""
        return self.citation

    def say(self, markdown: str) -> None:
        """Markdown the page computed (text from data or parameters escaped by the caller)."""
        from IPython.display import Markdown, display

        display(Markdown(markdown))

    def show(self, table: Table) -> None:
        """A table for reviewers: no index, its caption, then its base and data label if it has one.

        Cells are shown as they are: section results write them (:mod:`.formatting`).
        """
        caption = table.caption
        _record(table.estimates)
        self.record_withheld(disclosure.audit_table(table.caption, table.frame))
        if table.base is not None:
            base_text = f"n = {table.base}" if isinstance(table.base, int) else table.base
            caption = f"{caption}. Base: {base_text}.{self.data_label}"
        formatting.show_table(formatting.table_style(table.frame, caption))

    def chart(self, ax, chart: Chart) -> None:
        """Finish and show a chart: its title (wrapped), axis labels, base, source and data label."""
        import matplotlib.pyplot as plt

        _record(chart.estimates)
        self.record_withheld(list(chart.withheld))
        title = chart.title if chart.wrap is None else textwrap.fill(chart.title, chart.wrap)
        plots.finish(
            ax,
            title,
            chart.x,
            chart.y,
            chart.source or self.source(),
            n=chart.n,
            synthetic=self.synthetic if chart.synthetic is None else chart.synthetic,
            assumed=chart.assumed,
        )
        plt.show()

    def headline(
        self, label: str, value: str, evidence: Estimate | Sequence[Estimate] | None = None
    ) -> None:
        """A figure for the site's index; a council type too small to show says so instead.

        ``evidence``: the estimates the figure rests on (the weakest decides its
        status; the range goes to the index only for a figure that is one estimate).
        An illustrative (assumed) figure is no headline: nothing is recorded.
        Pages of published figures only pass none.
        """
        if self.too_small:
            records.headline(label, self.too_small_value())
            return
        if evidence is None:
            records.headline(label, value)
            return
        basis = estimates.weakest(evidence)
        if not basis.is_finding:
            return
        records.headline(
            label,
            value,
            evidence=basis.evidence,
            bound_low=basis.bound_low,
            bound_high=basis.bound_high,
            figure_id=basis.figure_id,
            range_text=basis.range_text if isinstance(evidence, Estimate) else "",
        )

    def too_small_value(self) -> str:
        return ""

    def record_withheld(self, rows: list[dict]) -> None:
        """Record hidden cells (table, row, column, rule, reason) for the run's audit file."""
        if rows:
            records.withheld(rows)


def _record(shown: tuple[Estimate, ...]) -> None:
    if shown:
        records.estimates(estimates.rows(shown))


def published_page(council_type: str, *, description: str, citation: str) -> Page:
    """A page from published figures only: checks the council type and records the provenance."""
    survey.check_council_type(council_type)
    records.provenance(description, synthetic=False)
    return Page(council_type, citation, synthetic=False)


@dataclass(frozen=True)
class SurveyPage(Page):
    """A page from respondent microdata: the data, and the choices that shaped it."""

    microdata: Microdata
    min_base: int
    weighting: str
    weights: pd.Series | None
    poststratification: stats.PostStratification | None

    @property
    def all(self) -> pd.DataFrame:
        return self.microdata.frame

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The chosen council type's respondents (everyone for 'all'), selected once."""
        if self.council_type == survey.ALL:
            return self.all
        return self.all[self.all["council_type"] == self.council_type]

    @property
    def shown(self) -> pd.DataFrame:
        """What the page estimates from: the council type, or everyone (for context) if too few."""
        return self.all if self.too_small else self.frame

    @property
    def n(self) -> int:
        return len(self.frame)

    @property
    def too_small(self) -> bool:
        """Too few to show: below the minimum base, or withheld to protect a smaller type."""
        return self.n < self.min_base or self.council_type in self.withheld

    @cached_property
    def withheld(self) -> disclosure.Withheld:
        """The council types no page of this data shows on their own (primary and secondary
        suppression, decided from all the data, so every page of a batch agrees)."""
        return withheld_types(self.all, self.min_base)

    @property
    def scope(self) -> str:
        """Whom the estimates describe, to start a sentence or title (council types keep capitals)."""
        if self.is_all:
            return "All respondents"
        if self.too_small:
            return f"All respondents (for context: {self.label}, n = {self.n}, is too few)"
        return f"{self.label} respondents"

    @property
    def who(self) -> str:
        """Whom the shown figures describe, for titles: the type, or everyone if it is too small."""
        return "All respondents" if self.is_all or self.too_small else f"{self.label} respondents"

    @property
    def weighted(self) -> bool:
        """Whether the page's estimates for everyone are post-stratified (weights differ)."""
        return self.is_all and self.weights is not None

    @property
    def estimate_weights(self) -> pd.Series | None:
        """The weights the page's estimates use: on the page for everyone only.

        Within one council type every weight is the same, and the figures for
        everyone that a too-small type shows for context stay unweighted, as
        the notice says.
        """
        return self.weights if self.weighted else None

    def too_small_value(self) -> str:
        if self.council_type in self.withheld and self.n >= self.min_base:
            return self.withheld.reason(self.council_type)
        return f"not shown: n = {self.n}, below the minimum of {self.min_base}"

    def headline(
        self, label: str, value: str, evidence: Estimate | Sequence[Estimate] | None = None
    ) -> None:
        """As :meth:`Page.headline`; a survey page's figure must name the estimates behind it."""
        if evidence is None and not self.too_small:
            raise ValueError(f"headline {label!r}: a survey page names the estimates behind it")
        super().headline(label, value, evidence)

    @property
    def group(self) -> str:
        """The group the shown estimates describe: the council type, or 'all' (also for context)."""
        return survey.ALL if self.is_all or self.too_small else self.council_type

    def as_estimated(self, q: claims.Quantity) -> claims.Quantity:
        """The statistic as the page estimates it: weighted across council types where weighted.

        A post-stratified share or mean for everyone is the council types' own
        values combined in proportion to their weight among those who answered;
        differences and combinations are weighted part by part.
        """
        weights = self.estimate_weights
        if weights is not None and q.stat in ("difference", "combination"):
            return replace(q, parts=tuple(self.as_estimated(p) for p in q.parts))
        if weights is None or q.stat not in ("share", "mean") or q.group != survey.ALL:
            return q
        answered = self.all[q.column].notna() if q.column else pd.Series(True, index=self.all.index)
        if q.given:
            for column, values in q.given:
                answered &= self.all[column].isin(values)
        totals = weights[answered].groupby(self.all.loc[answered, "council_type"]).sum()
        totals = totals[totals > 0]
        parts = tuple(
            claims.Quantity(q.stat, q.column, q.answers, code, given=q.given)
            for code in totals.index
        )
        shares = tuple(float(w) for w in totals / totals.sum())
        return claims.Quantity("combination", parts=parts, coefficients=shares)

    def estimate(
        self,
        q: claims.Quantity,
        statistic: str,
        value: float,
        *,
        ci_low: float | None = None,
        ci_high: float | None = None,
        n: int | None = None,
        unit: str = "%",
        weighted: bool = False,
        group: str | None = None,
    ) -> Estimate:
        """One number the page shows, with its evidence status (bases from all the data).

        ``weighted``: the value is the page's weighted estimate of ``q``, whose
        bounds are those of the weighted combination (:meth:`as_estimated`).
        """
        quantity = self.as_estimated(q) if weighted else q
        return estimates.estimate(
            quantity,
            statistic,
            value,
            self.all,
            synthetic=self.synthetic,
            group=group if group is not None else q.group,
            ci_low=ci_low,
            ci_high=ci_high,
            n=n,
            unit=unit,
        )

    def what_the_report_says(self, columns: Iterable[str]) -> str:
        """Markdown opening a council type's page: the report's figures for this type, and the
        estimates its figures confine, tightest first; or that they leave every one free.

        Empty on the page for everyone. ``columns`` are the section's answer columns.
        """
        if self.is_all:
            return ""
        found = []
        for column in columns:
            q = estimates.one_way(column, self.council_type)
            n = None if q is None else claims.base(q, self.all)
            if not n:
                continue
            found.append(
                self.estimate(
                    q,
                    estimates.statistic_name(column),
                    claims.evaluate(q, self.all),
                    n=n,
                    unit="%" if q.stat == "share" else "",
                )
            )
        return estimates.summary(found, survey.in_sentence(self.label))

    def notice(self) -> str:
        """Markdown for the top of the page: data, base, weighting, and small-base warning."""
        lines = []
        if self.synthetic:
            label = formatting.escape_markdown(self.microdata.label)
            lines.append(f"**{label}.** Every chart and table below says so too.")
        lines.append(
            f"**Respondents on this page:** {self.label}, n = {self.n} of {len(self.all)}."
        )
        if self.weighting == "council_type" and self.council_type == survey.ALL:
            lines.append(
                "**Weighting:** post-stratified to the number of councils of each type in Great "
                f"Britain (Kish design effect {self.poststratification.design_effect:.2f}, "
                f"effective n = {self.poststratification.n_eff:.0f}); unweighted figures are "
                "shown beside weighted ones."
            )
        elif self.weighting == "council_type" and self.too_small:
            lines.append(
                "**Weighting:** applies on the page for all respondents; the figures for all "
                "respondents shown here for context are unweighted."
            )
        elif self.weighting == "council_type":
            lines.append(
                "**Weighting:** within one council type every respondent has the same weight, "
                "so weighted and unweighted figures are the same on this page."
            )
        if self.too_small:
            lines.append(
                f"**Too few respondents to show estimates for this council type:** "
                f"{self.too_small_reason()}. Figures for all respondents are shown for "
                "context only."
            )
        lines.append(self.design_caveat())
        lines.append(estimates.LEGEND if self.synthetic else estimates.LEGEND_OBSERVED)
        return "\n\n".join(lines)

    @property
    def councils(self) -> pd.Series | None:
        """Each respondent's council, where the data name it (the optional council_id)."""
        return self.all.get(CLUSTER_COLUMN)

    def clustering_statement(self) -> str:
        """How many councils answered, how many respondents each, and what that does to the
        intervals; without council ids, that respondents are treated as independent."""
        if self.councils is None:
            return (
                "**Respondents and councils:** the data do not say which council each "
                "respondent is from, so respondents are treated as independent, although one "
                "council may have several."
            )
        per = self.councils.value_counts()
        spread = ", ".join(
            f"{count} with {size}" for size, count in per.value_counts().sort_index().items()
        )
        return (
            f"**Respondents and councils:** {len(per)} councils answered, with {len(self.all)} "
            f"respondents (councils by respondents: {spread}). The intervals of the shares by "
            "council type and of the weighted headline shares allow for respondents of one "
            "council answering alike (Taylor-linearised variance with councils as clusters, "
            "as R's survey package computes it); the other intervals and tests treat "
            "respondents as independent. None allows for who chose to respond."
        )

    def too_small_reason(self) -> str:
        """Why the page's own council type is not shown: its base, or secondary suppression."""
        if self.n < self.min_base:
            return f"n = {self.n}, below the minimum base of {self.min_base}"
        return self.withheld.reason(self.council_type)

    def design_caveat(self) -> str:
        """What the page's intervals and tests allow for, and what they cannot."""
        reconstruction = (
            ", or the reconstruction: in this synthetic data, answers the report does not "
            "publish are set by its assumptions"
            if self.synthetic
            else ""
        )
        if self.councils is not None:
            synthetic = (
                " Nor for the reconstruction: in this synthetic data, answers the report does "
                "not publish are set by its assumptions."
                if self.synthetic
                else ""
            )
            return self.clustering_statement() + synthetic
        return (
            f"**What the intervals cover:** the {len(self.all)} respondents chose to answer "
            "and are individuals, not councils; one council may have several. The 95% "
            "intervals and tests allow for sampling error as if the respondents were a simple "
            "random sample, each independent of the others. They do not allow for who chose "
            f"to respond, for respondents from the same council{reconstruction}."
        )


def load_page(
    council_type: str = survey.ALL,
    data_path: str | None = None,
    min_base: int = stats.MIN_BASE,
    weighting: str = "none",
) -> SurveyPage:
    """Validate the parameters and data, and record the page's provenance for the site."""
    survey.check_council_type(council_type)
    if weighting not in WEIGHTINGS:
        raise ValueError(
            f"unknown weighting {weighting!r}; expected one of {', '.join(WEIGHTINGS)}"
        )
    if not isinstance(min_base, int) or isinstance(min_base, bool) or min_base < 1:
        raise ValueError(f"min_base must be a whole number of respondents >= 1; got {min_base!r}")
    if snapshot.is_ref(data_path):  # a batch read and validated the file once, for every page
        microdata = snapshot.load_microdata(data_path)
    else:
        microdata = load_microdata(data_path)
    post = None
    weights = None
    if weighting == "council_type":
        post = council_type_weights(microdata.frame)
        weights = post.weights
    records.provenance(microdata.label, microdata.synthetic, microdata.sha256)
    return SurveyPage(
        council_type,
        f"{SURVEY_SOURCE}. {microdata.label}",
        microdata.synthetic,
        microdata,
        min_base,
        weighting,
        weights,
        post,
    )


def withheld_types(frame: pd.DataFrame, min_base: int) -> disclosure.Withheld:
    """The council types no page of ``frame`` shows on its own: below ``min_base``, or
    hidden because the figures for everyone, unweighted and weighted to the number of
    councils of each type (the vision page always shows both), would give them back."""
    return disclosure.withheld_types(frame, min_base, council_type_weights(frame).weights)


def council_type_weights(frame: pd.DataFrame) -> stats.PostStratification:
    """Post-stratified to the number of councils of each type (``data/reference/``)."""
    return stats.poststratification_weights(
        frame, column="council_type", population=reference.council_counts()
    )


def reproduces_the_report(data: SurveyPage, questions: tuple[str, ...]) -> pd.DataFrame:
    """Each published 2024 figure of these questions beside the value computed from the data."""
    table = claims.fidelity(data.all)
    table = table[table["question"].isin(questions)]
    return table[
        [
            "id",
            "question",
            "item",
            "group",
            "measure",
            "published",
            "reconstructed",
            "difference",
            "tolerance",
            "within",
        ]
    ].rename(columns={"reconstructed": "computed from data", "within": "within tolerance"})
