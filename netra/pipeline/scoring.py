"""Scoring new posts, queueing the suspected ones (dugaan) and an audit sample; retraining."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from netra import metrics
from netra.domain.models import Flag, FlagOrigin, Platform
from netra.domain.settings import Settings
from netra.sampling import draw_audit_sample
from netra.store.base import ScoreRecord, Store

if TYPE_CHECKING:
    from classifiers.model import Scorer
    from netra.retraining import RetrainOutcome


@dataclass
class ScoreSummary:
    scored: int = 0
    flagged: int = 0
    audited: int = 0
    model_version: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def score_and_flag(
    store: Store, scorer: Scorer, batch_size: int = 1024, audit_rate: float = 0.0
) -> ScoreSummary:
    """Score every post the current model has not scored; queue those at or over the threshold,
    and a random ``audit_rate`` share of the rest as audit items. (The classifier is imported when
    scoring starts, not when the pipeline is: DAG files parse without loading the model code.)"""
    from classifiers.model import PostInput

    version = scorer.artifact.version
    summary = ScoreSummary(model_version=version)
    cursor: str | None = None
    while True:
        posts, cursor = store.unscored_posts(version, limit=batch_size, cursor=cursor)
        if not posts:
            unflagged = summary.scored - summary.flagged
            summary.audited = len(draw_audit_sample(store, round(unflagged * audit_rate), version))
            return summary
        started = time.perf_counter()
        results = scorer.score(
            [PostInput(p.text, p.media) for p in posts],
            # Only what enters the queue keeps an explanation; a report always enters it.
            explain_unflagged=[p.platform is Platform.REPORT for p in posts],
        )
        flags, embeddings = [], {}
        for post, result in zip(posts, results, strict=True):
            # A citizen's report always reaches an analyst, whatever the score says.
            reported = post.platform is Platform.REPORT
            if result.score.flagged or reported:
                at = result.score.scored_at
                origin = FlagOrigin.PUBLIC_REPORT if reported else FlagOrigin.CLASSIFIER
                flags.append(
                    Flag(
                        id=post.id,
                        post_id=post.id,
                        origin=origin,
                        score=result.score,
                        category=result.score.category,
                        created_at=at,
                        updated_at=at,
                    )
                )
                embeddings[post.id] = result.embedding.tolist()
        if flags:
            store.upsert_flags(flags, embeddings)
        store.record_scores(
            [
                ScoreRecord(
                    p.id,
                    version,
                    r.score.probability,
                    r.score.threshold,
                    r.score.flagged,
                    r.score.scored_at,
                )
                for p, r in zip(posts, results, strict=True)
            ]
        )
        metrics.record_scored(version, posts, (f.id for f in flags), time.perf_counter() - started)
        summary.scored += len(posts)
        summary.flagged += len(flags)


def score_new_posts(store: Store, settings: Settings, scorer: Scorer | None = None) -> ScoreSummary:
    """The scoring step of a cycle: what the current model has not scored yet, with the
    configured audit rate. ``scorer`` defaults to the configured model (built here)."""
    if scorer is None:
        from netra.scoring import build_scorer

        scorer = build_scorer(settings)
    return score_and_flag(store, scorer, audit_rate=settings.audit_sample_rate)


def retrain(store: Store, settings: Settings, seed: int = 13) -> RetrainOutcome:
    """Train a candidate on the corpus plus analysts' decisions; promote it only if it beats the
    current model on the held-out split (netra.retraining; imported here lazily: it needs
    scikit-learn and the encoder, which collection does not)."""
    from netra.retraining import retrain as train_and_compare

    return train_and_compare(store, settings, seed)
