"""Every Store implementation runs the same contract. The Elasticsearch store joins when it
exists and NETRA_ES_URL points at a live cluster."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from netra.store.base import Store
from netra.store.sqlite import SqliteStore


def _sqlite(tmp_path: Path) -> Store:
    return SqliteStore(tmp_path / "contract.db")


IMPLEMENTATIONS = {"sqlite": _sqlite}


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    instance = IMPLEMENTATIONS[request.param](tmp_path)
    yield instance
    instance.close()
