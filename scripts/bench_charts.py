"""Time finishing and saving the charts of a few pages: before (tight box) and now (one draw).

Each page's notebook is run in this process with its charts caught, not shown: for every
``page.chart`` the plotting call and the words the page finishes it with. Each chart is
then drawn again three ways, and only the finish and the save are timed (drawing the
artists is the same in both):

- before: the plots module of ``--before`` (default: the commit before the chart store came
  in), read from git: ``tight_layout``, then a PNG saved with ``bbox_inches="tight"`` (the
  figure drawn twice);
- now: :func:`plots.finish` and :func:`plots.render` (constrained layout, one draw);
- read back: :func:`plots.chart_image` with a chart store that already holds the chart
  (finish, key, read).

Prints seconds per page and in total, the best of ``--repeat`` rounds, and the ratios.

    .venv/bin/python scripts/bench_charts.py [--pages vision:county,then_and_now:all] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import IPython.display
import matplotlib as mpl
import matplotlib.pyplot as plt
from councildigital.paths import CHARTS_CACHE_ENV, REPO_ROOT
from councildigital.pipeline import catalogue
from councildigital.sections import chart_cache, plots
from councildigital.sections import page as pages

PLOTS = "lib/councildigital/sections/plots.py"
PAGES = (
    "vision:county,potential_vs_plan:all,barriers:all,future_councils_costs:all,then_and_now:all"
)


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=REPO_ROOT, check=True, capture_output=True, text=True
    ).stdout


def default_before() -> str:
    """The commit before the one that added the chart store."""
    added = git(
        "log", "--diff-filter=A", "--format=%H", "--", "lib/councildigital/sections/chart_cache.py"
    )
    return f"{added.split()[-1]}^"


def old_plots(revision: str) -> types.ModuleType:
    module = types.ModuleType("plots_before")
    module.__file__ = f"{revision}:{PLOTS}"
    sys.modules[module.__name__] = module  # its dataclasses look their module up
    exec(compile(git("show", f"{revision}:{PLOTS}"), module.__file__, "exec"), module.__dict__)
    return module


def page_charts(section: str, council_type: str) -> list[tuple[str, tuple, dict, tuple]]:
    """Run a page's notebook here and catch its charts: (plots function, args, keyword
    arguments, the words ``page.chart`` finishes it with), nothing shown."""
    calls: dict[int, tuple] = {}
    charts = []

    def catching(name):
        draw = getattr(plots, name)

        def caught(*args, **kwargs):
            ax = draw(*args, **kwargs)
            calls[id(ax.figure)] = (name, args, kwargs)  # the outermost call made last
            return ax

        return caught

    def chart_image(ax, *words, **options):
        name, args, kwargs = calls.pop(id(ax.figure))
        charts.append((name, args, kwargs, (*words, *options.values())))
        plt.close(ax.figure)
        return b"", {}

    source = catalogue.find(section).path.read_text()
    cells = ["# %%" + cell for cell in source.split("\n# %%")]
    names = [n for n, f in vars(plots).items() if hasattr(f, "__wrapped__") and n[0] != "_"]
    patched = {n: catching(n) for n in names}
    saved = {n: getattr(plots, n) for n in names}
    display, image, show = IPython.display.display, plots.chart_image, pages._show_image
    try:
        vars(plots).update(patched)
        plots.chart_image, pages._show_image = chart_image, lambda *a: None
        IPython.display.display = lambda *a, **k: None
        namespace: dict = {}
        with mpl.rc_context():
            for cell in cells:
                exec(compile(cell, section, "exec"), namespace)
                if 'tags=["parameters"]' in cell.split("\n", 1)[0]:
                    namespace["council_type"] = council_type
    finally:
        vars(plots).update(saved)
        plots.chart_image, pages._show_image = image, show
        IPython.display.display = display
    return charts


def timed(charts, module, finish_and_save) -> float:
    """Seconds to finish and save every chart, drawn with ``module``'s functions and theme."""
    total = 0.0
    with mpl.rc_context():
        module.set_theme()
        for name, args, kwargs, words in charts:
            ax = getattr(module, name)(*args, **kwargs)
            started = time.perf_counter()
            finish_and_save(ax, words)
            total += time.perf_counter() - started
            plt.close(ax.figure)
    return total


def before(old):
    def finish_and_save(ax, words):
        title, x, y, source, n, synthetic, assumed = words
        old.finish(ax, title, x, y, source, n=n, synthetic=synthetic, assumed=assumed)
        old._png_with_alt(ax.figure)

    return finish_and_save


def now(ax, words):
    plots.finish(ax, *words)
    plots.render(ax.figure)


def read_back(ax, words):
    plots.chart_image(ax, *words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", default=PAGES, help="section:council_type, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", default=None, help="the commit to compare with")
    options = parser.parse_args()
    revision = options.before or default_before()
    old = old_plots(revision)
    print(
        f"before: plots.py at {git('rev-parse', '--short', revision).strip()}; now: the work tree"
    )
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        os.environ[CHARTS_CACHE_ENV] = folder
        for spec in options.pages.split(","):
            section, council_type = spec.split(":")
            charts = page_charts(section, council_type)
            timed(charts, plots, read_back)  # fills the store
            best = [
                min(timed(charts, *way) for _ in range(options.repeat))
                for way in ((old, before(old)), (plots, now), (plots, read_back))
            ]
            rows.append((spec, len(charts), *best))
        kept = len(list(chart_cache.ChartStore(Path(folder)).folder.glob("*.png")))
    print(f"{'page':34} {'charts':>6} {'before s':>9} {'now s':>8} {'read s':>8} {'ratio':>6}")
    for spec, count, old_s, new_s, read_s in rows:
        print(f"{spec:34} {count:6d} {old_s:9.3f} {new_s:8.3f} {read_s:8.3f} {old_s / new_s:6.2f}")
    count, old_s, new_s, read_s = (sum(r[i] for r in rows) for i in range(1, 5))
    print(f"{'total':34} {count:6d} {old_s:9.3f} {new_s:8.3f} {read_s:8.3f} {old_s / new_s:6.2f}")
    print(
        f"before/now {old_s / new_s:.2f}x; now/read back {new_s / read_s:.1f}x; {kept} charts kept"
    )


if __name__ == "__main__":
    sys.exit(main())
