"""Task events v1 and v2 as this service reads them (the upcaster mirrors the TypeScript one)."""

from __future__ import annotations

import pytest

from insights.domain.events import InvalidEventError, TaskCompleted, TaskUpdated, parse_task_event
from tests.conftest import event, task


def test_a_v2_event_is_read_as_is() -> None:
    parsed = parse_task_event(
        event("task.completed", task(status="completed", completed="2026-11-22T10:00:00Z", version=3))
    )
    assert isinstance(parsed, TaskCompleted)
    assert parsed.task.version == 3


def test_a_v1_event_is_upcast_to_v2_keeping_its_id() -> None:
    parsed = parse_task_event(event("task.created", task(v1=True), event_id="old-1", version=1))
    assert (parsed.id, parsed.version, parsed.task.recurrence, parsed.task.seriesId) == ("old-1", 2, None, None)


def test_a_v1_update_without_changed_gets_an_empty_list() -> None:
    parsed = parse_task_event(event("task.updated", task(v1=True), version=1))
    assert isinstance(parsed, TaskUpdated)
    assert parsed.changed == []


def test_fields_a_newer_producer_adds_are_ignored() -> None:
    parsed = parse_task_event(event("task.created", task(), extra_field={"x": 1}))
    assert parsed.type == "task.created"


@pytest.mark.parametrize(
    ("why", "change"),
    [
        ("an unknown schema version", {"version": 3}),
        ("a version that is a string", {"version": "2"}),
        ("an empty event id", {"id": ""}),
        ("an occurredAt that is no ISO instant", {"occurredAt": "yesterday"}),
        ("an unknown type", {"type": "task.archived"}),
        ("a task without its version", {"task": {k: v for k, v in task().items() if k != "version"}}),
        ("a task version that is not positive", {"task": {**task(), "version": 0}}),
        ("a task version that is a string", {"task": {**task(), "version": "1"}}),
        ("a v2 task without recurrence", {"task": {k: v for k, v in task().items() if k != "recurrence"}}),
        (
            "a recurrence with until: null",
            {"task": {**task(), "recurrence": {"frequency": "daily", "interval": 1, "until": None}}},
        ),
    ],
)
def test_what_is_no_task_event_is_rejected(why: str, change: dict) -> None:
    with pytest.raises(InvalidEventError):
        parse_task_event({**event("task.created", task()), **change})


def test_a_v2_update_needs_its_changed_list() -> None:
    e = event("task.updated", task())
    del e["changed"]
    with pytest.raises(InvalidEventError):
        parse_task_event(e)


def test_not_an_object_is_rejected() -> None:
    for data in (None, [], "x", 3):
        with pytest.raises(InvalidEventError):
            parse_task_event(data)
