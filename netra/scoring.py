"""The classifier as the rest of Netra uses it: build it from settings, train it when no model
exists yet, score posts, evaluate a labelled file against the model and the baselines."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.corpus import Example, load_corpus, read_labelled, split_of
from classifiers.encoder import Backend, Encoder
from classifiers.evaluate import keyword_rule
from classifiers.gazetteer import Gazetteer
from classifiers.generalisation import HeldOutScores, held_out_sources, margin_metrics
from classifiers.model import (
    ModelArtifact,
    ModelNotFound,
    PostInput,
    Scorer,
    incompatibility,
    load_current,
)
from classifiers.normalise import Glossary
from classifiers.train import TrainingData, prepare_examples, train
from netra.domain.settings import Settings

Announce = Callable[[str], None]


def corpus_dir(settings: Settings) -> Path:
    return settings.data_dir / "corpus"


_ENCODERS: dict[tuple[str, str], Encoder] = {}


def build_encoder(settings: Settings) -> Encoder:
    """One encoder per (model, backend) in a process: loading one takes seconds, and its
    embedding cache keeps a text's vector identical wherever it is scored again (int8 dynamic
    quantisation scales activations per batch, so re-encoding a text in another batch moves its
    vector by a hair)."""
    key = (settings.encoder_model, settings.encoder_backend)
    if key not in _ENCODERS:
        _ENCODERS[key] = Encoder(
            model=key[0], backend=Backend(key[1]), cache_dir=settings.model_dir / "encoders"
        )
    return _ENCODERS[key]


def gazetteer(settings: Settings) -> Gazetteer:
    """The bundled gazetteer and the candidate lists this deployment imported."""
    return Gazetteer.load(settings.data_dir / "gazetteer", imported_gazetteer_dir(settings))


def imported_gazetteer_dir(settings: Settings) -> Path:
    return settings.var_dir / "gazetteer"


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
    """The current model. On a fresh checkout, or when the current model was trained for another
    version of the code, train the default one first (about three minutes on 2 cores); the old
    model's folder stays where it was."""
    try:
        artifact = load_current(settings.model_dir)
    except ModelNotFound:
        reason = f"no trained model in {settings.model_dir}"
    else:
        stale = incompatibility(artifact)
        if stale is None:
            return artifact
        reason = f"model {artifact.version} cannot be used by this version of Netra: {stale}"
    if announce:
        announce(
            f"{reason}: training the default model from {corpus_dir(settings)} first"
            " (about three minutes on 2 cores, once)"
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


def _scores(scorer: Scorer, examples: Sequence[Example]) -> HeldOutScores:
    """Labels and margins over each scorer's threshold: the model and both baselines."""
    prepared = scorer.prepare([PostInput(e.text, [e.media] if e.media else []) for e in examples])
    probability, _ = scorer.probabilities(prepared)
    lexical = scorer.artifact.estimators["ngram"].predict_proba(prepared.normalised)[:, 1]
    tfidf_threshold = scorer.artifact.metadata["baselines"]["tfidf_threshold"]
    return HeldOutScores(
        np.array([e.label for e in examples]),
        {
            "model": probability - scorer.threshold,
            "tfidf_baseline": lexical - tfidf_threshold,
            "keyword_baseline": keyword_rule(prepared.cues) - 0.5,
        },
    )


def evaluate(scorer: Scorer, examples: Sequence[Example], source: str) -> dict[str, Any]:
    """The model and both baselines on the same labelled examples, as one report."""
    report = _comparison(_scores(scorer, examples))
    report["threshold"] = scorer.threshold
    report["baselines"]["tfidf_logreg"]["threshold"] = scorer.artifact.metadata["baselines"][
        "tfidf_threshold"
    ]
    report["baselines"]["keyword_lexicon"]["threshold"] = 0.5
    return {"model": scorer.artifact.version, "data": source, **report}


def _comparison(scores: HeldOutScores) -> dict[str, Any]:
    model = margin_metrics(scores.labels, scores.margins["model"])
    return {
        **model,
        "baselines": {
            "tfidf_logreg": margin_metrics(scores.labels, scores.margins["tfidf_baseline"]),
            "keyword_lexicon": margin_metrics(scores.labels, scores.margins["keyword_baseline"]),
        },
    }


def evaluate_file(scorer: Scorer, path: Path) -> dict[str, Any]:
    return evaluate(scorer, read_labelled(path), str(path))


def generalisation_report(
    settings: Settings, scorer: Scorer, held_out: bool = True, seed: int = 13
) -> dict[str, Any]:
    """What ``netra eval`` prints: the current model on the synthetic and the real test splits;
    each real source held out whole (the pipeline refitted without it); and overall (the
    synthetic test under the current model plus every real post under the model that never saw
    its source, each flagged by its own model's threshold). Baselines beside each."""
    examples = load_corpus(corpus_dir(settings))
    test = [e for e in examples if split_of(e.family) == "test"]
    synthetic = _scores(scorer, [e for e in test if not e.is_real])
    report: dict[str, Any] = {
        "model": scorer.artifact.version,
        "threshold": scorer.threshold,
        "synthetic_test": _comparison(synthetic),
    }
    real_test = [e for e in test if e.is_real]
    if real_test:
        report["real_test_family_split"] = _comparison(_scores(scorer, real_test))
    if held_out and any(e.is_real for e in examples):
        prepared = prepare_examples(examples, scorer.encoder, scorer.gazetteer, scorer.glossary)
        sources, pooled = held_out_sources(examples, prepared, seed)
        report["held_out_sources"] = sources
        report["overall"] = _comparison(synthetic + pooled)
    return report
