"""The classifier with the real encoder (all-MiniLM-L6-v2, offline), trained once per session."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from classifiers.encoder import Backend, Encoder
from classifiers.model import PostInput, Scorer, current_version
from netra.cli import app
from netra.models import Category, Score, Stance
from netra.scoring import build_scorer, evaluate, held_out_examples, train_model
from netra.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture()
def settings(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("NETRA_MODEL_DIR", str(model_dir))
    return Settings()


@pytest.fixture(scope="module")
def trained(model_dir: Path) -> Iterator[Scorer]:
    settings = Settings(model_dir=model_dir, data_dir=ROOT / "data")
    messages: list[str] = []
    scorer = build_scorer(settings, announce=messages.append)
    assert messages and "training the default model" in messages[0]  # said so, no error
    yield scorer


def test_trained_model_meets_targets_and_beats_baselines(trained: Scorer) -> None:
    test = trained.artifact.metadata["metrics"]["test"]
    model, tfidf, keyword = test["model"], test["tfidf_baseline"], test["keyword_baseline"]
    assert model["f1"] >= 0.88, model
    assert model["recall"] >= 0.92, model
    assert model["f1"] > keyword["f1"]
    assert model["pr_auc"] >= tfidf["pr_auc"] - 0.01
    validation = trained.artifact.metadata["metrics"]["validation"]["model"]
    assert validation["recall"] >= 0.95  # the threshold rule, on the split it was chosen on


def test_score_output_schema_and_explanation(trained: Scorer) -> None:
    [partisan, neutral] = trained.score(
        [
            PostInput(
                "Ayo bapak ibu, tgl 27 jangan salah pilih! Coblos nomor 2 Rudy Seno ✌️ #gratispol"
            ),
            PostInput("Alhamdulillah apel pagi lancar, semangat melayani masyarakat 🙏"),
        ]
    )
    score = Score.model_validate(partisan.score.model_dump())
    assert score.flagged and score.probability >= score.threshold
    assert score.category is not Category.NETRAL and score.stance is Stance.SUPPORT
    assert {e.kind for e in score.entities} >= {"candidate", "ballot_number", "slogan"}
    assert any("ajakan memilih" in s for s in score.signals)
    assert len(score.neighbours) == 3 and all(-1 <= n.similarity <= 1 for n in score.neighbours)
    assert partisan.embedding.shape == (384,)
    assert not neutral.score.flagged and neutral.score.category is Category.NETRAL
    assert neutral.score.stance is Stance.NONE


@pytest.mark.parametrize(
    "text",
    [
        "ASN wajib netral! Jangan ikut kampanye di medsos ya rekan2, sanksinya berat.",
        "Jangan lupa tanggal 27 November datang ke TPS, cek nama kalian di DPT. Jangan golput!",
        "Liburan ke pantai Manggar sama anak2, pose dua jari dulu ✌️",
    ],
)
def test_hard_negatives_stay_out_of_the_queue(trained: Scorer, text: str) -> None:
    assert not trained.score([PostInput(text)])[0].score.flagged


def test_training_is_deterministic_for_a_seed(trained: Scorer, settings: Settings) -> None:
    again = train_model(settings, seed=13)
    assert again.threshold == trained.artifact.threshold
    assert again.metadata["metrics"]["test"] == trained.artifact.metadata["metrics"]["test"]
    assert current_version(settings.model_dir) == again.version  # the new one is current


def test_onnx_agrees_with_torch(trained: Scorer, settings: Settings) -> None:
    """Mean cosine >= 0.98 between the backends, and F1 on the test split within one point."""
    examples = held_out_examples(settings)
    torch_encoder = Encoder(backend=Backend.TORCH)
    torch_scorer = Scorer(trained.artifact, torch_encoder, trained.gazetteer, trained.glossary)
    onnx_report = evaluate(trained, examples, "test")
    torch_report = evaluate(torch_scorer, examples, "test")
    assert abs(onnx_report["f1"] - torch_report["f1"]) <= 0.01
    texts = [
        trained.glossary.apply(n)
        for n in trained.prepare([PostInput(e.text) for e in examples[:200]]).normalised
    ]
    a, b = trained.encoder.encode(texts), torch_encoder.encode(texts)
    assert float(np.mean(np.sum(a * b, axis=1))) >= 0.98


def test_encoder_cache_serves_repeated_text(trained: Scorer) -> None:
    before = trained.encoder.cache_hits
    trained.encoder.encode(["teks kampanye yang sama persis"] * 5)
    assert trained.encoder.cache_hits - before >= 4


def test_cli_score_and_eval(trained: Scorer, settings: Settings, tmp_path: Path) -> None:
    scored = runner.invoke(app, ["score", "Siap all out menangkan paslon nomor 1!"])
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.output)["flagged"] is True
    data = tmp_path / "eval.csv"
    data.write_text(
        "text,label\nAyo menangkan paslon nomor 3 di pilkada!,1\nSelamat hari guru nasional,0\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["eval", "--data", str(data)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {
        "precision",
        "recall",
        "f1",
        "pr_auc",
        "threshold",
        "n",
        "confusion_matrix",
    } <= report.keys()
    assert report["n"] == 2 and set(report["baselines"]) == {"tfidf_logreg", "keyword_lexicon"}


def test_cli_eval_bad_file_exits_2(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "label": "maybe"}\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", "--data", str(bad)])
    assert result.exit_code == 2
    assert "bad.jsonl:1" in result.output and "label" in result.output


def test_explanations_can_be_kept_for_flagged_posts_only(trained: Scorer) -> None:
    posts = [
        PostInput("Ayo coblos nomor 2 Rudy Seno, jangan salah pilih! #gratispol"),
        PostInput("Rapat koordinasi pelayanan puskesmas pagi ini berjalan lancar."),
    ]
    partisan, neutral = trained.score(posts, explain_unflagged=False)
    assert partisan.score.flagged and partisan.score.signals and partisan.score.neighbours
    assert not neutral.score.flagged and not neutral.score.signals
    assert not neutral.score.neighbours
    _, reported = trained.score(posts, explain_unflagged=[False, True])
    assert not reported.score.flagged and reported.score.signals  # e.g. a citizen's report
    full = trained.score(posts)
    assert full[1].score.signals and full[1].score.neighbours  # the default explains everything
    assert [r.score.probability for r in full] == [
        partisan.score.probability,
        neutral.score.probability,
    ]
