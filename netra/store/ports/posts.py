"""The posts role: collected posts with their evidence (raw payload, hash, earlier versions) and
which model scored them (tables posts, post_scores)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from netra.domain.models import Post
from netra.store.ports.role import StoreRole
from netra.store.ports.types import AuditCandidate, ScoreRecord, UpsertResult


class PostStore(StoreRole, Protocol):
    def upsert_posts(self, posts: Sequence[Post]) -> UpsertResult:
        """Bulk, idempotent by id. A changed text or media keeps the earlier version in
        ``edit_history``; an identical payload changes nothing."""
        ...

    def get_post(self, post_id: str) -> Post | None: ...

    def posts_after(self, after: str | None, limit: int = 500) -> list[Post]:
        """Every stored post (deleted and purged ones too) in id order, ``limit`` at a time,
        starting after the id ``after`` (None: from the first): what a copy to another backend
        pages through and resumes from."""
        ...

    def mark_deleted(self, post_id: str, seen_gone_at: datetime) -> bool: ...

    def purge(self, before: datetime, keep_flagged: bool = True) -> int:
        """Retention: drop text, media and raw payload of posts created before ``before``; with
        ``keep_flagged`` posts in the queue keep everything (they are evidence)."""
        ...

    def record_scores(self, records: Sequence[ScoreRecord]) -> None: ...

    def unscored_posts(
        self, model_version: str, limit: int = 500, cursor: str | None = None
    ) -> tuple[list[Post], str | None]:
        """Posts this model has not scored (not deleted or purged), in a stable order, and an
        opaque cursor to go on from (pass it back as ``cursor``). A cursor this store did not
        return is a ValueError."""
        ...

    def scoring_counts(self) -> dict[str, int]:
        """How many posts the models scored and how many of them were flagged."""
        ...

    def latest_scoring_model(self) -> str | None:
        """The model version that scored posts most recently."""
        ...

    def audit_candidates(self, model_version: str, limit: int, seed: int) -> list[AuditCandidate]:
        """Scored, unflagged posts not in the queue, in a seeded random order. (It reads the
        queue: the posts and the queue roles are served by one backend.)"""
        ...
