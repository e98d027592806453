"""Projection rebuild by replay: the rebuilt generation equals the live one, a rebuild during writes
loses nothing, one rebuild at a time, a failed one leaves the live model alone, a dead owner's rebuild
is taken over."""

from __future__ import annotations

import asyncio
import random
import time
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from insights.dapr import SidecarError
from insights.domain import rebuild as rebuild_module
from insights.domain.events import parse_task_event
from insights.domain.ingest import Ingest
from insights.domain.projection import SHARDS, Fact, apply_fact, fact_of, shard_of
from insights.domain.rebuild import Rebuilder
from insights.domain.store import META, model_key, read_meta
from insights.logs import silent
from tests.conftest import NOW, InMemoryStateStore, lifecycle

pytestmark = pytest.mark.anyio


def stream(seed: int, users: int = 4, tasks: int = 12) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    events: list[dict[str, Any]] = []
    for u in range(users):
        for t in range(tasks):
            done = f"2026-11-{rng.randint(10, 25):02d}T{rng.randint(0, 23):02d}:00:00Z" if rng.random() < 0.6 else None
            events += lifecycle(
                f"u{u}-t{t}", user=f"user-{u}", completed=done, tags=(rng.choice("abc"),), delete=rng.random() < 0.2
            )
    # Out of order, and some delivered twice (at least once).
    events += rng.sample(events, len(events) // 5)
    rng.shuffle(events)
    return events


def expected_models(events: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Fact]]:
    """What an in-order, exactly-once projection of the same events holds, per (user, shard)."""
    out: dict[tuple[str, int], dict[str, Fact]] = {}
    for e in events:
        parsed = parse_task_event(e)
        apply_fact(out.setdefault((parsed.userId, shard_of(parsed.task.id)), {}), parsed.task.id, fact_of(parsed))
    return out


def generation_of(
    state: InMemoryStateStore, generation: int, users: list[str]
) -> dict[tuple[str, int], dict[str, Fact]]:
    out = {}
    for user in users:
        for s in range(SHARDS):
            doc = state.value(model_key(generation, user, s))
            if doc is not None:
                out[(user, s)] = doc["tasks"]
    return out


def rebuilder(state: InMemoryStateStore, **kwargs: Any) -> Rebuilder:
    return Rebuilder(state, silent(), lambda: NOW, cleanup_delay=0, **kwargs)


async def test_the_rebuilt_generation_equals_the_live_one_after_a_stream_of_changes(state: InMemoryStateStore) -> None:
    events = stream(1)
    ingest = Ingest(state)
    for e in events:
        await ingest.handle(e, parse_task_event(e))
    users = [f"user-{u}" for u in range(4)]
    live = generation_of(state, 1, users)
    assert live == expected_models(events)

    r = rebuilder(state)
    status = await r.request()
    assert (status["state"], status["generation"], status["liveGeneration"]) == ("running", 2, 1)
    await r.wait()

    meta = await read_meta(state)
    assert (meta["live"], meta["building"], meta["rebuild"]["state"]) == (2, None, "succeeded")
    assert generation_of(state, 2, users) == live
    assert meta["rebuild"]["users"] == 4
    assert meta["rebuild"]["tasks"] == 48
    assert meta["rebuild"]["events"] == len({e["id"] for e in events})  # each journalled once
    assert state.keys("model:1:") == []  # the previous generation is deleted once nobody reads it


