"""The Store: every role port (netra.store.ports) in one, which is what the application holds.
A backend implements the roles it serves and passes their suites in tests/contract/; the values
the ports exchange live in netra.store.ports.types and are re-exported here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from netra.store.ports import (
    AccessStore,
    CollectionStateStore,
    PostStore,
    QueueStore,
    RegistryStore,
)
from netra.store.ports.types import (
    AggregateBy,
    AuditCandidate,
    Bucket,
    Conflict,
    FlagFilter,
    FlagHit,
    FlagPage,
    FlagSort,
    NotFound,
    QuarantineSettlement,
    RegistrySummary,
    ReportReceipt,
    ScoreRecord,
    SimilarFlag,
    StoreDescription,
    StoreError,
    StoreSummary,
    TimeField,
    UpsertResult,
)


@runtime_checkable
class Store(RegistryStore, PostStore, QueueStore, CollectionStateStore, AccessStore, Protocol):
    def summary(self) -> StoreSummary:
        """The registry's summary with the number of posts and of flags."""
        ...


def each_hit(
    store: QueueStore,
    filters: FlagFilter | None,
    q: str | None = None,
    sort: FlagSort = FlagSort.SCORE_DESC,
    page_size: int = 500,
) -> Iterator[FlagHit]:
    """Every flag the filters and ``q`` match, read page by page: never all of them at once."""
    cursor = None
    while True:
        page = store.search_flags(filters, q=q, sort=sort, cursor=cursor, limit=page_size)
        yield from page.items
        cursor = page.next_cursor
        if cursor is None:
            return


__all__ = [
    "AccessStore",
    "AggregateBy",
    "AuditCandidate",
    "Bucket",
    "CollectionStateStore",
    "Conflict",
    "FlagFilter",
    "FlagHit",
    "FlagPage",
    "FlagSort",
    "NotFound",
    "PostStore",
    "QuarantineSettlement",
    "QueueStore",
    "RegistryStore",
    "RegistrySummary",
    "ReportReceipt",
    "ScoreRecord",
    "SimilarFlag",
    "Store",
    "StoreDescription",
    "StoreError",
    "StoreSummary",
    "TimeField",
    "UpsertResult",
    "each_hit",
]
