"""Shared helpers of the benchmark scripts: timing, percentiles and the report line."""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = ROOT / "var" / "bench"


def machine() -> str:
    """Cores, CPU model and the vector extensions that decide encoder speed (figures swing 2–3.5×
    between an AVX2-only and an AVX-512 VNNI machine), Python."""
    model, flags = "", set()
    try:
        for line in (
            Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines()
        ):
            key, _, value = line.partition(":")
            if key.strip() == "model name" and not model:
                model = value.strip()
            if key.strip() in ("flags", "Features") and not flags:
                flags = set(value.split())
    except OSError:
        pass
    vector = [f for f in ("avx2", "avx512f", "avx512_vnni", "amx_int8", "asimddp") if f in flags]
    return (
        f"{os.cpu_count()} cores, {model or platform.machine()} ({'+'.join(vector) or 'no AVX2'}),"
        f" {platform.python_implementation()} {platform.python_version()}"
    )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timed() -> Iterator[Callable[[], float]]:
    start = time.perf_counter()
    elapsed: list[float] = []
    yield lambda: elapsed[0] if elapsed else time.perf_counter() - start
    elapsed.append(time.perf_counter() - start)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def report(name: str, **figures: object) -> None:
    print(json.dumps({"bench": name, "machine": machine(), **figures}, ensure_ascii=False))


@contextmanager
def served(db: Path, workers: int, **settings: str) -> Iterator[str]:
    """`netra serve --workers N` over ``db`` on a free port of 127.0.0.1, in its own process,
    until the block ends; yields its URL once /healthz answers. ``settings`` are extra NETRA_
    variables (``AUTH_FAILURE_LIMIT="100000"``)."""
    import socket
    import subprocess

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    env = {**os.environ, "NETRA_DB_PATH": str(db), "NETRA_VAR_DIR": str(WORK / "var")}
    env.update({f"NETRA_{name}": value for name, value in settings.items()})
    server = subprocess.Popen(
        [sys.executable, "-m", "netra.cli", "serve", "--port", str(port)]
        + ["--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{url}/healthz", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait()
