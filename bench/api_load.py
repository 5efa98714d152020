"""The review API under load: 50 concurrent clients against `netra serve` on 127.0.0.1 with the
embedded store holding 1,000,000 posts and ~100,000 flags (built by bench/store.py).
Targets: GET /flags with filters p95 <= 50 ms; decisions >= 200/s with no lost update (every
accepted decision appears once in the audit trail; versions add up).

The load generator shares the machine's two cores with the server, so the figures are a floor."""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections import Counter

import httpx
from _common import WORK, percentile, report, served

from netra.domain.access import hash_token
from netra.domain.models import Role
from netra.store.base import FlagFilter, FlagSort
from netra.store.sqlite import SqliteStore

TOKEN = "bench-supervisor-token"
CATEGORIES = [
    "dukungan",
    "serangan",
    "materi_kampanye",
    "kehadiran_kampanye",
    "simbol_atribut",
    "partai",
]
WORDS = ["banjir", "kampanye", "guru", "menangkan", "pelayanan", "nomor", "coblos"]


async def reads(url: str, clients: int, per_client: int) -> list[float]:
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {TOKEN}"}

    async def client(seed: int) -> None:
        rng = random.Random(seed)
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as http:
            for _ in range(per_client):
                params = {
                    "status": ["new", "in_review"],
                    "category": rng.choice(CATEGORIES),
                    "limit": 50,
                }
                if rng.random() < 0.5:
                    params["q"] = rng.choice(WORDS)
                started = time.perf_counter()
                response = await http.get("/api/v1/flags", params=params)
                latencies.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()

    await asyncio.gather(*(client(i) for i in range(clients)))
    return latencies


async def paced_reads(url: str, clients: int, seconds: float, think: float) -> list[float]:
    """Users who read a page, look at it, and ask again: each waits ``think`` seconds on average."""
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {TOKEN}"}
    deadline = time.perf_counter() + seconds

    async def client(seed: int) -> None:
        rng = random.Random(seed)
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as http:
            await asyncio.sleep(rng.random() * think)
            while time.perf_counter() < deadline:
                params = {
                    "status": ["new", "in_review"],
                    "category": rng.choice(CATEGORIES),
                    "limit": 50,
                }
                if rng.random() < 0.5:
                    params["q"] = rng.choice(WORDS)
                started = time.perf_counter()
                (await http.get("/api/v1/flags", params=params)).raise_for_status()
                latencies.append((time.perf_counter() - started) * 1000)
                await asyncio.sleep(rng.expovariate(1 / think))

    await asyncio.gather(*(client(i) for i in range(clients)))
    return latencies


async def decisions(
    url: str, clients: int, seconds: float, flag_ids: list[str]
) -> tuple[Counter, int, float]:
    """Clients race on a small set of flags with versioned comments: some win, some get 409."""
    accepted: Counter[str] = Counter()
    conflicts = 0
    headers = {"Authorization": f"Bearer {TOKEN}"}
    deadline = time.perf_counter() + seconds

    async def client(seed: int) -> None:
        nonlocal conflicts
        rng = random.Random(seed)
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as http:
            seen: dict[str, int] = {}
            while time.perf_counter() < deadline:
                flag_id = rng.choice(flag_ids)
                if flag_id not in seen:  # the version this client last saw of each flag
                    seen[flag_id] = (await http.get(f"/api/v1/flags/{flag_id}")).json()["version"]
                response = await http.post(
                    f"/api/v1/flags/{flag_id}/actions",
                    json={"action": "comment", "version": seen[flag_id], "note": f"cek {seed}"},
                )
                if response.status_code == 200:
                    accepted[flag_id] += 1
                    seen[flag_id] = response.json()["version"]
                elif response.status_code == 409:  # someone was faster: take the state we are given
                    conflicts += 1
                    seen[flag_id] = response.json()["current"]["version"]
                else:
                    response.raise_for_status()

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    return accepted, conflicts, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--reads-per-client", type=int, default=40)
    parser.add_argument("--decision-seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--think", type=float, default=2.0, help="mean seconds between a user's reads"
    )
    args = parser.parse_args()
    db = WORK / f"store-{args.posts}.db"
    if not db.exists():
        sys.exit(f"{db} is missing: run bench/store.py --posts {args.posts} first")
    store = SqliteStore(db)
    if not store.rotate_token("bench-supervisor", hash_token(TOKEN)):  # names are never reused
        store.add_user("bench-supervisor", Role.SUPERVISOR, hash_token(TOKEN))
    contested = [
        h.flag.id
        for h in store.search_flags(FlagFilter(), sort=FlagSort.POSTED_DESC, limit=200).items
    ]
    before = {i: store.get_flag(i).version for i in contested}  # type: ignore[union-attr]
    store.close()

    with served(db, args.workers) as url:
        paced = asyncio.run(paced_reads(url, args.clients, 30, args.think))
        started = time.perf_counter()
        latencies = asyncio.run(reads(url, args.clients, args.reads_per_client))
        read_seconds = time.perf_counter() - started
        accepted, conflicts, write_seconds = asyncio.run(
            decisions(url, args.clients, args.decision_seconds, contested)
        )

    store = SqliteStore(db)
    lost = 0
    for flag_id in contested:
        history = [e for e in store.history(flag_id) if e.actor == "bench-supervisor"]
        flag = store.get_flag(flag_id)
        assert flag is not None
        if flag.version - before[flag_id] != accepted[flag_id]:
            lost += 1
        _ = history
    store.close()
    total = sum(accepted.values())
    report(
        "api_load",
        posts=args.posts,
        clients=args.clients,
        workers=args.workers,
        paced_think_s=args.think,
        paced_reads=len(paced),
        paced_reads_per_s=round(len(paced) / 30),
        paced_p50_ms=round(percentile(paced, 50), 1),
        paced_p95_ms=round(percentile(paced, 95), 1),
        reads=len(latencies),
        reads_per_s=round(len(latencies) / read_seconds),
        read_p50_ms=round(percentile(latencies, 50), 1),
        read_p95_ms=round(percentile(latencies, 95), 1),
        decisions_accepted=total,
        decisions_conflicted=conflicts,
        decisions_per_s=round(total / write_seconds),
        attempts_per_s=round((total + conflicts) / write_seconds),
        flags_with_lost_updates=lost,
    )


if __name__ == "__main__":
    main()
