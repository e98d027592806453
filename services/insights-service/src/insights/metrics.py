"""Prometheus metrics, the same series as the TypeScript services' (packages/service-kit/src/metrics.ts),
so one dashboard and one alert cover every language: HTTP RED by route template, deliveries by topic /
event type / answer, handler time, and event age at consumption. Every series carries `app_id`, as
daprd's own metrics do. The registry is the app's own (not prometheus_client's global one), so two apps
in one test process never share a series."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
)

# What /metrics answers with (Prometheus text format 0.0.4).
CONTENT_TYPE = CONTENT_TYPE_LATEST

DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
AGE_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600)


@dataclass
class Metrics:
    app_id: str
    registry: CollectorRegistry
    http: Histogram
    consumed: Counter
    handler_duration: Histogram
    event_age: Histogram

    def render(self) -> bytes:
        return generate_latest(self.registry)


def create_metrics(app_id: str, process_metrics: bool = True) -> Metrics:
    registry = CollectorRegistry()
    if process_metrics:
        ProcessCollector(registry=registry)  # process_cpu_seconds_total, resident memory, open fds
    labels = ["app_id"]
    return Metrics(
        app_id=app_id,
        registry=registry,
        http=Histogram(
            "todo_http_request_duration_seconds",
            "HTTP requests served, by method, route template and status, with their duration.",
            [*labels, "method", "route", "status"],
            buckets=DURATION_BUCKETS,
            registry=registry,
        ),
        consumed=Counter(
            "todo_events_consumed_total",
            "Pub/sub deliveries handled, by topic, event type and the answer given to daprd (success, retry, drop).",
            [*labels, "topic", "type", "result"],
            registry=registry,
        ),
        handler_duration=Histogram(
            "todo_event_handler_duration_seconds",
            "Time spent handling one pub/sub delivery, by topic, event type and result.",
            [*labels, "topic", "type", "result"],
            buckets=DURATION_BUCKETS,
            registry=registry,
        ),
        event_age=Histogram(
            "todo_event_age_seconds",
            "Age of an event when a consumer received it (now - occurredAt), by topic and event type.",
            [*labels, "topic", "type"],
            buckets=AGE_BUCKETS,
            registry=registry,
        ),
    )
