"""The classifier as the rest of Netra uses it: build it from settings, train it when no model
exists yet, score posts, evaluate a labelled file against the model and the baselines."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.corpus import Example, load_corpus, read_labelled, split_of
from classifiers.encoder import Backend, Encoder
from classifiers.evaluate import binary_metrics, keyword_rule
from classifiers.gazetteer import Gazetteer
from classifiers.model import ModelArtifact, ModelNotFound, PostInput, Scorer, load_current
from classifiers.normalise import Glossary
from classifiers.train import TrainingData, train
from netra.settings import Settings

Announce = Callable[[str], None]


def corpus_dir(settings: Settings) -> Path:
    return settings.data_dir / "corpus"


@lru_cache(maxsize=4)
def _encoder(model: str, backend: str, cache_dir: str) -> Encoder:
    return Encoder(model=model, backend=Backend(backend), cache_dir=Path(cache_dir))


def build_encoder(settings: Settings) -> Encoder:
    """One encoder per (model, backend) in a process: loading one takes seconds."""
    return _encoder(
        settings.encoder_model, settings.encoder_backend, str(settings.model_dir / "encoders")
    )


def gazetteer(settings: Settings) -> Gazetteer:
    return Gazetteer.load(settings.data_dir / "gazetteer")


def glossary(settings: Settings) -> Glossary:
    return Glossary.load(settings.data_dir / "lexicon" / "gloss_id_en.tsv")


def train_model(settings: Settings, extra: Sequence[Path] = (), seed: int = 13) -> ModelArtifact:
    data = TrainingData.load(corpus_dir(settings), extra)
    artifact = train(
        data, build_encoder(settings), gazetteer(settings), glossary(settings), seed=seed
    )
    artifact.save(settings.model_dir)
    return artifact


def load_model(settings: Settings, announce: Announce | None = None) -> ModelArtifact:
    """The current model; on a fresh checkout, train the default one first (about a minute)."""
    try:
        return load_current(settings.model_dir)
    except ModelNotFound:
        if announce:
            announce(
                f"no trained model in {settings.model_dir}: training the default model from"
                f" {corpus_dir(settings)} first (about a minute, once)"
            )
        return train_model(settings)


def build_scorer(settings: Settings, announce: Announce | None = None) -> Scorer:
    artifact = load_model(settings, announce)
    encoder = build_encoder(settings)
    trained_with = artifact.metadata["encoder"]["model"]
    if trained_with != encoder.model_name:
        raise ModelNotFound(
            f"model {artifact.version} was trained on encoder {trained_with!r} but"
            f" NETRA_ENCODER_MODEL is {encoder.model_name!r}: run 'netra train'"
        )
    return Scorer(
        artifact, encoder, gazetteer(settings), glossary(settings), settings.flag_threshold
    )


def held_out_examples(settings: Settings) -> list[Example]:
    return [e for e in load_corpus(corpus_dir(settings)) if split_of(e.family) == "test"]


def evaluate(scorer: Scorer, examples: Sequence[Example], source: str) -> dict[str, Any]:
    """The model and both baselines on the same labelled examples, as one report."""
    prepared = scorer.prepare([PostInput(e.text, [e.media] if e.media else []) for e in examples])
    probability, _ = scorer.probabilities(prepared)
    labels = np.array([e.label for e in examples])
    estimators = scorer.artifact.estimators
    lexical = estimators["ngram"].predict_proba(prepared.normalised)[:, 1]
    tfidf_threshold = scorer.artifact.metadata["baselines"]["tfidf_threshold"]
    return {
        "model": scorer.artifact.version,
        "data": source,
        **binary_metrics(labels, probability, scorer.threshold),
        "baselines": {
            "tfidf_logreg": binary_metrics(labels, lexical, tfidf_threshold),
            "keyword_lexicon": binary_metrics(labels, keyword_rule(prepared.cues), 0.5),
        },
    }


def evaluate_file(scorer: Scorer, path: Path) -> dict[str, Any]:
    return evaluate(scorer, read_labelled(path), str(path))
