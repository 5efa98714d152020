"""Which trained models this version of the code refuses to score with (without training one)."""

from __future__ import annotations

from classifiers import normalise
from classifiers.model import HEAD_FEATURES, ModelArtifact, incompatibility


def artifact(normaliser_version: str) -> ModelArtifact:
    metadata = {"head_features": list(HEAD_FEATURES), "normaliser_version": normaliser_version}
    return ModelArtifact(version="m", estimators={}, metadata=metadata)


def test_a_model_from_the_current_normaliser_is_used() -> None:
    assert incompatibility(artifact(normalise.VERSION)) is None


def test_a_model_trained_on_appended_glosses_is_refused() -> None:
    # Normaliser 1 appended the English glosses; 2 writes them in place of the words, so the
    # encoder's input of a version-1 model no longer matches what scoring feeds it.
    reason = incompatibility(artifact("1"))
    assert reason is not None
    assert "normaliser 1" in reason and f"this code has {normalise.VERSION}" in reason
