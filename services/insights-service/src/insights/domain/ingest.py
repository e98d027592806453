"""One task event into the read model, exactly once in effect however often and in whatever order
it arrives. Every step is idempotent, so a redelivery re-runs them all and completes whatever a crash
interrupted:
  1. index the user and the task (what a rebuild walks),
  2. append the event to the task's journal (dedupe on the event id),
  3. read which generations exist NOW and apply the event to the live one and, while a rebuild runs,
     to the one being built (version guard: newest (task.version, event id) wins).
The order of 2 and 3 is what makes a rebuild lose nothing: an event whose handler saw no rebuild in
step 3 was journalled before the rebuild started, so the rebuild's replay reads it; an event whose
handler saw the rebuild writes the new generation itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from insights.dapr import StateStore
from insights.domain.events import TaskEvent
from insights.domain.projection import Outcome, fact_of, shard_of
from insights.domain.store import Index, Journal, Models, read_meta


@dataclass(frozen=True)
class Ingested:
    new: bool  # first time this event id was seen
    outcome: Outcome  # what it did to the live generation
    generations: tuple[int, ...]


class Ingest:
    def __init__(self, state: StateStore, index: Index | None = None) -> None:
        self.state = state
        self.index = index or Index(state)
        self.journal = Journal(state)
        self.models = Models(state)

    async def handle(self, raw: dict[str, Any], event: TaskEvent) -> Ingested:
        user, task_id = event.userId, event.task.id
        shard = shard_of(task_id)
        await self.index.add(user, task_id, shard)
        new = await self.journal.append(user, task_id, raw)
        meta = await read_meta(self.state)
        fact = fact_of(event)
        outcome = await self.models.apply(meta["live"], user, shard, task_id, fact)
        generations = (meta["live"],)
        if meta["building"] is not None and meta["building"] != meta["live"]:
            await self.models.apply(meta["building"], user, shard, task_id, fact)
            generations = (meta["live"], meta["building"])
        return Ingested(new, outcome, generations)
