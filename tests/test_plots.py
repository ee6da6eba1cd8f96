import matplotlib

matplotlib.use("Agg")

import math
import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from councildigital.sections import plots
from councildigital.sections import vision as v
from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle


@pytest.fixture(autouse=True)
def own_rc_params():
    """Each test starts from and leaves matplotlib's settings as they were: a theme set by one
    test (or another file's) must not decide what the next one sees."""
    with mpl.rc_context():
        yield


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
        palette=plots.GROUP_COLOURS,
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
    [text] = [t for t in fig.texts if t is not fig._suptitle]
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


def test_footer_shows_dollars_as_they_are():
    fig = plt.figure()
    try:
        plots.footer(fig, "costs in $ from a$b.csv", n="3 councils")
        assert footer_of(fig) == "Base: n = 3 councils\nSource: costs in $ from a$b.csv"
        assert plots.alt_text(fig) == "Base: n = 3 councils Source: costs in $ from a$b.csv"
        fig.canvas.draw()
    finally:
        plt.close(fig)


def test_the_footer_is_wrapped_once_to_the_figures_width_and_the_figure_grows_by_it():
    fig = plt.figure(figsize=(4, 3))
    words = "Local Digital Today (2013) and the LGC and Hitachi Solutions survey (2024) " * 3
    try:
        plots.footer(fig, words, n=78)
        [text] = fig.texts
        lines = footer_of(fig).split("\n")
        assert len(lines) > 3 and " ".join(lines) == f"Base: n = 78 Source: {words.strip()}"
        assert not text.get_wrap()  # drawing does not wrap it again
        renderer = fig.canvas.get_renderer()
        assert text.get_window_extent(renderer).x1 <= fig.bbox.width * (1 - plots.FOOTER_X)
        height = len(lines) * plots.SMALL_TEXT * plots.LINE_SPACING / 72 + 2 * plots.MARGIN
        assert fig.get_figheight() == pytest.approx(3 + height, abs=1 / plots.DPI)
    finally:
        plt.close(fig)


