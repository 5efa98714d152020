"""Review quality from analysts' decisions: precision of what the classifier queued, and an
estimate of what it missed from the audit sample of unflagged posts."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from netra.models import FlagOrigin, FlagStatus
from netra.store.base import AggregateBy, FlagFilter, Store

PARTISAN = {FlagStatus.CONFIRMED.value, FlagStatus.ESCALATED.value}


def _decided(store: Store, filters: FlagFilter, origin: FlagOrigin) -> tuple[int, int]:
    """(partisan, dismissed) among decided flags of one origin."""
    counts = {
        b.key: b.count
        for b in store.aggregate(
            replace(filters, origins=frozenset({origin})), by=AggregateBy.STATUS
        )
    }
    partisan = sum(counts.get(s, 0) for s in PARTISAN)
    return partisan, counts.get(FlagStatus.DISMISSED.value, 0)


def quality(store: Store, filters: FlagFilter | None = None) -> dict[str, Any]:
    filters = filters or FlagFilter()
    confirmed, dismissed = _decided(store, filters, FlagOrigin.CLASSIFIER)
    audit_partisan, audit_clean = _decided(store, filters, FlagOrigin.AUDIT_SAMPLE)
    reviewed, audit_reviewed = confirmed + dismissed, audit_partisan + audit_clean
    counts = store.scoring_counts()
    precision = confirmed / reviewed if reviewed else None
    missed = recall = None
    if audit_reviewed and precision is not None:
        # The audit items are a random sample of the unflagged posts: scale their partisan share
        # up to all unflagged posts, and compare with the partisan posts the queue caught.
        unflagged = counts["scored"] - counts["flagged"]
        missed = audit_partisan / audit_reviewed * unflagged
        caught = precision * counts["flagged"]
        recall = caught / (caught + missed) if caught + missed else None
    return {
        "reviewed": reviewed,
        "confirmed": confirmed,
        "dismissed": dismissed,
        "precision": None if precision is None else round(precision, 4),
        "audit_reviewed": audit_reviewed,
        "audit_partisan": audit_partisan,
        "estimated_missed": None if missed is None else round(missed, 1),
        "estimated_recall": None if recall is None else round(recall, 4),
        "scored_posts": counts["scored"],
        "flagged_posts": counts["flagged"],
    }
