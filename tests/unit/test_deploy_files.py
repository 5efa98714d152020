"""The deployment files stay valid: docker-compose (v1) accepts the compose file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_services_and_no_secrets_inline() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert "name" not in compose  # docker-compose v1 rejects a top-level name
    assert {"api", "scheduler", "collect", "elasticsearch", "kibana"} <= set(compose["services"])
    for service in compose["services"].values():
        for value in (
            (service.get("environment") or {}).values()
            if isinstance(service.get("environment"), dict)
            else []
        ):
            assert str(value).startswith("${"), "secrets come from the environment, not the file"


@pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="Debian's docker-compose is not installed here"
)
def test_docker_compose_v1_accepts_the_file() -> None:
    done = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr


def test_no_deployment_file_defaults_the_pseudonym_key_to_empty() -> None:
    # An empty key made dashboard pseudonyms an HMAC anyone holding a NIP could recompute.
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for service in compose["services"].values():
        assert "NETRA_PSEUDONYM_KEY" not in str(service.get("environment") or "")
    for line in (ROOT / ".env.example").read_text().splitlines():
        assert not line.startswith("NETRA_PSEUDONYM_KEY="), line
