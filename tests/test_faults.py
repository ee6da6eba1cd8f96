"""The batch under bad input, faults and concurrency: nothing wrong, nothing lost."""

import errno
import hashlib
import json
import multiprocessing
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import notebook
from councildigital.cli import main
from councildigital.data.microdata import DEFAULT_PATH
from councildigital.paths import DATA_DIR, PACKAGE_DIR
from councildigital.pipeline import batch, catalogue, execution, snapshot

LOADS_DATA = """from councildigital.sections.page import load_page
data = load_page(council_type, data_path)
print("respondents", len(data.all), data.microdata.path.name)"""


@pytest.fixture
def data_section(tmp_path, monkeypatch):
    """A tiny section that loads respondent data as the real ones do."""
    path = notebook(
        tmp_path / "reads.py",
        LOADS_DATA,
        parameters='council_type = "all"\ndata_path = None\n',
    )
    registry = (catalogue.Section("reads", str(path), "Reads", reads=("published", "synthetic")),)
    monkeypatch.setattr(catalogue, "SECTIONS", registry)
    return path


def plan_error(**kwargs) -> str:
    with pytest.raises(batch.BatchInputError) as caught:
        batch.plan(**kwargs)
    return str(caught.value)


# --- 1. no run computes something other than what it is named ---------------------------------


@pytest.mark.parametrize(
    "name, option", [("council_type", "--council-types"), ("data_path", "--data PATH")]
)
def test_parameters_the_batch_sets_cannot_be_overridden(sections, tmp_path, name, option):
    message = plan_error(parameters={name: "county"}, out_dir=tmp_path)
    assert f"parameter {name!r} cannot be set with -p" in message
    assert option in message


# --- 2. every value checked before any kernel starts, with its range --------------------------


@pytest.mark.parametrize(
    "section, name, value, expected",
    [
        ("vision", "min_base", "0", "a whole number from 1 to"),
        ("vision", "min_base", "-3", "a whole number from 1 to"),
        ("vision", "min_base", "2.5", "a whole number from 1 to"),
        ("vision", "weighting", "heavy", "must be one of none, council_type; got 'heavy'"),
        ("future_councils_costs", "draws", "0", "a whole number from 1 to 10,000,000"),
        ("future_councils_costs", "draws", "1e12", "a whole number from 1 to 10,000,000"),
        ("future_councils_costs", "seed", "-1", "a whole number from 0 to"),
        ("future_councils_costs", "seed", "abc", "a whole number from 0 to"),
        ("future_councils_costs", "legacy_share", "150", "legacy_share must be"),
        ("future_councils_costs", "it_spend", "[5, 1]", "low must not be above high"),
        ("future_councils_costs", "it_spend", "lots", "a number, [low, high]"),
    ],
)
def test_bad_parameter_values_are_refused_with_the_valid_range(
    tmp_path, section, name, value, expected
):
    message = plan_error(
        sections=[section], council_types=["all"], parameters={name: value}, out_dir=tmp_path
    )
    assert expected in message


def test_good_values_are_converted_once_for_the_kernel(tmp_path):
    [run] = batch.plan(
        ["future_councils_costs"],
        ["county"],
        parameters={"draws": "1_000", "seed": "7", "it_spend": "[1e6, 2e6]"},
        out_dir=tmp_path,
    )
    assert run.parameters["draws"] == 1000
    assert run.parameters["seed"] == 7
    assert run.parameters["it_spend"] == [1e6, 2e6]


def test_an_unreachable_scheduler_is_a_clear_error(sections, tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "SCHEDULER_TIMEOUT_S", 2)
    result = CliRunner().invoke(
        main,
        ["batch", "--sections", "good", "--scheduler", "tcp://127.0.0.1:9", "--out", str(tmp_path)],
    )
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 2 s" in result.output
    assert "Traceback" not in result.output