def test_finish_sets_title_axes_and_footer_and_returns_the_axes():
    fig, ax = plt.subplots()
    try:
        assert plots.finish(ax, "Shares", "Share (%)", "Theme", "Survey", n=78) is ax
        assert (fig.get_suptitle(), ax.get_xlabel(), ax.get_ylabel()) == (
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


@pytest.mark.parametrize("location", ["left", "center"])
def test_finish_puts_the_title_at_the_figures_edge_whatever_the_themes_title_location(location):
    """Once, where the title went depended on the theme a test before had set."""
    plt.rcParams["axes.titlelocation"] = location
    fig, ax = plt.subplots()
    try:
        plots.finish(ax, "Shares", "x", "y", "Survey")
        assert fig.get_suptitle() == "Shares"
        assert [ax.get_title(loc) for loc in ("left", "center", "right")] == ["", "", ""]
        assert plots.alt_text(fig).startswith("Chart: Shares. Horizontal axis: x.")
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
        assert plt.rcParams["figure.dpi"] == plt.rcParams["savefig.dpi"] == plots.DPI
        assert plt.rcParams["savefig.format"] == plots.IMAGE_FORMAT
        assert plt.rcParams["savefig.bbox"] is None  # never a tight box
        assert plt.rcParams["figure.constrained_layout.use"] is True


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


# --- evidence status -------------------------------------------------------------------------


def evidence_dots(evidence: list[str]) -> pd.DataFrame:
    rows = [f"row {i}" for i in range(len(evidence))]
    return pd.DataFrame(
        {
            "row": rows,
            "estimate": [20.0 + 10 * i for i in range(len(rows))],
            "ci_low": [10.0 + 10 * i for i in range(len(rows))],
            "ci_high": [30.0 + 10 * i for i in range(len(rows))],
            "evidence": evidence,
        }
    )


def drawn_by_status(ax) -> dict[str, tuple]:
    """Each dot artist's fill, interval line style and alpha, keyed by the x of its first dot."""
    lines = [line for line in ax.lines if len(line.get_xdata())]
    return {
        line.get_xdata()[0]: (line.get_fillstyle(), line.get_markerfacecolor(), line.get_alpha())
        for line in lines
    }


def legend_labels(ax) -> list[str]:
    legend = ax.get_legend() or ax.figure.legends[0]  # a legend under the plot is the figure's
    return [text.get_text().replace("\n", " ") for text in legend.get_texts()]


WORDS = {status: style.words for status, style in plots.EVIDENCE_STYLE.items()}


def test_assumed_dots_are_hollow_on_dashed_intervals_and_published_ones_solid():
    data = evidence_dots(["published", "bounded", "assumed"])
    ax = plots.dot_interval(data, "estimate", "row", "ci_low", "ci_high", evidence="evidence")
    try:
        dots = drawn_by_status(ax)
        assert dots[20.0][0] == "full"
        assert dots[30.0][0] == "left"  # half filled, as ◐
        assert dots[40.0][:2] == ("none", "none")
        assert dots[40.0][2] < dots[30.0][2] < dots[20.0][2] == 1
        styles = {
            c.get_segments()[0][0][0]: c.get_linestyle()[0][1]
            for c in ax.collections
            if c.get_segments()
        }
        assert styles[10.0] is None and styles[20.0] is None  # published, bounded: solid
        assert styles[30.0] is not None  # assumed: dashed
        assert not any(isinstance(c, PathCollection) for c in ax.collections)
        assert legend_labels(ax) == [WORDS["published"], WORDS["bounded"], WORDS["assumed"]]
    finally:
        plt.close(ax.figure)


def test_evidence_legend_has_one_entry_per_status_shown_after_the_groups():
    data = evidence_dots(["assumed", "assumed", "published", "assumed"]).assign(
        group=["a", "b", "a", "b"]
    )
    ax = plots.dot_interval(
        data, "estimate", "row", "ci_low", "ci_high", hue="group", evidence="evidence"
    )
    try:
        assert legend_labels(ax) == ["a", "b", WORDS["published"], WORDS["assumed"]]
    finally:
        plt.close(ax.figure)


def test_alt_text_counts_the_statuses_shown():
    data = evidence_dots(["assumed", "published", "assumed", "bounded", "assumed", "published"])
    scale = ["estimate", "ci_low", "ci_high"]
    data[scale] = data[scale] / 20  # on the 1-5 scale
    ax = plots.scale_interval(data, "estimate", "row", "ci_low", "ci_high", evidence="evidence")
    try:
        plots.finish(ax, "Means", "Mean", "Theme", "Survey", n=9)
        assert plots.alt_text(ax.figure) == (
            "Chart: Means. Horizontal axis: Mean. Vertical axis: Theme. "
            "Evidence: 2 published, 1 bounded, 3 illustrative (assumed). Base: n = 9 Source: Survey"
        )
    finally:
        plt.close(ax.figure)


def test_without_evidence_a_chart_is_drawn_as_before():
    data = evidence_dots(["assumed", "published"]).assign(group=["a", "b"])
    ax = plots.dot_interval(data, "estimate", "row", "ci_low", "ci_high", hue="group")
    try:
        plots.finish(ax, "Shares", "Share (%)", "Group", "Survey")
        assert [c.get_label() for c in ax.collections if isinstance(c, PathCollection)] == [
            "a",
            "b",
        ]
        assert not [line for line in ax.lines if len(line.get_xdata())]
        assert legend_labels(ax) == ["a", "b"]
        assert "Evidence" not in plots.alt_text(ax.figure)
    finally:
        plt.close(ax.figure)


def test_an_unknown_status_is_refused():
    data = evidence_dots(["published", "guessed"])
    try:
        plots.dot_interval(data, "estimate", "row", "ci_low", "ci_high", evidence="evidence")
    except ValueError as error:
        assert "guessed" in str(error)
    else:
        raise AssertionError("an unknown status was drawn")
    finally:
        plt.close("all")


def test_gap_dots_with_evidence_give_no_sign_of_support_to_an_illustrative_gap():
    data = pd.DataFrame(
        {
            "theme": ["clear but assumed", "published"],
            "gap": [0.8, 0.1],
            "ci_low": [0.5, -0.2],
            "ci_high": [1.1, 0.4],
            "evidence": ["assumed", "published"],
        }
    )
    ax = plots.gap_dots(data, "gap", "theme", "ci_low", "ci_high", evidence="evidence")
    try:
        dots = drawn_by_status(ax)
        assert dots[0.8][0] == "none" and dots[0.1][0] == "full"
        assert legend_labels(ax) == [WORDS["published"], WORDS["assumed"]]
    finally:
        plt.close(ax.figure)


def test_dumbbell_keeps_each_levels_shape_and_shows_evidence_in_the_fill():
    data = pd.DataFrame(
        {
            "theme": ["t", "t"],
            "measure": ["potential", "plan"],
            "mean": [3.5, 2.5],
            "ci_low": [3.2, 2.2],
            "ci_high": [3.8, 2.8],
            "evidence": ["published", "assumed"],
        }
    )
    ax = plots.dumbbell(
        data,
        "mean",
        "theme",
        "measure",
        "ci_low",
        "ci_high",
        hue_order=["potential", "plan"],
        connect=("potential", "plan"),
        evidence="evidence",
    )
    try:
        shapes = {
            line.get_xdata()[0]: (line.get_marker(), line.get_fillstyle())
            for line in ax.lines
            if len(line.get_xdata())
        }
        assert shapes == {3.5: ("o", "full"), 2.5: ("s", "none")}
        assert legend_labels(ax) == ["potential", "plan", WORDS["published"], WORDS["assumed"]]
    finally:
        plt.close(ax.figure)


def test_answer_bars_hatch_and_dash_what_is_not_published():
    data = pd.DataFrame(
        {
            "answer": ["low", "high"] * 2,
            "question": ["potential"] * 2 + ["plan"] * 2,
            "estimate": [40.0, 60.0, 70.0, 30.0],
            "ci_low": [30.0, 50.0, 60.0, 20.0],
            "ci_high": [50.0, 70.0, 80.0, 40.0],
            "evidence": ["published", "bounded", "assumed", "published"],
        }
    )
    ax = plots.answer_bars(
        data, "answer", "estimate", "question", "ci_low", "ci_high", evidence="evidence"
    )
    try:
        bars = {round(bar.get_height()): bar for bar in ax.patches}
        assert bars[40].get_hatch() is None and bars[30].get_hatch() is None
        assert bars[60].get_hatch() == plots.EVIDENCE_STYLE["bounded"].hatch
        assert bars[70].get_hatch() == "///" and bars[70].get_linestyle() == "--"
        assert bars[70].get_facecolor()[3] < bars[60].get_facecolor()[3] < 1
        assert legend_labels(ax) == [
            "potential",
            "plan",
            WORDS["published"],
            WORDS["bounded"],
            WORDS["assumed"],
        ]
    finally:
        plt.close(ax.figure)


def heat_cells() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "type": ["a", "b", "a", "b"],
            "theme": ["t1", "t1", "t2", "t2"],
            "share": [50.0, 20.0, 35.0, float("nan")],
            "text": ["50", "20\nn=8", "35", "n=3\nsuppressed"],
            "evidence": ["published", "assumed", "bounded", None],
        }
    )


