"""Mastodon: ``GET /api/v1/accounts/:id/statuses`` with ``since_id`` and ``Link`` pagination.

Accounts live on many instances: the handle ``user@instance`` says where to ask. Status text is
HTML; it is reduced to plain text (paragraphs and line breaks kept as new lines).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from typing import Any

from collectors.base import AccountUnavailable, CheckpointState, Page, Target, map_items, parse_time
from collectors.http import ApiError, PlatformHttp
from netra.domain.models import AccountStatus, Engagement, Platform, Post, PostKind, utcnow

MAPPING_VERSION = "mastodon-v1/1"
_BREAKS = re.compile(r"<br\s*/?>|</p>\s*<p>", re.I)
_TAGS = re.compile(r"<[^>]+>")


def html_to_text(content: str) -> str:
    return html.unescape(_TAGS.sub("", _BREAKS.sub("\n", content))).strip()


def split_handle(handle: str, default_instance: str | None) -> tuple[str, str]:
    user, _, instance = handle.partition("@")
    instance = instance or (default_instance or "")
    if not instance:
        raise ValueError(f"mastodon handle {handle!r} names no instance (expected user@instance)")
    return user, instance


def map_status(status: dict[str, Any], target: Target, collected_at: datetime) -> Post:
    boosted = status.get("reblog")
    shown = boosted or status
    kind = (
        PostKind.REPOST
        if boosted
        else PostKind.REPLY
        if status.get("in_reply_to_id")
        else PostKind.QUOTE
        if status.get("quote")
        else PostKind.POST
    )
    parent = None
    if boosted:
        parent = Post.make_id(Platform.MASTODON, str(boosted["id"]))
    elif status.get("in_reply_to_id"):
        parent = Post.make_id(Platform.MASTODON, str(status["in_reply_to_id"]))
    text = html_to_text(shown.get("content") or "")
    if shown.get("spoiler_text"):
        text = f"{shown['spoiler_text']}\n{text}"
    return Post(
        id=Post.make_id(Platform.MASTODON, str(status["id"])),
        platform=Platform.MASTODON,
        native_id=str(status["id"]),
        account_handle=target.account.handle,
        account_native_id=target.account.native_id,
        person_nip=target.person_nip,
        text=text,
        kind=kind,
        parent_id=parent,
        created_at=parse_time(status["created_at"]),
        collected_at=collected_at,
        url=status.get("url") or shown.get("url") or status.get("uri"),
        media=[
            m["description"] for m in shown.get("media_attachments") or [] if m.get("description")
        ],
        engagement=Engagement(
            likes=shown.get("favourites_count"),
            replies=shown.get("replies_count"),
            reposts=shown.get("reblogs_count"),
        ),
        raw=status,
        mapping_version=MAPPING_VERSION,
    )


class MastodonCollector:
    platform = Platform.MASTODON

    def __init__(
        self, http: PlatformHttp, base_url: str | None = None, page_size: int = 40
    ) -> None:
        """``base_url`` overrides the instance named in each handle (tests, a single instance)."""
        self.http = http
        self.base_override = base_url.rstrip("/") if base_url else None
        self.page_size = page_size

    def _base(self, target: Target) -> str:
        if self.base_override:
            return self.base_override
        _, instance = split_handle(target.account.handle, None)
        return f"https://{instance}"

    def _get(self, url: str, params: dict[str, Any] | None = None) -> tuple[Any, Any]:
        try:
            return self.http.get_json(url, params=params)
        except ApiError as exc:
            if exc.status == 404:
                raise AccountUnavailable(AccountStatus.NOT_FOUND, str(exc)) from exc
            if exc.status in (403, 410):
                raise AccountUnavailable(AccountStatus.SUSPENDED, str(exc)) from exc
            raise

    def _account_id(self, target: Target, state: CheckpointState) -> str:
        if target.account.native_id:
            return target.account.native_id
        if state.extra.get("account_id"):
            return str(state.extra["account_id"])
        body, _ = self._get(
            f"{self._base(target)}/api/v1/accounts/lookup", {"acct": target.account.handle}
        )
        state.extra["account_id"] = str(body["id"])
        return str(body["id"])

    def pages(
        self, target: Target, checkpoint: str | None, since: datetime | None
    ) -> Iterator[Page]:
        state = CheckpointState.load(checkpoint)
        account_id = self._account_id(target, state)
        first_url = f"{self._base(target)}/api/v1/accounts/{account_id}/statuses"
        params: dict[str, Any] | None = {"limit": self.page_size}
        if state.mark:
            params = {**(params or {}), "since_id": state.mark}
        url = state.resume or first_url
        if state.resume:
            params = None  # the stored next link carries every parameter
        floor = since
        while True:
            statuses, response = self._get(url, params)
            collected_at = utcnow()
            if not isinstance(statuses, list):
                raise ApiError(response.status_code, "statuses: expected a JSON array", statuses)
            fresh = [s for s in statuses if floor is None or state.mark or _after(s, floor)]
            posts, quarantined = map_items(
                Platform.MASTODON,
                target.account.handle,
                fresh,
                partial(map_status, target=target, collected_at=collected_at),
                collected_at,
            )
            ids = [int(s["id"]) for s in statuses if str(s.get("id", "")).isdigit()]
            state.see(str(max(ids)) if ids else None, key=int)
            next_link = response.links.get("next", {}).get("url")
            if next_link and statuses and len(fresh) == len(statuses):
                url, params = next_link, None
                yield Page(posts, quarantined, state.paging(next_link))
                continue
            yield Page(posts, quarantined, state.finish())
            return

    def lookup(self, native_ids: list[str], target: Target) -> dict[str, Post | None]:
        found: dict[str, Post | None] = {}
        for native in native_ids:
            try:
                body, _ = self.http.get_json(f"{self._base(target)}/api/v1/statuses/{native}")
            except ApiError as exc:
                if exc.status in (404, 410):
                    found[native] = None
                    continue
                raise
            found[native] = map_status(body, target, utcnow())
        return found


def _after(status: dict[str, Any], floor: datetime) -> bool:
    try:
        return parse_time(status["created_at"]) > floor
    except (KeyError, ValueError, TypeError):
        return True
