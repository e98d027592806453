from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import APIRouter, Request

from insights.dapr import StateStore
from insights.domain.projection import insights
from insights.domain.store import Models, read_meta
from insights.http import AppError
from insights.schemas import InsightsResponse

# Same bounds as InsightsQuery in packages/contracts/src/insights.ts.
LIMITS = {"days": (1, 366, 30), "weeks": (1, 104, 12)}


def _query(request: Request) -> dict[str, int]:
    """Strict, like the zod strictObject: unknown parameters are an error, not silently ignored."""
    errors: list[dict[str, str]] = []
    values: dict[str, int] = {}
    for name in request.query_params:
        if name not in LIMITS:
            errors.append({"path": name, "message": "unknown query parameter"})
    for name, (low, high, default) in LIMITS.items():
        raw = request.query_params.get(name)
        if raw is None:
            values[name] = default
        elif not raw.isdigit() or not low <= int(raw) <= high:
            errors.append({"path": name, "message": f"must be an integer from {low} to {high}"})
        else:
            values[name] = int(raw)
    if errors:
        raise AppError(400, "validation-failed", "request is invalid", errors)
    return values


def insights_routes(state: StateStore, clock: Callable[[], datetime]) -> APIRouter:
    router = APIRouter()
    models = Models(state)

    @router.get("/insights")
    async def get_insights(request: Request) -> InsightsResponse:
        # Set by the gateway from the verified JWT; only the sidecar (app token) can reach this route.
        user = request.headers.get("x-user-id")
        if not user:
            raise AppError(401, "missing-user", "x-user-id header is required")
        q = _query(request)
        generation = (await read_meta(state))["live"]
        facts = await models.facts(generation, user)
        body = insights(facts, clock(), q["days"], q["weeks"])
        return InsightsResponse.model_validate({"userId": user, "generation": generation, **body})

    return router
