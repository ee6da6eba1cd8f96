"""The batch runner: bad input refused up front, incremental, fault-tolerant, reproducible."""

import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import notebook
from councildigital.pipeline import batch, catalogue


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"sections": ["nonsense"]}, "unknown section 'nonsense'; expected one of good, bad"),
        ({"council_types": ["parish"]}, "unknown council type 'parish'; expected one of all"),
        ({"parameters": {"colour": "red"}}, "parameter 'colour' is not declared"),
        ({"parameters": {"scale": "big"}}, "parameter 'scale' must be int (default 2); got 'big'"),
        ({"data_path": Path("/no/such/file.csv")}, "data file /no/such/file.csv does not exist"),
    ],
)
def test_bad_input_is_refused_before_any_run(sections, tmp_path, kwargs, message):
    with pytest.raises(
        batch.BatchInputError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        batch.plan(**kwargs)


def test_plan_runs_per_council_type_only_where_the_section_says(sections):
    runs = batch.plan(council_types=["all", "county"])
    assert [r.name for r in runs] == ["good/all", "good/county", "bad/all"]
    assert runs[0].parameters == {"council_type": "all"}


def test_parameters_are_coerced_to_the_declared_type(sections):
    runs = batch.plan(sections=["good"], council_types=["all"], parameters={"scale": "3"})
    assert runs[0].parameters == {"council_type": "all", "scale": 3}


def test_a_failing_run_is_recorded_and_the_others_go_on(sections, tmp_path):
    out = tmp_path / "out"
    results = batch.run_batch(batch.plan(council_types=["all", "county"]), out, jobs=2)
    status = {r.name: r.status for r in results}
    assert status == {"good/all": "ok", "good/county": "ok", "bad/all": "failed"}
    failed = next(r for r in results if r.status == "failed")
    assert failed.failed_cell == 3  # parameters, injected parameters, then the failing cell
    assert 'RuntimeError: broken on purpose (in: raise RuntimeError("broken' in failed.error
    assert "answer 42 county" in (out / "good" / "county.ipynb").read_text()
    manifest = json.loads((out / "manifest.json").read_text())["runs"]
    assert manifest["bad/all"]["status"] == "failed"
    assert manifest["good/all"]["outputs"] == ["good/all.ipynb", "good/all.html"]
    assert not (out / "bad").exists()


def test_rerun_with_nothing_changed_is_all_cached_and_force_reruns(sections, tmp_path):
    out = tmp_path / "out"
    runs = batch.plan(sections=["good"], council_types=["all"])
    assert [r.status for r in batch.run_batch(runs, out)] == ["ok"]
    assert [r.status for r in batch.run_batch(batch.plan(["good"], ["all"]), out)] == ["cached"]
    assert [r.status for r in batch.run_batch(runs, out, force=True)] == ["ok"]


def test_changing_a_notebook_or_parameter_or_data_changes_only_its_runs_keys(sections, tmp_path):
    before = {r.name: r.key for r in batch.plan(council_types=["all"])}
    notebook(sections["good"], 'print("changed", scale)')
    after = {r.name: r.key for r in batch.plan(council_types=["all"])}
    assert after["good/all"] != before["good/all"]
    assert after["bad/all"] == before["bad/all"]
    with_param = batch.plan(sections=["good"], council_types=["all"], parameters={"scale": "5"})
    assert with_param[0].key != after["good/all"]
    moved = replace(catalogue.find("good"), reads=("reference",))
    assert batch.data_hash(moved.reads) != batch.data_hash(("published",))


def test_a_failed_rerun_keeps_the_last_good_output(sections, tmp_path):
    out = tmp_path / "out"
    batch.run_batch(batch.plan(["good"], ["all"]), out)
    page = (out / "good" / "all.html").read_bytes()
    notebook(sections["good"], 'raise ValueError("now broken")')
    results = batch.run_batch(batch.plan(["good"], ["all"]), out)
    assert results[0].status == "failed"
    assert (out / "good" / "all.html").read_bytes() == page
    entry = json.loads((out / "manifest.json").read_text())["runs"]["good/all"]
    assert entry["status"] == "failed"
    assert entry["outputs"] == ["good/all.ipynb", "good/all.html"]
    assert not [p for p in (out / "good").iterdir() if p.name.startswith(".")]


def test_same_inputs_give_byte_identical_outputs(sections, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    batch.run_batch(batch.plan(["good"], ["county"]), first)
    batch.run_batch(batch.plan(["good"], ["county"]), second)
    for suffix in (".ipynb", ".html"):
        assert (first / "good" / f"county{suffix}").read_bytes() == (
            second / "good" / f"county{suffix}"
        ).read_bytes()
    executed = json.loads((first / "good" / "county.ipynb").read_text())
    assert [c["id"] for c in executed["cells"]] == ["cell-000", "cell-001", "cell-002"]
    assert "start_time" not in json.dumps(executed)
    assert str(tmp_path) not in json.dumps(executed)


@pytest.mark.slow
def test_runs_on_a_dask_local_cluster(tmp_path):
    """The real evidence section on a real distributed LocalCluster (spawned workers)."""
    results = batch.run_batch(batch.plan(["evidence"]), tmp_path, jobs=1, scheduler="local")
    assert [r.status for r in results] == ["ok"]
    assert "The evidence base" in (tmp_path / "evidence" / "all.html").read_text()


def test_index_headlines_come_from_the_manifest_in_section_order(sections, tmp_path):
    from councildigital.sections.records import HEADLINE_MIME

    executed = {
        "metadata": {},
        "cells": [{"outputs": [{"data": {HEADLINE_MIME: {"label": "Old", "value": "7"}}}]}],
    }
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "county.ipynb").write_text(json.dumps(executed))
    manifest = {
        "bad/all": {"headlines": [{"label": "Bad", "value": "1", "synthetic": True}]},
        "good/all": {"headlines": [{"label": "Good", "value": "2", "synthetic": False}]},
        # Recorded before manifests kept headlines: read from the executed notebook.
        "good/county": {"outputs": ["good/county.ipynb", "good/county.html"]},
    }
    found = batch.headlines(tmp_path, manifest)
    assert [h["label"] for h in found["all"]] == ["Good", "Bad"]  # good is the first section
    assert found["county"] == [{"label": "Old", "value": "7", "synthetic": False}]


@pytest.mark.slow
def test_ctrl_c_stops_the_batch_its_workers_and_their_kernels(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    import psutil

    script = Path(sys.executable).parent / "councildigital"
    command = [str(script), "batch", "--sections", "vision"]
    command += ["--council-types", "all,county,district", "--jobs", "1", "--out", str(tmp_path)]

    def as_in_a_terminal() -> None:
        # A job started in the background (nohup, CI runners) inherits SIGINT ignored.
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    batch_process = subprocess.Popen(
        [*command, "--quiet"],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=as_in_a_terminal,
    )
    root = psutil.Process(batch_process.pid)
    deadline = time.monotonic() + 60
    while len(root.children(recursive=True)) < 3:  # worker, fork server, kernel
        assert time.monotonic() < deadline, "no kernel started within a minute"
        time.sleep(0.2)
    family = root.children(recursive=True)
    os.killpg(batch_process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    _, stderr = batch_process.communicate(timeout=30)
    assert batch_process.returncode == 130
    assert "interrupted: finished runs are recorded in the manifest" in stderr
    assert "Traceback" not in stderr
    _, alive = psutil.wait_procs(family, timeout=10)
    assert not alive, f"left running: {[p.cmdline()[:4] for p in alive]}"
    assert not [p for p in tmp_path.rglob(".*") if p.is_file()]  # no half-written file
