import contextlib
import time
from html.parser import HTMLParser
from pathlib import Path

import psutil
import pytest
from councildigital.data import microdata
from councildigital.paths import seeds_dir
from councildigital.pipeline import batch, catalogue
from councildigital.reconstruct import claims


@pytest.fixture(scope="session")
def seeds():
    """The folder of source documents, or a skip that says where it was looked for."""
    folder = seeds_dir()
    if not folder.is_dir():
        pytest.skip(f"source documents not found at {folder} (set COUNCILDIGITAL_SEEDS)")
    return folder


HEADER = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python (councildigital)
#     language: python
#     name: councildigital
# ---
"""


def notebook(path: Path, body: str, parameters: str = 'council_type = "all"\nscale = 2\n') -> Path:
    path.write_text(
        HEADER + f'\n# %% tags=["parameters"]\n{parameters}\n# %%\n{body}\n', encoding="utf-8"
    )
    return path


@pytest.fixture
def sections(tmp_path, monkeypatch):
    """Two tiny sections in a temporary folder, in place of the real ones."""
    good = notebook(tmp_path / "good.py", 'print("answer", scale * 21, council_type)')
    bad = notebook(tmp_path / "bad.py", 'raise RuntimeError("broken on purpose")')
    registry = (
        catalogue.Section("good", str(good), "Good", reads=("published",)),
        catalogue.Section("bad", str(bad), "Bad", per_council_type=False, reads=("published",)),
    )
    monkeypatch.setattr(catalogue, "SECTIONS", registry)
    return {"good": good, "bad": bad}


# --- one executed site, shared by the slow tests that read default pages ---------------------


@pytest.fixture(scope="session")
def executed_site(tmp_path_factory):
    """Every section for every council type on the embedded data, executed once per test run.

    Tests read it and never write to it: a test that changes inputs runs its own batch.
    """
    out = tmp_path_factory.mktemp("executed-site")
    results = batch.run_batch(batch.plan(), out, jobs=2)
    return out, {r.name: r for r in results}


def site_results(executed_site, section: str, council_types: list[str]) -> list:
    """The shared site's results for one section's council types, in that order."""
    _, results = executed_site
    return [results[f"{section}/{council_type}"] for council_type in council_types]


# --- the embedded synthetic data and the published figures it reproduces ----------------------


@pytest.fixture(scope="session")
def default():
    """The embedded synthetic microdata's frame."""
    return microdata.load_microdata().frame


@pytest.fixture(scope="session")
def by_id():
    """Every 2024 claim (a published figure as a checkable interval), by its figure id."""
    return {c.id: c for c in claims.claims()}


def outside(table):
    """The ids of the checkable figures a fidelity table finds out of tolerance."""
    return table.loc[table["checkable"] & ~table["within"], "id"].tolist()


# --- pages read as a browser would ------------------------------------------------------------

# Markup, Markdown emphasis and links, and mathtext that does not parse; one line, 120 at most.
HOSTILE = (
    "<script>alert(1)</script><img src=x onerror=alert(2)> __import__ *y* "
    r"[z](javascript:alert(3)) $\frac{$"
)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class HTMLPage(HTMLParser):
    """A page's elements (tag and attributes) and the text of each element."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.texts: list[tuple[str, str]] = []
        self._open: list[tuple[str, list[str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in VOID:
            self._open.append((tag, []))

    def handle_endtag(self, tag):
        while self._open:
            name, parts = self._open.pop()
            self.texts.append((name, "".join(parts)))
            if name == tag:
                break

    def handle_data(self, data):
        for _, parts in self._open:
            parts.append(data)

    def text_of(self, tag: str) -> list[str]:
        """The text of every ``tag`` element, white space folded as a browser shows it."""
        return [" ".join(text.split()) for name, text in self.texts if name == tag]

    def attributes(self, tag: str, name: str) -> list[str]:
        return [attrs[name] for t, attrs in self.elements if t == tag and name in attrs]


def assert_inert(page: HTMLPage) -> None:
    """No element or attribute that text could have injected: no script, handler or stray image."""
    tags = {tag for tag, _ in page.elements}
    assert "script" not in tags
    handlers = [
        (tag, name) for tag, attrs in page.elements for name in attrs if name.startswith("on")
    ]
    assert handlers == []
    assert all(src.startswith("data:image/png;base64,") for src in page.attributes("img", "src"))
    assert [href for href in page.attributes("a", "href") if "javascript" in href] == []


# --- processes ---------------------------------------------------------------------------------


def running(processes: list[psutil.Process]) -> list[psutil.Process]:
    """Those of ``processes`` still running (not ended, not zombies)."""
    found = []
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            if process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
    return found


def left_after(processes: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Those of ``processes`` still running after waiting up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while running(processes) and time.monotonic() < deadline:
        time.sleep(0.05)
    return running(processes)


# --- what a notebook displays -----------------------------------------------------------------


@pytest.fixture
def displayed(monkeypatch):
    """Every object a page displays, in order, as (object, keyword arguments of display)."""
    import IPython.display

    shown: list[tuple[object, dict]] = []
    monkeypatch.setattr(
        IPython.display, "display", lambda *objs, **kwargs: shown.extend((o, kwargs) for o in objs)
    )
    return shown
