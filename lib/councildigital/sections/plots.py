"""One chart style for every report: seaborn's theme, a colour-blind-safe palette, and a footer.

Every chart states what it shows (title), its axes, its base (n) and its
source; charts drawn from synthetic or assumed data say so in the footer.
"""

from __future__ import annotations

import functools
import math
import textwrap
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from councildigital import stats
from councildigital.sections import chart_cache
from councildigital.sections.estimates import MARKS

PALETTE = "colorblind"
SYNTHETIC_LABEL = (
    "SYNTHETIC DATA: a reconstruction matching published aggregates, not real responses"
)


@dataclass(frozen=True)
class EvidenceStyle:
    """How an estimate of one evidence status is drawn, told apart without colour.

    ``mark`` is the symbol tables and sentences use; dots take the same shape
    (``marker`` filled as ``fillstyle``: "left" is the half-filled ◐, "none"
    hollow), intervals and bar edges ``linestyle``, bars and heat-map cells
    ``hatch``; ``alpha`` lightens dots, intervals and bar fills, ``text_alpha``
    the numbers written in bars and cells.
    """

    mark: str
    words: str  # the legend's
    counted: str  # the alt text's, after a count
    marker: str
    fillstyle: str
    linestyle: str
    hatch: str
    alpha: float
    text_alpha: float


EVIDENCE_STYLE = {
    "published": EvidenceStyle(
        mark=MARKS["published"],
        words="Published: the report states this figure",
        counted="published",
        marker="o",
        fillstyle="full",
        linestyle="-",
        hatch="",
        alpha=1,
        text_alpha=1,
    ),
    "bounded": EvidenceStyle(
        mark=MARKS["bounded"],
        words="Bounded: the published figures confine it",
        counted="bounded",
        marker="o",
        fillstyle="left",
        linestyle="-",
        hatch="..",
        alpha=0.8,
        text_alpha=1,
    ),
    "assumed": EvidenceStyle(  # kept visually secondary
        mark=MARKS["assumed"],
        words="Illustrative: set by the reconstruction's assumptions",
        counted="illustrative (assumed)",
        marker="o",
        fillstyle="none",
        linestyle="--",
        hatch="///",
        alpha=0.45,
        text_alpha=0.7,
    ),
    "observed": EvidenceStyle(
        mark=MARKS["observed"],
        words="Observed: from the respondent data",
        counted="observed",
        marker="D",
        fillstyle="full",
        linestyle="-",
        hatch="",
        alpha=1,
        text_alpha=1,
    ),
}
HATCH_COLOUR = "0.4"
# Chart text sizes (points) and the usual width (inches): large enough, and the charts narrow
# enough, that a page shows the smallest text at READABLE_PX or more (see render).
SMALL_TEXT = 10
LABEL_TEXT = 11
WIDTH = 10
READABLE_PX = 9
FOOTER_X = 0.01  # where the footer and the title start, as a fraction of the figure's width
DPI = 100  # every chart's resolution, and so its image's size: the figure's inches times DPI
IMAGE_FORMAT = "png"
LINE_SPACING = 1.2  # matplotlib's, for the height of the title's and the footer's lines
MARGIN = 0.06  # inches between the footer (or the title) and the figure's edge
# The evidence each chart shows, by axes, for its alt text.
_EVIDENCE_SHOWN: weakref.WeakKeyDictionary[Axes, dict[str, int]] = weakref.WeakKeyDictionary()


def set_theme() -> None:
    """The one theme of the project; call once at the top of a notebook.

    It decides how every chart is laid out and saved: constrained layout at the figure's own
    size, :data:`DPI` and :data:`IMAGE_FORMAT`, never cropped to a tight box (that draws a
    figure twice). Mathtext is off: chart text is built from data (file names, labels), and a
    ``$`` in it must show as a dollar sign, not start a formula or fail to parse. A chart
    that wants mathematics passes ``parse_math=True`` to that text.
    """
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    plt.rcParams.update(
        {
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "savefig.format": IMAGE_FORMAT,
            "savefig.bbox": None,
            "figure.constrained_layout.use": True,
            "figure.figsize": (8, 4.5),
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.titlelocation": "left",
            "svg.hashsalt": "councildigital",
            "text.parse_math": False,
        }
    )
    _register_alt_text()


def alt_text(fig: Figure) -> str:
    """A text alternative from the chart's own words: titles, axes and footer (base, source).

    The figure's title (:func:`finish` writes it) names the first chart described."""
    parts = []
    heading = fig.get_suptitle()
    for ax in fig.axes:
        title = ax.get_title() or ax.get_title(loc="left") or heading
        if not ax.get_visible() or not (title or ax.get_xlabel() or ax.get_ylabel()):
            continue
        heading = ""
        described = [f"Chart: {title}." if title else "Chart."]
        if ax.get_xlabel():
            described.append(f"Horizontal axis: {ax.get_xlabel()}.")
        if ax.get_ylabel():
            described.append(f"Vertical axis: {ax.get_ylabel()}.")
        if ax in _EVIDENCE_SHOWN:
            described.append(_evidence_sentence(_EVIDENCE_SHOWN[ax]))
        parts.append(" ".join(described))
    parts.extend(
        " ".join(_shown(t).split())
        for t in fig.texts
        if t.get_text().strip() and t is not fig._suptitle
    )
    if heading:
        parts.insert(0, heading)
    return " ".join(parts) or "Chart without a title"


def _evidence_sentence(counts: dict[str, int]) -> str:
    """E.g. "Evidence: 3 published, 49 illustrative (assumed)."."""
    shown = ", ".join(f"{n} {EVIDENCE_STYLE[status].counted}" for status, n in counts.items())
    return f"Evidence: {shown}."


def _shown(text: Text) -> str:
    """A text as the chart shows it: where mathtext is on, an escaped dollar is a dollar."""
    return text.get_text().replace(r"\$", "$") if text.get_parse_math() else text.get_text()


