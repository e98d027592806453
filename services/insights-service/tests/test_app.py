"""The service over HTTP, as daprd and the gateway call it (in-memory state store, no network)."""

from __future__ import annotations

import base64
import json

from fastapi.testclient import TestClient

from insights.domain.store import model_key
from tests.conftest import NOW, InMemoryStateStore, cloud_event, event, lifecycle, task

ROUTE = "/events/task-events"


def deliver(client: TestClient, data: object, **headers: str) -> str:
    res = client.post(
        ROUTE,
        content=json.dumps(cloud_event(data)),
        headers={"content-type": "application/cloudevents+json", **headers},
    )
    assert res.status_code == 200
    return res.json()["status"]


def insights_of(client: TestClient, user: str = "alice", query: str = "") -> dict:
    res = client.get(f"/insights{query}", headers={"x-user-id": user})
    assert res.status_code == 200, res.text
    return res.json()


class TestDelivery:
    def test_a_task_event_is_projected_and_answered_success(self, client: TestClient) -> None:
        for e in lifecycle("t1", completed="2026-11-25T09:00:00Z", tags=("home",)):
            assert deliver(client, e) == "SUCCESS"
        body = insights_of(client)
        assert body["completed"]["total"] == 1
        assert body["busiestTags"] == [{"tag": "home", "open": 0, "completed": 1, "total": 1}]

    def test_the_same_event_delivered_twice_counts_once(self, client: TestClient) -> None:
        done = lifecycle("t1", completed="2026-11-25T09:00:00Z")
        for e in done + done[::-1]:
            assert deliver(client, e) == "SUCCESS"
        assert insights_of(client)["completed"]["total"] == 1

    def test_events_in_reverse_order_end_in_the_same_model(self, client: TestClient) -> None:
        for e in reversed(lifecycle("t1", completed="2026-11-25T09:00:00Z") + lifecycle("t2")):
            deliver(client, e)
        body = insights_of(client)
        assert (body["completed"]["total"], body["open"]) == (1, 1)

    def test_a_v1_event_is_upcast_and_projected(self, client: TestClient) -> None:
        t = task(v1=True, status="completed", completed="2026-11-25T09:00:00Z", version=2)
        assert deliver(client, event("task.completed", t, version=1)) == "SUCCESS"
        assert insights_of(client)["completed"]["total"] == 1

    def test_an_invalid_payload_is_dropped_to_the_dead_letter_topic(self, client: TestClient) -> None:
        assert deliver(client, {**event("task.created", task()), "id": ""}) == "DROP"
        assert deliver(client, None) == "DROP"
        res = client.post(ROUTE, content=b"{not json", headers={"content-type": "application/cloudevents+json"})
        assert res.json() == {"status": "DROP"}

    def test_when_the_state_store_is_down_then_retry_never_success(
        self, client: TestClient, state: InMemoryStateStore
    ) -> None:
        state.down = True
        assert deliver(client, event("task.created", task())) == "RETRY"
        state.down = False
        assert deliver(client, event("task.created", task())) == "SUCCESS"

    def test_a_base64_payload_is_read_too(self, client: TestClient) -> None:
        data = base64.b64encode(json.dumps(event("task.created", task())).encode()).decode()
        envelope = {**cloud_event(None), "data_base64": data}
        del envelope["data"]
        res = client.post(ROUTE, content=json.dumps(envelope), headers={"content-type": "application/cloudevents+json"})
        assert res.json() == {"status": "SUCCESS"}
        assert insights_of(client)["open"] == 1

    def test_daprd_finds_no_programmatic_subscriptions(self, client: TestClient) -> None:
        assert client.get("/dapr/subscribe").json() == []


class TestAppToken:
    def test_without_the_sidecars_token_then_401_problem(self, client: TestClient) -> None:
        res = client.get("/insights", headers={"x-user-id": "alice", "dapr-api-token": "wrong"})
        assert res.status_code == 401
        assert res.headers["content-type"] == "application/problem+json"
        assert res.json()["type"] == "urn:todo:problem:unauthorized"
        assert client.post(ROUTE, json=cloud_event({}), headers={"dapr-api-token": ""}).status_code == 401

    def test_probes_need_no_token(self, client: TestClient, sidecar) -> None:
        assert client.get("/healthz", headers={"dapr-api-token": ""}).json() == {"status": "ok"}
        assert client.get("/readyz", headers={"dapr-api-token": ""}).status_code == 200
        sidecar.ready = False
        assert client.get("/readyz").status_code == 503


