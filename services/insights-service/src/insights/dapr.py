"""The one adapter to the sidecar: daprd's HTTP state API (get many with etags, save with an etag or
first-write-wins, delete) and its outbound health. Nothing here knows Redis; daprd prefixes every key
with the app-id (`insights-service||…`), so this service's keys are its own database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import httpx


class SidecarError(Exception):
    """daprd or the store behind it could not do it now (unreachable, 5xx): worth retrying later."""


class EtagMismatchError(Exception):
    """Someone else changed the key since we read it (or created it first): read again and retry."""

    def __init__(self, key: str) -> None:
        super().__init__(f"etag mismatch on {key}")
        self.key = key


@dataclass(frozen=True)
class Versioned:
    value: Any
    etag: str


class StateStore(Protocol):
    async def get_many(self, keys: list[str]) -> dict[str, Versioned]: ...

    async def save(self, key: str, value: Any, etag: str | None = None) -> None:
        """With an etag: only if the key is still at it. Without: only if the key does not exist yet."""
        ...

    async def delete(self, key: str) -> None: ...


class Sidecar(Protocol):
    async def is_ready(self) -> bool: ...


class DaprSidecar:
    """State store `store` and readiness through daprd at 127.0.0.1:`port`."""

    def __init__(self, port: int, api_token: str | None, store: str = "statestore", timeout: float = 5.0) -> None:
        headers = {"dapr-api-token": api_token} if api_token else {}
        self.store = store
        self.client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}/v1.0", headers=headers, timeout=timeout)

    async def aclose(self) -> None:
        await self.client.aclose()

    async def _send(self, method: str, url: str, what: str, **kwargs: Any) -> httpx.Response:
        try:
            res = await self.client.request(method, url, **kwargs)
        except httpx.HTTPError as err:
            raise SidecarError(f"{what}: sidecar unreachable ({type(err).__name__})") from err
        return res

    async def get_many(self, keys: list[str]) -> dict[str, Versioned]:
        unique = list(dict.fromkeys(keys))
        if not unique:
            return {}
        res = await self._send(
            "POST", f"/state/{self.store}/bulk", "state get", json={"keys": unique, "parallelism": 16}
        )
        if res.status_code != 200:
            raise SidecarError(f"state get: daprd answered {res.status_code} {res.text[:200]}")
        found: dict[str, Versioned] = {}
        for item in res.json():
            data = item.get("data")
            if item.get("error") or data is None or data == "":
                if item.get("error"):
                    raise SidecarError(f"state get {item.get('key')}: {item['error']}")
                continue
            found[item["key"]] = Versioned(data, str(item.get("etag") or ""))
        return found

    async def save(self, key: str, value: Any, etag: str | None = None) -> None:
        item: dict[str, Any] = {"key": key, "value": value}
        if etag:
            item["etag"] = etag
        else:
            item["options"] = {"concurrency": "first-write"}
        res = await self._send("POST", f"/state/{self.store}", f"state save {key}", json=[item])
        if res.status_code in (200, 201, 204):
            return
        if res.status_code == 409 and etag:
            raise EtagMismatchError(key)
        # The Redis store reports a first-write conflict as a generic 500 (no etag given): tell it
        # from an outage by looking at the key, as the TypeScript adapter does.
        if not etag and key in await self.get_many([key]):
            raise EtagMismatchError(key)
        raise SidecarError(f"state save {key}: daprd answered {res.status_code} {res.text[:200]}")

    async def delete(self, key: str) -> None:
        res = await self._send("DELETE", f"/state/{self.store}/{quote(key, safe='')}", f"state delete {key}")
        if res.status_code not in (200, 204):
            raise SidecarError(f"state delete {key}: daprd answered {res.status_code} {res.text[:200]}")

    async def is_ready(self) -> bool:
        try:
            res = await self.client.get("/healthz/outbound", timeout=1.0)
        except httpx.HTTPError:
            return False
        return res.status_code < 300
