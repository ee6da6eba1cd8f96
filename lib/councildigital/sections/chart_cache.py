"""Charts drawn once per batch: a finished chart's PNG kept by a key of what it is drawn from.

Many charts are the same on every council type's page (most 2013 charts, the cost model's
charts). Drawing one takes a third of a second or more; reading it back takes a millisecond.
A chart is keyed by the call of the :mod:`.plots` function that drew it (the function and
every argument, frames by their contents), the words :func:`.plots.finish` adds, the theme
(every rcParam) and the code (every module of the package, and the versions of the drawing
libraries). The key is taken only from a figure that function made itself (no ``ax``
passed) and that nothing changed since, as far as :func:`_signature` can tell (axes,
artists, limits, ticks, labels, size); any other figure is drawn afresh, uncached.

A batch names the store in ``$COUNCILDIGITAL_CHARTS`` (:func:`councildigital.paths.charts_store`);
without it nothing is kept. Each code version has its own folder; a process's first write
removes the others, and the oldest charts beyond :data:`MAX_CHARTS` (new data make new
keys), so the store holds one version's charts and never grows without bound.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import shutil
import types
import weakref
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from councildigital.paths import CHARTS_CACHE_ENV, PACKAGE_DIR
from councildigital.pipeline import execution

CACHE_ENV = CHARTS_CACHE_ENV
# The libraries whose versions can change a drawing.
DRAWING_PACKAGES = ("matplotlib", "seaborn", "numpy", "pandas", "pillow")
MAX_CHARTS = 2000  # a full batch shows about 300
# rcParams that choose where a figure is shown, not how it is drawn.
_NOT_DRAWING = ("backend", "backend_fallback", "interactive")

# Per figure a plots function made: the fingerprint of that call and the figure's signature then.
_DRAWN: weakref.WeakKeyDictionary[Figure, tuple[str, tuple]] = weakref.WeakKeyDictionary()
_pruned: set[Path] = set()  # the stores this process has pruned


class Unkeyable(TypeError):
    """An argument whose content cannot be fingerprinted: the chart is drawn uncached."""


def recorded(draw: Callable) -> Callable:
    """Decorate a plots function (``ax`` keyword-only, returning the axes) so that the figure
    it makes is keyed by the call; a figure it draws into (``ax`` passed) loses its key."""

    @functools.wraps(draw)
    def drawn(*args, ax=None, **kwargs):
        result = draw(*args, ax=ax, **kwargs)
        fig = result.figure
        if ax is None:
            try:
                call = _fingerprint((draw.__module__, draw.__qualname__, args, kwargs))
            except Unkeyable:
                _DRAWN.pop(fig, None)
            else:
                _DRAWN[fig] = (call, _signature(fig))
        else:
            _DRAWN.pop(fig, None)
        return result

    return drawn


def key(fig: Figure, words: tuple) -> str | None:
    """The store key of ``fig`` finished with ``words`` (title, axes, source, base, labels),
    or None where the figure was not made by a recorded call or was changed since."""
    drawn = _DRAWN.get(fig)
    if drawn is None or drawn[1] != _signature(fig):
        return None
    try:
        finishing = _fingerprint(words)
    except Unkeyable:
        return None
    text = "\n".join([code_version(), theme_fingerprint(), drawn[0], finishing])
    return hashlib.sha256(text.encode()).hexdigest()


def _signature(fig: Figure) -> tuple:
    """What a change to a figure after its drawing call would most likely alter."""
    return (
        tuple(fig.get_size_inches()),
        len(fig.texts),
        tuple(
            (
                type(ax).__name__,
                len(ax.get_children()),
                ax.get_xlim(),
                ax.get_ylim(),
                tuple(ax.get_xticks()),
                tuple(ax.get_yticks()),
                ax.get_xlabel(),
                ax.get_ylabel(),
                tuple(ax.get_title(loc) for loc in ("left", "center", "right")),
            )
            for ax in fig.axes
        ),
    )


def theme_fingerprint() -> str:
    """Every rcParam that shapes a drawing, as text."""
    import matplotlib as mpl

    shown = sorted((k, repr(v)) for k, v in mpl.rcParams.items() if k not in _NOT_DRAWING)
    return hashlib.sha256(repr(shown).encode()).hexdigest()


@functools.cache
def code_version() -> str:
    """The package's modules and the drawing libraries' versions: a new one starts a new folder."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    for name in DRAWING_PACKAGES:
        digest.update(f"{name}={importlib.metadata.version(name)}\0".encode())
    return digest.hexdigest()[:20]


