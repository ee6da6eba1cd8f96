"""The page object: what every section notebook does, in one place.

:func:`load_page` (survey sections) and :func:`published_page` (sections that read
published figures only) check the parameters, record the page's provenance and
return a :class:`Page`. The page knows whom it describes (``scope``, the
too-small fallback) and how a page shows things: ``say`` Markdown, ``show`` a
table with its caption and base, ``chart`` with title, axes, base and source,
``headline`` a figure for the site's index, ``main_points`` the ranked findings a
page leads with, and ``strengths_and_limitations`` the section it ends with. Every
table and chart also offers its data (:data:`~.records.DATA_MIME`: a CSV each and
the page's spreadsheet, written by :mod:`councildigital.pipeline.downloads`), and
each chart its numbers as a table. Every page shows them the same way, so executed
notebooks are byte-stable.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from html import escape

import pandas as pd

from councildigital import disclosure, stats
from councildigital.data import reference, survey
from councildigital.data.microdata import (
    CLUSTER_COLUMN,
    Microdata,
    is_free_text,
    load_microdata,
)
from councildigital.pipeline import snapshot
from councildigital.pipeline.parameters import (
    COUNCIL_READING,
    READINGS,
    RESPONDENT_READING,
    WEIGHTINGS,
    check_reading,
)
from councildigital.reconstruct import claims
from councildigital.sections import estimates, formatting, plots, records
from councildigital.sections.estimates import Estimate

# The opening summary of what the report says about a type, in the audit file.
REPORT_SAYS = "What the published evidence says"
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
    hides (:data:`records.WITHHELD_COLUMNS`), for the run's disclosure audit file;
    ``numbers``: the numbers the chart shows, when they are not its frame's rows (a
    histogram of 200,000 draws shows 80 bins, not the draws), for its data files.
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
    numbers: pd.DataFrame | None = field(default=None, compare=False)


@dataclass(frozen=True)
class MainPoint:
    """One of a page's main points: one sentence, and the estimates its numbers rest on.

    The weakest estimate gives the point its evidence status; a point resting on an
    illustrative (assumed) estimate is no main point. A point of published figures only
    (a page without respondent data) names no estimates.
    """

    sentence: str
    estimates: tuple[Estimate, ...] = ()

    @property
    def basis(self) -> Estimate | None:
        return estimates.weakest(self.estimates) if self.estimates else None


MAX_MAIN_POINTS = 6
NO_MAIN_POINTS = (
    "No figure on this page is stated or confined by the report's published figures: every "
    "estimate here is illustrative, so none is a main point."
)
DATA_LINKS = "Download the data"
CHART_NUMBERS = "The numbers in this chart"


class _Ledger:
    """What a page has shown so far: the number of its last table or chart, and its estimates."""

    def __init__(self) -> None:
        self.count = 0
        self.shown: dict[tuple, Estimate] = {}  # by what the page shows, each once

    def next_number(self) -> int:
        self.count += 1
        return self.count


@dataclass(frozen=True)
class Page:
    """A report page: its council type, its source line, and how it shows text, tables, charts."""

    council_type: str
    citation: str
    synthetic: bool
    _ledger: _Ledger = field(default_factory=_Ledger, init=False, repr=False, compare=False)

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
        """A table for reviewers: no index, its caption, then its base and data label if it has one;
        below it, links to its data (CSV) and the page's spreadsheet.

        Cells are shown as they are: section results write them (:mod:`.formatting`).
        """
        caption = table.caption
        self._record(table.estimates)
        self.record_withheld(disclosure.audit_table(table.caption, table.frame))
        base_text = _base_text(table.base)
        if base_text:
            caption = f"{caption}. Base: {base_text}.{self.data_label}"
        formatting.show_table(formatting.table_style(table.frame, caption))
        self.offer(table)

    def offer(self, table: Table) -> None:
        """Links to a table's data (its CSV and the page's spreadsheet), recorded for the batch.

        :meth:`show` calls it; a section showing a table its own way (folded) calls it after.
        """
        record = self._table_record(table)
        records.data(record, self._links(record))

    def data_links(self, table: Table, *, source: str | None = None) -> str:
        """Record a table's data for the batch without showing anything, and return the HTML
        of the links to its files, for a section that lays its tables out in its own HTML
        (the evidence page's document blocks). ``source``: the table's own source line."""
        record = self._table_record(table, source=source)
        records.data(record, None)
        return self._links(record)

    def _table_record(self, table: Table, *, source: str | None = None) -> dict:
        return self._data_record(
            "table",
            table.caption,
            _text_columns(table.frame),
            _text_rows(table.frame),
            _base_text(table.base),
            source=source,
        )

    def chart(self, ax, chart: Chart) -> None:
        """Finish and show a chart: its title (wrapped), axis labels, base, source and data label;
        below it, its numbers as a table (collapsed) and links to its data.

        A chart without a frame (drawn from something else) offers no data.
        """
        self._record(chart.estimates)
        self.record_withheld(list(chart.withheld))
        title = chart.title if chart.wrap is None else textwrap.fill(chart.title, chart.wrap)
        png, metadata = plots.chart_image(
            ax,
            title,
            chart.x,
            chart.y,
            chart.source or self.source(),
            n=chart.n,
            synthetic=self.synthetic if chart.synthetic is None else chart.synthetic,
            assumed=chart.assumed,
        )
        _show_image(ax.figure, png, metadata)
        numbers = chart.frame if chart.numbers is None else chart.numbers
        if numbers is None:
            return
        synthetic = self.synthetic if chart.synthetic is None else chart.synthetic
        record = self._data_record(
            "chart",
            chart.title,
            _text_columns(numbers),
            _number_rows(numbers),
            _base_text(chart.n),
            source=chart.source or self.source(),
            synthetic=synthetic,
        )
        records.data(record, _numbers_table(record) + self._links(record))

    def _record(self, shown: tuple[Estimate, ...]) -> None:
        if shown:
            records.estimates(estimates.rows(shown))
            self._ledger.shown.update(
                {(e.statistic, e.group, e.evidence, repr(e.value)): e for e in shown}
            )

    def _data_record(
        self,
        kind: str,
        title: str,
        columns: list[str],
        rows: list[list],
        base: str,
        *,
        source: str | None = None,
        synthetic: bool | None = None,
    ) -> dict:
        """What a table or chart offers as data: a stable file stem (numbered in page order),
        its title, columns and rows, base, source and data label."""
        synthetic = self.synthetic if synthetic is None else synthetic
        number = self._ledger.next_number()
        return {
            "stem": f"{kind}-{number:02d}-{_slug(title)}",
            "kind": kind,
            "title": " ".join(title.split()),
            "columns": columns,
            "rows": rows,
            "base": base,
            "source": " ".join((source or self.source()).split()),
            "data_label": plots.SYNTHETIC_LABEL if synthetic else records.REAL_DATA_LABEL,
            "council_type": self.council_type,
        }

    def _links(self, record: dict) -> str:
        """Links to a table's or chart's CSV and the page's spreadsheet, beside the page."""
        what = "this table" if record["kind"] == "table" else "this chart"
        csv_href = escape(f"{self.council_type}{records.DATA_FOLDER}/{record['stem']}.csv")
        ods_href = escape(f"{self.council_type}.ods")
        return (
            f'<p class="cd-data-links">{DATA_LINKS}: <a href="{csv_href}">{what} (CSV)</a>'
            f' &middot; <a href="{ods_href}">every table and chart on this page '
            "(ODS spreadsheet)</a></p>"
        )

    def main_points(self, points: Sequence[str | MainPoint]) -> None:
        """The page's main points where it is called: ranked, at most six, one sentence each.

        ``points`` come ranked, most important first. Each point's sentence ends with the
        mark of its evidence status (its weakest estimate), in words for screen readers; a
        point resting on an illustrative (assumed) estimate is left out, as it is from the
        index. Plain sentences (pages of published figures only) carry no mark. One HTML block.
        """
        from IPython.display import HTML, display

        kept = [p if isinstance(p, MainPoint) else MainPoint(p) for p in points]
        kept = [p for p in kept if p.basis is None or p.basis.is_finding][:MAX_MAIN_POINTS]
        items = "".join(f"<li>{_point_html(p)}</li>" for p in kept)
        body = f"<ol>{items}</ol>" if kept else f"<p>{escape(NO_MAIN_POINTS)}</p>"
        display(
            HTML(
                '<section class="cd-main-points" aria-labelledby="main-points">'
                '<h2 id="main-points">Main points<a class="anchor-link" href="#main-points">'
                f"\u00b6</a></h2>{body}</section>"
            )
        )

    def strengths_and_limitations(self, comparability: str) -> str:
        """Markdown for the page's closing section: its data, and what the statuses mean here.

        ``comparability`` (the section's Markdown) says what its figures can be compared with.
        """
        return "\n\n".join(
            [
                *self._sample_and_data(),
                f"**Comparability.** {comparability}",
                self._statuses_here(),
            ]
        )

    def _sample_and_data(self) -> list[str]:
        return [
            "**Sources.** This page shows figures the source documents publish, transcribed "
            "with their quotes (see the evidence page); no respondent-level data."
        ]

    def _statuses_here(self) -> str:
        """The evidence legend, and how many of this page's estimates have each status."""
        shown = list(self._ledger.shown.values())
        if not shown:
            return "**Evidence.** The figures on this page are the source documents' own."
        legend = estimates.LEGEND if self.synthetic else estimates.LEGEND_OBSERVED
        counts = [
            f"{sum(e.evidence == status for e in shown)} {plots.EVIDENCE_STYLE[status].counted}"
            for status in estimates.STATUSES
            if any(e.evidence == status for e in shown)
        ]
        return f"{legend}\n\n**Estimates on this page:** {len(shown)}: {', '.join(counts)}."

    def headline(
        self,
        label: str,
        value: str,
        evidence: Estimate | Sequence[Estimate] | None = None,
        basis: str = "",
    ) -> None:
        """A figure for the site's index; a council type too small to show says so instead.

        ``evidence``: the estimates the figure rests on (the weakest decides its
        status; the range goes to the index only for a figure that is one estimate).
        An illustrative (assumed) figure is no headline: nothing is recorded.
        Pages of published figures only pass none. ``basis``: as :func:`records.headline`.
        """
        if self.too_small:
            records.headline(label, self.too_small_value())
            return
        if evidence is None:
            records.headline(label, value, basis=basis)
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


def _value_text(e: Estimate) -> str:
    """An estimate's value in its unit, as the page's sentences write it: '85%', '3.90'."""
    digits, sign = estimates.UNITS[e.unit]
    text = f"{e.value:{'+' if sign else ''}.{digits}f}"
    return text + {"%": "%", "points": " points"}.get(e.unit, "")


def _width(e: Estimate) -> float:
    return e.bound_high - e.bound_low if e.has_bounds else math.inf


def _point_html(point: MainPoint) -> str:
    basis = point.basis
    if basis is None:
        return escape(point.sentence)
    return (
        f'{escape(point.sentence)} <span aria-hidden="true">{basis.mark}</span>'
        f'<span class="cd-visually-hidden"> ({plots.EVIDENCE_STYLE[basis.evidence].counted})</span>'
    )


def _base_text(base: int | str | None) -> str:
    if base is None:
        return ""
    return f"n = {base}" if isinstance(base, int) else str(base)


def _slug(title: str, length: int = 48) -> str:
    """'Vision by council type' -> 'vision-by-council-type': a file name's words, cut at a word."""
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    if len(words) > length:
        cut = words.rfind("-", 0, length + 1)
        words = words[: cut if cut > 0 else length]
    return words or "untitled"


def _header(column: object) -> str:
    parts = column if isinstance(column, tuple) else (column,)
    return " / ".join(_plain_text(p) for p in parts if str(p) != "")


def _plain_text(value: object) -> str:
    """A cell as text without markup (a table's own links or emphasis), spaces collapsed."""
    text = str(value)
    if hasattr(value, "__html__"):
        import html as html_module

        text = html_module.unescape(re.sub(r"<[^>]+>", "", text))
    return " ".join(text.split())


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [_header(c) for c in frame.columns]


def _text_rows(frame: pd.DataFrame) -> list[list]:
    """A table's cells as shown: text as it is, numbers as numbers, a blank as ''."""
    return [[_cell(v, text=True) for v in row] for row in frame.itertuples(index=False)]


def _number_rows(frame: pd.DataFrame) -> list[list]:
    """A chart frame's values: numbers to at most four decimals (as the table shows them)."""
    return [[_cell(v, text=False) for v in row] for row in frame.itertuples(index=False)]


def _cell(value: object, *, text: bool) -> object:
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if text else round(value, 4)
    return _plain_text(value)


def _show_image(fig, png: bytes, metadata: dict) -> None:
    """A finished chart's image (its alt text for plain-text front ends), once, and the
    figure closed: the inline backend neither draws it again nor shows it a second time at
    the end of the cell."""
    import base64

    import matplotlib.pyplot as plt
    from IPython.display import display

    data = {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": metadata["alt"]}
    display(data, raw=True, metadata={"image/png": metadata})
    plt.close(fig)


def _numbers_table(record: dict) -> str:
    """A chart's numbers as an accessible table, collapsed under the chart."""
    header = "".join(f'<th scope="col">{escape(c)}</th>' for c in record["columns"])
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(records.number_text(v))}</td>" for v in row) + "</tr>"
        for row in record["rows"]
    )
    return (
        f'<details class="cd-chart-numbers"><summary>{CHART_NUMBERS}</summary>'
        f'<div class="cd-scroll" style="overflow-x: auto" tabindex="0" role="group" '
        f'aria-label="{CHART_NUMBERS}"><table><caption>{escape(record["title"])}</caption>'
        f"<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></div></details>"
    )


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
    reading: str = RESPONDENT_READING
    show_free_text: bool = False

    def free_text(self) -> Table | None:
        """The shown group's free-text answers (the data's ``comments`` and ``text_<name>``
        columns), only where the ``show_free_text`` parameter asks for them; None otherwise.

        One row per respondent who wrote something, without their id; a table's cells are
        escaped when shown (:func:`formatting.table_style`), so the text stays text.
        """
        columns = [c for c in self.shown.columns if is_free_text(c)]
        if not self.show_free_text or not columns:
            return None
        answers = self.shown[columns]
        written = answers[answers.notna().any(axis=1)].fillna("")
        return Table(
            written.reset_index(drop=True),
            f"Free-text answers, as written (parameter show_free_text). {self.scope}",
            len(written),
        )

    @property
    def per_council(self) -> bool:
        """Whether each council counts once (``reading = 'council'``) rather than each respondent."""
        return self.reading == COUNCIL_READING

    @cached_property
    def council_weights(self) -> pd.Series | None:
        """Under the council reading, each respondent's weight 1/m (m: their council's
        respondents), so each council counts once; None under the respondent reading."""
        return stats.council_weights(self.all[CLUSTER_COLUMN]) if self.per_council else None

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
        the notice says. Under the council reading, every page's estimates weigh
        each respondent 1/m, so each council counts once (:attr:`council_weights`).
        """
        return self.weights if self.weighted else self.council_weights

    def too_small_value(self) -> str:
        if self.n >= self.min_base and self.council_type in self.withheld:
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
        bounds are those of the weighted combination (:meth:`as_estimated`); under the
        council reading it has no bounds, as the published figures count respondents.
        """
        per_council = weighted and self.per_council
        found = estimates.estimate(
            self.as_estimated(q) if weighted and not per_council else q,
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
        return replace(found, bound_low=None, bound_high=None) if per_council else found

    def what_the_report_says(
        self, columns: Iterable[str], hidden: Mapping[str, tuple[str, str]] | None = None
    ) -> str:
        """Markdown opening a council type's page: the report's figures for this type, and the
        estimates its figures confine, tightest first; or that they leave every one free.

        Empty on the page for everyone. ``columns`` are the section's answer columns;
        ``hidden``: columns whose values the section does not show for this type (rule,
        reason). With real data an observed value is shown beside the report's range only
        where the page could show it: not on a too-small type's page, not on a base below
        ``min_base`` and not for ``hidden``; those are named in the audit file.
        """
        if self.is_all:
            return ""
        found = self._type_estimates(columns, hidden)
        if not self.synthetic:
            self.record_withheld(
                [
                    {
                        "table": REPORT_SAYS,
                        "row": e.statistic,
                        "column": "observed value",
                        "rule": rule[0],
                        "reason": rule[1],
                    }
                    for e, rule in found
                    if rule is not None
                ]
            )
        return estimates.summary(
            [e for e, _ in found], survey.in_sentence(self.label), self.too_small
        )

    def _type_estimates(
        self, columns: Iterable[str], hidden: Mapping[str, tuple[str, str]] | None = None
    ) -> list[tuple[Estimate, tuple[str, str] | None]]:
        """The one-way estimates of the page's council type, one per answer column with a base,
        each with the rule and reason that hide its value (then NaN), or None."""
        found = []
        for column in columns:
            q = estimates.one_way(column, self.council_type)
            n = None if q is None else claims.base(q, self.all)
            if not n:
                continue
            if self.too_small:
                rule = (
                    disclosure.PRIMARY
                    if self.n < self.min_base
                    else self.withheld.rule(self.council_type),
                    self.too_small_reason(),
                )
            elif n < self.min_base:
                rule = (disclosure.PRIMARY, f"base n = {n} is below the minimum of {self.min_base}")
            else:
                rule = (hidden or {}).get(column)
            found.append(
                (
                    self.estimate(
                        q,
                        estimates.statistic_name(column),
                        math.nan if rule else claims.evaluate(q, self.all),
                        n=n,
                        unit="%" if q.stat == "share" else "",
                    ),
                    rule,
                )
            )
        return found

    def with_report_findings(
        self,
        points: Sequence[MainPoint],
        columns: Iterable[str],
        hidden: Mapping[str, tuple[str, str]] | None = None,
    ) -> list[MainPoint]:
        """``points``, then what the report states or confines about this council type (tightest
        first), each estimate not already behind a point: on a type's page, main points that
        rest on the report even where the section's own findings are illustrative.

        A too-small type shows everyone, so nothing of its own is added; nor on the page for
        all; nor an estimate whose value is hidden (a base below ``min_base``, or ``hidden``).
        """
        if self.is_all or self.too_small:
            return list(points)
        behind = {e.quantity for p in points for e in p.estimates}
        found = [
            e
            for e, rule in self._type_estimates(columns, hidden)
            if rule is None and e.is_finding and e.quantity not in behind
        ]
        found.sort(key=lambda e: (e.identification != estimates.PUBLISHED, _width(e)))
        who = f"{self.label} respondents"
        added = [
            MainPoint(
                f"{who}, {formatting.lower_first(e.statistic)}: {_value_text(e)} "
                f"({'; '.join(filter(None, (f'n = {e.n}', e.phrase())))}).",
                (e,),
            )
            for e in found
        ]
        return [*points, *added]

    def notice(self) -> str:
        """One line of Markdown under the title: whom the page shows, its data and weighting."""
        if self.is_all:
            who = f"all {self.n} respondents"
        elif self.too_small:
            who = (
                f"shows all {len(self.all)} respondents for context: too few {self.label} "
                f"respondents ({self._short_reason()})"
            )
        else:
            who = f"{self.label} respondents, n = {self.n} of {len(self.all)}"
        data = (
            "synthetic data"
            if self.synthetic
            else f"data from {formatting.escape_markdown(self.microdata.path.name)}"
        )
        reading = (
            f" · read per council ({self.councils.nunique()} councils)" if self.per_council else ""
        )
        return f"**On this page:** {who} · {data} · {self._weighting_words()}{reading}."

    def _weighting_words(self) -> str:
        if self.weighting != "council_type":
            return "unweighted"
        if self.weighted:
            return (
                "weighted to the councils of each type "
                f"(effective n = {self.poststratification.n_eff:.0f})"
            )
        return "unweighted (weights apply to the page for all respondents)"

    def _weighting_detail(self) -> str:
        if self.weighting != "council_type":
            return (
                "**Weighting:** none; every respondent counts once, as in the report. A batch "
                "run with `-p weighting council_type` post-stratifies the page for all "
                "respondents to the number of councils of each type."
            )
        if self.weighted:
            return (
                "**Weighting:** post-stratified to the number of councils of each type in Great "
                f"Britain (Kish design effect {self.poststratification.design_effect:.2f}, "
                f"effective n = {self.poststratification.n_eff:.0f}); unweighted figures are "
                "shown beside weighted ones."
            )
        if self.too_small:
            return (
                "**Weighting:** applies on the page for all respondents; the figures for all "
                "respondents shown here for context are unweighted."
            )
        return (
            "**Weighting:** within one council type every respondent has the same weight, "
            "so weighted and unweighted figures are the same on this page."
        )

    def _sample_and_data(self) -> list[str]:
        """The closing section's account of the sample, the data and the weighting."""
        if self.synthetic:
            data = (
                f"**Synthetic data.** {formatting.escape_markdown(self.microdata.label)}. The "
                f"{len(self.all)} made-up respondents reproduce every figure the report "
                "publishes; where it publishes nothing, the reconstruction's own assumptions "
                "set the answers (`data/synthetic/README.md`). Only the published aggregates "
                "are real."
            )
        else:
            data = (
                f"**Real data.** {formatting.escape_markdown(self.microdata.label)}, validated "
                "against the codebook before any page ran."
            )
        sample = (
            f"**Sample.** {self.label}: n = {self.n} of {len(self.all)} respondents."
            if not self.is_all
            else f"**Sample.** All {len(self.all)} respondents."
        )
        if self.too_small:
            why = (
                f"That is below the minimum base of {self.min_base}"
                if self.n < self.min_base
                else f"It is not shown on its own ({self.too_small_reason()})"
            )
            sample += f" {why}, so the figures shown are for all respondents, for context only."
        found = [f"{sample} {self.design_caveat()}", data, self._weighting_detail()]
        return found if self.councils is None else [*found, self.reading_statement()]

    def reading_statement(self) -> str:
        """Who counts once on this page: each respondent, or each council (``reading``)."""
        if not self.per_council:
            return (
                "**Reading:** per respondent: each respondent counts once (parameter "
                "`reading = 'respondent'`; `'council'` counts each council once where the data "
                "name each respondent's council)."
            )
        sizes = self.councils.value_counts()
        return (
            f"**Read per council:** each of the {len(sizes)} councils counts once: a "
            "council's m respondents weigh 1/m each, so the shares by council type and the "
            "means estimate the average council's answer, not the average respondent's "
            f"(parameter `reading = 'council'`; councils of {sizes.min()} to {sizes.max()} "
            "respondents). Their intervals allow for respondents clustered in councils. The "
            "comparisons of two answers of the same respondents (the follow-up answers, "
            "the paired tests and one council type against the rest) stay per respondent. "
            "Estimates read per council have no published range: the report counts "
            "respondents."
        )

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
            f"respondents (councils by respondents: {spread}). Every interval of a share or a "
            "mean, the paired comparisons' intervals and t tests, and Newcombe's interval of "
            "one council type against the rest allow for respondents of one council "
            "answering alike (Taylor-linearised variance with councils as clusters, as R's "
            "survey package computes it); the Wilcoxon checks and Fisher's exact test of a "
            "type against the rest treat respondents as independent. None allows for who "
            "chose to respond."
        )

    def _short_reason(self) -> str:
        """:meth:`too_small_reason` as the one-line notice says it."""
        if self.n < self.min_base:
            return f"n = {self.n}, below {self.min_base}"
        return self.too_small_reason()

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
    reading: str = RESPONDENT_READING,
    show_free_text: bool = False,
) -> SurveyPage:
    """Validate the parameters and data, and record the page's provenance for the site.

    ``reading = 'council'`` needs the data's ``council_id`` column, and is not combined with
    ``weighting = 'council_type'``, whose weights are built for respondents.
    """
    survey.check_council_type(council_type)
    if weighting not in WEIGHTINGS:
        raise ValueError(
            f"unknown weighting {weighting!r}; expected one of {', '.join(WEIGHTINGS)}"
        )
    if not isinstance(show_free_text, bool):
        raise ValueError(f"show_free_text must be True or False; got {show_free_text!r}")
    if reading not in READINGS:
        raise ValueError(f"unknown reading {reading!r}; expected one of {', '.join(READINGS)}")
    if not isinstance(min_base, int) or isinstance(min_base, bool) or min_base < 1:
        raise ValueError(f"min_base must be a whole number of respondents >= 1; got {min_base!r}")
    if snapshot.is_ref(data_path):  # a batch read and validated the file once, for every page
        microdata = snapshot.load_microdata(data_path)
    else:
        microdata = load_microdata(data_path)
    check_reading(reading, weighting, microdata.frame.columns, microdata.path.name)
    post = None
    weights = None
    if weighting == "council_type":
        post = council_type_weights(microdata.frame)
        weights = post.weights
    records.provenance(microdata.label, microdata.synthetic, microdata.sha256)
    records.withheld(disclosure.role_rows(microdata.frame, min_base))
    return SurveyPage(
        council_type,
        f"{SURVEY_SOURCE}. {microdata.label}",
        microdata.synthetic,
        microdata,
        min_base,
        weighting,
        weights,
        post,
        reading,
        show_free_text,
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
