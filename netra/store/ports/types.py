"""The values the store ports take and return: filters, pages, results, errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from netra.domain.models import (
    Category,
    Flag,
    FlagOrigin,
    FlagStatus,
    Person,
    Platform,
    Post,
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
class ReportReceipt:
    """A report sent through the public form (/lapor): the receipt number the reporter follows it
    up with, the post it became, and its screenshot (a file name under NETRA_VAR_DIR/reports)."""

    receipt: str
    post_id: str
    received_at: datetime
    screenshot: str | None = None
    screenshot_sha256: str | None = None


@dataclass(frozen=True)
class StoreSummary:
    people: int
    accounts: int
    accounts_by_platform: Mapping[str, int]
    people_by_agency: Mapping[str, int]
    posts: int
    flags: int


@dataclass(frozen=True)
class RegistrySummary:
    people: int
    accounts: int
    accounts_by_platform: Mapping[str, int]
    people_by_agency: Mapping[str, int]


@dataclass(frozen=True)
class StoreDescription:
    """What a store (or one role of it) is and whether it answers: for health checks and
        ``netra status``. ``reason`` says why it is not ok in a few words that are safe to show without a
    token (no paths, no data). ``counts`` holds only counts that are cheap for the backend: ``people``
    and ``accounts`` (registry), ``posts`` (posts) and ``flags`` (queue) where it serves them."""

    backend: str
    schema_version: int | None = None
    ok: bool = True
    reason: str | None = None
    counts: Mapping[str, int] = field(default_factory=dict)
