"""Tables computed once per data version (cache): kept, keyed by the data, never stale."""

import json
import shutil

import pandas as pd
import pytest
from councildigital import cache
from councildigital.data import microdata, published
from councildigital.paths import PUBLISHED_DIR
from councildigital.pipeline import batch, catalogue
from councildigital.reconstruct import claims
from test_batch import notebook


@pytest.fixture
def tables(tmp_path, monkeypatch):
    """A batch's tables folder, and nothing kept in this process's memory."""
    monkeypatch.setattr(cache, "_MEMORY", {})
    monkeypatch.setenv(cache.TABLES_ENV, str(tmp_path / "tables"))
    return tmp_path / "tables"


def test_a_table_is_computed_once_and_read_back_by_another_process(tables, monkeypatch):
    computed = []

    def compute():
        computed.append(1)
        return pd.DataFrame({"a": [1, 2]})

    first = cache.derived("probe", "v1", compute)
    monkeypatch.setattr(cache, "_MEMORY", {})  # as a new kernel would start
    second = cache.derived("probe", "v1", compute)
    assert computed == [1]
    pd.testing.assert_frame_equal(first, second)
    assert [p.name for p in tables.iterdir()] == ["probe-v1.pickle"]


def test_each_caller_gets_its_own_copy(tables):
    first = cache.derived("probe", "v1", lambda: pd.DataFrame({"a": [1, 2]}))
    first.loc[0, "a"] = 99
    assert cache.derived("probe", "v1", lambda: None)["a"].tolist() == [1, 2]


def test_outside_a_batch_tables_are_kept_in_memory_only(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "_MEMORY", {})
    monkeypatch.delenv(cache.TABLES_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    computed = []
    for _ in range(2):
        cache.derived("probe", "v1", lambda: computed.append(1) or 7)
    assert computed == [1]
    assert list(tmp_path.iterdir()) == []


def test_the_fidelity_table_is_computed_once_per_data_and_a_change_of_data_is_a_new_one(
    tables, monkeypatch
):
    frame = microdata.load_microdata().frame
    table = claims.fidelity(frame)
    monkeypatch.setattr(cache, "_MEMORY", {})
    calls = []
    evaluate = claims.evaluate
    monkeypatch.setattr(claims, "evaluate", lambda *a: calls.append(1) or evaluate(*a))
    pd.testing.assert_frame_equal(claims.fidelity(frame), table)
    assert calls == []  # read back, not evaluated again
    edited = frame.copy()
    edited.loc[edited.index[0], "has_vision"] = 1 - edited.loc[edited.index[0], "has_vision"]
    changed = claims.fidelity(edited)
    assert calls  # a new data version is computed
    assert len(list(tables.glob("fidelity-*.pickle"))) == 2
    pd.testing.assert_frame_equal(changed, claims.fidelity(edited, claims._figures()))


def test_published_figures_are_validated_once_per_version_of_their_files(
    tables, tmp_path, monkeypatch
):
    folder = tmp_path / "published"
    shutil.copytree(PUBLISHED_DIR, folder)
    first = published.load_figures(folder, ["lgc2024"])
    monkeypatch.setattr(cache, "_MEMORY", {})
    validated = []
    read = published.read_figures
    monkeypatch.setattr(published, "read_figures", lambda *a: validated.append(1) or read(*a))
    pd.testing.assert_frame_equal(published.load_figures(folder, ["lgc2024"]), first)
    assert validated == []
    path = folder / "lgc2024.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",78,", ",77,", 1), encoding="utf-8")
    edited = published.load_figures(folder, ["lgc2024"])
    assert validated == [1]
    assert not edited.equals(first)


def test_the_second_page_of_a_batch_reads_the_table_the_first_computed(tmp_path, monkeypatch):
    path = notebook(
        tmp_path / "shared.py",
        "from councildigital import cache\n"
        "print('table', cache.derived('probe', 'v1', lambda: print('computed') or 7))",
    )
    sec = catalogue.Section("shared", str(path), "Shared", reads=("published",))
    monkeypatch.setattr(catalogue, "SECTIONS", (sec,))
    out = tmp_path / "out"
    results = batch.run_batch(batch.plan(["shared"], ["all", "wales"]), out, jobs=1)
    assert [r.status for r in results] == ["ok", "ok"]
    printed = {}
    for council_type in ("all", "wales"):
        executed = json.loads((out / "shared" / f"{council_type}.ipynb").read_text())
        printed[council_type] = "".join(
            "".join(o.get("text", "")) for c in executed["cells"] for o in c["outputs"]
        )
    assert "computed" in printed["all"] and "table 7" in printed["all"]
    assert "computed" not in printed["wales"] and "table 7" in printed["wales"]
    assert len(list((out / ".cache" / "tables").glob("*/probe-v1.pickle"))) == 1
