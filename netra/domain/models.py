"""The domain model shared by every package: people, accounts, posts, scores, flags, reviews.

All datetimes are timezone-aware and normalised to UTC on the way in; people see them in
``NETRA_TIMEZONE`` at the edges (CLI, API, digests).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("datetime must be timezone-aware")
    return value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_to_utc)]


def utcnow() -> datetime:
    return datetime.now(UTC)


def canonical_json(payload: Any) -> str:
    """The canonical JSON form that evidence hashes are computed over."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def evidence_hash(payload: Any) -> str:
    return hash_canonical_json(canonical_json(payload))


def hash_canonical_json(canonical: str) -> str:
    """The evidence hash of a payload already in its canonical JSON form (stores keep that text,
    so they hash it without serialising the payload twice)."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Platform(StrEnum):
    X = "x"
    BLUESKY = "bluesky"
    MASTODON = "mastodon"
    YOUTUBE = "youtube"
    TIKTOK = "tiktok"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    REPORT = "report"  # a public report submitted by a citizen, not a platform feed


class EmploymentType(StrEnum):
    PNS = "PNS"
    PPPK = "PPPK"
    PPNPN = "PPNPN"


class LinkVerification(StrEnum):
    """How we know that an account belongs to the person."""

    SELF_DECLARED = "self_declared"
    AGENCY_LIST = "agency_list"
    ANALYST_VERIFIED = "analyst_verified"
    UNVERIFIED = "unverified"


class AccountStatus(StrEnum):
    ACTIVE = "active"
    NOT_FOUND = "not_found"
    SUSPENDED = "suspended"
    PROTECTED = "protected"


class PostKind(StrEnum):
    POST = "post"
    REPLY = "reply"
    REPOST = "repost"
    QUOTE = "quote"
    COMMENT = "comment"


class Category(StrEnum):
    """What a post shows; codes and legal bases are in DOMAIN.md."""

    DUKUNGAN = "dukungan"
    SERANGAN = "serangan"
    MATERI_KAMPANYE = "materi_kampanye"
    KEHADIRAN_KAMPANYE = "kehadiran_kampanye"
    SIMBOL_ATRIBUT = "simbol_atribut"
    PARTAI = "partai"
    NETRAL = "netral"


class Stance(StrEnum):
    SUPPORT = "support"
    OPPOSE = "oppose"
    NONE = "none"


class FlagStatus(StrEnum):
    NEW = "new"
    IN_REVIEW = "in_review"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    ESCALATED = "escalated"


class FlagOrigin(StrEnum):
    """Why an item is in the queue."""

    CLASSIFIER = "classifier"
    AUDIT_SAMPLE = "audit_sample"  # not flagged; sampled so analysts can measure what is missed
    PUBLIC_REPORT = "public_report"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class SocialAccount(_Model):
    platform: Platform
    handle: str = Field(min_length=1, max_length=200)
    native_id: str | None = None
    url: str | None = None
    verified_by: LinkVerification = LinkVerification.UNVERIFIED
    status: AccountStatus = AccountStatus.ACTIVE
    status_seen_at: UtcDatetime | None = None

    @field_validator("handle")
    @classmethod
    def _strip_at(cls, value: str) -> str:
        value = value.strip()
        return value[1:] if value.startswith("@") else value

    @property
    def key(self) -> tuple[str, str]:
        """Identity of an account: handles are case-insensitive on every platform we watch."""
        return (self.platform.value, self.handle.lower())


class Person(_Model):
    """An ASN (or PPNPN) in the registry. Personal data: NIP and name are shown only to roles
    that need them."""

    nip: str = Field(pattern=r"^\d{18}$")
    name: str = Field(min_length=1, max_length=200)
    employment_type: EmploymentType
    agency: str = Field(min_length=1)
    unit: str | None = None
    position: str | None = None
    region_code: str = Field(min_length=1)
    region_name: str = Field(min_length=1)
    accounts: list[SocialAccount] = Field(default_factory=list)


class Engagement(_Model):
    likes: int | None = None
    replies: int | None = None
    reposts: int | None = None
    quotes: int | None = None
    views: int | None = None


class PostVersion(_Model):
    """An earlier version of an edited post, kept as evidence."""

    text: str
    media: list[str] = Field(default_factory=list)
    raw: dict[str, Any] = Field(default_factory=dict)
    raw_sha256: str
    collected_at: UtcDatetime
    superseded_at: UtcDatetime


class Post(_Model):
    id: str = Field(pattern=r"^[a-z]+:.+$", description="{platform}:{native_id}")
    platform: Platform
    native_id: str
    account_handle: str
    account_native_id: str | None = None
    person_nip: str | None = None
    text: str
    kind: PostKind = PostKind.POST
    parent_id: str | None = None
    created_at: UtcDatetime
    collected_at: UtcDatetime
    url: str | None = None
    media: list[str] = Field(default_factory=list, description="descriptions of attached media")
    engagement: Engagement = Field(default_factory=Engagement)
    raw: dict[str, Any] = Field(default_factory=dict, description="platform payload, verbatim")
    raw_sha256: str = ""
    mapping_version: str = "1"
    deleted_at: UtcDatetime | None = None
    last_checked_at: UtcDatetime | None = None
    purged_at: UtcDatetime | None = None
    edit_history: list[PostVersion] = Field(default_factory=list)

    @classmethod
    def make_id(cls, platform: Platform | str, native_id: str) -> str:
        return f"{Platform(platform).value}:{native_id}"

    def with_evidence_hash(self) -> Post:
        return self.model_copy(update={"raw_sha256": evidence_hash(self.raw)})

    def recaptured(self, new: Post) -> Post:
        """This post captured again as ``new``: the new capture wins; an edited text or media
        pushes this one into the history, with its payload and hash, so evidence of what was
        first seen is never lost. Every store keeps posts this way."""
        history = list(self.edit_history)
        if (new.text, new.media) != (self.text, self.media):
            history.append(
                PostVersion(
                    text=self.text,
                    media=self.media,
                    raw=self.raw,
                    raw_sha256=self.raw_sha256,
                    collected_at=self.collected_at,
                    superseded_at=new.collected_at,
                )
            )
        return new.model_copy(
            update={
                "edit_history": history,
                "deleted_at": new.deleted_at or self.deleted_at,
                "purged_at": self.purged_at,
            }
        )


class EntityMatch(_Model):
    kind: str  # candidate, party, ballot_number, slogan, hashtag
    value: str
    matched: str
    election: str | None = None


class Neighbour(_Model):
    text: str
    label: int
    category: Category
    similarity: float


class Score(_Model):
    probability: float = Field(ge=0.0, le=1.0)
    threshold: float = Field(ge=0.0, le=1.0)
    flagged: bool
    category: Category
    stance: Stance = Stance.NONE
    entities: list[EntityMatch] = Field(default_factory=list)
    signals: list[str] = Field(default_factory=list, description="why the score is what it is")
    neighbours: list[Neighbour] = Field(default_factory=list)
    model_version: str
    scored_at: UtcDatetime


class Flag(_Model):
    """A post in the review queue. Shares its post's id."""

    id: str
    post_id: str
    origin: FlagOrigin = FlagOrigin.CLASSIFIER
    score: Score
    category: Category
    status: FlagStatus = FlagStatus.NEW
    assignees: list[str] = Field(default_factory=list)
    version: int = Field(default=1, ge=1)
    created_at: UtcDatetime
    updated_at: UtcDatetime


