"""The post card: what the platform's payload says where the stored post is silent (the
author's display name, engagement counts), and which links may be opened."""

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


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


# Where each platform's payload keeps the author's display name and the counts (collectors/ maps
# them; these are read only where the stored post lacks them). A boost or repost names the
# account that shared it first.
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
COUNT_PATHS: dict[str, tuple[tuple[str | int, ...], ...]] = {
    "likes": (
        ("public_metrics", "like_count"),
        ("tweet", "public_metrics", "like_count"),
        ("post", "likeCount"),
        ("reblog", "favourites_count"),
        ("favourites_count",),
        ("statistics", "likeCount"),
        ("statistics", "reaction_count"),
        ("statistics", "like_count"),
        ("like_count",),
        ("likeCount",),
    ),
    "reposts": (
        ("public_metrics", "retweet_count"),
        ("tweet", "public_metrics", "retweet_count"),
        ("post", "repostCount"),
        ("reblog", "reblogs_count"),
        ("reblogs_count",),
        ("statistics", "share_count"),
        ("share_count",),
        ("repostCount",),
    ),
    "replies": (
        ("public_metrics", "reply_count"),
        ("tweet", "public_metrics", "reply_count"),
        ("post", "replyCount"),
        ("reblog", "replies_count"),
        ("replies_count",),
        ("statistics", "commentCount"),
        ("statistics", "comment_count"),
        ("comment_count",),
        ("replyCount",),
    ),
    "quotes": (
        ("public_metrics", "quote_count"),
        ("tweet", "public_metrics", "quote_count"),
        ("post", "quoteCount"),
    ),
    "views": (
        ("public_metrics", "impression_count"),
        ("tweet", "public_metrics", "impression_count"),
        ("statistics", "viewCount"),
        ("statistics", "views"),
        ("view_count",),
    ),
}


def display_name(raw: dict[str, Any]) -> str | None:
    for path in NAME_PATHS:
        value = _at(raw, *path)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return None


def engagement(post: Post, raw: dict[str, Any]) -> list[tuple[str, int]]:
    """(kind, count) as stored with the post, else as the payload has them; unknown ones left out."""
    stored = post.engagement
    found = []
    for kind, paths in COUNT_PATHS.items():
        value = getattr(stored, kind)
        if value is None:
            value = next((c for p in paths if (c := _count(_at(raw, *p))) is not None), None)
        if value is not None:
            found.append((kind, value))
    return found


def safe_link(url: str | None) -> str | None:
    """Only web links become links: a report's ``javascript:`` URL stays text."""
    if url and re.match(r"^https?://[^\s]+$", url, re.IGNORECASE):
        return url
    return None
