"""The batch runner: bad input refused up front, incremental, fault-tolerant, reproducible."""

import csv
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import notebook
from councildigital.pipeline import batch, catalogue
from councildigital.sections.records import ESTIMATE_COLUMNS, ESTIMATES_MIME

HEADER_LINE = ",".join(ESTIMATE_COLUMNS) + "\n"


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
    assert manifest["good/all"]["outputs"] == [
        "good/all.ipynb",
        "good/all.html",
        "good/all.estimates.csv",
        "good/all.disclosure.csv",
    ]
    # A page that shows no estimates still has its file: the header alone; and one that
    # hides nothing its disclosure audit file, the header alone.
    assert (out / "good" / "all.estimates.csv").read_text() == HEADER_LINE
    assert (out / "good" / "all.disclosure.csv").read_text() == "table,row,column,rule,reason\n"
    # The failed run leaves nothing; the site's placeholder says its page is not here.
    assert [p.name for p in (out / "bad").iterdir()] == ["all.html"]
    assert "This page is not in this output folder" in (out / "bad" / "all.html").read_text()


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
    assert entry["outputs"] == [
        "good/all.ipynb",
        "good/all.html",
        "good/all.estimates.csv",
        "good/all.disclosure.csv",
    ]
    assert (out / "good" / "all.estimates.csv").read_text() == HEADER_LINE
    assert not [p for p in (out / "good").iterdir() if p.name.startswith(".")]


