"""Every implementation runs each role's contract (test_<role>_contract.py). ``composed`` is a
ComposedStore over two embedded stores, the way a deployment splits roles across backends: one
serves the registry, posts and queue (the embedded queue reads the registry), the other the
collection state and access. ``elasticsearch`` serves posts and the queue from the cluster at
NETRA_ES_URL (the rest from an embedded store) and runs the posts and queue suites; without
NETRA_ES_URL it is skipped, saying so. Each test gets fresh indices under a prefix unique to this
run, deleted after the test."""

from __future__ import annotations

import itertools
import os
import uuid
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
ES_URL = os.environ.get("NETRA_ES_URL")
ES_RUN = f"netra-contract-{uuid.uuid4().hex[:8]}"
ES_TESTS = itertools.count()
ES_SUITES = ("test_posts_contract", "test_queue_contract")


def _elasticsearch(tmp_path: Path) -> Iterator[Store]:
    from netra.domain.settings import Settings
    from netra.store.elastic.adapter import ElasticPostQueueStore
    from netra.store.elastic.connection import ElasticConnection

    settings = Settings()
    assert settings.es_url
    connection = ElasticConnection(
        settings.es_url,
        api_key=settings.es_api_key.get_secret_value() if settings.es_api_key else None,
        username=settings.es_username,
        password=settings.es_password.get_secret_value() if settings.es_password else None,
        ca_certs=settings.es_ca_certs,
        prefix=f"{ES_RUN}-{next(ES_TESTS)}",
    )
    record = SqliteStore(tmp_path / "record.db")
    search = ElasticPostQueueStore(connection, registry=record, dims=3, replicas=0, refresh=True)
    search.migrate()
    try:
        yield compose(registry=record, posts=search, queue=search, state=record, access=record)
    finally:
        search.drop()
        search.close()
        record.close()


@pytest.fixture(params=[*sorted(IMPLEMENTATIONS), "elasticsearch"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "elasticsearch":
        if request.module.__name__.rsplit(".", 1)[-1] not in ES_SUITES:
            pytest.skip("the Elasticsearch store serves the posts and queue roles only")
        if not ES_URL:
            pytest.skip("NETRA_ES_URL is not set: no Elasticsearch cluster to run against")
        yield from _elasticsearch(tmp_path)
        return
    instance = IMPLEMENTATIONS[request.param](tmp_path)
    yield instance
    instance.close()
