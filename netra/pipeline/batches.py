"""Accounts cut into batches for parallel workers (the DAG maps one task over each)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import httpx

from collectors.base import Target
from netra.domain.models import Platform
from netra.domain.settings import Settings
from netra.pipeline.collect import collect
from netra.pipeline.platforms import API_PLATFORMS
from netra.pipeline.summary import CollectSummary
from netra.store.base import Store


@dataclass(frozen=True)
class AccountBatch:
    """A contiguous range of one platform's accounts by lower-case handle, [handle_from,
    handle_to); None is open. Ranges stay right when the registry changes between planning and
    collecting (a new account falls into exactly one range), and they are small enough to pass
    between scheduler tasks, unlike lists of handles."""

    platform: str
    handle_from: str | None
    handle_to: str | None
    accounts: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def plan_batches(
    store: Store, platform: Platform, batch_size: int, max_batches: int
) -> list[AccountBatch]:
    """One platform's accounts cut into ranges of ``batch_size``, or into ``max_batches``
    larger ones when there are too many accounts (Airflow maps at most 1,024 tasks)."""
    keys = [account.handle.lower() for _, account in store.iter_accounts(platform)]
    if not keys:
        return []
    size = max(batch_size, -(-len(keys) // max_batches))
    starts = list(range(0, len(keys), size))
    return [
        AccountBatch(
            platform=platform.value,
            handle_from=None if i == 0 else keys[start],
            handle_to=keys[starts[i + 1]] if i + 1 < len(starts) else None,
            accounts=min(size, len(keys) - start),
        )
        for i, start in enumerate(starts)
    ]


def collect_batch(
    store: Store,
    settings: Settings,
    batch: AccountBatch,
    since: datetime | None = None,
    client: httpx.Client | None = None,
    run_info: Mapping[str, Any] | None = None,
) -> CollectSummary:
    """Collect the accounts of one batch (see :func:`collect`)."""
    platform = Platform(batch.platform)
    if platform not in API_PLATFORMS:
        raise ValueError(f"{platform.value}: not collected from an API (use a file import)")
    chosen = [
        Target(account, nip)
        for nip, account in store.iter_accounts(platform, batch.handle_from, batch.handle_to)
    ]
    return collect(store, settings, since=since, client=client, only=chosen, run_info=run_info)
