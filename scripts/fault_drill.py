"""Fault drill: bad input and faults against a real batch, and what the user sees.

Builds a small site (evidence, vision, Future Councils costs x all, county,
wales) in a temporary folder, records the SHA-256 of every page, then tries each
fault through the real command line and reports, per fault, the exit status, the
first line of what the user sees, and whether any page other than the one the
fault is about changed. Prints a Markdown table (and writes it to --out).

    .venv/bin/python scripts/fault_drill.py [--out outputs/fault_drill.md]

Some faults need root (a size-limited tmpfs for a full disk, another user to read
the site); they are reported as skipped otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).parent / "councildigital"
DATA = ROOT / "data" / "synthetic" / "lgc2024_synthetic.csv"
GRID = [
    "--sections",
    "evidence,vision,future_councils_costs",
    "--council-types",
    "all,county,wales",
]


@dataclass
class Outcome:
    fault: str
    status: str
    seen: str
    others_unchanged: str


def cli(*args: str, out: Path, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CLI), *args, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )


def pages(out: Path) -> dict[str, str]:
    """Every section page (notebook and HTML); the index is rewritten by every batch."""
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.glob("*/*"))
        if p.suffix in {".html", ".ipynb"}
    }


def first_line(done: subprocess.CompletedProcess) -> str:
    """The error the user sees, with its first problem; else the first line printed."""
    lines = [line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip()]
    if not lines:
        return ""
    at = next((i for i, line in enumerate(lines) if line.startswith("Error")), 0)
    shown = " ".join(lines[at : at + 2]) if lines[at].endswith(":") else lines[at]
    return shown.replace("|", "\\|")[:220]


def drill(out: Path, name: str, action: Callable[[Path], tuple[str, str]], touches=()) -> Outcome:
    before = pages(out)
    try:
        status, seen = action(out)
    except Exception as exc:  # a drill step that cannot run here is reported, not fatal
        return Outcome(name, "error in drill", f"{type(exc).__name__}: {exc}", "-")
    after = pages(out)
    changed = sorted(k for k in before if before[k] != after.get(k) and k not in touches)
    unchanged = "yes" if not changed else f"NO: {', '.join(changed)}"
    return Outcome(name, status, seen, unchanged)


def refused(*args: str) -> Callable[[Path], tuple[str, str]]:
    def action(out: Path) -> tuple[str, str]:
        done = cli("batch", *args, "--quiet", out=out)
        return f"exit {done.returncode}", first_line(done)

    return action


def write_file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def bad_files(tmp: Path) -> dict[str, Path]:
    text = DATA.read_text(encoding="utf-8")
    lines = text.splitlines()
    ragged = [*lines[:5], lines[5] + ",extra", *lines[6:]]
    latin = text.replace("SYN-040", "SYN-04\u00e9", 1).encode("latin-1")
    return {
        "ragged CSV row (line 6)": write_file(tmp / "ragged.csv", "\n".join(ragged).encode()),
        "Latin-1 file": write_file(tmp / "latin.csv", latin),
        "semicolon-delimited file": write_file(
            tmp / "semi.csv", text.replace(",", ";").encode("utf-8")
        ),
        "a directory as --data": tmp,
        "/etc/passwd as --data": Path("/etc/passwd"),
        "../../etc/passwd as --data": Path("../../../../../../../etc/passwd"),
    }


def concurrent(out: Path) -> tuple[str, str]:
    other = [str(CLI), "batch", "--sections", "then_and_now", "--council-types", "county"]
    second = subprocess.Popen(
        [*other, "--out", str(out), "--quiet"], stderr=subprocess.PIPE, text=True
    )
    first = cli("batch", "--sections", "then_and_now", "--council-types", "wales", out=out)
    _, err = second.communicate(timeout=600)
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    kept = all(f'"then_and_now/{t}"' in manifest for t in ("county", "wales"))
    waited = "waiting for another batch" in first.stderr + err
    return (
        f"exit {first.returncode}/{second.returncode}",
        f"both runs in the manifest: {kept}; second said it waited: {waited}",
    )


def broken_manifest(content: str) -> Callable[[Path], tuple[str, str]]:
    def action(out: Path) -> tuple[str, str]:
        entries = (out / "manifest.json").read_text(encoding="utf-8").count('"key"')
        (out / "manifest.json").write_text(content, encoding="utf-8")
        done = cli("batch", *GRID, out=out)
        after = (out / "manifest.json").read_text(encoding="utf-8").count('"key"')
        return f"exit {done.returncode}", f"{first_line(done)} [runs: {entries} -> {after}]"

    return action


def killed(signum: int) -> Callable[[Path], tuple[str, str]]:
    def action(out: Path) -> tuple[str, str]:
        command = [str(CLI), "batch", "--sections", "vision", "--council-types", "all,county"]
        process = subprocess.Popen(
            [*command, "--force", "--out", str(out), "--quiet"],
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        root = psutil.Process(process.pid)
        deadline = time.monotonic() + 60
        while len(root.children(recursive=True)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        family = root.children(recursive=True)
        process.send_signal(signum)
        _, err = process.communicate(timeout=60)
        _, alive = psutil.wait_procs(family, timeout=10)
        dots = [p for p in out.rglob(".*") if p.is_file()]
        return (
            f"exit {process.returncode}",
            f"{err.strip().splitlines()[-1] if err.strip() else '(nothing)'}; "
            f"left running: {len(alive)}; temporary files: {len(dots)}",
        )

    return action


def full_disk(out: Path) -> tuple[str, str]:
    if os.geteuid() != 0:
        return "skipped", "needs root to mount a small tmpfs"
    mount = Path(tempfile.mkdtemp(prefix="drill-tmpfs-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], check=True)
    try:
        site = mount / "outputs"
        shutil.copytree(out, site)
        filler = mount / "filler"
        subprocess.run(
            ["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True, check=False
        )
        before = pages(site)
        done = cli("batch", *GRID, "--force", out=site)
        after = pages(site)
        dots = [p for p in site.rglob(".*") if p.is_file()]
        lost = sorted(k for k in before if k not in after)
        return (
            f"exit {done.returncode}",
            f"{first_line(done)} [pages lost: {len(lost)}; temporary files left: {len(dots)}]",
        )
    finally:
        subprocess.run(["umount", str(mount)], check=False)
        mount.rmdir()


def readable_by_nobody(out: Path) -> tuple[str, str]:
    if os.geteuid() != 0:
        return "skipped", "needs root to switch user"
    served = Path(tempfile.mkdtemp(prefix="drill-serve-"))
    try:
        served.chmod(0o755)
        shutil.copytree(out, served / "site", copy_function=shutil.copy2)
        files = [p for p in (served / "site").rglob("*") if p.is_file()]
        unreadable = []
        for path in files:
            done = subprocess.run(
                ["cat", str(path)], user=65534, group=65534, capture_output=True, check=False
            )
            if done.returncode != 0:
                unreadable.append(path.name)
        modes = sorted({oct(p.stat().st_mode & 0o777) for p in files})
        return (
            "read as nobody",
            f"{len(files) - len(unreadable)}/{len(files)} readable; modes {modes}",
        )
    finally:
        shutil.rmtree(served)


def machine_paths(out: Path) -> tuple[str, str]:
    folder = Path(tempfile.mkdtemp(prefix="drill-machine-folder-"))
    try:
        mine = shutil.copy(DATA, folder / "mine.csv")
        done = cli("run", "vision", "--council-type", "county", "--data", str(mine), out=out)
        leaks = [
            p.name
            for p in (
                out / "vision" / "county.html",
                out / "vision" / "county.ipynb",
                out / "manifest.json",
            )
            if str(folder) in p.read_text(encoding="utf-8")
        ]
        return f"exit {done.returncode}", f"files naming the data's folder: {leaks or 'none'}"
    finally:
        shutil.rmtree(folder)


def hostile_name(out: Path) -> tuple[str, str]:
    done = cli(
        "run",
        "future_councils_costs",
        "--council-type",
        "county",
        "-p",
        "council_name",
        "<script>alert(1)</script>",
        out=out,
    )
    page = (out / "future_councils_costs" / "county.html").read_text(encoding="utf-8")
    return (
        f"exit {done.returncode}",
        f"raw <script>alert: {'<script>alert' in page}; shown as text: {'&lt;script&gt;' in page}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "outputs" / "fault_drill.md")
    args = parser.parse_args()
    outcomes = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        out = tmp / "site"
        built = cli("batch", *GRID, "--quiet", out=out)
        assert built.returncode == 0, built.stderr
        inputs = tmp / "inputs"
        inputs.mkdir()
        steps: list[tuple[str, Callable, tuple]] = [
            (
                "-p council_type county with --council-types district",
                refused("--council-types", "district", "-p", "council_type", "county"),
                (),
            ),
            ("-p data_path x.csv", refused("-p", "data_path", "x.csv"), ()),
            ("-p min_base 0", refused("--sections", "vision", "-p", "min_base", "0"), ()),
            ("-p min_base -1", refused("--sections", "vision", "-p", "min_base", "-1"), ()),
            ("-p weighting heavy", refused("--sections", "vision", "-p", "weighting", "heavy"), ()),
            ("-p draws 0", refused("--sections", "future_councils_costs", "-p", "draws", "0"), ()),
            ("-p seed -1", refused("--sections", "future_councils_costs", "-p", "seed", "-1"), ()),
            (
                "-p legacy_share 150",
                refused("--sections", "future_councils_costs", "-p", "legacy_share", "150"),
                (),
            ),
            ("--timeout 2.5", refused("--timeout", "2.5"), ()),
            ("--timeout 0", refused("--timeout", "0"), ()),
            ("--jobs 1000 (site up to date)", refused(*GRID, "--jobs", "1000"), ()),
            ("--scheduler nonsense", refused("--scheduler", "nonsense"), ()),
            (
                "--scheduler tcp://127.0.0.1:9 (nothing there)",
                refused("--scheduler", "tcp://127.0.0.1:9"),
                (),
            ),
        ]
        steps += [
            (name, refused("--sections", "vision", "--data", str(path)), ())
            for name, path in bad_files(inputs).items()
        ]
        steps += [
            ("two batches at once on one folder", concurrent, ()),
            ("truncated manifest", broken_manifest('{"runs": {"vision/all": {"ke'), ()),
            ("manifest []", broken_manifest("[]"), ()),
            ("manifest null", broken_manifest("null"), ()),
            (
                "SIGTERM during a batch",
                killed(signal.SIGTERM),
                (
                    "vision/all.html",
                    "vision/all.ipynb",
                    "vision/county.html",
                    "vision/county.ipynb",
                ),
            ),
            (
                "SIGKILL during a batch",
                killed(signal.SIGKILL),
                (
                    "vision/all.html",
                    "vision/all.ipynb",
                    "vision/county.html",
                    "vision/county.ipynb",
                ),
            ),
            ("disk full while writing (a full tmpfs)", full_disk, ()),
            ("site read by another user (nobody)", readable_by_nobody, ()),
            (
                "-p council_name '<script>alert(1)</script>'",
                hostile_name,
                ("future_councils_costs/county.html", "future_councils_costs/county.ipynb"),
            ),
            (
                "--data at an absolute path",
                machine_paths,
                ("vision/county.html", "vision/county.ipynb"),
            ),
        ]
        for name, action, touches in steps:
            outcomes.append(drill(out, name, action, touches))
            print(f"{name}: {outcomes[-1].status}", file=sys.stderr)
    table = [
        "| fault or bad input | result | what the user sees | other pages unchanged |",
        "|---|---|---|---|",
    ]
    table += [f"| {o.fault} | {o.status} | {o.seen} | {o.others_unchanged} |" for o in outcomes]
    text = "\n".join(table) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
