"""The fake platforms' data: accounts taken from a registry, and posts over a span of days in the
labelled corpus's style (about 10 % partisan). Deterministic for a seed. Everything fictional.

The world also holds what tests switch on at run time: deleted and edited posts, suspended and
protected accounts.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from netra.domain.models import Person, Platform, PostKind

API_PLATFORMS = {Platform.X, Platform.BLUESKY, Platform.MASTODON, Platform.YOUTUBE, Platform.TIKTOK}


@dataclass
class FakePost:
    seq: int  # global order of creation; ids derive from it
    platform: Platform
    account: str  # handle
    text: str
    created_at: datetime
    kind: PostKind = PostKind.POST
    media: list[str] = field(default_factory=list)
    likes: int = 0
    partisan: bool = False
    deleted: bool = False
    edits: list[str] = field(default_factory=list)  # later texts, newest last

    @property
    def current_text(self) -> str:
        return self.edits[-1] if self.edits else self.text


@dataclass
class FakeAccount:
    platform: Platform
    handle: str
    native_id: str
    status: str = "active"  # active, not_found, suspended, protected
    posts: list[FakePost] = field(default_factory=list)  # newest first


class FakeWorld:
    def __init__(self) -> None:
        self.accounts: dict[tuple[Platform, str], FakeAccount] = {}
        self.by_native: dict[tuple[Platform, str], FakeAccount] = {}
        self.posts_by_id: dict[tuple[Platform, str], FakePost] = {}
        self.lock = threading.RLock()

    def add_account(self, platform: Platform, handle: str, native_id: str) -> FakeAccount:
        account = FakeAccount(platform, handle, native_id)
        self.accounts[(platform, handle.lower())] = account
        self.by_native[(platform, native_id.lower())] = account
        return account

    def find(self, platform: Platform, key: str) -> FakeAccount | None:
        key = key.lower().lstrip("@")
        return self.by_native.get((platform, key)) or self.accounts.get((platform, key))

    def add_post(self, account: FakeAccount, post: FakePost) -> None:
        from collectors.fake.payloads import native_id  # ids are a payload concern

        account.posts.append(post)
        account.posts.sort(key=lambda p: p.created_at, reverse=True)
        self.posts_by_id[(account.platform, native_id(post))] = post

    @property
    def post_count(self) -> int:
        return sum(len(a.posts) for a in self.accounts.values())


Sample = tuple[str, str | None]  # (text, media description)


def build_world(
    people: list[Person],
    partisan: list[Sample],
    neutral: list[Sample],
    posts_per_account: int = 10,
    days: int = 30,
    partisan_share: float = 0.1,
    seed: int = 27,
    end: datetime | None = None,
) -> FakeWorld:
    """A world for the registered accounts on API platforms, ``posts_per_account`` on average
    (activity skewed: some accounts post much more than others)."""
    rng = random.Random(seed)
    end = end or datetime.now(UTC).replace(microsecond=0)
    world = FakeWorld()
    seq = 0
    for person in people:
        for account in person.accounts:
            if account.platform not in API_PLATFORMS:
                continue
            fake = world.add_account(
                account.platform, account.handle, account.native_id or account.handle
            )
            count = max(1, int(rng.expovariate(1 / posts_per_account)))
            for _ in range(count):
                seq += 1
                is_partisan = rng.random() < partisan_share
                text, media = rng.choice(partisan if is_partisan else neutral)
                created = end - timedelta(seconds=rng.randrange(days * 86_400))
                kind = rng.choices([PostKind.POST, PostKind.REPLY, PostKind.REPOST], (80, 14, 6))[0]
                if account.platform in (Platform.YOUTUBE, Platform.TIKTOK):
                    kind = PostKind.POST
                world.add_post(
                    fake,
                    FakePost(
                        seq=seq,
                        platform=account.platform,
                        account=account.handle,
                        text=text,
                        created_at=created,
                        kind=kind,
                        media=[media] if media else [],
                        likes=rng.randrange(200),
                        partisan=is_partisan,
                    ),
                )
    return world