class ReviewEvent(_Model):
    """One append-only entry of a flag's audit trail."""

    flag_id: str
    actor: str
    action: str
    at: UtcDatetime
    from_status: FlagStatus | None = None
    to_status: FlagStatus | None = None
    assignees_added: list[str] = Field(default_factory=list)
    assignees_removed: list[str] = Field(default_factory=list)
    reason: str | None = None
    note: str | None = None
    version: int | None = Field(default=None, description="flag version after the event")
    seq: int | None = Field(default=None, description="position in the trail, set by the store")


class Checkpoint(_Model):
    platform: Platform
    account: str
    cursor: str | None = None
    updated_at: UtcDatetime


class QuarantineState(StrEnum):
    PENDING = "pending"  # retried when its account is next collected
    RESOLVED = "resolved"  # the account was re-collected and the item was not quarantined again
    GIVEN_UP = "given_up"  # still unmappable after the allowed attempts; ``outcome`` says why


class QuarantinedItem(_Model):
    """An item that could not be mapped to a Post: kept with its raw payload and the reason,
    counted in the run summary and visible later; never silently dropped. ``key`` identifies
    the item within its account across attempts (see ``collectors.base.keyed``)."""

    platform: Platform
    account: str
    raw: Any
    error: str
    seen_at: UtcDatetime
    key: str | None = None
    attempts: int = 1
    state: QuarantineState = QuarantineState.PENDING
    outcome: str | None = None


class Role(StrEnum):
    ANALYST = "analyst"  # works the queue
    SUPERVISOR = "supervisor"  # also assigns, reopens, exports, manages the audit sample
    ADMIN = "admin"  # also registry and users
    DASHBOARD = "dashboard"  # read-only stats and pseudonymised items


class User(_Model):
    name: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_.@-]+$")
    role: Role
    created_at: UtcDatetime
    revoked_at: UtcDatetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None
