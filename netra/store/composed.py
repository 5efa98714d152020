"""A Store made of role implementations: each role's methods go to the backend given for it, so a
deployment can keep posts and the queue in a search engine and the rest in the embedded store.

In the embedded store the queue reads the registry (a flag's person, the agency and region
filters) and ``audit_candidates`` reads the queue, so with SQLite the registry, posts and queue
roles are one SqliteStore; collection state and access stand alone."""

from __future__ import annotations

from typing import Any, cast

from netra.store.base import Store
from netra.store.ports import (
    ROLES,
    AccessStore,
    CollectionStateStore,
    PostStore,
    QueueStore,
    RegistryStore,
    StoreRole,
    role_methods,
)
from netra.store.ports.types import StoreDescription, StoreSummary

# Method name → the role that serves it.
ROLE_OF: dict[str, str] = {
    method: role for role, port in ROLES.items() for method in role_methods(port)
}

# The counts in a description (StoreDescription.counts) that each role answers for.
COUNTED_BY_ROLE: dict[str, tuple[str, ...]] = {
    "registry": ("people", "accounts"),
    "posts": ("posts",),
    "queue": ("flags",),
}


class ComposedStore:
    """Implements :class:`netra.store.base.Store` by delegating each role (see ``compose``)."""

    def __init__(
        self,
        *,
        registry: RegistryStore,
        posts: PostStore,
        queue: QueueStore,
        state: CollectionStateStore,
        access: AccessStore,
    ) -> None:
        self.roles: dict[str, StoreRole] = {
            "registry": registry,
            "posts": posts,
            "queue": queue,
            "state": state,
            "access": access,
        }

    def __getattr__(self, name: str) -> Any:
        role = ROLE_OF.get(name)
        if role is None:
            raise AttributeError(f"{type(self).__name__} has no {name!r}")
        return getattr(self.roles[role], name)

    def _distinct(self) -> list[StoreRole]:
        """Each backend once, though it serves several roles."""
        return list({id(b): b for b in self.roles.values()}.values())

    def describe(self) -> StoreDescription:
        parts = {role: backend.describe() for role, backend in self.roles.items()}
        backends = {d.backend for d in parts.values()}
        versions = {d.schema_version for d in parts.values() if d.schema_version is not None}
        failed = [f"{role}: {d.reason}" for role, d in parts.items() if not d.ok]
        counts = {
            name: parts[role].counts[name]
            for role, names in COUNTED_BY_ROLE.items()
            for name in names
            if name in parts[role].counts
        }
        return StoreDescription(
            backend=backends.pop()
            if len(backends) == 1
            else ", ".join(f"{role}={d.backend}" for role, d in parts.items()),
            schema_version=versions.pop() if len(versions) == 1 else None,
            ok=not failed,
            reason="; ".join(failed) or None,
            counts=counts,
        )

    def summary(self) -> StoreSummary:
        registry = cast(RegistryStore, self.roles["registry"]).registry_summary()
        return StoreSummary(
            people=registry.people,
            accounts=registry.accounts,
            accounts_by_platform=registry.accounts_by_platform,
            people_by_agency=registry.people_by_agency,
            posts=self.roles["posts"].describe().counts.get("posts", 0),
            flags=self.roles["queue"].describe().counts.get("flags", 0),
        )

    def close(self) -> None:
        for backend in self._distinct():
            backend.close()


def compose(
    *,
    registry: RegistryStore,
    posts: PostStore,
    queue: QueueStore,
    state: CollectionStateStore,
    access: AccessStore,
) -> Store:
    """A Store whose roles are served by the given backends (the same one may serve several)."""
    composed = ComposedStore(
        registry=registry, posts=posts, queue=queue, state=state, access=access
    )
    return cast(Store, composed)
