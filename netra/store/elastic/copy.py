"""``copy_embedded``: an embedded deployment's posts and queue (flags with their embeddings and
review events) into Elasticsearch, in batches, resumable.

The embedded side is read through its role methods only (``posts_after``, ``search_flags``,
``flag_embeddings``, ``history``); the cluster side is written through the Elasticsearch roles
(``upsert_posts``, ``upsert_flags``) and, for the events, ``create`` actions with the events'
deterministic ``_id``s. After each batch the position reached is saved in a small JSON file
(the last post id; the queue's page cursor), so a rerun goes on from there; copying a document
again changes nothing (same ``_id``, an identical post is left as it is, a flag already there
keeps its review state, an event already there is a 409 that is expected). At the end the counts
of both sides are compared and a random sample is compared field by field."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from netra.store.base import Store, each_hit
from netra.store.elastic import bulk, documents
from netra.store.elastic.adapter import ElasticPostQueueStore
from netra.store.elastic.connection import BulkWriteError

KINDS = ("posts", "flags", "events")


@dataclass
class CopyReport:
    copied: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    resumed: bool = False
    source_counts: dict[str, int] = field(default_factory=dict)
    target_counts: dict[str, int] = field(default_factory=dict)
    sampled: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences and self.source_counts == self.target_counts


class Checkpoint:
    """The position reached per kind, in a JSON file: ``posts`` the last copied post id,
    ``flags`` the cursor of the next queue page, ``*_done`` when a kind is finished."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.state: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}

    def save(self, **values: Any) -> None:
        self.state.update(values)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(self.state, sort_keys=True))
        partial.replace(self.path)


def copy_embedded(
    source: Store,
    target: ElasticPostQueueStore,
    checkpoint: Checkpoint,
    *,
    batch: int = 500,
    sample: int = 50,
    seed: int | None = None,
) -> CopyReport:
    report = CopyReport(resumed=bool(checkpoint.state))
    if not checkpoint.state.get("posts_done"):
        after = checkpoint.state.get("posts")
        while posts := source.posts_after(after, batch):
            target.upsert_posts(posts)
            after = posts[-1].id
            report.copied["posts"] += len(posts)
            checkpoint.save(posts=after)
        checkpoint.save(posts_done=True)
    if not checkpoint.state.get("flags_done"):
        cursor = checkpoint.state.get("flags")
        while True:
            page = source.search_flags(cursor=cursor, limit=batch)
            flags = [hit.flag for hit in page.items]
            if flags:
                ids = [f.id for f in flags]
                target.upsert_flags(flags, source.flag_embeddings(ids))
                report.copied["flags"] += len(flags)
                report.copied["events"] += _copy_events(source, target, ids)
            cursor = page.next_cursor
            if cursor is None:
                break
            checkpoint.save(flags=cursor)
        checkpoint.save(flags_done=True)
    report.source_counts, report.target_counts = _counts(source, target)
    report.differences, report.sampled = _compare_sample(source, target, sample, seed)
    return report


def _copy_events(source: Store, target: ElasticPostQueueStore, flag_ids: list[str]) -> int:
    index = target.es.alias("events")
    actions = [
        bulk.create_action(
            index,
            documents.event_doc_id(fid, event.seq or 0),
            documents.event_document(event),
        )
        for fid in flag_ids
        for event in source.history(fid)
    ]
    if not actions:
        return 0
    report = target.es.bulk(
        "copy review events",
        actions,
        refresh=target.refresh,
        ignore=lambda e: e.status == 409,  # copied already
    )
    if report.failed:
        raise BulkWriteError("copy review events", len(report.results), report.failed)
    return len(actions)


def _all_events(store: Store) -> int:
    until = datetime.now(UTC) + timedelta(days=1)
    return len(store.review_events(datetime(1970, 1, 1, tzinfo=UTC), until))


def _counts(source: Store, target: ElasticPostQueueStore) -> tuple[dict[str, int], dict[str, int]]:
    def count(role: str) -> int:
        alias = target.es.alias(role)
        response = target.es.call(f"count {role}", lambda: target.client.count(index=alias))
        return int(response.body["count"])

    counted = source.describe().counts
    mine = {"posts": counted["posts"], "flags": counted["flags"], "events": _all_events(source)}
    return mine, {kind: count(kind) for kind in KINDS}


def _reservoir(ids: Iterator[str], k: int, rng: random.Random) -> list[str]:
    chosen: list[str] = []
    for seen, item in enumerate(ids):
        if seen < k:
            chosen.append(item)
        elif (slot := rng.randint(0, seen)) < k:
            chosen[slot] = item
    return chosen


def _post_ids(source: Store) -> Iterator[str]:
    after = None
    while posts := source.posts_after(after, 1000):
        yield from (p.id for p in posts)
        after = posts[-1].id


def _diff(kind: str, record_id: str, mine: Any, theirs: Any) -> list[str]:
    if theirs is None:
        return [f"{kind} {record_id}: missing in elasticsearch"]
    a, b = mine.model_dump(mode="json"), theirs.model_dump(mode="json")
    return [
        f"{kind} {record_id}: {key}: sqlite={a.get(key)!r:.120} elasticsearch={b.get(key)!r:.120}"
        for key in sorted(a.keys() | b.keys())
        if a.get(key) != b.get(key)
    ]


def _compare_sample(
    source: Store, target: ElasticPostQueueStore, k: int, seed: int | None
) -> tuple[list[str], int]:
    """Up to ``k`` random posts and ``k`` random flags (with their history), field by field."""
    rng = random.Random(seed)
    differences: list[str] = []
    post_ids = _reservoir(_post_ids(source), k, rng)
    flag_ids = _reservoir((hit.flag.id for hit in each_hit(source, None)), k, rng)
    for pid in post_ids:
        differences += _diff("post", pid, source.get_post(pid), target.get_post(pid))
    for fid in flag_ids:
        differences += _diff("flag", fid, source.get_flag(fid), target.get_flag(fid))
        mine, theirs = source.history(fid), target.history(fid)
        if [e.model_dump(mode="json") for e in mine] != [e.model_dump(mode="json") for e in theirs]:
            differences.append(
                f"events of {fid}: sqlite has {len(mine)}, elasticsearch {len(theirs)} (or differ)"
            )
    return differences, len(post_ids) + len(flag_ids)
