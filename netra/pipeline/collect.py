"""Collecting new public posts of registered accounts, resuming from checkpoints and retrying
quarantined items."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from collectors.base import AccountUnavailable, Collector, Target, keyed
from collectors.http import ApiError, HttpStats, make_client
from collectors.youtube import YouTubeCollector
from netra import metrics
from netra.domain.models import AccountStatus, Platform, utcnow
from netra.domain.settings import Settings
from netra.pipeline.platforms import API_PLATFORMS, build_collectors, targets
from netra.pipeline.summary import CollectSummary
from netra.store.base import Store

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]  # (account label, posts stored so far)


def collect(
    store: Store,
    settings: Settings,
    platforms: Iterable[Platform] | None = None,
    handle: str | None = None,
    since: datetime | None = None,
    client: httpx.Client | None = None,
    progress: Progress | None = None,
    only: list[Target] | None = None,
    run_info: Mapping[str, Any] | None = None,
) -> CollectSummary:
    """Collect new public posts of registered accounts. A page's checkpoint is stored only after
    its posts are; an account that fails or is gone is reported and the run goes on.
    ``run_info`` (e.g. the scheduler's run and batch) is kept with the run's record."""
    started = utcnow()
    since = since or started - timedelta(days=settings.collect_since_days)
    summary = CollectSummary()
    stats = HttpStats()
    own_client = client is None
    client = client or make_client()
    collectors = build_collectors(settings, client, stats)
    backlog = store.quarantine_backlog()
    try:
        for target in only if only is not None else targets(store, platforms, handle):
            retry = _retry_plan(backlog, target, since, settings)
            waited = metrics.waits(stats)
            _collect_account(
                store, collectors[target.account.platform], target, since, summary, progress, retry
            )
            metrics.record_rate_limit_waits(target.account.platform, stats, waited)
    finally:
        if own_client:
            client.close()
    summary.rate_limit_waits = stats.rate_limit_waits
    summary.rate_limit_wait_seconds = stats.rate_limit_wait_seconds
    summary.requests = stats.requests
    youtube = collectors.get(Platform.YOUTUBE)
    if isinstance(youtube, YouTubeCollector) and youtube.quota_units:
        summary.quota_units["youtube"] = youtube.quota_units
    store.save_collection_run(started, utcnow(), {**summary.as_dict(), **(run_info or {})})
    return summary


@dataclass(frozen=True)
class QuarantineRetry:
    """An account with pending quarantined items is collected from scratch (its checkpoint
    ignored), back far enough to reach the oldest of them; then they are settled: resolved when
    not quarantined again, given up after ``max_attempts``."""

    since: datetime
    max_attempts: int


def _retry_plan(
    backlog: Mapping[tuple[Platform, str], datetime],
    target: Target,
    since: datetime,
    settings: Settings,
) -> QuarantineRetry | None:
    first_seen = backlog.get((target.account.platform, target.account.handle.lower()))
    if first_seen is None:
        return None
    # An item first seen at T was posted after T minus the look-back of the run that saw it.
    reach = first_seen - timedelta(days=settings.collect_since_days)
    return QuarantineRetry(min(since, reach), settings.quarantine_max_attempts)


def quarantine_targets(store: Store) -> tuple[list[Target], int]:
    """The registered API accounts with pending quarantined items, and how many accounts with
    pending items cannot be collected again (file imports, accounts no longer registered)."""
    backlog = store.quarantine_backlog()
    found = [
        Target(account, nip)
        for nip, account in store.iter_accounts()
        if account.platform in API_PLATFORMS
        and (account.platform, account.handle.lower()) in backlog
    ]
    return found, len(backlog) - len(found)


def _collect_account(
    store: Store,
    collector: Collector,
    target: Target,
    since: datetime,
    summary: CollectSummary,
    progress: Progress | None,
    retry: QuarantineRetry | None = None,
) -> None:
    account = target.account
    label = f"{account.platform.value}:{account.handle}"
    checkpoint = None if retry else store.get_checkpoint(account.platform, account.handle)
    started = utcnow()
    seen: Counter[str] = Counter()  # identical unmappable payloads in this pass
    stored = 0
    try:
        for page in collector.pages(
            target, checkpoint.cursor if checkpoint else None, retry.since if retry else since
        ):
            if page.posts:
                result = store.upsert_posts(page.posts)
                metrics.record_collected(account.platform, result.new)
                summary.posts_new += result.new
                summary.posts_edited += result.edited
                stored += result.new
            if page.quarantined:
                summary.quarantined += store.quarantine(keyed(page.quarantined, seen))
            store.set_checkpoint(account.platform, account.handle, page.checkpoint)
            if progress:
                progress(label, stored)
    except AccountUnavailable as gone:
        store.set_account_status(account.platform, account.handle, gone.status, utcnow())
        summary.accounts_unavailable += 1
        summary.unavailable.append(
            {"account": label, "status": gone.status.value, "detail": gone.detail}
        )
        return
    except (ApiError, httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        # The checkpoint still points at the last stored page: the next run resumes from there.
        log.warning("%s: collection failed: %s", label, exc)
        summary.accounts_failed += 1
        summary.failures.append({"account": label, "error": f"{type(exc).__name__}: {exc}"[:300]})
        return
    if account.status is not AccountStatus.ACTIVE:  # it came back
        store.set_account_status(account.platform, account.handle, AccountStatus.ACTIVE, utcnow())
    summary.accounts_ok += 1
    if retry:
        settled = store.settle_quarantine(
            account.platform, account.handle, started, retry.max_attempts
        )
        summary.quarantine_resolved += settled.resolved
        summary.quarantine_given_up += settled.given_up
