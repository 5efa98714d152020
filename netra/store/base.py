"""The Store port: every storage backend implements this Protocol and passes tests/contract/."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from netra.domain.models import (
    AccountStatus,
    Category,
    Checkpoint,
    Flag,
    FlagOrigin,
    FlagStatus,
    Person,
    Platform,
    Post,
    QuarantinedItem,
    QuarantineState,
    ReviewEvent,
    Role,
    SocialAccount,
    User,
)


class StoreError(Exception):
    """A store operation failed; the message says what and where."""


class NotFound(LookupError):
    """No such record. Not a StoreError: a missing thing is the caller's 404, not a store outage."""


@dataclass(frozen=True)
class Conflict:
    """A review write carried a stale version; ``current`` is the flag as it is now."""

    current: Flag
    expected_version: int


@dataclass(frozen=True)
class FlagFilter:
    """Filters of the review queue. Empty collections and None mean 'any'."""

    statuses: frozenset[FlagStatus] = frozenset()
    categories: frozenset[Category] = frozenset()
    platforms: frozenset[Platform] = frozenset()
    origins: frozenset[FlagOrigin] = frozenset()
    agencies: frozenset[str] = frozenset()
    region_codes: frozenset[str] = frozenset()
    assignee: str | None = None
    unassigned: bool = False
    score_min: float | None = None
    score_max: float | None = None
    posted_from: datetime | None = None
    posted_to: datetime | None = None  # exclusive
    flagged_from: datetime | None = None
    flagged_to: datetime | None = None  # exclusive
    person_nip: str | None = None


class FlagSort(StrEnum):
    SCORE_DESC = "score_desc"
    POSTED_DESC = "posted_desc"
    POSTED_ASC = "posted_asc"
    QUEUE_AGE_DESC = "queue_age_desc"  # oldest in queue first
    QUEUE_AGE_ASC = "queue_age_asc"


class AggregateBy(StrEnum):
    STATUS = "status"
    CATEGORY = "category"
    PLATFORM = "platform"
    AGENCY = "agency"
    REGION = "region"
    ORIGIN = "origin"


class TimeField(StrEnum):
    FLAGGED = "flagged"  # when the flag entered the queue (discovery)
    POSTED = "posted"


@dataclass(frozen=True)
class FlagHit:
    """A flag with what the queue shows next to it."""

    flag: Flag
    post: Post
    person: Person | None


@dataclass(frozen=True)
class FlagPage:
    items: list[FlagHit]
    next_cursor: str | None
    total: int | None = None


@dataclass(frozen=True)
class Bucket:
    key: str | None  # group value (or None where the field is empty)
    day: str | None  # ISO date in the requested zone, when grouped by day
    count: int


@dataclass
class UpsertResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    edited: int = 0  # of the updated posts, those whose text or media changed
    new_ids: list[str] = field(default_factory=list)
    updated_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SimilarFlag:
    flag_id: str
    similarity: float


@dataclass(frozen=True)
class ScoreRecord:
    """That a model scored a post, whether or not it was flagged."""

    post_id: str
    model_version: str
    probability: float
    threshold: float
    flagged: bool
    scored_at: datetime


@dataclass(frozen=True)
class AuditCandidate:
    """A scored post below the threshold, with the score it had."""

    post_id: str
    probability: float
    threshold: float | None


@dataclass(frozen=True)
class QuarantineSettlement:
    """What a re-collection of one account did to its quarantined items."""

    resolved: int = 0
    given_up: int = 0
    pending: int = 0


@dataclass(frozen=True)
class StoreSummary:
    people: int
    accounts: int
    accounts_by_platform: Mapping[str, int]
    people_by_agency: Mapping[str, int]
    posts: int
    flags: int


