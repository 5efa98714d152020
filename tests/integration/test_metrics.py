"""Metrics add up across processes: API workers and pipeline processes write to one directory
(prometheus_client's multiprocess mode) and any worker's /metrics shows the sum."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from scrape import by_label, samples

from api.app import create_app
from netra import metrics
from netra.domain.settings import Settings
from netra.store.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parents[2]

# A pipeline-like process: records, says so, then waits for a line on stdin. "finish" folds its
# files as a finished task does; "die" leaves them, as a killed one would.
RECORDER = """
import os, sys
from pathlib import Path
from netra import metrics
metrics.configure(Path(sys.argv[1]))
for _ in range(int(sys.argv[2])):
    metrics.record_request("GET", "/api/v1/flags", 200, 0.01)
metrics.record_collected("x", int(sys.argv[2]))
print("ready", flush=True)
how = sys.stdin.readline().strip()
if how == "finish":
    metrics.finish()
os._exit(0)
"""


def recorder(directory: Path, count: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", RECORDER, str(directory), str(count)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def end(proc: subprocess.Popen[str], how: str) -> None:
    assert proc.stdin is not None
    proc.stdin.write(how + "\n")
    proc.stdin.flush()
    assert proc.wait(timeout=30) == 0


def requests_to(text: str, route: str = "/api/v1/flags") -> float:
    return sum(
        value
        for labels, value in samples(text, "netra_http_requests_total").items()
        if ("route", route) in labels
    )


def test_two_processes_add_up_while_alive_and_after_they_finish(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path / "var", db_path=tmp_path / "netra.db")
    directory = metrics.directory_for(settings)
    first, second = recorder(directory, 3), recorder(directory, 4)
    store = SqliteStore(settings.db_path)
    with TestClient(create_app(settings, store)) as client:
        alive = client.get("/metrics").text
        assert requests_to(alive) == 7
        assert by_label(alive, "netra_posts_collected_total", "platform") == {"x": 7}
        end(first, "finish")
        end(second, "finish")
        finished = client.get("/metrics").text
        assert requests_to(finished) == 7  # folded into the archive, not lost
        assert by_label(finished, "netra_posts_collected_total", "platform") == {"x": 7}
    store.close()
    left = sorted(path.name for path in directory.glob("*.db"))
    assert left == ["counter_archive.db", "histogram_archive.db"]  # the test's own, folded too


def test_serve_folds_what_dead_processes_of_this_host_left(tmp_path: Path) -> None:
    directory = tmp_path / "metrics"
    killed = recorder(directory, 5)
    end(killed, "die")
    (dead_file,) = directory.glob(f"counter_{metrics.host()}-{killed.pid}.db")
    elsewhere = directory / "counter_other-host-1.db"  # a live task in another container
    shutil.copy(dead_file, elsewhere)
    alive = recorder(directory, 2)
    try:
        metrics.prepare(directory)
        names = {path.name for path in directory.glob("counter_*.db")}
        assert dead_file.name not in names
        assert {elsewhere.name, f"counter_{metrics.host()}-{alive.pid}.db"} <= names
        assert requests_to(metrics.exposition(directory).decode()) == 5 + 5 + 2
    finally:
        end(alive, "finish")
    assert requests_to(metrics.exposition(directory).decode()) == 12


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_scrape_of_netra_serve_with_two_workers_counts_both(tmp_path: Path) -> None:
    port = free_port()
    var = tmp_path / "var"
    env = {**os.environ, "NETRA_VAR_DIR": str(var), "NETRA_API_PORT": str(port)}
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "netra.cli", "serve", "--workers", "2"],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    close = {"Connection": "close"}  # a new connection each time: either worker may answer
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None and time.monotonic() < deadline, (
                tmp_path / "serve.log"
            ).read_text()[-2000:]
            try:
                httpx.get(f"{url}/healthz", headers=close, timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        for _ in range(19):
            httpx.get(f"{url}/healthz", headers=close)  # 503 here (no model): counted all the same
        for _ in range(8):
            scrape = httpx.get(f"{url}/metrics", headers=close)
            assert scrape.status_code == 200
            assert requests_to(scrape.text, "/healthz") == 20, scrape.text
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        log.close()
    after = metrics.exposition(var / "metrics").decode()
    assert requests_to(after, "/healthz") == 20  # the workers folded their files as they ended
    assert sorted(path.name for path in (var / "metrics").glob("*.db")) == [
        "counter_archive.db",
        "histogram_archive.db",
    ]
