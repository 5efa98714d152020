"""The request rate shared by every process that uses one platform credential: real processes
hammering one SQLite file, and (with an injected clock) holds after a 429 and a clock that goes
back."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import httpx

from collectors.http import HttpPolicy, HttpStats, PlatformHttp, RateLimiter
from collectors.ratelimit import SharedRateLimiter, limit_key
from collectors.x import XCollector
from netra.domain.models import Platform
from netra.domain.settings import Settings
from netra.pipeline import build_collectors

ROOT = Path(__file__).resolve().parents[2]

# One worker process: wait for the common start, take `count` slots, print when each was granted.
WORKER = """
import json, sys, time
from pathlib import Path
from collectors.ratelimit import SharedRateLimiter
path, key, rate, count, start_at = sys.argv[1:]
limiter = SharedRateLimiter(Path(path), key, float(rate))
time.sleep(max(0.0, float(start_at) - time.time()))
granted = []
for _ in range(int(count)):
    limiter.acquire()
    granted.append(time.time())
print(json.dumps(granted))
"""


def hammer(path: Path, jobs: list[tuple[str, float, int]]) -> list[list[float]]:
    """Run one process per (key, rate, count) at once; the moments each one was granted."""
    start_at = time.time() + 1.5  # every interpreter has started by then, even on a busy machine
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), key, str(rate), str(count), str(start_at)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for key, rate, count in jobs
    ]
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0
        results.append(json.loads(out))
    return results


def span(*groups: list[float]) -> float:
    moments = [t for group in groups for t in group]
    return max(moments) - min(moments)


def test_two_processes_on_one_credential_share_the_rate(tmp_path: Path) -> None:
    key = limit_key("x", "token-a")
    first, second = hammer(tmp_path / "rate.db", [(key, 20.0, 20), (key, 20.0, 20)])
    # 40 requests at 20/s: 39 intervals of 50 ms between the first and the last, whichever
    # process sent them. Each process alone would have finished in about 0.95 s.
    assert span(first, second) >= 1.85
    assert span(first, second) < 15
    # Both really ran at once: their requests interleave.
    assert min(second) < max(first) and min(first) < max(second)


def test_two_credentials_do_not_share_a_budget(tmp_path: Path) -> None:
    jobs = [(limit_key("x", "token-a"), 5.0, 6), (limit_key("x", "token-b"), 5.0, 6)]
    first, second = hammer(tmp_path / "rate.db", jobs)
    # Each: 5 intervals of 200 ms, about 1 s, side by side; one shared budget would take 2.2 s.
    assert span(first) >= 0.95 and span(second) >= 0.95
    assert span(first, second) < 1.7


class FakeTime:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))


def test_processes_reserve_slots_one_after_another(tmp_path: Path) -> None:
    fake = FakeTime()
    path = tmp_path / "rate.db"
    a, b = (SharedRateLimiter(path, "x:k", 4, clock=fake.clock, sleep=fake.sleep) for _ in "ab")
    other = SharedRateLimiter(path, "x:other", 4, clock=fake.clock, sleep=fake.sleep)
    for limiter in (a, b, a, other, b):
        limiter.acquire()
    assert fake.slept == [0.25, 0.5, 0.75]  # the other key took its first slot at once
    for limiter in (a, b, other):
        limiter.close()


def test_a_429_holds_every_process_on_that_credential(tmp_path: Path) -> None:
    fake = FakeTime()
    path = tmp_path / "rate.db"
    elsewhere_slept: list[float] = []
    elsewhere = SharedRateLimiter(path, "x:k", 0.5, clock=fake.clock, sleep=elsewhere_slept.append)
    fresh = SharedRateLimiter(path, "x:other", 0.5, clock=fake.clock, sleep=elsewhere_slept.append)
    http_slept: list[float] = []

    def http_sleep(seconds: float) -> None:
        http_slept.append(seconds)
        elsewhere.acquire()  # another worker asks for a slot while this one waits out the 429
        fresh.acquire()  # and one with another credential
        fake.now += seconds

    answers = [httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json={})]
    client = httpx.Client(transport=httpx.MockTransport(lambda _: answers.pop(0)))
    http = PlatformHttp(
        client,
        "x",
        HttpPolicy(),
        limiter=SharedRateLimiter(path, "x:k", 0.5, clock=fake.clock, sleep=fake.sleep),
        sleep=http_sleep,
        rng=random.Random(1),
    )
    body, _ = http.get_json("https://api.x.test/2/users/1/tweets")
    assert body == {} and http_slept == [7.0]
    assert http.stats.rate_limit_waits == 1 and http.stats.requests == 2
    # The other worker waited out the 429 (not just the 2 s spacing); the other credential did
    # not wait; the retry came 2 s after the other worker's request.
    assert elsewhere_slept == [7.0] and fake.slept == [2.0]


def test_the_process_limiter_holds_after_a_429_too() -> None:
    fake = FakeTime()
    limiter = RateLimiter(1, clock=fake.clock, sleep=fake.sleep)
    limiter.acquire()
    limiter.hold(30)
    limiter.acquire()
    assert fake.slept == [30.0]


def test_a_clock_that_went_back_does_not_stall_requests(tmp_path: Path) -> None:
    fake = FakeTime()
    limiter = SharedRateLimiter(tmp_path / "rate.db", "x:k", 1, clock=fake.clock, sleep=fake.sleep)
    limiter.hold(600)
    fake.now -= 3600  # e.g. NTP corrected an hour
    limiter.acquire()
    assert fake.slept == []
    limiter.acquire()
    assert fake.slept == [1.0]


def test_zero_rate_means_no_limit_and_no_file(tmp_path: Path) -> None:
    limiter = SharedRateLimiter(tmp_path / "rate.db", "x:k", 0)
    limiter.acquire()
    assert not (tmp_path / "rate.db").exists()


def test_keys_hash_the_credential() -> None:
    key = limit_key("x", "AAAA-secret-token")
    assert key.startswith("x:") and "secret" not in key
    assert key == limit_key("x", "AAAA-secret-token") != limit_key("x", "another-token")
    assert limit_key("x", "t") != limit_key("youtube", "t")


def test_collectors_share_the_limit_of_their_credential_by_default(tmp_path: Path) -> None:
    def x_limiter(settings: Settings) -> SharedRateLimiter:
        with httpx.Client() as client:
            collectors = build_collectors(settings, client, HttpStats())
        collector = collectors[Platform.X]
        assert isinstance(collector, XCollector)
        limiter = collector.http.limiter
        assert isinstance(limiter, SharedRateLimiter)
        return limiter

    settings = Settings(x_bearer_token="token-a", http_requests_per_second=4)
    limiter = x_limiter(settings)
    assert limiter.path == tmp_path / "var" / "http-rate-limit.db"  # NETRA_VAR_DIR (conftest)
    assert limiter.key == limit_key("x", "token-a") and limiter.interval == 0.25
    assert x_limiter(Settings(x_bearer_token="token-a")).key == limiter.key
    assert x_limiter(Settings(x_bearer_token="token-b")).key != limiter.key
    elsewhere = tmp_path / "shared" / "rate.db"
    assert x_limiter(Settings(http_rate_limit_db=elsewhere)).path == elsewhere