@pytest.mark.parametrize("seed", [2, 3, 4, 5, 6])
async def test_a_rebuild_during_writes_loses_nothing(state: InMemoryStateStore, seed: int) -> None:
    events = stream(seed)
    before, during = events[: len(events) // 3], events[len(events) // 3 :]
    ingest = Ingest(state)
    for e in before:
        await ingest.handle(e, parse_task_event(e))

    rng = random.Random(seed)
    r = rebuilder(state)
    results = []

    async def write(e: dict[str, Any]) -> None:
        await asyncio.sleep(rng.random() * 0.01)
        results.append(await ingest.handle(e, parse_task_event(e)))

    async def rebuild_midway() -> None:
        await asyncio.sleep(0.004)
        await r.request()

    await asyncio.gather(*(write(e) for e in during), rebuild_midway())
    await r.wait()

    meta = await read_meta(state)
    assert (meta["live"], meta["rebuild"]["state"]) == (2, "succeeded")
    users = [f"user-{u}" for u in range(4)]
    assert generation_of(state, 2, users) == expected_models(events)
    # The rebuild really overlapped the writes: some went to both generations, some to the old only.
    assert {g for res in results for g in res.generations} == {1, 2}


async def test_one_rebuild_at_a_time(state: InMemoryStateStore) -> None:
    r = rebuilder(state)
    first = await r.request()
    second = await r.request()
    assert first["generation"] == second["generation"] == 2
    await r.wait()
    third = await r.request()
    assert third["generation"] == 3
    await r.wait()
    assert (await read_meta(state))["live"] == 3


class JournalDown(InMemoryStateStore):
    """The journal cannot be read (the rest of the store can)."""

    async def get_many(self, keys: list[str]) -> dict:
        if any(k.startswith("journal:") for k in keys) and getattr(self, "break_journal", False):
            raise SidecarError("journal unreadable (test)")
        return await super().get_many(keys)


async def test_a_rebuild_that_keeps_failing_ends_failed_and_the_live_generation_keeps_serving(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rebuild_module, "TRANSIENT_TRIES", 2)
    state = JournalDown()
    ingest = Ingest(state)
    for e in lifecycle("t1", completed="2026-11-25T09:00:00Z"):
        await ingest.handle(e, parse_task_event(e))
    live = generation_of(state, 1, ["alice"])
    state.break_journal = True
    r = rebuilder(state)
    await r.request()
    await r.wait()
    meta = await read_meta(state)
    assert (meta["live"], meta["building"], meta["rebuild"]["state"]) == (1, None, "failed")
    assert "journal unreadable" in meta["rebuild"]["error"]
    assert generation_of(state, 1, ["alice"]) == live
    assert state.keys("model:2:") == []


async def test_a_rebuild_whose_owner_died_is_taken_over_and_finished(state: InMemoryStateStore) -> None:
    ingest = Ingest(state)
    events = lifecycle("t1", completed="2026-11-25T09:00:00Z") + lifecycle("t2")
    for e in events:
        await ingest.handle(e, parse_task_event(e))
    stale = (NOW - timedelta(seconds=60)).isoformat().replace("+00:00", "Z")
    meta = await read_meta(state)
    meta.update(
        building=2,
        lastGeneration=2,
        rebuild={
            "state": "running",
            "generation": 2,
            "requestedAt": stale,
            "finishedAt": None,
            "users": 0,
            "tasks": 0,
            "events": 0,
            "error": None,
            "owner": "dead",
            "heartbeatAt": stale,
        },
    )
    await state.save(META, meta, state.data[META][1] if META in state.data else None)

    fresh = rebuilder(state, stale_seconds=30)
    assert await fresh.take_over_if_stale() is True
    await fresh.wait()
    meta = await read_meta(state)
    assert (meta["live"], meta["rebuild"]["state"]) == (2, "succeeded")
    assert generation_of(state, 2, ["alice"]) == expected_models(events)
    # A beating rebuild is left alone.
    assert await rebuilder(state).take_over_if_stale() is False


def test_post_rebuild_answers_202_with_its_status_and_get_insights_moves_to_the_new_generation(
    client: TestClient,
) -> None:
    for e in lifecycle("t1", completed="2026-11-25T09:00:00Z"):
        client.post("/events/task-events", json={"data": e})
    before = client.get("/insights", headers={"x-user-id": "alice"}).json()
    res = client.post("/admin/insights/rebuild")
    assert res.status_code == 202
    assert res.headers["location"] == "/admin/insights/rebuild"
    assert res.json()["generation"] == 2
    deadline = time.monotonic() + 5
    while client.get("/admin/insights/rebuild").json()["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert client.get("/admin/insights/rebuild").json()["state"] == "succeeded"
    after = client.get("/insights", headers={"x-user-id": "alice"}).json()
    assert after["generation"] == 2
    assert {**after, "generation": 1} == before


class SlowJournal(InMemoryStateStore):
    """Journal writes of one task wait at a gate: a delivery stalled inside its handler."""

    def __init__(self, task_id: str) -> None:
        super().__init__()
        self.task_id = task_id
        self.gate = asyncio.Event()
        self.stalled = asyncio.Event()

    async def save(self, key: str, value: Any, etag: str | None = None) -> None:
        if key.startswith("journal:") and key.endswith(f":{self.task_id}"):
            self.stalled.set()
            await self.gate.wait()
        await super().save(key, value, etag)


async def test_a_delivery_stalled_across_a_whole_rebuild_is_not_lost() -> None:
    # The handler's order is what this pins: journal first, then look up the generations. A delivery
    # that looked them up first would have seen no rebuild, written only the old generation after the
    # switch, and never reached the new one.
    state = SlowJournal("late")
    ingest = Ingest(state)
    for e in lifecycle("early", completed="2026-11-25T09:00:00Z"):
        await ingest.handle(e, parse_task_event(e))
    late = lifecycle("late", completed="2026-11-25T10:00:00Z")[-1]
    stalled = asyncio.create_task(ingest.handle(late, parse_task_event(late)))
    await state.stalled.wait()
    r = rebuilder(state)
    await r.request()
    await r.wait()
    assert (await read_meta(state))["live"] == 2
    state.gate.set()
    await stalled
    facts = [f for doc in generation_of(state, 2, ["alice"]).values() for f in doc.values()]
    assert sorted(f["d"] for f in facts) == ["2026-11-25T09:00:00.000Z", "2026-11-25T10:00:00.000Z"]