def render(fig: Figure) -> tuple[bytes, dict]:
    """The figure drawn once, at its own size, as a PNG, with its alt text and the narrowest
    width it may be shown at.

    One draw on an Agg canvas: no tight box (which draws the figure a second time to
    measure it), so the image is the figure's size in inches times its dpi. ``min_width``
    (CSS px): at that width the smallest text on the chart shows at :data:`READABLE_PX`; a
    page lets a narrower screen scroll the chart sideways instead.
    """
    from io import BytesIO

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    buffer = BytesIO()
    canvas.print_png(buffer, metadata={"Software": None})
    png = buffer.getvalue()
    width = int.from_bytes(png[16:20], "big")  # the IHDR chunk: width, then height
    return png, {"alt": alt_text(fig), "min_width": readable_width(fig, width)}


def smallest_text(fig: Figure) -> float:
    """The size in points of the smallest visible text on the figure."""
    sizes = [
        t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.get_alpha() != 0
    ]
    return min(sizes, default=plt.rcParams["font.size"])


def readable_width(fig: Figure, saved_width: int) -> int:
    """The narrowest display width (px) of a ``saved_width`` px image of ``fig`` whose smallest
    text still shows at :data:`READABLE_PX` (CSS px), capped at the image's own width."""
    text_px = smallest_text(fig) * fig.dpi / 72
    return min(saved_width, math.ceil(saved_width * READABLE_PX / text_px))


