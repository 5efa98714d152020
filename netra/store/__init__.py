"""Storage: the Store port and its implementations; ``open_store`` picks one from settings."""

from __future__ import annotations

from netra.domain.settings import Settings, StoreBackend
from netra.store.base import Store, StoreError


def open_store(settings: Settings) -> Store:
    backend = settings.effective_backend
    if backend is StoreBackend.SQLITE:
        from netra.store.sqlite import SqliteStore

        return SqliteStore(settings.db_path)
    raise StoreError(
        "the Elasticsearch store is not available in this version; unset NETRA_ES_URL and"
        " NETRA_STORE_BACKEND to use the embedded store"
    )


__all__ = ["Store", "StoreError", "open_store"]
