"""Each platform's mapping, from fixture payloads that follow the public API references
(tests/fixtures/platforms/, notes in collectors/API_NOTES.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from collectors import bluesky, mastodon, tiktok, x, youtube
from collectors.base import CheckpointState, Target, map_items
from collectors.files import PublicReport, import_meta_export, map_report
from netra.domain.models import AccountStatus, Platform, PostKind, SocialAccount, evidence_hash

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "platforms"
NOW = datetime(2025, 3, 15, tzinfo=UTC)
NIP = "198503122010011003"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def target(platform: str, handle: str, native: str | None = None) -> Target:
    return Target(SocialAccount(platform=platform, handle=handle, native_id=native), NIP)


def test_x_timeline_kinds_media_and_metrics() -> None:
    page = load("x_user_tweets_page1.json")
    media = {m["media_key"]: m for m in page["includes"]["media"]}
    posts = [
        x.map_tweet(t, media, target("x", "warta", "1500000000000000001"), NOW)
        for t in page["data"]
    ]
    by_kind = {p.kind: p for p in posts}
    assert set(by_kind) == {PostKind.POST, PostKind.REPLY, PostKind.QUOTE}
    assert by_kind[PostKind.REPLY].parent_id == "x:1900000000000000110"
    assert by_kind[PostKind.POST].media and "relawan" in by_kind[PostKind.POST].media[0]
    assert by_kind[PostKind.POST].engagement.likes == 230
    assert all(p.person_nip == NIP and p.created_at.tzinfo for p in posts)
    assert posts[0].raw["tweet"] == page["data"][0]  # the payload is kept verbatim


def test_x_edit_keeps_the_original_id() -> None:
    tweet = dict(load("x_user_tweets_page1.json")["data"][0])
    tweet["edit_history_tweet_ids"] = ["1900000000000000131", "1900000000000000199"]
    tweet["id"] = "1900000000000000199"
    post = x.map_tweet(tweet, {}, target("x", "warta"), NOW)
    assert post.id == "x:1900000000000000131"


@pytest.mark.parametrize(
    "fixture, status",
    [
        ("x_error_not_found.json", AccountStatus.NOT_FOUND),
        ("x_error_suspended.json", AccountStatus.SUSPENDED),
    ],
)
def test_x_account_errors(fixture: str, status: AccountStatus) -> None:
    gone = x.account_error(load(fixture))
    assert gone is not None and gone.status is status


def test_bluesky_feed_repost_reply_and_alt_text() -> None:
    account = target("bluesky", "warta-nusantara.bsky.social", "did:plc:w4rt4nus4nt4r4x7k2q5m3bz")
    feed = (
        load("bluesky_author_feed_page1.json")["feed"]
        + load("bluesky_author_feed_page2.json")["feed"]
    )
    posts = [bluesky.map_feed_item(item, account, NOW) for item in feed]
    kinds = [p.kind for p in posts]
    assert (
        kinds.count(PostKind.REPOST) == 1
        and kinds.count(PostKind.REPLY) == 1
        and kinds.count(PostKind.QUOTE) == 1
    )
    assert posts[0].media and posts[0].url.startswith("https://bsky.app/profile/")
    repost = posts[kinds.index(PostKind.REPOST)]
    assert repost.parent_id and repost.parent_id != repost.id


def test_mastodon_html_boost_reply_and_description() -> None:
    account = target("mastodon", "kabarlestari@warga.example", "1")
    posts = [mastodon.map_status(s, account, NOW) for s in load("mastodon_statuses.json")]
    assert [p.kind for p in posts][:3] == [PostKind.REPOST, PostKind.REPLY, PostKind.POST]
    assert "<p>" not in posts[0].text and posts[0].text.startswith("Dapur umum")
    assert posts[2].media and "jembatan" in posts[2].media[0].lower()
    assert mastodon.html_to_text("<p>a &amp; b<br>c</p><p>d</p>") == "a & b\nc\nd"


def test_youtube_video_and_string_statistics() -> None:
    videos = load("youtube_videos.json")["items"]
    post = youtube.map_video(videos[0], target("youtube", "warta", "UCwN4rT4nUs4nT4rAk3b4rL0"), NOW)
    assert post.id == "youtube:Wn7bAnj1r01" and post.engagement.views == 15320
    assert post.text.startswith("Banjir Kota Lestari") and "posko" in post.text


def test_tiktok_epoch_time_and_speech() -> None:
    video = load("tiktok_video_query_page1.json")["data"]["videos"][0]
    post = tiktok.map_video(video, target("tiktok", "wartanusantara.id"), NOW)
    assert post.created_at == datetime.fromtimestamp(video["create_time"], tz=UTC)
    assert post.media[0].startswith("ucapan dalam video")


@pytest.mark.parametrize(
    "fixture", ["meta_content_library_export.csv", "meta_content_library_export.json"]
)
def test_meta_export_keeps_registered_owners_only(fixture: str) -> None:
    owners = {("facebook", "wartanusantara.id"): ("wartanusantara.id", NIP)}
    result = import_meta_export(FIXTURES / fixture, Platform.FACEBOOK, owners)
    assert result.posts and not result.quarantined
    assert all(p.platform is Platform.FACEBOOK and p.person_nip == NIP for p in result.posts)
    assert all(p.created_at.tzinfo for p in result.posts)
    nobody = import_meta_export(FIXTURES / fixture, Platform.FACEBOOK, {})
    assert nobody.posts == [] and nobody.not_registered == result.rows


def test_schema_drift_is_quarantined_not_dropped() -> None:
    tweets = load("x_user_tweets_page1.json")["data"]
    broken = {k: v for k, v in tweets[1].items() if k != "text"}
    posts, quarantined = map_items(
        Platform.X,
        "warta",
        [tweets[0], broken, tweets[2]],
        lambda t: x.map_tweet(t, {}, target("x", "warta"), NOW),
        NOW,
    )
    assert len(posts) == 2
    [item] = quarantined
    assert item.raw == broken and "text" in item.error


def test_public_report_links_a_registered_profile_and_hides_the_contact() -> None:
    owners = {("x", "rina_s"): ("rina_s", NIP)}
    report = PublicReport(
        url="https://x.com/rina_s/status/123",
        text="ayo pilih nomor 2",
        screenshot_description=None,
        reporter_note="dilihat pagi ini",
        reporter_contact="warga@example.org",
    )
    post = map_report(report, owners, NOW)
    assert post.platform is Platform.REPORT and post.person_nip == NIP
    assert "warga@example.org" not in json.dumps(post.model_dump(mode="json"))
    assert post.raw_sha256 == "" and evidence_hash(post.raw)
    with pytest.raises(ValueError, match="needs a URL"):
        map_report(PublicReport(None, None, None, "note", None), owners, NOW)


def test_checkpoint_state_round_trip_and_legacy_value() -> None:
    state = CheckpointState(mark="10", resume="tok", run_mark="20", extra={"user_id": "1"})
    assert CheckpointState.load(state.dump()) == state
    assert CheckpointState.load("12345").mark == "12345"
    assert CheckpointState.load(None) == CheckpointState()
