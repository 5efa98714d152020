"""Request and response bodies of the API (times are UTC, ISO 8601)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, StrictFloat, StrictInt

from netra.domain.models import (
    Category,
    FlagOrigin,
    FlagStatus,
    Platform,
    PostKind,
    PostVersion,
    ReviewEvent,
    Role,
    Score,
    SocialAccount,
    Stance,
)
from netra.domain.textsearch import check_query
from netra.review import Action, DismissReason


class PersonPublic(BaseModel):
    """For reviewers: who the account belongs to."""

    person_id: str
    nip: str
    name: str
    employment_type: str
    agency: str
    unit: str | None = None
    position: str | None = None
    region_code: str
    region_name: str


class PersonPseudonymous(BaseModel):
    """For dashboards: a stable pseudonymous id, no name, no NIP."""

    person_id: str
    employment_type: str
    agency: str
    region_code: str
    region_name: str


class PostSummary(BaseModel):
    id: str
    platform: Platform
    kind: PostKind
    text: str
    media: list[str]
    posted_at: datetime
    collected_at: datetime
    account_handle: str | None = Field(None, description="hidden from dashboards")
    url: str | None = Field(None, description="hidden from dashboards")
    deleted_at: datetime | None = None
    edited: bool = False


class FlagFacts(BaseModel):
    """What every role may know of a flag."""

    status: FlagStatus
    category: Category
    origin: FlagOrigin
    probability: float
    discovered_at: datetime
    updated_at: datetime
    hours_in_queue: float
    report_deadline: datetime = Field(description="discovery + NETRA_REPORT_DEADLINE_DAYS")
    overdue: bool


class FlagBase(FlagFacts):
    id: str
    stance: Stance
    assignees: list[str]
    version: int


class FlagDashboard(FlagFacts):
    """For dashboards: no post id, text, media, handle or URL (they lead to the author)."""

    id: str = Field(description="pseudonymous flag id (f-…), stable, not a platform id")
    platform: Platform
    posted_at: datetime
    person: PersonPseudonymous | None


class FlagsDashboard(BaseModel):
    items: list[FlagDashboard]
    next_cursor: str | None
    total: int | None = Field(None, description="on the first page only")


class FlagPublic(FlagBase):
    post: PostSummary
    person: PersonPublic | PersonPseudonymous | None


class FlagsPublic(BaseModel):
    items: list[FlagPublic]
    next_cursor: str | None
    total: int | None = Field(None, description="on the first page only")


class Evidence(BaseModel):
    raw: dict[str, Any]
    raw_sha256: str
    collected_at: datetime
    last_checked_at: datetime | None
    deleted_at: datetime | None
    mapping_version: str
    earlier_versions: list[PostVersion]


class SimilarPublic(BaseModel):
    flag_id: str
    similarity: float
    status: FlagStatus
    text: str


class FlagDetail(FlagPublic):
    score: Score = Field(description="probability, signals, entities, nearest labelled examples")
    evidence: Evidence | None = Field(None, description="hidden from dashboards")
    account: SocialAccount | None = Field(None, description="hidden from dashboards")
    similar: list[SimilarPublic]


class ActionRequest(BaseModel):
    action: Action
    version: StrictInt = Field(ge=1, description="the flag version the reviewer saw")
    note: str | None = Field(None, max_length=4000)
    reason: DismissReason | None = None
    assignees: list[str] = Field(default_factory=list, max_length=20)


class ConflictBody(BaseModel):
    detail: str
    current: FlagPublic


class QueueFilterBody(BaseModel):
    """The queue's filters in a request body (bulk actions by filter)."""

    status: list[FlagStatus] = Field(default_factory=list)
    category: list[Category] = Field(default_factory=list)
    platform: list[Platform] = Field(default_factory=list)
    origin: list[FlagOrigin] = Field(default_factory=list)
    agency: list[str] = Field(default_factory=list)
    region: list[str] = Field(default_factory=list)
    assignee: str | None = None
    score_min: StrictFloat | None = Field(None, ge=0, le=1)
    score_max: StrictFloat | None = Field(None, ge=0, le=1)
    q: Annotated[str | None, AfterValidator(check_query)] = Field(
        None, max_length=200, description="full text, as the queue's q"
    )


class BulkRequest(BaseModel):
    action: Action
    ids: list[str] = Field(default_factory=list, max_length=1000)
    filter: QueueFilterBody | None = Field(
        None, description="instead of ids: every flag it matches, however many"
    )
    versions: dict[str, StrictInt] = Field(
        default_factory=dict, description="id → version seen; default: current"
    )
    note: str | None = Field(None, max_length=4000)
    reason: DismissReason | None = None
    assignees: list[str] = Field(default_factory=list, max_length=20)


class BulkItem(BaseModel):
    id: str
    ok: bool
    status_code: int
    error: str | None = None
    flag: FlagPublic | None = None


class BulkResult(BaseModel):
    matched: int = Field(description="flags the ids or the filter named (duplicates once)")
    acted: int = Field(description="flags the action was tried on: done + failed")
    done: int
    failed: int
    items: list[BulkItem]


class History(BaseModel):
    flag_id: str
    events: list[ReviewEvent]


class Count(BaseModel):
    key: str | None
    count: int


class DayCount(BaseModel):
    day: str
    key: str | None
    count: int


class Summary(BaseModel):
    total: int
    by_status: list[Count]
    by_category: list[Count]
    by_origin: list[Count]
    open: int
    overdue: int = Field(description="open and past the reporting deadline")
    timezone: str


class Quality(BaseModel):
    reviewed: int
    confirmed: int
    dismissed: int
    precision: float | None = Field(
        description="confirmed or escalated / reviewed, classifier flags"
    )
    audit_reviewed: int
    audit_partisan: int
    estimated_missed: float | None = Field(description="partisan posts the classifier let through")
    estimated_recall: float | None
    scored_posts: int
    flagged_posts: int


class UserCreate(BaseModel):
    name: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_.@-]+$")
    role: Role


class UserCreated(BaseModel):
    name: str
    role: Role
    token: str = Field(description="shown once; only its hash is stored")


class AuditDraw(BaseModel):
    size: StrictInt = Field(ge=1, le=1000)


class AuditDrawn(BaseModel):
    drawn: int
    ids: list[str]


class Health(BaseModel):
    ok: bool
    store: str
    schema_version: int | None
    model: str | None
    flags: int | None
