"""Weekly retraining: the labelled corpus plus analysts' decisions make a candidate model, which
replaces the current one only if it does better on the same held-out examples.

The held-out set is every example whose family falls in the test split (the corpus's test
families and, by the same hash, some decision families). Neither model trained on them.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from classifiers.corpus import load_corpus, read_labelled, split_of
from classifiers.model import (
    ModelNotFound,
    Scorer,
    incompatibility,
    load_current,
    mark_current,
)
from classifiers.train import TrainingData, train
from netra.domain.settings import Settings
from netra.labelled import labelled_rows
from netra.scoring import build_encoder, corpus_dir, evaluate, gazetteer, glossary
from netra.store.base import Store

log = logging.getLogger(__name__)

# A candidate may trade at most this much recall for a better F1: missing partisan posts costs
# more than reviewing a false alarm.
MAX_RECALL_LOSS = 0.01


@dataclass(frozen=True)
class RetrainOutcome:
    promoted: bool
    reason: str
    candidate_version: str
    current_version: str | None
    decisions: int  # analyst decisions used as labelled examples
    held_out: int
    candidate: dict[str, Any]
    current: dict[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def compare(candidate: dict[str, Any], current: dict[str, Any]) -> tuple[bool, str]:
    """Whether the candidate's held-out metrics beat the current model's, and why (or why not)."""
    f1_new, f1_old = candidate["f1"], current["f1"]
    recall_new, recall_old = candidate["recall"], current["recall"]
    figures = f"F1 {f1_new:.4f} vs {f1_old:.4f}, recall {recall_new:.4f} vs {recall_old:.4f}"
    if f1_new <= f1_old:
        return False, f"kept the current model: the candidate's F1 is not higher ({figures})"
    if recall_new < recall_old - MAX_RECALL_LOSS:
        return False, (
            f"kept the current model: higher F1 but recall drops by more than"
            f" {MAX_RECALL_LOSS} ({figures})"
        )
    return True, f"promoted: higher F1 on the held-out split ({figures})"


def _decisions_file(store: Store, settings: Settings, stamp: str) -> tuple[Path | None, int]:
    rows = list(labelled_rows(store))
    if not rows:
        return None, 0
    folder = settings.var_dir / "retrain"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stamp}-decisions.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path, len(rows)


def retrain(store: Store, settings: Settings, seed: int = 13) -> RetrainOutcome:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    extra, decisions = _decisions_file(store, settings, stamp)
    data = TrainingData.load(corpus_dir(settings), [extra] if extra else [])
    encoder = build_encoder(settings)
    candidate = train(data, encoder, gazetteer(settings), glossary(settings), seed=seed)
    candidate.save(settings.model_dir, make_current=False)

    examples = load_corpus(corpus_dir(settings)) + (read_labelled(extra) if extra else [])
    held_out = [e for e in examples if split_of(e.family) == "test"]

    def measured(artifact: Any) -> dict[str, Any]:
        scorer = Scorer(artifact, encoder, gazetteer(settings), glossary(settings))
        report = evaluate(scorer, held_out, f"held-out split ({len(held_out)} examples)")
        return {k: report[k] for k in ("f1", "recall", "precision", "pr_auc", "threshold", "n")}

    try:
        current = load_current(settings.model_dir)
    except ModelNotFound:
        current = None
    candidate_metrics = measured(candidate)
    current_metrics = None
    if current is None:
        promoted, reason = True, "promoted: there was no current model"
    elif (stale := incompatibility(current)) is not None:
        promoted, reason = True, f"promoted: the current model cannot score here ({stale})"
    elif current.metadata["encoder"]["model"] != encoder.model_name:
        promoted, reason = (
            True,
            (
                f"promoted: the current model was trained on encoder"
                f" {current.metadata['encoder']['model']!r}, which NETRA_ENCODER_MODEL no longer names"
            ),
        )
    else:
        current_metrics = measured(current)
        promoted, reason = compare(candidate_metrics, current_metrics)
    if promoted:
        mark_current(settings.model_dir, candidate.version)
    log.info(
        "retrain: %s (candidate %s, current %s, %d decisions)",
        reason,
        candidate.version,
        current.version if current else None,
        decisions,
    )
    return RetrainOutcome(
        promoted=promoted,
        reason=reason,
        candidate_version=candidate.version,
        current_version=current.version if current else None,
        decisions=decisions,
        held_out=len(held_out),
        candidate=candidate_metrics,
        current=current_metrics,
    )