def hatched_cells(ax) -> dict[tuple[float, float], str]:
    return {
        patch.get_xy(): patch.get_hatch()
        for patch in ax.patches
        if isinstance(patch, Rectangle) and patch.get_hatch()
    }


def test_heatmap_cells_carry_their_mark_and_assumed_ones_are_hatched_and_lighter():
    ax = plots.cell_heatmap(
        heat_cells(),
        "type",
        "theme",
        "share",
        text="text",
        x_order=["a", "b"],
        y_order=["t1", "t2"],
        evidence="evidence",
    )
    try:
        texts = {t.get_text(): t.get_alpha() for t in ax.texts}
        assert texts == {"50 ●": 1, "20 ○\nn=8": 0.7, "35 ◐": 1, "n=3\nsuppressed": None}
        assert hatched_cells(ax) == {(1, 0): "///", (0, 1): ".."}
        assert legend_labels(ax) == [
            f"● {WORDS['published']}",
            f"◐ {WORDS['bounded']}",
            f"○ {WORDS['assumed']}",
        ]
        plots.finish(ax, "Map", "Type", "Theme", "Survey")
        assert "Evidence: 1 published, 1 bounded, 1 illustrative (assumed)." in (
            plots.alt_text(ax.figure)
        )
    finally:
        plt.close(ax.figure)


def test_a_heatmap_without_evidence_has_no_marks_or_hatching():
    ax = plots.cell_heatmap(
        heat_cells(),
        "type",
        "theme",
        "share",
        text="text",
        x_order=["a", "b"],
        y_order=["t1", "t2"],
    )
    try:
        assert sorted(t.get_text() for t in ax.texts) == sorted(heat_cells()["text"])
        assert hatched_cells(ax) == {}
        assert ax.get_legend() is None
    finally:
        plt.close(ax.figure)


