"""Every setting is documented in README.md, and settings behave as documented."""

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from netra.domain.settings import Settings, StoreBackend

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_in_the_readme_table() -> None:
    documented = set(re.findall(r"^\|\s*`(NETRA_[A-Z0-9_]+)`", README.read_text(), flags=re.M))
    expected = {f"NETRA_{name.upper()}" for name in Settings.model_fields}
    assert expected - documented == set(), "settings missing from README.md"
    assert documented - expected == set(), "README.md documents settings that do not exist"


def test_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NETRA_DB_PATH")
    settings = Settings()
    assert str(settings.db_path) == "var/netra.db" and settings.timezone == "Asia/Makassar"
    assert settings.effective_backend is StoreBackend.SQLITE
    monkeypatch.setenv("NETRA_ES_URL", "http://127.0.0.1:9200")
    assert Settings().effective_backend is StoreBackend.ELASTICSEARCH


def test_unknown_timezone_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETRA_TIMEZONE", "Asia/Balikpapan")
    with pytest.raises(ValidationError, match="unknown time zone"):
        Settings()


def test_dotenv_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NETRA_DB_PATH")
    (tmp_path / ".env").write_text("NETRA_DB_PATH=elsewhere.db\n")
    assert str(Settings().db_path) == "elsewhere.db"


def test_digest_recipients_are_read_from_json_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETRA_DIGEST_RECIPIENTS", '{"64.71": ["panwas@bpp.example.id"]}')
    assert Settings().digest_recipients == {"64.71": ["panwas@bpp.example.id"]}
    monkeypatch.setenv("NETRA_DIGEST_RECIPIENTS", '{"64.71": ["panwas"]}')
    with pytest.raises(ValidationError, match="region '64.71': 'panwas' is not an e-mail address"):
        Settings()


def test_the_morning_digest_covers_the_previous_local_day() -> None:
    from datetime import UTC, date, datetime

    from netra.pipeline import previous_day

    # 00:30 WITA on 21 November is still 20 November in UTC: the digest covers the 20th.
    assert previous_day(Settings(), datetime(2026, 11, 20, 16, 30, tzinfo=UTC)) == date(
        2026, 11, 20
    )
    assert previous_day(Settings(), datetime(2026, 11, 20, 15, 30, tzinfo=UTC)) == date(
        2026, 11, 19
    )
