"""Tables that depend only on the data version, computed once and kept for every page.

The published figures read and validated, the claims read from them and the fidelity
table are the same for every page of a batch on the same data. Each is named by a hash
of the data it is computed from and kept, pickled, in the batch's cache folder,
``$COUNCILDIGITAL_TABLES``: the batch sets it for its kernels to a folder named by the
library's and the packages' hash (:func:`store`), so new code starts afresh as a run's key
does, and a change of data is a new name. Within a process a table is also kept in
memory. Each call gets its own copy, as if it had been computed there. Outside a batch
(the variable unset) only the memory copy is kept. The folder is the user's own output
folder: trusted like the pages beside it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from councildigital.pipeline import execution

TABLES_ENV = "COUNCILDIGITAL_TABLES"
T = TypeVar("T")
_MEMORY: dict[str, bytes] = {}


def store(out_dir: Path, version: str) -> Path:
    """A batch's tables for one version of the code and packages (``version``, a hash)."""
    return Path(out_dir) / ".cache" / "tables" / version


def key(*parts: bytes | str) -> str:
    """One hash over the parts, each kept apart from the next."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def frame_key(frame) -> str:
    """A hash of a frame's content: its columns, their types and every value, with the index."""
    import pandas as pd

    values = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    return key(repr(list(frame.columns)), repr([str(t) for t in frame.dtypes]), values)


def derived(kind: str, name: str, compute: Callable[[], T]) -> T:
    """The table ``kind`` for the data hashed as ``name``: computed once, then read back."""
    label = f"{kind}-{name}"
    data = _MEMORY.get(label)
    folder = os.environ.get(TABLES_ENV)
    path = Path(folder) / f"{label}.pickle" if folder else None
    if data is None and path is not None:
        try:
            data = path.read_bytes()
        except OSError:
            data = None
    if data is None:
        data = pickle.dumps(compute(), protocol=pickle.HIGHEST_PROTOCOL)
        if path is not None:
            execution.atomic_write(path, data)
    _MEMORY[label] = data
    return pickle.loads(data)
