"""Storage: the Store port and its implementations; ``open_store`` picks one from settings."""

from __future__ import annotations

from netra.domain.settings import Settings, StoreBackend
from netra.store.base import Store, StoreError


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
    from netra.store.elastic.connection import ElasticConnection
    from netra.store.sqlite import SqliteStore

    if not settings.es_url:
        raise StoreError("NETRA_STORE_BACKEND=elasticsearch needs NETRA_ES_URL")
    connection = ElasticConnection(
        settings.es_url,
        api_key=settings.es_api_key.get_secret_value() if settings.es_api_key else None,
        username=settings.es_username,
        password=settings.es_password.get_secret_value() if settings.es_password else None,
        ca_certs=settings.es_ca_certs,
        prefix=settings.es_index_prefix,
    )
    record = SqliteStore(settings.db_path)
    search = ElasticPostQueueStore(connection, registry=record)
    return compose(registry=record, posts=search, queue=search, state=record, access=record)


__all__ = ["Store", "StoreError", "open_store"]