def _register_alt_text() -> None:
    """In a notebook, display every figure as a PNG that carries its alt text in the metadata."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        # Load the inline backend now: on loading it registers its own PNG formatter,
        # which would otherwise replace this one at the first figure.
        plt.switch_backend(plt.get_backend())
        shell.display_formatter.formatters["image/png"].for_type(Figure, render)


def footer(
    fig: Figure,
    source: str,
    n: int | str | None = None,
    synthetic: bool = False,
    assumed: str | None = None,
) -> None:
    """Write the source line, the base and any synthetic/assumed-data label under the chart.

    The text is wrapped once, here, to the figure's width, and the figure grows by its
    height: the footer sits in a band at the bottom that the layout keeps free.
    """
    parts = []
    if synthetic and "SYNTHETIC" not in source:  # the data's own label may already say it
        parts.append(SYNTHETIC_LABEL)
    if assumed:
        parts.append(f"ASSUMED INPUTS: {assumed}")
    if n is not None:
        parts.append(f"Base: n = {n}")
    parts.append(f"Source: {source}")
    font = FontProperties(size=SMALL_TEXT)
    lines = [line for part in parts for line in _wrapped(part, font, fig)]
    height = _lines_height(len(lines), SMALL_TEXT) + 2 * MARGIN
    _grow(fig, height)
    _FOOTER_HEIGHT[fig] = height
    fig.text(
        FOOTER_X,
        MARGIN,
        "\n".join(lines),
        ha="left",
        va="bottom",
        fontsize=SMALL_TEXT,
        transform=blended_transform_factory(fig.transFigure, fig.dpi_scale_trans),
        parse_math=False,
    )
    _lay_out(fig)


# The height (inches) of the band each figure's footer takes at its bottom.
_FOOTER_HEIGHT: weakref.WeakKeyDictionary[Figure, float] = weakref.WeakKeyDictionary()


def _wrapped(text: str, font: FontProperties, fig: Figure) -> list[str]:
    """``text`` in ``font``, in lines that fit between the figure's margins (:data:`FOOTER_X`)
    as Agg measures them, broken between words (a word wider than a line has it to itself).

    A line is as wide as its first word and each further word with the space before it,
    each measured once (the same words recur on every chart of a page).
    """
    width = fig.get_figwidth() * (1 - 2 * FOOTER_X) * fig.dpi
    lines: list[str] = []
    used = 0.0
    for word in text.split():
        wider = used + _text_width(f" {word}", font, fig.dpi)
        if lines and wider <= width:
            lines[-1], used = f"{lines[-1]} {word}", wider
        else:
            lines.append(word)
            used = _text_width(word, font, fig.dpi)
    return lines


@functools.lru_cache(maxsize=4096)
def _text_width(text: str, font: FontProperties, dpi: float) -> float:
    return _measurer(dpi).get_text_width_height_descent(text, font, False)[0]


@functools.cache
def _measurer(dpi: float):
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, dpi)


def _lines_height(lines: int, size: float) -> float:
    """Inches that ``lines`` lines of ``size``-point text take."""
    return lines * size * LINE_SPACING / 72


def _grow(fig: Figure, inches: float) -> None:
    """Make ``fig`` taller by ``inches``, to whole pixels: its image is exactly its size."""
    height = round((fig.get_figheight() + inches) * fig.dpi) / fig.dpi
    fig.set_size_inches(fig.get_figwidth(), height)


def _lay_out(fig: Figure) -> None:
    """Constrained layout above the footer's band and any legend in a row under the plot (no
    tight box needed: everything fits)."""
    bottom = _FOOTER_HEIGHT.get(fig, 0)
    for legend in fig.legends:  # on the footer, each above the one before
        legend.set_bbox_to_anchor((0, bottom, fig.get_figwidth(), 0), fig.dpi_scale_trans)
        bottom = legend.get_window_extent(_measurer(fig.dpi)).y1 / fig.dpi
    bottom /= fig.get_figheight()
    rect = (0, bottom, 1, 1 - bottom)
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=rect)
    else:
        fig.set_layout_engine(ConstrainedLayoutEngine(rect=rect))


def finish(
    ax: Axes,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    n: int | str | None = None,
    synthetic: bool = False,
    assumed: str | None = None,
) -> Axes:
    """Title, axis labels and footer for a chart; returns the axes (seaborn style).

    The title is the figure's, starting at its left edge in line with the footer, in the
    theme's title font: started above the plot (right of long row labels) a long title would
    run past the figure. A line of it too wide for the figure is broken again. The layout
    keeps a band for it above everything; the figure grows by that band and the footer's, so
    the plot keeps the height its function gave it.
    """
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig = ax.figure
    font = FontProperties(
        size=plt.rcParams["axes.titlesize"], weight=plt.rcParams["axes.titleweight"]
    )
    title = "\n".join(
        wrapped for line in title.split("\n") for wrapped in _wrapped(line, font, fig)
    )
    heading = fig.suptitle(
        title,
        x=FOOTER_X,
        ha="left",
        fontsize=plt.rcParams["axes.titlesize"],
        fontweight=plt.rcParams["axes.titleweight"],
    )
    _grow(fig, _lines_height(title.count("\n") + 1, heading.get_fontsize()) + MARGIN)
    footer(fig, source, n=n, synthetic=synthetic, assumed=assumed)
    return ax


def chart_image(
    ax: Axes,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    n: int | str | None = None,
    synthetic: bool = False,
    assumed: str | None = None,
) -> tuple[bytes, dict]:
    """:func:`finish` the chart and :func:`render` it, or read it from the batch's chart
    store (:mod:`.chart_cache`) where the same chart was drawn before (then the figure is
    left unfinished: it is shown as read); a chart drawn here is kept there."""
    words = (title, xlabel, ylabel, source, n, synthetic, assumed)
    store = chart_cache.store()
    key = None if store is None else chart_cache.key(ax.figure, words)
    kept = None if key is None else store.get(key)
    if kept is not None:
        return kept
    finish(ax, *words)
    png, metadata = render(ax.figure)
    if key is not None:
        store.put(key, png, metadata)
    return png, metadata


def _format_axis(axis, formatter: Callable[[float], str] | None) -> None:
    """At most six ticks, written by ``formatter`` (money and counts have long labels)."""
    axis.set_major_locator(MaxNLocator(nbins=6))
    if formatter is not None:
        axis.set_major_formatter(FuncFormatter(lambda value, _: formatter(value)))


def _present(statuses: Sequence | pd.Series) -> list[str]:
    """The evidence statuses among ``statuses`` (blanks ignored), in :data:`EVIDENCE_STYLE` order."""
    shown = set(pd.Series(statuses, dtype=object).dropna())
    unknown = shown - EVIDENCE_STYLE.keys()
    if unknown:
        raise ValueError(
            f"unknown evidence status {sorted(map(str, unknown))}; use {list(EVIDENCE_STYLE)}"
        )
    return [status for status in EVIDENCE_STYLE if status in shown]


def _dot_style(status: str, colour, marker: str | None = None) -> dict:
    """Line2D keywords for a dot of ``status``; ``marker`` replaces the status's shape where
    shape already means something else (a dumbbell's levels)."""
    style = EVIDENCE_STYLE[status]
    return {
        "marker": marker or style.marker,
        "fillstyle": style.fillstyle,
        "color": colour,
        "markeredgecolor": colour,
        "markerfacecoloralt": "white",
        "alpha": style.alpha,
    }


def _bar_style(status: str, colour) -> dict:
    """Bar keywords for a bar of ``status``: its fill lightened, hatched and edged as the status."""
    style = EVIDENCE_STYLE[status]
    return {
        "facecolor": mcolors.to_rgba(colour, style.alpha),
        "edgecolor": colour,
        "linestyle": style.linestyle,
        "linewidth": 1,
        "hatch": style.hatch or None,
        "hatchcolor": HATCH_COLOUR,
    }


def _evidence_dots(
    ax: Axes, xs, ys, lows, highs, statuses, colour, *, size: float, linewidth: float, marker=None
) -> None:
    """Estimates as dots on their intervals, each status in its own style (one artist each)."""
    xs, ys, lows, highs, statuses = map(np.asarray, (xs, ys, lows, highs, statuses))
    for status in _present(statuses):
        own = statuses == status
        style = EVIDENCE_STYLE[status]
        ax.hlines(
            ys[own],
            lows[own],
            highs[own],
            color=colour,
            linewidth=linewidth,
            linestyle=style.linestyle,
            alpha=style.alpha,
            zorder=2,
        )
        ax.plot(
            xs[own],
            ys[own],
            linestyle="",
            markersize=np.sqrt(size),
            zorder=3,
            clip_on=False,
            **_dot_style(status, colour, marker),
        )


def _evidence_cells(ax: Axes, values: pd.DataFrame, statuses: pd.DataFrame) -> np.ndarray:
    """Heat-map cells marked by status: its mark after the cell's number, hatching, lighter
    text. Cells without a value show no estimate and keep no status; returns the statuses shown."""
    shown = statuses.where(np.isfinite(values.astype(float)))
    _present(shown.to_numpy().ravel())
    texts = {tuple(np.floor(t.get_position()).astype(int)): t for t in ax.texts}
    for i, j in np.ndindex(values.shape):
        if pd.isna(shown.iat[i, j]):
            continue
        style = EVIDENCE_STYLE[shown.iat[i, j]]
        if style.hatch:
            ax.add_patch(
                Rectangle(
                    (j, i),
                    1,
                    1,
                    fill=False,
                    hatch=style.hatch,
                    hatchcolor=HATCH_COLOUR,
                    edgecolor="none",
                )
            )
        if (j, i) in texts:
            text = texts[(j, i)]
            first, *rest = text.get_text().split("\n", 1)
            text.set_text("\n".join([f"{first} {style.mark}", *rest]))
            text.set_alpha(style.text_alpha)
    return shown.to_numpy().ravel()


def _evidence_handle(status: str, kind: str, marker: str | None = None):
    """A legend handle drawn as ``kind`` ("dot", "bar" or "cell") of that status is."""
    style = EVIDENCE_STYLE[status]
    if kind == "dot":
        return Line2D([], [], linestyle=style.linestyle, **_dot_style(status, "0.3", marker))
    if kind == "bar":
        return Patch(**_bar_style(status, "0.55"))
    return Patch(
        facecolor="white", edgecolor="0.6", hatch=style.hatch or None, hatchcolor=HATCH_COLOUR
    )


def _legend(
    ax: Axes,
    statuses: Sequence | pd.Series | None,
    kind: str,
    handles: list | None = None,
    labels: list[str] | None = None,
    *,
    marker: str | None = None,
    below: bool = False,
    **options,
) -> None:
    """The chart's legend. With ``statuses`` (the evidence of the estimates drawn) it ends with
    one entry per status shown, and the chart's alt text counts them. ``below``: the figure's
    legend, in a row under the plot (on the footer, once :func:`finish` writes one), where the
    layout keeps room for it."""
    if statuses is not None:
        present = _present(statuses)
        counts = pd.Series(statuses, dtype=object).value_counts()
        _EVIDENCE_SHOWN[ax] = {status: int(counts[status]) for status in present}
        words = [EVIDENCE_STYLE[s].words for s in present]
        if kind == "cell":  # the cells show the marks as text
            words = [f"{EVIDENCE_STYLE[s].mark} {w}" for s, w in zip(present, words, strict=True)]
        handles = [*(handles or []), *(_evidence_handle(s, kind, marker) for s in present)]
        labels = [*(labels or []), *(textwrap.fill(w, 30) for w in words)]
    if below:
        ax.figure.legend(handles, labels, loc="outside lower center", ncols=len(handles), **options)
    elif handles is None:
        ax.legend(**options)
    else:
        ax.legend(handles, labels, **options)


DISTRIBUTION_BINS = 80  # the bars of a histogram of draws


def histogram_table(values: pd.Series, label: str) -> pd.DataFrame:
    """The numbers a :func:`distribution` chart draws: each bar's range and its share of draws."""
    counts, edges = np.histogram(values.to_numpy(), bins=DISTRIBUTION_BINS)
    return pd.DataFrame(
        {
            f"{label}: from": edges[:-1],
            f"{label}: to": edges[1:],
            "Share of draws (%)": 100 * counts / counts.sum(),
        }
    )


@chart_cache.recorded
def distribution(
    data: pd.DataFrame,
    x: str,
    *,
    percentiles: tuple[int, int, int] = (5, 50, 95),
    marks: dict[str, float] | None = None,
    formatter: Callable[[float], str] | None = None,
    bins: int = DISTRIBUTION_BINS,
    ax: Axes | None = None,
) -> Axes:
    """Monte Carlo draws as a histogram, the middle of them shaded, reference values marked.

    ``percentiles`` are (outer low, middle, outer high): the shaded band holds
    the draws between the outer two. ``marks`` are labelled reference lines,
    e.g. the report's own figures, so the reader sees where they fall.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(WIDTH, 3.8))
    colours = sns.color_palette(PALETTE)
    sns.histplot(data=data, x=x, bins=bins, stat="percent", color=colours[0], alpha=0.6, ax=ax)
    low, mid, high = np.percentile(data[x].to_numpy(), percentiles)
    ax.axvspan(
        low,
        high,
        color=colours[0],
        alpha=0.12,
        label=f"middle {percentiles[2] - percentiles[0]}% of draws (P{percentiles[0]} to P{percentiles[2]})",
    )
    ax.axvline(mid, color="0.2", linestyle="--", linewidth=1, label=f"median (P{percentiles[1]})")
    styles = ("-", ":", "-.")
    for i, (label, value) in enumerate((marks or {}).items()):
        ax.axvline(
            value, color=colours[3 + i % 3], linestyle=styles[i % 3], linewidth=2, label=label
        )
    _format_axis(ax.xaxis, formatter)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=SMALL_TEXT, frameon=False)
    return ax


@chart_cache.recorded
def tornado(
    data: pd.DataFrame,
    y: str,
    low: str,
    high: str,
    baseline: float,
    *,
    formatter: Callable[[float], str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """One-at-a-time sensitivity: per input, a bar from the result at its low to at its high.

    Widest swing on top, so the input that moves the result most is read first. Swings
    equal but for floating-point noise (:func:`stats.without_noise`) keep the data's
    order, first on top, as the page's sentence names them.
    """
    swing = stats.without_noise((data[high] - data[low]).abs())
    rows = data.assign(_swing=swing).sort_values("_swing", ascending=False, kind="stable")[::-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(WIDTH, 1.4 + 0.6 * len(rows)))
    colours = sns.color_palette(PALETTE)
    position = np.arange(len(rows))
    for column, colour, label in (
        (low, colours[0], "input at its low"),
        (high, colours[1], "input at its high"),
    ):
        ax.barh(
            position, rows[column] - baseline, left=baseline, color=colour, label=label, height=0.6
        )
    ax.axvline(baseline, color="0.2", linewidth=1)
    ax.set_yticks(position, [textwrap.fill(str(text), 40) for text in rows[y]], fontsize=LABEL_TEXT)
    _format_axis(ax.xaxis, formatter)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=SMALL_TEXT, frameon=False)
    return ax


@chart_cache.recorded
def dot_interval(
    data: pd.DataFrame,
    x: str,
    y: str,
    low: str,
    high: str,
    *,
    hue: str | None = None,
    hue_order: list[str] | None = None,
    palette: dict[str, tuple[float, float, float]] | None = None,
    connect: bool = False,
    evidence: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Estimates (percent) as dots and their intervals as lines, one row per ``y`` in the data's order.

    With ``hue`` a row may hold a dot per level (e.g. councils and suppliers),
    nudged apart so both intervals stay visible; ``connect`` joins a row's dots
    so that the gap between them is what the eye reads. ``palette`` (from
    :func:`fixed_palette`) keeps a level's colour the same on pages where
    other levels are missing. ``evidence`` names a column of statuses
    (:data:`EVIDENCE_STYLE`): each dot is drawn as its status, and the legend says which is which.
    """
    data = data.reset_index(drop=True)
    rows = list(dict.fromkeys(data[y]))
    if hue is None:
        levels = [None]
    else:
        levels = list(hue_order) if hue_order is not None else list(dict.fromkeys(data[hue]))
    labels = [textwrap.fill(str(r), 50) for r in rows]
    if ax is None:
        lines = max(label.count("\n") + 1 for label in labels)
        _, ax = plt.subplots(figsize=(WIDTH, 1.4 + (0.2 + 0.16 * lines) * len(rows)))
    position = data[y].map({label: i for i, label in enumerate(rows)})
    nudge = 0.2 if connect and len(levels) > 1 else 0.0
    if connect:
        span = data.groupby(position)[x].agg(["min", "max"])
        ax.hlines(span.index, span["min"], span["max"], color="0.82", linewidth=5, zorder=1)
    if palette is None:
        colours = sns.color_palette(PALETTE, len(levels))
    else:
        colours = [palette[level] for level in levels]
    drawn = []
    for i, (level, colour) in enumerate(zip(levels, colours, strict=True)):
        own = data if level is None else data[data[hue] == level]
        ys = position[own.index] + nudge * (i - (len(levels) - 1) / 2)
        if evidence is None:
            ax.hlines(ys, own[low], own[high], color=colour, linewidth=1.6, alpha=0.75, zorder=2)
            ax.scatter(own[x], ys, color=colour, s=38, zorder=3, label=level, clip_on=False)
        else:
            _evidence_dots(
                ax, own[x], ys, own[low], own[high], own[evidence], colour, size=38, linewidth=1.6
            )
            drawn.append(own[evidence])
    ax.set_yticks(range(len(rows)), labels, fontsize=LABEL_TEXT)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    if hue is not None or evidence is not None:
        _legend(
            ax,
            None if evidence is None else pd.concat(drawn),
            "dot",
            *_level_handles(hue, levels, colours, evidence),
            loc="upper left",
            bbox_to_anchor=(1.01, 1),
            fontsize=SMALL_TEXT,
            frameon=False,
        )
    return ax


def _level_handles(hue, levels, colours, evidence, markers=None) -> tuple[list | None, list]:
    """Legend entries for a chart's ``hue`` levels beside its evidence entries: a colour each
    (the marker's shape when ``markers`` give one), as its dots are drawn without labels."""
    if evidence is None or hue is None:
        return None, []
    shapes = markers or ["s"] * len(levels)
    handles = [
        Line2D([], [], marker=shape, linestyle="", color=colour)
        for shape, colour in zip(shapes, colours, strict=True)
    ]
    return handles, [str(level) for level in levels]


# Whom a point describes, in one colour on every page and chart: the page's own group stands
# out, the other council types recede, everyone is the reference.
THIS_PAGE, OTHER_TYPES, EVERYONE = "This page", "Other council types", "All respondents"
GROUPS = (EVERYONE, OTHER_TYPES, THIS_PAGE)
GROUP_COLOURS = {
    THIS_PAGE: mcolors.to_rgb("#0173b2"),
    OTHER_TYPES: mcolors.to_rgb("#8a8a8a"),
    EVERYONE: mcolors.to_rgb("#d55e00"),
}


def chart_groups(codes: Sequence[str], group: str, everyone: str) -> list[str]:
    """Which of :data:`GROUPS` each row (a council type's code) is in, on a page for ``group``.

    A too-small type's page shows everyone (``group`` is ``everyone``): none of its rows
    is "This page".
    """
    return [
        EVERYONE if code == everyone else THIS_PAGE if code == group else OTHER_TYPES
        for code in codes
    ]


def fixed_palette(levels: tuple[str, ...]) -> dict[str, tuple[float, float, float]]:
    """A colour per level, by its place in ``levels``: the same level, the same colour, on
    every page, whichever levels a page's data holds."""
    return dict(zip(levels, sns.color_palette(PALETTE, len(levels)), strict=True))


def _spread(values: pd.Series, step: float = 0.45) -> pd.Series:
    """Positions for labels: equal values fanned out around their value, so no two overlap."""
    spread = values.astype(float).copy()
    for _, same in values.groupby(values):
        spread[same.index] = same.iloc[0] + step * (np.arange(len(same)) - (len(same) - 1) / 2)
    return spread


@chart_cache.recorded
def rank_slope(
    data: pd.DataFrame,
    left: str,
    right: str,
    *,
    left_label: str,
    right_label: str,
    right_end: str | None = None,
    titles: tuple[str, str] = ("Then", "Now"),
    ax: Axes | None = None,
) -> Axes:
    """Ranks in two surveys as a slope chart: a line per item from its rank then to its rank now.

    Where a report names a set without ordering it ("the least two"), pass the
    set's first and last rank as ``right`` and ``right_end``: the range is drawn
    as a bar and the line meets its middle, so no order is invented.
    """
    end = data[right_end] if right_end else data[right]
    middle = (data[right] + end) / 2
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 1.6 + 0.55 * len(data)))
    colours = sns.color_palette(PALETTE, len(data))
    left_y, right_y = _spread(data[left]), _spread(middle)
    for i, colour in zip(range(len(data)), colours, strict=True):
        row = data.iloc[i]
        first, last = row[right], end.iloc[i]
        ax.plot([0, 1], [row[left], middle.iloc[i]], color=colour, linewidth=2.2, marker="o")
        if last != first:
            ax.vlines(1, first, last, color=colour, linewidth=7, alpha=0.3)
        now = f"{first:g}" if last == first else f"{first:g}–{last:g}"
        ax.text(
            -0.06,
            left_y.iloc[i],
            textwrap.fill(f"{row[left]:g}. {row[left_label]}", 34),
            ha="right",
            va="center",
            fontsize=LABEL_TEXT,
            color=colour,
        )
        ax.text(
            1.06,
            right_y.iloc[i],
            textwrap.fill(f"{now}. {row[right_label]}", 30),
            ha="left",
            va="center",
            fontsize=LABEL_TEXT,
            color=colour,
        )
    ax.set_xlim(-1.15, 2.05)
    ax.set_ylim(max(data[left].max(), end.max()) + 0.6, 0.4)
    ax.set_xticks([0, 1], titles)
    ax.set_yticks([])
    ax.grid(False)
    return ax


