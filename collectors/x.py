"""X API v2: the user post timeline (``since_id`` + ``pagination_token``, bearer token).

An edited post gets a new id on X; ``edit_history_tweet_ids[0]`` is the original id, so it is the
identity we keep, and an edit lands on the same Post with its earlier version preserved.
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
)
from collectors.http import ApiError, PlatformHttp
from netra.domain.models import AccountStatus, Engagement, Platform, Post, PostKind, utcnow

MAPPING_VERSION = "x-v2/1"
TWEET_FIELDS = (
    "created_at,public_metrics,referenced_tweets,conversation_id,in_reply_to_user_id,attachments,"
    "edit_history_tweet_ids,author_id"
)
_KINDS = {"retweeted": PostKind.REPOST, "quoted": PostKind.QUOTE, "replied_to": PostKind.REPLY}


def map_tweet(
    tweet: dict[str, Any], media: dict[str, dict], target: Target, collected_at: datetime
) -> Post:
    history = tweet.get("edit_history_tweet_ids") or [tweet["id"]]
    native = str(history[0])
    references = tweet.get("referenced_tweets") or []
    kind, parent = PostKind.POST, None
    for ref in references:  # a reply that quotes is a reply first
        candidate = _KINDS.get(ref.get("type"))
        if candidate and (kind is PostKind.POST or candidate is PostKind.REPLY):
            kind, parent = candidate, Post.make_id(Platform.X, str(ref["id"]))
    attached = [
        media[k] for k in (tweet.get("attachments") or {}).get("media_keys", []) if k in media
    ]
    metrics = tweet.get("public_metrics") or {}
    handle = target.account.handle
    return Post(
        id=Post.make_id(Platform.X, native),
        platform=Platform.X,
        native_id=native,
        account_handle=handle,
        account_native_id=tweet.get("author_id") or target.account.native_id,
        person_nip=target.person_nip,
        text=tweet["text"],
        kind=kind,
        parent_id=parent,
        created_at=parse_time(tweet["created_at"]),
        collected_at=collected_at,
        url=f"https://x.com/{handle}/status/{tweet['id']}",
        media=[m["alt_text"] for m in attached if m.get("alt_text")],
        engagement=Engagement(
            likes=metrics.get("like_count"),
            replies=metrics.get("reply_count"),
            reposts=metrics.get("retweet_count"),
            quotes=metrics.get("quote_count"),
            views=metrics.get("impression_count"),
        ),
        raw={"tweet": tweet, "media": attached},
        mapping_version=MAPPING_VERSION,
    )


def account_error(body: Any) -> AccountUnavailable | None:
    """X reports a gone account as a problem object, with HTTP 200 or 4xx."""
    errors = body.get("errors") if isinstance(body, dict) else None
    if not errors or (isinstance(body, dict) and body.get("data")):
        return None
    first = errors[0]
    title, detail = str(first.get("title", "")), str(first.get("detail", ""))
    if "suspended" in detail.lower() or title == "Forbidden":
        return AccountUnavailable(AccountStatus.SUSPENDED, detail or title)
    if title == "Authorization Error" or "not-authorized" in str(first.get("type", "")):
        return AccountUnavailable(AccountStatus.PROTECTED, detail or title)
    if title == "Not Found Error" or "resource-not-found" in str(first.get("type", "")):
        return AccountUnavailable(AccountStatus.NOT_FOUND, detail or title)
    return None


class XCollector:
    platform = Platform.X

    def __init__(
        self,
        http: PlatformHttp,
        base_url: str = "https://api.x.com",
        token: str | None = None,
        page_size: int = 100,
    ) -> None:
        self.http = http
        self.base = base_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.page_size = page_size

    def _get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            body, _ = self.http.get_json(f"{self.base}{path}", params=params, headers=self.headers)
        except ApiError as exc:
            gone = account_error(exc.body)
            if gone:
                raise gone from exc
            raise
        gone = account_error(body)
        if gone:
            raise gone
        return body

    def _user_id(self, target: Target, state: CheckpointState) -> str:
        if target.account.native_id:
            return target.account.native_id
        if state.extra.get("user_id"):
            return str(state.extra["user_id"])
        body = self._get(f"/2/users/by/username/{target.account.handle}", {})
        state.extra["user_id"] = body["data"]["id"]
        return str(body["data"]["id"])

    def pages(
        self, target: Target, checkpoint: str | None, since: datetime | None
    ) -> Iterator[Page]:
        state = CheckpointState.load(checkpoint)
        user_id = self._user_id(target, state)
        params: dict[str, Any] = {
            "max_results": self.page_size,
            "tweet.fields": TWEET_FIELDS,
            "expansions": "attachments.media_keys",
            "media.fields": "alt_text,type,url",
        }
        if state.mark:
            params["since_id"] = state.mark
        elif since:
            params["start_time"] = since.strftime("%Y-%m-%dT%H:%M:%SZ")
        while True:
            if state.resume:
                params["pagination_token"] = state.resume
            body = self._get(f"/2/users/{user_id}/tweets", params)
            collected_at = utcnow()
            tweets = body.get("data") or []
            media = {
                m["media_key"]: m
                for m in (body.get("includes") or {}).get("media", [])
                if "media_key" in m
            }
            posts, quarantined = map_items(
                Platform.X,
                target.account.handle,
                tweets,
                partial(map_tweet, media=media, target=target, collected_at=collected_at),
                collected_at,
            )
            newest = max(
                (int(t["id"]) for t in tweets if str(t.get("id", "")).isdigit()), default=None
            )
            state.see(None if newest is None else str(newest), key=int)
            next_token = (body.get("meta") or {}).get("next_token")
            if next_token:
                yield Page(posts, quarantined, state.paging(next_token))
                continue
            yield Page(posts, quarantined, state.finish())
            return

    def lookup(self, native_ids: list[str], target: Target) -> dict[str, Post | None]:
        found: dict[str, Post | None] = {native: None for native in native_ids}
        for start in range(0, len(native_ids), 100):
            chunk = native_ids[start : start + 100]
            body, _ = self.http.get_json(
                f"{self.base}/2/tweets",
                params={
                    "ids": ",".join(chunk),
                    "tweet.fields": TWEET_FIELDS,
                    "expansions": "attachments.media_keys",
                    "media.fields": "alt_text,type,url",
                },
                headers=self.headers,
            )
            media = {
                m["media_key"]: m
                for m in (body.get("includes") or {}).get("media", [])
                if "media_key" in m
            }
            collected_at = utcnow()
            for tweet in body.get("data") or []:
                post = map_tweet(tweet, media, target, collected_at)
                found[post.native_id] = post
        return found