def test_an_invalid_reference_file_is_refused_up_front(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    counts = data / "reference" / "council_counts.csv"
    lines = counts.read_text(encoding="utf-8").splitlines()
    fields = lines[2].split(",")
    fields[1] = "-4"
    lines[2] = ",".join(fields)
    counts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(batch, "DATA_DIR", data)
    message = plan_error(sections=["future_councils_costs"], out_dir=tmp_path / "out")
    assert "council_counts.csv" in message
    assert "line 3, column 'councils'" in message
    assert "greater_than" not in message


# --- 3. data given with --data only, relative to where the command runs ------------------------


def test_a_relative_data_path_is_read_from_the_working_directory(
    data_section, tmp_path, monkeypatch
):
    here = tmp_path / "work"
    here.mkdir()
    shutil.copy(DEFAULT_PATH, here / "mine.csv")
    monkeypatch.chdir(here)
    [run] = batch.plan(council_types=["all"], data_path=Path("mine.csv"), out_dir=tmp_path / "o")
    assert run.parameters["data_path"] == "sha256:" + run.inputs["user_data"]
    assert run.inputs["data_file"] == "mine.csv"


@pytest.mark.parametrize("path", ["/etc/passwd", "../../../../../../etc/passwd", "/etc"])
def test_a_file_that_is_not_microdata_is_refused_plainly(data_section, tmp_path, path):
    message = plan_error(data_path=Path(path), out_dir=tmp_path)
    assert "passwd" in message or "is a directory, not a file" in message
    assert "Traceback" not in message


# --- 5. the key covers everything that shapes a page ------------------------------------------


def test_the_library_hash_covers_templates_and_other_package_files(tmp_path, monkeypatch):
    package = tmp_path / "councildigital"
    shutil.copytree(PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(batch, "PACKAGE_DIR", package)
    before = batch.library_hash()
    template = package / "pipeline" / "templates" / "councildigital" / "index.html.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert batch.library_hash() != before


def test_a_published_folder_parameter_is_checked_read_once_and_keyed(tmp_path):
    folder = tmp_path / "published"
    shutil.copytree(DATA_DIR / "published", folder)
    out = tmp_path / "out"
    [first] = batch.plan(["evidence"], parameters={"published_dir": str(folder)}, out_dir=out)
    figures = folder / "essay2025.csv"
    figures.write_text(
        figures.read_text(encoding="utf-8").replace("a decade of", "a Decade of", 1),
        encoding="utf-8",
    )
    [second] = batch.plan(["evidence"], parameters={"published_dir": str(folder)}, out_dir=out)
    assert first.key != second.key
    stored = snapshot.folder(first.parameters["published_dir"], first.snapshots)
    assert str(folder) not in json.dumps(first.parameters)
    assert (stored / "essay2025.csv").read_bytes() != figures.read_bytes()  # as it was read
    figures.write_text("id,document\nbroken\n", encoding="utf-8")
    message = plan_error(
        sections=["evidence"], parameters={"published_dir": str(folder)}, out_dir=out
    )
    assert str(figures) in message


def test_the_data_file_is_read_once_pages_use_what_was_read(data_section, tmp_path):
    mine = tmp_path / "mine.csv"
    shutil.copy(DEFAULT_PATH, mine)
    read = hashlib.sha256(mine.read_bytes()).hexdigest()
    out = tmp_path / "out"
    runs = batch.plan(council_types=["all", "county"], data_path=mine, out_dir=out)
    # The file changes while the batch runs: every page still reads the bytes the key names.
    lines = mine.read_text(encoding="utf-8").splitlines()
    mine.write_text("\n".join(lines[:11]) + "\n", encoding="utf-8")
    results = batch.run_batch(runs, out, jobs=2)
    assert [r.status for r in results] == ["ok", "ok"]
    for name in ("all", "county"):
        text = (out / "reads" / f"{name}.ipynb").read_text(encoding="utf-8")
        assert "respondents 78 mine.csv" in text
    assert {r.inputs["user_data"] for r in results} == {read}
    assert batch.plan(council_types=["all"], data_path=mine, out_dir=out)[0].key != runs[0].key


def test_known_bytes_are_only_hashed_not_copied_again(data_section, tmp_path, monkeypatch):
    mine = tmp_path / "mine.csv"
    shutil.copy(DEFAULT_PATH, mine)
    out = tmp_path / "out"
    batch.plan(council_types=["all"], data_path=mine, out_dir=out)
    copies = []
    monkeypatch.setattr(snapshot, "_copy_hashing", lambda *args: copies.append(args))
    [run] = batch.plan(council_types=["all"], data_path=mine, out_dir=out)
    assert copies == []
    assert run.inputs["user_data"] == hashlib.sha256(mine.read_bytes()).hexdigest()


# --- 6. a write failure fails that run, not the batch -----------------------------------------


def test_a_write_failure_fails_only_its_run_and_keeps_the_last_good_pair(
    sections, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    batch.run_batch(batch.plan(["good"], ["all", "county"], out_dir=out), out)
    before = {p.name: p.read_bytes() for p in (out / "good").iterdir()}
    notebook(sections["good"], 'print("new version", council_type)')
    real_replace = os.replace
    failed = []

    def full_disk(source, target, *args, **kwargs):
        if str(target).endswith("county.html") and not failed:  # once: putting back works
            failed.append(target)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(execution.os, "replace", full_disk)  # workers are forked: they see it too
    results = {
        r.name: r
        for r in batch.run_batch(batch.plan(["good"], ["all", "county"], out_dir=out), out)
    }
    assert results["good/all"].status == "ok"
    assert results["good/county"].status == "failed"
    assert results["good/county"].error == "no space left on device writing out/good/county.html"
    assert (out / "good" / "county.ipynb").read_bytes() == before["county.ipynb"]
    assert (out / "good" / "county.html").read_bytes() == before["county.html"]
    assert "new version all" in (out / "good" / "all.ipynb").read_text(encoding="utf-8")
    assert not [p for p in out.rglob(".*") if p.is_file()]


def test_temporary_files_of_a_killed_batch_are_swept_and_nothing_else(sections, tmp_path):
    out = tmp_path / "out"
    (out / "good").mkdir(parents=True)
    left = [out / "good" / ".all.html.k3j_x9q2", out / ".manifest.json.a1b2c3d4"]
    for path in left:
        path.write_text("half a page")
    keep = out / "good" / ".gitkeep"
    keep.write_text("")
    batch.run_batch(batch.plan(["good"], ["all"], out_dir=out), out)
    assert not any(path.exists() for path in left)
    assert keep.exists()


def test_a_manifest_that_cannot_be_written_is_reported_after_the_runs(
    sections, tmp_path, monkeypatch
):
    out = tmp_path / "out"

    def failing(out_dir, entries):
        raise OSError(errno.ENOSPC, "No space left on device", str(out_dir / "manifest.json"))

    monkeypatch.setattr(batch, "write_manifest", failing)
    with pytest.raises(batch.BatchWriteError) as caught:
        batch.run_batch(batch.plan(["good"], ["all"], out_dir=out), out)
    assert "no space left on device writing out/manifest.json" in str(caught.value)
    assert [r.status for r in caught.value.results] == ["ok"]


# --- 7. concurrent batches on one folder lose nothing -----------------------------------------


def _batch_in_child(types, out, waits) -> None:
    runs = batch.plan(["good"], types, out_dir=out)
    batch.run_batch(runs, out, jobs=1, notify=lambda message: waits.put(message))


def test_two_batches_at_once_keep_every_run(sections, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    fork = multiprocessing.get_context("fork")
    waits = fork.Queue()
    halves = (["all", "county", "district"], ["unitary", "wales", "scotland"])
    children = [fork.Process(target=_batch_in_child, args=(h, out, waits)) for h in halves]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=300)
    assert [c.exitcode for c in children] == [0, 0]
    manifest = batch.load_manifest(out)
    assert sorted(manifest) == sorted(f"good/{t}" for h in halves for t in h)
    messages = []
    while not waits.empty():
        messages.append(waits.get())
    assert any("waiting for another batch" in m for m in messages)


# --- 8. the manifest is never silently discarded ----------------------------------------------


@pytest.fixture
def finished(sections, tmp_path):
    out = tmp_path / "out"
    batch.run_batch(batch.plan(["good"], ["all", "county", "district"], out_dir=out), out)
    return out


@pytest.mark.parametrize("broken", ["", '{"runs": {"good/all": {"key"', "[]", "null", "\xff"])
def test_a_broken_manifest_is_recovered_and_named(finished, broken):
    manifest = finished / "manifest.json"
    good = batch.load_manifest(finished)
    manifest.write_bytes(broken.encode("latin-1"))
    messages = []
    recovered = batch.load_manifest(finished, messages.append)
    assert {k: v["key"] for k, v in recovered.items()} == {k: v["key"] for k, v in good.items()}
    assert f"{manifest} cannot be read" in messages[0]
    assert "recovered 3 run(s) from the last good manifest" in messages[1]
    assert (finished / ".cache" / "manifest.unreadable.json").read_bytes() == manifest.read_bytes()


def test_without_manifest_or_backup_the_pages_on_disk_are_recovered(finished, sections):
    (finished / "manifest.json").write_text("[]")
    (finished / ".cache" / "manifest.backup.json").unlink()
    messages = []
    recovered = batch.load_manifest(finished, messages.append)
    assert sorted(recovered) == ["good/all", "good/county", "good/district"]
    assert "recovered 3 run(s) from the pages" in messages[-1]
    # Recovered with their keys: a re-run finds them up to date.
    again = batch.run_batch(
        batch.plan(["good"], ["all", "county", "district"], out_dir=finished), finished
    )
    assert [r.status for r in again] == ["cached"] * 3


def test_the_cli_says_what_it_recovered(finished, sections):
    (finished / "manifest.json").write_text("null")
    result = CliRunner().invoke(
        main, ["batch", "--sections", "good", "--council-types", "all", "--out", str(finished)]
    )
    assert result.exit_code == 0
    assert "cannot be read" in result.output
    assert "1 runs: 0 ran, 1 cached, 0 failed" in result.output


# --- 10. files are servable --------------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="reading as another user needs root to switch user")
def test_published_files_are_readable_by_another_user(sections):
    out = Path(tempfile.mkdtemp(prefix="councildigital-serve-"))
    try:
        out.chmod(0o755)
        old = os.umask(0o022)
        try:
            batch.run_batch(batch.plan(["good"], ["all"], out_dir=out), out)
        finally:
            os.umask(old)
        published = [p for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts]
        assert {stat.S_IMODE(p.stat().st_mode) for p in published} == {0o644}
        for page in ("index.html", "good/all.html", "manifest.json"):
            done = subprocess.run(
                ["cat", str(out / page)], user=65534, group=65534, capture_output=True, check=False
            )
            assert done.returncode == 0, done.stderr
    finally:
        shutil.rmtree(out)


# --- 11. no machine paths in what is published -------------------------------------------------


def test_pages_name_the_data_file_and_its_hash_not_its_path(data_section, tmp_path):
    folder = tmp_path / "secret-machine-folder"
    folder.mkdir()
    shutil.copy(DEFAULT_PATH, folder / "mine.csv")
    out = tmp_path / "out"
    [result] = batch.run_batch(
        batch.plan(council_types=["all"], data_path=folder / "mine.csv", out_dir=out), out
    )
    assert result.status == "ok"
    for path in (out / "reads" / "all.html", out / "reads" / "all.ipynb", out / "manifest.json"):
        text = path.read_text(encoding="utf-8")
        assert "secret-machine-folder" not in text, path
        assert result.inputs["user_data"] in text, path
    assert "mine.csv" in (out / "reads" / "all.html").read_text(encoding="utf-8")


# --- 12. one clear error for a missing set-up --------------------------------------------------


def test_an_unregistered_kernel_is_one_clear_error_before_any_run(sections, tmp_path, monkeypatch):
    monkeypatch.setattr(execution, "KERNEL_NAME", "councildigital-not-registered")
    out = tmp_path / "out"
    with pytest.raises(batch.BatchInputError, match="ipykernel install --sys-prefix"):
        batch.run_batch(batch.plan(["good"], ["all", "county"], out_dir=out), out)
    assert not (out / "good").exists()


# --- also: progress counts ------------------------------------------------------------------


def test_progress_counts_add_up(sections, tmp_path):
    seen = []
    out = tmp_path / "out"
    batch.run_batch(batch.plan(["good"], ["all"], out_dir=out), out)
    runs = batch.plan(["good"], ["all", "county"], out_dir=out)
    batch.run_batch(runs, out, progress=lambda result, counts: seen.append(dict(counts)))
    assert [c["ran"] + c["cached"] for c in seen] == [1, 2]
    assert seen[-1] == {"ran": 1, "running": 0, "failed": 0, "cached": 1, "total": 2}
