"""The HTTP answers as pydantic models, checked at the edge before they leave (a bug in the projection
becomes a 500 here, never a body outside the contract). They mirror
packages/contracts/generated/http/InsightsResponse|InsightsRebuildStatus.schema.json, generated from
the zod source; tests/test_contracts.py holds them to those files."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from insights.domain.events import ISO_DATETIME

Count = Annotated[int, Field(ge=0, le=9007199254740991)]
Day = Annotated[
    str,
    Field(
        pattern=r"^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29"
        r"|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)"
        r"|(?:02)-(?:0[1-9]|1\d|2[0-8])))$"
    ),
]
Instant = Annotated[str, Field(pattern=ISO_DATETIME)]
Generation = Annotated[int, Field(gt=0, le=9007199254740991)]


class _Out(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class DayCount(_Out):
    date: Day
    count: Count


class WeekCount(_Out):
    week: Annotated[str, Field(pattern=r"^\d{4}-W\d{2}$")]
    start: Day
    count: Count


class Completed(_Out):
    total: Count
    perDay: list[DayCount]
    perWeek: list[WeekCount]


class Streak(_Out):
    currentDays: Count
    lastCompletedOn: Day | None


class TagCount(_Out):
    tag: str
    open: Count
    completed: Count
    total: Count


class InsightsResponse(_Out):
    userId: str
    generatedAt: Instant
    generation: Generation
    completed: Completed
    open: Count
    overdue: Count
    streak: Streak
    medianTimeToCompleteSeconds: Annotated[float, Field(ge=0)] | None
    busiestTags: Annotated[list[TagCount], Field(max_length=5)]


class InsightsRebuildStatus(_Out):
    state: Literal["idle", "running", "succeeded", "failed"]
    liveGeneration: Generation
    generation: Generation | None
    requestedAt: Instant | None
    finishedAt: Instant | None
    users: Count
    tasks: Count
    events: Count
    error: str | None
