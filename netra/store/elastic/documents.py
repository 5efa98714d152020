"""Domain objects as Elasticsearch documents, and back.

Every document has a deterministic ``_id`` derived from the record's own id, so writing the
same record twice lands on the same document (idempotent upserts, no duplicates after a retry).
The record's id is also kept in the document, so reading never depends on how ``_id`` was made.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from netra.domain.models import Flag, Person, Post, ReviewEvent

MAX_ID_BYTES = 512  # Elasticsearch refuses longer _ids
# Ids made only of these pass through unchanged (readable in URLs and logs). A hashed id starts
# with "=", which a passed-through id never contains, so the two forms cannot collide.
_PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9:._@-]*")
HASHED_PREFIX = "="


def doc_id(record_id: str) -> str:
    """The ``_id`` of a record: the id itself when it is short and URL-safe, otherwise ``=``
    and the SHA-256 of its UTF-8 bytes (ids with slashes, spaces, other scripts or a leading
    underscore, or longer than 512 bytes)."""
    if not record_id:
        raise ValueError("id: empty")
    raw = record_id.encode("utf-8")
    if len(raw) <= MAX_ID_BYTES and _PLAIN_ID.fullmatch(record_id):
        return record_id
    return HASHED_PREFIX + hashlib.sha256(raw).hexdigest()


def event_doc_id(flag_id: str, seq: int) -> str:
    """A review event's ``_id``: its flag and its position in the trail (unambiguous: the seq has
    no colon). Appending the same event twice (a retried write) collides on this id, and
    ``create`` refuses the second with a 409."""
    if seq < 1:
        raise ValueError(f"seq: must be at least 1, not {seq}")
    return doc_id(f"{flag_id}:{seq}")


def iso(moment: datetime) -> str:
    """UTC ISO 8601 with ``Z``, as pydantic writes it (Elasticsearch keeps milliseconds for
    ranges and sorts; the document keeps the full value)."""
    if moment.tzinfo is None:
        raise ValueError("datetime must be timezone-aware")
    text = moment.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def post_document(post: Post) -> dict[str, Any]:
    return post.model_dump(mode="json")


def post_from_document(doc: Mapping[str, Any]) -> Post:
    return Post.model_validate(dict(doc))


@dataclass(frozen=True)
class FlagFacts:
    """What a flag document carries about its post and person, so that the queue filters, sorts,
    counts and searches without a join."""

    platform: str
    posted_at: datetime
    post_text: str
    account_handle: str
    post_media: list[str] = field(default_factory=list)
    person_nip: str | None = None
    agency: str | None = None
    region_code: str | None = None
    region_name: str | None = None
    employment_type: str | None = None

    @classmethod
    def of(cls, post: Post, person: Person | None) -> FlagFacts:
        return cls(
            platform=post.platform.value,
            posted_at=post.created_at,
            post_text=post.text,
            account_handle=post.account_handle,
            post_media=list(post.media),
            person_nip=post.person_nip,
            agency=person.agency if person else None,
            region_code=person.region_code if person else None,
            region_name=person.region_name if person else None,
            employment_type=person.employment_type.value if person else None,
        )


def flag_document(
    flag: Flag, facts: FlagFacts, embedding: Sequence[float] | None = None
) -> dict[str, Any]:
    data = flag.model_dump(mode="json")
    doc: dict[str, Any] = {
        "flag_id": data["id"],
        "post_id": data["post_id"],
        "origin": data["origin"],
        "status": data["status"],
        "category": data["category"],
        "assignees": data["assignees"],
        "version": data["version"],
        "flagged_at": data["created_at"],
        "updated_at": data["updated_at"],
        "score": data["score"],
        "person_nip": facts.person_nip,
        "agency": facts.agency,
        "region_code": facts.region_code,
        "region_name": facts.region_name,
        "employment_type": facts.employment_type,
        "platform": facts.platform,
        "account_handle": facts.account_handle,
        "post_text": facts.post_text,
        "post_media": list(facts.post_media),
        "posted_at": iso(facts.posted_at),
    }
    if embedding is not None:
        doc["embedding"] = [float(x) for x in embedding]
    return doc


def flag_from_document(doc: Mapping[str, Any]) -> tuple[Flag, FlagFacts]:
    flag = Flag.model_validate(
        {
            "id": doc["flag_id"],
            "post_id": doc["post_id"],
            "origin": doc["origin"],
            "status": doc["status"],
            "category": doc["category"],
            "assignees": doc.get("assignees") or [],
            "version": doc["version"],
            "created_at": doc["flagged_at"],
            "updated_at": doc["updated_at"],
            "score": doc["score"],
        }
    )
    facts = FlagFacts(
        platform=doc["platform"],
        posted_at=datetime.fromisoformat(doc["posted_at"]).astimezone(UTC),
        post_text=doc["post_text"],
        account_handle=doc["account_handle"],
        post_media=list(doc.get("post_media") or []),
        person_nip=doc.get("person_nip"),
        agency=doc.get("agency"),
        region_code=doc.get("region_code"),
        region_name=doc.get("region_name"),
        employment_type=doc.get("employment_type"),
    )
    return flag, facts


def rescore_document(flag: Flag, embedding: Sequence[float] | None = None) -> dict[str, Any]:
    """The partial document of a re-score: score and category (and the embedding when there is a
    new one), never the review state (status, assignees, version)."""
    data = flag.model_dump(mode="json", include={"score", "category"})
    if embedding is not None:
        data["embedding"] = [float(x) for x in embedding]
    return data


def event_document(event: ReviewEvent) -> dict[str, Any]:
    if event.seq is None:
        raise ValueError("a review event needs its seq (position in the trail) to be stored")
    return event.model_dump(mode="json")


def event_from_document(doc: Mapping[str, Any]) -> ReviewEvent:
    return ReviewEvent.model_validate(dict(doc))