@chart_cache.recorded
def scale_interval(
    data: pd.DataFrame,
    x: str,
    y: str,
    low: str,
    high: str,
    *,
    limits: tuple[float, float] = (1, 5),
    evidence: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """:func:`dot_interval` for means on an answer scale: the axis spans the scale, not 0-100."""
    ax = dot_interval(data, x, y, low, high, evidence=evidence, ax=ax)
    ax.set_xlim(*limits)
    ax.set_xticks(np.arange(limits[0], limits[1] + 1))
    return ax


@chart_cache.recorded
def answer_bars(
    data: pd.DataFrame,
    x: str,
    y: str,
    hue: str,
    low: str,
    high: str,
    *,
    evidence: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Answer distributions side by side: a bar per answer ``x`` and ``hue``, with its interval.

    Bars of two questions stand next to each other at each answer, so a shift
    in the distribution (e.g. potential against plan) is read answer by answer.
    ``evidence`` names a column of statuses: each bar is filled, edged and hatched as its status.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.2))
    answers = list(dict.fromkeys(data[x]))
    levels = list(dict.fromkeys(data[hue]))
    colours = sns.color_palette(PALETTE, len(levels))
    width = 0.8 / len(levels)
    handles = []
    for i, (level, colour) in enumerate(zip(levels, colours, strict=True)):
        own = data[data[hue] == level].set_index(x).reindex(answers)
        position = np.arange(len(answers)) + width * (i - (len(levels) - 1) / 2)
        statuses = [None] if evidence is None else _present(own[evidence])
        for status in statuses:
            part = own if status is None else own[own[evidence] == status]
            style = {"color": colour} if status is None else _bar_style(status, colour)
            at = position[own.index.isin(part.index)]
            ax.bar(at, part[y], width=width * 0.95, label=level, **style)
            bars = ax.errorbar(
                at,
                part[y],
                yerr=[part[y] - part[low], part[high] - part[y]],
                fmt="none",
                ecolor="0.25",
                elinewidth=1,
                capsize=3,
            )
            if status is not None:
                bars[2][0].set_linestyle(EVIDENCE_STYLE[status].linestyle)
        handles.append(Patch(color=colour))
    ax.set_xticks(range(len(answers)), answers)
    ax.set_ylim(0, 100)
    _legend(
        ax,
        None if evidence is None else data[evidence],
        "bar",
        *((None, []) if evidence is None else (handles, [str(level) for level in levels])),
        loc="upper left",
        fontsize=LABEL_TEXT,
        frameon=False,
        # beside the bars: evidence adds entries that would cover them
        **({} if evidence is None else {"bbox_to_anchor": (1.01, 1)}),
    )
    return ax


