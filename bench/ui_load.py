"""The analyst web UI under load: 20 simulated analysts signed in through the sign-in form, each
opening a filtered queue page and then one item from it, against `netra serve` on 127.0.0.1 with
the embedded store holding 1,000,000 posts and ~100,000 flags (built by bench/store.py).

Two runs: analysts who read each page for a while (mean think time, default 2 s), and analysts who
ask back to back (the most pages per second the server gives). Figures: pages per second and the
p50 / p95 of the queue page and the item page (whole HTML page, server side rendering included).
The load generator shares the machine's cores with the server, so the figures are a floor."""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sys
import time
from collections import defaultdict

import httpx
from _common import WORK, percentile, report, served

from netra.domain.access import hash_token
from netra.domain.models import Role
from netra.store.sqlite import SqliteStore
from tests.ui_http import sign_in_csrf

CATEGORIES = ["dukungan", "serangan", "materi_kampanye", "kehadiran_kampanye", "simbol_atribut"]
WORDS = ["banjir", "kampanye", "guru", "menangkan", "pelayanan", "nomor", "coblos"]
ITEM_LINK = re.compile(r'href="(/ui/flags/[^"?]+)(\?[^"]*)?"')


def analyst_tokens(db_path: str, count: int) -> list[str]:
    """One analyst per simulated person, with a fresh token each run (names are never reused)."""
    store = SqliteStore(db_path)
    tokens = []
    for index in range(count):
        name, token = f"bench-analyst-{index}", f"bench-ui-analyst-token-{index}"
        if not store.rotate_token(name, hash_token(token)):
            store.add_user(name, Role.ANALYST, hash_token(token))
        tokens.append(token)
    store.close()
    return tokens


async def sign_in(http: httpx.AsyncClient, token: str) -> None:
    form = (await http.get("/ui/masuk")).text
    answer = await http.post("/ui/masuk", data={"token": token, "csrf": sign_in_csrf(form)})
    if answer.status_code != 303:
        raise RuntimeError(f"sign-in answered {answer.status_code}")


async def analysts(
    url: str, tokens: list[str], seconds: float, think: float
) -> tuple[dict[str, list[float]], float]:
    latencies: dict[str, list[float]] = defaultdict(list)
    deadline = time.perf_counter() + seconds

    async def timed_get(http: httpx.AsyncClient, kind: str, path: str) -> str:
        started = time.perf_counter()
        answer = await http.get(path)
        latencies[kind].append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
        return answer.text

    async def analyst(seed: int, token: str) -> None:
        rng = random.Random(seed)
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            await sign_in(http, token)
            if think:
                await asyncio.sleep(rng.random() * think)
            while time.perf_counter() < deadline:
                query = f"status=new&status=in_review&category={rng.choice(CATEGORIES)}"
                if rng.random() < 0.5:
                    query += f"&q={rng.choice(WORDS)}"
                page = await timed_get(http, "queue", f"/ui?{query}")
                if think:
                    await asyncio.sleep(rng.expovariate(1 / think))
                links = ITEM_LINK.findall(page)
                if links:
                    path, rest = rng.choice(links[:10])
                    await timed_get(http, "item", path + (rest or "").replace("&amp;", "&"))
                    if think:
                        await asyncio.sleep(rng.expovariate(1 / think))

    started = time.perf_counter()
    await asyncio.gather(*(analyst(i, token) for i, token in enumerate(tokens)))
    return latencies, time.perf_counter() - started


def figures(latencies: dict[str, list[float]], seconds: float) -> dict[str, object]:
    pages = sum(len(v) for v in latencies.values())
    out: dict[str, object] = {"pages": pages, "pages_per_s": round(pages / seconds, 1)}
    for kind, values in sorted(latencies.items()):
        out[f"{kind}_n"] = len(values)
        out[f"{kind}_p50_ms"] = round(percentile(values, 50), 1)
        out[f"{kind}_p95_ms"] = round(percentile(values, 95), 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--analysts", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    db = WORK / f"store-{args.posts}.db"
    if not db.exists():
        sys.exit(f"{db} is missing: run bench/store.py --posts {args.posts} first")
    tokens = analyst_tokens(str(db), args.analysts)
    with served(db, args.workers, AUTH_FAILURE_LIMIT="100000") as url:
        paced, paced_s = asyncio.run(analysts(url, tokens, args.seconds, args.think))
        flat, flat_s = asyncio.run(analysts(url, tokens, args.seconds, 0.0))
    common = {"posts": args.posts, "analysts": args.analysts, "workers": args.workers}
    report("ui_paced", think_s=args.think, **common, **figures(paced, paced_s))
    report("ui_back_to_back", **common, **figures(flat, flat_s))


if __name__ == "__main__":
    main()
