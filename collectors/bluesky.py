"""Bluesky: ``app.bsky.feed.getAuthorFeed`` on the public AppView (cursor, no auth).

The feed has no "since" parameter: pages run newest to oldest and the run stops at the first item
not newer than the stored mark (the item's sort time: the repost time for reposts, else the
post's index time).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from functools import partial
from typing import Any

from collectors.base import (
    AccountUnavailable,
    CheckpointState,
    Page,
    Target,
    map_items,
    parse_time,
    utc_iso,
)
from collectors.http import ApiError, PlatformHttp
from netra.domain.models import AccountStatus, Engagement, Platform, Post, PostKind, utcnow

MAPPING_VERSION = "bsky-feed/1"
PUBLIC_APPVIEW = "https://public.api.bsky.app"


def sort_time(item: dict[str, Any]) -> str:
    reason = item.get("reason") or {}
    return str(
        reason.get("indexedAt")
        or item["post"].get("indexedAt")
        or item["post"]["record"]["createdAt"]
    )


def _rkey(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def _alt_texts(embed: dict[str, Any] | None) -> list[str]:
    if not embed:
        return []
    images = embed.get("images") or (embed.get("media") or {}).get("images") or []
    return [img["alt"] for img in images if img.get("alt")]


def map_feed_item(item: dict[str, Any], target: Target, collected_at: datetime) -> Post:
    post = item["post"]
    record = post["record"]
    reason = item.get("reason") or {}
    author = post["author"]
    if reason.get("$type", "").endswith("reasonRepost"):
        kind = PostKind.REPOST
        by = reason.get("by") or {}
        native = _rkey(reason["uri"]) if reason.get("uri") else f"repost-{_rkey(post['uri'])}"
        native = f"{by.get('did', target.account.native_id or target.account.handle)}/{native}"
        created = parse_time(reason.get("indexedAt") or post["indexedAt"])
        parent = Post.make_id(Platform.BLUESKY, f"{author['did']}/{_rkey(post['uri'])}")
    else:
        reply = record.get("reply")
        embed_type = (record.get("embed") or {}).get("$type", "")
        kind = (
            PostKind.REPLY
            if reply
            else PostKind.QUOTE
            if "embed.record" in embed_type
            else PostKind.POST
        )
        native = f"{author['did']}/{_rkey(post['uri'])}"
        created = parse_time(record["createdAt"])
        parent = None
        if reply:
            parent_uri = reply["parent"]["uri"]
            parent = Post.make_id(
                Platform.BLUESKY, f"{parent_uri.split('/')[2]}/{_rkey(parent_uri)}"
            )
    return Post(
        id=Post.make_id(Platform.BLUESKY, native),
        platform=Platform.BLUESKY,
        native_id=native,
        account_handle=target.account.handle,
        account_native_id=target.account.native_id,
        person_nip=target.person_nip,
        text=record.get("text", ""),
        kind=kind,
        parent_id=parent,
        created_at=created,
        collected_at=collected_at,
        url=f"https://bsky.app/profile/{author.get('handle', author['did'])}/post/{_rkey(post['uri'])}",
        media=_alt_texts(post.get("embed")) or _alt_texts(record.get("embed")),
        engagement=Engagement(
            likes=post.get("likeCount"),
            replies=post.get("replyCount"),
            reposts=post.get("repostCount"),
            quotes=post.get("quoteCount"),
        ),
        raw=item,
        mapping_version=MAPPING_VERSION,
    )


def account_error(exc: ApiError) -> AccountUnavailable | None:
    body = exc.body if isinstance(exc.body, dict) else {}
    name, message = str(body.get("error", "")), str(body.get("message", ""))
    if name in ("AccountTakedown", "AccountDeactivated"):
        return AccountUnavailable(AccountStatus.SUSPENDED, message or name)
    if exc.status == 400 and ("not found" in message.lower() or name == "ActorNotFound"):
        return AccountUnavailable(AccountStatus.NOT_FOUND, message or name)
    return None


class BlueskyCollector:
    platform = Platform.BLUESKY

    def __init__(
        self, http: PlatformHttp, base_url: str = PUBLIC_APPVIEW, page_size: int = 100
    ) -> None:
        self.http = http
        self.base = base_url.rstrip("/")
        self.page_size = page_size

    def _get(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            body, _ = self.http.get_json(f"{self.base}/xrpc/{method}", params=params)
        except ApiError as exc:
            gone = account_error(exc)
            if gone:
                raise gone from exc
            raise
        return body

    def pages(
        self, target: Target, checkpoint: str | None, since: datetime | None
    ) -> Iterator[Page]:
        state = CheckpointState.load(checkpoint)
        floor = state.mark or (utc_iso(since.isoformat()) if since else None)
        actor = target.account.native_id or target.account.handle
        while True:
            params: dict[str, Any] = {
                "actor": actor,
                "limit": self.page_size,
                "filter": "posts_with_replies",
            }
            if state.resume:
                params["cursor"] = state.resume
            body = self._get("app.bsky.feed.getAuthorFeed", params)
            collected_at = utcnow()
            feed = body.get("feed") or []
            fresh = [item for item in feed if _newer(item, floor)]
            reached_floor = len(fresh) < len(feed)
            posts, quarantined = map_items(
                Platform.BLUESKY,
                target.account.handle,
                fresh,
                partial(map_feed_item, target=target, collected_at=collected_at),
                collected_at,
            )
            for item in fresh:
                try:
                    moment = utc_iso(sort_time(item))
                except (KeyError, ValueError, TypeError):
                    continue
                state.see(moment)
            cursor = body.get("cursor")
            if cursor and feed and not reached_floor:
                yield Page(posts, quarantined, state.paging(cursor))
                continue
            yield Page(posts, quarantined, state.finish())
            return

    def lookup(self, native_ids: list[str], target: Target) -> dict[str, Post | None]:
        found: dict[str, Post | None] = {native: None for native in native_ids}
        uris = {
            f"at://{n.split('/')[0]}/app.bsky.feed.post/{n.split('/')[-1]}": n
            for n in native_ids
            if "/" in n
        }
        keys = list(uris)
        for start in range(0, len(keys), 25):
            body = self._get("app.bsky.feed.getPosts", {"uris": keys[start : start + 25]})
            collected_at = utcnow()
            for post in body.get("posts") or []:
                mapped = map_feed_item({"post": post}, target, collected_at)
                found[mapped.native_id] = mapped
        return found


def _newer(item: dict[str, Any], floor: str | None) -> bool:
    if floor is None:
        return True
    try:
        return utc_iso(sort_time(item)) > utc_iso(floor)
    except (KeyError, ValueError, TypeError):
        return True  # unreadable time: let the mapper quarantine it rather than lose it
