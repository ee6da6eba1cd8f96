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


# --- the footer, the theme and the alt text ---------------------------------------------------


def footer_of(fig) -> str:
    [text] = fig.texts
    return text.get_text()


def test_footer_says_label_assumed_inputs_base_and_source_in_that_order():
    fig = plt.figure()
    try:
        plots.footer(fig, "Future Councils pilot report", n=12, synthetic=True, assumed="IT spend")
        assert footer_of(fig) == (
            f"{plots.SYNTHETIC_LABEL}\nASSUMED INPUTS: IT spend\nBase: n = 12\n"
            "Source: Future Councils pilot report"
        )
    finally:
        plt.close(fig)


def test_footer_does_not_repeat_a_synthetic_label_the_source_already_has():
    fig = plt.figure()
    try:
        plots.footer(fig, "Survey. SYNTHETIC DATA: not real", synthetic=True)
        assert footer_of(fig) == "Source: Survey. SYNTHETIC DATA: not real"
    finally:
        plt.close(fig)


def test_footer_escapes_dollars_for_mathtext_and_shows_them_as_dollars():
    fig = plt.figure()
    try:
        plots.footer(fig, "costs in $ from a$b.csv", n="3 councils")
        assert footer_of(fig) == "Base: n = 3 councils\nSource: costs in \\$ from a\\$b.csv"
        assert plots.alt_text(fig) == "Base: n = 3 councils Source: costs in $ from a$b.csv"
    finally:
        plt.close(fig)


def test_finish_sets_title_axes_and_footer_and_returns_the_axes():
    fig, ax = plt.subplots()
    try:
        assert plots.finish(ax, "Shares", "Share (%)", "Theme", "Survey", n=78) is ax
        assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == (
            "Shares",
            "Share (%)",
            "Theme",
        )
        assert footer_of(fig) == "Base: n = 78\nSource: Survey"
        assert plots.alt_text(fig) == (
            "Chart: Shares. Horizontal axis: Share (%). Vertical axis: Theme. "
            "Base: n = 78 Source: Survey"
        )
    finally:
        plt.close(fig)


def test_alt_text_of_a_chart_without_words():
    fig, _ = plt.subplots()
    try:
        assert plots.alt_text(fig) == "Chart without a title"
    finally:
        plt.close(fig)


def test_the_theme_turns_mathtext_off_and_titles_left():
    with mpl.rc_context():
        plots.set_theme()
        assert plt.rcParams["text.parse_math"] is False
        assert plt.rcParams["axes.titlelocation"] == "left"
        assert plt.rcParams["svg.hashsalt"] == "councildigital"
        assert tuple(plt.rcParams["figure.figsize"]) == (8, 4.5)


def test_a_fixed_palette_gives_each_level_its_place_colour():
    palette = plots.fixed_palette(("a", "b", "c"))
    assert list(palette) == ["a", "b", "c"]
    assert palette == plots.fixed_palette(("a", "b", "c"))
    assert palette["b"] == plots.fixed_palette(("a", "b", "c", "d"))["b"]
    assert len(set(palette.values())) == 3


def test_tornado_puts_the_widest_swing_on_top_and_ties_in_the_datas_order():
    data = pd.DataFrame(
        {
            "input": ["staff", "gap", "narrow", "vacancies", "wide"],
            "low": [90.0, 90.0 + 1e-12, 99.0, 90.0, 50.0],
            "high": [110.0, 110.0, 101.0, 110.0 - 1e-12, 150.0],
        }
    )
    ax = plots.tornado(data, "input", "low", "high", 100.0)
    top_down = [label.get_text() for label in ax.get_yticklabels()][::-1]
    plt.close(ax.figure)
    assert top_down == ["wide", "staff", "gap", "vacancies", "narrow"]
