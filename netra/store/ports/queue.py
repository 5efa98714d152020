"""The queue role: flags (suspected cases) with their review events (tables flags, flag_fts,
review_events, embeddings)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from netra.domain.models import Flag, Platform, Post, ReviewEvent
from netra.store.ports.role import StoreRole
from netra.store.ports.types import (
    AggregateBy,
    Bucket,
    Conflict,
    FlagFilter,
    FlagPage,
    FlagSort,
    SimilarFlag,
    TimeField,
    UpsertResult,
)


class QueueStore(StoreRole, Protocol):
    def upsert_flags(
        self,
        flags: Sequence[Flag],
        embeddings: Mapping[str, Sequence[float]] | None = None,
    ) -> UpsertResult:
        """Insert new flags; for flags already there refresh score and category only, so the
        review state (status, assignees, version) is never overwritten by a re-score."""
        ...

    def get_flag(self, flag_id: str) -> Flag | None: ...

    def flag_embeddings(self, flag_ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored embeddings of these flags, by flag id (flags without one are left out)."""
        ...

    def search_flags(
        self,
        filters: FlagFilter | None = None,
        q: str | None = None,
        sort: FlagSort = FlagSort.SCORE_DESC,
        cursor: str | None = None,
        limit: int = 50,
    ) -> FlagPage:
        """One page of the queue and the cursor of the next. Keyset pagination: rows inserted
        while paging never shift or repeat the rows already seen. ``q`` is the full-text query
        whose meaning README.md ("The store") defines for every backend."""
        ...

    def aggregate(
        self,
        filters: FlagFilter | None = None,
        by: AggregateBy | None = None,
        interval: str | None = None,
        time_field: TimeField = TimeField.FLAGGED,
        tz: str = "UTC",
    ) -> list[Bucket]:
        """Counts of flags grouped by a field, by day (``interval='day'`` in zone ``tz``), or
        both."""
        ...

    def apply_review(
        self, flag_id: str, expected_version: int, event: ReviewEvent
    ) -> Flag | Conflict:
        """Apply one review event atomically if the flag is still at ``expected_version``:
        status moves to ``event.to_status`` (when set), assignees are added/removed, the version
        goes up by one and the event is appended to the history."""
        ...

    def history(self, flag_id: str) -> list[ReviewEvent]: ...

    def similar(self, flag_id: str, k: int = 5) -> list[SimilarFlag]: ...

    def review_events(
        self, since: datetime, until: datetime, filters: FlagFilter | None = None
    ) -> list[ReviewEvent]:
        """Review events recorded in [since, until) on flags that match ``filters``, in order."""
        ...

    def flagged_posts(self, platform: Platform | None = None) -> list[Post]:
        """Posts in the queue that are not known to be deleted: what a re-check revisits."""
        ...
