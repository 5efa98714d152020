"""What the Elasticsearch roles share: the connection, the registry the queue reads a flag's
person from, and the reads and writes every role method is made of."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from elasticsearch import ApiError

from netra.domain.models import (
    Post,
)
from netra.store.elastic import bulk, documents
from netra.store.elastic.admin import ElasticAdmin
from netra.store.elastic.connection import BulkWriteError, ElasticConnection
from netra.store.ports.registry import RegistryStore
from netra.store.ports.types import (
    StoreError,
)

PAGE = 1000
BOOKKEEPING = ("scoring", "queued")  # post document fields that are not Post fields


def post_from_source(source: Mapping[str, Any]) -> Post:
    return documents.post_from_document({k: v for k, v in source.items() if k not in BOOKKEEPING})


class ElasticRole(ElasticAdmin):
    """The common ground of the posts and queue roles on one Elasticsearch connection."""

    def __init__(
        self,
        connection: ElasticConnection,
        registry: RegistryStore,
        *,
        dims: int = 384,
        replicas: int = 1,
        refresh: bool | str = "wait_for",
    ) -> None:
        super().__init__(connection, dims=dims, replicas=replicas)
        self.registry = registry
        self.refresh = refresh

    # -- helpers ----------------------------------------------------------------------------
    def _get(self, role: str, doc_id: str, **kwargs: Any) -> dict[str, Any] | None:
        try:
            response = self.es.call(
                f"get {role} {doc_id}",
                lambda: self.client.get(index=self.es.alias(role), id=doc_id, **kwargs),
                passthrough=(404,),
            )
        except ApiError as exc:
            if exc.meta.status == 404:
                return None
            raise
        return dict(response.body)

    def _mget(self, role: str, ids: Sequence[str], **kwargs: Any) -> dict[str, dict[str, Any]]:
        """Found documents by ``_id``."""
        found: dict[str, dict[str, Any]] = {}
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), PAGE):
            part = unique[start : start + PAGE]
            response = self.es.call(
                f"mget {role}",
                lambda part=part: self.client.mget(  # type: ignore[misc]
                    index=self.es.alias(role), ids=part, **kwargs
                ),
            )
            for doc in response.body["docs"]:
                if "error" in doc:
                    raise StoreError(f"elasticsearch mget {role}: {doc['error']}")
                if doc.get("found"):
                    found[doc["_id"]] = doc
        return found

    def _search(self, role: str, body: dict[str, Any], what: str | None = None) -> dict[str, Any]:
        response = self.es.call(
            what or f"search {role}",
            lambda: self.client.search(index=self.es.alias(role), body=body),
        )
        return dict(response.body)

    def _scan(
        self, role: str, query: dict[str, Any], sort: list[dict[str, Any]], **extra: Any
    ) -> Iterator[dict[str, Any]]:
        """Every hit of ``query`` in ``sort`` order (which must end with a unique field), paged
        with ``search_after``."""
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {"size": PAGE, "query": query, "sort": sort, **extra}
            if after is not None:
                body["search_after"] = after
            hits = self._search(role, body)["hits"]["hits"]
            yield from hits
            if len(hits) < PAGE:
                return
            after = hits[-1]["sort"]

    def _count(self, role: str, query: dict[str, Any]) -> int:
        response = self.es.call(
            f"count {role}",
            lambda: self.client.count(index=self.es.alias(role), query=query),
        )
        return int(response.body["count"])

    def _write(self, what: str, actions: Sequence[bulk.BulkAction], **kwargs: Any) -> list[str]:
        """Bulk-write ``actions``; the result of each stored one, or BulkWriteError naming every
        item that failed (the others are stored)."""
        report = self.es.bulk(what, actions, refresh=self.refresh, **kwargs)
        if report.failed:
            raise BulkWriteError(what, len(report.results), report.failed)
        return [result for _, result in report.results]

    def _people(self, nips: Sequence[str | None]) -> dict[str, Any]:
        people = {}
        for nip in dict.fromkeys(n for n in nips if n):
            person = self.registry.get_person(nip)
            if person is not None:
                people[nip] = person
        return people