def test_agreement_heatmap_marks_its_cells_by_status():
    data = pd.DataFrame(
        {
            "plan": ["low", "high", "low", "high"],
            "potential": ["low", "low", "high", "high"],
            "count": [5, 3, 7, 1],
            "text": ["5\n(31%)", "3\n(19%)", "7\n(44%)", "1\n(6%)"],
            "evidence": ["observed"] * 4,
        }
    )
    ax = plots.agreement_heatmap(
        data, "plan", "potential", "count", annotation="text", evidence="evidence"
    )
    try:
        assert sorted(t.get_text() for t in ax.texts) == [
            "1 ◆\n(6%)",
            "3 ◆\n(19%)",
            "5 ◆\n(31%)",
            "7 ◆\n(44%)",
        ]
        assert legend_labels(ax) == [f"◆ {WORDS['observed']}"]
        assert hatched_cells(ax) == {}
    finally:
        plt.close(ax.figure)


def test_likert_segments_are_hatched_and_their_numbers_lighter_as_their_status():
    data = pd.DataFrame(
        {
            "barrier": ["cost"] * 2,
            "score": [0, 1],
            "percent": [40.0, 60.0],
            "evidence": ["published", "assumed"],
        }
    )
    ax = plots.likert_bars(
        data,
        "barrier",
        "score",
        "percent",
        levels=[0, 1],
        labels=["none", "large"],
        midpoint=1,
        evidence="evidence",
    )
    try:
        hatches = {round(p.get_width()): p.get_hatch() for p in ax.patches if p.get_width()}
        assert hatches == {40: None, 60: "///"}
        assert {t.get_text(): t.get_alpha() for t in ax.texts} == {"40": 1, "60": 0.7}
        assert legend_labels(ax) == ["none", "large", WORDS["published"], WORDS["assumed"]]
    finally:
        plt.close(ax.figure)


def test_the_evidence_marks_draw_in_the_charts_font():
    with mpl.rc_context():
        plots.set_theme()
        ax = plots.cell_heatmap(
            heat_cells().assign(evidence=["published", "bounded", "assumed", "observed"]),
            "type",
            "theme",
            "share",
            text="text",
            x_order=["a", "b"],
            y_order=["t1", "t2"],
            evidence="evidence",
        )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # a missing glyph is a warning
                ax.figure.canvas.draw()
        finally:
            plt.close(ax.figure)


def test_each_group_has_one_colour_and_the_page_stands_out():
    assert set(plots.GROUP_COLOURS) == set(plots.GROUPS) == set(v.CHART_GROUPS)
    assert len(set(plots.GROUP_COLOURS.values())) == 3
    assert plots.chart_groups(["all", "county", "wales"], "county", "all") == [
        plots.EVERYONE,
        plots.THIS_PAGE,
        plots.OTHER_TYPES,
    ]
    # A too-small type's page shows everyone: no row is "this page".
    assert plots.THIS_PAGE not in plots.chart_groups(["all", "wales"], "all", "all")


def test_a_chart_says_the_narrowest_width_at_which_its_smallest_text_is_readable():
    with mpl.rc_context():
        plots.set_theme()
        fig, ax = plt.subplots(figsize=(10, 3))
        ax.set_title("Title")
        ax.set_xlabel("x")
        ax.text(0.5, 0.5, "small", fontsize=7.2)  # 10 px at 100 dpi
        ax.text(0.5, 0.2, "", fontsize=1)  # empty text is not text a reader sees
        try:
            png, metadata = plots.render(fig)
            saved = int.from_bytes(png[16:20], "big")
            assert plots.smallest_text(fig) == 7.2
            assert metadata["min_width"] == math.ceil(saved * plots.READABLE_PX / 10)
            # Shown at that width, the smallest text is READABLE_PX or more (CSS px).
            assert 7.2 * 100 / 72 * metadata["min_width"] / saved >= plots.READABLE_PX
            assert metadata["alt"].startswith("Chart: Title.")
        finally:
            plt.close(fig)
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.set_title("Tiny", fontsize=4)  # too small even at full size: shown at full size
        try:
            png, metadata = plots.render(fig)
            assert metadata["min_width"] == int.from_bytes(png[16:20], "big")  # never wider
        finally:
            plt.close(fig)


