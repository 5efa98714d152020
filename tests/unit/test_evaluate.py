from pathlib import Path

import numpy as np
import pytest

from classifiers.corpus import REAL, SYNTHETIC, CorpusError, Example, read_labelled, split_of
from classifiers.evaluate import binary_metrics, choose_threshold
from classifiers.train import threshold_rows


def test_threshold_keeps_recall_and_maximises_precision() -> None:
    labels = [1, 1, 1, 1, 0, 0, 0, 1, 0, 0]
    scores = [0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.4, 0.35, 0.2, 0.1]
    # recall >= .95 needs all five positives: the lowest positive (0.35) is the threshold
    assert choose_threshold(labels, scores, 0.95) == 0.35
    assert choose_threshold(labels, scores, 0.8) == 0.6


def test_metrics_and_confusion_matrix() -> None:
    report = binary_metrics([1, 0, 1, 0], [0.9, 0.8, 0.2, 0.1], 0.5)
    assert report["confusion_matrix"] == {"tp": 1, "fp": 1, "fn": 1, "tn": 1}
    assert (report["precision"], report["recall"], report["f1"], report["n"]) == (0.5, 0.5, 0.5, 4)


def test_split_is_by_family_and_stable() -> None:
    assert split_of("a-f1") == split_of("a-f1")
    shares = [split_of(f"x-f{i}") for i in range(3000)]
    assert 0.65 < shares.count("train") / 3000 < 0.75
    assert 0.12 < shares.count("test") / 3000 < 0.18


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("e.csv", "", "empty file"),
        ("e.csv", "text,label\n", "no labelled rows"),
        ("e.csv", "kalimat,nilai\nhalo,1\n", "needs the columns 'text' and 'label'"),
        ("e.csv", "text,label\nhalo,2\n", "e.csv:2: 'label' must be 0 or 1"),
        ("e.csv", "text,label\n,1\n", "e.csv:2: 'text' is missing"),
        ("e.jsonl", '{"text": "a", "label": 1}\n{"text": \n', "e.jsonl:2: malformed JSON"),
        ("e.jsonl", '{"text": "a", "label": 0, "category": "dukungan"}\n', "contradicts"),
    ],
)
def test_eval_file_errors_say_where_and_why(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        read_labelled(path)


def test_eval_file_reads_csv_with_bom_and_jsonl(tmp_path: Path) -> None:
    csv_file = tmp_path / "e.csv"
    csv_file.write_text("\ufefftext,label\nayo pilih no 2,1\nselamat pagi,0\n", encoding="utf-8")
    assert [e.label for e in read_labelled(csv_file)] == [1, 0]
    missing = tmp_path / "nope.csv"
    with pytest.raises(CorpusError, match="cannot read"):
        read_labelled(missing)


def _examples(rows: list[tuple[int, str]]) -> list[Example]:
    return [
        Example(text=f"post {i}", label=label, origin=origin)
        for i, (label, origin) in enumerate(rows)
    ]


def test_queue_threshold_is_chosen_on_the_real_posts_of_validation() -> None:
    examples = _examples([(1, REAL), (0, REAL), (1, SYNTHETIC), (0, SYNTHETIC), (1, REAL)])
    validation = np.array([True, True, True, True, False])
    assert threshold_rows(examples, validation).tolist() == [True, True, False, False, False]


@pytest.mark.parametrize(
    "rows",
    [
        [(1, SYNTHETIC), (0, SYNTHETIC), (1, SYNTHETIC)],  # a corpus of written posts only
        [(1, REAL), (1, SYNTHETIC), (0, SYNTHETIC)],  # real posts of one kind only
    ],
)
def test_queue_threshold_falls_back_to_all_of_validation(rows: list[tuple[int, str]]) -> None:
    validation = np.array([True] * len(rows))
    assert threshold_rows(_examples(rows), validation).tolist() == validation.tolist()