@chart_cache.recorded
def agreement_heatmap(
    data: pd.DataFrame,
    x: str,
    y: str,
    value: str,
    *,
    annotation: str | None = None,
    evidence: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Two answers on the same scale as a heatmap, the diagonal (same answer twice) outlined.

    Cells off the diagonal are the respondents whose two answers differ, so the
    eye goes to them. ``annotation`` names a column of text to print per cell;
    ``evidence`` a column of statuses, each cell marked as its status (:func:`_evidence_cells`).
    """
    if ax is None:  # the evidence legend beside the map needs the usual width
        _, ax = plt.subplots(figsize=(6.5 if evidence is None else WIDTH, 5.2))
    # Keep the data's order (the answer scale's), not pivot's alphabetical one.
    order = {"index": list(dict.fromkeys(data[y])), "columns": list(dict.fromkeys(data[x]))}
    grid = data.pivot(index=y, columns=x, values=value).reindex(**order)
    labels = (
        data.pivot(index=y, columns=x, values=annotation).reindex(**order) if annotation else True
    )
    sns.heatmap(
        grid,
        annot=labels,
        fmt="" if annotation else ".0f",
        cmap=sns.color_palette("light:#0173b2", as_cmap=True),
        cbar=False,
        linewidths=0.5,
        linecolor="white",
        ax=ax,
    )
    for i, level in enumerate(grid.index):
        if level in grid.columns:
            j = list(grid.columns).index(level)
            ax.add_patch(plt.Rectangle((j, i), 1, 1, fill=False, edgecolor="0.2", linewidth=1.6))
    ax.tick_params(axis="y", rotation=0)
    if evidence is not None:
        statuses = data.pivot(index=y, columns=x, values=evidence).reindex(**order)
        _legend(
            ax,
            _evidence_cells(ax, grid, statuses),
            "cell",
            loc="upper left",
            bbox_to_anchor=(1.01, 1),
            fontsize=SMALL_TEXT,
            frameon=False,
        )
    return ax


@chart_cache.recorded
def likert_bars(
    data: pd.DataFrame,
    y: str,
    level: str,
    percent: str,
    *,
    levels: list,
    labels: list[str],
    midpoint: float,
    evidence: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Answer distributions (long form: one row per ``y`` and ``level``) as diverging stacked bars.

    Levels below ``midpoint`` stack leftwards from zero and the rest rightwards,
    so the balance of low against high answers is read off each bar's position;
    rows keep the data's order. Segments of 8% or more carry their percent.
    ``evidence`` names a column of statuses: each segment is filled, edged and hatched as its
    status, and its percent written lighter where the status says so.
    """
    rows = list(dict.fromkeys(data[y]))
    table = data.pivot(index=y, columns=level, values=percent).reindex(index=rows, columns=levels)
    statuses = (
        None
        if evidence is None
        else data.pivot(index=y, columns=level, values=evidence).reindex(index=rows, columns=levels)
    )
    if ax is None:
        _, ax = plt.subplots(figsize=(WIDTH, 1.6 + 0.55 * len(rows)))
    base = sns.color_palette(PALETTE)
    colours = sns.blend_palette([base[0], "0.9", base[1]], n_colors=len(levels))
    low = [v for v in levels if v < midpoint]
    high = [v for v in levels if v >= midpoint]
    position = np.arange(len(rows))
    for side, ordered in ((-1, low[::-1]), (1, high)):
        start = np.zeros(len(rows))
        for value in ordered:
            width = table[value].fillna(0).to_numpy()
            left = start if side > 0 else start - width
            colour = colours[levels.index(value)]
            if statuses is None:
                ax.barh(position, width, left=left, color=colour, height=0.65, edgecolor="white")
                faces, alphas = [colour] * len(rows), [None] * len(rows)
            else:
                faces, alphas = _evidence_segments(
                    ax, position, width, left, statuses[value], colour
                )
            for i in np.flatnonzero(width >= 8):
                ax.text(
                    left[i] + width[i] / 2,
                    i,
                    f"{width[i]:.0f}",
                    ha="center",
                    va="center",
                    fontsize=SMALL_TEXT,
                    color="white" if sum(faces[i][:3]) < 1.6 else "0.15",
                    alpha=alphas[i],
                )
            start = start + side * width
    handles = [plt.Rectangle((0, 0), 1, 1, color=colour) for colour in colours]
    _legend(
        ax,
        None if statuses is None else statuses.to_numpy().ravel(),
        "bar",
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize=SMALL_TEXT,
        frameon=False,
        title=level.replace("_", " "),
        title_fontsize=SMALL_TEXT,
    )
    ax.axvline(0, color="0.2", linewidth=1)
    ax.set_yticks(position, [textwrap.fill(str(r), 30) for r in rows], fontsize=LABEL_TEXT)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(-100, 100)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{abs(value):.0f}%"))
    ax.grid(axis="y", visible=False)
    return ax


def _evidence_segments(ax: Axes, position, width, left, statuses: pd.Series, colour):
    """One level's segments of :func:`likert_bars`, each drawn as its status; returns each
    segment's face colour as shown (over white) and its text's alpha."""
    statuses = statuses.to_numpy()
    for status in _present(statuses):
        own = statuses == status
        ax.barh(
            position[own], width[own], left=left[own], height=0.65, **_bar_style(status, colour)
        )
    shown = [EVIDENCE_STYLE.get(status) for status in statuses]
    faces = [
        colour if style is None else tuple(style.alpha * c + 1 - style.alpha for c in colour)
        for style in shown
    ]
    return faces, [None if style is None else style.text_alpha for style in shown]


@chart_cache.recorded
def tag_matrix(matrix: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """A rows x columns matrix of links as dots: a dot where the count is above zero.

    ``matrix`` has a two-level column index (group, label), e.g. challenge vs
    systemic barrier; each group gets its own colour (in the legend) and a divider, and a cell
    linked more than once shows the count.
    """
    groups = list(dict.fromkeys(matrix.columns.get_level_values(0)))
    column_labels = matrix.columns.get_level_values(1)
    n_rows, n_cols = matrix.shape
    if ax is None:
        _, ax = plt.subplots(figsize=(max(8, 0.5 * n_cols + 3), 1.8 + 0.5 * n_rows))
    colours = dict(zip(groups, sns.color_palette(PALETTE, len(groups)), strict=True))
    counts = matrix.to_numpy()
    for j, group in enumerate(matrix.columns.get_level_values(0)):
        linked = np.flatnonzero(counts[:, j] > 0)
        ax.scatter(
            np.full(len(linked), j), linked, s=140, color=colours[group], zorder=3, clip_on=False
        )
        for i in linked[counts[linked, j] > 1]:
            ax.text(
                j,
                i,
                str(counts[i, j]),
                ha="center",
                va="center",
                color="white",
                fontsize=SMALL_TEXT,
            )
    edges = np.cumsum([list(matrix.columns.get_level_values(0)).count(g) for g in groups])
    for edge in edges[:-1]:
        ax.axvline(edge - 0.5, color="0.3", linewidth=1)
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=colours[g]) for g in groups]
    ax.legend(handles, groups, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set_xticks(
        range(n_cols),
        [textwrap.fill(str(c), 24) for c in column_labels],
        rotation=90,
        fontsize=LABEL_TEXT,
    )
    ax.set_yticks(range(n_rows), [str(r) for r in matrix.index], fontsize=LABEL_TEXT)
    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)
    ax.grid(True, color="0.9")
    return ax


