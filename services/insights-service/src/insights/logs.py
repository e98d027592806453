"""JSON logs on stdout in the shape the TypeScript services' pino writes (so `make run` shows them the
same way): numeric `level`, ISO `time`, `service`, `msg`, and the request's `traceparent` and
`requestId` from a context variable, so every line written while handling a delivery carries its trace."""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, ClassVar, TextIO

LEVELS = {"trace": 10, "debug": 20, "info": 30, "warn": 40, "error": 50, "fatal": 60}

# Set per request by the HTTP middleware (traceparent as daprd sends it, the request id).
log_context: ContextVar[dict[str, Any] | None] = ContextVar("log_context", default=None)


class Logger:
    def __init__(self, service: str, level: str = "info", stream: TextIO | None = None, **bound: Any) -> None:
        self.service = service
        self.level = level
        self.threshold = LEVELS.get(level, 100)
        self.stream = stream
        self.bound = bound

    def child(self, **fields: Any) -> Logger:
        return Logger(self.service, self.level, self.stream, **{**self.bound, **fields})

    def log(self, level: str, msg: str, **fields: Any) -> None:
        number = LEVELS[level]
        if number < self.threshold:
            return
        line: dict[str, Any] = {
            "level": number,
            "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "service": self.service,
            **(log_context.get() or {}),
            **self.bound,
            **fields,
            "msg": msg,
        }
        err = line.pop("err", None)
        if isinstance(err, BaseException):
            line["err"] = {"type": type(err).__name__, "message": str(err)}
        elif err is not None:
            line["err"] = err
        stream = self.stream or sys.stdout
        stream.write(json.dumps(line, default=str, separators=(",", ":")) + "\n")
        stream.flush()

    def debug(self, msg: str, **fields: Any) -> None:
        self.log("debug", msg, **fields)

    def info(self, msg: str, **fields: Any) -> None:
        self.log("info", msg, **fields)

    def warn(self, msg: str, **fields: Any) -> None:
        self.log("warn", msg, **fields)

    def error(self, msg: str, **fields: Any) -> None:
        self.log("error", msg, **fields)


def silent() -> Logger:
    return Logger("insights-service", "silent")


class JsonFormatter(logging.Formatter):
    """For the stdlib loggers of uvicorn: the same JSON line shape as Logger."""

    LEVELS: ClassVar[dict[int, int]] = {
        logging.DEBUG: 20,
        logging.INFO: 30,
        logging.WARNING: 40,
        logging.ERROR: 50,
        logging.CRITICAL: 60,
    }

    def __init__(self, service: str = "insights-service") -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "level": self.LEVELS.get(record.levelno, 30),
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            line["err"] = {
                "type": record.exc_info[0].__name__ if record.exc_info[0] else "Error",
                "stack": self.formatException(record.exc_info),
            }
        return json.dumps(line, default=str, separators=(",", ":"))
