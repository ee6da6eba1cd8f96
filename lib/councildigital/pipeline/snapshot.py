"""Data read once per batch into content-addressed snapshots that every kernel reads.

A batch reads the respondent data file (and any data folder a parameter points
at) once, before any kernel starts: it copies the bytes while hashing them,
validates the copy, and stores the result under the output folder's cache, named
by the SHA-256 of those bytes. Runs get a reference ``sha256:<hex>`` instead of a
path, so every page of a batch is computed from the same bytes whatever happens to
the file meanwhile, the hash in the run's key is the hash of what was read, no
machine path reaches a published page, and no kernel re-reads or re-validates the
file. The cache is the user's own output folder: a snapshot is trusted like the
pages beside it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from councildigital.pipeline import execution

PREFIX = "sha256:"
STORE_ENV = "COUNCILDIGITAL_SNAPSHOTS"  # set for kernels by the batch
_CHUNK = 1 << 20


class SnapshotError(ValueError):
    """A data file or folder that cannot be read or does not pass validation."""


@dataclass(frozen=True)
class Snapshot:
    """A file or folder as it was read: its name (no folder), its hash and the reference runs get."""

    name: str
    sha256: str

    @property
    def ref(self) -> str:
        return PREFIX + self.sha256


def store(out_dir: Path) -> Path:
    return Path(out_dir) / ".cache" / "data"


def is_ref(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def _copy_hashing(source: Path, target: Path) -> str:
    digest = hashlib.sha256()
    with source.open("rb") as reading, target.open("wb") as writing:
        while chunk := reading.read(_CHUNK):
            digest.update(chunk)
            writing.write(chunk)
    return digest.hexdigest()


def _publish(temp: Path, final: Path) -> None:
    """Make a finished snapshot visible, readable as the user's other files are."""
    os.chmod(temp, execution.new_file_mode(directory=temp.is_dir()))
    try:
        os.replace(temp, final)
    except OSError:
        if not final.exists():  # another batch may have stored the same bytes first
            raise


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as reading:
        while chunk := reading.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _key(sha: str, sheet: str | None) -> str:
    """A snapshot's name: the bytes' hash, or with a sheet chosen, the hash of both."""
    return sha if sheet is None else hashlib.sha256(f"{sha}\0sheet\0{sheet}".encode()).hexdigest()


def take_microdata(path: Path, out_dir: Path, sheet: str | None = None) -> Snapshot:
    """Read, hash and validate a respondent data file once; store the validated frame.

    Bytes already stored (the same hash) are not read again, nor written: a no-op
    re-run only hashes the file. New bytes are copied while hashed, and it is the
    copy that is validated and stored, so a file that changes meanwhile cannot give
    a snapshot of one version under the hash of another. ``sheet``: a spreadsheet's
    sheet to read (its name is part of the snapshot's).
    """
    path = Path(path).expanduser()
    where = store(out_dir)
    known = _key(_hash(path), sheet)
    if (where / known).is_dir():
        return Snapshot(path.name, known)
    where.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=where, prefix=".read-", suffix=path.suffix.lower())
    os.close(fd)
    copy = Path(name)
    folder = copy.with_suffix(".frame")
    try:
        sha = _copy_hashing(path, copy)
        key = _key(sha, sheet)
        if (where / key).is_dir():
            return Snapshot(path.name, key)
        from councildigital.data import (
            microdata,  # pandas: only when there is something to validate
        )
        from councildigital.data.published import DataValidationError

        try:
            loaded = microdata.load_microdata(copy, sheet)
        except DataValidationError as exc:
            # Name the user's file, not the copy.
            raise SnapshotError(str(DataValidationError(path, exc.problems))) from None
        folder.mkdir()
        _write_frame(loaded.frame, folder)
        meta = {
            "name": path.name,
            "sha256": sha,
            "synthetic": loaded.synthetic,
            "edited": loaded.edited,
        }
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        for item in folder.iterdir():
            os.chmod(item, execution.new_file_mode())
        _publish(folder, where / key)
        return Snapshot(path.name, key)
    finally:
        copy.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)


