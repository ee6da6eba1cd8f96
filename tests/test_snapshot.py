"""Data snapshots: what a batch read, stored once, loaded by every kernel exactly as validated."""

import shutil
from pathlib import Path

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


def test_a_reference_is_text_starting_sha256():
    assert snapshot.is_ref("sha256:" + "0" * 64)
    assert not snapshot.is_ref("data/mine.csv")
    assert not snapshot.is_ref(None)
    assert snapshot.Snapshot("mine.csv", "ab" * 32).ref == "sha256:" + "ab" * 32
    assert snapshot.store(Path("out")) == Path("out/.cache/data")


def test_a_folder_snapshot_is_keyed_by_names_and_bytes_and_checked_once(tmp_path):
    folder = tmp_path / "published"
    folder.mkdir()
    (folder / "a.csv").write_text("x\n1\n")
    checked = []
    first = snapshot.take_folder(folder, tmp_path / "out", checked.append)
    again = snapshot.take_folder(folder, tmp_path / "out", checked.append)
    assert first == again
    assert len(checked) == 1  # known bytes are not checked again
    assert first.name == "published"
    stored = snapshot.folder(first.ref, snapshot.store(tmp_path / "out"))
    assert (stored / "a.csv").read_text() == "x\n1\n"
    (folder / "a.csv").rename(folder / "b.csv")
    assert snapshot.take_folder(folder, tmp_path / "out", checked.append) != first


def test_a_folder_that_fails_its_check_is_named_not_its_copy(tmp_path):
    folder = tmp_path / "published"
    folder.mkdir()
    (folder / "a.csv").write_text("x\n")

    def refuse(copy):
        raise ValueError(f"{copy / 'a.csv'}: line 2 is missing")

    with pytest.raises(snapshot.SnapshotError) as caught:
        snapshot.take_folder(folder, tmp_path / "out", refuse)
    assert str(caught.value) == f"{folder / 'a.csv'}: line 2 is missing"
    assert list(snapshot.store(tmp_path / "out").iterdir()) == []


def test_a_folder_parameter_is_a_snapshot_a_path_or_the_default(tmp_path, monkeypatch):
    assert snapshot.resolve_folder(None, tmp_path) == tmp_path
    assert snapshot.resolve_folder("some/folder", tmp_path) == Path("some/folder")
    folder = tmp_path / "published"
    folder.mkdir()
    taken = snapshot.take_folder(folder, tmp_path / "out", lambda copy: None)
    monkeypatch.setenv(snapshot.STORE_ENV, str(snapshot.store(tmp_path / "out")))
    assert snapshot.resolve_folder(taken.ref, tmp_path) == (
        snapshot.store(tmp_path / "out") / taken.sha256
    )
    with pytest.raises(snapshot.SnapshotError, match="no data snapshot sha256:00"):
        snapshot.folder("sha256:" + "0" * 64)


def test_each_sheet_of_a_workbook_is_its_own_snapshot_and_an_edited_copy_stays_edited(tmp_path):
    text = pd.read_csv(microdata.DEFAULT_PATH, dtype=str, keep_default_na=False)
    edited = text.copy()
    edited.loc[0, "has_capability"] = "1" if text.loc[0, "has_capability"] == "0" else "0"
    path = tmp_path / "two.xlsx"
    with pd.ExcelWriter(path) as book:
        text.to_excel(book, sheet_name="Reconstruction", index=False)
        edited.to_excel(book, sheet_name="Edited", index=False)
    first = snapshot.take_microdata(path, tmp_path)
    second = snapshot.take_microdata(path, tmp_path, sheet="Edited")
    assert first.ref != second.ref
    where = snapshot.store(tmp_path)
    as_is, changed = (snapshot.load_microdata(s.ref, where) for s in (first, second))
    assert as_is.sha256 == changed.sha256  # the file's bytes, as the page shows them
    assert not as_is.edited and as_is.label.startswith("SYNTHETIC DATA: a reconstruction")
    assert changed.edited and changed.label.startswith("EDITED SYNTHETIC DATA from two.xlsx")
