"""The read model's pure core: what one task event makes of a task's entry, and what a user's entries
make of their insights. No I/O.

A user's model is the set of their tasks' entries ("facts"), one per task, each the projection of the
newest event seen for that task: newest by (task.version, event id). Applying an event is therefore
idempotent (the same event again changes nothing: its id is the entry's `e`) and order-independent
(an older event than the entry's is ignored), so redeliveries and out-of-order arrival across
partitions leave exactly the model an in-order, exactly-once stream would have built — and a replay
of the same events, in any order, builds the same model again (the rebuild relies on it).

Entry fields (short: every read returns them all): v version, e event id, s open|completed|deleted,
c createdAt, d completedAt, u dueAt, g tags. A completed task that is later deleted keeps c, d and g:
a completion is history. Instants are stored normalised (UTC, milliseconds, Z).
"""

from __future__ import annotations

import statistics
import zlib
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from insights.domain.events import TaskEvent

# A user's model is split over this many keys by task id: smaller documents, and deliveries of one
# user's different tasks (in parallel on another partition or worker) rarely race for one key.
SHARDS = 8
BUSIEST_TAGS = 5

Fact = dict[str, Any]
Outcome = Literal["applied", "duplicate", "stale"]


def shard_of(task_id: str) -> int:
    """Stable across processes and replicas (Python's hash() is salted per process)."""
    return zlib.crc32(task_id.encode()) % SHARDS


def instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _norm(value: str | None) -> str | None:
    moment = instant(value)
    return iso(moment) if moment else None


def fact_of(event: TaskEvent) -> Fact:
    task = event.task
    base: Fact = {"v": task.version, "e": event.id}
    completed = task.status == "completed"
    # A completed task always has completedAt; should one not, the event's own time stands in.
    done = (_norm(task.completedAt) or _norm(event.occurredAt)) if completed else None
    tags = sorted(set(task.tags))
    if event.type == "task.deleted":
        return (
            {**base, "s": "deleted", "c": _norm(task.createdAt), "d": done, "g": tags}
            if completed
            else {**base, "s": "deleted"}
        )
    if completed:
        return {**base, "s": "completed", "c": _norm(task.createdAt), "d": done, "g": tags}
    return {**base, "s": "open", "c": _norm(task.createdAt), "u": _norm(task.dueAt), "g": tags}


def is_newer(candidate: Fact, current: Fact | None) -> bool:
    return current is None or (candidate["v"], candidate["e"]) > (current["v"], current["e"])


def apply_fact(tasks: dict[str, Fact], task_id: str, fact: Fact) -> Outcome:
    """Updates `tasks` (one shard's entries) in place."""
    current = tasks.get(task_id)
    if current is not None and current["e"] == fact["e"]:
        return "duplicate"
    if not is_newer(fact, current):
        return "stale"
    tasks[task_id] = fact
    return "applied"


def _week_start(day: date) -> date:
    return day - timedelta(days=day.isoweekday() - 1)


def _week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def insights(facts: Iterable[Fact], now: datetime, days: int = 30, weeks: int = 12) -> dict[str, Any]:
    """A user's insights from their entries, relative to `now` (UTC days, ISO weeks)."""
    today = now.astimezone(UTC).date()
    per_day: Counter[date] = Counter()
    durations: list[float] = []
    open_count = overdue = 0
    tag_open: Counter[str] = Counter()
    tag_done: Counter[str] = Counter()
    total = 0
    for fact in facts:
        if fact["s"] == "open":
            open_count += 1
            due = instant(fact.get("u"))
            if due is not None and due < now:
                overdue += 1
            tag_open.update(fact.get("g", []))
            continue
        done = instant(fact.get("d"))
        if done is None:
            continue  # deleted before it was ever completed
        total += 1
        per_day[done.date()] += 1
        tag_done.update(fact.get("g", []))
        created = instant(fact.get("c"))
        if created is not None:
            durations.append(max(0.0, (done - created).total_seconds()))

    window = [today - timedelta(days=i) for i in range(days - 1, -1, -1)]
    this_week = _week_start(today)
    week_starts = [this_week - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]
    per_week: Counter[date] = Counter()
    for day, n in per_day.items():
        per_week[_week_start(day)] += n

    streak, cursor = 0, today if per_day[today] else today - timedelta(days=1)
    while per_day.get(cursor, 0) > 0:
        streak += 1
        cursor -= timedelta(days=1)

    tags = sorted(set(tag_open) | set(tag_done), key=lambda t: (-(tag_open[t] + tag_done[t]), t))[:BUSIEST_TAGS]
    return {
        "generatedAt": iso(now),
        "completed": {
            "total": total,
            "perDay": [{"date": d.isoformat(), "count": per_day.get(d, 0)} for d in window],
            "perWeek": [
                {"week": _week_label(w), "start": w.isoformat(), "count": per_week.get(w, 0)} for w in week_starts
            ],
        },
        "open": open_count,
        "overdue": overdue,
        "streak": {"currentDays": streak, "lastCompletedOn": max(per_day).isoformat() if per_day else None},
        "medianTimeToCompleteSeconds": statistics.median(durations) if durations else None,
        "busiestTags": [
            {"tag": t, "open": tag_open[t], "completed": tag_done[t], "total": tag_open[t] + tag_done[t]} for t in tags
        ],
    }
