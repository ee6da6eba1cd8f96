"""One chart style for every report: seaborn's theme, a colour-blind-safe palette, and a footer.

Every chart states what it shows (title), its axes, its base (n) and its
source; charts drawn from synthetic or assumed data say so in the footer.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure

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
