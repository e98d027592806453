from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from insights.domain.rebuild import Rebuilder
from insights.schemas import InsightsRebuildStatus

STATUS_PATH = "/admin/insights/rebuild"


def admin_routes(rebuilder: Rebuilder) -> APIRouter:
    """The gateway lets only admins reach /api/admin/* (like dead-letter-service's admin API)."""
    router = APIRouter()

    @router.post(STATUS_PATH, status_code=202)
    async def rebuild() -> JSONResponse:
        status = InsightsRebuildStatus.model_validate(await rebuilder.request())
        return JSONResponse(status.model_dump(), status_code=202, headers={"location": STATUS_PATH})

    @router.get(STATUS_PATH)
    async def rebuild_status() -> InsightsRebuildStatus:
        return InsightsRebuildStatus.model_validate(await rebuilder.status())

    return router
