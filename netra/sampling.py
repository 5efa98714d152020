"""The audit sample: unflagged posts queued for review, so the team learns what the classifier
misses (their decisions feed the recall estimate in /stats/quality)."""

from __future__ import annotations

import random

from netra.domain.models import Category, Flag, FlagOrigin, Score, utcnow
from netra.store.base import Store


def draw_audit_sample(
    store: Store, size: int, model_version: str | None = None, seed: int | None = None
) -> list[str]:
    """Queue up to ``size`` random scored-but-unflagged posts as ``audit_sample`` items."""
    version = model_version or store.latest_scoring_model()
    if version is None or size <= 0:
        return []
    candidates = store.audit_candidates(
        version, size, seed if seed is not None else random.randrange(2**31)
    )
    now = utcnow()
    flags = []
    for candidate in candidates:
        # The score the post really had: an analyst sees how far below the threshold it was.
        score = Score(
            probability=candidate.probability,
            threshold=candidate.threshold if candidate.threshold is not None else 1.0,
            flagged=False,
            category=Category.NETRAL,
            signals=["sampel audit: di bawah ambang model, dipilih acak untuk ditinjau"],
            model_version=version,
            scored_at=now,
        )
        flags.append(
            Flag(
                id=candidate.post_id,
                post_id=candidate.post_id,
                origin=FlagOrigin.AUDIT_SAMPLE,
                score=score,
                category=Category.NETRAL,
                created_at=now,
                updated_at=now,
            )
        )
    if flags:
        store.upsert_flags(flags)
    return [c.post_id for c in candidates]
