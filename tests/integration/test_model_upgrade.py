"""A model trained by an older version of Netra (other head features) is not used to score: the
default model is trained again, said so, and the old model's folder is kept.

Training here runs on a small written corpus (the real encoder, gazetteer and glossary), so the
test takes seconds, not the three minutes of the default corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifiers.model import HEAD_FEATURES, current_version, incompatibility, load_current
from netra.domain.settings import Settings
from netra.retraining import retrain
from netra.scoring import load_model
from netra.store.sqlite import SqliteStore
from tests.trained import model_copy

ROOT = Path(__file__).resolve().parents[2]
NEW_FEATURES = ("two_rival_pairs", "three_rival_pairs")


def _small_data_dir(target: Path) -> Path:
    """The bundled gazetteer and glossary, and every sixth written post of the corpus."""
    (target / "corpus").mkdir(parents=True)
    for name in ("gazetteer", "lexicon"):
        (target / name).symlink_to(ROOT / "data" / name)
    for part in sorted((ROOT / "data" / "corpus" / "parts").glob("*.jsonl")):
        lines = part.read_text(encoding="utf-8").splitlines()
        (target / "corpus" / part.name).write_text("\n".join(lines[::6]) + "\n", encoding="utf-8")
    return target


def _as_if_older(model_dir: Path) -> str:
    """Make the current model look like one trained before the rival-pairs features existed."""
    version = current_version(model_dir)
    assert version is not None
    metadata_file = model_dir / version / "metadata.json"
    metadata = json.loads(metadata_file.read_text(encoding="utf-8"))
    metadata["head_features"] = [f for f in HEAD_FEATURES if f not in NEW_FEATURES]
    metadata_file.write_text(json.dumps(metadata), encoding="utf-8")
    return version


@pytest.fixture()
def older_model(tmp_path: Path, default_model_dir: Path) -> tuple[Settings, str]:
    models = model_copy(default_model_dir, tmp_path / "models")
    settings = Settings(
        model_dir=models, data_dir=_small_data_dir(tmp_path / "data"), var_dir=tmp_path / "var"
    )
    return settings, _as_if_older(models)


def test_a_model_from_an_older_version_is_retrained_not_used(
    older_model: tuple[Settings, str],
) -> None:
    settings, old_version = older_model
    reason = incompatibility(load_current(settings.model_dir))
    assert reason is not None and "two_rival_pairs" in reason and "three_rival_pairs" in reason

    messages: list[str] = []
    artifact = load_model(settings, announce=messages.append)

    assert artifact.version != old_version
    assert current_version(settings.model_dir) == artifact.version
    assert incompatibility(artifact) is None
    assert len(messages) == 1
    assert f"model {old_version} cannot be used by this version of Netra" in messages[0]
    assert "training the default model" in messages[0]
    assert (settings.model_dir / old_version / "head.joblib").exists()  # kept, not deleted
    # A corpus of written posts only: the threshold falls back to the whole validation split.
    assert artifact.metadata["threshold_chosen_on"]["what"] == "the whole validation split"


def test_weekly_retraining_replaces_a_model_from_an_older_version(
    older_model: tuple[Settings, str],
) -> None:
    settings, old_version = older_model
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    store = SqliteStore(settings.var_dir / "netra.db")

    outcome = retrain(store, settings)

    assert outcome.promoted, outcome
    assert "cannot score here" in outcome.reason and "two_rival_pairs" in outcome.reason
    assert current_version(settings.model_dir) == outcome.candidate_version
    assert current_version(settings.model_dir) != old_version
