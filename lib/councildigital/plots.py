"""One chart style for every report: seaborn's theme, a colour-blind-safe palette, and a footer.

Every chart states what it shows (title), its axes, its base (n) and its
source; charts drawn from synthetic or assumed data say so in the footer.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

PALETTE = "colorblind"
SYNTHETIC_LABEL = (
    "SYNTHETIC DATA: a reconstruction matching published aggregates, not real responses"
)


def set_theme() -> None:
    """The one theme of the project; call once at the top of a notebook."""
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    plt.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "figure.figsize": (8, 4.5),
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.titlelocation": "left",
            "svg.hashsalt": "councildigital",
        }
    )
    _register_alt_text()


def alt_text(fig: Figure) -> str:
    """A text alternative from the chart's own words: titles, axes and footer (base, source)."""
    parts = []
    for ax in fig.axes:
        if not ax.get_visible() or not (ax.get_title() or ax.get_xlabel() or ax.get_ylabel()):
            continue
        title = ax.get_title() or ax.get_title(loc="left")
        described = [f"Chart: {title}." if title else "Chart."]
        if ax.get_xlabel():
            described.append(f"Horizontal axis: {ax.get_xlabel()}.")
        if ax.get_ylabel():
            described.append(f"Vertical axis: {ax.get_ylabel()}.")
        parts.append(" ".join(described))
    parts.extend(" ".join(t.get_text().split()) for t in fig.texts if t.get_text().strip())
    if fig._suptitle is not None and fig._suptitle.get_text():
        parts.insert(0, fig._suptitle.get_text())
    return " ".join(parts) or "Chart without a title"


def _png_with_alt(fig: Figure) -> tuple[bytes, dict]:
    from io import BytesIO

    buffer = BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue(), {"alt": alt_text(fig)}


def _register_alt_text() -> None:
    """In a notebook, display every figure as a PNG that carries its alt text in the metadata."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["image/png"].for_type(Figure, _png_with_alt)


def footer(
    fig: Figure,
    source: str,
    n: int | str | None = None,
    synthetic: bool = False,
    assumed: str | None = None,
) -> None:
    """Write the source line, the base and any synthetic/assumed-data label under the chart."""
    parts = []
    if synthetic:
        parts.append(SYNTHETIC_LABEL)
    if assumed:
        parts.append(f"ASSUMED INPUTS: {assumed}")
    if n is not None:
        parts.append(f"Base: n = {n}")
    parts.append(f"Source: {source}")
    fig.text(0.01, -0.02, "\n".join(parts), ha="left", va="top", fontsize=8, wrap=True)


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
    """Title, axis labels and footer for a chart; returns the axes (seaborn style)."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig = ax.figure
    fig.tight_layout()
    footer(fig, source, n=n, synthetic=synthetic, assumed=assumed)
    return ax


def _format_axis(axis, formatter: Callable[[float], str] | None) -> None:
    """At most six ticks, written by ``formatter`` (money and counts have long labels)."""
    axis.set_major_locator(MaxNLocator(nbins=6))
    if formatter is not None:
        axis.set_major_formatter(FuncFormatter(lambda value, _: formatter(value)))


def distribution(
    data: pd.DataFrame,
    x: str,
    *,
    percentiles: tuple[int, int, int] = (5, 50, 95),
    marks: dict[str, float] | None = None,
    formatter: Callable[[float], str] | None = None,
    bins: int = 80,
    ax: Axes | None = None,
) -> Axes:
    """Monte Carlo draws as a histogram, the middle of them shaded, reference values marked.

    ``percentiles`` are (outer low, middle, outer high): the shaded band holds
    the draws between the outer two. ``marks`` are labelled reference lines,
    e.g. the report's own figures, so the reader sees where they fall.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.8))
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
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    return ax


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

    Widest swing on top, so the input that moves the result most is read first.
    """
    rows = data.assign(_swing=(data[high] - data[low]).abs()).sort_values("_swing", kind="stable")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 1.4 + 0.6 * len(rows)))
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
    ax.set_yticks(position, [textwrap.fill(str(text), 40) for text in rows[y]], fontsize=9)
    _format_axis(ax.xaxis, formatter)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    return ax


def dot_interval(
    data: pd.DataFrame,
    x: str,
    y: str,
    low: str,
    high: str,
    *,
    hue: str | None = None,
    hue_order: list[str] | None = None,
    connect: bool = False,
    ax: Axes | None = None,
) -> Axes:
    """Estimates (percent) as dots and their intervals as lines, one row per ``y`` in the data's order.

    With ``hue`` a row may hold a dot per level (e.g. councils and suppliers),
    nudged apart so both intervals stay visible; ``connect`` joins a row's dots
    so that the gap between them is what the eye reads.
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
        _, ax = plt.subplots(figsize=(10, 1.4 + (0.2 + 0.16 * lines) * len(rows)))
    position = data[y].map({label: i for i, label in enumerate(rows)})
    nudge = 0.2 if connect and len(levels) > 1 else 0.0
    if connect:
        span = data.groupby(position)[x].agg(["min", "max"])
        ax.hlines(span.index, span["min"], span["max"], color="0.82", linewidth=5, zorder=1)
    colours = sns.color_palette(PALETTE, len(levels))
    for i, (level, colour) in enumerate(zip(levels, colours, strict=True)):
        own = data if level is None else data[data[hue] == level]
        ys = position[own.index] + nudge * (i - (len(levels) - 1) / 2)
        ax.hlines(ys, own[low], own[high], color=colour, linewidth=1.6, alpha=0.75, zorder=2)
        ax.scatter(own[x], ys, color=colour, s=38, zorder=3, label=level, clip_on=False)
    ax.set_yticks(range(len(rows)), labels, fontsize=9)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    if hue is not None:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    return ax


def _spread(values: pd.Series, step: float = 0.45) -> pd.Series:
    """Positions for labels: equal values fanned out around their value, so no two overlap."""
    spread = values.astype(float).copy()
    for _, same in values.groupby(values):
        spread[same.index] = same.iloc[0] + step * (np.arange(len(same)) - (len(same) - 1) / 2)
    return spread


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
            fontsize=9,
            color=colour,
        )
        ax.text(
            1.06,
            right_y.iloc[i],
            textwrap.fill(f"{now}. {row[right_label]}", 30),
            ha="left",
            va="center",
            fontsize=9,
            color=colour,
        )
    ax.set_xlim(-1.15, 2.05)
    ax.set_ylim(max(data[left].max(), end.max()) + 0.6, 0.4)
    ax.set_xticks([0, 1], titles)
    ax.set_yticks([])
    ax.grid(False)
    return ax