def _write_frame(frame, folder: Path) -> None:
    """The answer columns as one float64 array on disk, written a column at a time.

    A large frame is never copied whole: each column is written as it is, and
    kernels map the array (copy-on-write) instead of reading it into memory.
    """
    import numpy as np

    numeric = [c for c in frame.columns if frame[c].dtype == np.float64]
    header = {"descr": "<f8", "fortran_order": False, "shape": (len(numeric), len(frame))}
    with (folder / "numbers.npy").open("wb") as handle:
        np.lib.format.write_array_header_1_0(handle, header)
        for column in numeric:
            handle.write(np.ascontiguousarray(frame[column].to_numpy(), dtype="<f8").tobytes())
    texts = {
        c: (frame.columns.get_loc(c), frame[c].array) for c in frame.columns if c not in numeric
    }
    with (folder / "texts.pickle").open("wb") as handle:
        pickle.dump({"numeric": numeric, "texts": texts}, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _read_frame(folder: Path):
    import numpy as np
    import pandas as pd

    with (folder / "texts.pickle").open("rb") as handle:
        parts = pickle.load(handle)
    numbers = np.load(folder / "numbers.npy", mmap_mode="c")
    frame = pd.DataFrame(numbers.T, columns=parts["numeric"], copy=False)
    for name, (position, values) in sorted(parts["texts"].items(), key=lambda kv: kv[1][0]):
        frame.insert(position, name, values)
    return frame


def take_folder(folder: Path, out_dir: Path, check) -> Snapshot:
    """Copy a data folder's CSV files once, hashing names and bytes; ``check`` validates the copy."""
    folder = Path(folder).expanduser()
    where = store(out_dir)
    where.mkdir(parents=True, exist_ok=True)
    copy = Path(tempfile.mkdtemp(dir=where, prefix=".read-"))
    try:
        digest = hashlib.sha256()
        for source in sorted(p for p in folder.iterdir() if p.is_file()):
            digest.update(source.name.encode() + b"\0")
            digest.update(_copy_hashing(source, copy / source.name).encode() + b"\0")
        sha = digest.hexdigest()
        final = where / sha
        if not final.exists():
            try:
                check(copy)
            except ValueError as exc:
                raise SnapshotError(str(exc).replace(str(copy), str(folder))) from None
            for item in copy.iterdir():
                os.chmod(item, execution.new_file_mode())
            _publish(copy, final)
        return Snapshot(folder.name, sha)
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def _resolve(ref: str, store_dir: str | Path | None) -> Path:
    where = Path(store_dir) if store_dir else os.environ.get(STORE_ENV)
    if not where:
        raise SnapshotError(
            f"{ref} names a batch's data snapshot, but ${STORE_ENV} does not say where the "
            "batch stored it; give a file or folder path instead"
        )
    return Path(where)


def load_microdata(ref: str, store_dir: str | Path | None = None):
    """The validated respondent data a batch stored under ``ref``."""
    from councildigital.data.microdata import DEFAULT_PATH, Microdata

    path = _resolve(ref, store_dir) / ref.removeprefix(PREFIX)
    if not (path / "meta.json").is_file():
        raise SnapshotError(f"no data snapshot {ref} in {path.parent}")
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    edited = meta.get("edited")
    if edited is None:  # stored before edited copies were told apart: only the bytes can say
        edited = meta["synthetic"] and meta["sha256"] != _hash(DEFAULT_PATH)
    return Microdata(
        _read_frame(path), Path(meta["name"]), meta["sha256"], meta["synthetic"], edited
    )


def folder(ref: str, store_dir: str | Path | None = None) -> Path:
    """The copy of a data folder a batch stored under ``ref``."""
    path = _resolve(ref, store_dir) / ref.removeprefix(PREFIX)
    if not path.is_dir():
        raise SnapshotError(f"no data snapshot {ref} in {path.parent}")
    return path


def resolve_folder(value: str | Path | None, default: Path) -> Path:
    """A folder parameter: a batch's snapshot (``sha256:...``), a path, or ``default`` for None."""
    if value is None:
        return default
    return folder(value) if is_ref(value) else Path(value)
