"""One cycle of the main job: collect, score and queue, apply retention.

``netra run`` calls :func:`run_cycle`; the DAGs run the same three steps as separate tasks
(``collect_batch`` per batch, :func:`score_new_posts`, :func:`apply_retention`), so both paths
leave the same queue behind for the same input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import httpx

from collectors.base import Target
from netra.domain.settings import Settings
from netra.pipeline.collect import Progress, collect
from netra.pipeline.retention import apply_retention
from netra.pipeline.scoring import ScoreSummary, score_new_posts
from netra.pipeline.summary import CollectSummary
from netra.store.base import Store

if TYPE_CHECKING:
    from classifiers.model import Scorer


@dataclass
class CycleSummary:
    collected: CollectSummary
    scored: ScoreSummary
    emptied: int


def run_cycle(
    store: Store,
    settings: Settings,
    scorer: Scorer | None = None,
    only: list[Target] | None = None,
    progress: Progress | None = None,
    client: httpx.Client | None = None,
    now: datetime | None = None,
) -> CycleSummary:
    """Collect (every registered API account, or ``only`` these), score what is new and queue
    the suspected posts and the audit sample, then apply retention. Scoring goes ahead when
    collection partly failed: what did arrive is scored, and the summary shows the failures."""
    collected = collect(store, settings, client=client, progress=progress, only=only)
    scored = score_new_posts(store, settings, scorer)
    return CycleSummary(collected, scored, apply_retention(store, settings, now))