@chart_cache.recorded
def dumbbell(
    data: pd.DataFrame,
    x: str,
    y: str,
    hue: str,
    low: str,
    high: str,
    *,
    hue_order: list[str],
    connect: tuple[str, str],
    limits: tuple[float, float] = (1, 5),
    evidence: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Per row, a dot and interval for each ``hue`` level; the two ``connect`` levels joined by a bar.

    The joined pair is the comparison the chart is about (e.g. potential and
    plan); other levels (e.g. significance) stay as context dots. Levels are
    nudged apart so every interval stays visible, and each has its own marker
    as well as colour. Rows keep the data's order. ``evidence`` names a column
    of statuses: as the marker's shape is the level's, a status shows in its
    fill (full, half, hollow), line style and lightness.
    """
    rows = list(dict.fromkeys(data[y]))
    if ax is None:
        _, ax = plt.subplots(figsize=(WIDTH, 1.6 + 0.5 * len(rows)))
    row_of = {row: i for i, row in enumerate(rows)}
    nudge = {level: 0.22 * (i - (len(hue_order) - 1) / 2) for i, level in enumerate(hue_order)}
    pair = data[data[hue].isin(connect)].groupby(y, sort=False)[x].agg(["min", "max"])
    middle = (nudge[connect[0]] + nudge[connect[1]]) / 2
    ax.hlines(
        pair.index.map(row_of) + middle,
        pair["min"],
        pair["max"],
        color="0.8",
        linewidth=9,
        zorder=1,
    )
    colours = sns.color_palette(PALETTE, len(hue_order))
    markers = ("o", "s", "D", "^", "v", "P")
    shapes = [markers[i % len(markers)] for i in range(len(hue_order))]
    for level, colour, shape in zip(hue_order, colours, shapes, strict=True):
        own = data[data[hue] == level]
        ys = own[y].map(row_of) + nudge[level]
        if evidence is None:
            ax.hlines(ys, own[low], own[high], color=colour, linewidth=1.6, zorder=2)
            ax.scatter(own[x], ys, color=colour, marker=shape, s=40, zorder=3, label=level)
        else:
            _evidence_dots(
                ax,
                own[x],
                ys,
                own[low],
                own[high],
                own[evidence],
                colour,
                size=40,
                linewidth=1.6,
                marker=shape,
            )
    ax.set_yticks(range(len(rows)), [textwrap.fill(str(r), 32) for r in rows], fontsize=LABEL_TEXT)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(*limits)
    _legend(
        ax,
        None if evidence is None else data.loc[data[hue].isin(hue_order), evidence],
        "dot",
        *_level_handles(hue, hue_order, colours, evidence, shapes),
        marker="o",
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize=SMALL_TEXT,
        frameon=False,
    )
    return ax


@chart_cache.recorded
def gap_dots(
    data: pd.DataFrame,
    x: str,
    y: str,
    low: str,
    high: str,
    *,
    evidence: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Differences with intervals around a zero line, in the data's row order.

    Colour gives the sign (diverging "vlag": blue above zero, red below); a
    filled dot's interval excludes zero, a hollow one's does not, so a reader
    sees at once which gaps the data support. With ``evidence`` (a column of
    statuses) the dot's fill and shape give its status instead: an illustrative
    gap is no finding, so no dot claims support; the zero line still shows each interval's reach.
    """
    rows = list(dict.fromkeys(data[y]))
    if ax is None:
        _, ax = plt.subplots(figsize=(WIDTH, 1.6 + 0.4 * len(rows)))
    ends = sns.color_palette("vlag", 7)
    position = data[y].map({row: i for i, row in enumerate(rows)})
    colour = [ends[0] if v >= 0 else ends[-1] for v in data[x]]
    ax.axvline(0, color="0.3", linewidth=1)
    if evidence is not None:
        for sign in (ends[0], ends[-1]):
            own = np.array([c == sign for c in colour], dtype=bool)
            _evidence_dots(
                ax,
                data[x][own],
                position[own],
                data[low][own],
                data[high][own],
                data[evidence][own],
                sign,
                size=45,
                linewidth=1.8,
            )
        return _gap_axes(ax, rows, data[evidence], None)
    clear = ((data[low] > 0) | (data[high] < 0)).to_numpy()
    ax.hlines(position, data[low], data[high], color=colour, linewidth=1.8)
    ax.scatter(data[x][clear], position[clear], color=np.array(colour)[clear], s=45, zorder=3)
    ax.scatter(
        data[x][~clear],
        position[~clear],
        facecolor="white",
        edgecolor=np.array(colour)[~clear],
        linewidth=1.6,
        s=45,
        zorder=3,
    )
    handles = [
        plt.Line2D([], [], marker="o", linestyle="", color="0.3", label="interval excludes 0"),
        plt.Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color="0.3",
            markerfacecolor="white",
            label="interval includes 0",
        ),
    ]
    return _gap_axes(ax, rows, None, handles)


