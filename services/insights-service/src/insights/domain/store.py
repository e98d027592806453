"""Where the read model lives in the state store, and the one way this service changes a key: read it
with its etag, change it, write it back only if nobody else did meanwhile (else read again).

Keys (daprd prefixes each with `insights-service||`):
  meta                              live generation, the one being built, the rebuild's status
  model:<gen>:<user>:<shard>        the read model: one shard of a user's task entries (projection.py)
  journal:<user>:<task>             every event of the task this service accepted, as received (the
                                    history a rebuild replays; deduplicated on the event id)
  tasks:<user>:<shard>              the task ids with a journal, per user and shard (what a rebuild walks)
  users:<n>                         the user ids, in USER_SHARDS lists by a hash of the id
User and task ids are percent-encoded in keys, so no id can make two keys collide.
"""

from __future__ import annotations

import asyncio
import copy
import random
import zlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

from insights.dapr import EtagMismatchError, StateStore
from insights.domain.projection import SHARDS, Fact, Outcome, apply_fact, is_newer

USER_SHARDS = 16
META = "meta"

T = TypeVar("T")


class ConflictError(Exception):
    """A key kept changing under us through every retry: transient, try the whole thing again later."""


def _q(value: str) -> str:
    return quote(value, safe="")


def users_key(n: int) -> str:
    return f"users:{n}"


def user_shard(user: str) -> int:
    return zlib.crc32(user.encode()) % USER_SHARDS


def tasks_key(user: str, shard: int) -> str:
    return f"tasks:{_q(user)}:{shard}"


def journal_key(user: str, task_id: str) -> str:
    return f"journal:{_q(user)}:{_q(task_id)}"


def model_key(generation: int, user: str, shard: int) -> str:
    return f"model:{generation}:{_q(user)}:{shard}"


async def update(
    state: StateStore, key: str, change: Callable[[Any | None], Any | None], attempts: int = 25
) -> Any | None:
    """Read-modify-write of one key with an etag compare-and-set. `change` gets a private copy of the
    current value (None when absent) and returns the new value, or None for "nothing to do". A lost
    race is retried after a short random pause (5 ms doubling to 250 ms, jittered), so writers that
    collided spread out instead of colliding again; after `attempts` it is a ConflictError."""
    delay = 0.005
    for _ in range(attempts):
        found = (await state.get_many([key])).get(key)
        current = copy.deepcopy(found.value) if found else None
        new = change(current)
        if new is None:
            return found.value if found else None
        try:
            await state.save(key, new, etag=found.etag if found else None)
            return new
        except EtagMismatchError:
            await asyncio.sleep(random.uniform(0, delay))  # noqa: S311 — jitter, not cryptography
            delay = min(delay * 2, 0.25)
    raise ConflictError(f"{key} kept changing concurrently ({attempts} attempts)")


def default_meta() -> dict[str, Any]:
    return {"live": 1, "building": None, "lastGeneration": 1, "rebuild": None}


async def read_meta(state: StateStore) -> dict[str, Any]:
    found = (await state.get_many([META])).get(META)
    return {**default_meta(), **found.value} if found else default_meta()


class _Seen:
    """A bounded set of things known to be stored already (skips a read per event for them)."""

    def __init__(self, limit: int = 100_000) -> None:
        self.items: OrderedDict[tuple[str, ...], None] = OrderedDict()
        self.limit = limit

    def __contains__(self, item: tuple[str, ...]) -> bool:
        if item in self.items:
            self.items.move_to_end(item)
            return True
        return False

    def add(self, item: tuple[str, ...]) -> None:
        self.items[item] = None
        if len(self.items) > self.limit:
            self.items.popitem(last=False)


class Index:
    """Which users and tasks have a journal: what a rebuild walks. Entries are only ever added."""

    def __init__(self, state: StateStore) -> None:
        self.state = state
        self.seen = _Seen()

    async def _add(self, key: str, member: str) -> None:
        if (key, member) in self.seen:
            return
        await update(
            self.state,
            key,
            lambda doc: None if doc and member in doc["ids"] else {"ids": [*(doc or {"ids": []})["ids"], member]},
        )
        self.seen.add((key, member))

    async def add(self, user: str, task_id: str, shard: int) -> None:
        await self._add(users_key(user_shard(user)), user)
        await self._add(tasks_key(user, shard), task_id)

    async def users(self, n: int) -> list[str]:
        found = (await self.state.get_many([users_key(n)])).get(users_key(n))
        return list(found.value["ids"]) if found else []

    async def tasks_by_shard(self, user: str) -> dict[int, list[str]]:
        keys = {s: tasks_key(user, s) for s in range(SHARDS)}
        found = await self.state.get_many(list(keys.values()))
        return {s: list(found[k].value["ids"]) for s, k in keys.items() if k in found}


class Journal:
    """Every task event this service accepted, per task, as received (before upcasting)."""

    def __init__(self, state: StateStore) -> None:
        self.state = state

    async def append(self, user: str, task_id: str, raw: dict[str, Any]) -> bool:
        """True when the event was new; a redelivery (same event id) is not stored twice."""
        event_id = raw["id"]
        added = False

        def change(doc: dict[str, Any] | None) -> dict[str, Any] | None:
            nonlocal added
            events = (doc or {"events": []})["events"]
            if any(e.get("id") == event_id for e in events):
                added = False
                return None
            added = True
            return {"events": [*events, raw]}

        await update(self.state, journal_key(user, task_id), change)
        return added

    async def read_many(self, user: str, task_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        found = await self.state.get_many([journal_key(user, t) for t in task_ids])
        return {t: found[journal_key(user, t)].value["events"] for t in task_ids if journal_key(user, t) in found}


class Models:
    """Generations of the read model: a user's shards under model:<gen>:…"""

    def __init__(self, state: StateStore) -> None:
        self.state = state

    async def apply(self, generation: int, user: str, shard: int, task_id: str, fact: Fact) -> Outcome:
        outcome: Outcome = "stale"

        def change(doc: dict[str, Any] | None) -> dict[str, Any] | None:
            nonlocal outcome
            doc = doc or {"tasks": {}}
            outcome = apply_fact(doc["tasks"], task_id, fact)
            return doc if outcome == "applied" else None

        await update(self.state, model_key(generation, user, shard), change)
        return outcome

    async def merge(self, generation: int, user: str, shard: int, facts: dict[str, Fact]) -> None:
        """Applies many entries to one shard in one write (a rebuild's batch); newest wins, as in apply."""

        def change(doc: dict[str, Any] | None) -> dict[str, Any] | None:
            doc = doc or {"tasks": {}}
            changed = False
            for task_id, fact in facts.items():
                if is_newer(fact, doc["tasks"].get(task_id)):
                    doc["tasks"][task_id] = fact
                    changed = True
            return doc if changed else None

        await update(self.state, model_key(generation, user, shard), change)

    async def facts(self, generation: int, user: str) -> list[Fact]:
        keys = [model_key(generation, user, s) for s in range(SHARDS)]
        found = await self.state.get_many(keys)
        return [fact for key in keys if key in found for fact in found[key].value["tasks"].values()]

    async def drop(self, generation: int, user: str) -> None:
        for s in range(SHARDS):
            await self.state.delete(model_key(generation, user, s))
