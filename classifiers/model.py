"""The partisanship scorer: a scikit-learn head on sentence embeddings, cue features and a
character n-gram view, with a calibrated probability and an explanation for every post.

Why three views: all-MiniLM-L6-v2 is trained on English, so on Indonesian it carries meaning for
code-mixed words and glossed vocabulary but misses morphology and slang spellings; character
n-grams catch those; cue features name what an analyst should look at. Each view gives its own
probability (the semantic and lexical views are logistic regressions); a logistic head trained on
out-of-fold view scores weighs them with the cues, and Platt scaling on the validation split
turns its score into a calibrated probability.

A model is saved as a folder: ``head.joblib`` (the fitted estimators and the labelled neighbours)
and ``metadata.json`` (encoder, normaliser and glossary versions, corpus hash, threshold,
metrics, date). ``CURRENT`` in the model folder names the model in use.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np

from classifiers import normalise as normalise_module
from classifiers.corpus import model_text
from classifiers.encoder import Encoder
from classifiers.features import CUES, FEATURE_NAMES, CueHits, cue_hits, feature_matrix
from classifiers.gazetteer import Gazetteer
from classifiers.normalise import Glossary, normalise
from netra.domain.models import Category, EntityMatch, Neighbour, Score, Stance, utcnow

CURRENT_FILE = "CURRENT"
# Posts with a photo description get their own weights for the two views: the written corpus
# is the only labelled source of such posts (real timelines in the corpus carry none), and there
# the description, not the caption, often decides (attendance, symbols). Measured with each real
# source held out: synthetic test F1 0.813 -> 0.843, real sources' PR-AUC unchanged or up by 0.004.
VIEWS_WITH_MEDIA = ("semantic_if_media", "ngram_if_media")
# What the head reads, in order; a model records the list it was trained on.
HEAD_FEATURES = ("semantic_probability", "ngram_probability", *FEATURE_NAMES, *VIEWS_WITH_MEDIA)
_HAS_MEDIA = FEATURE_NAMES.index("has_media")
_SEMANTIC_IF_MEDIA = HEAD_FEATURES.index("semantic_if_media")
_NGRAM_IF_MEDIA = HEAD_FEATURES.index("ngram_if_media")
CUE_WEIGHT = 0.3
NEIGHBOURS = 3
_CUE_DESCRIPTION = {c.name: c.description for c in CUES}
_ENTITY_WORDS = {
    "candidate": "menyebut calon",
    "party": "menyebut partai",
    "slogan": "memakai slogan",
    "hashtag": "memakai tagar kampanye",
    "attack_hashtag": "memakai tagar serangan",
    "name_hashtag": "memakai tagar dari nama calon",
    "account": "menyapa akun calon atau partai",
    "ballot_number": "menyebut nomor",
}


class ModelNotFound(Exception):
    pass


@dataclass
class ModelArtifact:
    version: str
    estimators: dict[str, Any]
    metadata: dict[str, Any]
    path: Path | None = None

    @property
    def threshold(self) -> float:
        return float(self.metadata["threshold"])

    def save(self, model_dir: Path, make_current: bool = True) -> Path:
        folder = model_dir / self.version
        folder.mkdir(parents=True, exist_ok=True)
        joblib.dump(self.estimators, folder / "head.joblib", compress=3)
        (folder / "metadata.json").write_text(
            json.dumps(self.metadata, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
        )
        if make_current:
            mark_current(model_dir, self.version)
        self.path = folder
        return folder

    @classmethod
    def load(cls, folder: Path) -> ModelArtifact:
        try:
            metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
            estimators = joblib.load(folder / "head.joblib")
        except (OSError, ValueError) as exc:
            raise ModelNotFound(f"{folder}: not a readable model ({exc})") from exc
        return cls(
            version=metadata["version"], estimators=estimators, metadata=metadata, path=folder
        )


def incompatibility(artifact: ModelArtifact) -> str | None:
    """Why this version of the code cannot score with ``artifact``, or None when it can: a model
    trained on other head features or another normaliser would fail or score wrongly."""
    features = artifact.metadata.get("head_features")
    if features is not None and tuple(features) != HEAD_FEATURES:
        missing = sorted(set(HEAD_FEATURES) - set(features))
        extra = sorted(set(features) - set(HEAD_FEATURES))
        return (
            f"it was trained on other head features (new here: {', '.join(missing) or 'none'};"
            f" gone: {', '.join(extra) or 'none'})"
        )
    version = artifact.metadata.get("normaliser_version")
    if version is not None and str(version) != normalise_module.VERSION:
        return f"it was trained with normaliser {version}, this code has {normalise_module.VERSION}"
    return None


def mark_current(model_dir: Path, version: str) -> None:
    pointer = model_dir / CURRENT_FILE
    staging = pointer.with_suffix(".tmp")
    staging.write_text(version + "\n", encoding="utf-8")
    staging.replace(pointer)  # atomic, so a reader never sees half a name


def current_version(model_dir: Path) -> str | None:
    try:
        version = (model_dir / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return version if version and (model_dir / version / "metadata.json").exists() else None


def load_current(model_dir: Path) -> ModelArtifact:
    version = current_version(model_dir)
    if version is None:
        raise ModelNotFound(f"no trained model in {model_dir}")
    return ModelArtifact.load(model_dir / version)


@dataclass(frozen=True)
class PostInput:
    text: str
    media: Sequence[str] = ()


@dataclass
class Prepared:
    """Everything derived from a batch of posts before the heads run."""

    normalised: list[str]
    cues: list[CueHits]
    embeddings: np.ndarray


@dataclass(frozen=True)
class Scored:
    score: Score
    embedding: np.ndarray


def prepare(
    posts: Sequence[PostInput], encoder: Encoder, gazetteer: Gazetteer, glossary: Glossary
) -> Prepared:
    normalised = [normalise(model_text(p.text, p.media)) for p in posts]
    cues = [
        cue_hits(n, gazetteer, bool(p.media), p.text)
        for n, p in zip(normalised, posts, strict=True)
    ]
    embeddings = encoder.encode([glossary.apply(n) for n in normalised])
    return Prepared(normalised, cues, embeddings)


class Scorer:
    def __init__(
        self,
        artifact: ModelArtifact,
        encoder: Encoder,
        gazetteer: Gazetteer,
        glossary: Glossary,
        threshold: float | None = None,
    ) -> None:
        self.artifact = artifact
        self.encoder = encoder
        self.gazetteer = gazetteer
        self.glossary = glossary
        self.threshold = artifact.threshold if threshold is None else threshold
        neighbours = artifact.estimators["neighbours"]
        self._neighbour_vectors = np.asarray(neighbours["vectors"], dtype=np.float32)
        self._neighbour_rows = neighbours["rows"]

    # -- the three views ----------------------------------------------------------------
    def prepare(self, posts: Sequence[PostInput]) -> Prepared:
        return prepare(posts, self.encoder, self.gazetteer, self.glossary)

    def probabilities(self, prepared: Prepared) -> tuple[np.ndarray, np.ndarray]:
        """(calibrated probability, the head's input features)."""
        est = self.artifact.estimators
        semantic = est["semantic"].predict_proba(prepared.embeddings)[:, 1]
        lexical = est["ngram"].predict_proba(prepared.normalised)[:, 1]
        stacked = stack_features(semantic, lexical, prepared.cues)
        raw = est["head"].decision_function(stacked)
        calibrated = est["calibrator"].predict_proba(raw.reshape(-1, 1))[:, 1]
        return calibrated, stacked

    # -- scoring --------------------------------------------------------------------------
    def score(
        self,
        posts: Sequence[PostInput],
        explain: bool = True,
        explain_unflagged: bool | Sequence[bool] = True,
    ) -> list[Scored]:
        """Score posts. ``explain`` adds signals and nearest labelled examples to posts at or over
        the threshold, and to those under it where ``explain_unflagged`` says so (one flag for
        all, or one per post): the pipeline keeps nothing of an unflagged post's explanation,
        so it spares that cost on most posts."""
        if not posts:
            return []
        prepared = self.prepare(posts)
        probability, stacked = self.probabilities(prepared)
        categories = self._categories(prepared)
        wanted = np.broadcast_to(np.asarray(explain_unflagged, dtype=bool), len(posts))
        explained = explain & ((probability >= self.threshold) | wanted)
        neighbours: list[list[Neighbour]] = [[] for _ in posts]
        rows = np.flatnonzero(explained)
        for row, found in zip(rows, self._neighbours(prepared.embeddings[rows]), strict=True):
            neighbours[row] = found
        now = utcnow()
        results = []
        for i in range(len(posts)):
            flagged = bool(probability[i] >= self.threshold)
            category = categories[i] if flagged else Category.NETRAL
            score = Score(
                probability=round(float(probability[i]), 4),
                threshold=self.threshold,
                flagged=flagged,
                category=category,
                stance=stance_of(category),
                entities=prepared.cues[i].entities,
                signals=self._signals(prepared.cues[i], stacked[i]) if explained[i] else [],
                neighbours=neighbours[i],
                model_version=self.artifact.version,
                scored_at=now,
            )
            results.append(Scored(score=score, embedding=prepared.embeddings[i]))
        return results

    def _categories(self, prepared: Prepared) -> list[Category]:
        head = self.artifact.estimators["category"]
        features = feature_matrix(prepared.embeddings, prepared.cues, CUE_WEIGHT)
        return [Category(c) for c in head.predict(features)]

    def _neighbours(self, embeddings: np.ndarray) -> list[list[Neighbour]]:
        sims = embeddings @ self._neighbour_vectors.T
        found = []
        for row in sims:
            top = np.argsort(-row)[:NEIGHBOURS]
            found.append(
                [
                    Neighbour(
                        text=self._neighbour_rows[j]["text"],
                        label=self._neighbour_rows[j]["label"],
                        category=self._neighbour_rows[j]["category"],
                        similarity=round(float(row[j]), 3),
                    )
                    for j in top
                ]
            )
        return found

    def _signals(self, cues: CueHits, stacked_row: np.ndarray) -> list[str]:
        """What pushed the score, strongest first, in words an analyst reads (Bahasa Indonesia).
        Each view and cue is ranked by its contribution to the head: coefficient × (probability
        − 0.5) for a view, so that a view leaning neutral reads as lowering the score, and
        coefficient × value for a cue."""
        coef = self.artifact.estimators["head"].coef_[0]
        contribution = coef * stacked_row
        media = float(cues.vector[_HAS_MEDIA])
        # A view pushes the score up when it leans partisan (over 0.5), down when it leans the
        # other way; on a post with a photo description its weight is its own plus the media one.
        semantic = (coef[0] + media * coef[_SEMANTIC_IF_MEDIA]) * (stacked_row[0] - 0.5)
        lexical = (coef[1] + media * coef[_NGRAM_IF_MEDIA]) * (stacked_row[1] - 0.5)
        weighted: list[tuple[float, str]] = [
            (
                abs(semantic),
                f"makna kalimat (model semantik {stacked_row[0]:.2f}) {_direction(semantic)}",
            ),
            (
                abs(lexical),
                f"pola kata dan ejaan (model n-gram {stacked_row[1]:.2f}) {_direction(lexical)}",
            ),
        ]
        for index, cue in enumerate(CUES, start=2):
            if cue.name in cues.hits:
                words = ", ".join(cues.hits[cue.name][:4])
                weighted.append(
                    (
                        abs(contribution[index]),
                        f"{cue.description}: «{words}» {_direction(contribution[index])}",
                    )
                )
        weighted.sort(key=lambda item: -item[0])
        return [text for _, text in weighted] + [entity_signal(e) for e in cues.entities]


def _direction(value: float) -> str:
    return "menaikkan skor" if value > 0 else "menurunkan skor"


def entity_signal(entity: EntityMatch) -> str:
    return f"{_ENTITY_WORDS.get(entity.kind, entity.kind)}: {entity.value} («{entity.matched}»)"


def stance_of(category: Category) -> Stance:
    if category is Category.NETRAL:
        return Stance.NONE
    return Stance.OPPOSE if category is Category.SERANGAN else Stance.SUPPORT


def stack_features(
    semantic: np.ndarray, lexical: np.ndarray, cues: Sequence[CueHits]
) -> np.ndarray:
    """The head's input (``HEAD_FEATURES``): the two view probabilities, the cue columns
    (scaled), then the two view probabilities again on posts with a photo description."""
    cue_vectors = np.vstack([c.vector for c in cues])
    media = cue_vectors[:, _HAS_MEDIA]
    return np.column_stack(
        [semantic, lexical, cue_vectors * CUE_WEIGHT, semantic * media, lexical * media]
    ).astype(np.float32)


def new_version(corpus_digest: str, now: datetime | None = None) -> str:
    return f"{(now or utcnow()):%Y%m%d-%H%M%S}-{corpus_digest[:8]}"