def _gap_axes(ax: Axes, rows: list, statuses, handles: list | None) -> Axes:
    """:func:`gap_dots`'s legend and rows."""
    _legend(
        ax,
        statuses,
        "dot",
        handles,
        None if handles is None else [h.get_label() for h in handles],
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize=SMALL_TEXT,
        frameon=False,
    )
    ax.set_yticks(range(len(rows)), [textwrap.fill(str(r), 40) for r in rows], fontsize=LABEL_TEXT)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    return ax


@chart_cache.recorded
def cell_heatmap(
    data: pd.DataFrame,
    x: str,
    y: str,
    value: str,
    *,
    text: str,
    x_order: list[str],
    y_order: list[str],
    cmap: str = "viridis",
    vmin: float | None = None,
    vmax: float | None = None,
    center: float | None = None,
    colorbar: str = "",
    evidence: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """A ``y`` by ``x`` grid of ``value`` with each cell's ``text`` written in it.

    Cells without a value (suppressed, small base) are left grey with their
    text still shown, so a blank is explained rather than silent. Pass one
    ``vmin``/``vmax`` to heatmaps that are compared, so equal colours mean equal values.
    ``evidence`` names a column of statuses, each cell marked as its status
    (:func:`_evidence_cells`), with their legend in a row under the map (beside it, it
    would take a column of its own beside the colour bar and narrow the cells).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(WIDTH, 1.6 + 0.55 * len(y_order)))
    grid = data.pivot(index=y, columns=x, values=value).reindex(index=y_order, columns=x_order)
    labels = data.pivot(index=y, columns=x, values=text).reindex(index=y_order, columns=x_order)
    sns.heatmap(
        grid.astype(float),
        cmap=cmap,
        vmin=vmin,
        vmax=vmax,
        center=center,
        linewidths=0.5,
        linecolor="white",
        cbar_kws={"label": colorbar},
        ax=ax,
    )
    ax.set_facecolor("0.88")
    ax.grid(False)
    mesh = ax.collections[0]
    for i, j in np.ndindex(grid.shape):
        cell = grid.iat[i, j]
        shade = mesh.cmap(mesh.norm(cell)) if np.isfinite(cell) else (0.88, 0.88, 0.88, 1)
        light = 0.299 * shade[0] + 0.587 * shade[1] + 0.114 * shade[2] > 0.55
        ax.text(
            j + 0.5,
            i + 0.5,
            labels.iat[i, j],
            ha="center",
            va="center",
            fontsize=SMALL_TEXT,
            color="0.1" if light else "white",
        )
    ax.set_xticks(np.arange(len(x_order)) + 0.5, [textwrap.fill(str(c), 14) for c in x_order])
    ax.set_yticks(np.arange(len(y_order)) + 0.5, [textwrap.fill(str(r), 30) for r in y_order])
    ax.tick_params(axis="x", rotation=0, labelsize=LABEL_TEXT)
    ax.tick_params(axis="y", rotation=0, labelsize=LABEL_TEXT)
    if evidence is not None:
        statuses = data.pivot(index=y, columns=x, values=evidence)
        _legend(
            ax,
            _evidence_cells(ax, grid, statuses.reindex(index=y_order, columns=x_order)),
            "cell",
            below=True,
            fontsize=SMALL_TEXT,
            frameon=False,
        )
    return ax
