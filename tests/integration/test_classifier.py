"""The classifier with the real encoder (all-MiniLM-L6-v2, offline), trained once per session."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from classifiers.corpus import load_corpus
from classifiers.encoder import Backend, Encoder
from classifiers.generalisation import held_out_sources
from classifiers.model import PostInput, Scorer, current_version
from classifiers.train import prepare_examples
from netra.cli import app
from netra.domain.models import Category, Score, Stance
from netra.domain.settings import Settings
from netra.scoring import build_scorer, evaluate, held_out_examples, train_model

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
    """Measured: synthetic test F1 0.81 (recall 0.99 — the threshold keeps recall >= 0.95 on the
    real posts of validation), real test F1 0.83, PR-AUC 0.94 against 0.90 for the TF-IDF
    baseline."""
    metrics = trained.artifact.metadata["metrics"]
    synthetic = metrics["test_synthetic"]
    model, tfidf, keyword = (
        synthetic["model"],
        synthetic["tfidf_baseline"],
        synthetic["keyword_baseline"],
    )
    assert model["f1"] >= 0.80, model
    assert model["recall"] >= 0.95, model
    assert model["f1"] > max(keyword["f1"], tfidf["f1"])
    assert model["pr_auc"] >= tfidf["pr_auc"] - 0.03
    real = metrics["test_real"]
    assert real["model"]["pr_auc"] > max(
        real["tfidf_baseline"]["pr_auc"], real["keyword_baseline"]["pr_auc"]
    )
    assert real["model"]["recall"] >= 0.85, real["model"]
    validation = metrics["validation"]["model"]
    assert validation["recall"] >= 0.95  # the threshold rule, on the split it was chosen on
    chosen_on = trained.artifact.metadata["threshold_chosen_on"]
    assert chosen_on["what"] == "real posts of the validation split", chosen_on
    sources = trained.artifact.metadata["corpus_sources"]
    assert {"synthetic", "pilpres2019", "pilkada_jatim2024", "pemilu2024", "stance_blogs"} <= set(
        sources
    )


# Real-style posts written for this test (not from any corpus): the same candidates reported on
# by a newsroom, and taken sides on by a poster in their own voice.
NEWS_NAMING_CANDIDATES = [
    "Calon Gubernur Jawa Timur nomor urut 2 Khofifah Indar Parawansa blusukan ke Pasar Wonokromo,"
    " Kamis (7/11). https://t.co/abc123",
    "KPU Jatim menetapkan nomor urut: 01 Luluk-Lukman, 02 Khofifah-Emil, 03 Risma-Gus Hans."
    " Debat kedua digelar 3 November di Surabaya.",
    "Hasil survei terbaru: elektabilitas Prabowo-Gibran 45%, Anies-Muhaimin 25%, Ganjar-Mahfud"
    " 22%. Selengkapnya via @pengguna https://t.co/x",
    "Bawaslu mengingatkan seluruh ASN agar tidak memberikan like atau komentar pada unggahan"
    " pasangan calon selama masa kampanye Pilkada 2024.",
]
POSTER_TAKES_A_SIDE = [
    "gak habis pikir masih ada yg mau milih khofifah, 5 tahun ngapain aja coba 😂",
    "@prabowo mantap pak! 14 Februari kita menangkan satu putaran 🔥🔥",
    "Bu Risma memang juara, Jatim butuh pemimpin kayak beliau. Gasss #JatimResik",
    "Debat semalam makin yakin, pilihanku tetap 01. Abah Anies paling cerdas jawabannya",
]


def test_news_that_names_candidates_scores_below_posts_that_take_a_side(trained: Scorer) -> None:
    news = trained.score([PostInput(t) for t in NEWS_NAMING_CANDIDATES])
    sides = trained.score([PostInput(t) for t in POSTER_TAKES_A_SIDE])
    assert all(s.score.flagged for s in sides), [s.score.probability for s in sides]
    assert sum(n.score.flagged for n in news) <= 1, [n.score.probability for n in news]
    assert max(n.score.probability for n in news) < min(s.score.probability for s in sides)
    assert all(s.score.entities for s in sides[:3])  # the gazetteer saw who was named


def test_a_held_out_source_is_scored_by_a_model_that_never_saw_it(trained: Scorer) -> None:
    examples = load_corpus(ROOT / "data" / "corpus")
    prepared = prepare_examples(examples, trained.encoder, trained.gazetteer, trained.glossary)
    report, pooled = held_out_sources(examples, prepared, sources=["stance_blogs"])
    blogs = report["stance_blogs"]
    assert blogs["model"]["n"] == 300 == len(pooled.labels)
    assert blogs["model"]["pr_auc"] > blogs["keyword_baseline"]["pr_auc"]
    assert blogs["model"]["recall"] >= 0.85, blogs["model"]


def test_cli_eval_table_without_refits(
    trained: Scorer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    result = runner.invoke(app, ["eval", "--no-held-out"])
    assert result.exit_code == 0, result.output
    assert "synthetic test" in result.output and "real test (family split)" in result.output
    assert "TF-IDF baseline" in result.output


def test_real_posts_are_never_shown_as_neighbours(trained: Scorer) -> None:
    """Real posts are private persons' words: they train the model but are never shown."""
    real = {e.model_text for e in load_corpus(ROOT / "data" / "corpus") if e.is_real}
    shown = {r["text"] for r in trained.artifact.estimators["neighbours"]["rows"]}
    assert real and shown and not real & shown


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


# Posts with a photo description (alt text, a caption the platform carries), written for this
# test: an election poster in the background, against the poster campaigning in the photo.
PHOTO_BACKGROUND = [
    PostInput(
        "Makan siang bareng keluarga di warung dekat kantor, enak dan murah",
        [
            "foto keluarga makan di warung; di dinding belakang terpasang baliho pasangan calon"
            " gubernur nomor 2"
        ],
    ),
    PostInput(
        "Rapat koordinasi persiapan pengamanan pemungutan suara di aula kecamatan",
        ["foto rapat di aula, para peserta berseragam dinas, spanduk KPU di depan"],
    ),
]
PHOTO_CAMPAIGNING = [
    PostInput(
        "Bersama warga malam ini",
        [
            "foto pengunggah di atas panggung kampanye memegang mikrofon, di belakangnya baliho"
            " calon bupati nomor 1 dan logo partai"
        ],
    ),
    PostInput(
        "Semangat terus pak!",
        [
            "foto pengunggah bersama calon gubernur, keduanya mengacungkan tiga jari, memakai rompi"
            " tim pemenangan"
        ],
    ),
]


def test_photo_descriptions_separate_a_background_poster_from_campaigning(
    trained: Scorer,
) -> None:
    background = trained.score(PHOTO_BACKGROUND)
    campaigning = trained.score(PHOTO_CAMPAIGNING)
    assert not any(b.score.flagged for b in background), [b.score.probability for b in background]
    assert all(c.score.flagged for c in campaigning), [c.score.probability for c in campaigning]
    # The explanation says which way each view pushed: a view leaning neutral lowers the score.
    assert any("menurunkan skor" in s and "model n-gram" in s for s in background[0].score.signals)
    assert any("menaikkan skor" in s and "model n-gram" in s for s in campaigning[0].score.signals)


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
    result = runner.invoke(app, ["eval", "--json", "--data", str(data)])
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
