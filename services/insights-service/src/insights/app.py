"""create_app(deps): the whole service as an ASGI app; it never listens (main.py does)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from fastapi import FastAPI

from insights.dapr import Sidecar, StateStore
from insights.domain.ingest import Ingest
from insights.domain.rebuild import Rebuilder
from insights.http import install
from insights.logs import Logger
from insights.metrics import Metrics, create_metrics
from insights.routes.admin import admin_routes
from insights.routes.health import health_routes
from insights.routes.insights import insights_routes
from insights.routes.subscriptions import subscription_routes


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Deps:
    state: StateStore
    sidecar: Sidecar
    logger: Logger
    # APP_API_TOKEN: when set, only callers holding it (the sidecar) get past the probes.
    app_api_token: str | None = None
    clock: Callable[[], datetime] = utc_now
    rebuild_stale_seconds: float = 30.0
    # Resume rebuilds whose owner died (off in unit tests that drive it by hand).
    supervise_rebuilds: bool = True
    rebuilder: Rebuilder | None = field(default=None)
    # The app's own Prometheus registry; tests get one without process metrics.
    metrics: Metrics | None = field(default=None)


def create_app(deps: Deps) -> FastAPI:
    rebuilder = deps.rebuilder or Rebuilder(deps.state, deps.logger, deps.clock, deps.rebuild_stale_seconds)
    metrics = deps.metrics or create_metrics("insights-service", process_metrics=False)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        supervisor = asyncio.create_task(rebuilder.supervise()) if deps.supervise_rebuilds else None
        yield
        if supervisor:
            supervisor.cancel()
        if rebuilder.worker and not rebuilder.worker.done():
            rebuilder.worker.cancel()  # its heartbeat stops: a replica (or this app restarted) resumes it

    # An internal service reached through daprd: no docs UI; the public contract is the gateway's.
    app = FastAPI(title="insights-service", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.rebuilder = rebuilder
    app.state.metrics = metrics
    install(app, deps.logger, deps.app_api_token, metrics)
    app.include_router(health_routes(deps.sidecar, metrics))
    app.include_router(subscription_routes(Ingest(deps.state), deps.logger, metrics, deps.clock))
    app.include_router(insights_routes(deps.state, deps.clock))
    app.include_router(admin_routes(rebuilder))
    return app
