"""Forked kernels: the same outputs as fresh ones, nothing shared between runs, failures caught."""

import asyncio
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import psutil
import pytest
import zmq
from councildigital.pipeline import batch, catalogue, execution, kernels
from jupyter_core.paths import jupyter_runtime_dir
from test_batch import notebook

pytestmark = pytest.mark.skipif(not kernels.is_supported(), reason="fork server is Linux only")


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    """Register one-cell notebooks as sections; returns a function that adds one."""
    registry: list[catalogue.Section] = []
    monkeypatch.setattr(catalogue, "SECTIONS", registry)

    def add(code: str, body: str) -> catalogue.Section:
        path = notebook(tmp_path / f"{code}.py", body)
        registry.append(catalogue.Section(code, str(path), code.title(), reads=("published",)))
        return registry[-1]

    return add


def outputs(out_dir, name):
    executed = json.loads((out_dir / f"{name}.ipynb").read_text())
    return "".join("".join(o.get("text", "")) for c in executed["cells"] for o in c["outputs"])


def test_split_launch_takes_only_ipykernel_launcher_commands():
    cmd = ["/py", "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "c.json"]
    assert kernels.split_launch(cmd) == (["/py", "-Xfrozen_modules=off"], ["-f", "c.json"])
    assert kernels.split_launch(["/py", "-m", "other_kernel", "-f", "c.json"]) is None
    assert kernels.split_launch(["/usr/bin/R", "--slave", "-f", "c.json"]) is None


def test_notebook_imports_name_modules_and_submodules(tmp_path):
    source = tmp_path / "n.py"
    source.write_text("import pandas as pd\nfrom councildigital.sections import plots, vision\n")
    assert kernels.notebook_imports([source]) == [
        "councildigital.sections",
        "councildigital.sections.plots",
        "councildigital.sections.vision",
        "pandas",
    ]


def test_every_report_notebooks_imports_are_preloaded():
    preloaded = kernels.preload_modules()
    assert preloaded[0] == "ipykernel.kernelapp"
    for sec in catalogue.SECTIONS:
        assert set(kernels.notebook_imports([sec.path])) <= set(preloaded), sec.code
    assert {"councildigital.sections.page", "councildigital.sections.plots"} <= set(preloaded)


def test_a_run_sees_nothing_of_the_run_before_it_in_the_same_worker(tiny, tmp_path):
    # Both runs go through one worker (jobs=1), so both kernels are forks of one server.
    tiny(
        "leaky",
        "import councildigital.data.survey as s, os\n"
        "print('before', getattr(s, 'LEAK', None), os.environ.get('LEAK'))\n"
        "s.LEAK = council_type; os.environ['LEAK'] = council_type",
    )
    out = tmp_path / "out"
    results = batch.run_batch(batch.plan(["leaky"], ["all", "county"]), out, jobs=1)
    assert [r.status for r in results] == ["ok", "ok"]
    assert "before None None" in outputs(out / "leaky", "all")
    assert "before None None" in outputs(out / "leaky", "county")


def test_the_kernel_runs_in_the_notebook_folder_with_the_launchers_process_setup(tiny, tmp_path):
    tiny(
        "where",
        "import os, sys\n"
        "print('cwd', os.getcwd())\n"
        "print('session leader', os.getsid(0) == os.getpid())\n"
        "print('parent is server', os.environ['JPY_PARENT_PID'] == str(os.getppid()))",
    )
    out = tmp_path / "out"
    batch.run_batch(batch.plan(["where"], ["all"]), out)
    text = outputs(out / "where", "all")
    assert f"cwd {execution.NOTEBOOKS_DIR}" in text
    assert "session leader True" in text
    assert "parent is server True" in text


def test_the_workers_of_a_batch_share_one_fork_server_that_the_batch_started(tiny, tmp_path):
    tiny(
        "server",
        "import psutil\nserver = psutil.Process().parent()\n"
        "print('server', server.pid, 'started by', server.ppid())",
    )
    out = tmp_path / "out"
    types = ["all", "county", "district", "wales"]
    results = batch.run_batch(batch.plan(["server"], types), out, jobs=2)
    assert [r.status for r in results] == ["ok"] * 4
    printed = {outputs(out / "server", t).split("server ")[1].strip() for t in types}
    (only,) = printed  # one fork server for both workers' kernels
    server, started_by = only.split(" started by ")
    assert started_by == str(os.getpid())  # the batch's, not a worker's
    assert not psutil.pid_exists(int(server))  # and ended with the batch


def test_kernels_of_a_shared_fork_server_still_report_their_errors(tiny, tmp_path):
    tiny("raises", "raise ValueError('broken on purpose')")
    tiny("dies", "import os\nos._exit(3)")
    tiny("fine", "print('still fine')")
    results = batch.run_batch(batch.plan(council_types=["all", "wales"]), tmp_path, jobs=2)
    status = {r.name: r for r in results}
    for council_type in ("all", "wales"):
        assert status[f"raises/{council_type}"].status == "failed"
        assert status[f"raises/{council_type}"].error.startswith("ValueError: broken on purpose")
        assert "DeadKernelError" in status[f"dies/{council_type}"].error
        assert status[f"fine/{council_type}"].status == "ok"
    assert "still fine" in outputs(tmp_path / "fine", "wales")


def test_a_dead_kernel_and_a_time_out_are_recorded_failures(tiny, tmp_path):
    tiny("dies", "import os\nos._exit(3)")
    tiny("sleeps", "import time\ntime.sleep(60)")
    tiny("fine", "print('still fine')")
    results = batch.run_batch(batch.plan(council_types=["all"]), tmp_path, jobs=1, timeout=5)
    status = {r.name: r for r in results}
    assert status["dies/all"].status == "failed"
    assert "DeadKernelError" in status["dies/all"].error
    assert status["sleeps/all"].status == "failed"
    assert "CellTimeoutError" in status["sleeps/all"].error
    assert status["fine/all"].status == "ok"


def test_a_fork_server_that_cannot_start_falls_back_to_a_fresh_kernel(tiny, tmp_path, monkeypatch):
    def broken(interpreter):
        raise kernels.ForkServerError("no fork server today")

    monkeypatch.setattr(kernels, "server_for", broken)
    tiny("pid", "import os\nprint('parent', os.getppid())")
    executed = execution.execute(
        execution.read_notebook(catalogue.find("pid")), {"council_type": "all"}, forked=True
    )
    printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert f"parent {os.getpid()}" in printed  # launched by this process, not a server


@pytest.mark.parametrize("forked", [True, False])
def test_kernels_talk_over_encrypted_sockets(tiny, capfd, monkeypatch, forked):
    monkeypatch.setattr(kernels, "_servers", {})  # a server started here writes to capfd
    tiny("hello", "print('hello')")
    executed = execution.execute(
        execution.read_notebook(catalogue.find("hello")), {"council_type": "all"}, forked=forked
    )
    assert "hello" in executed.cells[-1].outputs[0]["text"]
    assert "without encryption" not in capfd.readouterr().err
    kernels._close_servers()


@pytest.mark.parametrize("forked", [True, False])
def test_a_kernel_starts_though_the_tcp_port_it_would_be_given_is_taken(tiny, monkeypatch, forked):
    """The race of two kernels starting at once, made certain: every TCP port jupyter_client
    would hand the kernel is already bound. On Unix sockets the kernel never needs one."""
    from jupyter_client.provisioning.local_provisioner import LocalPortCache

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    monkeypatch.setattr(LocalPortCache, "find_available_port", lambda _, ip: taken.getsockname()[1])
    prefixes = []
    real = kernels.ipc_prefix
    monkeypatch.setattr(kernels, "ipc_prefix", lambda k: prefixes.append(real(k)) or prefixes[-1])
    tiny("hello", "print('started')")
    executed = execution.execute(
        execution.read_notebook(catalogue.find("hello")), {"council_type": "all"}, forked=forked
    )
    taken.close()
    assert "started" in executed.cells[-1].outputs[0]["text"]
    assert len(prefixes) == 1 and prefixes[0].parent == Path(jupyter_runtime_dir())
    assert list(prefixes[0].parent.glob(f"{prefixes[0].name}-*")) == []  # removed with the kernel


def test_kernel_sockets_fall_back_to_tcp_where_a_unix_socket_path_would_be_too_long(monkeypatch):
    kernel_id = "k" * 36  # a uuid's length
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", "/" + "d" * 55)  # 56 + 48 + len("-999") > 107
    assert kernels.ipc_prefix(kernel_id) is None
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", "/" + "d" * 54)
    assert kernels.ipc_prefix(kernel_id) == Path("/" + "d" * 54, f"kernel-{kernel_id}-ipc")


KERNEL_START = """
import json, os, sys
from councildigital.pipeline import kernels
from councildigital.pipeline.forkserver import preload
from jupyter_client.connect import write_connection_file
preload(kernels.preload_modules())
here = sys.argv[1]
connection, _ = write_connection_file(here + "/kernel.json", transport="ipc", ip=here + "/k")
from ipykernel import kernelapp
before = set(sys.modules)
kernelapp.IPKernelApp.instance().initialize(["-f", connection])
with open(here + "/imported.json", "w") as found:
    json.dump(sorted(set(sys.modules) - before), found)
os._exit(0)
"""


def test_a_kernel_forked_from_the_server_imports_nothing_as_it_starts(tmp_path):
    """What ipykernel imports to start (its debugger alone takes half a second) is preloaded."""
    interpreter = kernels.split_launch(_kernel_cmd())[0]
    subprocess.run([*interpreter, "-c", KERNEL_START, str(tmp_path)], check=True, timeout=120)
    assert json.loads((tmp_path / "imported.json").read_text()) == []


def test_a_forked_kernels_end_is_awaited_and_seen_at_once():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    process = kernels.ForkedKernelProcess(child.pid)
    assert process.poll() is None
    threading.Timer(0.3, child.kill).start()
    asyncio.run(process.ended(timeout=30))
    assert process.poll() == 0  # ended, though not yet reaped: os.kill would still find it
    child.wait()


@pytest.mark.parametrize("forked", [True, False])
def test_a_runs_kernel_is_killed_once_its_last_cell_has_answered(tiny, tmp_path, forked):
    """Not asked to shut down and waited for: its exit handlers never run."""
    mark = tmp_path / "exit handlers ran"
    tiny("ends", f"import atexit, pathlib\natexit.register(pathlib.Path({str(mark)!r}).touch)")
    execution.execute(
        execution.read_notebook(catalogue.find("ends")), {"council_type": "all"}, forked=forked
    )
    assert not mark.exists()


def test_a_forked_kernels_collector_leaves_the_preloaded_modules_alone(tiny):
    tiny("frozen", "import gc\nprint('frozen', gc.get_freeze_count())")
    executed = execution.execute(
        execution.read_notebook(catalogue.find("frozen")), {"council_type": "all"}, forked=True
    )
    assert int(executed.cells[-1].outputs[0]["text"].split()[1]) > 10_000  # 0 unfrozen


@pytest.mark.parametrize("forked", [True, False])
def test_a_kernel_ready_without_waiting_for_quiet_gives_its_first_cell_every_output(tiny, forked):
    tiny("first", "print('one')\nfrom IPython.display import display\ndisplay('two')")
    manager = kernels.ForkingKernelManager if forked else kernels.ReportKernelManager
    assert isinstance(
        manager(kernel_name=execution.KERNEL_NAME).client(), kernels.ReportKernelClient
    )
    executed = execution.execute(
        execution.read_notebook(catalogue.find("first")), {"council_type": "all"}, forked=forked
    )
    outputs = executed.cells[-1].outputs
    assert [(o["output_type"], o.get("text") or o["data"]["text/plain"]) for o in outputs] == [
        ("stream", "one\n"),
        ("display_data", "'two'"),
    ]


def test_the_fork_server_ends_with_its_owner():
    server = kernels.ForkServer(kernels.split_launch(_kernel_cmd())[0], ["json"])
    assert server.alive()
    server.close()
    assert server.process.returncode == 0


def _fork_kernels(server: kernels.ForkServer, count: int, found) -> None:
    found.put([server.fork(["--version"], dict(os.environ), os.getcwd()) for _ in range(count)])


def test_processes_sharing_a_fork_server_each_get_their_own_kernels():
    server = kernels.ForkServer(kernels.split_launch(_kernel_cmd())[0], ["json"], shared=True)
    context = multiprocessing.get_context("fork")
    found = context.Queue()
    sharers = [context.Process(target=_fork_kernels, args=(server, 5, found)) for _ in range(3)]
    for sharer in sharers:
        sharer.start()
    pids = [pid for _ in sharers for pid in found.get(timeout=60)]
    for sharer in sharers:
        sharer.join(timeout=10)
    assert [sharer.exitcode for sharer in sharers] == [0, 0, 0]
    assert len(set(pids)) == 15  # every request answered once, to the process that asked
    server.close()
    assert server.process.returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize("code", ["vision", "future_councils_costs"])
def test_a_report_section_is_byte_identical_from_forked_and_fresh_kernels(code):
    sec = catalogue.find(code)
    parameters = {"council_type": "county"}
    forked = execution.execute(execution.read_notebook(sec), parameters, forked=True)
    fresh = execution.execute(execution.read_notebook(sec), parameters, forked=False)
    assert json.dumps(forked, sort_keys=True) == json.dumps(fresh, sort_keys=True)


def _kernel_cmd() -> list[str]:
    from jupyter_client.kernelspec import KernelSpecManager

    return KernelSpecManager().get_kernel_spec(execution.KERNEL_NAME).argv


def test_a_report_clients_sockets_try_again_soon_to_reach_a_kernel_still_starting():
    for manager in (kernels.ForkingKernelManager, kernels.ReportKernelManager):
        client = manager(kernel_name=execution.KERNEL_NAME).client()
        sockets = [client.context.socket(kind) for kind in (zmq.DEALER, zmq.SUB)]
        try:
            assert [s.getsockopt(zmq.RECONNECT_IVL) for s in sockets] == [kernels.RECONNECT_MS] * 2
        finally:
            for socket_ in sockets:
                socket_.close()
            client.context.term()
    assert kernels.RECONNECT_MS < 100  # ZeroMQ's default, most of a forked kernel's start
