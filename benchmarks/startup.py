"""Start-up of `resched serve` until /healthz answers (not a test: prints figures).

    .venv/bin/python benchmarks/startup.py [--runs 5] [--no-worker] [--src DIR]

Each run starts `python -m resched serve` on a free local port against a migrated SQLite
database in a scratch directory, polls GET /healthz every 20 ms, and records the seconds from
process start to the first 200; then stops the server. Prints each run and the median.
``--src DIR`` puts another checkout's ``src`` first on the path (to measure a commit before a
change with the same environment). Also says whether importing the app loads ortools or pandas.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

READY_BOUND_S = 300.0  # a loaded machine is slow, not broken: give up only after minutes
_PROBE = (
    "import resched.main, sys; "
    "print(sorted(m for m in ('ortools', 'pandas') if m in sys.modules) or 'neither')"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _env(src: str | None, workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["RESCHED_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.db'}"
    env["RESCHED_LOG_LEVEL"] = "WARNING"
    if src:
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc; 0.0 elsewhere): on a busy
    machine wall time mostly measures the neighbours, CPU time measures the start-up's work."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_start(env: dict[str, str], workdir: Path, worker: bool) -> tuple[float, float]:
    port = _free_port()
    command = [sys.executable, "-m", "resched", "serve", "--port", str(port)]
    command.append("--worker" if worker else "--no-worker")
    began = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while not _healthy(port):
            if process.poll() is not None:
                raise SystemExit(f"the server exited with {process.returncode}")
            if time.perf_counter() - began > READY_BOUND_S:
                raise SystemExit(f"no answer from /healthz within {READY_BOUND_S:.0f} s")
            time.sleep(0.02)
        return time.perf_counter() - began, _cpu_seconds(process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-worker", action="store_true", help="serve without the job worker")
    parser.add_argument("--src", help="a checkout's src directory to run instead of this one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="resched-startup-") as scratch:
        workdir = Path(scratch)
        env = _env(args.src, workdir)
        probe = [sys.executable, "-c", _PROBE]
        loaded = subprocess.run(probe, env=env, capture_output=True, text=True, check=True)
        print(f"import resched.main loads: {loaded.stdout.strip()}")
        upgrade = [sys.executable, "-m", "resched", "db", "upgrade"]
        subprocess.run(upgrade, cwd=workdir, env=env, check=True, capture_output=True)
        times, cpu = [], []
        for i in range(args.runs):
            seconds, used = one_start(env, workdir, worker=not args.no_worker)
            times.append(seconds)
            cpu.append(used)
            print(f"run {i + 1}: {seconds:.2f} s to /healthz ({used:.2f} s of CPU)")
    mode = "without" if args.no_worker else "with"
    print(
        f"`resched serve` ({mode} the embedded worker) to /healthz, median of {args.runs}: "
        f"{statistics.median(times):.2f} s ({statistics.median(cpu):.2f} s of CPU, web process)"
    )


if __name__ == "__main__":
    main()
