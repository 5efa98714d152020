from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from netra.domain.models import Post, evidence_hash


def _post(created: datetime) -> Post:
    return Post(
        id="x:1",
        platform="x",
        native_id="1",
        account_handle="a",
        text="t",
        created_at=created,
        collected_at=created,
        raw={"b": 1, "a": [1, 2]},
    )


def test_times_are_normalised_to_utc() -> None:
    wita = timezone(timedelta(hours=8))
    post = _post(datetime(2024, 11, 27, 7, 0, tzinfo=wita))
    assert post.created_at.utcoffset() == timedelta(0) and post.created_at.hour == 23


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValidationError, match="timezone-aware"):
        _post(datetime(2024, 11, 27, 7, 0))


def test_evidence_hash_ignores_key_order_but_not_content() -> None:
    assert evidence_hash({"a": 1, "b": "é"}) == evidence_hash({"b": "é", "a": 1})
    assert evidence_hash({"a": 1}) != evidence_hash({"a": 2})
    post = _post(datetime(2024, 1, 1, tzinfo=UTC)).with_evidence_hash()
    assert post.raw_sha256 == evidence_hash({"a": [1, 2], "b": 1})


def test_account_handles_lose_the_at_sign() -> None:
    from netra.domain.models import SocialAccount

    account = SocialAccount(platform="x", handle=" @Rina_S ")
    assert account.handle == "Rina_S" and account.key == ("x", "rina_s")