def _fingerprint(value) -> str:
    digest = hashlib.sha256()
    _feed(digest, value)
    return digest.hexdigest()


def _feed(digest, value) -> None:
    """Feed ``value``'s content to ``digest``, tagged by its type; raise :class:`Unkeyable`
    for anything whose content is not known to determine what it draws."""
    if value is None or isinstance(value, (str, bytes, bool, int, float, complex, np.generic)):
        digest.update(f"{type(value).__name__}:{value!r}\0".encode())
    elif isinstance(value, (pd.DataFrame, pd.Series)):
        digest.update(f"{type(value).__name__}:{value.shape}\0".encode())
        columns = value.columns if isinstance(value, pd.DataFrame) else [value.name]
        dtypes = value.dtypes.tolist() if isinstance(value, pd.DataFrame) else [value.dtype]
        digest.update(repr((list(columns), dtypes, list(value.index.names))).encode())
        try:
            digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        except TypeError as exc:
            raise Unkeyable(f"unhashable cells: {exc}") from exc
    elif isinstance(value, np.ndarray):
        if value.dtype == object:
            _feed(digest, value.tolist())
        else:
            digest.update(f"ndarray:{value.dtype}:{value.shape}\0".encode() + value.tobytes())
    elif isinstance(value, (tuple, list)):
        digest.update(f"{type(value).__name__}:{len(value)}\0".encode())
        for item in value:
            _feed(digest, item)
    elif isinstance(value, dict):
        digest.update(f"dict:{len(value)}\0".encode())
        for name, item in value.items():
            _feed(digest, name)
            _feed(digest, item)
    elif isinstance(value, functools.partial):
        _feed(digest, ("partial", value.func, value.args, value.keywords))
    elif isinstance(value, types.FunctionType):
        code = value.__code__
        _feed(digest, (value.__module__, value.__qualname__, code.co_code, code.co_names))
        _feed(digest, [c for c in code.co_consts if not isinstance(c, types.CodeType)])
        _feed(digest, (value.__defaults__, value.__kwdefaults__))
        _feed(digest, [cell.cell_contents for cell in value.__closure__ or ()])
    else:
        raise Unkeyable(f"no fingerprint for a {type(value).__name__}")


class ChartStore:
    """A folder of finished charts, one subfolder per :func:`code_version`: ``<key>.png`` and
    ``<key>.json`` (what the page says of it: alt text, narrowest readable width)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.folder = self.root / code_version()

    def get(self, chart_key: str) -> tuple[bytes, dict] | None:
        try:
            metadata = json.loads((self.folder / f"{chart_key}.json").read_text())
            return (self.folder / f"{chart_key}.png").read_bytes(), metadata
        except (OSError, ValueError):
            return None

    def put(self, chart_key: str, png: bytes, metadata: dict) -> None:
        """Keep a chart (the PNG first: a chart with its metadata is whole) and, the first
        time this process writes here, remove the folders of other code versions."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._write(f"{chart_key}.png", png)
        self._write(f"{chart_key}.json", json.dumps(metadata, sort_keys=True).encode())
        if self.root not in _pruned:
            _pruned.add(self.root)
            self.prune()

    def prune(self) -> None:
        """Remove every version's folder but this one's, and the least recently written
        charts beyond :data:`MAX_CHARTS` (their metadata first: a chart without it is gone)."""
        for other in self.root.iterdir():
            if other.is_dir() and other != self.folder:
                shutil.rmtree(other, ignore_errors=True)
        kept = sorted(self.folder.glob("*.png"), key=lambda p: (p.stat().st_mtime, p.name))
        for png in kept[: max(0, len(kept) - MAX_CHARTS)]:
            png.with_suffix(".json").unlink(missing_ok=True)
            png.unlink(missing_ok=True)

    def _write(self, name: str, content: bytes) -> None:
        execution.atomic_write(self.folder / name, content)


def store() -> ChartStore | None:
    """The batch's chart store (``$COUNCILDIGITAL_CHARTS``), or None outside a batch."""
    value = os.environ.get(CACHE_ENV)
    return ChartStore(Path(value)) if value else None
