"""When a retrained model replaces the current one, and what the log says."""

from __future__ import annotations

from netra.retraining import compare


def metrics(f1: float, recall: float) -> dict[str, float]:
    return {"f1": f1, "recall": recall}


def test_higher_f1_with_recall_kept_is_promoted() -> None:
    promoted, reason = compare(metrics(0.92, 0.945), metrics(0.907, 0.947))
    assert promoted
    assert reason == (
        "promoted: higher F1 on the held-out split (F1 0.9200 vs 0.9070, recall 0.9450 vs 0.9470)"
    )


def test_equal_or_lower_f1_keeps_the_current_model() -> None:
    for f1 in (0.907, 0.90):
        promoted, reason = compare(metrics(f1, 0.99), metrics(0.907, 0.947))
        assert not promoted and "F1 is not higher" in reason


def test_higher_f1_bought_with_recall_keeps_the_current_model() -> None:
    promoted, reason = compare(metrics(0.95, 0.90), metrics(0.907, 0.947))
    assert not promoted and "recall drops by more than 0.01" in reason