def test_same_inputs_give_byte_identical_outputs(sections, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    batch.run_batch(batch.plan(["good"], ["county"]), first)
    batch.run_batch(batch.plan(["good"], ["county"]), second)
    for suffix in (".ipynb", ".html", ".estimates.csv", ".disclosure.csv"):
        assert (first / "good" / f"county{suffix}").read_bytes() == (
            second / "good" / f"county{suffix}"
        ).read_bytes()
    executed = json.loads((first / "good" / "county.ipynb").read_text())
    assert [c["id"] for c in executed["cells"]] == ["cell-000", "cell-001", "cell-002"]
    assert "start_time" not in json.dumps(executed)
    assert str(tmp_path) not in json.dumps(executed)


# --- what stands behind each number: the estimates file and the index's headlines -------------

ESTIMATING = """
from councildigital.sections import records

records.estimates([
    {"statistic": "Has a vision, <b>bold</b> (% yes)", "group": council_type,
     "value": 100 / 3, "ci_low": 20.125, "ci_high": None, "n": 12, "evidence": "bounded",
     "bound_low": 0.1 + 0.2, "bound_high": 40.0, "figure_id": "", "unit": "%",
     "within_bounds": True},
])
records.estimates([
    {"statistic": "Mean potential", "group": "all", "value": 3.25, "evidence": "assumed"},
])
records.headline("Bounded share", "33%", evidence="bounded", bound_low=20.0,
                 bound_high=40.0, range_text="20% to 40%")
records.headline("Illustrative mean", "3.25", evidence="assumed")
records.headline("Published cost", "£1m")
print("answer", council_type)
"""


def estimating(sections, tmp_path, types=("all", "county")):
    """A batch of the good section recording estimates and headlines: its output folder, runs."""
    notebook(sections["good"], ESTIMATING)
    out, runs = tmp_path / "out", batch.plan(["good"], list(types))
    assert [r.status for r in batch.run_batch(runs, out)] == ["ok"] * len(types)
    return out, runs


def test_each_page_has_the_estimates_it_recorded_in_a_file_beside_it(sections, tmp_path):
    out, _ = estimating(sections, tmp_path)
    text = (out / "good" / "county.estimates.csv").read_text()
    assert text.startswith(HEADER_LINE)
    assert "\r" not in text
    rows = list(csv.DictReader(text.splitlines()))
    blank = dict.fromkeys(ESTIMATE_COLUMNS, "")
    assert rows == [
        blank
        | {
            "statistic": "Has a vision, <b>bold</b> (% yes)",
            "group": "county",
            "value": repr(100 / 3),
            "ci_low": "20.125",
            "ci_high": "",
            "n": "12",
            "evidence": "bounded",
            "bound_low": repr(0.1 + 0.2),
            "bound_high": "40.0",
            "figure_id": "",
            "unit": "%",
            "within_bounds": "True",
        },
        blank
        | {"statistic": "Mean potential", "group": "all", "value": "3.25", "evidence": "assumed"},
    ]
    assert float(rows[0]["value"]) == 100 / 3 and float(rows[0]["bound_low"]) == 0.1 + 0.2
    everyone = list(csv.DictReader((out / "good" / "all.estimates.csv").read_text().splitlines()))
    assert [row["group"] for row in everyone] == ["all", "all"]


def test_the_estimates_are_not_on_the_page_but_its_file_is_linked(sections, tmp_path):
    out, _ = estimating(sections, tmp_path, types=("county",))
    html = (out / "good" / "county.html").read_text()
    assert ESTIMATES_MIME not in html
    assert "Mean potential" not in html and "Has a vision" not in html
    assert '<a href="county.estimates.csv">Estimates behind this page (CSV)</a>' in html
    assert "answer county" in html


def test_the_index_lists_findings_only_and_the_manifest_keeps_their_evidence(sections, tmp_path):
    out, _ = estimating(sections, tmp_path, types=("county",))
    index = (out / "index.html").read_text()
    assert (
        "Bounded share: <strong>33%</strong>"
        '<span class="cd-basis"> (the published figures allow 20% to 40%)</span></li>' in index
    )
    assert "Published cost: <strong>£1m</strong></li>" in index
    assert "Illustrative mean" not in index
    manifest = json.loads((out / "manifest.json").read_text())["runs"]
    assert [(h["label"], h.get("evidence")) for h in manifest["good/county"]["headlines"]] == [
        ("Bounded share", "bounded"),
        ("Illustrative mean", "assumed"),
        ("Published cost", None),
    ]
    assert manifest["good/county"]["headlines"][0]["range_text"] == "20% to 40%"


def test_a_cached_run_keeps_its_estimates_file_and_a_lost_one_is_written_again(sections, tmp_path):
    out, runs = estimating(sections, tmp_path, types=("county",))
    table = out / "good" / "county.estimates.csv"
    written, stamp = table.read_bytes(), table.stat().st_mtime_ns
    assert [r.status for r in batch.run_batch(runs, out)] == ["cached"]
    assert table.stat().st_mtime_ns == stamp
    table.unlink()
    assert [r.status for r in batch.run_batch(runs, out)] == ["ok"]
    assert table.read_bytes() == written


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
    assert found["county"] == [
        {"label": "Old", "value": "7", "synthetic": False, "section": "good"}
    ]


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


def test_kernels_share_one_store_of_bounds_beside_the_batchs_data(tmp_path, monkeypatch):
    page = notebook(
        tmp_path / "where.py", 'import os\nprint("bounds at", os.environ["COUNCILDIGITAL_BOUNDS"])'
    )
    registry = (catalogue.Section("where", str(page), "Where", reads=("published",)),)
    monkeypatch.setattr(catalogue, "SECTIONS", registry)
    out = tmp_path / "out"
    assert [r.status for r in batch.run_batch(batch.plan(council_types=["all"]), out)] == ["ok"]
    store = out / ".cache" / "bounds"
    assert f"bounds at {store}" in (out / "where" / "all.ipynb").read_text()


def test_the_workers_imports_are_done_once_in_the_batch_before_it_forks_them(
    sections, tmp_path, monkeypatch
):
    (tmp_path / "imported_once.py").write_text(
        "import os\n"
        f"with open({str(tmp_path / 'importers')!r}, 'a') as out:\n"
        "    out.write(f'{os.getpid()}\\n')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(batch, "WORKER_MODULES", ("imported_once",))
    results = batch.run_batch(batch.plan(["good"], ["all", "wales"]), tmp_path / "out", jobs=2)
    assert [r.status for r in results] == ["ok", "ok"]
    assert (tmp_path / "importers").read_text().split() == [str(os.getpid())]


def test_each_sections_first_run_starts_before_the_other_runs(tmp_path, monkeypatch):
    """So that what a section's pages share is made once, by its first page, not by two
    of its pages started side by side."""
    log = tmp_path / "started"
    registry = tuple(
        catalogue.Section(
            code,
            str(
                notebook(
                    tmp_path / f"{code}.py",
                    f"with open({str(log)!r}, 'a') as out:\n"
                    f"    out.write(f'{code}/{{council_type}}\\n')",
                )
            ),
            code.title(),
            reads=("published",),
        )
        for code in ("first", "second")
    )
    monkeypatch.setattr(catalogue, "SECTIONS", registry)
    runs = batch.plan(council_types=["all", "wales", "county"])
    assert [r.name for r in runs][:2] == ["first/all", "first/wales"]
    results = batch.run_batch(runs, tmp_path / "out", jobs=1)
    assert [r.status for r in results] == ["ok"] * 6
    assert log.read_text().split() == [
        "first/all",
        "second/all",
        "first/wales",
        "first/county",
        "second/wales",
        "second/county",
    ]
