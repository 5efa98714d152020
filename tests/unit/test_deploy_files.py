"""The deployment files stay valid and safe: docker-compose (v1) accepts the compose file, every
long-running service has a healthcheck, images are pinned, ports stay on 127.0.0.1, and every
variable the compose file needs is documented in .env.example without an empty secret."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()
ENV_EXAMPLE = (ROOT / ".env.example").read_text()
SECRET_NAME = re.compile(r"PASSWORD(?!S_FILE)|SECRET|TOKEN|_KEY$|ENCRYPTIONKEY|FERNET")
PLACEHOLDER = "change-me"


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE_TEXT)
    assert isinstance(loaded, dict)
    return loaded


def services() -> dict[str, dict[str, Any]]:
    return compose()["services"]


def environment(service: dict[str, Any]) -> dict[str, Any]:
    env = service.get("environment") or {}
    assert isinstance(env, dict), "write environment as a mapping"
    return env


def env_example() -> dict[str, str]:
    """Uncommented NAME=value lines of .env.example."""
    pairs = {}
    for line in ENV_EXAMPLE.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, sep, value = line.partition("=")
            assert sep, f"not NAME=value: {line!r}"
            pairs[name.strip()] = value.strip()
    return pairs


def documented_names() -> set[str]:
    """Names set in .env.example, or shown there commented out (`# NAME=…`)."""
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE, flags=re.M))


def one_shot(service: dict[str, Any]) -> bool:
    return service.get("restart") == "no"


def test_compose_services_and_no_secrets_inline() -> None:
    assert "name" not in compose()  # docker-compose v1 rejects a top-level name
    assert {
        "setup",
        "elasticsearch",
        "kibana",
        "api",
        "collect",
        "postgres",
        "redis",
        "airflow-init",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-triggerer",
        "airflow-worker",
    } <= set(services())
    for name, service in services().items():
        for key, value in environment(service).items():
            if SECRET_NAME.search(key) or re.search(r"://[^/\s]*:[^/\s]*@", str(value or "")):
                # a secret is passed through (no value) or interpolated from .env, never written
                assert value is None or "${" in str(value), f"{name}: {key} is inline"


def test_every_long_running_service_has_a_healthcheck_and_a_restart_policy() -> None:
    for name, service in services().items():
        if one_shot(service):
            continue
        assert service.get("restart") == "unless-stopped", name
        test = (service.get("healthcheck") or {}).get("test")
        assert test and test != ["NONE"], f"{name} has no healthcheck"


def test_one_shot_services_are_waited_for() -> None:
    waited = {
        dependency
        for service in services().values()
        for dependency, how in (service.get("depends_on") or {}).items()
        if how.get("condition") == "service_completed_successfully"
    }
    assert {"setup", "airflow-init"} <= waited
    for name in ("airflow-apiserver", "airflow-scheduler", "airflow-worker"):
        assert services()[name]["depends_on"]["airflow-init"] == {
            "condition": "service_completed_successfully"
        }
    assert services()["elasticsearch"]["depends_on"]["setup"]["condition"] == "service_healthy"


def test_images_are_pinned() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    for name, service in services().items():
        image = service.get("image")
        assert image, f"{name} names no image"
        repository, _, tag = image.rpartition(":")
        assert repository and "/" not in tag, f"{name}: {image} has no tag"
        assert tag != "latest" and re.search(r"\d", tag), f"{name}: {image} is not pinned"
        if repository == "netra":
            assert tag == version, f"{name}: tag the Netra image with pyproject's {version}"


def test_elasticsearch_runs_with_security_and_tls() -> None:
    es = environment(services()["elasticsearch"])
    assert es["xpack.security.enabled"] == "true"
    assert es["xpack.security.http.ssl.enabled"] == "true"
    assert es["xpack.security.transport.ssl.enabled"] == "true"
    assert services()["elasticsearch"]["image"].split(":")[-1].startswith("9.")
    for name in ("api", "airflow-worker"):
        env = environment(services()[name])
        # passed through from .env, where the line to set it names the TLS address
        assert "NETRA_ES_URL" in env and env["NETRA_ES_CA_CERTS"], name
    assert "# NETRA_ES_URL=https://elasticsearch:9200" in ENV_EXAMPLE
    # the CA key stays with setup and Elasticsearch: the others mount only the CA certificate
    for name, service in services().items():
        if any(str(volume).startswith("es-certs:") for volume in service.get("volumes") or []):
            assert name in {"setup", "elasticsearch"}, name


def test_ports_are_published_on_loopback_only() -> None:
    for name, service in services().items():
        for port in service.get("ports") or []:
            assert isinstance(port, str) and port.startswith("127.0.0.1:"), f"{name}: {port}"
    assert "ports" not in services()["postgres"] and "ports" not in services()["redis"]


def test_volumes_are_named() -> None:
    declared = set(compose()["volumes"])
    for name, service in services().items():
        for volume in service.get("volumes") or []:
            source = str(volume).split(":")[0]
            if source.startswith("./deploy/"):  # the setup scripts, read-only
                assert str(volume).endswith(":ro"), f"{name}: {volume}"
                assert (ROOT / source).is_file(), source
                continue
            assert source in declared, f"{name}: {volume} is not a named volume"


def test_every_variable_is_in_env_example() -> None:
    documented = documented_names()
    interpolated = set(re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)", COMPOSE_TEXT))
    assert interpolated, "the compose file reads its secrets from .env"
    assert interpolated <= set(env_example()), interpolated - set(env_example())
    passed_through = {
        key
        for service in services().values()
        for key, value in environment(service).items()
        if value is None
    }
    assert passed_through <= documented, passed_through - documented


def test_env_example_has_no_empty_secret_and_placeholders_for_required_ones() -> None:
    pairs = env_example()
    for name, value in pairs.items():
        assert value, f"{name} is empty in .env.example"
        if SECRET_NAME.search(name):
            assert value.startswith(PLACEHOLDER), f"{name}: a placeholder, not a real secret"
    # commented-out examples of optional secrets show what goes there, never an empty value
    for name, value in re.findall(r"^#\s*([A-Z][A-Z0-9_]*)=(.*)$", ENV_EXAMPLE, flags=re.M):
        assert value.strip(), f"# {name}= is empty in .env.example"
    # the one-shot services refuse every placeholder that is still in .env
    scripts = "".join(
        (ROOT / "deploy" / name).read_text() for name in ("es-setup.sh", "airflow-init.sh")
    )
    assert "change-me*" in scripts
    for name, value in pairs.items():
        if value.startswith(PLACEHOLDER):
            assert name in scripts, f"nothing refuses the placeholder of {name}"


@pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="Debian's docker-compose is not installed here"
)
def test_docker_compose_v1_accepts_the_file() -> None:
    done = subprocess.run(
        ["docker-compose", "--env-file", str(ROOT / ".env.example")]
        + ["-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="Debian's docker-compose is not installed here"
)
def test_docker_compose_v1_refuses_to_run_without_the_secrets(tmp_path: Path) -> None:
    empty = tmp_path / "empty.env"
    empty.write_text("")
    done = subprocess.run(
        ["docker-compose", "--env-file", str(empty)]
        + ["-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.returncode != 0 and "in .env" in done.stderr


def test_no_deployment_file_defaults_the_pseudonym_key_to_empty() -> None:
    # An empty key made dashboard pseudonyms an HMAC anyone holding a NIP could recompute.
    for service in services().values():
        assert "NETRA_PSEUDONYM_KEY" not in str(service.get("environment") or "")
    for line in ENV_EXAMPLE.splitlines():
        assert not line.startswith("NETRA_PSEUDONYM_KEY="), line
