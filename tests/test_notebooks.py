"""Every report section, as researchers and the batch meet it.

- Every section runs for every council type, without errors or warnings in its outputs, on the
  embedded data and on a second, differently seeded synthetic dataset (nothing hard-coded).
- Every notebook opens as a notebook through a real Jupyter server's contents API (jupytext),
  the path a researcher takes in JupyterLab.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from councildigital.data import survey
from councildigital.paths import NOTEBOOKS_DIR, REPO_ROOT
from councildigital.pipeline import batch, catalogue, execution, parameters

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def _problems_in_outputs(path: Path) -> list[str]:
    """Error outputs, anything written to stderr, and warnings printed in any output."""
    problems = []
    executed = nbformat.read(path, as_version=4)
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                problems.append(f"{path.name} {cell.id}: error {output.get('ename')}")
            elif output.get("name") == "stderr":
                problems.append(f"{path.name} {cell.id}: stderr {output.get('text', '')[:200]}")
            text = json.dumps(output.get("data", {})) + output.get("text", "")
            if "Warning:" in text:
                problems.append(f"{path.name} {cell.id}: a warning in the output")
    return problems


def _run_all(out: Path, **plan_options) -> list[batch.Result]:
    return batch.run_batch(batch.plan(**plan_options), out, jobs=2)


def _check(results: list[batch.Result], out: Path) -> None:
    failed = {r.name: r.error for r in results if r.status == "failed"}
    assert failed == {}
    problems = []
    for result in results:
        problems += _problems_in_outputs(out / result.outputs[0])
    assert problems == []


def test_every_section_for_every_council_type_on_the_embedded_data(executed_site):
    out, results = executed_site
    expected = sum(
        len(survey.council_type_choices()) if s.per_council_type else 1 for s in catalogue.SECTIONS
    )
    assert len(results) == expected
    _check(list(results.values()), out)


def test_survey_sections_on_a_differently_seeded_reconstruction(tmp_path):
    other = tmp_path / "seed2.csv"
    subprocess.run(
        [BIN / "councildigital", "reconstruct", "--seed", "2", "--out", str(other)],
        check=True,
        capture_output=True,
    )
    sections = [
        s.code
        for s in catalogue.SECTIONS
        if "data_path" in parameters.declared(s.path.read_text(encoding="utf-8"))
        and "synthetic" in s.reads
    ]
    assert sections, "no section reads respondent data"
    results = _run_all(tmp_path / "out", sections=sections, data_path=other)
    _check(results, tmp_path / "out")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def jupyter_server(tmp_path_factory):
    """A real Jupyter server on loopback with jupytext's contents manager, rooted as ``make lab``.

    The root is a copy of the project's jupytext.toml and notebooks/: jupytext reads its
    configuration only inside the server's root, and a copy lets a test save through the server
    without touching the tracked notebooks.
    """
    port, token = _free_port(), secrets.token_hex(16)
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    project = tmp_path_factory.mktemp("project")
    shutil.copy2(REPO_ROOT / "jupytext.toml", project / "jupytext.toml")
    shutil.copytree(NOTEBOOKS_DIR, project / "notebooks", ignore=shutil.ignore_patterns("*.ipynb"))
    server = subprocess.Popen(
        [
            BIN / "jupyter",
            "server",
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={project}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("the Jupyter server did not start within 60 s")
            time.sleep(0.5)
    yield base, token, project
    server.terminate()
    server.wait(timeout=30)


@pytest.mark.parametrize("sec", catalogue.SECTIONS, ids=lambda s: s.code)
def test_each_notebook_opens_as_a_notebook_through_the_jupyter_contents_api(jupyter_server, sec):
    base, token, _ = jupyter_server
    url = f"{base}/api/contents/notebooks/{sec.notebook}?type=notebook&content=1&token={token}"
    with urllib.request.urlopen(url, timeout=30) as response:
        model = json.load(response)
    assert model["type"] == "notebook"
    cells = model["content"]["cells"]
    tagged = [c for c in cells if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters' (papermill)"
    assert "council_type" in "".join(tagged[0]["source"])
    assert model["content"]["metadata"]["kernelspec"]["name"] == execution.KERNEL_NAME


@pytest.mark.parametrize("sec", catalogue.SECTIONS, ids=lambda s: s.code)
def test_saving_from_lab_leaves_each_notebook_byte_identical(jupyter_server, sec):
    """Open then save through the contents API, as JupyterLab does: no volatile metadata added."""
    base, token, copy = jupyter_server
    url = f"{base}/api/contents/notebooks/{sec.notebook}?token={token}"
    with urllib.request.urlopen(f"{url}&type=notebook&content=1", timeout=30) as response:
        model = json.load(response)
    body = json.dumps({"type": "notebook", "format": "json", "content": model["content"]})
    request = urllib.request.Request(url, data=body.encode(), method="PUT")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
    saved = copy / "notebooks" / sec.notebook
    assert saved.read_bytes() == (NOTEBOOKS_DIR / sec.notebook).read_bytes()
    assert saved.with_suffix(".ipynb").exists(), "saved with its paired .ipynb"


def test_lab_opens_py_notebooks_with_jupytext(jupyter_server):
    """The set-up installs Lab's default viewer for .py files: a double click opens a notebook."""
    base, token, _ = jupyter_server
    overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings = json.loads(overrides.read_text())
    viewers = settings["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["python"] == "Jupytext Notebook"
    # That is the name of the viewer the installed jupytext extension registers...
    extension = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "jupyterlab-jupytext"
    assert any('FACTORY="Jupytext Notebook"' in js.read_text() for js in extension.rglob("*.js"))
    # ...and Lab serves it as the default.
    url = f"{base}/lab/api/settings/@jupyterlab/docmanager-extension:plugin?token={token}"
    with urllib.request.urlopen(url, timeout=30) as response:
        schema = json.load(response)["schema"]
    assert schema["properties"]["defaultViewers"]["default"]["python"] == "Jupytext Notebook"
