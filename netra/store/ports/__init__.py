"""The store's role ports: each a small Protocol over the tables of one concern, each with its
own contract suite in tests/contract/. A deployment composes them (netra.store.composed)."""

from __future__ import annotations

from netra.store.ports.access import AccessStore
from netra.store.ports.posts import PostStore
from netra.store.ports.queue import QueueStore
from netra.store.ports.registry import RegistryStore
from netra.store.ports.role import StoreRole
from netra.store.ports.state import CollectionStateStore

# Role name → its Protocol; the names are ComposedStore's keyword arguments.
ROLES: dict[str, type] = {
    "registry": RegistryStore,
    "posts": PostStore,
    "queue": QueueStore,
    "state": CollectionStateStore,
    "access": AccessStore,
}


def role_methods(role: type) -> list[str]:
    """The methods a role adds to what every role has (describe, close)."""
    shared = set(vars(StoreRole))
    names = {
        name
        for base in role.__mro__
        if base is not StoreRole and StoreRole in base.__mro__
        for name, value in vars(base).items()
        if callable(value) and not name.startswith("_") and name not in shared
    }
    return sorted(names)


__all__ = [
    "ROLES",
    "AccessStore",
    "CollectionStateStore",
    "PostStore",
    "QueueStore",
    "RegistryStore",
    "StoreRole",
    "role_methods",
]
