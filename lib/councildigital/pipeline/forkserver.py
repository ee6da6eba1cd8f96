"""The fork server behind :mod:`councildigital.pipeline.kernels`: one process, imported once, a fork per kernel.

Run as ``python -m councildigital.pipeline.forkserver REQUESTS_FD REPLIES_FD MODULES_JSON`` with
the interpreter and flags of the kernel spec. It imports ``ipykernel`` and the modules
the report notebooks import, says it is ready, then reads one JSON request per line
(``argv`` for ipykernel, ``env``, ``cwd``) and answers with the ``pid`` of a forked
child that becomes the kernel exactly as ``python -m ipykernel_launcher ARGV`` would:
its own session, the requested environment and working directory, ``/dev/null`` for
stdin, a fresh numpy seed.

It exits when its clients close the request pipe (a batch and the workers that share
the server), which happens when they die too: only they have the pipe's write end (not the server, so not its kernels). It
does not otherwise watch its parent: Linux's parent-death signal comes when the parent
*thread* ends, and a Dask worker starts the server from a task thread. Its kernels end
with it (:func:`end_with_parent`; the server has only one thread).

Only the standard library is imported before the preload, so that the preload decides
what the kernels share. The server starts no thread, and refuses to fork if an imported
module did (forking a threaded process can deadlock the child).
"""

from __future__ import annotations

import atexit
import ctypes
import gc
import importlib
import importlib.util
import json
import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def end_with_parent(parent_pid: int) -> None:
    """End this process when its parent, ``parent_pid``, ends, however it ends.

    A process killed with SIGKILL cannot stop its children, and not every child notices
    (a ProcessPoolExecutor worker waits on a queue its siblings hold open). On Linux the
    kernel sends SIGKILL when the parent *thread* that started this process exits, so
    the parent must start it from a thread that lives as long as it does. Elsewhere a
    daemon thread checks once a second. A parent already gone ends the process at once.
    """
    if not _death_signal(signal.SIGKILL):
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    if os.getppid() != parent_pid:
        os._exit(1)


def _death_signal(signum: int) -> bool:
    """Ask Linux for ``signum`` when the parent thread exits; False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    return ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(1.0)
    os._exit(1)


def preload(modules: list[str]) -> tuple[list[str], list[str]]:
    """Import what the kernels will import; returns (imported, skipped with the reason)."""
    # What ipykernel sets before any user code imports matplotlib, so that matplotlib,
    # imported here, chose the backend a fresh kernel would have chosen.
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    imported, skipped = [], []
    for name in modules:
        try:
            importlib.import_module(name)
            imported.append(name)
        except Exception as exc:  # a module that fails here is imported (or fails) in the kernel
            skipped.append(f"{name}: {type(exc).__name__}: {exc}")
    return imported, skipped


def _become_kernel(request: dict, protocol_fds: tuple[int, int], server: int) -> int:
    """In the forked child: set the process up as the launcher would, then run ipykernel."""
    end_with_parent(server)  # at once and silently; ipykernel's poller takes a second, and logs
    for fd in protocol_fds:
        os.close(fd)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setsid()
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ["JPY_PARENT_PID"] = str(server)
    if "numpy" in sys.modules:  # its global generator was seeded once, in the server
        sys.modules["numpy"].random.seed()
    launcher = importlib.util.find_spec("ipykernel_launcher")
    sys.argv = [launcher.origin if launcher else "ipykernel_launcher", *request["argv"]]
    from ipykernel import kernelapp

    try:
        # ipykernel reads JPY_PARENT_PID when it is imported, which was in the server.
        kernelapp.IPKernelApp.launch_instance(argv=request["argv"], parent_handle=server)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
        return 1
    return 0


def serve(requests_fd: int, replies_fd: int, modules: list[str]) -> None:
    # ipykernel_launcher takes the working directory off the path before importing.
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the client's to handle
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped as they exit
    imported, skipped = preload(modules)
    # The preloaded modules' objects (some 190,000) leave the garbage collector's care: a
    # kernel's full collection would walk them all (a tenth of a second each time) and, by
    # touching them, copy the pages it shares with the server.
    gc.collect()
    gc.freeze()
    threads = threading.active_count()
    replies = os.fdopen(replies_fd, "w", encoding="utf-8")

    def reply(message: dict) -> None:
        try:
            replies.write(json.dumps(message) + "\n")
            replies.flush()
        except BrokenPipeError:  # the client died while we were busy: no one to tell
            os._exit(0)

    reply({"ready": threads == 1, "imported": imported, "skipped": skipped, "threads": threads})
    if threads != 1:
        return
    server = os.getpid()
    with os.fdopen(requests_fd, encoding="utf-8") as requests:
        for line in requests:
            request = json.loads(line)
            sys.stdout.flush()
            sys.stderr.flush()
            try:
                pid = os.fork()
            except OSError as exc:
                reply({"error": f"fork failed: {exc}"})
                continue
            if pid == 0:
                code = 1
                try:
                    code = _become_kernel(request, (requests_fd, replies_fd), server)
                    atexit._run_exitfuncs()
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(code)
            reply({"pid": pid})


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3]))
