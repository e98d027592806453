"""Fakes for unit tests (no network): an in-memory state store with daprd's etag and first-write
semantics, a sidecar probe, and builders for task events as task-service publishes them."""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from insights.app import Deps, create_app
from insights.dapr import EtagMismatchError, SidecarError, Versioned
from insights.logs import silent

APP_TOKEN = "sidecar-token"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday


class InMemoryStateStore:
    """Values are stored as JSON (as daprd does): callers never share objects with the store. Every
    call yields to the event loop first, so concurrent coroutines interleave as they would over HTTP."""

    def __init__(self) -> None:
        self.data: dict[str, tuple[str, str]] = {}
        self.etags = itertools.count(1)
        self.down = False
        self.calls = 0

    async def _io(self) -> None:
        self.calls += 1
        await asyncio.sleep(0)
        if self.down:
            raise SidecarError("state store down (test)")

    async def get_many(self, keys: list[str]) -> dict[str, Versioned]:
        await self._io()
        return {
            k: Versioned(json.loads(self.data[k][0]), self.data[k][1]) for k in dict.fromkeys(keys) if k in self.data
        }

    async def save(self, key: str, value: Any, etag: str | None = None) -> None:
        await self._io()
        current = self.data.get(key)
        if (etag and (current is None or current[1] != etag)) or (not etag and current is not None):
            raise EtagMismatchError(key)
        self.data[key] = (json.dumps(value), str(next(self.etags)))

    async def delete(self, key: str) -> None:
        await self._io()
        self.data.pop(key, None)

    def value(self, key: str) -> Any:
        return json.loads(self.data[key][0]) if key in self.data else None

    def keys(self, prefix: str) -> list[str]:
        return sorted(k for k in self.data if k.startswith(prefix))


class FakeSidecar:
    def __init__(self) -> None:
        self.ready = True

    async def is_ready(self) -> bool:
        return self.ready


def task(
    task_id: str = "t1",
    user: str = "alice",
    version: int = 1,
    status: str = "open",
    created: str = "2026-11-20T10:00:00.000Z",
    completed: str | None = None,
    due: str | None = None,
    tags: tuple[str, ...] = (),
    v1: bool = False,
) -> dict[str, Any]:
    t: dict[str, Any] = {
        "id": task_id,
        "userId": user,
        "title": f"task {task_id}",
        "description": None,
        "priority": "medium",
        "tags": list(tags),
        "dueAt": due,
        "remindAt": None,
        "status": status,
        "createdAt": created,
        "updatedAt": completed or created,
        "completedAt": completed,
        "version": version,
    }
    if not v1:
        t.update(recurrence=None, seriesId=None)
    return t


_ids = itertools.count(1)


def event(kind: str, t: dict[str, Any], event_id: str | None = None, version: int = 2, **extra: Any) -> dict[str, Any]:
    e: dict[str, Any] = {
        "id": event_id or f"evt-{next(_ids)}",
        "type": kind,
        "version": version,
        "userId": t["userId"],
        "occurredAt": t["updatedAt"],
        "correlationId": "c-1",
        "task": copy.deepcopy(t),
        **extra,
    }
    if kind == "task.updated" and version == 2 and "changed" not in extra:
        e["changed"] = ["title"]
    return e


def lifecycle(
    task_id: str,
    user: str = "alice",
    created: str = "2026-11-20T10:00:00.000Z",
    completed: str | None = None,
    tags: tuple[str, ...] = (),
    due: str | None = None,
    delete: bool = False,
) -> list[dict[str, Any]]:
    """created (v1), updated (v2), then completed (v3) and/or deleted, as task-service would publish them."""
    base = {"task_id": task_id, "user": user, "created": created, "tags": tags, "due": due}
    events = [event("task.created", task(**base, version=1)), event("task.updated", task(**base, version=2))]
    version = 2
    if completed:
        version += 1
        events.append(event("task.completed", task(**base, version=version, status="completed", completed=completed)))
    if delete:
        status = "completed" if completed else "open"
        events.append(event("task.deleted", task(**base, version=version + 1, status=status, completed=completed)))
    return events


def cloud_event(data: Any) -> dict[str, Any]:
    return {
        "id": "ce-1",
        "specversion": "1.0",
        "source": "task-service",
        "type": "com.dapr.event.sent",
        "topic": "task-events",
        "pubsubname": "pubsub",
        "datacontenttype": "application/json",
        "data": data,
    }


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def state() -> InMemoryStateStore:
    return InMemoryStateStore()


@pytest.fixture
def sidecar() -> FakeSidecar:
    return FakeSidecar()


@pytest.fixture
def client(state: InMemoryStateStore, sidecar: FakeSidecar) -> Iterator[TestClient]:
    deps = Deps(
        state=state,
        sidecar=sidecar,
        logger=silent(),
        app_api_token=APP_TOKEN,
        clock=lambda: NOW,
        supervise_rebuilds=False,
    )
    with TestClient(create_app(deps), headers={"dapr-api-token": APP_TOKEN}) as c:
        yield c
