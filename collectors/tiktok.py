"""TikTok Research API: video query by username in windows of at most 30 days (client-credentials
token; ``cursor`` and ``search_id`` paginate within a window).

The mark is the first day of the next window to ask for. The window that ends today is asked for
again next run, since videos may still be posted today; re-stored videos are idempotent.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

from collectors.base import CheckpointState, Page, Target, map_items, parse_time
from collectors.http import ApiError, PlatformHttp
from netra.domain.models import Engagement, Platform, Post, utcnow

MAPPING_VERSION = "tiktok-research-v2/1"
FIELDS = "id,video_description,create_time,username,hashtag_names,view_count,like_count,comment_count,share_count,voice_to_text"
MAX_WINDOW_DAYS = 30
DEFAULT_LOOKBACK_DAYS = 30


def map_video(video: dict[str, Any], target: Target, collected_at: datetime) -> Post:
    native = str(video["id"])
    username = video.get("username") or target.account.handle
    media = []
    if video.get("voice_to_text"):
        media.append(f"ucapan dalam video: {video['voice_to_text']}")
    return Post(
        id=Post.make_id(Platform.TIKTOK, native),
        platform=Platform.TIKTOK,
        native_id=native,
        account_handle=target.account.handle,
        account_native_id=target.account.native_id,
        person_nip=target.person_nip,
        text=video.get("video_description") or "",
        created_at=parse_time(int(video["create_time"])),
        collected_at=collected_at,
        url=f"https://www.tiktok.com/@{username}/video/{native}",
        media=media,
        engagement=Engagement(
            likes=video.get("like_count"),
            replies=video.get("comment_count"),
            reposts=video.get("share_count"),
            views=video.get("view_count"),
        ),
        raw=video,
        mapping_version=MAPPING_VERSION,
    )


class TikTokCollector:
    platform = Platform.TIKTOK

    def __init__(
        self,
        http: PlatformHttp,
        client_key: str | None = None,
        client_secret: str | None = None,
        base_url: str = "https://open.tiktokapis.com",
        page_size: int = 100,
        today: date | None = None,
    ) -> None:
        self.http = http
        self.base = base_url.rstrip("/")
        self.client_key, self.client_secret = client_key, client_secret
        self.page_size = page_size
        self.today = today
        self._token: tuple[str, float] | None = None

    def _bearer(self) -> dict[str, str]:
        if self._token is None or self._token[1] <= time.monotonic():
            body, _ = self.http.json(
                "POST",
                f"{self.base}/v2/oauth/token/",
                data={
                    "client_key": self.client_key or "",
                    "client_secret": self.client_secret or "",
                    "grant_type": "client_credentials",
                },
            )
            # Renew a minute early so a long run never sends an expired token.
            self._token = (
                body["access_token"],
                time.monotonic() + float(body.get("expires_in", 7200)) - 60,
            )
        return {"Authorization": f"Bearer {self._token[0]}"}

    def _query(self, body: dict[str, Any]) -> dict[str, Any]:
        response, _ = self.http.json(
            "POST",
            f"{self.base}/v2/research/video/query/",
            params={"fields": FIELDS},
            json=body,
            headers=self._bearer(),
        )
        error = response.get("error") or {}
        if error.get("code") not in (None, "ok"):
            raise ApiError(
                200, f"tiktok: {error.get('code')}: {error.get('message', '')}", response
            )
        return response.get("data") or {}

    def pages(
        self, target: Target, checkpoint: str | None, since: datetime | None
    ) -> Iterator[Page]:
        state = CheckpointState.load(checkpoint)
        today = self.today or datetime.now(UTC).date()
        start = (
            date.fromisoformat(state.mark)
            if state.mark
            else (since.date() if since else today - timedelta(days=DEFAULT_LOOKBACK_DAYS))
        )
        while start <= today:
            end = min(today, start + timedelta(days=MAX_WINDOW_DAYS - 1))
            resume = state.resume or {}
            cursor, search_id = resume.get("cursor", 0), resume.get("search_id")
            while True:
                query: dict[str, Any] = {
                    "query": {
                        "and": [
                            {
                                "operation": "EQ",
                                "field_name": "username",
                                "field_values": [target.account.handle],
                            }
                        ]
                    },
                    "start_date": start.strftime("%Y%m%d"),
                    "end_date": end.strftime("%Y%m%d"),
                    "max_count": self.page_size,
                    "cursor": cursor,
                }
                if search_id:
                    query["search_id"] = search_id
                data = self._query(query)
                collected_at = utcnow()
                posts, quarantined = map_items(
                    Platform.TIKTOK,
                    target.account.handle,
                    data.get("videos") or [],
                    partial(map_video, target=target, collected_at=collected_at),
                    collected_at,
                )
                if data.get("has_more"):
                    cursor, search_id = data.get("cursor", 0), data.get("search_id")
                    state.resume = {
                        "cursor": cursor,
                        "search_id": search_id,
                        "window": start.isoformat(),
                    }
                    yield Page(posts, quarantined, state.dump())
                    continue
                state.resume = None
                state.mark = (end if end == today else end + timedelta(days=1)).isoformat()
                yield Page(posts, quarantined, state.dump())
                break
            if end == today:
                return
            start = end + timedelta(days=1)

    def lookup(self, native_ids: list[str], target: Target) -> dict[str, Post | None]:
        """Only videos the query finds: the Research API searches a date window, so a video it
        does not return may be older, not deleted; absence is never reported as deletion."""
        found: dict[str, Post | None] = {}
        today = self.today or datetime.now(UTC).date()
        data = self._query(
            {
                "query": {
                    "and": [
                        {"operation": "IN", "field_name": "video_id", "field_values": native_ids}
                    ]
                },
                "start_date": (today - timedelta(days=MAX_WINDOW_DAYS - 1)).strftime("%Y%m%d"),
                "end_date": today.strftime("%Y%m%d"),
                "max_count": 100,
            }
        )
        collected_at = utcnow()
        for video in data.get("videos") or []:
            post = map_video(video, target, collected_at)
            found[post.native_id] = post
        return found
