"""The fork server (pipeline.forkserver): what it preloads, when it refuses to fork, how it ends.

Its kernels are tested through the batch in test_kernels.py; here the server is
run as the kernels' client runs it, a process with two pipes, and its helpers
in this process.
"""

import json
import os
import subprocess
import sys

import psutil
import pytest
from conftest import left_after
from councildigital.pipeline import forkserver

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the fork server is Linux only"
)

SERVER = [sys.executable, "-m", "councildigital.pipeline.forkserver"]


# --- preload -------------------------------------------------------------------------------


def test_preload_imports_what_it_can_and_reports_what_failed_and_why(monkeypatch, tmp_path):
    (tmp_path / "broken_on_import_h6.py").write_text("raise RuntimeError('no database here')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    imported, skipped = forkserver.preload(
        ["json", "no_such_module_h6", "broken_on_import_h6", "councildigital.paths"]
    )
    assert imported == ["json", "councildigital.paths"]
    assert skipped == [
        "no_such_module_h6: ModuleNotFoundError: No module named 'no_such_module_h6'",
        "broken_on_import_h6: RuntimeError: no database here",
    ]


def test_preload_chooses_the_inline_backend_a_kernel_would(monkeypatch):
    monkeypatch.delenv("MPLBACKEND", raising=False)
    assert forkserver.preload([]) == ([], [])
    assert os.environ["MPLBACKEND"] == "module://matplotlib_inline.backend_inline"


def test_preload_keeps_a_backend_already_chosen(monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    forkserver.preload([])
    assert os.environ["MPLBACKEND"] == "Agg"


def test_the_death_signal_is_asked_for_on_linux_only(monkeypatch):
    monkeypatch.setattr(forkserver.sys, "platform", "darwin")
    assert forkserver._death_signal(0) is False  # signal 0: asking changes nothing here
    monkeypatch.setattr(forkserver.sys, "platform", "linux")
    assert forkserver._death_signal(0) is True


# --- the server, as its client starts it ------------------------------------------------------


def start_server(modules: list[str], env: dict | None = None):
    """The server on two fresh pipes: returns it, the end to write requests, the end to read."""
    requests_read, requests_write = os.pipe()
    replies_read, replies_write = os.pipe()
    server = subprocess.Popen(
        [*SERVER, str(requests_read), str(replies_write), json.dumps(modules)],
        pass_fds=(requests_read, replies_write),
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    os.close(requests_read)
    os.close(replies_write)
    return server, os.fdopen(requests_write, "w"), os.fdopen(replies_read)


def test_the_server_says_what_it_preloaded_and_ends_when_its_requests_close():
    server, requests, replies = start_server(["json", "no_such_module_h6"])
    try:
        ready = json.loads(replies.readline())
        assert ready == {
            "ready": True,
            "imported": ["json"],
            "skipped": [
                "no_such_module_h6: ModuleNotFoundError: No module named 'no_such_module_h6'"
            ],
            "threads": 1,
        }
        requests.close()  # the client is done (or dead): the server ends
        _, stderr = server.communicate(timeout=30)
        assert (server.returncode, stderr) == (0, "")
    finally:
        replies.close()
        if server.poll() is None:
            server.kill()


def test_the_server_refuses_to_fork_once_a_module_started_a_thread(tmp_path):
    (tmp_path / "threaded_h6.py").write_text(
        "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    server, requests, replies = start_server(["threaded_h6"], env=env)
    try:
        ready = json.loads(replies.readline())
        assert (ready["ready"], ready["imported"], ready["threads"]) == (False, ["threaded_h6"], 2)
        server.wait(timeout=30)  # it answers no request: it ends instead
        assert server.returncode == 0
        assert replies.read() == ""
    finally:
        requests.close()
        replies.close()
        if server.poll() is None:
            server.kill()


def test_a_fork_server_whose_owner_died_while_it_imported_exits_quietly():
    requests_read, requests_write = os.pipe()
    replies_read, replies_write = os.pipe()
    server = subprocess.Popen(
        [*SERVER, str(requests_read), str(replies_write), '["json"]'],
        pass_fds=(requests_read, replies_write),
        stderr=subprocess.PIPE,
        text=True,
    )
    for fd in (requests_read, requests_write, replies_read, replies_write):
        os.close(fd)  # as a worker killed before the server is ready
    _, stderr = server.communicate(timeout=30)
    assert (server.returncode, stderr) == (0, "")


# --- end_with_parent -------------------------------------------------------------------------


PARENT = """
import os, subprocess, sys, time
subprocess.Popen([sys.executable, "-c", sys.argv[1], str(os.getpid()), *sys.argv[2:]])
time.sleep(60)
"""


WATCHING = """
import sys, time
from councildigital.pipeline import forkserver
if sys.argv[2] == "polling":  # what platforms other than Linux get
    forkserver._death_signal = lambda signum: False
forkserver.end_with_parent(int(sys.argv[1]))
print("watching", flush=True)
time.sleep(60)
"""


TOO_LATE = """
import os, sys, time
from councildigital.pipeline import forkserver
parent = int(sys.argv[1])
print("started", flush=True)
while os.getppid() == parent:  # the parent dies before the child asks to end with it
    time.sleep(0.01)
forkserver.end_with_parent(parent)
print("outlived its parent", flush=True)
"""


@pytest.mark.parametrize("how", ["death signal", "polling"])
def test_a_child_ends_with_its_parent_killed_outright(how):
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, WATCHING, how], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout.readline() == "watching\n"
    child = psutil.Process(parent.pid).children()
    parent.kill()
    parent.wait()
    left = left_after(child, timeout=5)
    for process in left:
        process.kill()
    assert not left


def test_a_child_whose_parent_died_before_it_asked_ends_at_once():
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, TOO_LATE], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout.readline() == "started\n"
    parent.kill()
    rest, _ = parent.communicate(timeout=10)  # the pipe closes when the child has exited
    assert rest == ""