def png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def barrier_chart(title: str, share: float = 62.0):
    """A finished chart with long row labels, a legend beside the plot and a long footer."""
    data = pd.DataFrame(
        {
            "row": ["Reluctance from staff to adopt new technologies", "Legacy systems"] * 2,
            "group": ["2013", "2013", "2024", "2024"],
            "share": [40.0, 55.0, share, 48.0],
            "low": [35.0, 50.0, share - 7, 40.0],
            "high": [45.0, 60.0, share + 7, 56.0],
        }
    )
    ax = plots.dot_interval(data, "share", "row", "low", "high", hue="group")
    plots.finish(
        ax, title, "Share (%)", "", "Local Digital Today (2013) " * 6, n=78, synthetic=True
    )
    return ax.figure


def test_the_image_is_the_figures_size_with_everything_inside_it_and_the_title_at_its_edge():
    """No tight box crops or widens the image: a long title or a legend beside the plot
    leaves the image the figure's size (a phone shows its text no smaller), and the layout
    fits every artist inside the figure, the title starting in line with the footer."""
    plots.set_theme()
    for title in ("Short", "Funding has the highest mean score shown (4.0 out of 5) x x x"):
        fig = barrier_chart(title)
        try:
            png, _ = plots.render(fig)
            assert png_size(png) == (1000, round(fig.get_figheight() * plots.DPI))
            renderer = fig.canvas.get_renderer()
            drawn = fig.get_tightbbox(renderer)  # inches
            assert drawn.x0 >= 0 and drawn.y0 >= 0
            assert drawn.x1 <= fig.get_figwidth() and drawn.y1 <= fig.get_figheight()
            title_x = fig._suptitle.get_window_extent(renderer).x0 / fig.bbox.width
            assert title_x == pytest.approx(plots.FOOTER_X, abs=0.002)
            axes = fig.axes[0].get_window_extent(renderer)
            footer = fig.texts[-1].get_window_extent(renderer)
            assert footer.y1 < axes.y0  # the footer below the plot, not over it
        finally:
            plt.close(fig)


def test_a_chart_is_drawn_once_to_make_its_image():
    plots.set_theme()
    fig = barrier_chart("Once")
    draws = []
    draw = fig.draw
    fig.draw = lambda renderer: draws.append(draw(renderer))
    try:
        plots.render(fig)
        assert len(draws) == 1
    finally:
        plt.close(fig)


def test_the_same_chart_drawn_twice_gives_the_same_bytes():
    plots.set_theme()
    first, second, other = barrier_chart("Same"), barrier_chart("Same"), barrier_chart("Same", 63)
    try:
        png = plots.render(first)[0]
        assert png == plots.render(second)[0]
        assert png != plots.render(other)[0]
    finally:
        for fig in (first, second, other):
            plt.close(fig)


def test_a_title_line_too_wide_for_the_figure_is_broken_again_to_fit():
    plots.set_theme()
    fig, ax = plt.subplots(figsize=(4, 3))
    title = "County council respondents with a vision: 35% plan to use digital less\nthan"
    try:
        plots.finish(ax, title, "x", "y", "Survey")
        lines = fig.get_suptitle().split("\n")
        assert len(lines) > 2 and " ".join(lines) == " ".join(title.split())
        extent = fig._suptitle.get_window_extent(fig.canvas.get_renderer())
        assert extent.x1 <= fig.bbox.width * (1 - plots.FOOTER_X)
        short = plt.figure(figsize=(4, 3)).subplots()
        plots.finish(short, "Fits\nas written", "x", "y", "Survey")
        assert short.figure.get_suptitle() == "Fits\nas written"
    finally:
        plt.close("all")


def test_a_heatmaps_evidence_legend_sits_between_the_plot_and_the_footer():
    plots.set_theme()
    ax = plots.cell_heatmap(
        heat_cells().assign(evidence=["published", "bounded", "assumed", "published"]),
        "type",
        "theme",
        "share",
        text="text",
        x_order=["a", "b"],
        y_order=["t1", "t2"],
        colorbar="Share",
        evidence="evidence",
    )
    fig = ax.figure
    try:
        plots.finish(ax, "Heat", "Type", "Theme", "Survey " * 30, n=78, synthetic=True)
        png, _ = plots.render(fig)
        renderer = fig.canvas.get_renderer()
        [legend] = fig.legends
        shown = legend.get_window_extent(renderer)
        footer = fig.texts[-1].get_window_extent(renderer)
        assert footer.y1 <= shown.y0 and shown.y1 <= ax.xaxis.label.get_window_extent(renderer).y0
        assert shown.x0 >= 0 and shown.x1 <= fig.bbox.width
        assert png_size(png) == (fig.bbox.width, fig.bbox.height)
    finally:
        plt.close(fig)
