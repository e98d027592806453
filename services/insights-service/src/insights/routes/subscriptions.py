"""The delivery route named in components/common/subscriptions/insights-task-events.yaml. It always
answers daprd explicitly (HTTP 200 with a status): SUCCESS once the event is in the read model, DROP
when the payload is no task event we understand (daprd then dead-letters it to task-events.dlq at
once), RETRY for anything else — an exception is never an ack. daprd's resiliency policy bounds the
retries (1 + 3 over ~3.5 s), then dead-letters; while this app is unhealthy daprd pauses delivery."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request

from insights.domain.events import InvalidEventError, parse_task_event
from insights.domain.ingest import Ingest
from insights.logs import Logger, log_context
from insights.metrics import Metrics

TASK_EVENTS_ROUTE = "/events/task-events"


def _data_of(envelope: Any) -> Any:
    if not isinstance(envelope, dict):
        return None
    if "data" in envelope:
        return envelope["data"]
    if isinstance(envelope.get("data_base64"), str):
        return json.loads(base64.b64decode(envelope["data_base64"]))
    return None


def _type_of(data: Any) -> str:
    return data["type"] if isinstance(data, dict) and isinstance(data.get("type"), str) else "unknown"


def subscription_routes(
    ingest: Ingest, logger: Logger, metrics: Metrics, clock: Callable[[], datetime], max_in_flight: int = 16
) -> APIRouter:
    router = APIRouter()
    # Some brokers hand daprd hundreds of messages at once (MQTT has no prefetch bound). Working on all
    # of them together only makes them race for the same keys and queue for sidecar connections, and
    # starves the API (a rebuild request waited past the 10 s invocation timeout): the rest wait here.
    slots = asyncio.Semaphore(max_in_flight)

    @router.get("/dapr/subscribe")
    async def programmatic() -> list[dict[str, Any]]:
        return []  # declarative subscriptions only (components/common/subscriptions)

    @router.post(TASK_EVENTS_ROUTE)
    async def task_events(request: Request) -> dict[str, str]:
        try:
            envelope = json.loads(await request.body())
            data = _data_of(envelope)
        except (ValueError, TypeError):
            envelope, data = None, None
        ce = envelope if isinstance(envelope, dict) else {}
        if "traceparent" not in (log_context.get() or {}) and isinstance(ce.get("traceparent"), str):
            log_context.set({**(log_context.get() or {}), "traceparent": ce["traceparent"]})
        log = logger.child(cloudEventId=ce.get("id"), topic=ce.get("topic"))
        topic = ce.get("topic") if isinstance(ce.get("topic"), str) else "task-events"
        event_type = _type_of(data)
        started = time.perf_counter()

        def answer(status: str) -> dict[str, str]:
            result = status.lower()
            metrics.consumed.labels(metrics.app_id, topic, event_type, result).inc()
            metrics.handler_duration.labels(metrics.app_id, topic, event_type, result).observe(
                time.perf_counter() - started
            )
            return {"status": status}

        try:
            event = parse_task_event(data)
        except InvalidEventError as err:
            log.warn("invalid event dropped to dead letter", err=str(err))
            return answer("DROP")
        age = (clock() - datetime.fromisoformat(event.occurredAt.replace("Z", "+00:00"))).total_seconds()
        metrics.event_age.labels(metrics.app_id, topic, event_type).observe(max(0.0, age))
        try:
            # Idempotent on the event id and order-independent (ingest.py): a redelivery is harmless.
            async with slots:
                result = await ingest.handle(data, event)
        except Exception as err:
            log.warn("event processing failed; asking for redelivery", eventId=event.id, err=err)
            return answer("RETRY")
        log.info(
            "task event projected"
            if result.outcome == "applied"
            else f"task event {result.outcome}: read model unchanged",
            eventId=event.id,
            type=event.type,
            taskId=event.task.id,
            taskVersion=event.task.version,
            userId=event.userId,
            generations=list(result.generations),
        )
        return answer("SUCCESS")

    return router
