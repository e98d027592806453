"""Reads like a table of contents: config, logger, the sidecar adapter, the app, listen; SIGTERM and
SIGINT stop it gracefully (uvicorn)."""

from __future__ import annotations

from typing import Any

import uvicorn

from insights import APP_ID
from insights.app import Deps, create_app
from insights.config import load_config
from insights.dapr import DaprSidecar
from insights.logs import Logger
from insights.metrics import create_metrics


def uvicorn_log_config(level: str) -> dict[str, Any]:
    """uvicorn's own lines (start, stop, errors) as the same JSON as ours; no access log."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "insights.logs.JsonFormatter", "service": APP_ID}},
        "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
        "loggers": {
            "uvicorn": {
                "handlers": ["stdout"],
                "level": "DEBUG" if level in ("trace", "debug") else "INFO",
                "propagate": False,
            },
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": [], "propagate": False},
        },
    }


def run() -> None:
    config = load_config()
    logger = Logger(APP_ID, config.LOG_LEVEL)
    if not config.APP_API_TOKEN:
        logger.warn("APP_API_TOKEN is not set: calls are not checked to come from the sidecar")
    sidecar = DaprSidecar(config.DAPR_HTTP_PORT, config.DAPR_API_TOKEN)
    app = create_app(
        Deps(
            state=sidecar,
            sidecar=sidecar,
            logger=logger,
            app_api_token=config.APP_API_TOKEN,
            rebuild_stale_seconds=config.INSIGHTS_REBUILD_STALE_SECONDS,
            metrics=create_metrics(APP_ID),
        )
    )
    logger.info("listening", port=config.APP_PORT)
    uvicorn.run(
        app,
        host=config.APP_HOST,
        port=config.APP_PORT,
        log_config=uvicorn_log_config(config.LOG_LEVEL),
        access_log=False,
        timeout_graceful_shutdown=5,
        server_header=False,
    )
