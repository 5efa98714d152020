"""``netra dashboards import``: the Kibana saved objects in ``dashboards/netra.ndjson`` (data views
over the flags and review-events aliases, the Lens visualisations and the dashboard), sent to
Kibana's saved-objects import API with ``overwrite=true``, so importing again updates them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import httpx
import typer

from netra.commands.common import EXIT_FAILED, EXIT_OK, EXIT_REJECTED, err, fail, out
from netra.domain.settings import get_settings

SAVED_OBJECTS = Path(__file__).resolve().parents[2] / "dashboards" / "netra.ndjson"
TIMEOUT_S = 30.0

dashboards_app = typer.Typer(
    no_args_is_help=True, help="Kibana dashboards over the Elasticsearch store."
)


def register(app: typer.Typer) -> None:
    app.add_typer(dashboards_app, name="dashboards")


class KibanaError(Exception):
    """Kibana could not be reached, or refused the request as a whole."""


@dataclass(frozen=True)
class ObjectOutcome:
    type: str
    id: str
    title: str
    error: str | None = None  # None: imported


@dataclass(frozen=True)
class ImportResult:
    success: bool
    outcomes: list[ObjectOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[ObjectOutcome]:
        return [o for o in self.outcomes if o.error is not None]


def import_url(kibana_url: str, space: str | None) -> str:
    base = kibana_url.rstrip("/")
    if space and space != "default":
        base += f"/s/{quote(space, safe='')}"
    return f"{base}/api/saved_objects/_import?overwrite=true"


def auth_headers(api_key: str | None) -> dict[str, str]:
    headers = {"kbn-xsrf": "netra"}
    if api_key:
        headers["Authorization"] = f"ApiKey {api_key}"
    return headers


def import_saved_objects(
    kibana_url: str,
    ndjson: bytes,
    *,
    api_key: str | None = None,
    username: str | None = None,
    password: str | None = None,
    space: str | None = None,
    filename: str = "netra.ndjson",
    timeout: float = TIMEOUT_S,
) -> ImportResult:
    """POST the NDJSON as the multipart ``file`` field; per-object outcomes from Kibana's answer."""
    auth = (username, password or "") if username and not api_key else None
    try:
        response = httpx.post(
            import_url(kibana_url, space),
            headers=auth_headers(api_key),
            files={"file": (filename, ndjson, "application/ndjson")},
            auth=auth,
            timeout=timeout,
        )
    except httpx.HTTPError as exc:
        raise KibanaError(f"Kibana not reached: {type(exc).__name__}: {exc}") from exc
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if response.status_code != 200 or not isinstance(body, dict):
        message = body.get("message") if isinstance(body, dict) else None
        raise KibanaError(
            f"Kibana answered HTTP {response.status_code}"
            + (f": {message}" if message else f": {response.text[:200]}")
        )
    return parse_import_response(body)


def parse_import_response(body: dict[str, Any]) -> ImportResult:
    outcomes = [
        ObjectOutcome(
            type=str(item.get("type", "?")),
            id=str(item.get("destinationId") or item.get("id", "?")),
            title=str((item.get("meta") or {}).get("title", "")),
        )
        for item in body.get("successResults") or []
    ]
    for item in body.get("errors") or []:
        outcomes.append(
            ObjectOutcome(
                type=str(item.get("type", "?")),
                id=str(item.get("id", "?")),
                title=str(item.get("title") or (item.get("meta") or {}).get("title", "")),
                error=describe_error(item.get("error") or {}),
            )
        )
    return ImportResult(success=bool(body.get("success")), outcomes=outcomes)


def describe_error(error: dict[str, Any]) -> str:
    kind = str(error.get("type", "unknown"))
    if kind == "missing_references":
        missing = ", ".join(
            f"{ref.get('type')}/{ref.get('id')}" for ref in error.get("references") or []
        )
        return f"missing_references: {missing}"
    detail = error.get("message") or error.get("reason")
    return f"{kind}: {detail}" if detail else kind


@dashboards_app.command("import")
def import_command(
    kibana_url: Annotated[
        str,
        typer.Option("--kibana-url", envvar="NETRA_KIBANA_URL", help="e.g. http://kibana:5601"),
    ],
    api_key: Annotated[
        str | None,
        typer.Option("--api-key", envvar="NETRA_KIBANA_API_KEY", help="Kibana/ES API key"),
    ] = None,
    username: Annotated[
        str | None, typer.Option("--username", envvar="NETRA_KIBANA_USERNAME")
    ] = None,
    password: Annotated[
        str | None, typer.Option("--password", envvar="NETRA_KIBANA_PASSWORD")
    ] = None,
    space: Annotated[
        str | None, typer.Option("--space", help="Kibana space id (default: the default space)")
    ] = None,
    file: Annotated[Path, typer.Option("--file", help="saved objects (NDJSON)")] = SAVED_OBJECTS,
) -> None:
    """Import the Netra data views, visualisations and dashboard into Kibana (overwriting).
    Without --api-key or --username, NETRA_ES_API_KEY is used if set."""
    if not api_key and not username:
        settings_key = get_settings().es_api_key
        api_key = settings_key.get_secret_value() if settings_key else None
    try:
        ndjson = file.read_bytes()
    except OSError as exc:
        raise fail(f"{file}: {exc.strerror or exc}") from exc
    try:
        result = import_saved_objects(
            kibana_url,
            ndjson,
            api_key=api_key,
            username=username,
            password=password,
            space=space,
            filename=file.name,
        )
    except KibanaError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(EXIT_FAILED) from exc
    for outcome in result.outcomes:
        name = f"{outcome.type} {outcome.id}" + (f" ({outcome.title})" if outcome.title else "")
        if outcome.error is None:
            out.print(f"ok      {name}", markup=False)
        else:
            err.print(f"failed  {name}: {outcome.error}", markup=False)
    imported = len(result.outcomes) - len(result.failed)
    out.print(f"{imported} objects imported, {len(result.failed)} failed", markup=False)
    raise typer.Exit(EXIT_OK if result.success and not result.failed else EXIT_REJECTED)
