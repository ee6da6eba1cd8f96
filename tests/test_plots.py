import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from councildigital.sections import plots
from councildigital.sections import vision as v
from matplotlib.collections import PathCollection

# The vision page's groups as the all, county and wales pages order them, and a page without "all".
PAGES = [
    ["All respondents", "Other council types"],
    ["All respondents", "This page", "Other council types"],
    ["All respondents", "Other council types", "This page"],
    ["This page", "Other council types"],
]


def dot_colours(groups: list[str]) -> dict[str, tuple]:
    """Each group's dot colour as drawn on a chart holding only these groups."""
    data = pd.DataFrame(
        {"row": groups, "group": groups, "estimate": 50.0, "ci_low": 40.0, "ci_high": 60.0}
    )
    ax = plots.dot_interval(
        data,
        "estimate",
        "row",
        "ci_low",
        "ci_high",
        hue="group",
        palette=plots.fixed_palette(v.CHART_GROUPS),
    )
    drawn = {
        c.get_label(): tuple(c.get_facecolor()[0].round(6))
        for c in ax.collections
        if isinstance(c, PathCollection)
    }
    plt.close(ax.figure)
    return drawn


def test_dot_interval_keeps_each_groups_colour_whichever_groups_a_page_has():
    seen: dict[str, set[tuple]] = {}
    for groups in PAGES:
        drawn = dot_colours(groups)
        assert sorted(drawn) == sorted(groups)
        for group, colour in drawn.items():
            seen.setdefault(group, set()).add(colour)
    assert {group: len(colours) for group, colours in seen.items()} == dict.fromkeys(
        v.CHART_GROUPS, 1
    )
    assert len({colours.pop() for colours in seen.values()}) == len(v.CHART_GROUPS)


def test_chart_text_is_not_mathtext():
    """With mathtext on, this title does not even draw ('\\frac' lacks its arguments)."""
    name = r"Respondent data from a$\frac{$b.csv"
    with mpl.rc_context():
        plots.set_theme()
        fig, ax = plt.subplots()
        try:
            plots.finish(ax, f"Costs for {name}", "x", "y", source=name, n=3)
            fig.canvas.draw()
            assert f"Chart: Costs for {name}." in plots.alt_text(fig)
            assert f"Source: {name}" in plots.alt_text(fig)
        finally:
            plt.close(fig)
