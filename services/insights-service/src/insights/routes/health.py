from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from insights.dapr import Sidecar
from insights.metrics import CONTENT_TYPE, Metrics


def health_routes(sidecar: Sidecar, metrics: Metrics) -> APIRouter:
    """/healthz: the process is alive. /readyz: it can also reach its sidecar, so it can do work.
    /metrics: Prometheus, open to the scrape like the probes (no app token)."""
    router = APIRouter()

    @router.get("/metrics")
    async def prometheus() -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        ready = await sidecar.is_ready()
        return JSONResponse({"status": "ready" if ready else "sidecar-unavailable"}, status_code=200 if ready else 503)

    return router
