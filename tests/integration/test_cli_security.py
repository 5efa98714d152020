"""Deployment defaults through the `netra` command: serve warns and refuses, settings mask."""

from __future__ import annotations

from pathlib import Path

import pytest
import uvicorn
from typer.testing import CliRunner

from netra import cli
from netra.domain.models import Role

WARNING = "warning: serving plain HTTP on"


@pytest.fixture()
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """uvicorn.run recorded, not run: what is under test is what serve says before it."""
    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    return calls


def test_serving_beyond_loopback_without_tls_warns(served: list[dict]) -> None:
    result = CliRunner().invoke(cli.app, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 0 and WARNING in result.output and "TLS" in result.output
    assert served[0]["host"] == "0.0.0.0"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_loopback_serves_quietly(served: list[dict], host: str) -> None:
    result = CliRunner().invoke(cli.app, ["serve", "--host", host])
    assert result.exit_code == 0 and WARNING not in result.output


def test_a_tls_proxy_in_front_silences_the_warning(
    served: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETRA_BEHIND_TLS_PROXY", "true")
    result = CliRunner().invoke(cli.app, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 0 and WARNING not in result.output


def test_serve_refuses_a_weak_pseudonym_key(
    served: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETRA_PSEUDONYM_KEY", "kunci-lemah-123")
    result = CliRunner().invoke(cli.app, ["serve"])
    assert result.exit_code != 0 and "shorter than 32 bytes" in result.output
    assert "kunci-lemah-123" not in result.output and served == []


def test_settings_mask_credentials_in_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "encoder_in_use", lambda settings: "stub")  # no model loading here
    monkeypatch.setenv("NETRA_ES_URL", "https://elastic:rahasia@es.example:9200")
    monkeypatch.setenv("NETRA_PLATFORM_URL", "http://tamu@127.0.0.1:8181/")
    monkeypatch.setenv("NETRA_SMTP_PASSWORD", "sandi-smtp")
    result = CliRunner().invoke(cli.app, ["settings"])
    assert result.exit_code == 0, result.output
    assert "rahasia" not in result.output and "elastic" not in result.output
    assert "tamu" not in result.output and "sandi-smtp" not in result.output
    assert "https://***@es.example:9200" in result.output
    assert "http://***@127.0.0.1:8181/" in result.output


def test_each_demo_run_gives_the_same_demo_users_new_tokens(tmp_path: Path) -> None:
    from netra.domain.access import hash_token
    from netra.store.sqlite import SqliteStore

    store = SqliteStore(tmp_path / "demo.db")
    try:
        first, second = cli.demo_tokens(store), cli.demo_tokens(store)  # names are never reused
        assert set(first) == set(second) == {role.value for role in Role}
        for role in Role:
            assert store.user_by_token_hash(hash_token(first[role.value])) is None
            user = store.user_by_token_hash(hash_token(second[role.value]))
            assert user is not None and user.name == f"demo-{role.value}" and user.role is role
        assert all(user.active for user in store.list_users())
    finally:
        store.close()
