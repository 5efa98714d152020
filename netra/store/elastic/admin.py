"""Templates, versioned indices and aliases (``migrate``), health (``describe``), teardown."""

from __future__ import annotations

from typing import Any

from elasticsearch import ApiError, Elasticsearch

from netra.store.elastic.connection import MIGRATE_HINT, ElasticConnection
from netra.store.elastic.mappings import DEFAULT_EMBEDDING_DIMS, MAPPING_VERSION, layout
from netra.store.ports.types import StoreDescription, StoreError


class ElasticAdmin:
    def __init__(
        self,
        connection: ElasticConnection,
        *,
        dims: int = DEFAULT_EMBEDDING_DIMS,
        replicas: int = 1,
    ) -> None:
        self.es = connection
        self.dims = dims
        self.replicas = replicas

    @property
    def client(self) -> Elasticsearch:
        return self.es.client

    def migrate(self) -> dict[str, str]:
        """Install the index templates and create the versioned indices with their write aliases,
        idempotently: what exists already is left as it is. Returns, per role, what was done. An
        alias that points at an older mapping version is reported, not moved (a reindex is a
        separate, deliberate step)."""
        done: dict[str, str] = {}
        for role, spec in layout(
            MAPPING_VERSION, self.dims, self.es.prefix, replicas=self.replicas
        ).items():
            self.es.call(
                f"put template {spec.template_name}",
                lambda spec=spec: self.client.indices.put_index_template(  # type: ignore[misc]
                    name=spec.template_name, **spec.template
                ),
            )
            aliased = self.es.call(
                f"alias {spec.alias}",
                lambda spec=spec: self.client.indices.exists_alias(name=spec.alias),  # type: ignore[misc]
            )
            if aliased:
                indices = sorted(
                    self.es.call(
                        f"alias {spec.alias}",
                        lambda spec=spec: self.client.indices.get_alias(name=spec.alias),  # type: ignore[misc]
                    ).body
                )
                done[role] = (
                    "present"
                    if spec.index in indices
                    else f"alias on {', '.join(indices)}: reindex to {spec.index} needed"
                )
                continue
            try:
                self.es.call(
                    f"create index {spec.index}",
                    lambda spec=spec: self.client.indices.create(  # type: ignore[misc]
                        index=spec.index, **spec.create_body
                    ),
                    passthrough=(400,),
                )
                done[role] = "created"
            except ApiError as exc:  # created meanwhile by another process
                if "resource_already_exists" not in str(exc.body):
                    raise StoreError(f"elasticsearch create index {spec.index}: {exc}") from exc
                done[role] = "present"
        return done

    def drop(self) -> None:
        """Delete this prefix's indices and templates (tests; never called by the application)."""
        for spec in layout(MAPPING_VERSION, self.dims, self.es.prefix).values():
            self.client.options(ignore_status=404).indices.delete(index=f"{spec.alias}-v*")
            self.client.options(ignore_status=404).indices.delete_index_template(
                name=spec.template_name
            )

    def describe(self) -> StoreDescription:
        try:
            health = self.client.options(request_timeout=5).cluster.health().body
            status = str(health.get("status"))
            versions: set[int] = set()
            for role in ("posts", "flags", "events"):
                mapping = self.client.indices.get_mapping(index=self.es.alias(role)).body
                for index in mapping.values():
                    meta: dict[str, Any] = index.get("mappings", {}).get("_meta", {})
                    versions.add(int(meta.get("mapping_version", 0)))
            counts = {
                "posts": int(self.client.count(index=self.es.alias("posts")).body["count"]),
                "flags": int(self.client.count(index=self.es.alias("flags")).body["count"]),
            }
        except ApiError as exc:
            missing = exc.meta.status == 404
            return StoreDescription(
                backend="elasticsearch",
                ok=False,
                reason=f"indices missing; {MIGRATE_HINT}" if missing else f"{exc.meta.status}",
            )
        except Exception as exc:  # noqa: BLE001 - describe() reports a failure, never raises
            return StoreDescription(backend="elasticsearch", ok=False, reason=type(exc).__name__)
        version = versions.pop() if len(versions) == 1 else None
        problems = []
        if status == "red":
            problems.append("cluster health red")
        if version != MAPPING_VERSION:
            problems.append(f"mapping version {version}, expected {MAPPING_VERSION}")
        return StoreDescription(
            backend="elasticsearch",
            schema_version=version,
            ok=not problems,
            reason="; ".join(problems) or None,
            counts=counts,
        )

    def close(self) -> None:
        self.es.close()
