"""Data snapshots: what a batch read, stored once, loaded by every kernel exactly as validated."""

import shutil

import pandas as pd
import pytest
from councildigital.data import microdata
from councildigital.pipeline import snapshot


@pytest.fixture
def stored(tmp_path):
    return snapshot.take_microdata(microdata.DEFAULT_PATH, tmp_path), snapshot.store(tmp_path)


def test_a_snapshot_loads_the_frame_validation_gave_exactly(stored):
    taken, where = stored
    direct = microdata.load_microdata()
    loaded = snapshot.load_microdata(taken.ref, where)
    pd.testing.assert_frame_equal(loaded.frame, direct.frame, check_exact=True)
    assert list(loaded.frame.dtypes) == list(direct.frame.dtypes)
    assert (loaded.sha256, loaded.synthetic, loaded.label) == (
        direct.sha256,
        direct.synthetic,
        direct.label,
    )
    assert str(loaded.path) == microdata.DEFAULT_PATH.name  # no folder


def test_a_kernel_changing_its_frame_does_not_change_the_snapshot(stored):
    taken, where = stored
    first = snapshot.load_microdata(taken.ref, where)
    column = first.frame.columns[5]
    first.frame.loc[0, column] = 99.0
    again = snapshot.load_microdata(taken.ref, where)
    assert again.frame.loc[0, column] != 99.0


def test_a_file_that_fails_validation_is_named_not_its_copy(tmp_path):
    broken = tmp_path / "mine.csv"
    shutil.copy(microdata.DEFAULT_PATH, broken)
    broken.write_text(broken.read_text(encoding="utf-8").replace("SYN-001,", "SYN-002,", 1))
    with pytest.raises(snapshot.SnapshotError) as caught:
        snapshot.take_microdata(broken, tmp_path / "out")
    assert str(broken) in str(caught.value)
    assert ".read-" not in str(caught.value)
    assert list(snapshot.store(tmp_path / "out").iterdir()) == []


def test_a_reference_without_its_store_says_what_to_do(monkeypatch):
    monkeypatch.delenv(snapshot.STORE_ENV, raising=False)
    with pytest.raises(snapshot.SnapshotError, match="give a file or folder path instead"):
        snapshot.load_microdata("sha256:" + "0" * 64)
