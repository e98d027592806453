"""The read model's pure core: one entry per task from the newest event, and the insights it yields."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

from insights.domain.events import parse_task_event
from insights.domain.projection import Fact, apply_fact, fact_of, insights
from tests.conftest import NOW, event, lifecycle, task


def build(events: list[dict]) -> dict[str, Fact]:
    tasks: dict[str, Fact] = {}
    for e in events:
        parsed = parse_task_event(e)
        apply_fact(tasks, parsed.task.id, fact_of(parsed))
    return tasks


def at(days_ago: float, hour: int = 9) -> str:
    moment = (NOW - timedelta(days=days_ago)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


class TestEntries:
    def test_when_the_same_event_arrives_twice_then_the_second_is_a_duplicate(self) -> None:
        e = parse_task_event(event("task.created", task()))
        tasks: dict[str, Fact] = {}
        assert apply_fact(tasks, "t1", fact_of(e)) == "applied"
        assert apply_fact(tasks, "t1", fact_of(e)) == "duplicate"

    def test_when_an_older_version_arrives_after_a_newer_then_it_is_ignored(self) -> None:
        created, updated, completed = lifecycle("t1", completed=at(0))
        tasks = build([completed, created, updated])
        assert tasks["t1"]["s"] == "completed"
        assert tasks["t1"]["v"] == 3

    def test_every_arrival_order_and_any_redelivery_give_the_same_entries(self) -> None:
        events = (
            lifecycle("a", completed=at(1), tags=("x",))
            + lifecycle("b", delete=True)
            + lifecycle("c", completed=at(2), delete=True)
        )
        expected = build(events)
        for order in itertools.islice(itertools.permutations(events), 0, 5000, 7):
            assert build(list(order)) == expected
        rng = random.Random(7)
        for _ in range(50):
            stream = events + rng.sample(events, 4)
            rng.shuffle(stream)
            assert build(stream) == expected

    def test_two_events_with_one_version_converge_whatever_the_order(self) -> None:
        # Should a producer ever publish two different events for one task version, every replica and
        # every replay keeps the same one (the larger event id), not whichever came last.
        a = event("task.completed", task(version=2, status="completed", completed=at(0)), event_id="evt-a")
        b = event("task.completed", task(version=2, status="completed", completed=at(1)), event_id="evt-b")
        assert build([a, b]) == build([b, a])
        assert build([a, b])["t1"]["e"] == "evt-b"

    def test_a_completed_task_that_is_deleted_keeps_its_completion_an_open_one_keeps_nothing(self) -> None:
        tasks = build(
            lifecycle("done", completed=at(0), tags=("x",), delete=True) + lifecycle("open", tags=("y",), delete=True)
        )
        assert tasks["done"] == {
            "v": 4,
            "e": tasks["done"]["e"],
            "s": "deleted",
            "c": "2026-11-20T10:00:00.000Z",
            "d": "2026-11-25T09:00:00.000Z",
            "g": ["x"],
        }
        assert tasks["open"] == {"v": 3, "e": tasks["open"]["e"], "s": "deleted"}

    def test_instants_are_normalised_to_utc(self) -> None:
        e = event("task.created", task(created="2026-11-20T12:00:00+02:00", due="2026-11-21T00:00:00Z"))
        assert fact_of(parse_task_event(e))["c"] == "2026-11-20T10:00:00.000Z"
        assert fact_of(parse_task_event(e))["u"] == "2026-11-21T00:00:00.000Z"


class TestInsights:
    def test_counts_per_day_and_per_iso_week_with_zeros_oldest_first(self) -> None:
        tasks = build(
            lifecycle("a", completed=at(0))
            + lifecycle("b", completed=at(0))
            + lifecycle("c", completed=at(2))
            + lifecycle("d", completed=at(9))
        )
        result = insights(tasks.values(), NOW, days=3, weeks=3)
        assert result["completed"]["total"] == 4
        assert result["completed"]["perDay"] == [
            {"date": "2026-11-23", "count": 1},
            {"date": "2026-11-24", "count": 0},
            {"date": "2026-11-25", "count": 2},
        ]
        # 2026-11-25 is in ISO week 48 (Monday 23rd); the 16th (9 days ago) in week 47.
        assert result["completed"]["perWeek"] == [
            {"week": "2026-W46", "start": "2026-11-09", "count": 0},
            {"week": "2026-W47", "start": "2026-11-16", "count": 1},
            {"week": "2026-W48", "start": "2026-11-23", "count": 3},
        ]

    def test_iso_weeks_across_a_year_end(self) -> None:
        now = datetime(2027, 1, 1, 12, tzinfo=UTC)  # a Friday in ISO week 2026-W53
        tasks = build(lifecycle("a", created="2026-12-01T00:00:00Z", completed="2026-12-28T08:00:00Z"))
        weeks = insights(tasks.values(), now, weeks=2)["completed"]["perWeek"]
        assert weeks == [
            {"week": "2026-W52", "start": "2026-12-21", "count": 0},
            {"week": "2026-W53", "start": "2026-12-28", "count": 1},
        ]

    def test_open_and_overdue_now(self) -> None:
        tasks = build(
            lifecycle("late", due=at(1))
            + lifecycle("later", due=at(-1))
            + lifecycle("none")
            + lifecycle("done", due=at(5), completed=at(0))
        )
        result = insights(tasks.values(), NOW)
        assert (result["open"], result["overdue"]) == (3, 1)

    def test_streak_counts_back_from_today_or_from_yesterday_when_today_is_still_empty(self) -> None:
        days = [0, 1, 2, 4]
        tasks = build([e for i, d in enumerate(days) for e in lifecycle(f"t{i}", created=at(10), completed=at(d))])
        assert insights(tasks.values(), NOW)["streak"] == {"currentDays": 3, "lastCompletedOn": "2026-11-25"}
        not_yet_today = build(
            [e for i, d in enumerate([1, 2]) for e in lifecycle(f"t{i}", created=at(10), completed=at(d))]
        )
        assert insights(not_yet_today.values(), NOW)["streak"] == {"currentDays": 2, "lastCompletedOn": "2026-11-24"}
        broken = build(lifecycle("old", created=at(10), completed=at(2)))
        assert insights(broken.values(), NOW)["streak"] == {"currentDays": 0, "lastCompletedOn": "2026-11-23"}
        assert insights([], NOW)["streak"] == {"currentDays": 0, "lastCompletedOn": None}

    def test_median_time_from_creation_to_completion(self) -> None:
        created = "2026-11-20T00:00:00Z"
        hours = [1, 2, 10]
        tasks = build(
            [e for h in hours for e in lifecycle(f"h{h}", created=created, completed=f"2026-11-20T{h:02d}:00:00Z")]
        )
        assert insights(tasks.values(), NOW)["medianTimeToCompleteSeconds"] == 7200
        tasks.update(build(lifecycle("h12", created=created, completed="2026-11-20T12:00:00Z")))
        assert insights(tasks.values(), NOW)["medianTimeToCompleteSeconds"] == (2 + 10) / 2 * 3600
        assert insights([], NOW)["medianTimeToCompleteSeconds"] is None

    def test_busiest_tags_open_plus_completed_at_most_five_ties_by_name(self) -> None:
        events = (
            lifecycle("a", tags=("home", "bills"), completed=at(0))
            + lifecycle("b", tags=("home",))
            + lifecycle("c", tags=("work",))
            + lifecycle("d", tags=("z1",))
            + lifecycle("e", tags=("z2",))
            + lifecycle("f", tags=("z3",))
            + lifecycle("g", tags=("gone",), delete=True)
        )
        result = insights(build(events).values(), NOW)
        assert result["busiestTags"] == [
            {"tag": "home", "open": 1, "completed": 1, "total": 2},
            {"tag": "bills", "open": 0, "completed": 1, "total": 1},
            {"tag": "work", "open": 1, "completed": 0, "total": 1},
            {"tag": "z1", "open": 1, "completed": 0, "total": 1},
            {"tag": "z2", "open": 1, "completed": 0, "total": 1},
        ]

    def test_a_deleted_completed_task_still_counts_as_completed_but_not_as_open(self) -> None:
        result = insights(
            build(lifecycle("a", completed=at(0), delete=True) + lifecycle("b", delete=True)).values(), NOW
        )
        assert (result["completed"]["total"], result["open"]) == (1, 0)


def test_now_is_what_the_answer_says() -> None:
    assert insights([], NOW + timedelta(microseconds=1500))["generatedAt"] == "2026-11-25T12:00:00.001Z"
