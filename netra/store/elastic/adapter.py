"""The Elasticsearch store: the posts and queue roles on the official client, built on the
request builders of this package. Registry, collection state and access stay in the embedded
store (``open_store`` composes them); the queue reads a flag's person (agency, region) from the
registry role given at construction and copies it into the flag document.

Writes refresh with ``wait_for`` by default (a write is visible to the next search when it
returns); the contract suite passes ``refresh=True``.
"""

from __future__ import annotations

from netra.store.elastic.posts import ElasticPosts
from netra.store.elastic.queue import ElasticQueue


class ElasticPostQueueStore(ElasticPosts, ElasticQueue):
    """Implements the PostStore and QueueStore roles (``netra.store.ports``) on Elasticsearch."""
