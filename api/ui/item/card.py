"""The post card: the author's display name from the platform's payload (the stored post has
none), the engagement counts the collector mapped, and which links may be opened."""

from __future__ import annotations

import re
from typing import Any

from netra.domain.models import Post


def _at(payload: Any, *path: str | int) -> Any:
    for step in path:
        if (
            isinstance(step, int)
            and isinstance(payload, list)
            and -len(payload) <= step < len(payload)
        ):
            payload = payload[step]
        elif isinstance(step, str) and isinstance(payload, dict):
            payload = payload.get(step)
        else:
            return None
    return payload


# Where each platform's payload keeps the author's display name (the stored post has none). A
# boost or repost names the account that shared it first.
NAME_PATHS: tuple[tuple[str | int, ...], ...] = (
    ("author", "name"),  # X v2 expanded author, file imports
    ("author", "displayName"),
    ("author", "display_name"),
    ("tweet", "author", "name"),
    ("user", "name"),
    ("includes", "users", 0, "name"),
    ("reason", "by", "displayName"),  # Bluesky repost: who reposted
    ("post", "author", "displayName"),  # Bluesky
    ("account", "display_name"),  # Mastodon (the booster on a boost)
    ("snippet", "channelTitle"),  # YouTube
    ("post_owner", "name"),  # Meta Content Library
    ("display_name",),
)


def display_name(raw: dict[str, Any]) -> str | None:
    for path in NAME_PATHS:
        value = _at(raw, *path)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return None


ENGAGEMENT_KINDS = ("likes", "reposts", "replies", "quotes", "views")


def engagement(post: Post) -> list[tuple[str, int]]:
    """(kind, count) as the collector mapped them from the platform (``Post.engagement``);
    counts the platform did not give are left out."""
    counts = [(kind, getattr(post.engagement, kind)) for kind in ENGAGEMENT_KINDS]
    return [(kind, value) for kind, value in counts if value is not None]


def safe_link(url: str | None) -> str | None:
    """Only web links become links: a report's ``javascript:`` URL stays text."""
    if url and re.match(r"^https?://[^\s]+$", url, re.IGNORECASE):
        return url
    return None
