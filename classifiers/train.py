"""Training: corpus → family split → three views → stacked head → calibration → threshold.

Deterministic for a given corpus, encoder and seed. The threshold is chosen on the validation
split (best precision with recall >= 0.95); the test split is touched only for the report.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.model_selection import GroupKFold

from classifiers import normalise as normalise_module
from classifiers.corpus import Example, corpus_hash, load_corpus, read_labelled, split_of
from classifiers.encoder import Encoder
from classifiers.evaluate import binary_metrics, choose_threshold, keyword_rule, ngram_pipeline
from classifiers.features import FEATURE_NAMES, feature_matrix
from classifiers.gazetteer import Gazetteer
from classifiers.model import (
    CUE_WEIGHT,
    ModelArtifact,
    PostInput,
    Prepared,
    new_version,
    prepare,
    stack_features,
)
from classifiers.normalise import Glossary
from netra.models import utcnow

log = logging.getLogger(__name__)
OUT_OF_FOLD_SPLITS = 5


@dataclass
class TrainingData:
    examples: list[Example]
    extra_files: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, corpus_dir: Path, extra: Sequence[Path] = ()) -> TrainingData:
        examples = load_corpus(corpus_dir)
        for path in extra:
            examples.extend(read_labelled(path))
        return cls(examples, [str(p) for p in extra])


def _out_of_fold(
    make: Callable[[], Any], inputs: np.ndarray, labels: np.ndarray, families: np.ndarray
) -> np.ndarray:
    """Each training row's score from a model that never saw its family, so the head learns how
    far to trust a view on text it has not seen."""
    scores = np.zeros(len(labels))
    for fit_rows, held_rows in GroupKFold(OUT_OF_FOLD_SPLITS).split(inputs, labels, families):
        fold = make().fit(inputs[fit_rows], labels[fit_rows])
        scores[held_rows] = fold.predict_proba(inputs[held_rows])[:, 1]
    return scores


def _view_scores(
    make: Callable[[], Any],
    inputs: np.ndarray,
    labels: np.ndarray,
    families: np.ndarray,
    tr: np.ndarray,
) -> tuple[Any, np.ndarray]:
    """A view fitted on the training rows, with out-of-fold scores there and real ones elsewhere."""
    model = make().fit(inputs[tr], labels[tr])
    scores = model.predict_proba(inputs)[:, 1]
    scores[tr] = _out_of_fold(make, inputs[tr], labels[tr], families[tr])
    return model, scores


def semantic_view(seed: int) -> LogisticRegression:
    return LogisticRegression(C=8.0, max_iter=5000, class_weight="balanced", random_state=seed)


def train(
    data: TrainingData,
    encoder: Encoder,
    gazetteer: Gazetteer,
    glossary: Glossary,
    seed: int = 13,
) -> ModelArtifact:
    examples = data.examples
    split = np.array([split_of(e.family) for e in examples])
    labels = np.array([e.label for e in examples])
    families = np.array([e.family for e in examples])
    for name in ("train", "validation", "test"):
        part = labels[split == name]
        if len(part) == 0 or part.min() == part.max():
            raise ValueError(f"the {name} split needs both partisan and neutral examples")
    log.info("encoding %d labelled examples with %s", len(examples), encoder.name)
    prepared = prepare(
        [PostInput(e.text, [e.media] if e.media else []) for e in examples],
        encoder,
        gazetteer,
        glossary,
    )
    texts = np.array(prepared.normalised, dtype=object)
    tr, va, te = (split == "train"), (split == "validation"), (split == "test")

    semantic, semantic_scores = _view_scores(
        lambda: semantic_view(seed), prepared.embeddings, labels, families, tr
    )
    ngram, ngram_scores = _view_scores(lambda: ngram_pipeline(seed), texts, labels, families, tr)
    stacked = stack_features(semantic_scores, ngram_scores, prepared.cues)

    head = LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced", random_state=seed)
    head.fit(stacked[tr], labels[tr])
    raw = head.decision_function(stacked)
    calibrator = LogisticRegression(random_state=seed).fit(raw[va].reshape(-1, 1), labels[va])
    probability = calibrator.predict_proba(raw.reshape(-1, 1))[:, 1]
    threshold = choose_threshold(labels[va], probability[va])

    category_head = _category_head(examples, prepared, tr, seed)
    baseline_scores = ngram.predict_proba(texts)[:, 1]  # the lexical view alone, no out-of-fold
    baseline_threshold = choose_threshold(labels[va], baseline_scores[va])
    keyword = keyword_rule(prepared.cues)

    metrics: dict[str, dict[str, Any]] = {
        name: {
            "model": binary_metrics(labels[rows], probability[rows], threshold),
            "tfidf_baseline": binary_metrics(
                labels[rows], baseline_scores[rows], baseline_threshold
            ),
            "keyword_baseline": binary_metrics(labels[rows], keyword[rows], 0.5),
        }
        for name, rows in (("validation", va), ("test", te))
    }
    metrics["test"]["model"]["brier"] = round(
        float(brier_score_loss(labels[te], probability[te])), 4
    )
    metrics["test"]["category_accuracy"] = _category_accuracy(examples, prepared, te, category_head)
    metrics["test"]["by_trap"] = _by_trap(examples, probability, threshold, te)

    digest = corpus_hash(examples)
    now = utcnow()
    version = new_version(digest, now)
    metadata: dict[str, Any] = {
        "version": version,
        "created_at": now.isoformat(),
        "encoder": {
            "model": encoder.model_name,
            "backend": encoder.backend.value,
            "dim": encoder.dim,
        },
        "normaliser_version": normalise_module.VERSION,
        "glossary_version": glossary.version,
        "corpus_hash": digest,
        "extra_training_files": data.extra_files,
        "seed": seed,
        "split_sizes": {
            name: int((split == name).sum()) for name in ("train", "validation", "test")
        },
        "threshold": round(float(threshold), 4),
        "target_recall": 0.95,
        "head_features": ["semantic_probability", "ngram_probability", *FEATURE_NAMES],
        "head_coefficients": [round(float(c), 4) for c in head.coef_[0]],
        "cue_weight": CUE_WEIGHT,
        "baselines": {"tfidf_threshold": round(float(baseline_threshold), 4)},
        "metrics": metrics,
    }
    estimators = {
        "semantic": semantic,
        "ngram": ngram,
        "head": head,
        "calibrator": calibrator,
        "category": category_head,
        "neighbours": _neighbour_table(examples, prepared, tr),
    }
    return ModelArtifact(version=version, estimators=estimators, metadata=metadata)


def _category_head(
    examples: list[Example], prepared: Prepared, rows: np.ndarray, seed: int
) -> LogisticRegression:
    partisan = rows & np.array([e.label == 1 for e in examples])
    features = feature_matrix(prepared.embeddings, prepared.cues, CUE_WEIGHT)
    targets = np.array([e.category.value for e in examples])
    return LogisticRegression(C=2.0, max_iter=5000, random_state=seed).fit(
        features[partisan], targets[partisan]
    )


def _category_accuracy(
    examples: list[Example], prepared: Prepared, rows: np.ndarray, head: LogisticRegression
) -> float:
    partisan = rows & np.array([e.label == 1 for e in examples])
    if not partisan.any():
        return 0.0
    features = feature_matrix(prepared.embeddings, prepared.cues, CUE_WEIGHT)
    predicted = head.predict(features[partisan])
    truth = np.array([e.category.value for e in examples])[partisan]
    return round(float(np.mean(predicted == truth)), 4)


def _by_trap(
    examples: list[Example], probability: np.ndarray, threshold: float, rows: np.ndarray
) -> dict[str, dict[str, float]]:
    """How the model does on each tricky kind of post in the test split."""
    report: dict[str, dict[str, float]] = {}
    traps = sorted({e.trap for e, keep in zip(examples, rows, strict=True) if keep and e.trap})
    for trap in traps:
        picked = [i for i, e in enumerate(examples) if rows[i] and e.trap == trap]
        correct = sum(int((probability[i] >= threshold) == bool(examples[i].label)) for i in picked)
        report[trap] = {"n": len(picked), "accuracy": round(correct / len(picked), 3)}
    return report


def _neighbour_table(
    examples: list[Example], prepared: Prepared, rows: np.ndarray
) -> dict[str, Any]:
    picked = np.where(rows)[0]
    return {
        "vectors": prepared.embeddings[picked].astype(np.float16),
        "rows": [
            {
                "text": examples[i].model_text,
                "label": examples[i].label,
                "category": examples[i].category.value,
            }
            for i in picked
        ],
    }


def default_paths(data_dir: Path) -> dict[str, Path]:
    return {
        "corpus": data_dir / "corpus",
        "gazetteer": data_dir / "gazetteer",
        "glossary": data_dir / "lexicon" / "gloss_id_en.tsv",
    }
