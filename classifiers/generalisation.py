"""How the classifier does on real posts from a source it never saw: leave one real source out.

For each real source (a published data set: one election, one platform, one set of authors), the
whole pipeline is fitted without it — views, head, calibration and threshold, on the other real
sources plus the synthetic corpus — and scored on all of it. This is the honest question for a
deployment: the next election has new candidates, new hashtags and new slang. A family-split test
of the same sources only measures how well the model knows those sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from classifiers.corpus import Example, split_of
from classifiers.evaluate import binary_metrics, keyword_rule
from classifiers.model import Prepared
from classifiers.train import comparison, fit


def real_sources(examples: Sequence[Example]) -> list[str]:
    return sorted({e.source for e in examples if e.is_real})


@dataclass
class HeldOutScores:
    """Every held-out post's label and its margin over its own fold's threshold, per scorer."""

    labels: np.ndarray
    margins: dict[str, np.ndarray]  # "model", "tfidf_baseline", "keyword_baseline"

    def metrics(self) -> dict[str, Any]:
        return {name: margin_metrics(self.labels, m) for name, m in self.margins.items()}

    def __add__(self, other: HeldOutScores) -> HeldOutScores:
        return HeldOutScores(
            np.concatenate([self.labels, other.labels]),
            {k: np.concatenate([v, other.margins[k]]) for k, v in self.margins.items()},
        )


def held_out_sources(
    examples: Sequence[Example],
    prepared: Prepared,
    seed: int = 13,
    sources: Sequence[str] | None = None,
) -> tuple[dict[str, Any], HeldOutScores]:
    """One report per held-out source (model and both baselines, each fitted without it), and
    the scores of every held-out post for pooled figures."""
    labels = np.array([e.label for e in examples])
    split = np.array([split_of(e.family) for e in examples])
    origin = np.array([e.source if e.is_real else "" for e in examples])
    keyword = keyword_rule(prepared.cues)
    report: dict[str, Any] = {}
    parts: list[HeldOutScores] = []
    for source in sources or real_sources(examples):
        out = origin == source
        if not out.any():
            raise ValueError(f"no real examples from source {source!r}")
        fit_rows, validation_rows = (split == "train") & ~out, (split == "validation") & ~out
        fitted = fit(examples, prepared, fit_rows, validation_rows, seed)
        report[source] = comparison(labels, out, fitted, keyword)
        parts.append(
            HeldOutScores(
                labels[out],
                {
                    "model": fitted.probability[out] - fitted.threshold,
                    "tfidf_baseline": fitted.baseline_scores[out] - fitted.baseline_threshold,
                    "keyword_baseline": keyword[out] - 0.5,
                },
            )
        )
    pooled = parts[0]
    for part in parts[1:]:
        pooled = pooled + part
    report["pooled"] = pooled.metrics()
    return report, pooled


def margin_metrics(labels: np.ndarray, margins: np.ndarray) -> dict[str, Any]:
    """Metrics over scores from several models, each shifted by its own threshold (flagged when
    the margin is >= 0). PR-AUC ranks the margins."""
    metrics = binary_metrics(labels, margins, 0.0)
    metrics["threshold"] = "each model's own"
    return metrics
