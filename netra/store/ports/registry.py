"""The registry role: people (ASN) and their social accounts (tables people, accounts)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Protocol

from netra.domain.models import AccountStatus, Person, Platform, SocialAccount
from netra.store.ports.role import StoreRole
from netra.store.ports.types import RegistrySummary, UpsertResult


class RegistryStore(StoreRole, Protocol):
    def upsert_people(self, people: Sequence[Person]) -> UpsertResult:
        """Insert or update people by NIP in one transaction; accounts are merged by
        (platform, handle), never duplicated. All or nothing."""
        ...

    def get_person(self, nip: str) -> Person | None: ...

    def iter_people(self) -> Iterator[Person]: ...

    def regions(self) -> dict[str, str]:
        """Region codes of the registry and their names."""
        ...

    def account_owners(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """Which NIP each (platform, lower-case handle) key belongs to, for keys that exist."""
        ...

    def iter_accounts(
        self,
        platform: Platform | None = None,
        handle_from: str | None = None,
        handle_to: str | None = None,
    ) -> Iterator[tuple[str, SocialAccount]]:
        """Registered accounts as (NIP, account), ordered by platform and lower-case handle;
        ``handle_from``/``handle_to`` bound the lower-case handle to [from, to)."""
        ...

    def set_account_status(
        self, platform: Platform, handle: str, status: AccountStatus, seen_at: datetime
    ) -> bool: ...

    def registry_summary(self) -> RegistrySummary:
        """People and accounts, with accounts per platform and people per agency."""
        ...
