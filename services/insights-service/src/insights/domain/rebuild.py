"""Projection rebuild by replay: a new generation of the read model is built from the journal while the
live one keeps serving, and becomes live when it has caught up.

  request()  meta: building = G (= last generation + 1), rebuild running, owned by this process.
             From here every handler also applies its event to G (ingest.py, step 3).
  worker     walks users → tasks → journals and merges each task's newest entry into G (the same
             newest-wins rule as live handling, so the two writers cannot undo each other).
  switch     meta: live = G, building = none; the old generation is deleted a little later (readers that
             fetched the old live number a moment ago can still finish).
A replica that crashes mid-rebuild stops its heartbeat; after INSIGHTS_REBUILD_STALE_SECONDS another
replica (or the same one restarted) takes the rebuild over and walks again from the start — merging is
idempotent. A rebuild that keeps failing (the state store gone for minutes) ends `failed`, its
half-built generation is dropped, and the live one is untouched.

Why a journal and not the broker's retained history: see docs/insights.md ("Rebuild: why replay the
journal"). In short, Dapr 1.18 gives an app no way to start a fresh consumer group, or seek, on demand.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from insights.dapr import SidecarError, StateStore
from insights.domain.events import InvalidEventError, parse_task_event
from insights.domain.projection import Fact, fact_of, is_newer, iso
from insights.domain.store import META, USER_SHARDS, ConflictError, Index, Journal, Models, read_meta, update
from insights.logs import Logger

BATCH = 100  # journals read per state call
HEARTBEAT_SECONDS = 2.0
CLEANUP_DELAY_SECONDS = 10.0
TRANSIENT_TRIES = 12  # per user: ~1 min of backing off before the rebuild is given up as failed


class Superseded(Exception):
    """Another process owns this rebuild now (it took over a stale heartbeat): stop quietly."""


def status_of(meta: dict[str, Any]) -> dict[str, Any]:
    r = meta.get("rebuild") or {}
    return {
        "state": r.get("state", "idle"),
        "liveGeneration": meta["live"],
        "generation": r.get("generation"),
        "requestedAt": r.get("requestedAt"),
        "finishedAt": r.get("finishedAt"),
        "users": r.get("users", 0),
        "tasks": r.get("tasks", 0),
        "events": r.get("events", 0),
        "error": r.get("error"),
    }


class Rebuilder:
    def __init__(
        self,
        state: StateStore,
        log: Logger,
        clock: Callable[[], datetime],
        stale_seconds: float = 30.0,
        cleanup_delay: float = CLEANUP_DELAY_SECONDS,
    ) -> None:
        self.state = state
        self.log = log.child(component="rebuild")
        self.clock = clock
        self.stale_seconds = stale_seconds
        self.cleanup_delay = cleanup_delay
        self.owner = f"{uuid.uuid4()}"
        self.index = Index(state)
        self.journal = Journal(state)
        self.models = Models(state)
        self.worker: asyncio.Task[None] | None = None
        self.background: set[asyncio.Task[Any]] = set()

    async def status(self) -> dict[str, Any]:
        return status_of(await read_meta(self.state))

    async def request(self) -> dict[str, Any]:
        """Starts a rebuild, or reports the one that runs (one at a time)."""
        started: int | None = None

        def change(meta: dict[str, Any] | None) -> dict[str, Any] | None:
            nonlocal started
            meta = meta or {}
            full = {"live": 1, "building": None, "lastGeneration": 1, "rebuild": None, **meta}
            if (full["rebuild"] or {}).get("state") == "running":
                started = None
                return None
            started = full["lastGeneration"] + 1
            now = iso(self.clock())
            full.update(
                building=started,
                lastGeneration=started,
                rebuild={
                    "state": "running",
                    "generation": started,
                    "requestedAt": now,
                    "finishedAt": None,
                    "users": 0,
                    "tasks": 0,
                    "events": 0,
                    "skipped": 0,
                    "error": None,
                    "owner": self.owner,
                    "heartbeatAt": now,
                },
            )
            return full

        await update(self.state, META, change)
        if started is not None:
            self.log.info("rebuild requested", generation=started)
            self._start(started)
        return await self.status()

    def _start(self, generation: int) -> None:
        self.worker = asyncio.create_task(self._run(generation), name=f"rebuild-{generation}")

    async def wait(self) -> None:
        """For tests and shutdown: until the current worker (if any) has ended."""
        if self.worker is not None:
            await asyncio.gather(self.worker, return_exceptions=True)
        if self.background:
            await asyncio.gather(*self.background, return_exceptions=True)

    async def _own(self, generation: int, change: Callable[[dict[str, Any]], None]) -> None:
        """Changes the rebuild record, only while this process still owns `generation`'s rebuild."""

        def guarded(meta: dict[str, Any] | None) -> dict[str, Any] | None:
            r = (meta or {}).get("rebuild") or {}
            if r.get("owner") != self.owner or r.get("generation") != generation or r.get("state") != "running":
                raise Superseded(generation)
            assert meta is not None
            change(meta)
            return meta

        await update(self.state, META, guarded)

    async def _run(self, generation: int) -> None:
        progress = {"users": 0, "tasks": 0, "events": 0, "skipped": 0}
        last_beat = self.clock()
        log = self.log.child(generation=generation)
        log.info("rebuild started: replaying the journal into a new generation")
        try:
            for n in range(USER_SHARDS):
                for user in await self._patiently(lambda n=n: self.index.users(n)):
                    await self._patiently(lambda u=user: self._replay(generation, u, progress))
                    progress["users"] += 1
                    if (self.clock() - last_beat).total_seconds() >= HEARTBEAT_SECONDS:
                        last_beat = self.clock()
                        beat = iso(last_beat)
                        await self._own(
                            generation, lambda m, beat=beat: m["rebuild"].update(**progress, heartbeatAt=beat)
                        )
            previous: list[int] = []

            def switch(meta: dict[str, Any]) -> None:
                previous.append(meta["live"])
                meta.update(live=generation, building=None)
                meta["rebuild"].update(**progress, state="succeeded", finishedAt=iso(self.clock()))

            await self._own(generation, switch)
            log.info("rebuild done: new generation is live", previous=previous[0], **progress)
            self._later(self._drop(previous[0]))
        except Superseded:
            log.warn("rebuild taken over by another process; this one stops")
        except Exception as err:
            log.error("rebuild failed; the live generation is untouched", err=err, **progress)
            reason = f"{type(err).__name__}: {err}"[:500]

            def fail(meta: dict[str, Any]) -> None:
                meta.update(building=None)
                meta["rebuild"].update(**progress, state="failed", error=reason, finishedAt=iso(self.clock()))

            try:
                await self._own(generation, fail)
                self._later(self._drop(generation))
            except Exception as again:  # the store is still away: the stale heartbeat lets a replica retry
                log.error("could not record the failure", err=again)

    async def _replay(self, generation: int, user: str, progress: dict[str, int]) -> None:
        """One user: the task index in one read, the journals in reads of BATCH, then each shard's newest
        entries merged in one compare-and-set per shard that has any (side by side: independent keys)."""
        by_shard = await self.index.tasks_by_shard(user)
        shard_of_task = {t: s for s, ids in by_shard.items() for t in ids}
        task_ids = list(shard_of_task)
        newest: dict[int, dict[str, Fact]] = {}
        events = skipped = 0
        for i in range(0, len(task_ids), BATCH):
            journals = await self.journal.read_many(user, task_ids[i : i + BATCH])
            for task_id, raws in journals.items():
                shard = newest.setdefault(shard_of_task[task_id], {})
                for raw in raws:
                    try:
                        fact = fact_of(parse_task_event(raw))
                    except InvalidEventError as err:
                        skipped += 1  # only what the live handler accepted is journalled; a changed model may disagree
                        self.log.warn("journalled event no longer parses; skipped", eventId=raw.get("id"), err=str(err))
                        continue
                    events += 1
                    if is_newer(fact, shard.get(task_id)):
                        shard[task_id] = fact
        await asyncio.gather(*(self.models.merge(generation, user, s, facts) for s, facts in newest.items() if facts))
        progress["tasks"] += len(task_ids)
        progress["events"] += events
        progress["skipped"] += skipped

    async def _patiently(self, step: Callable[[], Any]) -> Any:
        """A step that meets an unreachable store or a hot key is tried again, for about a minute."""
        delay = 0.5
        for attempt in range(TRANSIENT_TRIES):
            try:
                return await step()
            except (SidecarError, ConflictError) as err:
                if attempt == TRANSIENT_TRIES - 1:
                    raise
                self.log.warn("rebuild step failed; retrying", err=err, retryInSeconds=delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 8.0)
        raise AssertionError("unreachable")

    def _later(self, work: Any) -> None:
        task = asyncio.create_task(work)
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    async def _drop(self, generation: int) -> None:
        """Deletes a generation nobody reads any more (the previous live one, or a failed build)."""
        await asyncio.sleep(self.cleanup_delay)
        try:
            for n in range(USER_SHARDS):
                for user in await self.index.users(n):
                    await self.models.drop(generation, user)
            self.log.info("old generation deleted", generation=generation)
        except Exception as err:  # leftovers cost space only; nothing reads them
            self.log.warn("could not delete an old generation", generation=generation, err=err)

    async def take_over_if_stale(self) -> bool:
        """A running rebuild whose owner stopped beating is resumed here."""
        meta = await read_meta(self.state)
        r = meta.get("rebuild") or {}
        if r.get("state") != "running" or (self.worker is not None and not self.worker.done()):
            return False
        beat = datetime.fromisoformat(r["heartbeatAt"])
        if (self.clock() - beat).total_seconds() < self.stale_seconds:
            return False
        generation = r["generation"]

        def claim(current: dict[str, Any] | None) -> dict[str, Any] | None:
            cr = (current or {}).get("rebuild") or {}
            if cr.get("state") != "running" or cr.get("heartbeatAt") != r["heartbeatAt"]:
                raise Superseded(generation)  # someone beat us to it, or it moved on
            assert current is not None
            cr.update(owner=self.owner, heartbeatAt=iso(self.clock()))
            return current

        try:
            await update(self.state, META, claim)
        except Superseded:
            return False
        self.log.warn("took over a rebuild whose owner stopped", generation=generation, previousOwner=r.get("owner"))
        self._start(generation)
        return True

    async def supervise(self, every: float = 10.0) -> None:
        """Runs for the life of the app: resumes stale rebuilds (also one left by this app's last crash)."""
        while True:
            await asyncio.sleep(every)  # first check once the sidecar has had time to come up
            try:
                await self.take_over_if_stale()
            except Exception as err:
                self.log.warn("rebuild supervision check failed", err=err)
