"""Every implementation runs each role's contract (test_<role>_contract.py). ``composed`` is a
ComposedStore over two embedded stores, the way a deployment splits roles across backends: one
serves the registry, posts and queue (the embedded queue reads the registry), the other the
collection state and access. The Elasticsearch store joins when it exists and NETRA_ES_URL
points at a live cluster."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from netra.store.base import Store
from netra.store.composed import compose
from netra.store.sqlite import SqliteStore


def _sqlite(tmp_path: Path) -> Store:
    return SqliteStore(tmp_path / "contract.db")


def _composed(tmp_path: Path) -> Store:
    search = SqliteStore(tmp_path / "search.db")
    record = SqliteStore(tmp_path / "record.db")
    return compose(registry=search, posts=search, queue=search, state=record, access=record)


IMPLEMENTATIONS: dict[str, Callable[[Path], Store]] = {"sqlite": _sqlite, "composed": _composed}


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    instance = IMPLEMENTATIONS[request.param](tmp_path)
    yield instance
    instance.close()
