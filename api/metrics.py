"""Request counters and latency histograms per route, plus queue gauges, in Prometheus text."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable

from fastapi import Request, Response

from netra.store.base import AggregateBy, Store

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self.latency: dict[tuple[str, str], list[int]] = defaultdict(
            lambda: [0] * (len(BUCKETS) + 1)
        )
        self.latency_sum: dict[tuple[str, str], float] = defaultdict(float)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        with self.lock:
            self.requests[(method, route, status)] += 1
            counts = self.latency[(method, route)]
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    counts[i] += 1
            counts[-1] += 1
            self.latency_sum[(method, route)] += seconds


def middleware(
    metrics: Metrics,
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    async def record(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")  # the template, never the raw path (ids)
        metrics.observe(request.method, path, response.status_code, time.perf_counter() - started)
        return response

    return record


def render(metrics: Metrics, store: Store) -> str:
    lines = [
        "# HELP netra_http_requests_total Requests by route and status.",
        "# TYPE netra_http_requests_total counter",
    ]
    with metrics.lock:
        for (method, route, status), count in sorted(metrics.requests.items()):
            lines.append(
                f'netra_http_requests_total{{method="{method}",route="{route}",status="{status}"}} {count}'
            )
        lines += [
            "# HELP netra_http_request_seconds Request latency.",
            "# TYPE netra_http_request_seconds histogram",
        ]
        for (method, route), counts in sorted(metrics.latency.items()):
            labels = f'method="{method}",route="{route}"'
            for bound, count in zip(BUCKETS, counts, strict=False):
                lines.append(f'netra_http_request_seconds_bucket{{{labels},le="{bound}"}} {count}')
            lines.append(f'netra_http_request_seconds_bucket{{{labels},le="+Inf"}} {counts[-1]}')
            lines.append(
                f"netra_http_request_seconds_sum{{{labels}}} {metrics.latency_sum[(method, route)]:.6f}"
            )
            lines.append(f"netra_http_request_seconds_count{{{labels}}} {counts[-1]}")
    lines += ["# HELP netra_flags Flags in the queue by status.", "# TYPE netra_flags gauge"]
    for bucket in store.aggregate(by=AggregateBy.STATUS):
        lines.append(f'netra_flags{{status="{bucket.key}"}} {bucket.count}')
    return "\n".join(lines) + "\n"


def allow_header(
    app: object,
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    """A 405 says which methods the path does take (RFC 9110), as clients expect."""
    from starlette.routing import Match

    async def add_allow(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        if response.status_code == 405:  # Starlette lists only the first matching route's methods
            methods: set[str] = set()
            for route in getattr(app, "routes", []):
                match, _ = route.matches({**request.scope, "method": "GET"})
                if match is not Match.NONE:
                    methods |= set(getattr(route, "methods", None) or ()) - {"HEAD"}
            if methods:
                response.headers["Allow"] = ", ".join(sorted(methods))
        return response

    return add_allow
