import os

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from councildigital import paths
from councildigital.sections import chart_cache, formatting, plots

WORDS = ("Funding leads", "Share (%)", "", "Local Digital Today (2013)", 78, False, None)


@pytest.fixture(autouse=True)
def themed():
    with mpl.rc_context():
        plots.set_theme()
        yield
    plt.close("all")


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A batch's chart store, as a batch names it to its kernels."""
    root = paths.charts_store(tmp_path)
    monkeypatch.setenv(paths.CHARTS_CACHE_ENV, str(root))
    return chart_cache.ChartStore(root)


def shares(share: float = 62.0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": ["Funding", "Legacy systems", "Funding", "Legacy systems"],
            "group": ["2013", "2013", "2024", "2024"],
            "share": [40.0, 55.0, share, 48.0],
            "low": [35.0, 50.0, share - 7, 40.0],
            "high": [45.0, 60.0, share + 7, 56.0],
        }
    )


def drawn(frame: pd.DataFrame | None = None, **options):
    return plots.dot_interval(
        shares() if frame is None else frame, "share", "row", "low", "high", hue="group", **options
    )


def key_of(ax, words: tuple = WORDS) -> str | None:
    return chart_cache.key(ax.figure, words)


def test_a_batch_keeps_its_charts_beside_its_bounds(tmp_path):
    assert paths.charts_store(tmp_path) == tmp_path / ".cache" / "charts"
    assert paths.charts_store(tmp_path).parent == paths.bounds_store(tmp_path).parent


def test_a_cached_chart_is_the_freshly_drawn_one_byte_for_byte(store, monkeypatch):
    first = plots.chart_image(drawn(), *WORDS)
    [kept] = store.folder.glob("*.png")
    assert kept.read_bytes() == first[0]
    with monkeypatch.context() as patched:
        patched.setattr(plots, "render", lambda fig: pytest.fail("drawn again, not read back"))
        again = plots.chart_image(drawn(), *WORDS)
    monkeypatch.delenv(paths.CHARTS_CACHE_ENV)
    fresh = plots.chart_image(drawn(), *WORDS)  # no store: drawn here
    assert again == first == fresh  # the PNG bytes, the alt text and the readable width


def test_the_key_is_the_data_the_words_and_the_theme():
    key = key_of(drawn())
    assert key is not None and key == key_of(drawn(shares().copy()))
    assert key_of(drawn(shares(62.5))) != key  # one value changed
    assert key_of(drawn(hue_order=["2024", "2013"])) != key
    assert key_of(drawn(), ("Funding still leads", *WORDS[1:])) != key
    ax = drawn()
    plt.rcParams["lines.linewidth"] = 3
    assert key_of(ax) != key


def test_the_key_holds_a_formatters_own_values():
    def histogram(unit: str):
        frame = pd.DataFrame({"cost": [1.0, 2.0, 2.5, 4.0]})
        return plots.distribution(frame, "cost", formatter=formatting.amount_formatter(unit))

    gbp = key_of(histogram("gbp"))
    assert gbp is not None and gbp == key_of(histogram("gbp"))
    assert key_of(histogram("percent")) != gbp


def test_a_figure_changed_after_it_was_drawn_or_drawn_into_has_no_key(store):
    ax = drawn()
    ax.axvline(50)
    assert key_of(ax) is None
    ax = drawn()
    ax.set_xlim(0, 80)
    assert key_of(ax) is None
    _, ax = plt.subplots()
    assert key_of(drawn(ax=ax)) is None
    plots.chart_image(ax, *WORDS)
    assert not store.folder.exists()  # drawn, and kept nowhere


class Pounds:
    """A formatter whose content the key cannot know."""

    def __call__(self, value: float) -> str:
        return f"£{value:.0f}"


def test_data_without_a_fingerprint_are_drawn_uncached(store):
    frame = shares().assign(row=[["Funding"], ["Legacy"], ["Funding"], ["Legacy"]])
    with pytest.raises(chart_cache.Unkeyable):
        chart_cache._fingerprint(frame)
    ax = plots.distribution(pd.DataFrame({"cost": [1.0, 2.0]}), "cost", formatter=Pounds())
    assert key_of(ax) is None
    png, _ = plots.chart_image(ax, *WORDS)
    assert png.startswith(b"\x89PNG") and not store.folder.exists()


def test_the_store_keeps_one_code_versions_charts(store):
    old = store.root / "an-older-version"
    old.mkdir(parents=True)
    (old / "stale.png").write_bytes(b"old")
    store.put("k", b"png", {"alt": "a"})
    assert not old.exists()
    assert store.get("k") == (b"png", {"alt": "a"})
    assert [p.name for p in store.root.iterdir()] == [chart_cache.code_version()]


def test_the_store_keeps_the_newest_charts_up_to_its_bound(store, monkeypatch):
    monkeypatch.setattr(chart_cache, "MAX_CHARTS", 2)
    store.folder.mkdir(parents=True)
    for age, name in enumerate(["old", "older", "oldest"]):
        for suffix in (".png", ".json"):
            path = store.folder / f"{name}{suffix}"
            path.write_text("{}")
            os.utime(path, (1000 - age, 1000 - age))
    store.put("new", b"png", {})
    assert sorted(p.name for p in store.folder.iterdir()) == [
        "new.json",
        "new.png",
        "old.json",
        "old.png",
    ]


def test_a_half_written_chart_is_not_read(store):
    store.folder.mkdir(parents=True)
    (store.folder / "k.png").write_bytes(b"png")  # its metadata not yet written
    assert store.get("k") is None
    (store.folder / "k.json").write_text("{")
    assert store.get("k") is None


CHART_PAGE = """
import pandas as pd
from councildigital.sections import plots
from councildigital.sections.page import Chart, published_page

plots.set_theme()
page = published_page(council_type, description="d", citation="Local Digital Today (2013)")
frame = pd.DataFrame({"row": ["a", "b"], "share": [40.0, 60.0], "low": [30.0, 50.0], "high": [50.0, 70.0]})
page.chart(plots.dot_interval(frame, "share", "row", "low", "high"), Chart(None, "Same", "x", "y"))
"""


@pytest.mark.slow
def test_a_batch_draws_a_chart_the_same_on_every_page_once(tmp_path, monkeypatch):
    import base64
    import json

    from conftest import notebook
    from councildigital.pipeline import batch, catalogue

    page = notebook(tmp_path / "same.py", CHART_PAGE)
    registry = (catalogue.Section("same", str(page), "Same", reads=("published",)),)
    monkeypatch.setattr(catalogue, "SECTIONS", registry)
    out = tmp_path / "out"
    results = batch.run_batch(batch.plan(council_types=["all", "county"]), out)
    assert [r.status for r in results] == ["ok", "ok"]
    [kept] = paths.charts_store(out).glob("*/*.png")
    for council_type in ("all", "county"):
        executed = json.loads((out / "same" / f"{council_type}.ipynb").read_text())
        [shown] = [
            base64.b64decode(o["data"]["image/png"])
            for cell in executed["cells"]
            for o in cell.get("outputs", [])
            if "image/png" in o.get("data", {})
        ]
        assert shown == kept.read_bytes()
