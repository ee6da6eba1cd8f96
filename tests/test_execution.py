"""Executing and writing pages (pipeline.execution): normalised outputs, atomic writes, modes.

No notebook is executed here: papermill runs are tested through the batch
(test_batch.py, test_kernels.py); these are the steps around them.
"""

import errno
import os
import stat
from pathlib import Path

import nbformat
import pytest
from conftest import notebook
from councildigital.pipeline import catalogue, execution


def test_read_notebook_reads_the_sections_script_as_a_notebook(tmp_path):
    path = notebook(tmp_path / "tiny.py", 'print("hello")')
    read = execution.read_notebook(catalogue.Section("tiny", str(path), "Tiny"))
    assert [c.cell_type for c in read.cells] == ["code", "code"]
    assert read.cells[0].metadata["tags"] == ["parameters"]
    assert read.cells[0].source == 'council_type = "all"\nscale = 2'
    assert read.cells[1].source == 'print("hello")'
    assert read.metadata["kernelspec"]["name"] == execution.KERNEL_NAME


def test_every_report_notebook_reads_with_one_parameters_cell_in_the_projects_kernel():
    for sec in catalogue.SECTIONS:
        read = execution.read_notebook(sec)
        tagged = [c for c in read.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, sec.code
        assert "council_type" in tagged[0].source, sec.code
        assert read.metadata["kernelspec"]["name"] == execution.KERNEL_NAME, sec.code


def executed_notebook() -> nbformat.NotebookNode:
    """A notebook as papermill leaves it: random ids, timestamps, paths and durations."""
    cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell(
            "print(1)",
            outputs=[nbformat.v4.new_output("stream", name="stdout", text="1\n")],
        ),
    ]
    for cell in cells:
        cell.metadata["papermill"] = {"status": "completed", "duration": 0.5}
        cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
        cell.metadata["tags"] = ["kept"]
    book = nbformat.v4.new_notebook(cells=cells)
    book.metadata["papermill"] = {
        "input_path": "/home/someone/notebooks/01_vision.ipynb",
        "output_path": "/home/someone/out.ipynb",
        "start_time": "2026-01-01T00:00:00",
        "end_time": "2026-01-01T00:00:09",
        "duration": 9.0,
        "environment_variables": {"HOME": "/home/someone"},
        "parameters": {"council_type": "county"},
    }
    return book


def test_normalise_drops_what_changes_between_runs_and_keeps_the_rest():
    normal = execution.normalise(executed_notebook())
    assert normal.metadata["papermill"] == {"parameters": {"council_type": "county"}}
    assert [c["id"] for c in normal.cells] == ["cell-000", "cell-001"]
    assert [dict(c.metadata) for c in normal.cells] == [{"tags": ["kept"]}, {"tags": ["kept"]}]
    assert normal.cells[1].outputs[0]["text"] == "1\n"


def test_normalise_is_idempotent_and_the_same_for_two_runs():
    once = execution.normalise(executed_notebook())
    again = execution.normalise(execution.normalise(executed_notebook()))
    assert nbformat.writes(once) == nbformat.writes(again)


def test_normalise_joins_list_outputs_and_names_each_outputs_tables_apart():
    html = ['<table id="T_ab12c">', "</table>"]
    cell = nbformat.v4.new_code_cell(
        outputs=[
            nbformat.v4.new_output("display_data", data={"text/html": html}),
            nbformat.v4.new_output("display_data", data={"text/html": '<p id="T_ab12c">'}),
        ]
    )
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("x"), cell])
    outputs = execution.normalise(book).cells[1].outputs
    assert outputs[0]["data"]["text/html"] == '<table id="T_c1o0t0"></table>'
    assert outputs[1]["data"]["text/html"] == '<p id="T_c1o1t0">'


def test_pandas_styler_random_table_ids_are_made_stable():
    html = '<style>#T_3fa9c_row0_col0 {color: red}</style><table id="T_3fa9c"></table>'
    plain = "<pandas.io.formats.style.Styler at 0x7f3a2c1b9d50>"
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                outputs=[
                    nbformat.v4.new_output(
                        "display_data", data={"text/html": html, "text/plain": plain}
                    )
                ]
            )
        ]
    )
    data = execution.normalise(notebook).cells[0].outputs[0]["data"]
    assert data["text/html"] == (
        '<style>#T_c0o0t0_row0_col0 {color: red}</style><table id="T_c0o0t0"></table>'
    )
    assert data["text/plain"] == "<pandas.io.formats.style.Styler>"


# --- writing -------------------------------------------------------------------------------


def test_new_file_mode_follows_the_umask():
    old = os.umask(0o027)
    try:
        assert execution.new_file_mode() == 0o640
        assert execution.new_file_mode(directory=True) == 0o750
    finally:
        os.umask(old)
    assert os.umask(old) == old  # the umask is left as it was


def test_atomic_write_creates_folders_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "new" / "folder" / "page.html"
    execution.atomic_write(target, "<p>café</p>")
    assert target.read_bytes() == "<p>café</p>".encode()
    assert stat.S_IMODE(target.stat().st_mode) == execution.new_file_mode()
    assert [p.name for p in target.parent.iterdir()] == ["page.html"]


def test_atomic_write_replaces_an_existing_file(tmp_path):
    target = tmp_path / "page.html"
    target.write_text("old")
    target.chmod(0o600)
    execution.atomic_write(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == execution.new_file_mode()
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_a_failed_write_names_the_target_and_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    target.write_text("old")

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(OSError) as caught:
        execution.atomic_write(target, "new")
    assert caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(target)
    monkeypatch.undo()
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_write_together_writes_every_file(tmp_path):
    first, second = tmp_path / "a.ipynb", tmp_path / "sub" / "a.html"
    first.write_text("old notebook")
    execution.write_together([(first, "new notebook"), (second, "new page")])
    assert (first.read_text(), second.read_text()) == ("new notebook", "new page")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.html", "a.ipynb", "sub"]


def test_write_together_replaces_every_file_or_none(tmp_path, monkeypatch):
    first, second = tmp_path / "a.ipynb", tmp_path / "a.html"
    first.write_text("old notebook")
    real_replace = os.replace

    def fail_on_second(source, target, *args, **kwargs):
        if Path(target) == second:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(execution.os, "replace", fail_on_second)
    with pytest.raises(OSError, match=r"a\.html"):
        execution.write_together([(first, "new notebook"), (second, "new page")])
    assert first.read_text() == "old notebook"
    assert not second.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ipynb"]


def test_write_together_puts_back_every_old_file_when_a_later_rename_fails(tmp_path, monkeypatch):
    first, second = tmp_path / "a.ipynb", tmp_path / "a.html"
    first.write_text("old notebook")
    second.write_text("old page")
    real_replace = os.replace
    failed = []

    def fail_on_second(source, target, *args, **kwargs):
        if Path(target) == second and not failed:  # the new page; putting the old back works
            failed.append(source)
            raise OSError(errno.EIO, "Input/output error")
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(execution.os, "replace", fail_on_second)
    with pytest.raises(OSError, match=r"a\.html"):
        execution.write_together([(first, "new notebook"), (second, "new page")])
    assert (first.read_text(), second.read_text()) == ("old notebook", "old page")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "a.ipynb"]
