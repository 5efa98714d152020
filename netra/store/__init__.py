"""Storage: the Store port and its implementations; ``open_store`` picks one from settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from netra.domain.settings import Settings, StoreBackend
from netra.store.base import Store, StoreError

if TYPE_CHECKING:  # the client is imported only where Elasticsearch is used
    from netra.store.elastic.connection import ElasticConnection


def open_store(settings: Settings) -> Store:
    backend = settings.effective_backend
    if backend is StoreBackend.SQLITE:
        from netra.store.sqlite import SqliteStore

        return SqliteStore(settings.db_path)
    return open_elastic_store(settings)


def open_elastic_store(settings: Settings) -> Store:
    """Posts and the queue in Elasticsearch; the registry, collection state and access in the
    embedded store (the queue copies a flag's person facts from that registry)."""
    from netra.store.composed import compose
    from netra.store.elastic.adapter import ElasticPostQueueStore
    from netra.store.sqlite import SqliteStore

    if not settings.es_url:
        raise StoreError("NETRA_STORE_BACKEND=elasticsearch needs NETRA_ES_URL")
    connection = elastic_connection(settings)
    record = SqliteStore(settings.db_path)
    search = ElasticPostQueueStore(connection, registry=record)
    return compose(registry=record, posts=search, queue=search, state=record, access=record)


def elastic_connection(settings: Settings) -> ElasticConnection:
    """The client for NETRA_ES_URL with the configured credentials and CA file."""
    from netra.store.elastic.connection import ElasticConnection

    if not settings.es_url:
        raise StoreError("NETRA_ES_URL is not set")
    return ElasticConnection(
        settings.es_url,
        api_key=settings.es_api_key.get_secret_value() if settings.es_api_key else None,
        username=settings.es_username,
        password=settings.es_password.get_secret_value() if settings.es_password else None,
        ca_certs=settings.es_ca_certs,
        prefix=settings.es_index_prefix,
    )


__all__ = ["Store", "StoreError", "elastic_connection", "open_store"]
