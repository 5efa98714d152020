"""Re-checking queued posts for edits and deletions (the evidence is kept either way)."""

from __future__ import annotations

import httpx

from collectors.base import AccountUnavailable, Target
from collectors.http import ApiError, HttpStats, make_client
from netra.domain.models import Platform, Post, utcnow
from netra.domain.settings import Settings
from netra.pipeline.platforms import build_collectors
from netra.pipeline.summary import CollectSummary
from netra.store.base import Store


def recheck(
    store: Store,
    settings: Settings,
    client: httpx.Client | None = None,
    platform: Platform | None = None,
) -> CollectSummary:
    """Revisit posts in the queue (of one platform, or all): an edit is stored (the earlier
    version stays as evidence), a deletion is marked with the time it was seen gone (the evidence
    stays)."""
    summary = CollectSummary()
    stats = HttpStats()
    own_client = client is None
    client = client or make_client()
    owners = {
        (a.platform.value, a.handle.lower()): Target(a, nip)
        for nip, a in store.iter_accounts(platform)
    }
    try:
        collectors = build_collectors(settings, client, stats)
        by_account: dict[tuple[str, str], list[Post]] = {}
        for post in store.flagged_posts(platform):
            if post.platform in collectors:
                by_account.setdefault(
                    (post.platform.value, post.account_handle.lower()), []
                ).append(post)
        for key, posts in by_account.items():
            target = owners.get(key)
            if target is None:
                continue
            try:
                current = collectors[posts[0].platform].lookup([p.native_id for p in posts], target)
            except (ApiError, httpx.HTTPError, AccountUnavailable) as exc:
                summary.accounts_failed += 1
                summary.failures.append({"account": f"{key[0]}:{key[1]}", "error": str(exc)[:300]})
                continue
            seen_at = utcnow()
            for post in posts:
                if post.native_id not in current:
                    continue  # the platform could not say (e.g. outside its search window)
                fresh = current[post.native_id]
                if fresh is None:
                    summary.posts_deleted += int(store.mark_deleted(post.id, seen_at))
                    continue
                checked = fresh.model_copy(
                    update={"person_nip": post.person_nip, "last_checked_at": seen_at}
                )
                summary.posts_edited += store.upsert_posts([checked]).edited
            summary.accounts_ok += 1
    finally:
        if own_client:
            client.close()
    summary.requests = stats.requests
    summary.rate_limit_waits = stats.rate_limit_waits
    return summary
