"""YouTube Data API v3: channel → uploads playlist → playlistItems → videos (API key).

Every list call costs one quota unit (10,000 a day by default); the collector counts them.
The uploads playlist lists newest first, so a run stops at the first video not newer than the
stored mark. A video's "text" is its title and description; the thumbnail is not described.
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
from netra.domain.models import AccountStatus, Engagement, Platform, Post, utcnow

MAPPING_VERSION = "youtube-v3/1"


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, str | int) and str(value).isdigit() else None


def map_video(video: dict[str, Any], target: Target, collected_at: datetime) -> Post:
    snippet = video["snippet"]
    stats = video.get("statistics") or {}
    text = snippet["title"]
    if snippet.get("description"):
        text = f"{text}\n{snippet['description']}"
    return Post(
        id=Post.make_id(Platform.YOUTUBE, video["id"]),
        platform=Platform.YOUTUBE,
        native_id=video["id"],
        account_handle=target.account.handle,
        account_native_id=snippet.get("channelId") or target.account.native_id,
        person_nip=target.person_nip,
        text=text,
        created_at=parse_time(snippet["publishedAt"]),
        collected_at=collected_at,
        url=f"https://www.youtube.com/watch?v={video['id']}",
        media=[f"video YouTube; tag: {', '.join(snippet['tags'])}"] if snippet.get("tags") else [],
        engagement=Engagement(
            likes=_int(stats.get("likeCount")),
            replies=_int(stats.get("commentCount")),
            views=_int(stats.get("viewCount")),
        ),
        raw=video,
        mapping_version=MAPPING_VERSION,
    )


class YouTubeCollector:
    platform = Platform.YOUTUBE

    def __init__(
        self,
        http: PlatformHttp,
        api_key: str | None = None,
        base_url: str = "https://www.googleapis.com/youtube/v3",
        page_size: int = 50,
    ) -> None:
        self.http = http
        self.base = base_url.rstrip("/")
        self.key = {"key": api_key} if api_key else {}
        self.page_size = page_size
        self.quota_units = 0

    def _get(self, resource: str, params: dict[str, Any]) -> dict[str, Any]:
        self.quota_units += 1  # list calls cost one unit each
        body, _ = self.http.get_json(f"{self.base}/{resource}", params={**params, **self.key})
        return body

    def _uploads(self, target: Target, state: CheckpointState) -> str:
        if state.extra.get("uploads"):
            return str(state.extra["uploads"])
        channel = target.account.native_id
        params = {
            "part": "contentDetails",
            **({"id": channel} if channel else {"forHandle": target.account.handle}),
        }
        items = self._get("channels", params).get("items") or []
        if not items:
            raise AccountUnavailable(
                AccountStatus.NOT_FOUND, f"no channel {channel or target.account.handle}"
            )
        uploads = items[0]["contentDetails"]["relatedPlaylists"]["uploads"]
        state.extra["uploads"] = uploads
        return str(uploads)

    def pages(
        self, target: Target, checkpoint: str | None, since: datetime | None
    ) -> Iterator[Page]:
        state = CheckpointState.load(checkpoint)
        uploads = self._uploads(target, state)
        floor = state.mark or (utc_iso(since.isoformat()) if since else None)
        while True:
            params: dict[str, Any] = {
                "part": "contentDetails",
                "playlistId": uploads,
                "maxResults": self.page_size,
            }
            if state.resume:
                params["pageToken"] = state.resume
            try:
                listing = self._get("playlistItems", params)
            except ApiError as exc:
                if exc.status == 404:
                    raise AccountUnavailable(AccountStatus.NOT_FOUND, str(exc)) from exc
                raise
            items = listing.get("items") or []
            fresh_ids, reached_floor = [], False
            for item in items:
                published = (item.get("contentDetails") or {}).get("videoPublishedAt")
                moment = utc_iso(published) if published else None
                if floor and moment and moment <= floor:
                    reached_floor = True
                    continue
                fresh_ids.append(item["contentDetails"]["videoId"])
                state.see(moment)
            videos = (
                self._get("videos", {"part": "snippet,statistics", "id": ",".join(fresh_ids)}).get(
                    "items", []
                )
                if fresh_ids
                else []
            )
            collected_at = utcnow()
            posts, quarantined = map_items(
                Platform.YOUTUBE,
                target.account.handle,
                videos,
                partial(map_video, target=target, collected_at=collected_at),
                collected_at,
            )
            next_token = listing.get("nextPageToken")
            if next_token and items and not reached_floor:
                yield Page(posts, quarantined, state.paging(next_token))
                continue
            yield Page(posts, quarantined, state.finish())
            return

    def lookup(self, native_ids: list[str], target: Target) -> dict[str, Post | None]:
        found: dict[str, Post | None] = {native: None for native in native_ids}
        for start in range(0, len(native_ids), 50):
            body = self._get(
                "videos",
                {"part": "snippet,statistics", "id": ",".join(native_ids[start : start + 50])},
            )
            collected_at = utcnow()
            for video in body.get("items") or []:
                found[video["id"]] = map_video(video, target, collected_at)
        return found
