"""Kernels forked from a process that has already imported what the report notebooks import.

A fresh Python kernel spends about three seconds importing ipykernel, pandas, scipy,
statsmodels, matplotlib and seaborn before the first line of a report runs: most of
a run's time. A batch runs the same notebooks dozens of times, so it starts one fork
server (:mod:`councildigital.pipeline.forkserver`) that imports them once, before its workers
(which share it; on a Dask worker, each starts its own on first use), and
every run's kernel is a ``fork()`` of it: a new process, with nothing of the last run
in it, that starts ipykernel exactly as ``python -m ipykernel_launcher`` does.

It plugs into jupyter_client where kernels are launched (a kernel provisioner, used
by a kernel manager that papermill's nbclient engine accepts), so papermill, nbclient
and the kernel protocol are unchanged. Kernels whose spec is not ``<python> -m
ipykernel_launcher``, platforms without ``fork()``, and a fork server that cannot
start fall back to the ordinary launch.

Differences from a fresh kernel, none of which a report may depend on: modules are
imported before the kernel's environment is applied (the environment is the batch
worker's in both cases), and kernels share the server's string-hash seed.

Nothing is left running when a batch is killed, even with SIGKILL: each batch worker
ends with the batch, the fork server when every end of its request pipe is closed (the
batch's and its workers'), and the server's kernels with the server (:func:`councildigital.pipeline.forkserver.end_with_parent`).
"""

from __future__ import annotations

import ast
import asyncio
import atexit
import contextlib
import json
import logging
import math
import multiprocessing
import os
import select
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from queue import Empty

import zmq
import zmq.asyncio
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from jupyter_core.paths import jupyter_runtime_dir
from traitlets import DottedObjectName, Type, default

from councildigital.pipeline import catalogue, profiling

log = logging.getLogger(__name__)
LAUNCHER = "ipykernel_launcher"
STARTUP_TIMEOUT = 120.0  # seconds for the server's imports
FORK_TIMEOUT = 30.0
KILL_WAIT_S = 5.0  # as long as jupyter_client waits for a killed kernel
# How soon a client's socket tries again to connect to a kernel whose socket is not there yet
# (ZeroMQ's default: 100 ms, most of a forked kernel's start).
RECONNECT_MS = 10
STARTING, READY, FAILED = 0, 1, -1  # a fork server's state, as its sharers see it


class ForkServerError(RuntimeError):
    """The fork server could not start or could not fork a kernel."""


def notebook_imports(paths: list[Path]) -> list[str]:
    """Modules the notebooks import (``from a import b`` gives ``a.b`` when ``b`` is a module).

    Read from the jupytext sources, which are Python; a name that is not a module is
    skipped by the server's import.
    """
    found: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return sorted(found)


# What a kernel imports as it starts, after ``ipykernel.kernelapp``: its kernel class and
# the debugger that class loads (debugpy: half a second of a forked kernel's start, when
# not preloaded), IPython's debugger, completer, inspector and history (sqlite3), the
# storemagic extension, tornado's asyncio loop, faulthandler.
KERNEL_START_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "IPython.core.debugger",
    "IPython.core.completerlib",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "sqlite3",
    "tornado.platform.asyncio",
    "faulthandler",
)


def preload_modules() -> list[str]:
    """What ipykernel imports to start, then every module a report notebook imports."""
    return [*KERNEL_START_MODULES, *notebook_imports([s.path for s in catalogue.SECTIONS])]


