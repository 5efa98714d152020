"""One loopback HTTP server that plays X, Bluesky, Mastodon, YouTube and TikTok for tests, the
demo and the benchmarks: each platform's endpoints under ``/<platform>/…``, with pagination,
429 + ``Retry-After``, bursts of 5xx, slow answers, malformed JSON, missing fields (schema
drift), deleted and edited posts and gone accounts, switched on at start or at run time through
``POST /_fake/control``.

Run it: ``python -m collectors.fake --port 8181`` (see ``--help``).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from collectors.fake import payloads
from collectors.fake.world import FakeAccount, FakePost, FakeWorld
from netra.domain.models import Platform


@dataclass
class Faults:
    rate_limit_every: int = 0  # every Nth request answers 429
    retry_after: str = "1"  # seconds, as sent in Retry-After
    error_burst: int = 0  # the next N requests answer 503
    slow_ms: int = 0  # added to every answer
    malformed_accounts: set[str] = field(default_factory=set)  # handles answered with broken JSON
    drift_accounts: set[str] = field(default_factory=set)  # handles whose items lack fields

    def update(self, data: dict[str, Any]) -> None:
        for key, value in data.items():
            if key in ("malformed_accounts", "drift_accounts"):
                setattr(self, key, {str(v).lower() for v in value})
            elif hasattr(self, key):
                setattr(self, key, type(getattr(self, key))(value))


class FakePlatforms:
    def __init__(self, world: FakeWorld, faults: Faults | None = None) -> None:
        self.world = world
        self.faults = faults or Faults()
        self.requests = 0
        self._lock = threading.Lock()

    # -- dispatch ---------------------------------------------------------------------
    def handle(
        self, method: str, path: str, query: dict[str, list[str]], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        if path.startswith("/_fake/"):
            return self._control(method, path, body)
        with self._lock:
            self.requests += 1
            number = self.requests
            burst = self.faults.error_burst > 0
            if burst:
                self.faults.error_burst -= 1
        if self.faults.slow_ms:
            time.sleep(self.faults.slow_ms / 1000)
        if burst:
            return 503, {}, b'{"error":"Service Unavailable"}'
        every = self.faults.rate_limit_every
        if every and number % every == 0:
            reset = str(int(time.time()) + 1)
            headers = {"Retry-After": self.faults.retry_after, "x-rate-limit-reset": reset}
            return 429, headers, b'{"title":"Too Many Requests","status":429}'
        platform, _, rest = path.lstrip("/").partition("/")
        route = getattr(self, f"_{platform}", None)
        if route is None:
            return 404, {}, b'{"error":"unknown platform"}'
        with self.world.lock:
            status, headers, data = route(method, "/" + rest, query, body)
        if isinstance(data, bytes):
            return status, headers, data
        return status, headers, json.dumps(data, ensure_ascii=False).encode()

    def _broken(self, account: FakeAccount) -> bool:
        return account.handle.lower() in self.faults.malformed_accounts

    def _drift(self, account: FakeAccount, item: dict[str, Any], field_name: str) -> dict[str, Any]:
        if account.handle.lower() in self.faults.drift_accounts:
            item = dict(item)
            item.pop(field_name, None)
        return item

    @staticmethod
    def _visible(account: FakeAccount) -> list[FakePost]:
        return [p for p in account.posts if not p.deleted]

    @staticmethod
    def _page(items: list[Any], token: str | None, size: int) -> tuple[list[Any], str | None]:
        start = int(token) if token and token.isdigit() else 0
        chunk = items[start : start + size]
        return chunk, str(start + size) if start + size < len(items) else None

    # -- X ---------------------------------------------------------------------------------
    def _x(
        self, method: str, path: str, q: dict[str, list[str]], body: bytes
    ) -> tuple[int, dict, Any]:
        parts = path.strip("/").split("/")
        if parts[:3] == ["2", "users", "by"] and len(parts) == 5:
            account = self.world.find(Platform.X, parts[4])
            if account is None:
                return (
                    200,
                    {},
                    {
                        "errors": [
                            {
                                "title": "Not Found Error",
                                "detail": f"Could not find user with username: [{parts[4]}].",
                                "type": "https://api.twitter.com/2/problems/resource-not-found",
                            }
                        ]
                    },
                )
            return 200, {}, {"data": {"id": account.native_id, "username": account.handle}}
        if parts[:2] == ["2", "tweets"]:
            ids = (q.get("ids") or [""])[0].split(",")
            data, media = [], []
            for tid in ids:
                post = self.world.posts_by_id.get((Platform.X, tid))
                if post and not post.deleted:
                    owner = self.world.find(Platform.X, post.account)
                    assert owner is not None
                    t, m = payloads.tweet(post, owner)
                    data.append(t)
                    media += m
            missing = [i for i in ids if i not in {t["edit_history_tweet_ids"][0] for t in data}]
            answer: dict[str, Any] = {"data": data} if data else {}
            if media:
                answer["includes"] = {"media": media}
            if missing:
                answer["errors"] = [
                    {
                        "title": "Not Found Error",
                        "detail": f"Could not find tweet with ids: [{i}].",
                        "type": "https://api.twitter.com/2/problems/resource-not-found",
                        "value": i,
                    }
                    for i in missing
                ]
            return 200, {}, answer
        if len(parts) == 4 and parts[:2] == ["2", "users"] and parts[3] == "tweets":
            account = self.world.find(Platform.X, parts[2])
            gone = self._x_gone(account, parts[2])
            if gone:
                return gone
            assert account is not None
            if self._broken(account):
                return 200, {}, b'{"data": [{"id": "1", "text": '
            posts = self._visible(account)
            if q.get("since_id"):
                since = int(q["since_id"][0])
                posts = [
                    p
                    for p in posts
                    if int(payloads.tweet(p, account)[0]["edit_history_tweet_ids"][-1]) > since
                ]
            if q.get("start_time"):
                start = datetime.fromisoformat(q["start_time"][0].replace("Z", "+00:00"))
                posts = [p for p in posts if p.created_at >= start]
            size = int((q.get("max_results") or ["100"])[0])
            chunk, token = self._page(posts, q.get("pagination_token", [""])[0], size)
            data, media = [], []
            for post in chunk:
                t, m = payloads.tweet(post, account)
                if post.edits:
                    t["id"] = t["edit_history_tweet_ids"][-1]
                data.append(self._drift(account, t, "text"))
                media += m
            answer = {"meta": {"result_count": len(data)}}
            if data:
                answer["data"] = data
                answer["meta"].update(newest_id=data[0]["id"], oldest_id=data[-1]["id"])
            if media:
                answer["includes"] = {"media": media}
            if token:
                answer["meta"]["next_token"] = token
            return 200, {"x-rate-limit-limit": "1500", "x-rate-limit-remaining": "1499"}, answer
        return 404, {}, {"errors": [{"title": "Not Found Error", "detail": "no such route"}]}

    @staticmethod
    def _x_gone(account: FakeAccount | None, key: str) -> tuple[int, dict, Any] | None:
        problem = "https://api.twitter.com/2/problems/"
        if account is None or account.status == "not_found":
            return (
                200,
                {},
                {
                    "errors": [
                        {
                            "title": "Not Found Error",
                            "detail": f"Could not find user with id: [{key}].",
                            "type": problem + "resource-not-found",
                        }
                    ]
                },
            )
        if account.status == "suspended":
            return (
                200,
                {},
                {
                    "errors": [
                        {
                            "title": "Forbidden",
                            "detail": f"User has been suspended: [{key}].",
                            "type": problem + "resource-not-found",
                        }
                    ]
                },
            )
        if account.status == "protected":
            return (
                200,
                {},
                {
                    "errors": [
                        {
                            "title": "Authorization Error",
                            "type": problem + "not-authorized-for-resource",
                            "detail": f"Sorry, you are not authorized to see the user with id: [{key}].",
                        }
                    ]
                },
            )
        return None

    # -- Bluesky ---------------------------------------------------------------------------
    def _bluesky(
        self, method: str, path: str, q: dict[str, list[str]], body: bytes
    ) -> tuple[int, dict, Any]:
        if path == "/xrpc/app.bsky.feed.getAuthorFeed":
            account = self.world.find(Platform.BLUESKY, (q.get("actor") or [""])[0])
            if account is None or account.status != "active":
                return 400, {}, {"error": "InvalidRequest", "message": "Profile not found"}
            if self._broken(account):
                return 200, {}, b'{"feed": [{"post": '
            size = int((q.get("limit") or ["50"])[0])
            chunk, token = self._page(self._visible(account), q.get("cursor", [""])[0], size)
            feed = [self._drift(account, payloads.bluesky_item(p, account), "post") for p in chunk]
            return 200, {}, {"feed": feed, **({"cursor": token} if token else {})}
        if path == "/xrpc/app.bsky.feed.getPosts":
            posts = []
            for uri in q.get("uris", []):
                rkey = uri.rsplit("/", 1)[-1]
                post = self.world.posts_by_id.get((Platform.BLUESKY, rkey))
                owner = self.world.find(Platform.BLUESKY, uri.split("/")[2]) if post else None
                if post and owner and not post.deleted:
                    posts.append(payloads.bluesky_item(post, owner)["post"])
            return 200, {}, {"posts": posts}
        return 400, {}, {"error": "MethodNotImplemented", "message": path}

    # -- Mastodon --------------------------------------------------------------------------
    def _mastodon(
        self, method: str, path: str, q: dict[str, list[str]], body: bytes
    ) -> tuple[int, dict, Any]:
        base = "http://fake.mastodon"
        parts = path.strip("/").split("/")
        if parts[:4] == ["api", "v1", "accounts", "lookup"]:
            account = self.world.find(Platform.MASTODON, (q.get("acct") or [""])[0])
            if account is None:
                return 404, {}, {"error": "Record not found"}
            return 200, {}, {"id": account.native_id, "acct": account.handle}
        if len(parts) == 5 and parts[:3] == ["api", "v1", "accounts"] and parts[4] == "statuses":
            account = self.world.find(Platform.MASTODON, parts[3])
            if account is None or account.status == "not_found":
                return 404, {}, {"error": "Record not found"}
            if account.status in ("suspended", "protected"):
                return 410, {}, {"error": "This account is not available"}
            if self._broken(account):
                return 200, {}, b'[{"id": "1", "content": '
            posts = self._visible(account)
            if q.get("since_id"):
                posts = [p for p in posts if int(payloads.native_id(p)) > int(q["since_id"][0])]
            if q.get("max_id"):
                posts = [p for p in posts if int(payloads.native_id(p)) < int(q["max_id"][0])]
            size = int((q.get("limit") or ["20"])[0])
            chunk = posts[:size]
            headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299"}
            if len(posts) > size:
                params = {"limit": size, "max_id": payloads.native_id(chunk[-1])}
                if q.get("since_id"):
                    params["since_id"] = q["since_id"][0]
                url = f"{self.base_url}/mastodon/api/v1/accounts/{parts[3]}/statuses?{urlencode(params)}"
                headers["Link"] = f'<{url}>; rel="next"'
            return (
                200,
                headers,
                [
                    self._drift(account, payloads.mastodon_status(p, account, base), "created_at")
                    for p in chunk
                ],
            )
        if len(parts) == 4 and parts[:3] == ["api", "v1", "statuses"]:
            post = self.world.posts_by_id.get((Platform.MASTODON, parts[3]))
            owner = self.world.find(Platform.MASTODON, post.account) if post else None
            if post is None or owner is None or post.deleted:
                return 404, {}, {"error": "Record not found"}
            return 200, {}, payloads.mastodon_status(post, owner, base)
        return 404, {}, {"error": "Record not found"}

    # -- YouTube ---------------------------------------------------------------------------
    def _youtube(
        self, method: str, path: str, q: dict[str, list[str]], body: bytes
    ) -> tuple[int, dict, Any]:
        if path == "/channels":
            account = self.world.find(
                Platform.YOUTUBE, (q.get("id") or q.get("forHandle") or [""])[0]
            )
            if account is None or account.status != "active":
                return (
                    200,
                    {},
                    {"kind": "youtube#channelListResponse", "pageInfo": {"totalResults": 0}},
                )
            uploads = "UU" + account.native_id[2:]
            return (
                200,
                {},
                {
                    "items": [
                        {
                            "id": account.native_id,
                            "contentDetails": {"relatedPlaylists": {"uploads": uploads}},
                        }
                    ]
                },
            )
        if path == "/playlistItems":
            playlist = (q.get("playlistId") or [""])[0]
            account = self.world.find(Platform.YOUTUBE, "UC" + playlist[2:])
            if account is None:
                return (
                    404,
                    {},
                    {
                        "error": {
                            "code": 404,
                            "message": "playlistNotFound",
                            "errors": [{"reason": "playlistNotFound"}],
                        }
                    },
                )
            size = int((q.get("maxResults") or ["5"])[0])
            chunk, token = self._page(self._visible(account), q.get("pageToken", [""])[0], size)
            answer: dict[str, Any] = {
                "kind": "youtube#playlistItemListResponse",
                "items": [payloads.youtube_playlist_item(p, account) for p in chunk],
            }
            if token:
                answer["nextPageToken"] = token
            return 200, {}, answer
        if path == "/videos":
            items = []
            for vid in (q.get("id") or [""])[0].split(","):
                post = self.world.posts_by_id.get((Platform.YOUTUBE, vid))
                owner = self.world.find(Platform.YOUTUBE, post.account) if post else None
                if post and owner and not post.deleted:
                    items.append(self._drift(owner, payloads.youtube_video(post, owner), "snippet"))
            return 200, {}, {"kind": "youtube#videoListResponse", "items": items}
        return 404, {}, {"error": {"code": 404, "message": "not found"}}

    # -- TikTok ----------------------------------------------------------------------------
    def _tiktok(
        self, method: str, path: str, q: dict[str, list[str]], body: bytes
    ) -> tuple[int, dict, Any]:
        if path.rstrip("/") == "/v2/oauth/token":
            return (
                200,
                {},
                {"access_token": "clt.fake-token", "expires_in": 7200, "token_type": "Bearer"},
            )
        if path.rstrip("/") != "/v2/research/video/query":
            return 404, {}, {"error": {"code": "not_found", "message": path}}
        try:
            request = json.loads(body or b"{}")
            condition = request["query"]["and"][0]
            start = datetime.strptime(request["start_date"], "%Y%m%d").replace(tzinfo=UTC)
            end = datetime.strptime(request["end_date"], "%Y%m%d").replace(tzinfo=UTC)
        except (KeyError, ValueError, IndexError) as exc:
            return (
                400,
                {},
                {"error": {"code": "invalid_params", "message": str(exc), "log_id": "fake"}},
            )
        if (end - start).days > 30:
            return (
                400,
                {},
                {
                    "error": {
                        "code": "invalid_params",
                        "message": "date range exceeds 30 days",
                        "log_id": "fake",
                    }
                },
            )
        if condition["field_name"] == "video_id":
            wanted = {str(v) for v in condition["field_values"]}
            found = [
                (p, self.world.find(Platform.TIKTOK, p.account))
                for (pl, vid), p in self.world.posts_by_id.items()
                if pl is Platform.TIKTOK and vid in wanted and not p.deleted
            ]
            videos = [payloads.tiktok_video(p, a) for p, a in found if a]
            return (
                200,
                {},
                {
                    "data": {"videos": videos, "cursor": 0, "has_more": False, "search_id": "s"},
                    "error": {"code": "ok", "message": "", "log_id": "fake"},
                },
            )
        account = self.world.find(Platform.TIKTOK, condition["field_values"][0])
        posts = []
        if account is not None and account.status == "active":
            end_of_day = end.replace(hour=23, minute=59, second=59)
            posts = [p for p in self._visible(account) if start <= p.created_at <= end_of_day]
        size = int(request.get("max_count", 20))
        chunk, token = self._page(posts, str(request.get("cursor", 0)), size)
        data = {
            "videos": [payloads.tiktok_video(p, account) for p in chunk] if account else [],
            "cursor": int(token) if token else len(posts),
            "has_more": token is not None,
            "search_id": request.get("search_id") or "fake-search",
        }
        return 200, {}, {"data": data, "error": {"code": "ok", "message": "", "log_id": "fake"}}

    # -- control ---------------------------------------------------------------------------
    def _control(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if path == "/_fake/health":
            return (
                200,
                {},
                json.dumps(
                    {"ok": True, "posts": self.world.post_count, "requests": self.requests}
                ).encode(),
            )
        if path != "/_fake/control" or method != "POST":
            return 404, {}, b"{}"
        order = json.loads(body or b"{}")
        with self.world.lock:
            self.faults.update(order.get("faults", {}))
            for key in order.get("delete", []):
                platform, _, native = key.partition(":")
                post = self.world.posts_by_id.get((Platform(platform), native))
                if post:
                    post.deleted = True
            for key, text in order.get("edit", {}).items():
                platform, _, native = key.partition(":")
                post = self.world.posts_by_id.get((Platform(platform), native))
                if post:
                    post.edits.append(text)
            for key, status in order.get("status", {}).items():
                platform, _, handle = key.partition(":")
                account = self.world.find(Platform(platform), handle)
                if account:
                    account.status = status
        return 200, {}, b'{"ok": true}'

    base_url = ""


def make_handler(platforms: FakePlatforms) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body leave in one write; otherwise Nagle plus delayed ACKs stall every
        # keep-alive answer on loopback by ~40 ms.
        disable_nagle_algorithm = True
        wbufsize = 1 << 16

        def _serve(self, method: str) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, headers, data = platforms.handle(method, url.path, parse_qs(url.query), body)
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def log_message(self, format: str, *args: Any) -> None:  # quiet: tests and the demo
            return

    return Handler


class FakeServer:
    """The fake platforms on 127.0.0.1, in a background thread of this process."""

    def __init__(self, world: FakeWorld, port: int = 0, faults: Faults | None = None) -> None:
        self.platforms = FakePlatforms(world, faults)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), make_handler(self.platforms))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.platforms.base_url = self.url
        self._thread: threading.Thread | None = None

    def start(self) -> FakeServer:
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, name="fake-platforms", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
