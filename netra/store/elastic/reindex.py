"""``reindex``: move each role's alias to the current ``MAPPING_VERSION``. For a role whose alias
still points at an older versioned index: install the current template, create the new index
(without the alias), copy the documents with ``_reindex`` (run as a task and polled), check that
both indices hold as many documents, then move the alias in one ``_aliases`` request (remove and
add), so readers and writers switch at once. A role already on the current version is left alone,
so running it again does nothing."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from netra.store.elastic.connection import MIGRATE_HINT, ElasticConnection
from netra.store.elastic.mappings import (
    DEFAULT_EMBEDDING_DIMS,
    MAPPING_VERSION,
    layout,
    reindex_body,
    swap_alias_body,
)
from netra.store.ports.types import StoreError

_VERSION = re.compile(r"-v(\d+)$")


def _version_of(index: str) -> int | None:
    match = _VERSION.search(index)
    return int(match.group(1)) if match else None


def reindex(
    es: ElasticConnection,
    *,
    dims: int = DEFAULT_EMBEDDING_DIMS,
    replicas: int = 1,
    poll_seconds: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, str]:
    """Per role, what was done: ``current`` (nothing to do) or ``reindexed vN → vM (K documents)``.
    A StoreError when an alias is missing (run ``netra index migrate``), the reindex task
    reports failures, or the counts differ (the alias is then left where it was)."""
    client = es.client
    done: dict[str, str] = {}
    for role, spec in layout(MAPPING_VERSION, dims, es.prefix, replicas=replicas).items():
        if not es.call(
            f"alias {spec.alias}",
            lambda s=spec: client.indices.exists_alias(name=s.alias),  # type: ignore[misc]
        ):
            raise StoreError(f"elasticsearch: no alias {spec.alias}; {MIGRATE_HINT}")
        indices = sorted(
            es.call(
                f"alias {spec.alias}",
                lambda s=spec: client.indices.get_alias(name=s.alias),  # type: ignore[misc]
            ).body
        )
        if spec.index in indices:
            done[role] = "current"
            continue
        versions = [v for v in map(_version_of, indices) if v is not None]
        if len(versions) != 1 or versions[0] >= MAPPING_VERSION:
            raise StoreError(
                f"elasticsearch: alias {spec.alias} is on {', '.join(indices)}; expected one"
                f" index older than {spec.index}"
            )
        old = versions[0]
        es.call(
            f"put template {spec.template_name}",
            lambda s=spec: client.indices.put_index_template(name=s.template_name, **s.template),  # type: ignore[misc]
        )
        exists = es.call(f"index {spec.index}", lambda s=spec: client.indices.exists(index=s.index))  # type: ignore[misc]
        if not exists:  # a rerun after a failed count check finds it made already
            es.call(
                f"create index {spec.index}",
                lambda s=spec: client.indices.create(index=s.index),  # type: ignore[misc]
            )
        body = reindex_body(role, old, MAPPING_VERSION, es.prefix)
        started = es.call(
            f"reindex {role}",
            lambda b=body: client.reindex(  # type: ignore[misc]
                source=b["source"], dest=b["dest"], wait_for_completion=False, refresh=True
            ),
        ).body
        _wait(es, str(started["task"]), role, poll_seconds, sleep)
        source, dest = body["source"]["index"], body["dest"]["index"]
        es.call(f"refresh {dest}", lambda d=dest: client.indices.refresh(index=d))  # type: ignore[misc]
        counts = [
            int(es.call(f"count {i}", lambda i=i: client.count(index=i)).body["count"])  # type: ignore[misc]
            for i in (source, dest)
        ]
        if counts[0] != counts[1]:
            raise StoreError(
                f"elasticsearch reindex {role}: {source} has {counts[0]} documents, {dest}"
                f" {counts[1]}; the alias {spec.alias} was not moved"
            )
        swap = swap_alias_body(role, old, MAPPING_VERSION, es.prefix)
        es.call(f"swap alias {spec.alias}", lambda: client.indices.update_aliases(**swap))  # noqa: B023
        done[role] = f"reindexed v{old} → v{MAPPING_VERSION} ({counts[1]} documents)"
    return done


def _wait(
    es: ElasticConnection,
    task: str,
    role: str,
    poll_seconds: float,
    sleep: Callable[[float], None],
) -> dict[str, Any]:
    """Poll the reindex task until it completes; its failures are a StoreError."""
    while True:
        status = es.call(f"reindex task {task}", lambda: es.client.tasks.get(task_id=task)).body  # noqa: E501
        if status.get("completed"):
            break
        sleep(poll_seconds)
    if status.get("error"):
        raise StoreError(f"elasticsearch reindex {role}: task {task} failed: {status['error']}")
    response: dict[str, Any] = status.get("response") or {}
    if response.get("failures"):
        first = response["failures"][0]
        raise StoreError(
            f"elasticsearch reindex {role}: {len(response['failures'])} failure(s), first: {first}"
        )
    return response
