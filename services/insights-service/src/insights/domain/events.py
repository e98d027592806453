"""Task events as this service reads them: pydantic models of the contracts published as JSON Schema
(packages/contracts/generated/events/task.*.v1|v2.schema.json, generated from the zod source). The
models are written to those schemas and tests/test_contracts.py holds them to it: same fields, same
required ones, same enums and constants, and the same verdict as the JSON Schema on valid and broken
events. Like the TypeScript consumers, fields a newer producer adds are ignored, and version 1 events
(before recurrence and series existed) are upcast to version 2."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

# zod's z.iso.datetime({ offset: true }), as the generated schemas spell it (a test compares them).
ISO_DATETIME = (
    r"^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])"
    r"-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3])"
    r":[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$"
)
MAX_SAFE_INTEGER = 9007199254740991

TaskEventType = Literal["task.created", "task.updated", "task.completed", "task.deleted"]
NonEmpty = Annotated[str, Field(min_length=1)]
Version = Annotated[int, Field(gt=0, le=MAX_SAFE_INTEGER)]


class _Model(BaseModel):
    # strict: a "3" is not a number and 1 is not a string (as in zod); extra: ignored, not an error.
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class Recurrence(_Model):
    frequency: Literal["daily", "weekly", "monthly"]
    interval: Annotated[int, Field(ge=-MAX_SAFE_INTEGER, le=MAX_SAFE_INTEGER)]
    # Optional, but never null (zod .optional()): absent → None; an explicit null fails strict str.
    until: str = Field(default=None)  # type: ignore[assignment]


class TaskV1(_Model):
    id: str
    userId: str  # the wire names are the contract's (camelCase)
    title: str
    description: str | None
    priority: Literal["low", "medium", "high"]
    tags: list[str]
    dueAt: str | None
    remindAt: str | None
    status: Literal["open", "completed"]
    createdAt: str
    updatedAt: str
    completedAt: str | None
    version: Version


class Task(TaskV1):
    recurrence: Recurrence | None
    seriesId: str | None


class _Envelope(_Model):
    id: NonEmpty
    userId: NonEmpty
    occurredAt: Annotated[str, Field(pattern=ISO_DATETIME)]
    correlationId: NonEmpty


class TaskEvent(_Envelope):
    """Version 2, the current one: what producers publish and what the read model is built from."""

    version: Literal[2]
    type: TaskEventType
    task: Task


class TaskCreated(TaskEvent):
    type: Literal["task.created"]


class TaskUpdated(TaskEvent):
    type: Literal["task.updated"]
    # The fields the change touched.
    changed: list[str]


class TaskCompleted(TaskEvent):
    type: Literal["task.completed"]


class TaskDeleted(TaskEvent):
    type: Literal["task.deleted"]


class TaskEventV1(_Envelope):
    """Version 1: one schema for the four types; the task had no recurrence and no series."""

    version: Literal[1]
    type: TaskEventType
    task: TaskV1
    # Optional in v1 (task.updated only), never null.
    changed: list[str] = Field(default=None)  # type: ignore[assignment]


V2_MODELS: dict[str, type[TaskEvent]] = {
    "task.created": TaskCreated,
    "task.updated": TaskUpdated,
    "task.completed": TaskCompleted,
    "task.deleted": TaskDeleted,
}


class InvalidEventError(Exception):
    """The payload is no task event this service understands: retrying cannot help (→ DROP)."""


def upcast_v1(v1: TaskEventV1) -> TaskEvent:
    """v1 → v2: a v1 task was never recurring and in no series; the event id is kept (the dedupe key)."""
    task = Task(**v1.task.model_dump(), recurrence=None, seriesId=None)
    model = V2_MODELS[v1.type]
    fields: dict[str, Any] = {
        "id": v1.id,
        "userId": v1.userId,
        "occurredAt": v1.occurredAt,
        "correlationId": v1.correlationId,
        "version": 2,
        "type": v1.type,
        "task": task,
    }
    if v1.type == "task.updated":
        fields["changed"] = v1.changed or []
    return model.model_validate(fields, strict=False)


def parse_task_event(data: Any) -> TaskEvent:
    """The current version as is, the previous one upcast; anything else is invalid."""
    if not isinstance(data, dict):
        raise InvalidEventError("event is not a JSON object")
    version, kind = data.get("version"), data.get("type")
    try:
        if version == 2 and type(version) is int and isinstance(kind, str) and kind in V2_MODELS:
            return V2_MODELS[kind].model_validate(data)
        if version == 1 and type(version) is int:
            return upcast_v1(TaskEventV1.model_validate(data))
    except ValidationError as err:
        issues = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in err.errors()[:5])
        raise InvalidEventError(issues) from err
    raise InvalidEventError(f"unknown task event version {version!r} / type {kind!r}")
