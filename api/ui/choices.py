"""What the filter forms offer: every agency and region code that has flags (a scan of all
flags, so kept a few minutes by each process)."""

from __future__ import annotations

from fastapi import Request

from netra.store.base import AggregateBy, FlagFilter, Store


def filter_choices(request: Request) -> tuple[list[str], list[str]]:
    """(agencies, region codes), sorted."""
    store: Store = request.app.state.store

    def scan() -> tuple[list[str], list[str]]:
        def keys(by: AggregateBy) -> list[str]:
            return sorted({b.key for b in store.aggregate(FlagFilter(), by=by) if b.key})

        return keys(AggregateBy.AGENCY), keys(AggregateBy.REGION)

    return request.app.state.ui_caches.choices.get("agencies-regions", scan)
