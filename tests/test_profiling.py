"""Phase timings (pipeline.profiling): nothing when off, each phase once when on."""

import time

from conftest import notebook
from councildigital.pipeline import batch, catalogue, profiling


def test_nothing_is_recorded_when_profiling_is_off(tmp_path, monkeypatch):
    monkeypatch.delenv(profiling.PROFILE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    with profiling.phase("work"):
        time.sleep(0.01)
    assert list(tmp_path.iterdir()) == []
    assert profiling.NotebookClock().hooks == {}


def test_a_phase_timed_inside_another_is_not_counted_twice(tmp_path, monkeypatch):
    monkeypatch.setenv(profiling.PROFILE_ENV, str(tmp_path))
    with profiling.phase("outer"):
        time.sleep(0.05)
        with profiling.phase("inner"):
            time.sleep(0.2)
    with profiling.phase("inner"):
        time.sleep(0.1)
    found = profiling.totals(tmp_path)
    assert set(found) == {("worker", "outer"), ("worker", "inner")}
    assert found["worker", "inner"]["count"] == 2
    assert 0.3 <= found["worker", "inner"]["wall"] < 0.4
    assert 0.05 <= found["worker", "outer"]["wall"] < 0.15


def test_a_profiled_batch_times_every_runs_phases_and_its_kernels_cells(tmp_path, monkeypatch):
    path = notebook(
        tmp_path / "drawn.py",
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])\nplt.show()",
    )
    sec = catalogue.Section("drawn", str(path), "Drawn", reads=("published",))
    monkeypatch.setattr(catalogue, "SECTIONS", (sec,))
    timings = tmp_path / "timings"
    timings.mkdir()
    for name, value in profiling.profiled_environment(timings, tmp_path).items():
        monkeypatch.setenv(name, value)
    runs = batch.plan(["drawn"], ["county", "wales"], out_dir=tmp_path / "out")
    results = batch.run_batch(runs, tmp_path / "out", jobs=1)
    assert [r.status for r in results] == ["ok", "ok"]
    found = profiling.totals(timings)
    for name in ("kernel start and handshake", "cells (as the worker waits for them)"):
        assert found["worker", name]["count"] == 2, name
        assert found["worker", name]["wall"] > 0, name
    assert found["worker", "HTML export"]["count"] == 2
    assert found["kernel", "cells, all"]["count"] == 6  # parameters, injected ones, the chart
    assert found["kernel", "chart drawing"]["count"] == 2
    assert 0 < found["kernel", "chart drawing"]["cpu"] < found["kernel", "cells, all"]["cpu"]
    assert found["batch", "fork server start"]["count"] == 1
    assert ("worker", "fork server start") not in found
    assert found["batch", "index"]["count"] == 1