class TestGetInsights:
    def test_users_are_kept_apart(self, client: TestClient) -> None:
        for e in lifecycle("a1", user="alice", completed="2026-11-25T09:00:00Z") + lifecycle("b1", user="bob"):
            deliver(client, e)
        assert (insights_of(client, "alice")["completed"]["total"], insights_of(client, "alice")["open"]) == (1, 0)
        assert (insights_of(client, "bob")["completed"]["total"], insights_of(client, "bob")["open"]) == (0, 1)

    def test_an_unknown_user_gets_zeros_not_404(self, client: TestClient) -> None:
        body = insights_of(client, "nobody", "?days=2&weeks=1")
        assert body == {
            "userId": "nobody",
            "generatedAt": "2026-11-25T12:00:00.000Z",
            "generation": 1,
            "completed": {
                "total": 0,
                "perDay": [{"date": "2026-11-24", "count": 0}, {"date": "2026-11-25", "count": 0}],
                "perWeek": [{"week": "2026-W48", "start": "2026-11-23", "count": 0}],
            },
            "open": 0,
            "overdue": 0,
            "streak": {"currentDays": 0, "lastCompletedOn": None},
            "medianTimeToCompleteSeconds": None,
            "busiestTags": [],
        }

    def test_without_a_user_then_401(self, client: TestClient) -> None:
        assert client.get("/insights").status_code == 401

    def test_bad_or_unknown_query_parameters_are_a_400_problem_naming_them(self, client: TestClient) -> None:
        for query, path in (("?days=0", "days"), ("?weeks=105", "weeks"), ("?days=x", "days"), ("?limit=3", "limit")):
            res = client.get(f"/insights{query}", headers={"x-user-id": "alice"})
            assert res.status_code == 400, query
            assert res.json()["errors"][0]["path"] == path

    def test_when_the_state_store_is_down_then_503_with_retry_after(
        self, client: TestClient, state: InMemoryStateStore
    ) -> None:
        state.down = True
        res = client.get("/insights", headers={"x-user-id": "alice"})
        assert (res.status_code, res.headers["retry-after"]) == (503, "5")

    def test_the_model_is_kept_in_the_state_store_under_the_live_generation(
        self, client: TestClient, state: InMemoryStateStore
    ) -> None:
        deliver(client, event("task.created", task("t1")))
        assert any(k.startswith("model:1:alice:") for k in state.data)
        assert state.value(model_key(1, "alice", 0)) is None or "tasks" in state.value(model_key(1, "alice", 0))

    def test_overdue_is_relative_to_now(self, client: TestClient) -> None:
        deliver(client, event("task.created", task("late", due="2026-11-25T11:59:00Z")))
        deliver(client, event("task.created", task("later", due="2026-11-25T12:01:00Z")))
        body = insights_of(client)
        assert (body["open"], body["overdue"]) == (2, 1)
        assert NOW.hour == 12


def test_unknown_routes_are_a_404_problem(client: TestClient) -> None:
    res = client.get("/nope")
    assert (res.status_code, res.headers["content-type"]) == (404, "application/problem+json")


def series(text: str, name: str, **labels: str) -> float:
    """The value of one Prometheus series in /metrics text (0 when absent)."""
    total = 0.0
    for line in text.splitlines():
        if line.startswith(f"{name}{{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


class TestMetrics:
    def test_when_events_are_handled_then_the_delivery_series_move_by_answer(self, client: TestClient) -> None:
        for e in lifecycle("m1", completed="2026-11-25T09:00:00Z"):
            assert deliver(client, e) == "SUCCESS"
        assert deliver(client, {"id": "x", "type": "task.created"}) == "DROP"
        res = client.get("/metrics")  # open to the scrape: no app token, like the probes
        assert res.status_code == 200
        assert res.headers["content-type"].startswith("text/plain")
        text = res.text
        app = {"app_id": "insights-service", "topic": "task-events"}
        assert series(text, "todo_events_consumed_total", **app, type="task.completed", result="success") == 1
        assert series(text, "todo_events_consumed_total", **app, type="task.created", result="drop") == 1
        assert (
            series(text, "todo_event_handler_duration_seconds_count", **app, type="task.completed", result="success")
            == 1
        )
        assert series(text, "todo_event_age_seconds_count", **app, type="task.completed") == 1

    def test_when_requests_are_served_then_http_red_is_by_route_template(self, client: TestClient) -> None:
        client.get("/insights", headers={"x-user-id": "alice"})
        client.get("/no-such-route")
        text = client.get("/metrics").text
        assert (
            series(text, "todo_http_request_duration_seconds_count", route="/insights", method="GET", status="200") == 1
        )
        assert (
            series(text, "todo_http_request_duration_seconds_count", route="(unmatched)", method="GET", status="404")
            == 1
        )
        assert 'route="/no-such-route"' not in text
