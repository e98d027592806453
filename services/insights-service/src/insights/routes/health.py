from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from insights.dapr import Sidecar


def health_routes(sidecar: Sidecar) -> APIRouter:
    """/healthz: the process is alive. /readyz: it can also reach its sidecar, so it can do work."""
    router = APIRouter()

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        ready = await sidecar.is_ready()
        return JSONResponse({"status": "ready" if ready else "sidecar-unavailable"}, status_code=200 if ready else 503)

    return router
