"""Metrics, the threshold rule, and the two baselines every model is compared with."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.pipeline import Pipeline, make_union

from classifiers.features import CueHits

TARGET_RECALL = 0.95
# Cues that, in the keyword baseline, mark a post as partisan on their own.
KEYWORD_CUES = ("ballot_number", "call_to_vote", "campaign", "party", "attack", "gesture")


def binary_metrics(labels: ArrayLike, probability: ArrayLike, threshold: float) -> dict:
    y = np.asarray(labels, dtype=int)
    p = np.asarray(probability, dtype=float)
    predicted = p >= threshold
    tp = int(np.sum(predicted & (y == 1)))
    fp = int(np.sum(predicted & (y == 0)))
    fn = int(np.sum(~predicted & (y == 1)))
    tn = int(np.sum(~predicted & (y == 0)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    pr_auc = float(average_precision_score(y, p)) if 0 < y.sum() < len(y) else None
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "pr_auc": None if pr_auc is None else round(pr_auc, 4),
        "threshold": round(float(threshold), 4),
        "n": int(len(y)),
        "confusion_matrix": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
    }


def choose_threshold(
    labels: ArrayLike, probability: ArrayLike, target_recall: float = TARGET_RECALL
) -> float:
    """The threshold with the best precision among those keeping recall >= target.
    Falls back to the lowest score of a positive (recall 1.0) when no threshold reaches it."""
    y = np.asarray(labels, dtype=int)
    p = np.asarray(probability, dtype=float)
    positives = int(y.sum())
    if positives == 0:
        return 0.5
    best: tuple[float, float] | None = None
    for candidate in np.unique(p):
        predicted = p >= candidate
        tp = int(np.sum(predicted & (y == 1)))
        if tp / positives < target_recall:
            continue
        precision = tp / int(predicted.sum())
        # Ties go to the higher threshold: fewer items for the same quality.
        if best is None or precision >= best[0]:
            best = (precision, float(candidate))
    return best[1] if best else float(p[y == 1].min())


def ngram_pipeline(seed: int = 13) -> Pipeline:
    """TF-IDF over words (1–2) and characters (3–5) with logistic regression: the lexical view
    inside the scorer, and on its own the TF-IDF baseline."""
    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True),
    )
    head = LogisticRegression(C=10, max_iter=5000, class_weight="balanced", random_state=seed)
    return Pipeline([("tfidf", features), ("lr", head)])


def keyword_rule(cues: Sequence[CueHits]) -> np.ndarray:
    """The keyword-lexicon baseline: partisan when any campaign cue or a known candidate or party
    appears, whatever else the post says."""
    flags = []
    for hit in cues:
        entity_kinds = {e.kind for e in hit.entities}
        flags.append(
            bool(set(KEYWORD_CUES) & hit.hits.keys()) or bool({"candidate", "party"} & entity_kinds)
        )
    return np.asarray(flags, dtype=float)