class ForkServer:
    """A running :mod:`councildigital.pipeline.forkserver` process and the pipes to talk to it.

    Started, it imports while its starter gets on with other work; the first fork waits
    for it. A ``shared`` server is started by the batch before its workers exist: they
    inherit it with the pipes, take turns through a lock across processes, and only its
    starter closes it.
    """

    def __init__(self, interpreter: list[str], modules: list[str], shared: bool = False):
        requests_read, requests_write = os.pipe()
        replies_read, replies_write = os.pipe()
        command = [
            *interpreter,
            "-m",
            "councildigital.pipeline.forkserver",
            str(requests_read),
            str(replies_write),
            json.dumps(modules),
        ]
        self.owner = os.getpid()
        self.shared = shared
        self.process = subprocess.Popen(
            command, pass_fds=(requests_read, replies_write), stdin=subprocess.DEVNULL
        )
        os.close(requests_read)
        os.close(replies_write)
        self._requests, self._replies = requests_write, replies_read
        # A Dask worker may run several tasks in threads; a batch's workers share one server.
        self._lock = multiprocessing.Lock() if shared else threading.Lock()
        self._state = multiprocessing.Value("b", STARTING, lock=False)  # seen by every sharer
        self.skipped: list[str] = []
        if not shared:
            with self._lock:
                self._wait_ready()

    def _wait_ready(self) -> None:
        """Read the server's first message, once across its sharers; hold the lock."""
        if self._state.value == STARTING:
            try:
                ready = self._read(timeout=STARTUP_TIMEOUT)
            except ForkServerError:
                self._state.value = FAILED
                raise
            self._state.value = READY if ready.get("ready") else FAILED
            if self._state.value == FAILED:
                self.close()
                raise ForkServerError(
                    f"fork server not usable: {ready.get('threads')} threads after importing"
                )
            self.skipped = ready["skipped"]
            if self.skipped:
                log.info("fork server could not preload: %s", "; ".join(self.skipped))
        if self._state.value == FAILED:
            raise ForkServerError("fork server not usable")

    def _read(self, timeout: float) -> dict:
        """One reply line, read without buffering: sharers read the same pipe in turns."""
        line = b""
        deadline = time.monotonic() + timeout
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._replies], [], [], left)[0]:
                self.process.kill()
                raise ForkServerError(f"fork server did not answer within {timeout:g} s")
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                raise ForkServerError(f"fork server exited with status {self._exit_status()}")
            line += chunk
        return json.loads(line)

    def _exit_status(self) -> int | str:
        return self.process.wait() if self.owner == os.getpid() else "unknown"

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """Start a kernel with ipykernel arguments ``argv``; returns its process id."""
        request = (json.dumps({"argv": argv, "env": env, "cwd": cwd}) + "\n").encode()
        with self._lock:
            self._wait_ready()
            try:
                while request:
                    request = request[os.write(self._requests, request) :]
            except OSError as exc:
                raise ForkServerError(f"fork server is gone: {exc}") from None
            reply = self._read(timeout=FORK_TIMEOUT)
        if "error" in reply:
            raise ForkServerError(reply["error"])
        return reply["pid"]

    def alive(self) -> bool:
        if self._state.value == FAILED:
            return False
        if self.owner == os.getpid():
            return self.process.poll() is None
        if not self.shared:
            return False
        try:
            os.kill(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def close(self) -> None:
        """End the server: it exits when its request pipe closes (in every sharer)."""
        if self.owner != os.getpid():
            return
        for fd in (self._requests, self._replies):
            with contextlib.suppress(OSError):
                os.close(fd)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_servers: dict[tuple[str, ...], ForkServer] = {}


def _close_servers() -> None:
    for server in _servers.values():
        server.close()
    _servers.clear()


atexit.register(_close_servers)


def split_launch(cmd: list[str]) -> tuple[list[str], list[str]] | None:
    """``(interpreter with its flags, ipykernel arguments)`` for ``<python> ... -m ipykernel_launcher``."""
    if "-m" not in cmd:
        return None
    at = cmd.index("-m")
    if at + 1 >= len(cmd) or cmd[at + 1] != LAUNCHER:
        return None
    return cmd[:at], cmd[at + 2 :]


def server_for(interpreter: list[str]) -> ForkServer:
    """This process's fork server for that interpreter (or the batch's), started on first use."""
    key = tuple(interpreter)
    server = _servers.get(key)
    if server is None or not server.alive():
        with profiling.phase("fork server start"):
            server = _servers[key] = ForkServer(interpreter, preload_modules())
    return server


@contextlib.contextmanager
def shared_server(kernel_name: str) -> Iterator[ForkServer | None]:
    """A fork server for the kernel ``kernel_name``, started now and shared by the workers
    this process forks inside the block (its imports run while they start), ended after it.
    None where kernels are not forked (another platform, a kernel that is not ipykernel's
    launcher)."""
    from jupyter_client.kernelspec import KernelSpecManager

    launch = split_launch(KernelSpecManager().get_kernel_spec(kernel_name).argv)
    if launch is None or not is_supported():
        yield None
        return
    key = tuple(launch[0])
    with profiling.phase("fork server start", "batch"):
        server = ForkServer(launch[0], preload_modules(), shared=True)
    before, _servers[key] = _servers.get(key), server
    try:
        yield server
    finally:
        server.close()
        if before is None:
            del _servers[key]
        else:
            _servers[key] = before


class ForkedKernelProcess:
    """The part of :class:`subprocess.Popen` a provisioner uses, for a kernel we did not spawn.

    The kernel is the fork server's child, which reaps it, so its exit status is not
    ours to collect: it is reported as 0 once the process is gone. Its end is watched
    through a pidfd (Linux 5.3 and later), which cannot mistake another process that
    reuses the pid for it, and can be awaited instead of polled.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None
        self._ended: int | None = None  # the pidfd: readable once the process has ended
        try:
            self._ended = os.pidfd_open(pid)
        except ProcessLookupError:
            self.returncode = 0
        except (AttributeError, OSError):  # no pidfd here: poll the pid
            pass

    def poll(self) -> int | None:
        if self.returncode is None:
            if self._ended is not None:
                gone = bool(select.select([self._ended], [], [], 0)[0])
            else:
                try:
                    os.kill(self.pid, 0)
                    gone = False
                except ProcessLookupError:
                    gone = True
            if gone:
                self.returncode = 0
                self._close()
        return self.returncode

    def _close(self) -> None:
        if self._ended is not None:
            os.close(self._ended)
            self._ended = None

    async def ended(self, timeout: float) -> None:
        """Return when the process has ended, or after ``timeout`` seconds."""
        if self.poll() is not None or self._ended is None:
            return
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        loop.add_reader(self._ended, lambda: done.done() or done.set_result(None))
        try:
            await asyncio.wait_for(done, timeout)
        except TimeoutError:
            pass
        finally:
            loop.remove_reader(self._ended)
        self.poll()

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def __del__(self) -> None:
        self._close()


class ForkingProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching ipykernel by a fork of the server."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        launch = split_launch(cmd) if is_supported() else None
        if launch is None:
            return await super().launch_kernel(cmd, **kwargs)
        interpreter, argv = launch
        cwd = str(kwargs.get("cwd") or Path.cwd())
        env = dict(kwargs.get("env") or os.environ)
        try:
            pid = server_for(interpreter).fork(argv, env, cwd)
        except ForkServerError as exc:
            log.warning("starting a fresh kernel instead: %s", exc)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedKernelProcess(pid)
        self.pid = self.pgid = pid  # the kernel leads its own session
        self.cwd = cwd
        return self.connection_info

    async def kill(self, restart: bool = False) -> None:
        """Kill the kernel and return once it has ended: jupyter_client then finds it gone
        at its first look instead of sleeping a tenth of a second between looks."""
        process = self.process
        await super().kill(restart)
        if isinstance(process, ForkedKernelProcess):
            await process.ended(timeout=KILL_WAIT_S)


# The longest path a Unix socket may have (``sun_path`` is 108 bytes with its NUL), less
# room for the "-<port>" jupyter_client appends.
IPC_PATH_MAX = 107 - len("-999")


def ipc_prefix(kernel_id: str) -> Path | None:
    """Where a kernel's Unix sockets go, ``<runtime dir>/kernel-<id>-ipc-<n>`` as Jupyter
    names them; None where the platform has none or the path would be too long for one."""
    if not zmq.has("ipc") or sys.platform == "win32":
        return None
    prefix = Path(jupyter_runtime_dir()) / f"kernel-{kernel_id}-ipc"
    return prefix if len(os.fsencode(prefix)) <= IPC_PATH_MAX else None


class ReportKernelClient(AsyncKernelClient):
    """jupyter_client's async client, ready as soon as the kernel is.

    jupyter_client's ``wait_for_ready`` asks for the kernel's info until it replies and a
    message has come on IOPub (so IOPub is connected), as here; then it reads IOPub until
    that has been quiet for a fifth of a second, to drop the start-up messages. nbclient
    takes from IOPub only the messages that answer its own requests, so those are dropped
    anyway: this client takes what has arrived and goes on, a fifth of a second sooner for
    every run.

    Its sockets connect as soon as the kernel's are there: the client connects as the kernel
    starts, before the kernel has bound its sockets, and ZeroMQ tries again only after
    ``RECONNECT_IVL``, 100 ms by default, which was three quarters of a forked kernel's
    start (0.18 s to ready, 0.045 s with 10 ms).
    """

    @default("context")
    def _retrying_context(self) -> zmq.asyncio.Context:
        self._created_context = True  # closed with the client, as jupyter_client's own
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MS)
        return context

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (math.inf if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.2)
                except Empty:
                    pass  # IOPub not connected yet: ask again
                else:
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
        while await self.iopub_channel.msg_ready():
            await self.iopub_channel.get_msg(timeout=0)


class ReportKernelManager(AsyncKernelManager):
    """jupyter_client's async kernel manager: Unix sockets, CurveZMQ encryption where the kernel has it.

    Over TCP, jupyter_client picks a kernel's five ports by binding and closing them, and
    the kernel binds them again a moment later; another kernel starting at the same time
    (a batch runs one per worker), or any connection's ephemeral port, can take one in
    between, and the kernel dies before it answers ("Address already in use"; about 1 in
    160 starts with four workers). A Unix socket is a file named after the kernel's id,
    which no one else can take, so local kernels use them (jupyter_client's ``ipc``
    transport) wherever the platform has them and the path fits; elsewhere, TCP.

    ipykernel declares CurveZMQ support, so the kernel's sockets are encrypted and it does
    not warn, on every run, that it is "running over TCP without encryption". A libzmq
    built without CURVE keeps jupyter_client's default (no encryption).
    """

    client_class = DottedObjectName("councildigital.pipeline.kernels.ReportKernelClient")
    client_factory = Type(ReportKernelClient, klass=AsyncKernelClient)

    @default("transport_encryption")
    def _encrypt_where_possible(self) -> str:
        return "auto" if zmq.has("curve") else "disabled"

    async def _async_pre_start_kernel(self, **kw):
        self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
        prefix = ipc_prefix(self.kernel_id)
        if prefix is not None and not self._connection_file_written:
            prefix.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.transport, self.ip = "ipc", str(prefix)
        return await super()._async_pre_start_kernel(**kw)

    async def _async_interrupt_kernel(self) -> None:
        """Interrupt, except as the first step of shutting down.

        jupyter_client interrupts every kernel before asking it to shut down; when the
        signal lands while ipykernel is still handling a message it logs "ERROR |
        KeyboardInterrupt caught in kernel" for a run that went well. The shutdown
        request alone ends an idle kernel; one still busy (a cell that timed out) is
        killed when jupyter_client's shutdown wait runs out.
        """
        if not self.shutting_down:
            await super()._async_interrupt_kernel()


class ForkingKernelManager(ReportKernelManager):
    """A report kernel manager whose kernels come from a fork server (see the module)."""

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkingProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        return await super()._async_pre_start_kernel(**kw)


def is_supported() -> bool:
    """Linux only: macOS system frameworks are not safe to use in a forked child."""
    return hasattr(os, "fork") and sys.platform.startswith("linux")
