"""Bulk bodies and bulk responses.

Every write is idempotent: documents have deterministic ``_id``s, posts are indexed whole
(``index``), flags are upserted so that a re-score never touches the review state (``update``
with a partial ``doc`` and the full document as ``upsert``), and review events are appended with
``create`` (a retried append is refused with 409 instead of writing the event twice).

A bulk response can fail some items and not others; ``parse_bulk_response`` reports every failed
item with its id, status and reason, says which are worth retrying (429 and 503: the cluster was
busy or a shard not ready) and treats a response with fewer items than were sent as failures of
the missing ones, so no item is ever dropped silently.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Op = Literal["index", "create", "update"]
RETRYABLE_STATUSES = frozenset({429, 503})
DEFAULT_MAX_ACTIONS = 500
DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # well under http.max_content_length (100 MB)


def dumps(value: Any) -> str:
    """One JSON line as the golden files hold it: sorted keys, no spaces, UTF-8 kept, and NaN or
    infinity refused (Elasticsearch would refuse the document)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


@dataclass(frozen=True)
class BulkAction:
    op: Op
    index: str
    id: str
    source: Mapping[str, Any]
    retry_on_conflict: int | None = None

    def to_ndjson(self) -> bytes:
        meta: dict[str, Any] = {"_index": self.index, "_id": self.id}
        if self.retry_on_conflict is not None:
            meta["retry_on_conflict"] = self.retry_on_conflict
        return (dumps({self.op: meta}) + "\n" + dumps(self.source) + "\n").encode("utf-8")


def index_action(index: str, doc_id: str, doc: Mapping[str, Any]) -> BulkAction:
    """Create or replace the whole document."""
    return BulkAction("index", index, doc_id, doc)


def create_action(index: str, doc_id: str, doc: Mapping[str, Any]) -> BulkAction:
    """Append only: a document already there is a 409, not an overwrite."""
    return BulkAction("create", index, doc_id, doc)


def upsert_action(index: str, doc_id: str, doc: Mapping[str, Any]) -> BulkAction:
    """Merge ``doc`` into the document, creating it when missing."""
    return BulkAction("update", index, doc_id, {"doc": dict(doc), "doc_as_upsert": True}, 3)


def insert_or_refresh_action(
    index: str, doc_id: str, full: Mapping[str, Any], refresh: Mapping[str, Any]
) -> BulkAction:
    """Insert ``full`` when the document is missing; otherwise merge only ``refresh`` into it (a
    flag's re-score: score, category, embedding; never status, assignees or version)."""
    return BulkAction("update", index, doc_id, {"doc": dict(refresh), "upsert": dict(full)}, 3)


def encode(actions: Iterable[BulkAction]) -> bytes:
    """The NDJSON body of ``POST _bulk`` (each line ends with a newline, the last included)."""
    return b"".join(action.to_ndjson() for action in actions)


def chunks(
    actions: Iterable[BulkAction],
    max_actions: int = DEFAULT_MAX_ACTIONS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[list[BulkAction]]:
    """Actions in order, grouped so that no group has more than ``max_actions`` actions or more
    than ``max_bytes`` of NDJSON. An action larger than ``max_bytes`` on its own goes alone (it
    cannot be split; Elasticsearch's own limit decides)."""
    if max_actions < 1 or max_bytes < 1:
        raise ValueError("max_actions and max_bytes must be positive")
    group: list[BulkAction] = []
    size = 0
    for action in actions:
        length = len(action.to_ndjson())
        if group and (len(group) >= max_actions or size + length > max_bytes):
            yield group
            group, size = [], 0
        group.append(action)
        size += length
    if group:
        yield group


@dataclass(frozen=True)
class BulkItemError:
    position: int  # of the action in the request (items answer in request order)
    op: str
    index: str | None
    id: str | None
    status: int | None  # None: the response had no item for this action
    type: str | None
    reason: str

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status in RETRYABLE_STATUSES


@dataclass
class BulkOutcome:
    succeeded: list[str] = field(default_factory=list)  # _ids written (or found unchanged)
    results: dict[str, str] = field(default_factory=dict)  # _id → created/updated/noop/deleted
    errors: list[BulkItemError] = field(default_factory=list)

    @property
    def retryable(self) -> list[BulkItemError]:
        return [e for e in self.errors if e.retryable]

    @property
    def permanent(self) -> list[BulkItemError]:
        return [e for e in self.errors if not e.retryable]

    def to_retry(self, sent: Sequence[BulkAction]) -> list[BulkAction]:
        """The sent actions whose items failed in a way worth retrying, in order. Matched by
        position, not by id: a post and its flag share an id, and the response names the
        concrete index, not the alias that was written to."""
        return [sent[e.position] for e in self.retryable]


def parse_bulk_response(
    response: Mapping[str, Any], sent: Sequence[BulkAction] | None = None
) -> BulkOutcome:
    """Every item of a ``_bulk`` response: written ones and failed ones (id, status, error type and
    reason). With ``sent``, an action the response has no item for is a failure too (retryable:
    nothing says it was written)."""
    outcome = BulkOutcome()
    items = response.get("items")
    if not isinstance(items, list):
        raise ValueError("bulk response: no items list")
    for position, item in enumerate(items):
        if not isinstance(item, Mapping) or len(item) != 1:
            raise ValueError(f"bulk response: unexpected item {item!r}")
        ((op, body),) = item.items()
        status = body.get("status")
        error = body.get("error")
        if error is None and isinstance(status, int) and 200 <= status < 300:
            outcome.succeeded.append(body.get("_id"))
            outcome.results[body.get("_id")] = body.get("result", "")
            continue
        if isinstance(error, Mapping):
            etype, reason = error.get("type"), str(error.get("reason") or error.get("type"))
            cause = error.get("caused_by")
            if isinstance(cause, Mapping) and cause.get("reason"):
                reason = f"{reason}: {cause['reason']}"
        else:
            etype, reason = None, str(error or f"status {status}")
        outcome.errors.append(
            BulkItemError(
                position=position,
                op=op,
                index=body.get("_index"),
                id=body.get("_id"),
                status=status if isinstance(status, int) else None,
                type=etype,
                reason=reason,
            )
        )
    if sent is not None:
        if len(items) > len(sent):
            raise ValueError(f"bulk response: {len(items)} items for {len(sent)} actions")
        for position in range(len(items), len(sent)):
            action = sent[position]
            outcome.errors.append(
                BulkItemError(
                    position=position,
                    op=action.op,
                    index=action.index,
                    id=action.id,
                    status=None,
                    type=None,
                    reason="no item in the bulk response",
                )
            )
    return outcome
