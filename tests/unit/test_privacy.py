"""Pseudonyms for dashboards: a strong key, made once and kept private, or the API refuses."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from api.app import create_app
from netra.domain.privacy import (
    KEY_FILE,
    WeakPseudonymKey,
    flag_pseudonym,
    pseudonym,
    pseudonym_key,
)
from netra.domain.settings import Settings

WEAK = "kunci-lemah-123"


def test_an_empty_key_counts_as_unset_and_a_strong_one_is_made_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETRA_PSEUDONYM_KEY", "")  # the old docker-compose and .env default
    key = pseudonym_key(Settings())
    assert len(key) >= 32 and key != b""
    path = tmp_path / "var" / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert pseudonym_key(Settings()) == key  # stable across restarts
    assert [p.name for p in path.parent.iterdir()] == [KEY_FILE]  # no temporary left behind


def test_a_short_key_is_refused_without_showing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETRA_PSEUDONYM_KEY", WEAK)
    with pytest.raises(WeakPseudonymKey, match="shorter than 32 bytes") as refused:
        pseudonym_key(Settings())
    assert WEAK not in str(refused.value)
    with pytest.raises(WeakPseudonymKey):
        create_app(Settings())  # no API, hence no dashboard, on a guessable key


def test_a_short_key_file_is_refused_too(tmp_path: Path) -> None:
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / KEY_FILE).write_text("abc\n")
    with pytest.raises(WeakPseudonymKey, match=KEY_FILE):
        pseudonym_key(Settings())


def test_flag_pseudonyms_differ_from_person_pseudonyms_and_need_the_key() -> None:
    key, other = b"k" * 32, b"o" * 32
    assert flag_pseudonym("x:123", key).startswith("f-") and pseudonym("123", key).startswith("p-")
    assert flag_pseudonym("x:123", key) == flag_pseudonym("x:123", key)
    assert flag_pseudonym("x:123", key) != flag_pseudonym("x:123", other)
    assert "123" not in flag_pseudonym("x:123", key)
