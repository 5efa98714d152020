"""Fake posts rendered in each platform's documented response shape (see collectors/API_NOTES.md
and tests/fixtures/platforms/). Ids follow each platform's ordering rules: X and Mastodon ids grow
with time (``since_id`` works), Bluesky record keys are time-sortable TIDs."""

from __future__ import annotations

from typing import Any

from collectors.fake.world import FakeAccount, FakePost
from netra.domain.models import Platform, PostKind

_B32 = "234567abcdefghijklmnopqrstuvwxyz"


def _millis(post: FakePost) -> int:
    return int(post.created_at.timestamp() * 1000)


def _tid(post: FakePost) -> str:
    value = (int(post.created_at.timestamp() * 1_000_000) << 10) | (post.seq & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(_B32[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def native_id(post: FakePost) -> str:
    if post.platform is Platform.X:
        return str((_millis(post) << 22) | (post.seq & 0x3FFFFF))
    if post.platform is Platform.MASTODON:
        return str((_millis(post) << 16) | (post.seq & 0xFFFF))
    if post.platform is Platform.BLUESKY:
        return _tid(post)
    if post.platform is Platform.YOUTUBE:
        return f"v{post.seq:010d}"
    return str(7_000_000_000_000_000_000 + (_millis(post) // 1000) * 100_000 + post.seq % 100_000)


def _iso(post: FakePost, millis: bool = True) -> str:
    stamp = post.created_at.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{stamp}.000Z" if millis else f"{stamp}Z"


def tweet(post: FakePost, account: FakeAccount) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    pid = native_id(post)
    body: dict[str, Any] = {
        "id": pid,
        "text": post.current_text,
        "created_at": _iso(post),
        "author_id": account.native_id,
        "conversation_id": pid,
        "edit_history_tweet_ids": [pid, *[f"{pid}{i}" for i in range(1, len(post.edits) + 1)]],
        "public_metrics": {
            "retweet_count": post.likes // 7,
            "reply_count": post.likes // 11,
            "like_count": post.likes,
            "quote_count": 0,
            "impression_count": post.likes * 40,
        },
    }
    if post.kind is PostKind.REPLY:
        body["referenced_tweets"] = [{"type": "replied_to", "id": str(int(pid) - 1)}]
        body["in_reply_to_user_id"] = "1500000000000000077"
    elif post.kind is PostKind.REPOST:
        body["referenced_tweets"] = [{"type": "retweeted", "id": str(int(pid) - 2)}]
        body["text"] = f"RT @warga_lain: {post.current_text}"
    media = []
    if post.media:
        key = f"3_{pid}"
        body["attachments"] = {"media_keys": [key]}
        media.append({"media_key": key, "type": "photo", "alt_text": post.media[0]})
    return body, media


def bluesky_item(post: FakePost, account: FakeAccount) -> dict[str, Any]:
    rkey = native_id(post)
    uri = f"at://{account.native_id}/app.bsky.feed.post/{rkey}"
    record: dict[str, Any] = {
        "$type": "app.bsky.feed.post",
        "text": post.current_text,
        "createdAt": _iso(post),
        "langs": ["id"],
    }
    view: dict[str, Any] = {
        "uri": uri,
        "cid": f"bafyrei{rkey}",
        "author": {"did": account.native_id, "handle": account.handle},
        "record": record,
        "replyCount": post.likes // 11,
        "repostCount": post.likes // 7,
        "likeCount": post.likes,
        "quoteCount": 0,
        "indexedAt": _iso(post),
    }
    if post.media:
        record["embed"] = {"$type": "app.bsky.embed.images", "images": [{"alt": post.media[0]}]}
        view["embed"] = {"$type": "app.bsky.embed.images#view", "images": [{"alt": post.media[0]}]}
    item: dict[str, Any] = {"post": view}
    if post.kind is PostKind.REPLY:
        parent = {
            "uri": f"at://did:plc:wargalain000000000000000/app.bsky.feed.post/{rkey}p",
            "cid": "bafyparent",
        }
        record["reply"] = {"root": parent, "parent": parent}
    return item


def mastodon_status(post: FakePost, account: FakeAccount, base: str) -> dict[str, Any]:
    sid = native_id(post)
    user = account.handle.split("@")[0]
    status: dict[str, Any] = {
        "id": sid,
        "created_at": _iso(post),
        "in_reply_to_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "id",
        "uri": f"{base}/users/{user}/statuses/{sid}",
        "url": f"{base}/@{user}/{sid}",
        "replies_count": post.likes // 11,
        "reblogs_count": post.likes // 7,
        "favourites_count": post.likes,
        "edited_at": _iso(post) if post.edits else None,
        "content": "<p>" + post.current_text.replace("\n", "<br>") + "</p>",
        "reblog": None,
        "account": {"id": account.native_id, "username": user, "acct": account.handle},
        "media_attachments": [{"type": "image", "description": m} for m in post.media],
    }
    if post.kind is PostKind.REPLY:
        status["in_reply_to_id"] = str(int(sid) - 1)
    return status


def youtube_playlist_item(post: FakePost, account: FakeAccount) -> dict[str, Any]:
    vid = native_id(post)
    return {
        "kind": "youtube#playlistItem",
        "id": f"PI{vid}",
        "contentDetails": {"videoId": vid, "videoPublishedAt": _iso(post, millis=False)},
    }


def youtube_video(post: FakePost, account: FakeAccount) -> dict[str, Any]:
    title, _, description = post.current_text.partition(". ")
    return {
        "kind": "youtube#video",
        "id": native_id(post),
        "snippet": {
            "publishedAt": _iso(post, millis=False),
            "channelId": account.native_id,
            "title": title[:100],
            "description": description,
            "channelTitle": account.handle,
        },
        "statistics": {
            "viewCount": str(post.likes * 30),
            "likeCount": str(post.likes),
            "commentCount": str(post.likes // 9),
        },
    }


def tiktok_video(post: FakePost, account: FakeAccount) -> dict[str, Any]:
    return {
        "id": int(native_id(post)),
        "username": account.handle,
        "create_time": int(post.created_at.timestamp()),
        "region_code": "ID",
        "video_description": post.current_text,
        "hashtag_names": [],
        "view_count": post.likes * 30,
        "like_count": post.likes,
        "comment_count": post.likes // 9,
        "share_count": post.likes // 7,
        **({"voice_to_text": post.media[0]} if post.media else {}),
    }
