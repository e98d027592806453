"""Settings from the environment, checked once at start; a bad value exits 78 (EX_CONFIG) naming it."""

from __future__ import annotations

import os
import sys
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

LogLevel = Literal["trace", "debug", "info", "warn", "error", "fatal"]


class Config(BaseModel):
    """What every service reads (same names as the TypeScript services' baseConfigSchema)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    APP_PORT: int = Field(gt=0, lt=65536)
    # Loopback by default (daprd is on the same host/pod). The image sets 0.0.0.0 so that kubelet's
    # probes, which come to the pod's IP, reach /healthz and /readyz; every other route needs the app token.
    APP_HOST: str = "127.0.0.1"
    DAPR_HTTP_PORT: int = Field(default=3500, gt=0, lt=65536)
    # Sent to our sidecar on every call; the sidecar rejects calls without it when it is configured.
    DAPR_API_TOKEN: str | None = Field(default=None, min_length=1)
    # The sidecar sends this to us as `dapr-api-token`; requests without it are rejected.
    APP_API_TOKEN: str | None = Field(default=None, min_length=1)
    LOG_LEVEL: LogLevel = "info"
    # How long a rebuild may go without a heartbeat before another replica takes it over.
    INSIGHTS_REBUILD_STALE_SECONDS: float = Field(default=30, gt=0)


def load_config(env: dict[str, str] | None = None) -> Config:
    source = dict(os.environ if env is None else env)
    # An empty variable means "not set" (a shell `export X=` or a blank line in an env file).
    source = {k: v for k, v in source.items() if v != ""}
    try:
        return Config.model_validate(source)
    except ValidationError as err:
        lines = "\n".join(f"  {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in err.errors())
        sys.stderr.write(f"invalid configuration:\n{lines}\n")
        raise SystemExit(78) from err
