"""The pydantic models at this service's edges are held to the contracts published as JSON Schema
(packages/contracts/generated, generated from the zod source by `npm run contracts`): the same fields,
required ones, types, enums and constants, and the same verdict as the JSON Schema on a valid message
and on every single-field breakage of it. A change to a zod schema that this service does not follow
fails here."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Literal

import pytest
from jsonschema import Draft202012Validator
from pydantic import BaseModel, ValidationError

from insights.domain import events as ev
from insights.schemas import InsightsRebuildStatus, InsightsResponse
from tests.conftest import event, task

GENERATED = Path(__file__).resolve().parents[3] / "packages" / "contracts" / "generated"


def contract(name: str) -> dict[str, Any]:
    return json.loads((GENERATED / name).read_text())


def v1_model(kind: str) -> type[BaseModel]:
    """A v1 event of one type (each per-type v1 file fixes `type`; the service reads all four with one model)."""
    return type(f"V1{kind}", (ev.TaskEventV1,), {"__annotations__": {"type": Literal[kind]}})  # type: ignore[valid-type]


EVENT_MODELS: list[tuple[str, type[BaseModel]]] = [
    *((f"events/{kind}.v2.schema.json", model) for kind, model in ev.V2_MODELS.items()),
    *((f"events/{kind}.v1.schema.json", v1_model(kind)) for kind in ev.V2_MODELS),
]
HTTP_MODELS: list[tuple[str, type[BaseModel]]] = [
    ("http/InsightsResponse.schema.json", InsightsResponse),
    ("http/InsightsRebuildStatus.schema.json", InsightsRebuildStatus),
]


def canonical(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """What both sides must agree on, whatever way each spells it."""
    if "$ref" in schema:
        return canonical(defs[schema["$ref"].split("/")[-1]], defs)
    out: dict[str, Any] = {
        "types": set(),
        "enum": None,
        "properties": {},
        "required": set(),
        "items": None,
        "closed": False,
    }
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives:
        for alt in alternatives:
            c = canonical(alt, defs)
            out["types"] |= c["types"]
            out["enum"] = (out["enum"] or set()) | c["enum"] if c["enum"] is not None else out["enum"]
            out["properties"].update(c["properties"])
            out["required"] |= c["required"]
            out["items"] = out["items"] or c["items"]
            out["closed"] = out["closed"] or c["closed"]
        return out
    kinds = schema.get("type", [])
    for kind in [kinds] if isinstance(kinds, str) else kinds:
        out["types"].add("number" if kind == "integer" else kind)
    if "const" in schema:
        out["enum"] = {schema["const"]}
    if "enum" in schema:
        out["enum"] = set(schema["enum"])
    out["properties"] = {k: canonical(v, defs) for k, v in schema.get("properties", {}).items()}
    out["required"] = set(schema.get("required", []))
    out["items"] = canonical(schema["items"], defs) if "items" in schema else None
    out["closed"] = schema.get("additionalProperties") is False
    return out


def model_canonical(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    return canonical(schema, schema.get("$defs", {}))


@pytest.mark.parametrize(("file", "model"), EVENT_MODELS + HTTP_MODELS, ids=lambda x: x if isinstance(x, str) else "")
def test_the_model_has_the_contracts_fields_types_and_constants(file: str, model: type[BaseModel]) -> None:
    want = contract(file)
    assert model_canonical(model) == canonical(want, want.get("$defs", {}))


def samples() -> list[tuple[str, dict[str, Any]]]:
    completed = task(status="completed", completed="2026-11-22T10:00:00.000Z", version=3, tags=("a",))
    out = [(f"events/{k}.v2.schema.json", event(k, completed)) for k in ev.V2_MODELS]
    out += [(f"events/{k}.v1.schema.json", event(k, task(v1=True), version=1)) for k in ev.V2_MODELS]
    out += [(f"events/{k}.v1.schema.json", event(k, task(v1=True), version=1, changed=["title"])) for k in ev.V2_MODELS]
    recurring = {
        **completed,
        "recurrence": {"frequency": "weekly", "interval": 2, "until": "2027-01-01T00:00:00Z"},
        "seriesId": "s1",
    }
    out.append(("events/task.completed.v2.schema.json", event("task.completed", recurring)))
    return out


WRONG = {str: 5, int: "5", list: "x", dict: "x", type(None): 5, bool: "x", float: "x"}


def breakages(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Every single-field breakage: each field removed, nulled, of the wrong type; nested too."""
    out: list[dict[str, Any]] = []

    def walk(path: list[str], value: Any) -> None:
        if not isinstance(value, dict):
            return
        for key, inner in value.items():
            for change in ("drop", "null", "wrong"):
                broken = copy.deepcopy(message)
                target = broken
                for p in path:
                    target = target[p]
                if change == "drop":
                    del target[key]
                elif change == "null":
                    target[key] = None
                else:
                    target[key] = WRONG[type(inner)]
                out.append(broken)
            walk([*path, key], inner)

    walk([], message)
    out.append({**message, "occurredAt": "2026-11-22 10:00"})
    out.append({**message, "task": {**message["task"], "priority": "urgent"}})
    out.append({**message, "task": {**message["task"], "version": -1}})
    out.append({**message, "somethingNew": True})
    return out


def verdicts(file: str, model: type[BaseModel], message: dict[str, Any]) -> tuple[bool, bool]:
    schema_ok = Draft202012Validator(contract(file)).is_valid(message)
    try:
        model.model_validate(message)
        model_ok = True
    except ValidationError:
        model_ok = False
    return schema_ok, model_ok


@pytest.mark.parametrize(("file", "message"), samples())
def test_the_model_and_the_json_schema_agree_on_a_message_and_on_every_breakage_of_it(file: str, message: dict) -> None:
    model = dict(EVENT_MODELS)[file]
    assert verdicts(file, model, message) == (True, True)
    for broken in breakages(message):
        schema_ok, model_ok = verdicts(file, model, broken)
        assert schema_ok == model_ok, (
            f"{file}: schema says {schema_ok}, model says {model_ok} for {json.dumps(broken)[:300]}"
        )


def test_the_datetime_pattern_is_the_contracts() -> None:
    schema = contract("events/task.created.v2.schema.json")
    assert schema["properties"]["occurredAt"]["pattern"] == ev.ISO_DATETIME


def test_what_get_insights_answers_is_valid_under_the_contract(client: Any) -> None:
    body = client.get("/insights", headers={"x-user-id": "alice"}).json()
    assert Draft202012Validator(contract("http/InsightsResponse.schema.json")).is_valid(body)
    status = client.get("/admin/insights/rebuild").json()
    assert Draft202012Validator(contract("http/InsightsRebuildStatus.schema.json")).is_valid(status)
