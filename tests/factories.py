"""Small builders for domain objects used across the test suite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from netra.domain.models import (
    Category,
    Flag,
    FlagOrigin,
    FlagStatus,
    Person,
    Platform,
    Post,
    ReviewEvent,
    Score,
    SocialAccount,
)

T0 = datetime(2024, 10, 1, 0, 0, tzinfo=UTC)


def person(
    nip: str = "198503122010011003",
    agency: str = "Dinas Kesehatan",
    region: str = "64.71",
    accounts: list[SocialAccount] | None = None,
    name: str = "Rina Saputra",
) -> Person:
    return Person(
        nip=nip,
        name=name,
        employment_type="PNS",
        agency=agency,
        region_code=region,
        region_name="Kota Balikpapan" if region == "64.71" else "Provinsi Kalimantan Timur",
        accounts=accounts
        if accounts is not None
        else [SocialAccount(platform="x", handle=f"u{nip[-4:]}")],
    )


def post(
    native: str,
    text: str = "apel pagi",
    platform: Platform = Platform.X,
    hours: float = 0,
    nip: str | None = "198503122010011003",
    **extra,
) -> Post:
    created = T0 + timedelta(hours=hours)
    extra.setdefault("collected_at", created + timedelta(minutes=30))
    extra.setdefault("account_handle", "u1003")
    return Post(
        id=Post.make_id(platform, native),
        platform=platform,
        native_id=native,
        person_nip=nip,
        text=text,
        created_at=created,
        raw={"id": native, "text": text, **extra.pop("raw_extra", {})},
        **extra,
    )


def score(p: float = 0.9, category: Category = Category.DUKUNGAN) -> Score:
    return Score(
        probability=p,
        threshold=0.5,
        flagged=p >= 0.5,
        category=category,
        model_version="test",
        scored_at=T0,
    )


def flag(
    the_post: Post,
    p: float = 0.9,
    category: Category = Category.DUKUNGAN,
    hours: float = 1,
    status: FlagStatus = FlagStatus.NEW,
    origin: FlagOrigin = FlagOrigin.CLASSIFIER,
    assignees: list[str] | None = None,
) -> Flag:
    at = T0 + timedelta(hours=hours)
    return Flag(
        id=the_post.id,
        post_id=the_post.id,
        score=score(p, category),
        category=category,
        status=status,
        origin=origin,
        assignees=assignees or [],
        created_at=at,
        updated_at=at,
    )


def event(
    flag_id: str, to: FlagStatus | None, actor: str = "ana", action: str = "claim", **kw
) -> ReviewEvent:
    return ReviewEvent(
        flag_id=flag_id, actor=actor, action=action, at=T0 + timedelta(days=1), to_status=to, **kw
    )
