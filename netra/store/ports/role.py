"""What every role of the store has, whichever backend serves it."""

from __future__ import annotations

from typing import Protocol

from netra.store.ports.types import StoreDescription


class StoreRole(Protocol):
    def describe(self) -> StoreDescription:
        """Backend, schema version, health and cheap counts. Never raises: a store that cannot
        answer says so in ``ok`` and ``reason``."""
        ...

    def close(self) -> None: ...
