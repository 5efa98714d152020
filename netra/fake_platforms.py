"""Starting the fake platform server from Netra's own data (registry and labelled corpus), for
the demo, the tests and the benchmarks. The server itself lives in collectors/fake/."""

from __future__ import annotations

from pathlib import Path

from classifiers.corpus import load_corpus
from collectors.fake.server import FakeServer, Faults
from collectors.fake.world import FakeWorld, build_world
from netra.domain.models import Person
from netra.registry import detect_format, iter_csv_rows, iter_jsonl_rows, parse_person, read_text


def read_people(path: Path) -> list[Person]:
    """The valid people of a registry file (rejected rows are the import's business)."""
    text = read_text(path)
    rows = iter_jsonl_rows(text) if detect_format(path, text) == "jsonl" else iter_csv_rows(text)
    people = []
    for _, row in rows:
        if isinstance(row, dict):
            try:
                people.append(parse_person(row))
            except ValueError:
                continue
    return people


def world_from(
    registry: Path,
    corpus: Path,
    posts_per_account: int = 10,
    days: int = 30,
    partisan_share: float = 0.1,
    seed: int = 27,
) -> FakeWorld:
    examples = load_corpus(corpus)
    partisan = [(e.text, e.media) for e in examples if e.label == 1]
    neutral = [(e.text, e.media) for e in examples if e.label == 0]
    return build_world(
        read_people(registry), partisan, neutral, posts_per_account, days, partisan_share, seed
    )


def start_fake_platforms(
    registry: Path,
    corpus: Path,
    port: int = 0,
    faults: Faults | None = None,
    **world_options: float,
) -> FakeServer:
    return FakeServer(world_from(registry, corpus, **world_options), port, faults).start()  # type: ignore[arg-type]
