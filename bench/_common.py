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
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
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
