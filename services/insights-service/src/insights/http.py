"""The house middleware, in Python: request context for logs (request id, traceparent), the sidecar's
app token on every route but the probes, and one error map to application/problem+json with the same
codes as the TypeScript services."""

from __future__ import annotations

import hmac
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from insights.dapr import EtagMismatchError, SidecarError
from insights.domain.store import ConflictError
from insights.logs import Logger, log_context
from insights.metrics import Metrics

PROBLEM = "application/problem+json"
PROBE_PATHS = {"/healthz", "/readyz", "/metrics"}
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class AppError(Exception):
    def __init__(self, status: int, code: str, detail: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.errors = status, code, detail, errors


def problem(
    status: int, code: str, detail: str | None = None, errors: list[dict[str, str]] | None = None
) -> JSONResponse:
    body: dict[str, Any] = {"type": f"urn:todo:problem:{code}", "title": TITLES.get(status, "Error"), "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    headers = {"retry-after": "5"} if status == 503 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def install(app: FastAPI, logger: Logger, app_api_token: str | None, metrics: Metrics) -> None:
    want = app_api_token.encode() if app_api_token else None

    def observe(request: Request, status: int, started: float) -> None:
        # The route template (`/events/task-events`), never the raw path: ids must not become labels.
        route = getattr(request.scope.get("route"), "path", None) or "(unmatched)"
        metrics.http.labels(metrics.app_id, request.method, route, str(status)).observe(time.perf_counter() - started)

    @app.middleware("http")
    async def context(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request_id = request.headers.get("x-request-id") or str(uuid.uuid4())
        fields = {"requestId": request_id}
        if traceparent := request.headers.get("traceparent"):
            fields["traceparent"] = traceparent
        token = log_context.set(fields)
        started = time.perf_counter()
        try:
            # daprd sends APP_API_TOKEN as dapr-api-token; no SDK checks it, so we do (constant time).
            if want is not None and request.url.path not in PROBE_PATHS:
                got = request.headers.get("dapr-api-token", "").encode()
                if not hmac.compare_digest(got, want):
                    observe(request, 401, started)
                    return problem(401, "unauthorized", "missing or invalid dapr-api-token")
            response = await call_next(request)
            response.headers["x-request-id"] = request_id
            observe(request, response.status_code, started)
            return response
        finally:
            log_context.reset(token)

    @app.exception_handler(AppError)
    async def app_error(_: Request, err: AppError) -> JSONResponse:
        return problem(err.status, err.code, err.detail, err.errors)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        errors = [
            {"path": ".".join(str(p) for p in e["loc"][1:]) or "(body)", "message": e["msg"]} for e in err.errors()
        ]
        return problem(400, "validation-failed", "request is invalid", errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, err: StarletteHTTPException) -> JSONResponse:
        code = {404: "not-found", 405: "method-not-allowed"}.get(err.status_code, "error")
        return problem(err.status_code, code, str(err.detail))

    @app.exception_handler(SidecarError)
    async def unavailable(_: Request, err: SidecarError) -> JSONResponse:
        logger.warn("state store unavailable", err=err)
        return problem(503, "dependency-unavailable", "a service this request needs is unavailable; try again shortly")

    @app.exception_handler(ConflictError)
    @app.exception_handler(EtagMismatchError)
    async def conflict(_: Request, err: Exception) -> JSONResponse:
        return problem(409, "conflict", "the resource is being changed concurrently; try again")

    @app.exception_handler(Exception)
    async def unexpected(_: Request, err: Exception) -> JSONResponse:
        logger.error("unexpected error", err=err)
        return problem(500, "internal", "unexpected error")
