"""Which platforms are collected from an API, and the collectors that talk to them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx

from collectors.base import Collector, Target
from collectors.bluesky import BlueskyCollector
from collectors.http import HttpPolicy, HttpStats, PlatformHttp
from collectors.mastodon import MastodonCollector
from collectors.ratelimit import SharedRateLimiter, limit_key
from collectors.tiktok import TikTokCollector
from collectors.x import XCollector
from collectors.youtube import YouTubeCollector
from netra.domain.models import Platform
from netra.domain.settings import Settings
from netra.store.base import Store

API_PLATFORMS = (Platform.X, Platform.BLUESKY, Platform.MASTODON, Platform.YOUTUBE, Platform.TIKTOK)
FILE_PLATFORMS = (Platform.FACEBOOK, Platform.INSTAGRAM)  # Meta allows no direct collection


def _url(settings: Settings, platform: Platform, default: str) -> str:
    return (
        f"{settings.platform_url.rstrip('/')}/{platform.value}"
        if settings.platform_url
        else default
    )


def _secret(value: Any) -> str | None:
    return value.get_secret_value() if value is not None else None


def build_collectors(
    settings: Settings, client: httpx.Client, stats: HttpStats
) -> dict[Platform, Collector]:
    """One collector per API platform, sharing one client. Each has the rate limit of its
    credential, shared with every process using the same NETRA_HTTP_RATE_LIMIT_DB."""
    policy = HttpPolicy(
        requests_per_second=settings.http_requests_per_second,
        max_rate_limit_wait=settings.max_rate_limit_wait_seconds,
    )
    credentials = {
        Platform.X: _secret(settings.x_bearer_token),
        Platform.YOUTUBE: _secret(settings.youtube_api_key),
        Platform.TIKTOK: f"{settings.tiktok_client_key}\n{_secret(settings.tiktok_client_secret)}",
    }

    def http(platform: Platform) -> PlatformHttp:
        key = limit_key(platform.value, credentials.get(platform))
        limiter = SharedRateLimiter(settings.rate_limit_db, key, policy.requests_per_second)
        return PlatformHttp(client, platform.value, policy, stats, limiter)

    mastodon_url = _url(settings, Platform.MASTODON, settings.mastodon_api_url or "") or None
    return {
        Platform.X: XCollector(
            http(Platform.X),
            _url(settings, Platform.X, settings.x_api_url),
            _secret(settings.x_bearer_token),
        ),
        Platform.BLUESKY: BlueskyCollector(
            http(Platform.BLUESKY), _url(settings, Platform.BLUESKY, settings.bluesky_api_url)
        ),
        Platform.MASTODON: MastodonCollector(http(Platform.MASTODON), mastodon_url),
        Platform.YOUTUBE: YouTubeCollector(
            http(Platform.YOUTUBE),
            _secret(settings.youtube_api_key),
            _url(settings, Platform.YOUTUBE, settings.youtube_api_url),
        ),
        Platform.TIKTOK: TikTokCollector(
            http(Platform.TIKTOK),
            settings.tiktok_client_key,
            _secret(settings.tiktok_client_secret),
            _url(settings, Platform.TIKTOK, settings.tiktok_api_url),
        ),
    }


def targets(
    store: Store, platforms: Iterable[Platform] | None = None, handle: str | None = None
) -> list[Target]:
    wanted = set(platforms or API_PLATFORMS) & set(API_PLATFORMS)
    found = [
        Target(account, nip)
        for nip, account in store.iter_accounts()
        if account.platform in wanted
        and (handle is None or account.handle.lower() == handle.lstrip("@").lower())
    ]
    return found
