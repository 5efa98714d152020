"""Health and Prometheus metrics (no token: they carry no personal data)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from api.deps import SettingsDep, StoreDep
from api.metrics import render
from api.schemas import Health
from classifiers.model import current_version

router = APIRouter(tags=["system"])


@router.get("/healthz", response_model=Health)
def healthz(store: StoreDep, settings: SettingsDep, response: Response) -> Health:
    described = store.describe()
    reachable = "ok" if described.ok else f"error: {described.reason}"
    model = current_version(settings.model_dir)
    healthy = reachable == "ok" and model is not None
    response.status_code = 200 if healthy else 503
    return Health(
        ok=healthy,
        store=reachable,
        schema_version=described.schema_version,
        model=model,
        flags=described.counts.get("flags") if described.ok else None,
    )


@router.get("/metrics", response_class=Response, summary="Prometheus text format")
def metrics(request: Request, store: StoreDep) -> Response:
    """Every API worker's and pipeline process's metrics, added up, and the queue by status."""
    return Response(
        render(request.app.state.metrics_dir, store), media_type=CONTENT_TYPE_PLAIN_0_0_4
    )