@runtime_checkable
class Store(Protocol):
    # -- registry -------------------------------------------------------------
    def upsert_people(self, people: Sequence[Person]) -> UpsertResult:
        """Insert or update people by NIP in one transaction; accounts are merged by
        (platform, handle), never duplicated. All or nothing."""
        ...

    def get_person(self, nip: str) -> Person | None: ...

    def iter_people(self) -> Iterator[Person]: ...

    def regions(self) -> dict[str, str]:
        """Region codes of the registry and their names."""
        ...

    def account_owners(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """Which NIP each (platform, lower-case handle) key belongs to, for keys that exist."""
        ...

    # -- posts ----------------------------------------------------------------
    def upsert_posts(self, posts: Sequence[Post]) -> UpsertResult:
        """Bulk, idempotent by id. A changed text or media keeps the earlier version in
        ``edit_history``; an identical payload changes nothing."""
        ...

    def get_post(self, post_id: str) -> Post | None: ...

    def mark_deleted(self, post_id: str, seen_gone_at: datetime) -> bool: ...

    # -- flags ----------------------------------------------------------------
    def upsert_flags(
        self,
        flags: Sequence[Flag],
        embeddings: Mapping[str, Sequence[float]] | None = None,
    ) -> UpsertResult:
        """Insert new flags; for flags already there refresh score and category only, so the
        review state (status, assignees, version) is never overwritten by a re-score."""
        ...

    def get_flag(self, flag_id: str) -> Flag | None: ...

    def search_flags(
        self,
        filters: FlagFilter | None = None,
        q: str | None = None,
        sort: FlagSort = FlagSort.SCORE_DESC,
        cursor: str | None = None,
        limit: int = 50,
    ) -> FlagPage:
        """One page of the queue and the cursor of the next. Keyset pagination: rows inserted
        while paging never shift or repeat the rows already seen."""
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

    # -- collection state -----------------------------------------------------
    def get_checkpoint(self, platform: Platform, account: str) -> Checkpoint | None: ...

    def set_checkpoint(
        self, platform: Platform, account: str, cursor: str | None
    ) -> Checkpoint: ...

    def iter_accounts(
        self,
        platform: Platform | None = None,
        handle_from: str | None = None,
        handle_to: str | None = None,
    ) -> Iterator[tuple[str, SocialAccount]]:
        """Registered accounts as (NIP, account), ordered by platform and lower-case handle;
        ``handle_from``/``handle_to`` bound the lower-case handle to [from, to)."""
        ...

    def set_account_status(
        self, platform: Platform, handle: str, status: AccountStatus, seen_at: datetime
    ) -> bool: ...

    def quarantine(self, items: Sequence[QuarantinedItem]) -> int:
        """Keep items that could not be mapped. One whose (platform, account, key) is kept
        already is the same item fetched again: one attempt more, the newest error and time
        (pending again unless it was given up). Returns how many items are quarantined now,
        not counting those seen again after they were given up."""
        ...

    def list_quarantine(
        self,
        limit: int = 100,
        since: datetime | None = None,
        states: Iterable[QuarantineState] | None = None,
    ) -> list[QuarantinedItem]:
        """Newest first; ``since`` bounds the last time seen; ``states``: all when None."""
        ...

    def quarantine_backlog(self) -> dict[tuple[Platform, str], datetime]:
        """Accounts with pending items, keyed by (platform, lower-case account), each with the
        first time its oldest pending item was seen."""
        ...

    def settle_quarantine(
        self, platform: Platform, account: str, recollected_from: datetime, max_attempts: int
    ) -> QuarantineSettlement:
        """After the account was collected again from scratch in a pass that began at
        ``recollected_from``: its pending items not quarantined again in that pass are resolved;
        those quarantined ``max_attempts`` times are given up, with the reason."""
        ...

    def quarantine_counts(self) -> dict[QuarantineState, int]: ...

    def save_collection_run(
        self, started_at: datetime, finished_at: datetime, summary: dict[str, Any]
    ) -> None: ...

    def collection_runs(self, since: datetime) -> list[dict[str, Any]]: ...

    # -- digest deliveries -----------------------------------------------------
    def digest_recipients_sent(self, day: date, region: str) -> set[str]:
        """The recipients (lower-case) the digest of ``day`` and ``region`` was sent to already."""
        ...

    def record_digest_sent(self, day: date, region: str, recipient: str, sent_at: datetime) -> None:
        """Remember one delivery; recording it again changes nothing (the first time stays)."""
        ...

    # -- scoring bookkeeping ---------------------------------------------------
    def record_scores(self, records: Sequence[ScoreRecord]) -> None: ...

    def unscored_posts(
        self, model_version: str, limit: int = 500, after_rowid: int = 0
    ) -> tuple[list[Post], int]:
        """Posts this model has not scored (not deleted or purged) and a position to go on from."""
        ...

    def flagged_posts(self, platform: Platform | None = None) -> list[Post]:
        """Posts in the queue that are not known to be deleted: what a re-check revisits."""
        ...

    def save_report_contact(self, post_id: str, contact: str, received_at: datetime) -> None: ...

    def get_report_contact(self, post_id: str) -> str | None: ...

    def scoring_counts(self) -> dict[str, int]:
        """How many posts the models scored and how many of them were flagged."""
        ...

    def latest_scoring_model(self) -> str | None:
        """The model version that scored posts most recently."""
        ...

    def audit_candidates(self, model_version: str, limit: int, seed: int) -> list[AuditCandidate]:
        """Scored, unflagged posts not in the queue, in a seeded random order."""
        ...

    # -- users ----------------------------------------------------------------
    def add_user(self, name: str, role: Role, token_hash: str) -> User:
        """StoreError when the name is taken, now or ever: a revoked user's name is never given
        out again, so audit events keep naming one person."""
        ...

    def user_by_token_hash(self, token_hash: str) -> User | None: ...

    def list_users(self) -> list[User]: ...

    def revoke_user(self, name: str) -> bool: ...

    def rotate_token(self, name: str, token_hash: str) -> bool:
        """A new token for an active user, same name and identity; False when there is none."""
        ...

    # -- housekeeping ---------------------------------------------------------
    def purge(self, before: datetime, keep_flagged: bool = True) -> int:
        """Retention: drop text, media and raw payload of posts created before ``before``; with
        ``keep_flagged`` posts in the queue keep everything (they are evidence)."""
        ...

    def summary(self) -> StoreSummary: ...

    def close(self) -> None: ...


def each_hit(
    store: Store,
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
