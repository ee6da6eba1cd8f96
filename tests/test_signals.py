"""A batch ended by a signal, even SIGKILL, leaves no worker, fork server or kernel running."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest
from conftest import left_after, running

MARK = "COUNCILDIGITAL_TEST_BATCH"  # inherited by every process the batch starts


# --- a real batch, killed ----------------------------------------------------------------------


def start_batch(out: Path) -> tuple[subprocess.Popen, str]:
    """A two-worker batch that is running kernels; returns it and the mark of its processes."""
    script = Path(sys.executable).parent / "councildigital"
    command = [str(script), "batch", "--sections", "vision", "--quiet", "--out", str(out)]
    command += ["--council-types", "all,county,district", "--jobs", "2"]
    mark = uuid.uuid4().hex
    batch_process = subprocess.Popen(
        command,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, MARK: mark},
    )
    root = psutil.Process(batch_process.pid)
    deadline = time.monotonic() + 60
    while len(root.children(recursive=True)) < 5:  # two workers, two fork servers, a kernel
        assert time.monotonic() < deadline, "no kernel started within a minute"
        time.sleep(0.1)
    return batch_process, mark


def marked(mark: str) -> list[psutil.Process]:
    """Every process the batch started, however orphaned (kernels lead their own sessions)."""
    found = []
    for process in psutil.process_iter():
        with contextlib.suppress(psutil.Error):
            if process.environ().get(MARK) == mark:
                found.append(process)
    return found


@contextlib.contextmanager
def killed_after(mark: str):
    """Whatever a failing test leaves running is killed, not left to the next test."""
    try:
        yield
    finally:
        for process in running(marked(mark)):
            process.kill()


def described(processes: list[psutil.Process]) -> list[str]:
    return [" ".join(p.cmdline()[1:4]) for p in processes]


@pytest.mark.slow
def test_sigkill_of_the_batch_ends_its_workers_fork_servers_and_kernels(tmp_path):
    batch_process, mark = start_batch(tmp_path)
    with killed_after(mark):
        family = [p for p in marked(mark) if p.pid != batch_process.pid]
        os.kill(batch_process.pid, signal.SIGKILL)
        _, stderr = batch_process.communicate(timeout=10)  # all of them held its stderr
        left = left_after(family + marked(mark), timeout=10)
        assert not left, f"left running: {described(left)}"
        # The kernels were killed with their server, not found orphaned a second later.
        assert "Parent appears to have exited" not in stderr


@pytest.mark.slow
def test_sigterm_stops_the_batch_as_ctrl_c_does(tmp_path):
    batch_process, mark = start_batch(tmp_path)
    with killed_after(mark):
        os.kill(batch_process.pid, signal.SIGTERM)  # what `kill`, systemd and docker send
        _, stderr = batch_process.communicate(timeout=30)
        assert batch_process.returncode == 128 + signal.SIGTERM
        assert "terminated: finished runs are recorded in the manifest" in stderr
        assert "Traceback" not in stderr
        left = left_after(marked(mark), timeout=10)
        assert not left, f"left running: {described(left)}"
        assert not [p for p in tmp_path.rglob(".*") if p.is_file()]  # no half-written file
