"""Request counters and latency histograms per route, plus queue gauges, in Prometheus text.

Requests are recorded in netra.metrics, whose files every API worker and pipeline process share:
a scrape of any worker adds them all up (see that module)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import Request, Response
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from netra import metrics
from netra.store.base import AggregateBy, Store


def middleware() -> Callable[
    [Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]
]:
    async def record(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")  # the template, never the raw path (ids)
        metrics.record_request(
            request.method, path, response.status_code, time.perf_counter() - started
        )
        return response

    return record


class QueueGauges(Collector):
    """Flags in the queue by status, read from the store at scrape time (not per process)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def collect(self) -> list[GaugeMetricFamily]:
        gauge = GaugeMetricFamily("netra_flags", "Flags in the queue by status.", labels=["status"])
        for bucket in self.store.aggregate(by=AggregateBy.STATUS):
            gauge.add_metric([str(bucket.key)], bucket.count)
        return [gauge]


def render(directory: Path, store: Store) -> bytes:
    """What every process recorded into ``directory``, then the queue gauges."""
    queue = CollectorRegistry()
    queue.register(QueueGauges(store))
    return metrics.exposition(directory) + generate_latest(queue)


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
