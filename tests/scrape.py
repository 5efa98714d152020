"""Reading Prometheus text in tests: the samples of one metric, by their labels."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def samples(text: str, name: str) -> dict[frozenset[tuple[str, str]], float]:
    """``name`` is a sample's full name (``netra_posts_collected_total``); absent: empty."""
    return {
        frozenset(sample.labels.items()): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    }


def by_label(text: str, name: str, label: str) -> dict[str, float]:
    """The samples of ``name`` summed by one label (e.g. per platform)."""
    totals: dict[str, float] = {}
    for labels, value in samples(text, name).items():
        key = dict(labels)[label]
        totals[key] = totals.get(key, 0.0) + value
    return totals
